"""A stand-in for Lambda's Invoke, behind the RevisionId proxy: moto runs functions only in Docker, which the
tests do not have, so the proxy hands Invoke here and this runs the function's real handler from its real code.

The code is the zip the function was given (kept by the proxy from CreateFunction and UpdateFunctionCode, by its
CodeSha256), unpacked and put first on the path of a container process (`lambda_container.py`) that imports the
configured handler, with the version's environment, as the Python runtime does. A container is kept per version,
code and environment and answers one invocation at a time; `Event` invocations are answered 202 at once and run
after. What a container prints goes to the function's log group in moto (stream `YYYY/MM/DD/[VERSION]id`), and
a run past the function's timeout is stopped with Lambda's "Task timed out" line.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import queue
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RUNNER = Path(__file__).with_name("lambda_container.py")
PACKAGES = ("purelib", "platlib")
ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Invocation:
    function: str
    qualifier: str
    kind: str
    event: Any


@dataclass
class Container:
    process: subprocess.Popen[str]
    results: queue.Queue[dict[str, Any]]
    stream: str
    lock: threading.Lock = field(default_factory=threading.Lock)


class InvokeStandIn:
    def __init__(self, moto_url: str, endpoint: str) -> None:
        self.moto_url, self.endpoint = moto_url, endpoint
        self.code: dict[str, bytes] = {}
        self.containers: dict[tuple[str, ...], Container] = {}
        self.invocations: list[Invocation] = []
        self.scratch = Path(tempfile.mkdtemp(prefix="scc-lambda-"))
        self.lock = threading.Lock()
        self.streams: set[tuple[str, str]] = set()
        self._logs: Any = None

    def keep_code(self, zip_base64: str) -> None:
        data = base64.b64decode(zip_base64)
        self.code[base64.b64encode(hashlib.sha256(data).digest()).decode()] = data

    def reset(self) -> None:
        with self.lock:
            for container in self.containers.values():
                _stop(container.process)
            self.containers.clear()
            self.invocations.clear()
            self.streams.clear()

    def invoke(self, configuration: dict[str, Any], kind: str, payload: bytes) -> tuple[int, dict[str, str], bytes]:
        """Answer an Invoke of the version `configuration` describes: (status, headers, body)."""
        event = json.loads(payload or b"{}")
        name, version = configuration["FunctionName"], configuration["Version"]
        self.invocations.append(Invocation(name, version, kind, event))
        if kind == "DryRun":
            return 204, {}, b""
        container = self._container(configuration)
        if kind == "Event":
            threading.Thread(target=self._run, args=(container, configuration, event), daemon=True).start()
            return 202, {}, b""
        answer = self._run(container, configuration, event)
        headers = {"Content-Type": "application/json", "X-Amz-Executed-Version": version}
        if "error" in answer:
            return 200, {**headers, "X-Amz-Function-Error": "Unhandled"}, json.dumps(answer["error"]).encode()
        return 200, headers, json.dumps(answer["result"]).encode()

    def _run(self, container: Container, configuration: dict[str, Any], event: Any) -> dict[str, Any]:
        timeout = int(configuration.get("Timeout", 3))
        context = {
            "aws_request_id": str(uuid.uuid4()),
            "function_name": configuration["FunctionName"],
            "function_version": configuration["Version"],
            "timeout_seconds": timeout,
            "invoked_function_arn": configuration["FunctionArn"],
        }
        with container.lock:
            if container.process.poll() is not None:
                return {"error": {"errorType": "Runtime.ExitError", "errorMessage": "the runtime exited"}}
            assert container.process.stdin is not None
            container.process.stdin.write(json.dumps({"event": event, "context": context}) + "\n")
            container.process.stdin.flush()
            try:
                return container.results.get(timeout=timeout)
            except queue.Empty:
                _stop(container.process)
                self._log(configuration, container.stream, [f"Task timed out after {timeout:.2f} seconds"])
                return {"error": {"errorType": "Sandbox.Timedout", "errorMessage": "Task timed out"}}

    def _container(self, configuration: dict[str, Any]) -> Container:
        variables = configuration.get("Environment", {}).get("Variables", {})
        key = (
            configuration["FunctionName"],
            configuration["Version"],
            configuration["CodeSha256"],
            configuration.get("Handler", ""),
            json.dumps(variables, sort_keys=True),
        )
        with self.lock:
            found = self.containers.get(key)
            if found is None or found.process.poll() is not None:
                found = self.containers[key] = self._start(configuration, variables)
            return found

    def _start(self, configuration: dict[str, Any], variables: dict[str, str]) -> Container:
        code = self._unpacked(configuration["CodeSha256"])
        home = Path(tempfile.mkdtemp(dir=self.scratch, prefix="tmp-"))
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            # The function's code first, then the test environment's packages standing in for the bundled ones;
            # with -S, no .pth file runs, so the working tree's own package (installed editable) is not visible.
            "PYTHONPATH": os.pathsep.join([str(code), *dict.fromkeys(sysconfig.get_paths()[k] for k in PACKAGES)]),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_LAMBDA_FUNCTION_NAME": configuration["FunctionName"],
            "AWS_LAMBDA_FUNCTION_VERSION": configuration["Version"],
            "SCC_DATA_DIR": str(home / "scc-data"),  # Lambda's /tmp belongs to one container
            **variables,
        }
        read, write = os.pipe()
        process = subprocess.Popen(
            [sys.executable, "-S", str(RUNNER), configuration.get("Handler", ""), str(write)],
            cwd=code,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            pass_fds=(write,),
        )
        os.close(write)
        results: queue.Queue[dict[str, Any]] = queue.Queue()
        stream = f"{datetime.now(UTC):%Y/%m/%d}/[{configuration['Version']}]{uuid.uuid4().hex}"
        threading.Thread(target=_read_results, args=(read, results), daemon=True).start()
        threading.Thread(target=self._forward_logs, args=(process, configuration, stream), daemon=True).start()
        return Container(process, results, stream)

    def _unpacked(self, code_sha256: str) -> Path:
        folder = self.scratch / hashlib.sha256(code_sha256.encode()).hexdigest()[:16]
        if not folder.exists():
            partial = folder.with_suffix(".partial")
            with zipfile.ZipFile(io.BytesIO(self.code[code_sha256])) as archive:
                archive.extractall(partial)
            partial.rename(folder)
        return folder

    def _forward_logs(self, process: subprocess.Popen[str], configuration: dict[str, Any], stream: str) -> None:
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                try:
                    self._log(configuration, stream, [line.rstrip("\n")])
                except Exception:  # moto has stopped (the tests are over): the line has nowhere to go
                    return

    def _log(self, configuration: dict[str, Any], stream: str, lines: list[str]) -> None:
        events = [{"timestamp": int(time.time() * 1000), "message": line} for line in lines if line]
        group = configuration.get("LoggingConfig", {}).get("LogGroup") or f"/aws/lambda/{configuration['FunctionName']}"
        with self.lock:
            logs = self._logs_client()
            if (group, stream) not in self.streams:
                for create in (
                    lambda: logs.create_log_group(logGroupName=group),
                    lambda: logs.create_log_stream(logGroupName=group, logStreamName=stream),
                ):
                    try:
                        create()
                    except logs.exceptions.ResourceAlreadyExistsException:
                        pass
                self.streams.add((group, stream))
        if events:
            logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events)

    def _logs_client(self) -> Any:
        if self._logs is None:
            import boto3

            self._logs = boto3.client(
                "logs",
                region_name="us-east-1",
                endpoint_url=self.moto_url,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
        return self._logs

    def close(self) -> None:
        self.reset()
        shutil.rmtree(self.scratch, ignore_errors=True)


def _read_results(descriptor: int, results: queue.Queue[dict[str, Any]]) -> None:
    with os.fdopen(descriptor) as answers:
        for line in answers:
            results.put(json.loads(line))


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(10)
    if process.stdin:
        process.stdin.close()

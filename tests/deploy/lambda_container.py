"""One Lambda "container" for the Invoke stand-in: a process that imports a function's handler from its unpacked
code and answers invocations one at a time, as Lambda's Python runtime does.

Run as a script (standard library only): `python lambda_container.py MODULE.FUNCTION RESULTS_FD`. Each line on
stdin is `{"event": ..., "context": {...}}`; each answer is one JSON line on RESULTS_FD, `{"result": ...}` or
`{"error": {"errorType", "errorMessage"}}`. What the handler prints (its logs) goes to stdout and stderr, which
the stand-in forwards to the function's log group, as Lambda does.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from typing import Any


class Context:
    def __init__(self, fields: dict[str, Any]) -> None:
        self.aws_request_id = fields["aws_request_id"]
        self.invoked_function_arn = fields["invoked_function_arn"]
        self.function_name = fields["function_name"]
        self.function_version = fields["function_version"]
        self.memory_limit_in_mb = "512"
        self._deadline = time.monotonic() + fields["timeout_seconds"]

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def load(handler: str) -> tuple[Any, dict[str, str] | None]:
    module, _, name = handler.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name), None
    except Exception as error:
        print(f"[ERROR] Runtime.ImportModuleError: Unable to import module '{module}': {error}", flush=True)
        return None, {"errorType": "Runtime.ImportModuleError", "errorMessage": f"Unable to import module '{module}'"}


def main() -> None:
    handler, failed = load(sys.argv[1])
    results = os.fdopen(int(sys.argv[2]), "w")
    for line in sys.stdin:
        request = json.loads(line)
        answer: dict[str, Any]
        if failed:
            answer = {"error": failed}
        else:
            try:
                answer = {"result": handler(request["event"], Context(request["context"]))}
            except Exception as error:
                print(f"[ERROR] {type(error).__name__}: {error}", flush=True)
                traceback.print_exc(file=sys.stdout)
                answer = {"error": {"errorType": type(error).__name__, "errorMessage": str(error)}}
        sys.stdout.flush()
        results.write(json.dumps(answer) + "\n")
        results.flush()


if __name__ == "__main__":
    main()

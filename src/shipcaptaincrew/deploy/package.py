"""`scc package`: the Lambda zip, the same bytes every time it is built from the same tree.

The dependencies are the project's runtime requirements as wheels for Lambda's platform (manylinux, the
configured Python version and architecture), pinned to the versions installed here, so the function runs what
the tests ran. Left out: boto3 and its parts (the Lambda runtime provides them) and uvicorn (the local server).
Every entry has a fixed time and mode, and entries are sorted, so two builds are byte-identical. The zip records
what it was built for (`scc-package.json`: Python version, architecture, handler), so that a deploy can compare
it with the function's runtime, architecture and handler.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import shipcaptaincrew

PROJECT = "shipcaptaincrew"
LEFT_OUT = frozenset({"boto3", "botocore", "s3transfer", "jmespath", "uvicorn"})
SKIPPED_DIRS = frozenset({"__pycache__", "bin", "share"})
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold
FILE_MODE = 0o100644  # every entry: readable is all a Lambda package needs (shared objects are only mapped)
ARCHITECTURES = {"x86_64": "x86_64", "arm64": "aarch64"}
HANDLER = "shipcaptaincrew.lambda_function.lambda_handler"
RECORD = "scc-package.json"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class PackageError(RuntimeError):
    """The package could not be built; the message says why."""


@dataclass(frozen=True)
class Target:
    python_version: str = "3.12"
    architecture: str = "x86_64"

    handler: str = HANDLER

    @property
    def runtime(self) -> str:
        """Lambda's name for the runtime (`python3.12`)."""
        return f"python{self.python_version}"

    def record(self) -> bytes:
        """What the zip says it was built for (RECORD)."""
        fields = {"python_version": self.python_version, "architecture": self.architecture, "handler": self.handler}
        return (json.dumps(fields, sort_keys=True) + "\n").encode()

    @property
    def platform(self) -> str:
        """uv's name for the platform: Lambda's Python 3.12+ runs on glibc 2.34 (Amazon Linux 2023), 3.11 on 2.26."""
        glibc = "2_34" if tuple(map(int, self.python_version.split("."))) >= (3, 12) else "2_26"
        return f"{ARCHITECTURES[self.architecture]}-manylinux_{glibc}"


@dataclass(frozen=True)
class Built:
    path: Path
    size: int
    entries: int
    by_top_level: list[tuple[str, int]]
    """Uncompressed bytes per top-level folder or file, largest first."""

    def summary(self, top: int = 8) -> list[str]:
        lines = [f"{self.path}: {self.size / 1e6:.1f} MB, {self.entries} files"]
        lines += [f"  {size / 1e6:7.2f} MB  {name}" for name, size in self.by_top_level[:top]]
        rest = self.by_top_level[top:]
        if rest:
            lines.append(f"  {sum(size for _, size in rest) / 1e6:7.2f} MB  {len(rest)} more")
        return lines


def runtime_requirements() -> list[str]:
    """The names of the project's runtime requirements that the function needs (no extras, none LEFT_OUT)."""
    names = []
    for requirement in metadata.requires(PROJECT) or []:
        match = _NAME.match(requirement)
        if match and "extra ==" not in requirement and canonical(match.group()) not in LEFT_OUT:
            names.append(match.group())
    return names


def pins() -> list[str]:
    """`name==version` for every distribution installed here, so the zip holds the versions the tests ran."""
    installed = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions() if d.metadata["Name"]}
    installed.pop(PROJECT, None)
    return [f"{name}=={version}" for name, version in sorted(installed.items())]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def install_dependencies(target: Target, folder: Path, installer: Path | None = None) -> None:
    """Install the runtime requirements' wheels for `target` into `folder` with uv (no source builds)."""
    uv = installer or find_uv()
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as constraints:
        constraints.write("\n".join(pins()) + "\n")
        constraints.flush()
        command = [str(uv), "pip", "install", "--quiet", "--no-python-downloads", "--python", sys.executable,
                   "--target", str(folder), "--python-platform", target.platform,
                   "--python-version", target.python_version, "--only-binary", ":all:",
                   "--constraints", constraints.name, *runtime_requirements()]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PackageError(f"installing the dependencies for {target.platform} failed:\n{done.stderr.strip()}")


def find_uv() -> Path:
    """uv from PATH, or the one `make setup` puts in .tools/bin of the working tree."""
    found = shutil.which("uv") or next((str(p) for p in _tool_candidates() if p.is_file()), None)
    if not found:
        raise PackageError("`scc package` needs uv: run `make setup` (it installs one in .tools/bin) or put uv on PATH")
    return Path(found)


def _tool_candidates() -> Iterator[Path]:
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        yield folder / ".tools" / "bin" / "uv"


def entries(dependencies: Path, source: Path | None = None) -> dict[str, Path]:
    """Archive name → file: the installed dependencies, then the project's own package from its source folder."""
    source = source or Path(shipcaptaincrew.__file__).parent
    found = {name: path for name, path in _walk(dependencies, "") if canonical(name.split("/")[0]) not in LEFT_OUT}
    found.update(_walk(source, f"{source.name}/"))
    return found


def _walk(root: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_DIRS]
        for name in files:
            path = Path(folder) / name
            if not name.endswith((".pyc", ".pyo")):
                yield prefix + path.relative_to(root).as_posix(), path


def write_zip(files: dict[str, Path], out: Path) -> Built:
    """Write the entries sorted by name, each with FIXED_TIME and a fixed mode, then move the zip into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    sizes: Counter[str] = Counter()
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(files):
            data = files[name].read_bytes()
            archive.writestr(_info(name), data, compresslevel=6)
            sizes[name.split("/")[0]] += len(data)
    partial.replace(out)
    return Built(out, out.stat().st_size, len(files), sizes.most_common())


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, so the mode below is honoured
    info.external_attr = FILE_MODE << 16
    return info


def build(out: Path, target: Target, installer: Path | None = None, source: Path | None = None) -> Built:
    """Install the dependencies for `target` in a scratch folder and write the zip to `out`, with its RECORD."""
    with tempfile.TemporaryDirectory(prefix="scc-package-") as scratch:
        dependencies, record = Path(scratch) / "dependencies", Path(scratch) / RECORD
        install_dependencies(target, dependencies, installer)
        record.write_bytes(target.record())
        return write_zip({**entries(dependencies, source), RECORD: record}, out)


def built_for(package: bytes) -> Target | None:
    """What a zip says it was built for; None when it says nothing (it was not made by `scc package`)."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        if RECORD not in archive.namelist():
            return None
        fields = json.loads(archive.read(RECORD))
    return Target(str(fields["python_version"]), str(fields["architecture"]), str(fields["handler"]))


def names(path: Path) -> Iterable[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()

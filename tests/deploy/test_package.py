"""The Lambda zip: the same bytes from the same files, boto3 and the local server left out."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

from click.testing import CliRunner

from shipcaptaincrew.cli import cli
from shipcaptaincrew.deploy.package import FILE_MODE, entries, write_zip


def installed_dependencies(root: Path, mtime: int, mode: int) -> Path:
    """A folder laid out as `uv pip install --target` leaves it, every file with the given time and mode."""
    files = {
        "msgspec/__init__.py": "from ._core import *\n",
        "msgspec/_core.cpython-312-x86_64-linux-gnu.so": "\x7fELF",
        "msgspec-0.22.0.dist-info/RECORD": "msgspec/__init__.py,,\n",
        "msgspec/__pycache__/__init__.cpython-312.pyc": "bytecode",
        "boto3/__init__.py": "",
        "botocore/__init__.py": "",
        "uvicorn/__init__.py": "",
        "bin/fonttools": "#!/bin/sh\n",
        "share/man/man1/ttx.1": "",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        os.chmod(path, mode)
        os.utime(path, (mtime, mtime))
    return root


def test_two_builds_of_the_same_files_are_byte_identical_whatever_their_times_and_modes(tmp_path: Path) -> None:
    first = installed_dependencies(tmp_path / "a", mtime=1_700_000_000, mode=0o644)
    second = installed_dependencies(tmp_path / "b", mtime=1_800_000_000, mode=0o755)

    one = write_zip(entries(first), tmp_path / "one.zip")
    two = write_zip(entries(second), tmp_path / "two.zip")

    assert one.path.read_bytes() == two.path.read_bytes()
    with zipfile.ZipFile(one.path) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == sorted(info.filename for info in infos)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {FILE_MODE}


def test_the_zip_leaves_out_boto3_the_local_server_bytecode_and_scripts(tmp_path: Path) -> None:
    names = set(entries(installed_dependencies(tmp_path / "deps", 1_700_000_000, 0o644)))

    assert "msgspec/_core.cpython-312-x86_64-linux-gnu.so" in names
    assert not [name for name in names if name.startswith(("boto3/", "botocore/", "uvicorn/", "bin/", "share/"))]
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_the_zip_holds_the_handler_the_templates_and_the_migrations(tmp_path: Path) -> None:
    names = set(entries(tmp_path))

    assert "shipcaptaincrew/lambda_function.py" in names
    assert "shipcaptaincrew/adapters/migrations/0001_events.sql" in names
    assert any(name.startswith("shipcaptaincrew/web/templates/guest/") for name in names)


def test_scc_package_builds_the_same_zip_twice_with_linux_wheels_for_the_lambda_python(tmp_path: Path) -> None:
    """Uses the package registry on a machine's first run; uv's cache afterwards."""
    runs = [CliRunner().invoke(cli, ["package", "-o", str(tmp_path / name)]) for name in ("a.zip", "b.zip")]

    assert [run.exit_code for run in runs] == [0, 0], runs[0].output
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert " MB, " in runs[0].output and "fontTools" in runs[0].output
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        names = archive.namelist()
    assert any(name.startswith("msgspec/_core.cpython-312-x86_64-linux-gnu") for name in names)
    assert "mangum/__init__.py" in names and "shipcaptaincrew/lambda_function.py" in names
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        record = json.loads(archive.read("scc-package.json"))
    assert record == {
        "python_version": "3.12",
        "architecture": "x86_64",
        "handler": "shipcaptaincrew.lambda_function.lambda_handler",
    }
    assert not [name for name in names if name.startswith(("boto3/", "botocore/", "uvicorn/"))]

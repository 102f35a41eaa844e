"""Files and folders only their owner can read, whatever the umask: the store, its copies, mail and exports hold
password hashes, tokens, dates of birth and phone numbers."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(path: Path) -> Path:
    """Make the folder (and its parents) if missing; the folder itself is 0700, even if it was open before."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    tighten(path, PRIVATE_FOLDER)
    return path


def tighten(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Give an existing file (or folder) this mode; nothing if it is missing or someone else's."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)


def create_private(path: Path) -> None:
    """An empty 0600 file at `path` if there is none (SQLite then keeps that mode for its -wal and -shm files)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    tighten(path)


def open_private(path: Path, mode: str = "wb", **options: Any) -> IO[Any]:
    """Open `path` for writing (created or truncated) as a 0600 file; `mode` is "w" or "wb"."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    os.fchmod(descriptor, PRIVATE_FILE)  # an existing file keeps its mode through O_TRUNC
    return os.fdopen(descriptor, mode, **options)


def write_private(path: Path, data: bytes) -> None:
    with open_private(path) as handle:
        handle.write(data)

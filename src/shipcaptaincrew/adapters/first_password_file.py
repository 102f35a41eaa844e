"""The first-run admin password, kept in a private file of the data folder until the first sign-in deletes it."""

from __future__ import annotations

import contextlib
from pathlib import Path

from shipcaptaincrew.adapters.private_files import write_private


class FirstPasswordFile:
    """`SCC_DATA_DIR/first-run-password`, 0600 like the secret key beside it (which can do more than the password)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def keep(self, password: str) -> None:
        write_private(self.path, password.encode())

    def kept(self) -> str | None:
        try:
            return self.path.read_text().strip() or None
        except FileNotFoundError:
            return None

    def forget(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

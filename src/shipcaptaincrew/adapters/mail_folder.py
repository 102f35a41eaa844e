"""The local mail transport: each message becomes a readable `.eml` file in the data folder."""

from __future__ import annotations

import os
from pathlib import Path

from shipcaptaincrew.adapters.mail_mime import message_bytes
from shipcaptaincrew.adapters.private_files import private_folder, write_private
from shipcaptaincrew.domain.mail import Email
from shipcaptaincrew.ports import DeliveryFailed


class FolderMailer:
    """Writes `<folder>/<message-id>.eml`; the write is atomic, so a reader never sees half a message."""

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    def send(self, email: Email, message_id: str) -> str:
        name = "".join(ch for ch in message_id if ch.isalnum() or ch in "-_.@") + ".eml"
        try:
            private_folder(self.folder)
            partial = self.folder / f".{name}.partial"
            write_private(partial, message_bytes(email, message_id, self.sender, linesep="\n"))
            os.replace(partial, self.folder / name)
        except OSError as error:
            raise DeliveryFailed(f"could not write {name}: {error.strerror}") from None
        return f"written to {self.folder / name}"

    def describe(self) -> str:
        return f"folder: .eml files in {self.folder}"

"""The local mail transport: each message becomes a readable `.eml` file in the data folder."""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from shipcaptaincrew.domain.mail import Email, header_safe
from shipcaptaincrew.ports import DeliveryFailed


def build_mime(email: Email, message_id: str, sender: str) -> EmailMessage:
    """The MIME message every transport sends. Header values are forced to one safe line."""
    message = EmailMessage()
    message["From"] = header_safe(sender)
    message["To"] = header_safe(email.to)
    message["Subject"] = header_safe(email.subject)
    message["Message-ID"] = header_safe(message_id)
    message["Date"] = formatdate(usegmt=True)
    message.set_content(email.text)
    return message


class FolderMailer:
    """Writes `<folder>/<message-id>.eml`; the write is atomic, so a reader never sees half a message."""

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    def send(self, email: Email, message_id: str) -> None:
        name = "".join(ch for ch in message_id if ch.isalnum() or ch in "-_.@") + ".eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{name}.partial"
            partial.write_bytes(bytes(build_mime(email, message_id, self.sender)))
            os.replace(partial, self.folder / name)
        except OSError as error:
            raise DeliveryFailed(f"could not write {name}: {error.strerror}") from None

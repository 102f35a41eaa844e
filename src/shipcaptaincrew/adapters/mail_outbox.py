"""The local mail transport: each message becomes a readable `.eml` file in the data folder."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from shipcaptaincrew.domain.mail import Email, header_safe
from shipcaptaincrew.ports import DeliveryFailed

if TYPE_CHECKING:  # the email package loads with the first message, not at start-up (Lambda cold start)
    from email.message import EmailMessage


def build_mime(email: Email, message_id: str, sender: str) -> EmailMessage:
    """The MIME message every transport sends: a text part, and an HTML alternative when the message has a
    template. Header values are forced to one safe line, so nothing a guest typed can add a header."""
    from email.message import EmailMessage
    from email.utils import formatdate

    message = EmailMessage()
    message["From"] = header_safe(sender)
    message["To"] = header_safe(email.to)
    # Exactly one recipient, as the envelope has: a To header must never name extra ones (Gmail sends to them all).
    if [address.addr_spec for address in message["To"].addresses] != [envelope_address(email.to)]:
        raise DeliveryFailed(f"{header_safe(email.to)[:120]!r} is not one address mail can be sent to")
    message["Subject"] = header_safe(email.subject)
    message["Message-ID"] = header_safe(message_id)
    message["Date"] = formatdate(usegmt=True)
    from shipcaptaincrew.adapters.mail_render import render  # Jinja2 loads with the first message, not at start

    text, html = render(email)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def wire_bytes(message: EmailMessage) -> bytes:
    """The message as it travels: CRLF line ends, as SMTP, SES and Gmail expect."""
    from email import policy

    return message.as_bytes(policy=policy.SMTP)


_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\\\"]+@[^@\s<>()\[\],;:\\\"]+")


def envelope_address(text: str) -> str:
    """The bare address for an SMTP envelope or an API's recipient list; DeliveryFailed if it is not exactly one.

    `a@example.org` and `Name <a@example.org>` pass; `a@example.org, b@example.org` or text after the address do not.
    """
    from email.utils import parseaddr

    safe = header_safe(text)
    address = parseaddr(safe)[1]
    if not _ADDRESS.fullmatch(address) or not (safe == address or safe.endswith(f"<{address}>")):
        raise DeliveryFailed(f"{header_safe(text)[:120]!r} is not an address mail can be sent to")
    return address


class FolderMailer:
    """Writes `<folder>/<message-id>.eml`; the write is atomic, so a reader never sees half a message."""

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    def send(self, email: Email, message_id: str) -> str:
        name = "".join(ch for ch in message_id if ch.isalnum() or ch in "-_.@") + ".eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{name}.partial"
            partial.write_bytes(bytes(build_mime(email, message_id, self.sender)))
            os.replace(partial, self.folder / name)
        except OSError as error:
            raise DeliveryFailed(f"could not write {name}: {error.strerror}") from None
        return f"written to {self.folder / name}"

    def describe(self) -> str:
        return f"folder: .eml files in {self.folder}"

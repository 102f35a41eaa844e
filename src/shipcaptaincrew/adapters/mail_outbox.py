"""The local mail transport: each message becomes a readable `.eml` file in the data folder."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shipcaptaincrew.domain.mail import Email, header_safe
from shipcaptaincrew.ports import DeliveryFailed

if TYPE_CHECKING:  # the email package loads with the first message, not at start-up (Lambda cold start)
    from email.message import Message
    from email.policy import Policy


def build_mime(email: Email, message_id: str, sender: str) -> Message:
    """The MIME message every transport sends: a text part, and an HTML alternative when the message has a
    template. Header values are forced to one safe line, so nothing a guest typed can add a header; names and
    subjects beyond ASCII are RFC 2047 encoded words; `From` and `To` each name exactly one address.

    Built with the email package's compat32 classes: the default policy parses and refolds every header it is
    given, which cost more than the rest of a delivery together.
    """
    from email.utils import formatdate

    from shipcaptaincrew.adapters.mail_render import render  # Jinja2 loads with the first message, not at start

    message = _body(*render(email))
    message["From"] = _mailbox(sender)[0]
    message["To"], recipient = _mailbox(email.to)
    # Exactly one recipient, as the envelope has: a To header must never name extra ones (Gmail sends to them all).
    if recipient != envelope_address(email.to):
        raise DeliveryFailed(f"{header_safe(email.to)[:120]!r} is not one address mail can be sent to")
    message["Subject"] = _text_header("Subject", header_safe(email.subject))
    message["Message-ID"] = header_safe(message_id)
    message["Date"] = formatdate(usegmt=True)
    return message


def wire_bytes(message: Message) -> bytes:
    """The message as it travels: CRLF line ends, as SMTP, SES and Gmail expect."""
    return message.as_bytes(policy=_policy("\r\n"))


@functools.cache
def _policy(linesep: str) -> Policy:
    """compat32 with a short cut: a short one-line ASCII header is written as it is, which is exactly what its
    folding produces, without the `Header` object compat32 builds for every value (a third of the writing)."""
    from email.policy import Compat32

    class OneLineHeaders(Compat32):
        def fold_binary(self, name: str, value: Any) -> bytes:
            if isinstance(value, str) and value.isascii() and len(name) + len(value) < 76 and value.isprintable():
                return f"{name}: {value}{self.linesep}".encode("ascii")
            return super().fold_binary(name, value)

    return OneLineHeaders(linesep=linesep)


@functools.lru_cache(maxsize=1024)  # the sender never changes and patrons repeat; parsing a name costs 0.3 ms
def _mailbox(text: str) -> tuple[str, str]:
    """`text` as the value of an address header naming exactly one mailbox, and that mailbox's address;
    DeliveryFailed for anything else.

    A bare address stays as it is. A display name is parsed the way a reader's mail program parses it
    (the email package's default policy) and written back by `formataddr`: quoted when it needs quotes,
    as an RFC 2047 encoded word when it is not ASCII.
    """
    safe = header_safe(text)
    if _ADDRESS.fullmatch(safe):
        return safe, safe
    from email.policy import default
    from email.utils import formataddr

    addresses = default.header_factory("To", safe).addresses
    if len(addresses) != 1 or not _ADDRESS.fullmatch(addresses[0].addr_spec):
        raise DeliveryFailed(f"{safe[:120]!r} is not one address mail can be sent to")
    [mailbox] = addresses
    return formataddr((mailbox.display_name, mailbox.addr_spec), charset="utf-8"), mailbox.addr_spec


def _text_header(name: str, text: str) -> str:
    """ASCII as it is; anything else as RFC 2047 encoded words, the first sized to share a line with `name`."""
    from email.header import Header

    return text if text.isascii() else Header(text, "utf-8", header_name=name).encode(linesep=" ")


def _body(text: str, html: str) -> Message:
    import secrets
    from email.mime.multipart import MIMEMultipart

    if not html:
        return _text_part(text, "plain")
    # "=_" never occurs in a quoted-printable body, so this boundary cannot collide with the parts and the
    # generator need not search them for one (a regular expression compiled per message).
    message = MIMEMultipart("alternative", boundary=f"=_{secrets.token_hex(16)}")
    for part in (_text_part(text, "plain"), _text_part(html, "html")):
        del part["MIME-Version"]  # once, on the message itself
        message.attach(part)
    return message


def _text_part(body: str, subtype: str) -> Message:
    """UTF-8, quoted-printable: 7-bit clean for every transport, and still readable in a `.eml` file."""
    from email import charset
    from email.mime.nonmultipart import MIMENonMultipart

    utf8 = charset.Charset("utf-8")
    utf8.body_encoding = charset.QP
    part = MIMENonMultipart("text", subtype)
    part.set_payload(body, utf8)
    return part


_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\\\"]+@[^@\s<>()\[\],;:\\\"]+")


@functools.lru_cache(maxsize=1024)  # every transport asks for each message, with the same few senders and patrons
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
            partial.write_bytes(build_mime(email, message_id, self.sender).as_bytes(policy=_policy("\n")))
            os.replace(partial, self.folder / name)
        except OSError as error:
            raise DeliveryFailed(f"could not write {name}: {error.strerror}") from None
        return f"written to {self.folder / name}"

    def describe(self) -> str:
        return f"folder: .eml files in {self.folder}"

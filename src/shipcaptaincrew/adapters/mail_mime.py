"""A message as the bytes every transport sends: MIME headers and parts, folded and encoded as mail servers expect."""

from __future__ import annotations

import base64
import functools
import re
import secrets
from typing import TYPE_CHECKING, Any

from shipcaptaincrew.domain.mail import Attachment, Email, header_safe
from shipcaptaincrew.ports import DeliveryFailed

if TYPE_CHECKING:  # the email package loads with the first message, not at start-up (Lambda cold start)
    from email.policy import Policy


def message_bytes(email: Email, message_id: str, sender: str, linesep: str = "\r\n") -> bytes:
    """The MIME message every transport sends, as bytes with `linesep` line ends (CRLF as SMTP, SES and Gmail
    expect): a text part, and an HTML alternative when the message has a template, both UTF-8 quoted-printable.

    Header values are forced to one safe line, so nothing a guest typed can add a header; names and subjects
    beyond ASCII are RFC 2047 encoded words; `From` and `To` each name exactly one address.

    Written directly rather than by the email package's generator, which cost more than the rest of a delivery
    together; headers are folded and bodies encoded by the same email-package functions the generator calls, and
    a test holds the bytes equal to what it writes.
    """
    from shipcaptaincrew.adapters.mail_render import render  # Jinja2 loads with the first message, not at start

    text, html = render(email)
    headers = _address_headers(email, message_id, sender)
    if email.attachments:
        return _mixed(headers, _content(text, html, linesep), email.attachments, linesep)
    top, body = _content(text, html, linesep)
    return _headers([*top, *headers], linesep) + body


def _content(text: str, html: str, linesep: str) -> tuple[list[tuple[str, str]], bytes]:
    """The readable part: its headers (MIME-Version among them) and the bytes after them (blank line included)."""
    if not html:
        return _TEXT_PART_HEADERS["plain"], _body(text, linesep)
    # "=_" never occurs in a quoted-printable body, so this boundary cannot collide with the parts.
    boundary = f"=_{secrets.token_hex(16)}"
    out = _lines("\n", linesep)
    for index, (subtype, body) in enumerate((("plain", text), ("html", html))):
        out += _lines(f"{chr(10) if index else ''}--{boundary}\n", linesep)  # a blank line between parts
        out += _headers(_TEXT_PART_HEADERS[subtype][1:], linesep) + _body(body, linesep)
    top = [("Content-Type", f'multipart/alternative; boundary="{boundary}"'), ("MIME-Version", "1.0")]
    return top, out + _lines(f"\n--{boundary}--\n", linesep)


def _mixed(
    headers: list[tuple[str, str]],
    content: tuple[list[tuple[str, str]], bytes],
    files: tuple[Attachment, ...],
    linesep: str,
) -> bytes:
    """multipart/mixed: the readable part first, then each file, base64 (its name ASCII, as the caller made it)."""
    boundary = f"=_{secrets.token_hex(16)}"  # base64 and quoted-printable never contain "=_"
    top = [("Content-Type", f'multipart/mixed; boundary="{boundary}"'), ("MIME-Version", "1.0"), *headers]
    out = _headers(top, linesep) + _lines(f"\n--{boundary}\n", linesep)
    out += _headers([header for header in content[0] if header[0] != "MIME-Version"], linesep) + content[1]
    for file in files:
        name = header_safe(file.filename).replace('"', "")
        part = [
            ("Content-Type", f'{file.content_type}; name="{name}"'),
            ("Content-Transfer-Encoding", "base64"),
            ("Content-Disposition", f'attachment; filename="{name}"'),
        ]
        encoded = base64.encodebytes(file.data).decode("ascii")
        out += _lines(f"\n--{boundary}\n", linesep) + _headers(part, linesep) + _lines(f"\n{encoded}", linesep)
    return out + _lines(f"\n--{boundary}--\n", linesep)


def _address_headers(email: Email, message_id: str, sender: str) -> list[tuple[str, str]]:
    from email.utils import formatdate

    to, recipient = _mailbox(email.to)
    # Exactly one recipient, as the envelope has: a To header must never name extra ones (Gmail sends to them all).
    if recipient != envelope_address(email.to):
        raise DeliveryFailed(f"{header_safe(email.to)[:120]!r} is not one address mail can be sent to")
    subject = _text_header("Subject", header_safe(email.subject))
    return [
        ("From", _mailbox(sender)[0]),
        ("To", to),
        ("Subject", subject),
        ("Message-ID", header_safe(message_id)),
        ("Date", formatdate(usegmt=True)),
    ]


_TEXT_PART_HEADERS = {  # a part's own MIME-Version is dropped inside a multipart: it goes once, on the message
    subtype: [("MIME-Version", "1.0"), ("Content-Type", f'text/{subtype}; charset="utf-8"'),
              ("Content-Transfer-Encoding", "quoted-printable")]
    for subtype in ("plain", "html")
}  # fmt: skip


def _body(text: str, linesep: str) -> bytes:
    """The blank line that ends a part's headers, then its text."""
    return _lines(f"\n{_quoted_printable(text)}", linesep)


def _quoted_printable(text: str) -> str:
    """UTF-8, quoted-printable: 7-bit clean for every transport, and still readable in a `.eml` file.

    `body_encode` encodes each character by its code point; the UTF-8 bytes go through it as Latin-1 characters,
    as the email package's own `Charset.body_encode` does.
    """
    from email.quoprimime import body_encode

    return body_encode(text.encode("utf-8").decode("latin-1"))


def _headers(headers: list[tuple[str, str]], linesep: str) -> bytes:
    fold = _policy(linesep).fold_binary
    return b"".join(fold(name, value) for name, value in headers)


def _lines(text: str, linesep: str) -> bytes:
    """Text with its line ends made `linesep`; bodies here are quoted-printable, so ASCII."""
    return (text if linesep == "\n" else text.replace("\n", linesep)).encode("ascii")


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

"""The MIME bytes every transport sends are exactly what the email package's own generator writes."""

from __future__ import annotations

import re
from email import charset, message_from_bytes, policy
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart

import pytest

from shipcaptaincrew.adapters.mail_mime import message_bytes
from shipcaptaincrew.adapters.mail_render import render
from shipcaptaincrew.domain.mail import Email

SENDER = "Harbour Charters <bookings@harbour.example>"
AWKWARD = (
    "Zoë paid $400.00 = all of it\n"
    "From the dock: a line that runs on and on well past seventy-six characters so that it has to be wrapped\n"
    "trailing spaces   \n\ttabbed line\t\n"
    "dots\n.\n..\nwindows line\r\nend without newline"
)
RECEIPT_FACTS = {"patron_name": "Zoë <b>Lindqvist</b>\nFrom the dock", "amount": "400.00", "method": "venmo",
                 "date": "2026-05-23", "period": "pm", "paid": "400.00", "balance": "500.00", "credit": "",
                 "entry_id": "pay_1", "reference": "@zoe = paid " + "z" * 90,
                 "party_path": "/g/2026-05-23-zoe-pm"}  # fmt: skip


def reference_bytes(email: Email, message_id: str, sender: str, linesep: str, boundary: str) -> bytes:
    """The same message built and written by the email package (compat32), as the transports once did."""
    from shipcaptaincrew.adapters.mail_mime import _mailbox, _policy, _text_header

    text, html = render(email)
    message: Message
    if html:
        message = MIMEMultipart("alternative", boundary=boundary)
        for part in (_text_part(text, "plain"), _text_part(html, "html")):
            del part["MIME-Version"]
            message.attach(part)
    else:
        message = _text_part(text, "plain")
    message["From"] = _mailbox(sender)[0]
    message["To"] = _mailbox(email.to)[0]
    message["Subject"] = _text_header("Subject", email.subject)
    message["Message-ID"] = message_id
    message["Date"] = "Sat, 23 May 2026 09:00:00 GMT"
    return message.as_bytes(policy=_policy(linesep))


def _text_part(body: str, subtype: str) -> Message:
    utf8 = charset.Charset("utf-8")
    utf8.body_encoding = charset.QP
    part = MIMENonMultipart("text", subtype)
    part.set_payload(body, utf8)
    return part


def dated(raw: bytes) -> bytes:
    """The message with the reference's date (the one value that differs per message besides the boundary)."""
    return re.sub(rb"Date: [^\r\n]+", b"Date: Sat, 23 May 2026 09:00:00 GMT", raw)


def boundary_of(raw: bytes) -> str:
    found = re.search(rb'boundary="(=_[0-9a-f]{32})"', raw)
    return found.group(1).decode() if found else ""


CASES = {
    "plain ascii": Email("sarah@example.org", "Payment received", "Hello Sarah\nThanks.\n"),
    "names and subject beyond ascii, long": Email(
        "Zoë Ångström <zoe@example.org>", "Payment received \u2013 thanks, Zoë " + "x" * 70, AWKWARD
    ),
    "templated receipt: text and html": Email(
        '"O\'Neil, Zoë" <zoe@example.org>', "Receipt", AWKWARD, "receipt", RECEIPT_FACTS
    ),
}


@pytest.mark.parametrize("email", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("linesep", ["\r\n", "\n"], ids=["crlf", "lf"])
def test_the_bytes_equal_the_email_packages_own_output(email: Email, linesep: str) -> None:
    ours = dated(message_bytes(email, "<m-1@shipcaptaincrew>", SENDER, linesep))

    assert ours == reference_bytes(email, "<m-1@shipcaptaincrew>", SENDER, linesep, boundary_of(ours))


def test_a_reader_gets_back_exactly_the_text_and_html_that_were_rendered() -> None:
    email = CASES["templated receipt: text and html"]
    text, html = render(email)

    parsed = message_from_bytes(message_bytes(email, "<m-1@shipcaptaincrew>", SENDER), policy=policy.default)

    plain, rich = parsed.get_body(("plain",)), parsed.get_body(("html",))  # type: ignore[attr-defined]
    assert plain.get_content().replace("\r\n", "\n") == text.replace("\r\n", "\n").replace("\r", "\n")
    assert rich.get_content().replace("\r\n", "\n") == html.replace("\r\n", "\n")
    assert parsed["To"].addresses[0].display_name == "O'Neil, Zoë"
    assert not parsed.defects

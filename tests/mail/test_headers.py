"""No value a patron, guest or operator typed can add a header or a recipient, whatever the transport."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from shipcaptaincrew.adapters.gmail_oauth import GmailToken, GmailTokens
from shipcaptaincrew.adapters.gmail_token_store import FileTokenStore
from shipcaptaincrew.adapters.mail_folder import FolderMailer
from shipcaptaincrew.adapters.mail_gmail import GmailMailer
from shipcaptaincrew.adapters.mail_ses import SesMailer
from shipcaptaincrew.adapters.mail_smtp import SmtpMailer
from shipcaptaincrew.domain.mail import Email
from shipcaptaincrew.ports import DeliveryFailed, Mailer
from tests.fakes import FakeClock
from tests.mail.servers import FakeGoogle, RecordingHandler, smtp_server

HOSTILE_SENDER = '"Harbour\r\nBcc: spy@evil.example" <bookings@harbour.example>'
HOSTILE = Email(
    to='"Eve\r\nBcc: spy@evil.example\r\n" <eve@example.org>',
    subject="Receipt\r\nBcc: spy@evil.example\r\nContent-Type: text/html\r\n\r\n<b>forged body</b>",
    text="Hello Eve\r\nBcc: spy@evil.example\r\n",
)
NOT_ONE_ADDRESS = [
    "eve@example.org\r\nBcc: spy@evil.example",
    "eve@example.org, spy@evil.example",
    "spy@evil.example <eve@example.org>",
    "eve@example.org\nspy@evil.example",
]


def assert_harmless(raw: bytes) -> EmailMessage:
    message: EmailMessage = message_from_bytes(raw, policy=policy.default)  # type: ignore[assignment]
    assert message["Bcc"] is None and message.get_all("Content-Type") == [message["Content-Type"]]
    assert [address.addr_spec for address in message["To"].addresses] == ["eve@example.org"]
    assert [address.addr_spec for address in message["From"].addresses] == ["bookings@harbour.example"]
    assert "\n" not in str(message["Subject"]) and "forged body" in str(message["Subject"])
    headers = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in headers and not headers.startswith(b"Bcc:")
    return message


def test_the_folder_transport_writes_no_extra_header(tmp_path: Path) -> None:
    FolderMailer(tmp_path, HOSTILE_SENDER).send(HOSTILE, "<m1@scc>\r\nBcc: spy@evil.example")

    [eml] = tmp_path.glob("*.eml")
    assert_harmless(eml.read_bytes())


def test_smtp_sends_to_the_one_recipient_with_no_extra_header() -> None:
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        SmtpMailer("127.0.0.1", port, "none", HOSTILE_SENDER, timeout=5).send(HOSTILE, "<m1@scc>")

    [received] = handler.received
    assert received.rcpt_tos == ["eve@example.org"] and received.mail_from == "bookings@harbour.example"
    assert_harmless(received.data)


def test_ses_sends_to_the_one_recipient_with_no_extra_header(aws: None) -> None:
    with mock_aws():
        boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity="bookings@harbour.example")
        SesMailer(HOSTILE_SENDER, "us-east-1").send(HOSTILE, "<m1@scc>")
        [sent] = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages

    assert {parseaddr(destination)[1] for destination in sent.destinations} == {"eve@example.org"}
    assert_harmless(sent.raw_data.encode())


@pytest.fixture
def gmail(google: FakeGoogle, tmp_path: Path) -> Iterator[GmailMailer]:
    store = FileTokenStore(tmp_path / "token.json")
    store.save(GmailToken(google.client_id, google.client_secret, "refresh-good"))
    yield GmailMailer(GmailTokens(store, GmailToken(), FakeClock(), google.token_url), HOSTILE_SENDER, google.url)


def test_gmail_gets_a_raw_message_with_one_recipient_and_no_extra_header(
    gmail: GmailMailer, google: FakeGoogle
) -> None:
    gmail.send(HOSTILE, "<m1@scc>")

    [raw] = google.sent
    assert_harmless(raw)


@pytest.mark.parametrize("to", NOT_ONE_ADDRESS)
def test_a_recipient_that_is_not_exactly_one_address_is_refused_by_every_transport(
    to: str, gmail: GmailMailer, google: FakeGoogle, tmp_path: Path
) -> None:
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        mailers: list[Mailer] = [
            FolderMailer(tmp_path / "eml", HOSTILE_SENDER),
            gmail,
            SmtpMailer("127.0.0.1", port, "none", HOSTILE_SENDER, timeout=5),
        ]
        for mailer in mailers:
            with pytest.raises(DeliveryFailed, match=r"not .*address"):
                mailer.send(Email(to, "Hi", "Hello\n"), "<m1@scc>")

    assert handler.received == [] and google.sent == [] and list(tmp_path.glob("eml/*.eml")) == []


def test_names_and_subjects_beyond_ascii_travel_as_encoded_words(tmp_path: Path) -> None:
    subject = "Zahlung erhalten \u2013 Größe \u2713 " * 4
    FolderMailer(tmp_path, "Hafen Überfahrt <bookings@harbour.example>").send(
        Email("Zoë Ünal <zoe@example.org>", subject, "Hallo Zoë\n"), "<m1@scc>"
    )

    [eml] = tmp_path.glob("*.eml")
    raw = eml.read_bytes()
    message: EmailMessage = message_from_bytes(raw, policy=policy.default)  # type: ignore[assignment]
    assert raw.isascii() and b"=?utf-8?" in raw.split(b"\n\n", 1)[0]
    assert [(address.display_name, address.addr_spec) for address in message["To"].addresses] == [
        ("Zoë Ünal", "zoe@example.org")
    ]
    assert message["From"].addresses[0].display_name == "Hafen Überfahrt" and message["Subject"] == subject.strip()
    assert message.get_content() == "Hallo Zoë\n"

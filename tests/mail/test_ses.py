"""The SES transport (sesv2, raw MIME) and the SSM token store, through moto in-process."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_string, policy
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from shipcaptaincrew.adapters.gmail_oauth import GmailToken
from shipcaptaincrew.adapters.mail_ses import SesMailer
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.mail import Email
from shipcaptaincrew.ports import DeliveryFailed
from tests.fakes import FakeClock
from tests.mail.conftest import OpenContext
from tests.mail.servers import FakeGoogle

SENDER = "Harbour Charters <bookings@harbour.example>"
RECEIPT = Email("sarah@example.org", "Payment received", "We received your payment.\n", "", {})


@pytest.fixture
def ses(aws: None) -> Iterator[None]:
    with mock_aws():
        boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity="bookings@harbour.example")
        yield


def sent_raw() -> list[str]:
    return [message.raw_data for message in ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages]


def test_ses_sends_the_raw_mime_message_with_its_message_id(ses: None) -> None:
    answer = SesMailer(SENDER, "us-east-1").send(RECEIPT, "<msg-1@shipcaptaincrew>")

    [raw] = sent_raw()
    message = message_from_string(raw, policy=policy.default)
    assert answer.startswith("accepted by SES, message id ")
    assert message["Message-ID"] == "<msg-1@shipcaptaincrew>" and message["To"] == "sarah@example.org"
    assert message["From"] == SENDER


def test_ses_refusing_an_unverified_sender_is_a_delivery_failure(ses: None) -> None:
    with pytest.raises(DeliveryFailed, match="SES refused the message"):
        SesMailer("Someone <nobody@unverified.example>", "us-east-1").send(RECEIPT, "<msg-2@shipcaptaincrew>")

    assert sent_raw() == []


def test_on_aws_the_gmail_token_lives_in_ssm_and_a_refreshed_token_is_written_back(
    aws: None, google: FakeGoogle, tmp_path: Path, contexts: OpenContext
) -> None:
    env = {
        "SCC_DATA_DIR": str(tmp_path),
        "SCC_MAIL_TRANSPORT": "gmail",
        "SCC_GMAIL_TOKEN_STORE": "ssm",
        "SCC_GMAIL_SSM_PARAMETER": "/scc/prod/gmail-token",
        "SCC_GMAIL_TOKEN_URL": google.token_url,
        "SCC_GMAIL_API_URL": google.url,
    }
    with mock_aws():
        ssm = boto3.client("ssm", region_name="us-east-1")
        stored = GmailToken(google.client_id, google.client_secret, "refresh-good")
        ssm.put_parameter(Name="/scc/prod/gmail-token", Value=stored.to_json(), Type="SecureString")
        ctx = contexts(Settings.from_env(env), FakeClock())

        ctx.mailer.send(RECEIPT, "<msg-3@shipcaptaincrew>")

        parameter = ssm.get_parameter(Name="/scc/prod/gmail-token", WithDecryption=True)["Parameter"]
        written = GmailToken.from_json(parameter["Value"])
    assert parameter["Type"] == "SecureString" and parameter["Version"] == 2
    assert (written.refresh_token, written.access_token) == ("refresh-good", "access-1")
    assert len(google.sent) == 1

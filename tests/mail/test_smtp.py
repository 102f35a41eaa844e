"""The SMTP transport against a real aiosmtpd server on loopback."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.mail_smtp import SmtpMailer
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain import mail
from shipcaptaincrew.domain.mail import Email, OutboxMessage
from shipcaptaincrew.ports import DeliveryFailed
from shipcaptaincrew.services import outbox
from tests.fakes import FakeClock
from tests.mail.conftest import OpenContext
from tests.mail.servers import (
    SMTP_PASSWORD,
    SMTP_USER,
    Certificate,
    RecordingHandler,
    hanging_up_smtp_server,
    smtp_server,
)

SENDER = "Harbour Charters <bookings@harbour.example>"
RECEIPT = Email("sarah@example.org", "Payment received - 2026-05-23 pm charter", "We received your payment.\n")


def mailer(port: int, security: str = "none", certificate: Certificate | None = None, **more: str) -> SmtpMailer:
    context = certificate.client_context() if certificate else None
    return SmtpMailer("127.0.0.1", port, security, SENDER, ssl_context=context, timeout=5, **more)  # type: ignore[arg-type]


def test_a_message_goes_to_the_server_with_the_envelope_and_headers_it_should_have() -> None:
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        answer = mailer(port).send(RECEIPT, "<msg-1@shipcaptaincrew>")

    [received] = handler.received
    assert answer.startswith("250 2.0.0 Ok: queued as TEST123")
    assert (received.mail_from, received.rcpt_tos) == ("bookings@harbour.example", ["sarah@example.org"])
    assert received.message["Message-ID"] == "<msg-1@shipcaptaincrew>"
    assert received.message["From"] == SENDER and received.message["To"] == "sarah@example.org"


def test_starttls_with_auth_delivers_over_an_encrypted_connection(certificate: Certificate) -> None:
    handler = RecordingHandler()
    with smtp_server(handler, certificate, auth=True) as port:
        smtp = mailer(port, "starttls", certificate, username=SMTP_USER, password=SMTP_PASSWORD)
        smtp.send(RECEIPT, "<msg-2@shipcaptaincrew>")

    assert [r.rcpt_tos for r in handler.received] == [["sarah@example.org"]]


def test_a_wrong_password_is_a_delivery_failure_that_does_not_show_the_password(certificate: Certificate) -> None:
    with smtp_server(RecordingHandler(), certificate, auth=True) as port:
        smtp = mailer(port, "starttls", certificate, username=SMTP_USER, password="not-the-password")
        with pytest.raises(DeliveryFailed, match="535") as failure:
            smtp.send(RECEIPT, "<msg-3@shipcaptaincrew>")

    assert "not-the-password" not in str(failure.value)


def test_implicit_tls_with_auth_delivers(certificate: Certificate) -> None:
    handler = RecordingHandler()
    with smtp_server(handler, certificate, implicit_tls=True, auth=True) as port:
        mailer(port, "tls", certificate, username=SMTP_USER, password=SMTP_PASSWORD).send(RECEIPT, "<m4@scc>")

    assert len(handler.received) == 1


def test_starttls_refuses_a_certificate_it_cannot_trust(certificate: Certificate) -> None:
    with smtp_server(RecordingHandler(), certificate) as port:
        smtp = SmtpMailer("127.0.0.1", port, "starttls", SENDER, ssl_context=ssl.create_default_context(), timeout=5)
        with pytest.raises(DeliveryFailed, match="TLS"):
            smtp.send(RECEIPT, "<msg-5@shipcaptaincrew>")


def test_starttls_never_falls_back_to_clear_text_when_the_server_does_not_offer_it() -> None:
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        with pytest.raises(DeliveryFailed, match="does not offer STARTTLS"):
            mailer(port, "starttls").send(RECEIPT, "<msg-6@shipcaptaincrew>")

    assert handler.received == []


def test_a_4xx_answer_is_a_delivery_failure_naming_the_code() -> None:
    with smtp_server(RecordingHandler(refusals=1)) as port:
        with pytest.raises(DeliveryFailed, match="451"):
            mailer(port).send(RECEIPT, "<msg-7@shipcaptaincrew>")


@pytest.mark.parametrize("step", [b"EHLO", b"MAIL", b"RCPT", b"DATA"])
def test_a_server_that_hangs_up_at_any_step_is_a_delivery_failure(step: bytes) -> None:
    with hanging_up_smtp_server(after=step) as port:
        with pytest.raises(DeliveryFailed, match="closed the connection"):
            mailer(port).send(RECEIPT, "<msg-8@shipcaptaincrew>")


def test_a_server_that_is_not_there_is_a_delivery_failure() -> None:
    with smtp_server(RecordingHandler()) as port:
        pass  # stopped: nothing listens on the port now

    with pytest.raises(DeliveryFailed, match="could not talk to"):
        mailer(port).send(RECEIPT, "<msg-9@shipcaptaincrew>")


def queued(clock: FakeClock) -> OutboxMessage:
    return OutboxMessage("msg-1", "<msg-1@shipcaptaincrew>", RECEIPT, clock.now())


def smtp_settings(tmp_path: Path, port: int) -> Settings:
    env = {"SCC_DATA_DIR": str(tmp_path / "data"), "SCC_MAIL_TRANSPORT": "smtp", "SCC_SMTP_HOST": "127.0.0.1"}
    return Settings.from_env({**env, "SCC_SMTP_PORT": str(port), "SCC_SMTP_SECURITY": "none"})


def test_the_outbox_keeps_a_message_the_server_answered_4xx_and_sends_it_on_the_retry(
    tmp_path: Path, contexts: OpenContext
) -> None:
    handler, clock = RecordingHandler(refusals=1), FakeClock()
    with smtp_server(handler) as port:
        ctx = contexts(smtp_settings(tmp_path, port), clock)
        with ctx.store.writing() as uow:
            uow.outbox.add(queued(clock))

        first = outbox.deliver_due(ctx)
        clock.advance(seconds=10)
        second = outbox.deliver_due(ctx)

    assert (first.failed, second.sent) == (1, 1)
    message = outbox.get(ctx, "msg-1")
    assert (message.status, message.attempts, len(handler.received)) == (mail.SENT, 2, 1)


def test_the_outbox_keeps_a_message_when_the_server_drops_the_connection(tmp_path: Path, contexts: OpenContext) -> None:
    clock = FakeClock()
    with hanging_up_smtp_server() as port:
        ctx = contexts(smtp_settings(tmp_path, port), clock)
        with ctx.store.writing() as uow:
            uow.outbox.add(queued(clock))
        report = outbox.deliver_due(ctx)

    message = outbox.get(ctx, "msg-1")
    assert report.failed == 1
    assert (message.status, message.attempts) == (mail.PENDING, 1)
    assert "closed the connection" in message.last_error

"""Gmail: token refresh against a loopback server speaking Google's OAuth token protocol, sending through a
loopback Gmail API, and messages that wait in the outbox (never lost) while there is no usable token."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from shipcaptaincrew.adapters.gmail_oauth import GmailToken, GmailTokens
from shipcaptaincrew.adapters.gmail_token_store import FileTokenStore
from shipcaptaincrew.adapters.mail_gmail import GmailMailer
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain import mail
from shipcaptaincrew.domain.mail import Email, OutboxMessage
from shipcaptaincrew.ports import CredentialsUnavailable, DeliveryFailed
from shipcaptaincrew.services import outbox
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.app import create_app
from tests.fakes import FakeClock
from tests.mail.conftest import OpenContext
from tests.mail.servers import FakeGoogle

RECEIPT = Email("sarah@example.org", "Payment received", "We received your payment.\n")


def token(google: FakeGoogle, refresh: str = "refresh-good", **more: object) -> GmailToken:
    return GmailToken(google.client_id, google.client_secret, refresh, **more)  # type: ignore[arg-type]


def gmail(google: FakeGoogle, store: FileTokenStore, clock: FakeClock) -> GmailMailer:
    tokens = GmailTokens(store, GmailToken(), clock, google.token_url, timeout=5)
    return GmailMailer(tokens, "Harbour <bookings@harbour.example>", google.url, timeout=5)


def test_an_expired_access_token_is_refreshed_then_reused_until_shortly_before_it_expires(
    google: FakeGoogle, tmp_path: Path, clock: FakeClock
) -> None:
    store = FileTokenStore(tmp_path / "gmail-token.json")
    store.save(token(google, access_token="access-stale", expires_at=clock.now() - timedelta(minutes=1)))
    mailer = gmail(google, store, clock)

    first = mailer.send(RECEIPT, "<m1@scc>")
    mailer.send(RECEIPT, "<m2@scc>")
    clock.advance(minutes=54)
    mailer.send(RECEIPT, "<m3@scc>")  # 6 minutes left: still good
    clock.advance(minutes=2)
    mailer.send(RECEIPT, "<m4@scc>")  # 4 minutes left: refreshed first

    assert first == "accepted by Gmail, message id gmail-1"
    assert len(google.sent) == 4 and google.issued == ["access-1", "access-2"]
    assert [call["grant_type"] for call in google.token_calls] == ["refresh_token", "refresh_token"]


def test_the_refreshed_token_is_written_back_so_another_process_does_not_refresh_again(
    google: FakeGoogle, tmp_path: Path, clock: FakeClock
) -> None:
    store = FileTokenStore(tmp_path / "gmail-token.json")
    store.save(token(google))
    gmail(google, store, clock).send(RECEIPT, "<m1@scc>")

    gmail(google, store, clock).send(RECEIPT, "<m2@scc>")  # a second process, same store

    saved = store.load()
    assert saved is not None and saved.access_token == "access-1"
    assert saved.expires_at == clock.now() + timedelta(seconds=3600)
    assert len(google.token_calls) == 1


def test_a_revoked_refresh_token_is_credentials_unavailable_saying_what_to_do(
    google: FakeGoogle, tmp_path: Path, clock: FakeClock
) -> None:
    store = FileTokenStore(tmp_path / "gmail-token.json")
    store.save(token(google, refresh="refresh-revoked"))

    with pytest.raises(CredentialsUnavailable, match=r"invalid_grant.*scc mail gmail-auth") as failure:
        gmail(google, store, clock).send(RECEIPT, "<m1@scc>")

    assert google.client_secret not in str(failure.value) and "refresh-revoked" not in str(failure.value)
    assert google.sent == []


def test_no_token_at_all_is_credentials_unavailable_and_google_is_not_asked(
    google: FakeGoogle, tmp_path: Path, clock: FakeClock
) -> None:
    with pytest.raises(CredentialsUnavailable, match="refresh_token"):
        gmail(google, FileTokenStore(tmp_path / "none.json"), clock).send(RECEIPT, "<m1@scc>")

    assert google.token_calls == []


def test_an_unreachable_token_endpoint_is_credentials_unavailable(tmp_path: Path, clock: FakeClock) -> None:
    google = FakeGoogle(port=1)  # nothing listens on port 1
    store = FileTokenStore(tmp_path / "gmail-token.json")
    store.save(token(google))

    with pytest.raises(CredentialsUnavailable, match="could not reach"):
        gmail(google, store, clock).send(RECEIPT, "<m1@scc>")


def test_an_access_token_gmail_refuses_is_dropped_and_a_new_one_fetched_for_the_next_try(
    google: FakeGoogle, tmp_path: Path, clock: FakeClock
) -> None:
    store = FileTokenStore(tmp_path / "gmail-token.json")
    store.save(token(google))
    mailer = gmail(google, store, clock)
    mailer.send(RECEIPT, "<m1@scc>")
    google.revoked_access.add("access-1")

    with pytest.raises(DeliveryFailed, match="401"):
        mailer.send(RECEIPT, "<m2@scc>")
    mailer.send(RECEIPT, "<m3@scc>")

    assert google.issued == ["access-1", "access-2"] and len(google.sent) == 2


def test_a_gmail_server_error_is_a_plain_delivery_failure_to_retry(
    google: FakeGoogle, tmp_path: Path, clock: FakeClock
) -> None:
    store = FileTokenStore(tmp_path / "gmail-token.json")
    store.save(token(google))
    google.send_status = 503

    with pytest.raises(DeliveryFailed, match="503") as failure:
        gmail(google, store, clock).send(RECEIPT, "<m1@scc>")

    assert not isinstance(failure.value, CredentialsUnavailable)


def test_the_token_file_is_readable_by_its_owner_only(google: FakeGoogle, tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "gmail-token.json")

    store.save(token(google))

    assert (tmp_path / "gmail-token.json").stat().st_mode & 0o777 == 0o600


def test_settings_fill_in_what_the_store_lacks(google: FakeGoogle, tmp_path: Path, clock: FakeClock) -> None:
    tokens = GmailTokens(FileTokenStore(tmp_path / "none.json"), token(google), clock, google.token_url)

    assert tokens.access_token() == "access-1"


def gmail_context(contexts: OpenContext, tmp_path: Path, google: FakeGoogle, clock: FakeClock, **env: str) -> Context:
    urls = {"SCC_GMAIL_TOKEN_URL": google.token_url, "SCC_GMAIL_API_URL": google.url}
    settings = Settings.from_env({"SCC_DATA_DIR": str(tmp_path / "data"), "SCC_MAIL_TRANSPORT": "gmail", **urls, **env})
    return contexts(settings, clock)


def queue(ctx: Context, *ids: str) -> None:
    with ctx.store.writing() as uow:
        for message_id in ids:
            uow.outbox.add(OutboxMessage(message_id, f"<{message_id}@scc>", RECEIPT, ctx.clock.now()))


def test_with_a_revoked_token_messages_wait_in_the_outbox_and_healthz_says_so(
    google: FakeGoogle, tmp_path: Path, clock: FakeClock, contexts: OpenContext
) -> None:
    ctx = gmail_context(contexts, tmp_path, google, clock)
    FileTokenStore(tmp_path / "data" / "gmail-token.json").save(token(google, refresh="refresh-revoked"))
    queue(ctx, "msg-1", "msg-2", "msg-3")

    report = outbox.deliver_due(ctx)
    with TestClient(create_app(ctx)) as client:
        health = client.get("/healthz").json()

    assert (report.sent, report.failed, report.dead, report.waiting) == (0, 0, 0, 3)
    assert len(google.token_calls) == 1  # asked once for the batch, not once per message
    waiting = outbox.get(ctx, "msg-1")
    assert (waiting.status, waiting.attempts) == (mail.WAITING, 0) and "invalid_grant" in waiting.last_error
    assert health["status"] == "ok" and health["mail"] == {"transport": "gmail", "waiting_for_credentials": 3}


def test_waiting_messages_are_never_dead_lettered_and_go_out_once_a_new_token_is_stored(
    google: FakeGoogle, tmp_path: Path, clock: FakeClock, contexts: OpenContext
) -> None:
    ctx = gmail_context(contexts, tmp_path, google, clock)
    store = FileTokenStore(tmp_path / "data" / "gmail-token.json")
    store.save(token(google, refresh="refresh-revoked"))
    queue(ctx, "msg-1")
    for _ in range(10):  # far more rounds than the retry schedule allows
        outbox.deliver_due(ctx)
        clock.advance(minutes=2)

    store.save(token(google, refresh="refresh-good"))
    released = outbox.release_waiting(ctx)
    report = outbox.deliver_due(ctx)

    assert released == 1 and report.sent == 1
    assert outbox.get(ctx, "msg-1").status == mail.SENT and len(google.sent) == 1
    assert outbox.waiting_count(ctx) == 0


def test_a_waiting_message_is_tried_again_by_itself_after_the_recheck_delay(
    google: FakeGoogle, tmp_path: Path, clock: FakeClock, contexts: OpenContext
) -> None:
    ctx = gmail_context(
        contexts,
        tmp_path,
        google,
        clock,
        SCC_GMAIL_CLIENT_ID=google.client_id,
        SCC_GMAIL_CLIENT_SECRET=google.client_secret,
    )
    queue(ctx, "msg-1")
    outbox.deliver_due(ctx)  # no refresh token anywhere: waits
    FileTokenStore(tmp_path / "data" / "gmail-token.json").save(token(google))  # stored by another process

    too_soon = outbox.deliver_due(ctx)
    clock.advance(seconds=mail.CREDENTIALS_RECHECK.total_seconds())
    later = outbox.deliver_due(ctx)

    assert (too_soon.sent, later.sent) == (0, 1)


def test_no_secret_reaches_the_log_when_delivery_waits_for_credentials(
    google: FakeGoogle,
    tmp_path: Path,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    contexts: OpenContext,
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = {"SCC_GMAIL_CLIENT_SECRET": google.client_secret, "SCC_GMAIL_REFRESH_TOKEN": "refresh-revoked"}
    ctx = gmail_context(contexts, tmp_path, google, clock, SCC_GMAIL_CLIENT_ID=google.client_id, **secrets)
    queue(ctx, "msg-1")

    outbox.deliver_due(ctx)

    assert "invalid_grant" in caplog.text
    for text in (caplog.text, repr(ctx), repr(Settings.from_env(secrets))):
        assert google.client_secret not in text and "refresh-revoked" not in text

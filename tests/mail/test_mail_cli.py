"""`scc mail test`, `scc mail gmail-auth` and `scc outbox list` for waiting mail, as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from click.testing import CliRunner

from shipcaptaincrew.adapters.gmail_consent import RedirectListener, code_from_redirect, start_consent
from shipcaptaincrew.adapters.gmail_token_store import FileTokenStore
from shipcaptaincrew.cli import cli
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.mail import Email, OutboxMessage
from shipcaptaincrew.services import outbox
from tests.fakes import FakeClock
from tests.mail.conftest import OpenContext
from tests.mail.servers import SMTP_PASSWORD, SMTP_USER, Certificate, FakeGoogle, RecordingHandler, smtp_server


def smtp_env(tmp_path: Path, port: int, **more: str) -> dict[str, str]:
    return {
        "SCC_DATA_DIR": str(tmp_path / "data"),
        "SCC_MAIL_TRANSPORT": "smtp",
        "SCC_SMTP_HOST": "127.0.0.1",
        "SCC_SMTP_PORT": str(port),
        "SCC_SMTP_SECURITY": "none",
        **more,
    }


def test_mail_test_says_which_transport_and_server_and_what_the_server_answered(tmp_path: Path) -> None:
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        result = CliRunner().invoke(cli, ["mail", "test", "--to", "me@example.org"], env=smtp_env(tmp_path, port))

    assert result.exit_code == 0, result.output
    assert f"transport: smtp: 127.0.0.1:{port}, none, without AUTH" in result.output
    assert "sent: 250 2.0.0 Ok: queued as TEST123" in result.output
    assert handler.received[0].rcpt_tos == ["me@example.org"]


def test_mail_test_reports_the_error_and_exits_1_without_showing_the_password(
    tmp_path: Path, certificate: Certificate
) -> None:
    with smtp_server(RecordingHandler(), certificate, auth=True) as port:
        env = smtp_env(tmp_path, port, SCC_SMTP_USERNAME=SMTP_USER, SCC_SMTP_PASSWORD=SMTP_PASSWORD)
        result = CliRunner().invoke(cli, ["mail", "test", "--to", "me@example.org"], env=env)

    assert result.exit_code == 1
    assert "with AUTH" in result.output and "not sent:" in result.output and "does not offer AUTH" in result.output
    assert SMTP_PASSWORD not in result.output and SMTP_USER not in result.output


def gmail_env(tmp_path: Path, google: FakeGoogle) -> dict[str, str]:
    return {
        "SCC_DATA_DIR": str(tmp_path / "data"),
        "SCC_MAIL_TRANSPORT": "gmail",
        "SCC_GMAIL_TOKEN_URL": google.token_url,
        "SCC_GMAIL_API_URL": google.url,
    }


def test_mail_test_through_gmail_without_a_token_says_to_run_gmail_auth(tmp_path: Path, google: FakeGoogle) -> None:
    result = CliRunner().invoke(cli, ["mail", "test", "--to", "me@example.org"], env=gmail_env(tmp_path, google))

    assert result.exit_code == 1
    assert "transport: gmail:" in result.output and "no usable credentials" in result.output
    assert "scc mail gmail-auth" in result.output


def consent_answer(google: FakeGoogle, prompt_output: str) -> str:
    """Play Google's consent page: read the address the command printed, redirect with a code for its challenge."""
    [url] = [word for word in prompt_output.split() if word.startswith("https://accounts.google.com/")]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    google.codes["code-1"] = query["code_challenge"]
    return f"{query['redirect_uri']}?state={query['state']}&code=code-1&scope=gmail.send"


def test_gmail_auth_stores_a_refresh_token_and_the_waiting_mail_goes_out(
    tmp_path: Path, google: FakeGoogle, clock: FakeClock, contexts: OpenContext
) -> None:
    env = gmail_env(tmp_path, google)
    ctx = contexts(Settings.from_env(env), clock)
    with ctx.store.writing() as uow:
        uow.outbox.add(OutboxMessage("msg-1", "<msg-1@scc>", Email("me@example.org", "Hi", "Hello\n"), clock.now()))
    assert outbox.deliver_due(ctx).waiting == 1

    command = [sys.executable, "-m", "shipcaptaincrew", "mail", "gmail-auth", "--client-id", google.client_id,
               "--client-secret-stdin", "--timeout", "20"]  # fmt: skip
    with subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as operator:
        assert operator.stdin is not None and operator.stdout is not None
        operator.stdin.write(google.client_secret + "\n")
        operator.stdin.flush()
        printed = "".join(iter_until(operator.stdout, "Waiting up to"))
        urllib.request.urlopen(consent_answer(google, printed), timeout=10).read()  # the browser comes back
        output = printed + operator.communicate(timeout=20)[0]

    assert operator.returncode == 0, output
    assert "Stored the Gmail token in file" in output and "1 message(s) waiting for credentials" in output
    assert google.client_secret not in output and "refresh-new" not in output and "access-" not in output
    stored = FileTokenStore(tmp_path / "data" / "gmail-token.json").load()
    assert stored is not None and stored.refresh_token == "refresh-new"
    assert (tmp_path / "data" / "gmail-token.json").stat().st_mode & 0o777 == 0o600
    clock.current = datetime.now(UTC)  # the command released the mail by the real clock
    assert outbox.deliver_due(ctx).sent == 1 and len(google.sent) == 1


def test_gmail_auth_on_a_machine_without_a_browser_takes_the_pasted_address(tmp_path: Path, google: FakeGoogle) -> None:
    env = {
        **gmail_env(tmp_path, google),
        "SCC_GMAIL_CLIENT_ID": google.client_id,
        "SCC_GMAIL_CLIENT_SECRET": google.client_secret,
    }
    command = [sys.executable, "-m", "shipcaptaincrew", "mail", "gmail-auth", "--paste"]
    with subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as operator:
        assert operator.stdin is not None and operator.stdout is not None
        printed = "".join(iter_until(operator.stdout, "Copy that address"))
        output = printed + operator.communicate(consent_answer(google, printed) + "\n", timeout=20)[0]

    assert operator.returncode == 0, output
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2F" in printed and "Stored the Gmail token" in output
    stored = FileTokenStore(tmp_path / "data" / "gmail-token.json").load()
    assert stored is not None and (stored.client_id, stored.refresh_token) == (google.client_id, "refresh-new")


def test_gmail_auth_refuses_an_address_from_another_request(tmp_path: Path, google: FakeGoogle) -> None:
    env = {
        **gmail_env(tmp_path, google),
        "SCC_GMAIL_CLIENT_ID": google.client_id,
        "SCC_GMAIL_CLIENT_SECRET": google.client_secret,
    }
    forged = "http://127.0.0.1:8765/?state=not-ours&code=code-1"

    result = CliRunner().invoke(cli, ["mail", "gmail-auth", "--paste"], env=env, input=forged + "\n")

    assert result.exit_code == 1 and "state differs" in result.output
    assert google.token_calls == [] and not (tmp_path / "data" / "gmail-token.json").exists()


def iter_until(stream: IO[str], marker: str) -> Iterator[str]:
    for line in stream:
        yield line
        if marker in line:
            return


def test_outbox_list_shows_waiting_mail_with_the_reason(
    tmp_path: Path, google: FakeGoogle, clock: FakeClock, contexts: OpenContext
) -> None:
    env = gmail_env(tmp_path, google)
    ctx = contexts(Settings.from_env(env), clock)
    with ctx.store.writing() as uow:
        uow.outbox.add(OutboxMessage("msg-1", "<msg-1@scc>", Email("me@example.org", "Hi", "Hello\n"), clock.now()))
    outbox.deliver_due(ctx)

    result = CliRunner().invoke(cli, ["outbox", "list", "--status", "waiting"], env=env)

    assert result.exit_code == 0, result.output
    assert "msg-1  waiting 0 tries  me@example.org  Hi  waiting for credentials: Gmail has no" in result.output


def test_the_consent_flow_exchanges_the_code_through_the_loopback_redirect(google: FakeGoogle) -> None:
    with RedirectListener() as listener:
        consent = start_consent(google.client_id, listener.redirect_uri)
        address = consent_answer(google, consent.url)
        browser = threading.Thread(target=lambda: urllib.request.urlopen(address, timeout=5).read())
        browser.start()
        arrived = listener.wait(5)
        browser.join()

    assert code_from_redirect(arrived, consent) == "code-1"

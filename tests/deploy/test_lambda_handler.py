"""lambda_handler with Function URL events and a scheduled event, on a SQLite store in a temporary folder."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from shipcaptaincrew import lambda_function
from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.on_lambda import ssm_settings
from shipcaptaincrew.services import payments
from tests.builders import PASSWORD, WAIVER_TEXT, event_body
from tests.deploy.conftest import Aws
from tests.deploy.function_urls import FakeContext, json_event, scheduled_event, url_event
from tests.deploy.handler_calls import SECRET_KEY, call, sign_in

LINK_SECRET = "AbCdEfGhIjKlMnOpQrStUvWx"
ORIGIN_SECRET = "cloudfront-adds-this-4f9a"
WINDOW = "from=2026-05-01&to=2026-05-31"


def test_a_post_with_a_base64_body_signs_in(handler: Any) -> None:
    assert sign_in(handler)


def test_a_get_with_a_query_string_lists_the_window(handler: Any) -> None:
    token = sign_in(handler)
    assert call(handler, json_event("POST", "/api/events", event_body(), token=token))[0] == 201

    status, body = call(
        handler, url_event("GET", "/api/events", query=WINDOW, headers={"authorization": f"Bearer {token}"})
    )
    outside, _ = call(
        handler,
        url_event(
            "GET", "/api/events", query="from=2026-06-01&to=2026-06-30", headers={"authorization": f"Bearer {token}"}
        ),
    )

    assert status == 200 and [event["slug"] for event in body["events"]] == ["2026-05-23-sarah-pm"]
    assert body["events"][0]["payment_cleared"] is False
    assert outside == 200


def test_cookies_reach_the_app_as_one_header_and_set_cookie_comes_back_as_cookies(
    handler: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    async def probe(scope: Any, receive: Any, send: Any) -> None:
        seen.update(scope)
        headers = [(b"content-type", b"text/plain"), (b"set-cookie", b"a=1; Secure"), (b"set-cookie", b"b=2; Secure")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    monkeypatch.setattr("shipcaptaincrew.bootstrap.build_app", lambda settings, ctx, **options: probe)

    response = handler(url_event("GET", "/healthz", cookies=["theme=dark", "lang=en"]), FakeContext())

    assert dict(seen["headers"])[b"cookie"] == b"theme=dark; lang=en"
    assert response["cookies"] == ["a=1; Secure", "b=2; Secure"]


def test_without_cloudfronts_secret_header_the_answer_is_403(handler: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_ORIGIN_SECRET", ORIGIN_SECRET)

    missing, _ = call(handler, url_event("GET", "/healthz"))
    wrong, _ = call(handler, url_event("GET", "/healthz", headers={"x-origin-secret": "guess"}))
    right, body = call(handler, url_event("GET", "/healthz", headers={"x-origin-secret": ORIGIN_SECRET}))

    assert (missing, wrong, right) == (403, 403, 200) and body["status"] == "ok"


def test_the_staging_prefix_is_stripped_for_routing_and_kept_in_guest_links(
    handler: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCC_PATH_PREFIX", "/_staging")
    token = sign_in(handler, headers={})
    later = (date.today() + timedelta(days=30)).isoformat()  # open for signing on the real clock
    call(handler, json_event("PUT", "/_staging/api/waiver", {"text": WAIVER_TEXT}, token=token))
    created = call(handler, json_event("POST", "/_staging/api/events", event_body(date=later), token=token))
    assert created[0] == 201
    party = created[1]["guest_url"].removeprefix("/_staging")

    status, page = call(handler, url_event("GET", f"/_staging{party}/waiver"))

    assert status == 200
    assert f'action="/_staging{party}/waiver"' in page


def test_a_scheduled_event_delivers_the_outbox_instead_of_serving(handler: Any, tmp_path: Path) -> None:
    token = sign_in(handler)
    call(handler, json_event("POST", "/api/events", event_body(), token=token))
    ctx = lambda_function._container.ctx  # type: ignore[union-attr]
    payments.log_payment(ctx, "2026-05-23-sarah-pm", PaymentDraft(40000, "venmo", "Sarah Lopez"), "test")

    report = handler(scheduled_event(), FakeContext())

    assert report == {"sent": 2, "failed": 0, "dead": 0}  # the booking's confirmation and the payment's receipt
    assert len(list((tmp_path / "data" / "outbox").glob("*.eml"))) == 2


def test_logs_are_json_lines_with_the_request_id_and_never_a_secret(
    handler: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCC_ORIGIN_SECRET", ORIGIN_SECRET)
    origin = {"x-origin-secret": ORIGIN_SECRET}
    token = sign_in(handler, headers=origin)
    call(handler, url_event("GET", "/api/events", query=WINDOW, headers={"authorization": f"Bearer {token}", **origin}))
    call(handler, url_event("GET", f"/g/2026-05-23-sarah-pm/{LINK_SECRET}/signed/capability-token-123", headers=origin))

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    requests = [line for line in lines if line["message"].startswith(("POST", "GET"))]
    assert [line["status"] for line in requests] == [200, 200, 404]
    assert all(line["request_id"] == "8f1c2d3e-request" for line in requests)
    text = json.dumps(lines)
    assert "/g/2026-05-23-sarah-pm/[redacted]/signed/[redacted]" in text
    for secret in (PASSWORD, token, SECRET_KEY, ORIGIN_SECRET, "capability-token-123", LINK_SECRET, "$argon2id$"):
        assert secret not in text


def test_settings_come_from_ssm_when_the_environment_leaves_them_unset(
    handler: Any, aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    ssm = aws.client("ssm")
    ssm_hash = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024).hash("password kept in ssm")
    kept = {"SCC_SECRET_KEY": "key-kept-in-ssm-0123456789abcdef0123", "SCC_ADMIN_PASSWORD_HASH": ssm_hash}
    for name, value in kept.items():
        ssm.put_parameter(Name=f"/scc/test/{name}", Value=value, Type="SecureString")
    for name in ("SCC_SECRET_KEY", "SCC_ADMIN_PASSWORD_HASH"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("SCC_SSM_PREFIX", "/scc/test")
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.endpoint)
    ssm_settings.forget()

    status, _ = call(handler, json_event("POST", "/api/login", {"password": "password kept in ssm"}))

    assert status == 200
    ssm_settings.forget()


def test_importing_the_handler_builds_nothing_and_a_request_never_loads_boto3(tmp_path: Path) -> None:
    script = """
import sys
from shipcaptaincrew import lambda_function
assert lambda_function._container is None and "starlette" not in sys.modules, "built at import"
from tests.deploy.function_urls import FakeContext, url_event
answer = lambda_function.lambda_handler(url_event("GET", "/healthz"), FakeContext())
assert answer["statusCode"] == 200, answer
assert "boto3" not in sys.modules and "botocore" not in sys.modules, "boto3 loaded"
"""
    env = {"SCC_DATA_DIR": str(tmp_path), "SCC_SECRET_KEY": SECRET_KEY, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=Path.cwd())

    assert done.returncode == 0, done.stderr


def test_a_cold_sign_in_and_event_list_start_no_worker_thread_and_load_no_mail_waiver_or_roster_code(
    tmp_path: Path,
) -> None:
    # Lambda sends a container one request at a time: a worker thread (and anyio's thread machinery) would only
    # lengthen the cold start, as would the mail, waiver and roster code a first look at the board never needs.
    script = """
import json, sys, threading
from shipcaptaincrew import lambda_function
from tests.builders import PASSWORD
from tests.deploy.function_urls import FakeContext, body_of, json_event, url_event
login = lambda_function.lambda_handler(json_event("POST", "/api/login", {"password": PASSWORD}), FakeContext())
token = json.loads(body_of(login))["token"]
headers = {"authorization": "Bearer " + token}
answer = lambda_function.lambda_handler(url_event("GET", "/api/events", query=sys.argv[1], headers=headers),
                                        FakeContext())
assert answer["statusCode"] == 200, answer
assert threading.active_count() == 1, threading.enumerate()
unwanted = ("anyio._backends._asyncio", "shipcaptaincrew.adapters.mail_mime", "shipcaptaincrew.adapters.mail_folder",
            "shipcaptaincrew.domain.mail", "shipcaptaincrew.domain.waivers", "shipcaptaincrew.web.guest_pages",
            "shipcaptaincrew.web.roster_api")
loaded = [name for name in unwanted if name in sys.modules]
assert not loaded, loaded
"""
    admin_hash = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024).hash(PASSWORD)
    env = {
        "SCC_DATA_DIR": str(tmp_path),
        "SCC_SECRET_KEY": SECRET_KEY,
        "SCC_ADMIN_PASSWORD_HASH": admin_hash,
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", script, WINDOW], env=env, capture_output=True, text=True, cwd=Path.cwd()
    )

    assert done.returncode == 0, done.stderr


def test_a_secret_that_reaches_a_log_line_anyway_is_redacted(
    handler: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    refresh_token = "1//0g-refresh-token-from-the-environment"
    monkeypatch.setenv("SCC_GMAIL_REFRESH_TOKEN", refresh_token)
    call(handler, url_event("GET", "/healthz"))

    logging.getLogger("shipcaptaincrew.somewhere").warning("careless: %s and %s", refresh_token, SECRET_KEY)

    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert last["message"] == "careless: [redacted] and [redacted]"


def test_a_quiet_tick_writes_no_log_line_and_the_daily_rule_sends_the_reminders(
    handler: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    token = sign_in(handler)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    patron = {"first_name": "Sarah", "email": "sarah@example.org"}
    call(handler, json_event("POST", "/api/events", event_body(date=tomorrow, patron=patron), token=token))
    handler(scheduled_event(), FakeContext())
    capsys.readouterr()

    quiet = handler(scheduled_event(), FakeContext())
    logged = capsys.readouterr().out
    daily = handler({"scc": "reminders"}, FakeContext())
    again = handler({"scc": "reminders"}, FakeContext())

    assert quiet == {"sent": 0, "failed": 0, "dead": 0} and logged == ""
    assert daily["reminded"] == 1 and daily["sent"] >= 1
    assert again["reminded"] == 0

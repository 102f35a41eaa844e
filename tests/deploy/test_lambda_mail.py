"""On Lambda no request waits for a mail server: the answer goes as soon as the payment is committed, and the
receipt is handed to an asynchronous invocation of the function (InvocationType=Event), which delivers it."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.builders import WAIVER_TEXT, event_body, payment_body
from tests.deploy.conftest import REGION, Aws, a_package
from tests.deploy.function_urls import FakeContext, json_event, url_event
from tests.deploy.handler_calls import call, sign_in
from tests.deploy.revision_proxy import RevisionProxy
from tests.mail.servers import StallingHandler, smtp_server

STALL_SECONDS = 17.0  # what the mail server took when a payment once waited for it
FUNCTION = "scc-prod"
LIVE_ARN = f"arn:aws:lambda:{REGION}:123456789012:function:{FUNCTION}:live"
GUEST = {"guest_name": "Ana Lima", "email": "ana@example.org", "phone": "+1 555 0111", "date_of_birth": "1990-04-23",
         "emergency_name": "Rui Lima", "emergency_phone": "+1 555 0112", "typed_signature": "Ana Lima",
         "consent": "yes", "agreement": "yes"}  # fmt: skip


@pytest.fixture
def stalling_smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[StallingHandler]:
    server = StallingHandler(stall_seconds=STALL_SECONDS)
    with smtp_server(server) as port:
        mail = {
            "SCC_MAIL_TRANSPORT": "smtp",
            "SCC_SMTP_HOST": "127.0.0.1",
            "SCC_SMTP_PORT": str(port),
            "SCC_SMTP_SECURITY": "none",
        }
        for name, value in mail.items():
            monkeypatch.setenv(name, value)
        yield server
        server.released.set()


def deployed(aws: Aws, tmp_path: Path) -> None:
    """The function as `scc deploy` leaves it: this code, the handler's settings, version 1 behind `live`."""
    settings = {name: value for name, value in os.environ.items() if name.startswith("SCC_")}
    aws.create_function(FUNCTION, a_package(tmp_path, "v1"), settings)
    aws("lambda", "publish-version", "--function-name", FUNCTION)
    aws("lambda", "create-alias", "--function-name", FUNCTION, "--name", "live", "--function-version", "1")


def test_a_payment_answers_before_a_stalling_mail_server_and_the_receipt_is_delivered_later(
    aws: Aws,
    proxy: RevisionProxy,
    handler: Any,
    stalling_smtp: StallingHandler,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.endpoint)
    deployed(aws, tmp_path)
    token = sign_in(handler)
    assert call(handler, json_event("POST", "/api/events", event_body(), token=token))[0] == 201

    began = time.monotonic()
    status, body = call(
        handler,
        json_event("POST", "/api/payment-log", payment_body(), token=token),
        FakeContext(invoked_function_arn=LIVE_ARN),
    )
    answered_in = time.monotonic() - began
    stalling_smtp.released.set()

    assert status == 201 and body["event"]["paid_cents"] == 40000
    assert answered_in < 2.0, f"the payment waited {answered_in:.1f} s for the mail server"
    handed = [(call.function, call.kind, call.event) for call in proxy.lambdas.invocations]
    assert handed == [(FUNCTION, "Event", {"scc": "deliver-outbox"})]
    deadline = time.monotonic() + 30
    while len(stalling_smtp.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    # the booking's confirmation (handed off when it was booked, then stalled) and the payment's receipt
    assert [message.rcpt_tos for message in stalling_smtp.received] == [["sarah@example.org"]] * 2


def test_a_waiver_signature_answers_before_a_stalling_mail_server_and_hands_the_copy_off(
    aws: Aws,
    proxy: RevisionProxy,
    handler: Any,
    stalling_smtp: StallingHandler,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.endpoint)
    deployed(aws, tmp_path)
    token = sign_in(handler)
    call(handler, json_event("PUT", "/api/waiver", {"text": WAIVER_TEXT}, token=token))
    _, event = call(handler, json_event("POST", "/api/events", event_body(date="2031-05-23"), token=token))
    waiver = f"{event['guest_url']}/waiver"
    _, form = call(handler, url_event("GET", waiver))
    answers = {**dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)), **GUEST}

    began = time.monotonic()
    status, _ = call(
        handler,
        url_event(
            "POST",
            waiver,
            body=urlencode(answers).encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        ),
        FakeContext(invoked_function_arn=LIVE_ARN),
    )
    answered_in = time.monotonic() - began
    stalling_smtp.released.set()

    assert status == 303
    assert answered_in < 2.0, f"the signature waited {answered_in:.1f} s for the mail server"
    handed = [(call.function, call.kind, call.event) for call in proxy.lambdas.invocations]
    assert handed == [(FUNCTION, "Event", {"scc": "deliver-outbox"})]

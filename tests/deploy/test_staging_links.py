"""Staging's links lead to staging: the API's guest_url and guest_link and the links in emails carry the stage's path
prefix."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from shipcaptaincrew.bootstrap import stage_url
from shipcaptaincrew.cli import cli
from tests.builders import event_body, payment_body
from tests.deploy.function_urls import FakeContext, json_event, scheduled_event, url_event
from tests.deploy.handler_calls import call, sign_in

SLUG = "2026-05-23-sarah-pm"


@pytest.fixture
def staging(handler: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("SCC_PATH_PREFIX", "/_staging")
    monkeypatch.setenv("SCC_PUBLIC_URL", "https://charters.example.com")
    return handler


def booked_and_listed(staging: Any) -> tuple[int, Any]:
    """Book Sarah through staging's prefixed API, then list May there: the status and the list."""
    token = sign_in(staging)
    assert call(staging, json_event("POST", "/_staging/api/events", event_body(), token=token))[0] == 201
    listing = url_event(
        "GET",
        "/_staging/api/events",
        query="from=2026-05-01&to=2026-05-31",
        headers={"authorization": f"Bearer {token}"},
    )
    status, body = call(staging, listing)
    return status, body


def test_staging_guest_url_carries_the_prefix_and_routes_to_the_staging_function(staging: Any) -> None:
    status, body = booked_and_listed(staging)
    guest_url = body["events"][0]["guest_url"]
    routed = CliRunner().invoke(cli, ["cdn", "route", guest_url])

    assert status == 200 and guest_url.startswith(f"/_staging/g/{SLUG}/") and len(guest_url.rsplit("/", 1)[1]) == 24
    assert routed.exit_code == 0 and "→ staging-function" in routed.output


def test_staging_guest_link_is_the_full_address_of_the_staging_party_page(staging: Any) -> None:
    status, body = booked_and_listed(staging)
    event = body["events"][0]
    path = urlsplit(event["guest_link"]).path
    routed = CliRunner().invoke(cli, ["cdn", "route", path])

    assert status == 200 and event["guest_link"] == f"https://charters.example.com{event['guest_url']}"
    assert path.startswith(f"/_staging/g/{SLUG}/")
    assert routed.exit_code == 0 and "→ staging-function" in routed.output


def test_a_staging_receipt_links_to_the_staging_party_page(staging: Any, tmp_path: Path) -> None:
    token = sign_in(staging)
    call(staging, json_event("POST", "/_staging/api/events", event_body(), token=token))
    assert call(staging, json_event("POST", "/_staging/api/payment-log", payment_body(), token=token))[0] == 201

    staging(scheduled_event(), FakeContext())

    sent = [
        message_from_bytes(path.read_bytes(), policy=default) for path in (tmp_path / "data" / "outbox").glob("*.eml")
    ]
    (receipt,) = [message for message in sent if "Payment" in str(message["Subject"])]
    text = receipt.get_body(("plain",))
    assert text is not None and f"https://charters.example.com/_staging/g/{SLUG}/" in text.get_content()


def test_a_public_address_that_already_ends_with_the_prefix_does_not_get_it_twice() -> None:
    assert stage_url("https://charters.example.com/_staging", "/_staging") == "https://charters.example.com/_staging"
    assert stage_url("https://charters.example.com", "") == "https://charters.example.com"

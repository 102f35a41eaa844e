"""What each operation may ask of AWS, counted on `lambda_handler` over DynamoDB in a moto server: the counts that
the season's bill (bench/cost.py) is made of, held as budgets so that a Scan, a read per row or a second
transaction is a failing test, not a line on next month's bill."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.deploy.conftest import Aws
from tests.deploy.function_urls import FakeContext, url_event
from tests.deploy.handler_calls import call, sign_in
from tests.deploy.season import Season, dynamodb, reads, start, writes


@pytest.fixture
def season(handler: Any, aws: Aws, monkeypatch: pytest.MonkeyPatch) -> Iterator[Season]:
    yield from start(handler, aws, monkeypatch)


FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:scc-budgets:live"


def test_an_empty_tick_reads_at_most_twice_eventually_consistent_and_writes_nothing(season: Season) -> None:
    season.book()
    season.deliver()  # the booking's confirmation: the outbox is empty after it

    with season.measured() as tick:
        report = season.tick()

    assert report == {"sent": 0, "failed": 0, "dead": 0}
    assert reads(tick) <= 2, dynamodb(tick)
    assert not writes(tick), dynamodb(tick)
    assert not tick.strong_reads, tick.strong_reads


def test_the_every_minute_tick_never_runs_the_reminders_and_the_daily_rule_does(season: Season) -> None:
    season.book(day=date.today() + timedelta(days=1))
    season.deliver()

    with season.measured() as tick:
        season.tick()
    with season.measured() as daily:
        reminded = season.handler({"scc": "reminders"}, None)

    assert tick.emails == 0 and not writes(tick) and reads(tick) <= 2
    assert reminded["reminded"] == 1 and reminded["sent"] == 1
    assert writes(daily)["TransactWriteItems"] >= 1


def test_the_boards_list_is_one_eventually_consistent_query_per_page(season: Season) -> None:
    for _ in range(3):
        season.book()
    window = f"from={date.today()}&to={date.today() + timedelta(days=60)}&limit=2"

    with season.measured() as first:
        status, page = season.api("GET", "/api/events", query=window)
    with season.measured() as second:
        more, rest = season.api("GET", "/api/events", query=f"{window}&cursor={page['next_cursor']}")

    assert (status, len(page["events"]), more, len(rest["events"])) == (200, 2, 200, 1)
    for usage in (first, second):
        assert dynamodb(usage)["Query"] == 1, dynamodb(usage)
        assert "Query" not in usage.strong_reads and not writes(usage)


def test_a_payment_is_one_transaction(season: Season) -> None:
    slug = season.book()["slug"]

    with season.measured() as payment:
        answer = season.pay(slug)

    assert answer["event"]["paid_cents"] == 45000
    assert writes(payment) == {"TransactWriteItems": 1}, dynamodb(payment)


def test_a_signature_is_one_transaction(season: Season) -> None:
    event = season.book()

    with season.measured() as signature:
        status = season.sign(event["guest_url"])

    assert status == 303
    assert writes(signature) == {"TransactWriteItems": 1}, dynamodb(signature)


def test_delivering_one_message_claims_it_and_records_it_with_one_update_each_not_a_transaction(
    season: Season,
) -> None:
    season.book()  # queues the patron's confirmation

    with season.measured() as delivery:
        report = season.deliver()

    assert report["sent"] == 1
    assert writes(delivery) == {"UpdateItem": 2}, dynamodb(delivery)


def test_no_operation_of_a_season_scans_the_table(season: Season) -> None:
    with season.measured() as everything:
        _a_season(season)

    assert dynamodb(everything)["Query"] > 0
    assert "dynamodb.Scan" not in everything.calls, dynamodb(everything)


def _a_season(season: Season) -> None:
    """Every kind of request the board, the guests, the crew and the schedule make in a season, once."""
    event = season.book()
    slug = event["slug"]
    season.api("PATCH", f"/api/events/{slug}", {"version": 1, "title": "Birthday cruise"})
    season.api("GET", "/api/events", query=f"from={date.today()}&to={date.today() + timedelta(days=90)}")
    season.api("GET", "/api/events", query="q=lopez")
    season.api("GET", f"/api/events/{slug}")
    season.api("GET", "/api/roster")
    season.api("GET", "/api/outbox")
    season.page("GET", "/healthz")
    season.pay(slug)
    season.pay(slug, "100.00", "/api/refund-log")
    season.page("GET", event["guest_url"])
    season.sign(event["guest_url"])
    season.api("GET", f"/api/events/{slug}/payments")
    season.api("GET", f"/api/events/{slug}/waivers")
    season.api("POST", f"/api/events/{slug}/send-link", {})
    later = season.book()
    season.api(
        "POST",
        f"/api/events/{later['slug']}/reschedule",
        {"date": (date.today() + timedelta(days=200)).isoformat(), "period": "pm", "version": 1},
    )
    season.api("POST", f"/api/events/{slug}/cancel", {"reason": "Family emergency"})
    season.api("POST", f"/api/events/{slug}/rain-check", {"to_event": season.book()["slug"]})
    stormy = season.book(day=date.today() + timedelta(days=300))
    call = {"date": stormy["date"], "periods": ["am"], "action": "cancel", "reason": "Storm"}
    season.api("POST", "/api/weather-call", call)
    _a_charter_day(season)
    season.handler({"scc": "reminders"}, None)
    season.deliver()
    season.tick()


def _a_charter_day(season: Season) -> None:
    event, sheet = season.captain_today()
    _, page = season.page("GET", sheet)
    guest = page.split(f'/{event["slug"]}/aboard"', 1)[1].split('name="guest" value="', 1)[1].split('"', 1)[0]
    season.page("POST", f"{sheet}/{event['slug']}/aboard", {"guest": guest, "aboard": "yes"})
    season.page("POST", f"{sheet}/{event['slug']}/walk-up", {"name": "Walk Up"})
    season.page("POST", f"{sheet}/{event['slug']}/depart", {"override_reason": "walk-up signs aboard"})
    season.page("POST", f"{sheet}/{event['slug']}/return", {})
    assert json.dumps(season.api("GET", f"/api/events/{event['slug']}")[1]).count("returned") >= 1


def test_a_check_in_or_a_walk_up_tap_queues_no_mail_and_invokes_no_delivery(season: Season) -> None:
    event, sheet = season.captain_today()
    _, page = season.page("GET", sheet)
    guest = page.split(f'/{event["slug"]}/aboard"', 1)[1].split('name="guest" value="', 1)[1].split('"', 1)[0]
    taps = {
        "aboard": {"guest": guest, "aboard": "yes"},
        "walk-up": {"name": "Walk Up"},
        "depart": {"override_reason": "walk-up signs aboard"},
    }

    invokes = {name: _tap_as_lambda(season, f"{sheet}/{event['slug']}/{name}", form) for name, form in taps.items()}

    assert invokes == {"aboard": 0, "walk-up": 0, "depart": 1}  # the departure queues the manifest ashore


def _tap_as_lambda(season: Season, path: str, form: dict[str, str]) -> int:
    """A day-sheet tap through the handler with Lambda's context (its ARN): how many Invokes it handed mail to."""
    headers = {"content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin"}
    request = url_event("POST", path, headers=headers, body=urlencode(form).encode())
    with season.measured() as tap:
        status, _ = call(season.handler, request, FakeContext(invoked_function_arn=FUNCTION_ARN))
    assert status == 303
    return tap.calls["lambda.Invoke"]


def test_a_quiet_tick_writes_no_line_that_lambdas_json_logging_keeps(
    season: Season, capsys: pytest.CaptureFixture[str]
) -> None:
    season.new_container()
    kept = _levels_kept()
    season.book()
    season.deliver()
    capsys.readouterr()

    season.tick()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    season.handler({"scc": "reminders"}, None)
    daily = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    assert [line for line in lines if _rank(line["level"]) >= _rank(kept["application"])] == []
    assert kept["system"] == "WARN"  # no START, END or REPORT line per invocation
    assert [line["message"] for line in daily] == ["reminders queued"]  # what is logged is seen here


def test_a_poll_that_finds_nothing_changed_and_a_health_check_write_no_line_that_is_kept(
    season: Season, capsys: pytest.CaptureFixture[str]
) -> None:
    season.new_container()
    kept = _levels_kept()
    season.book()
    window = f"from={date.today()}&to={date.today() + timedelta(days=60)}"
    listed = season.handler(url_event("GET", "/api/events", query=window, headers=season.bearer()), FakeContext())
    capsys.readouterr()

    polled = season.handler(
        url_event(
            "GET", "/api/events", query=window, headers={**season.bearer(), "if-none-match": listed["headers"]["etag"]}
        ),
        FakeContext(),
    )
    healthy, _ = season.page("GET", "/healthz")
    quiet = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    season.api("GET", "/api/events", query=window)
    changed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    assert (polled["statusCode"], healthy) == (304, 200)
    assert [line for line in quiet if _rank(line["level"]) >= _rank(kept["application"])] == []
    assert [line["status"] for line in changed] == [200]  # a request that answers something is still logged


def test_delivering_a_signed_copy_logs_the_applications_lines_and_no_librarys_chatter(
    season: Season, capsys: pytest.CaptureFixture[str]
) -> None:
    season.new_container()
    assert season.sign(season.book()["guest_url"]) == 303
    capsys.readouterr()

    delivered = season.deliver()
    loggers = {json.loads(line)["logger"] for line in capsys.readouterr().out.splitlines()}

    assert delivered["sent"] == 2  # the booking's confirmation and the signed copy, its PDF attached
    assert loggers == {"shipcaptaincrew.lambda"}


def test_settings_are_read_from_ssm_on_a_containers_first_request_only(
    season: Season, aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shipcaptaincrew.on_lambda import ssm_settings

    aws.client("ssm").put_parameter(Name="/scc/budget/SCC_OPERATOR_NAME", Value="Osprey Charters", Type="String")
    monkeypatch.setenv("SCC_SSM_PREFIX", "/scc/budget")
    season.new_container()
    ssm_settings.forget()
    with season.measured() as first:
        season.token = sign_in(season.handler)
    with season.measured() as later:
        season.book()
        season.deliver()
        season.tick()
        season.api("GET", "/api/events", query="q=lopez")

    ssm = [name for name in first.calls if name.startswith("ssm.")]
    assert ssm == ["ssm.GetParametersByPath"]
    assert [name for name in later.calls if name.startswith("ssm.")] == [], later.calls
    ssm_settings.forget()


def _levels_kept() -> dict[str, str]:
    """The functions' LoggingConfig in the template: JSON lines, the application's and Lambda's own levels."""
    template = (Path(__file__).parents[2] / "infra" / "template.yaml").read_text()
    configs = re.findall(r"LogFormat: (\w+)\n\s+ApplicationLogLevel: (\w+)\n\s+SystemLogLevel: (\w+)", template)
    assert len(configs) == 2 and len(set(configs)) == 1, configs  # staging and prod alike
    (log_format, application, system), *_ = configs
    assert log_format == "JSON"
    return {"application": application, "system": system}


def _rank(level: str) -> int:
    return {"TRACE": 0, "DEBUG": 10, "INFO": 20, "WARN": 30, "WARNING": 30, "ERROR": 40, "FATAL": 50,
            "CRITICAL": 50}[level]  # fmt: skip

"""The weather call over HTTP: `POST /api/weather-call`, a preview with `dry_run`, then the call itself."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shipcaptaincrew.services import weather
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import schemas
from shipcaptaincrew.web.delivery import after_response
from shipcaptaincrew.web.http import admin_only, json_response, read_json, run_use_case


@admin_only
async def weather_call(request: Request) -> Response:
    body = await read_json(request, schemas.WeatherCallIn)
    call = weather.WeatherCall(body.date, tuple(body.periods), body.action, body.reason, body.to_date, body.to_period)

    def work(ctx: Context, actor: str) -> schemas.WeatherCallOut:
        outcomes = weather.make_weather_call(ctx, call, actor, dry_run=body.dry_run)
        return schemas.WeatherCallOut(body.dry_run, [_outcome(outcome) for outcome in outcomes], _totals(outcomes))

    answer = await run_use_case(request, work)
    return json_response(answer, background=None if body.dry_run else after_response(request))


def _outcome(outcome: weather.Outcome) -> schemas.WeatherOutcomeOut:
    return schemas.WeatherOutcomeOut(
        outcome.slug,
        outcome.result,
        outcome.new_slug,
        outcome.paid_cents,
        outcome.refund_due_cents,
        outcome.emailed,
        outcome.conflicts,
        outcome.error,
    )


def _totals(outcomes: list[weather.Outcome]) -> schemas.WeatherTotalsOut:
    return schemas.WeatherTotalsOut(
        charters=len(outcomes),
        failed=sum(1 for outcome in outcomes if outcome.result == "failed"),
        refund_due_cents=sum(outcome.refund_due_cents for outcome in outcomes),
        emails=sum(len(outcome.emailed) for outcome in outcomes),
    )


ROUTES: list[Any] = [Route("/api/weather-call", weather_call, methods=["POST"])]

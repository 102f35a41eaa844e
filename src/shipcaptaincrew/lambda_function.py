"""The AWS Lambda entry point: `shipcaptaincrew.lambda_function.lambda_handler`.

A Function URL request (payload 2.0) goes to the same ASGI application `scc serve` runs, through Mangum; a
scheduled EventBridge event delivers the outbox instead. No request delivers mail: one that queued a message is
answered first, then the handler hands the delivery to an asynchronous invocation of the function
(`on_lambda/self_invoke.py`), and the schedule catches anything that hand-off missed.

The application is built once per container, on the first invocation rather than at import, and importing this
module loads nothing heavy: Lambda bills the init phase as part of a cold start all the same, and a scheduled
call never needs the web stack.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shipcaptaincrew.on_lambda.lambda_log import JsonLines, configure, request_id

if TYPE_CHECKING:  # types only: importing these would put the web stack and mangum on every cold start's path
    import asyncio

    from mangum import Mangum
    from mangum.types import LambdaContext

    from shipcaptaincrew.config import LambdaSettings, Settings
    from shipcaptaincrew.on_lambda.self_invoke import OutboxHandOff
    from shipcaptaincrew.services.context import Context

LAMBDA_DEFAULTS = {"SCC_DATA_DIR": "/tmp/scc-data"}  # the only writable place on Lambda
SCHEDULE_SOURCES = ("aws.events", "aws.scheduler")
log = logging.getLogger("shipcaptaincrew.lambda")


@dataclass
class _Container:
    """What one container keeps between invocations."""

    ctx: Context
    http: Mangum
    """Mangum(EdgeGuard(app))."""
    loop: asyncio.AbstractEventLoop
    mail_queued: threading.Event
    """Set by the application when a response queued mail; the handler hands delivery off and clears it."""
    hand_off: OutboxHandOff | None = None
    """Made on the first request that queued mail (never on a cold start's path)."""


_container: _Container | None = None
_formatter = JsonLines()


def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    token = request_id.set(getattr(context, "aws_request_id", None))
    try:
        container = _container or _start()
        if event.get("scc") == "reminders":
            return _remind(container)
        if is_scheduled(event):
            return _deliver(container)
        return _serve(container, event, context)
    finally:
        request_id.reset(token)


def is_scheduled(event: dict[str, Any]) -> bool:
    """An EventBridge rule's or Scheduler's event, or a hand-made `{"scc": "deliver-outbox"}`."""
    return event.get("source") in SCHEDULE_SOURCES or event.get("scc") == "deliver-outbox"


def _start() -> _Container:
    global _container
    began = time.perf_counter()
    configure(_formatter, _log_filters())
    settings, edge = _settings()
    _container = _build(settings, edge)
    log.info("container ready", extra={"fields": {"ms": round((time.perf_counter() - began) * 1000, 1)}})
    return _container


def _settings() -> tuple[Settings, LambdaSettings]:
    """Settings from the environment, then SSM parameters (when SCC_SSM_PREFIX is set) for what it leaves unset."""
    from shipcaptaincrew.config import LambdaSettings, Settings, SettingsError, environment_with

    edge = LambdaSettings.from_env()
    parameters: dict[str, str] = {}
    if edge.ssm_prefix:
        from shipcaptaincrew.on_lambda.ssm_settings import parameters as read_parameters

        parameters = read_parameters(edge.ssm_prefix)
        _formatter.add_secrets(parameters.values())
        log.info("settings read from SSM", extra={"fields": {"names": sorted(parameters)}})
    settings = Settings.from_env(environment_with({**LAMBDA_DEFAULTS, **parameters}))
    if not settings.secret_key:
        raise SettingsError("SCC_SECRET_KEY must be set on Lambda (environment or SSM): containers must share it")
    _formatter.add_secrets(_secrets(settings, edge))
    return settings, edge


def _secrets(settings: Settings, edge: LambdaSettings) -> list[str]:
    """Every secret value the settings hold, for the log formatter's last-resort redaction."""
    mail = settings.mail
    found = [
        settings.secret_key,
        settings.admin_password_hash,
        edge.origin_secret,
        mail.smtp_password,
        mail.gmail_client_secret,
        mail.gmail_refresh_token,
    ]
    return [value for value in found if value]


def _build(settings: Settings, edge: LambdaSettings) -> _Container:
    import asyncio

    from mangum import Mangum

    from shipcaptaincrew.bootstrap import build_app, build_context
    from shipcaptaincrew.on_lambda.edge import EdgeGuard

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # Mangum runs each request on the thread's loop
    ctx = build_context(settings, path_prefix=edge.path_prefix)
    mail_queued = threading.Event()
    app = build_app(settings, ctx, one_request_at_a_time=True, deliver_mail=False, mail_queued=mail_queued)
    return _Container(
        ctx, Mangum(EdgeGuard(app, edge.origin_secret, edge.path_prefix), lifespan="off"), loop, mail_queued
    )


def _serve(container: _Container, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    began = time.perf_counter()
    response: dict[str, Any] = container.http(event, context)
    http = event.get("requestContext", {}).get("http", {})
    status, ms = response.get("statusCode"), round((time.perf_counter() - began) * 1000, 1)
    # The path goes in the message, where the redacting filter hides capability tokens; no query, no headers.
    level = logging.DEBUG if _routine(http, status) else logging.INFO
    log.log(
        level, "%s %s %s", http.get("method"), http.get("path"), status, extra={"fields": {"status": status, "ms": ms}}
    )
    if container.mail_queued.is_set():
        container.mail_queued.clear()
        _hand_off_mail(container, context)
    return response


def _routine(http: dict[str, Any], status: Any) -> bool:
    """A board's poll that found nothing changed (304) or a health check that passed: a line every few seconds
    that says nothing, billed by CloudWatch, so logged below the template's level. Anything else is logged."""
    return status == 304 or (
        status == 200 and http.get("method") == "GET" and str(http.get("path")).endswith("/healthz")
    )


def _hand_off_mail(container: _Container, context: LambdaContext) -> None:
    if container.hand_off is None:
        from shipcaptaincrew.on_lambda.self_invoke import OutboxHandOff

        container.hand_off = OutboxHandOff()
    container.hand_off.deliver_later(getattr(context, "invoked_function_arn", None))


def _deliver(container: _Container) -> dict[str, Any]:
    from shipcaptaincrew.services.outbox import deliver_due

    report = deliver_due(container.ctx)
    delivered = {"sent": report.sent, "failed": report.failed, "dead": report.dead}
    if any(delivered.values()):  # a tick with nothing to send writes no log line (each one is billed)
        log.info("outbox delivered", extra={"fields": delivered})
    return delivered


def _remind(container: _Container) -> dict[str, Any]:
    """The daily job (its own EventBridge rule, `{"scc": "reminders"}`): queue today's reminders, then deliver."""
    from shipcaptaincrew.services.reminders import send_reminders

    reminded = len(send_reminders(container.ctx))
    log.info("reminders queued", extra={"fields": {"reminded": reminded}})
    return {"reminded": reminded, **_deliver(container)}


def _log_filters() -> list[logging.Filter]:
    from shipcaptaincrew.web.logs import RedactSecrets

    return [RedactSecrets()]


def _reset() -> None:
    """Close and forget the container (tests: each builds its own with other settings)."""
    global _container
    if _container is not None:
        _container.ctx.store.close()
        _container.loop.close()
    _container = None

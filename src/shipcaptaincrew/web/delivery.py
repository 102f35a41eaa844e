"""Delivering the outbox from the web process: after responses that queued mail, and every little while
(retries after a backoff need someone to come back). One pass at a time per process; never an exception."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from shipcaptaincrew.services.context import Context

log = logging.getLogger("shipcaptaincrew.web")
BATCH = 50


class Deliverer:
    """Responses that queued mail call `run` as a background task. While one delivery runs, later calls
    only ask it to go round once more, so a burst of payments costs one delivery pass, not one each."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._running = threading.Lock()
        self._again = threading.Event()

    def run(self) -> None:
        from shipcaptaincrew.services import outbox  # first needed when mail is queued, never on a cold start

        self._again.set()
        while self._again.is_set() and self._running.acquire(blocking=False):
            try:
                self._again.clear()
                if outbox.deliver_due(self._ctx, BATCH).claimed == BATCH:
                    self._again.set()  # a full batch: more may be due
            except Exception:  # the response has been sent already: log, never raise into the server
                log.exception("outbox delivery failed; the messages stay queued")
            finally:
                self._running.release()


def after_response(request: Request) -> BackgroundTask | None:
    """Deliver what this request queued once its response is sent, if this process delivers mail at all;
    otherwise say that mail was queued, where someone listens (Lambda's handler)."""
    deliverer: Deliverer | None = request.app.state.deliverer
    if deliverer is None:
        queued: threading.Event | None = request.app.state.mail_queued
        if queued is not None:
            queued.set()
        return None
    return BackgroundTask(deliverer.run)


def periodic_delivery(
    deliverer: Deliverer, every_seconds: float
) -> Callable[[Starlette], contextlib.AbstractAsyncContextManager[None]]:
    """A lifespan that delivers every `every_seconds` while a long-running server (uvicorn) is up.

    On Lambda the lifespan is off and a scheduled invocation delivers instead.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async def tick() -> None:
            while True:
                await asyncio.sleep(every_seconds)
                await run_in_threadpool(deliverer.run)

        task = asyncio.create_task(tick())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifespan

"""Delivering the outbox after a response: one delivery at a time per process, and never an exception."""

from __future__ import annotations

import logging
import threading

from shipcaptaincrew.services import outbox
from shipcaptaincrew.services.context import Context

log = logging.getLogger("shipcaptaincrew.web")


class Deliverer:
    """Responses that queued mail call `run` as a background task. While one delivery runs, later calls
    only ask it to go round once more, so a burst of payments costs one delivery pass, not one each."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._running = threading.Lock()
        self._again = threading.Event()

    def run(self) -> None:
        self._again.set()
        while self._again.is_set() and self._running.acquire(blocking=False):
            try:
                self._again.clear()
                outbox.deliver_due(self._ctx)
            except Exception:  # the response has been sent already: log, never raise into the server
                log.exception("outbox delivery failed; the messages stay queued")
            finally:
                self._running.release()

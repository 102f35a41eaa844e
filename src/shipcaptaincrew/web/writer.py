"""One writer thread per web process: the use cases that write run there, several per COMMIT.

Handing each write to a worker thread of its own costs more than the write: a thread wakes, takes the GIL,
waits its turn for the write connection, and the loop is woken again for each answer. Here the event loop
queues the work; the writer takes everything queued, runs it one after another inside one held transaction
(`Store.holding_commits`), commits once, and then answers every request with one call into the loop. Nobody is
answered before the COMMIT holding their change has returned; if it fails, each of them gets Unavailable
(and may retry with their Idempotency-Key). While the writer works, the loop goes on reading new requests;
they make the next batch.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shipcaptaincrew.domain.errors import Unavailable
from shipcaptaincrew.ports import Store

log = logging.getLogger("shipcaptaincrew.web")
MAX_BATCH = 32  # use cases per COMMIT: bounds how long the first of them waits for its answer


@dataclass
class Job:
    work: Callable[..., Any]
    args: tuple[Any, ...]
    loop: asyncio.AbstractEventLoop
    answer: asyncio.Future[Any]
    result: Any = None
    error: BaseException | None = None


class Writer:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    async def run(self, work: Callable[..., Any], *args: Any) -> Any:
        """Run `work(*args)` on the writer thread; return its result once its changes are committed."""
        loop = asyncio.get_running_loop()
        job = Job(work, args, loop, loop.create_future())
        self._start()
        self._jobs.put(job)
        return await job.answer

    def stop(self) -> None:
        """Let the writer finish what is queued, then end (the server is shutting down)."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
            self._thread = None

    def _start(self) -> None:
        if self._thread is None:
            with self._starting:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._serve, name="scc-writer", daemon=True)
                    self._thread.start()

    def _serve(self) -> None:
        while (first := self._jobs.get()) is not None:
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self._jobs.put(None)  # finish this batch first, then stop
                    break
                batch.append(job)
            self._run(batch)

    def _run(self, batch: list[Job]) -> None:
        units = []  # where each job's units of work start and end among the held ones
        try:
            with self._store.holding_commits() as held:
                for job in batch:
                    start = held.mark()
                    try:
                        job.result = job.work(*job.args)
                    except BaseException as error:  # the job's own answer (a 4xx, or a 500 the app reports)
                        job.error = error
                    units.append((start, held.mark()))
            for job, (start, end) in zip(batch, units, strict=True):
                if job.error is None and (failure := held.failure_between(start, end)) is not None:
                    job.error = Unavailable(f"{failure}; try again")
        except BaseException as error:  # the hold itself failed: nothing of this batch is known to be saved
            log.exception("a write batch failed")
            for job in batch:
                job.error = job.error or Unavailable(f"the change could not be saved ({error}); try again")
        for loop in {job.loop for job in batch}:
            loop.call_soon_threadsafe(_answer, [job for job in batch if job.loop is loop])


def _answer(batch: list[Job]) -> None:
    for job in batch:
        if job.answer.cancelled():
            continue
        if job.error is not None:
            job.answer.set_exception(job.error)
        else:
            job.answer.set_result(job.result)

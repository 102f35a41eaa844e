"""The mail delivery process `scc serve` runs beside the web server.

Rendering and writing or sending a message is Python work; done in the web process it takes the GIL from
the requests. In its own process it runs on another core. It delivers what is due, goes round again at once
while it finds full batches, and otherwise looks again every `every` seconds, so a receipt leaves within about
a second of its payment. It stops when asked (SIGTERM, after the batch in hand) and when the server that
started it is gone, even one killed with SIGKILL (Linux then sends it SIGTERM; elsewhere it notices).

`python -m shipcaptaincrew.cli.delivery_worker PARENT_PID [EVERY]`, started by `delivery_process()`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shipcaptaincrew.services.context import Context

BATCH = 50
EVERY_SECONDS = 1.0
REMIND_EVERY_SECONDS = 3600.0  # reminders are due once a day; looking hourly sends them soon after midnight
STOP_TIMEOUT = 10.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h

log = logging.getLogger("shipcaptaincrew.outbox")


@contextlib.contextmanager
def delivery_process(every: float = EVERY_SECONDS) -> Iterator[subprocess.Popen[bytes]]:
    """Run the delivery process (with this process's environment, so the same settings) while inside."""
    command = [sys.executable, "-m", "shipcaptaincrew.cli.delivery_worker", str(os.getpid()), str(every)]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def deliver_until_stopped(parent: int, every: float) -> None:
    """Deliver until SIGTERM arrives (it is blocked, so it waits until the batch in hand is done) or the parent
    is gone. No signal handler: one that touched a lock could deadlock when a second SIGTERM interrupted it."""
    from shipcaptaincrew.cli.common import open_context
    from shipcaptaincrew.services import outbox

    ctx = open_context()
    reminded_at = -REMIND_EVERY_SECONDS
    try:
        while os.getppid() == parent:
            if time.monotonic() - reminded_at >= REMIND_EVERY_SECONDS:
                reminded_at = time.monotonic()
                _remind(ctx)
            try:
                full = outbox.deliver_due(ctx, BATCH).claimed == BATCH
            except Exception:  # deliver_due records failures itself; anything else must not end delivery
                log.exception("outbox delivery failed; the messages stay queued and are tried again")
                full = False
            if _stop_asked(0 if full else every):
                return
    finally:
        ctx.store.close()


def _remind(ctx: Context) -> None:
    """Queue the reminders due today; each goes out once whatever runs this, so once an hour is only a look."""
    from shipcaptaincrew.services import reminders

    try:
        reminders.send_reminders(ctx)
    except Exception:  # a store hiccup must not end delivery; the next look sends what is still due
        log.exception("reminders could not be queued; trying again within the hour")


def _stop_asked(seconds: float) -> bool:
    """Wait up to `seconds` for SIGTERM; True if it came (now or while the last batch was being delivered)."""
    deadline = time.monotonic() + seconds
    while signal.SIGTERM not in signal.sigpending():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        if hasattr(signal, "sigtimedwait"):  # Linux; macOS has no sigtimedwait and looks every 0.1 s
            return signal.sigtimedwait([signal.SIGTERM], left) is not None
        time.sleep(min(0.1, left))
    return True


def _terminate_with_parent() -> None:
    """Ask Linux for SIGTERM the moment the server dies, however it dies, so the store is not held open after
    it (`scc restore` refuses a store in use). Elsewhere the parent check in the loop notices within `every`."""
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def main(argv: list[str]) -> None:
    parent, every = int(argv[0]), float(argv[1]) if len(argv) > 1 else EVERY_SECONDS
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(name)s: %(message)s")
    from shipcaptaincrew.web.logs import RedactSecrets  # a message's error may quote a guest link

    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets())
    # Ctrl-C reaches the whole terminal's process group: the server stops this process itself, with SIGTERM,
    # held back until the batch in hand has been sent and recorded (a message cut off mid-send would go out twice).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    _terminate_with_parent()
    deliver_until_stopped(parent, every)


if __name__ == "__main__":
    main(sys.argv[1:])

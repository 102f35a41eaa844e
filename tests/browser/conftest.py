"""Playwright on Debian's Chromium against a real `scc serve` on loopback.

The server is this worker's shared one: each test books on days of its own (`days`) and checks only what it
made. A test marked `fresh_server` (it needs an empty store, fixed dates, or a roster of its own) gets a server
of its own. One browser for this package, a new context (cookies, storage) per test. Package scope, not session: the
sync Playwright driver keeps an event loop running in the main thread, which later tests (Mangum) must
not see. Playwright never downloads a browser: it drives Debian's Chromium headless shell
(/usr/bin/chromium-headless-shell: Chromium's Blink and V8 without the browser's own windows and services), which
`make test` installs when it is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.board_api import BoardApi
from tests.builders import PASSWORD, Days, unique_days
from tests.live_server import LiveServerFactory

CHROMIUM = Path("/usr/bin/chromium-headless-shell")
# Without these, Chromium on a machine with no network stalls trying to reach Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium-headless-shell is not installed; `make test` installs it")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def server(request: pytest.FixtureRequest, live_server_factory: LiveServerFactory) -> str:
    """The base URL of a server whose admin password is PASSWORD: the shared one, or the test's own."""
    if request.node.get_closest_marker("fresh_server"):
        return live_server_factory.fresh().url
    return live_server_factory.shared().url


@pytest.fixture
def days() -> Days:
    """Three weeks no other test books on, so a test on the shared server sees only its own charters."""
    return unique_days()


@pytest.fixture
def api(server: str) -> BoardApi:
    return BoardApi.signed_in(server, PASSWORD)


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport=LAPTOP, base_url=server)
    context.set_default_timeout(10_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"the page threw: {errors}"

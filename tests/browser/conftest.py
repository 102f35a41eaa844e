"""Playwright on Debian's Chromium against a real `scc serve` on loopback, a fresh SQLite store per test.

One browser for this package, a new context (cookies, storage) per test. Package scope, not session: the
sync Playwright driver keeps an event loop running in the main thread, which later tests (Mangum) must
not see. Playwright never downloads a browser: it drives /usr/bin/chromium, which `make test` installs
when it is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import admin
from tests.browser.board_api import BoardApi
from tests.builders import PASSWORD, set_waiver
from tests.live_server import live_server

CHROMIUM = Path("/usr/bin/chromium")
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
        pytest.skip("Debian's chromium is not installed; `make test` installs it")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The base URL of a fresh server whose admin password is PASSWORD."""
    data_dir = tmp_path / "data"
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir)}))
    ctx.hasher = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024)  # still argon2id, cheaper to verify
    admin.set_admin_password(ctx, PASSWORD, "test")
    set_waiver(ctx)
    ctx.store.close()
    with live_server(data_dir) as (base_url, _):
        yield base_url


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

"""Until the operator sets the waiver text, the board says so, with the command; guests get no form meanwhile."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import admin
from tests.browser.board import open_board_between
from tests.browser.board_api import BoardApi
from tests.browser.conftest import LAPTOP
from tests.builders import PASSWORD, WAIVER_TEXT
from tests.live_server import live_server


def test_the_board_tells_the_dispatcher_until_the_waiver_is_set(browser: Browser, tmp_path: Path) -> None:
    data_dir = tmp_path / "no-waiver"
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir)}))
    ctx.hasher = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024)
    admin.set_admin_password(ctx, PASSWORD, "test")
    ctx.store.close()
    with live_server(data_dir) as (base_url, printed):
        context = browser.new_context(viewport=LAPTOP, base_url=base_url)
        page = context.new_page()
        open_board_between(page, "2031-06-09", "2031-06-22")
        warning = page.locator("#waiver-warning")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("Guests cannot sign yet")
        expect(warning).to_contain_text("scc waiver set FILE")

        BoardApi.signed_in(base_url, PASSWORD).call("PUT", "/api/waiver", {"text": WAIVER_TEXT})
        page.reload()  # still signed in: the board looks again when it starts
        expect(page.locator("body[data-board=ready]")).to_be_attached()
        expect(warning).to_be_hidden()
        context.close()
    assert any("scc waiver set FILE" in line for line in printed), "scc serve tells the dispatcher too"

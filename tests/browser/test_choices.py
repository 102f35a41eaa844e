"""The forms offer the operator's own periods and payment methods."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import admin
from tests.browser.board import sign_in
from tests.builders import PASSWORD
from tests.live_server import live_server

SETTINGS = {"SCC_PAYMENT_METHODS": "cash,square", "SCC_PERIODS": "morning=07:00-11:00,evening=17:00-20:00"}


def test_the_forms_offer_the_periods_and_methods_the_operator_configured(browser: Browser, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir), **SETTINGS}))
    admin.set_admin_password(ctx, PASSWORD, "test")
    ctx.store.close()
    with live_server(data_dir, **SETTINGS) as (base_url, _):
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        page.goto("/")
        sign_in(page)

        methods = page.locator("#pay-method option")
        expect(methods).to_have_count(3)
        assert methods.all_text_contents() == ["Choose…", "Cash", "Square"]
        periods = page.locator("#ev-period option")
        expect(periods).to_have_count(2)
        assert periods.all_text_contents() == ["morning (07:00\u201311:00)", "evening (17:00\u201320:00)"]
        context.close()

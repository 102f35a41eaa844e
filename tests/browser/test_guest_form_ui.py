"""The guest pages on the narrowest phone (320 px), checked by axe-core, and the waiver form's errors as a guest
meets them: all at once, the summary focused, each link leading to its field; with JavaScript and without."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.board_api import BoardApi
from tests.browser.test_guest_waiver import fill_adult
from tests.builders import Days

NARROW = {"width": 320, "height": 640}
LONG_WAIVER = "\n\n".join(
    f"{number}. I understand that boating has risks, including slips and falls, sudden movements of the vessel, "
    "weather, cold water and drowning, and I will follow the captain's and the crew's instructions."
    for number in range(1, 25)
)
EMPTY_FORM_ERRORS = [
    "Enter your full name",
    "Enter your date of birth",
    "Enter the name of someone we can call in an emergency",
    "Enter the emergency contact's phone number",
    "Type your full name as your signature",
    "Tick the box to agree to sign electronically",
    "Tick the box to agree to the waiver",
]


def open_phone(browser: Browser, server: str, scripts: bool = True) -> tuple[Page, list[str]]:
    context = browser.new_context(
        viewport=NARROW, base_url=server, is_mobile=True, has_touch=True, java_script_enabled=scripts
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


@pytest.fixture
def narrow(browser: Browser, server: str) -> Iterator[Page]:
    page, errors = open_phone(browser, server)
    yield page
    page.context.close()
    assert not errors, f"the page threw: {errors}"


@pytest.fixture
def slug(api: BoardApi, days: Days) -> str:
    """A charter for six on the test's Saturday (years ahead: signing is open)."""
    return str(api.book(days.at(5), "Sarah", party_size=6)["slug"])


@pytest.fixture
def booked(api: BoardApi, slug: str) -> BoardApi:
    return api


def party(api: BoardApi, slug: str) -> str:
    return str(api.call("GET", f"/api/events/{slug}")["guest_url"])


def fits(page: Page) -> None:
    """Nothing wider than the phone's screen. (A phone browser widens its layout to content that overflows, so the
    page's width is held to the screen's, not to what the browser settled on.)"""
    screen = NARROW["width"]
    widest = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert widest <= screen, f"{page.url} scrolls sideways: {widest} px of content on a {screen} px screen"


def summary_leads_to_each_field(page: Page) -> None:
    links = page.locator("#error-summary a")
    for index in range(links.count()):
        target = str(links.nth(index).get_attribute("href")).removeprefix("#")
        links.nth(index).click()
        expect(page.locator(f"#{target}")).to_be_focused()
        field = page.locator(f"#{target}")
        assert field.get_attribute("aria-invalid") == "true", target
        message = page.locator(f"#{target}-error")
        assert f"{target}-error" in str(field.get_attribute("aria-describedby")).split()
        expect(message).to_have_text(links.nth(index).inner_text())


def test_the_waiver_page_fits_320_px_and_axe_finds_nothing_with_a_long_text_and_every_error_shown(
    narrow: Page, booked: BoardApi, slug: str
) -> None:
    booked.call("PUT", "/api/waiver", {"text": LONG_WAIVER})
    narrow.goto(f"{party(booked, slug)}/waiver")
    fits(narrow)
    assert_accessible(narrow)

    narrow.get_by_label("Yes, I also sign for children under 18").check()
    narrow.get_by_role("button", name="Sign the waiver").click()

    expect(narrow.locator("#error-summary")).to_be_visible()
    fits(narrow)
    assert_accessible(narrow)


def test_the_copy_and_party_pages_fit_320_px_and_axe_finds_nothing(narrow: Page, booked: BoardApi, slug: str) -> None:
    narrow.goto(party(booked, slug))
    fits(narrow)
    assert_accessible(narrow)
    narrow.get_by_role("link", name="Sign the waiver").click()
    fill_adult(narrow, "Wolfeschlegelsteinhausenbergerdorff Lima")

    narrow.get_by_role("button", name="Sign the waiver").click()

    expect(narrow.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    fits(narrow)
    assert_accessible(narrow)
    narrow.get_by_role("link", name="Back to your charter").click()
    expect(narrow.get_by_text("1 of 6")).to_be_visible()
    fits(narrow)
    assert_accessible(narrow)


def test_a_family_signs_at_320_px_and_the_copy_keeps_its_proof_under_audit_details(
    narrow: Page, booked: BoardApi, slug: str
) -> None:
    narrow.goto(f"{party(booked, slug)}/waiver")
    fill_adult(narrow)
    narrow.get_by_label("Yes, I also sign for children under 18").check()
    narrow.get_by_label("You are their").select_option("guardian")
    narrow.get_by_label("Full name of child 1").fill("Leo Lima")
    narrow.get_by_label("Date of birth of child 1").fill("2016-02-10")

    narrow.get_by_role("button", name="Sign the waiver").click()

    expect(narrow.get_by_role("heading", name="Audit details")).to_be_visible()
    fits(narrow)
    assert_accessible(narrow)
    narrow.get_by_role("link", name="Leo Lima").click()
    expect(narrow.get_by_text("Ana Lima, their legal guardian")).to_be_visible()
    fits(narrow)


def test_an_empty_form_shows_every_error_at_once_and_the_summary_leads_to_each_field(
    narrow: Page, booked: BoardApi, slug: str
) -> None:
    narrow.goto(f"{party(booked, slug)}/waiver")

    narrow.get_by_role("button", name="Sign the waiver").click()

    expect(narrow.locator("#error-summary")).to_be_focused()
    expect(narrow.locator("#error-summary a")).to_have_text(EMPTY_FORM_ERRORS)
    summary_leads_to_each_field(narrow)
    assert booked.call("GET", f"/api/events/{slug}")["waivers_signed"] == 0


def test_without_javascript_the_server_says_the_same_and_focuses_its_summary(
    browser: Browser, server: str, booked: BoardApi, slug: str
) -> None:
    page, _ = open_phone(browser, server, scripts=False)
    page.goto(f"{party(booked, slug)}/waiver")

    page.get_by_role("button", name="Sign the waiver").click()

    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary a")).to_have_text(EMPTY_FORM_ERRORS)
    fits(page)
    summary_leads_to_each_field(page)
    page.context.close()


def test_a_field_is_checked_as_the_guest_leaves_it_in_the_servers_words(
    narrow: Page, booked: BoardApi, slug: str
) -> None:
    narrow.goto(f"{party(booked, slug)}/waiver")
    narrow.get_by_label("Full name", exact=True).fill("Piotr Nowak")
    signature = narrow.locator("#typed_signature")

    signature.fill("xx")
    signature.press("Tab")

    expect(narrow.locator("#typed_signature-error")).to_have_text(
        "Type your full name exactly as above (Piotr Nowak) as your signature"
    )
    expect(signature).to_have_attribute("aria-invalid", "true")
    signature.fill("piotr nowák")
    signature.press("Tab")
    expect(narrow.locator("#typed_signature-error")).to_have_count(0)
    expect(signature).not_to_have_attribute("aria-invalid", "true")


def test_share_this_link_copies_the_party_link_where_the_phone_cannot_share(
    browser: Browser, server: str, booked: BoardApi, slug: str
) -> None:
    context = browser.new_context(viewport=NARROW, base_url=server)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(party(booked, slug))
    page.evaluate("delete Navigator.prototype.share")  # as on a browser without the Web Share API

    page.get_by_role("button", name="Share this link").click()

    expect(page.get_by_role("status")).to_have_text("Link copied: paste it to the others in your party.")
    assert page.evaluate("navigator.clipboard.readText()") == f"{server}{party(booked, slug)}"
    context.close()

"""The waiver form as a guest on a phone meets it: every problem at once in plain words, a family in one pass,
a signature that is the signer's name, and no form at all until the operator has set the waiver text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from starlette.testclient import TestClient

from shipcaptaincrew.domain import tokens
from shipcaptaincrew.services import queries, waivers
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.app import create_app
from tests.builders import WAIVER_TEXT, event_body
from tests.fakes import losing_races
from tests.web.test_guest_pages import SLUG, adult, book, hidden_fields, party, sign

INTERNAL_NAMES = ("guest_name", "date_of_birth", "emergency_name", "emergency_phone", "typed_signature", "guardian_",
                  "child_1", "with_children", "_signature", "consent_label", "version_id")  # fmt: skip


class Page(HTMLParser):
    """A page as a reader meets it: the text shown (scripts left out), and each element's attributes by id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.by_id: dict[str, tuple[str, dict[str, str]]] = {}
        self.texts_by_id: dict[str, list[str]] = {}
        self._open: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag in ("script", "style", "title"):
            self._skip += 1
        if "id" in found:
            self.by_id[found["id"]] = (tag, found)
            self._open.append(found["id"])
            self.texts_by_id[found["id"]] = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._skip -= 1
        if tag in ("p", "span", "h2") and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)
            if self._open:
                self.texts_by_id[self._open[-1]].append(data)

    def shown(self) -> str:
        return " ".join(" ".join(self.text).split())

    def text_of(self, element_id: str) -> str:
        return " ".join(" ".join(self.texts_by_id.get(element_id, [])).split())


def summary_links(html: str) -> list[tuple[str, str]]:
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return [
        (target, message.replace("&#39;", "'"))
        for target, message in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    ]


def family(*children: tuple[str, str], **overrides: str) -> dict[str, str]:
    answers = adult(**overrides)
    answers.update({"with_children": "yes", "relationship": "parent"})
    for number, (name, born) in enumerate(children, 1):
        answers[f"child_{number}_name"], answers[f"child_{number}_born"] = name, born
    return answers


def test_an_empty_form_shows_every_error_at_once_in_plain_words_and_no_internal_name(client: TestClient) -> None:
    book(client)

    response = sign(client, {})

    assert response.status_code == 400
    page = Page(response.text)
    messages = [message for _, message in summary_links(response.text)]
    assert messages == [
        "Enter your full name",
        "Enter your date of birth",
        "Enter the name of someone we can call in an emergency",
        "Enter the emergency contact's phone number",
        "Type your full name as your signature",
        "Tick the box to agree to sign electronically",
        "Tick the box to agree to the waiver",
    ]
    shown = page.shown()
    assert not [name for name in INTERNAL_NAMES if name in shown], shown
    assert "is required" not in shown and "(optional)" not in shown.split("Date of birth")[1].split("Their phone")[0]


def test_each_summary_link_leads_to_its_field_marked_invalid_and_described_by_the_same_message(
    client: TestClient,
) -> None:
    book(client)

    response = sign(client, {"email": "ana at example", "with_children": "yes", "child_1_name": "Leo Lima"})

    page = Page(response.text)
    links = summary_links(response.text)
    assert ("email", "Enter an email address like name@example.org, or leave it empty") in links
    assert ("relationship", "Choose whether you are the children's parent or legal guardian") in links
    assert ("child_1_born", "Enter the date of birth of child 1") in links
    for target, message in links:
        tag, attributes = page.by_id[target]
        assert tag in ("input", "select"), target
        assert attributes.get("aria-invalid") == "true", target
        described = attributes["aria-describedby"].split()
        assert f"{target}-error" in described and page.text_of(f"{target}-error") == message, target
    summary = page.by_id["error-summary"][1]
    assert "autofocus" in summary and summary["tabindex"] == "-1" and summary["role"] == "alert"
    assert 'value="Leo Lima"' in response.text and 'value="ana at example"' in response.text, "the answers are kept"


def test_a_parent_with_three_children_makes_four_records_in_one_post_and_the_count_goes_up_by_four(
    client: TestClient, ctx: Context
) -> None:
    book(client)
    before = client.get(f"/api/events/{SLUG}").json()["waivers_signed"]
    children = [("Leo Lima", "2016-02-10"), ("Mia Lima", "2019-07-01"), ("Théo Lima", "2012-11-30")]

    response = sign(client, family(*children))

    assert response.status_code == 303
    assert client.get(f"/api/events/{SLUG}").json()["waivers_signed"] == before + 4
    records = [record.signature for record in waivers.signatures(ctx, SLUG)[1]]
    assert [(r.guest_name, r.minor, r.guardian_name, r.guardian_relationship) for r in records] == [
        ("Ana Lima", False, "", ""),
        *((name, True, "Ana Lima", "parent") for name, _ in children),
    ]
    assert all(record.seal and waivers.waivers.seal_is_right(ctx.keys.seal, record) for record in records)
    assert [record.position for record in records] == [1, 2, 3, 4], "each record chained after the one before"
    shown = Page(client.get(party(client)).text).shown()
    assert "4 of 8" in shown and all(name in shown for name in ("Ana L.", "Leo L.", "Mia L.", "Théo L."))
    assert "Ana Lima" not in shown


def test_a_family_form_signs_once(client: TestClient) -> None:
    book(client)
    base = party(client)
    form = {**hidden_fields(client.get(f"{base}/waiver").text), **family(("Leo Lima", "2016-02-10"))}

    first = client.post(f"{base}/waiver", data=form, follow_redirects=False)
    again = client.post(f"{base}/waiver", data=form, follow_redirects=False)

    assert (first.status_code, again.status_code) == (303, 409)
    assert client.get(f"/api/events/{SLUG}").json()["waivers_signed"] == 2


def test_a_minor_alone_is_refused_and_nothing_is_written(client: TestClient, ctx: Context) -> None:
    book(client)

    response = sign(client, adult(guest_name="Leo Lima", typed_signature="Leo Lima", date_of_birth="2015-01-01"))

    assert response.status_code == 400
    assert (
        "date_of_birth",
        "You must be 18 or over on Saturday 23 May 2026 to sign. A parent or guardian signs "
        "for anyone younger, adding them as a child on their own form",
    ) in summary_links(response.text)
    assert waivers.signatures(ctx, SLUG)[1] == []


def test_a_child_of_eighteen_or_more_is_refused_on_their_own_row(client: TestClient, ctx: Context) -> None:
    book(client)

    response = sign(client, family(("Leo Lima", "2016-02-10"), ("Eva Lima", "2000-01-01")))

    assert response.status_code == 400
    assert summary_links(response.text) == [
        ("child_2_born", "Eva Lima is 18 or over on Saturday 23 May 2026, so they sign the waiver themselves")
    ]
    assert waivers.signatures(ctx, SLUG)[1] == []


def test_a_typed_signature_that_is_not_the_full_name_is_refused(client: TestClient, ctx: Context) -> None:
    book(client)
    piotr = {"guest_name": "Piotr Nowak", "email": ""}

    mismatched = sign(client, adult(**piotr, typed_signature="xx"))
    accents_and_case_aside = sign(client, adult(**piotr, typed_signature="  piotr   NOWÁK "))

    assert mismatched.status_code == 400
    assert summary_links(mismatched.text) == [
        ("typed_signature", "Type your full name exactly as above (Piotr Nowak) as your signature")
    ]
    assert accents_and_case_aside.status_code == 303
    assert [record.signature.typed_signature for record in waivers.signatures(ctx, SLUG)[1]] == ["piotr   NOWÁK"]


def test_adding_and_removing_a_child_without_javascript_keeps_the_answers(client: TestClient, ctx: Context) -> None:
    book(client)
    base = party(client)
    form = hidden_fields(client.get(f"{base}/waiver").text)

    added = client.post(f"{base}/waiver", data={**form, **family(("Leo Lima", "2016-02-10")), "add_child": "yes"})
    removed = client.post(
        f"{base}/waiver",
        data={**form, **family(("Leo Lima", "2016-02-10"), ("Mia Lima", ""), ("Ana", "")), "remove_child": "1"},
    )

    assert added.status_code == 200 and 'id="child_2_name"' in added.text and 'value="Leo Lima"' in added.text
    assert 'id="child_3_name"' not in added.text and 'value="Ana Lima"' in added.text
    assert 'id="child_1_name" name="child_1_name" type="text" value="Mia Lima"' in removed.text
    assert 'id="child_2_name" name="child_2_name" type="text" value="Ana"' in removed.text
    assert 'id="child_3_name"' not in removed.text and "Leo Lima" not in removed.text
    assert waivers.signatures(ctx, SLUG)[1] == [], "adding or removing a row signs nothing"


def test_with_no_waiver_set_a_guest_link_offers_no_form_and_a_post_is_refused(client: TestClient, ctx: Context) -> None:
    base = str(client.post("/api/events", json=event_body()).json()["guest_url"])
    event = queries.get_event(ctx, SLUG)
    token = tokens.form_token(ctx.keys.form, f"waiver:{event.key}", ctx.clock.now(), "a-nonce")
    token_form = {"form_token": token, "version_id": "1", "version_hash": "0" * 64}

    page = client.get(base)
    form = client.get(f"{base}/waiver")
    posted = client.post(f"{base}/waiver", data={**token_form, **adult()}, follow_redirects=False)
    health = client.get("/healthz").json()

    assert page.status_code == 200 and "The waiver is not ready yet" in page.text
    assert f"{base}/waiver" not in page.text and "<form" not in page.text
    assert form.status_code == 409 and "The waiver is not ready yet" in form.text and "<form" not in form.text
    assert posted.status_code == 409 and "The waiver is not ready yet" in posted.text and "<form" not in posted.text
    assert waivers.signatures(ctx, SLUG)[1] == [] and health["waiver_ready"] is False
    assert client.get("/api/waiver").json()["error"]["code"] == "waiver_not_ready"
    client.put("/api/waiver", json={"text": WAIVER_TEXT})
    assert "scc waiver set FILE" in health["waiver_next_step"]
    assert client.get("/healthz").json()["waiver_ready"] is True and "<form" in client.get(f"{base}/waiver").text
    assert client.get("/healthz").json()["waiver_next_step"] == ""


def test_before_the_consent_box_the_form_says_paper_is_possible_how_to_withdraw_and_what_a_copy_needs(
    client: TestClient,
) -> None:
    book(client)

    shown = Page(client.get(f"{party(client)}/waiver").text).shown()

    before_consent = shown.split("I agree to sign electronically")[0]
    assert "You may sign on paper instead" in before_consent
    assert "To withdraw your consent to sign and receive this waiver electronically" in before_consent
    assert "you need a device that can open a PDF" in before_consent


def test_a_signature_on_a_store_that_loses_every_race_is_a_503_page_and_the_same_form_signs_afterwards(
    client: TestClient, ctx: Context
) -> None:
    book(client)
    base = party(client)
    form = {**hidden_fields(client.get(f"{base}/waiver").text), **adult()}

    with TestClient(create_app(losing_races(ctx)), raise_server_exceptions=False) as busy:
        refused = busy.post(f"{base}/waiver", data=form, follow_redirects=False)
    again = client.post(f"{base}/waiver", data=form, follow_redirects=False)

    assert (refused.status_code, refused.headers["retry-after"]) == (503, "1")
    assert "Nothing was saved yet" in refused.text
    assert again.status_code == 303
    assert [record.signature.guest_name for record in waivers.signatures(ctx, SLUG)[1]] == ["Ana Lima"]

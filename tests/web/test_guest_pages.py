"""Guest pages and the waiver form, in-process. The browser tests drive the same pages in Chromium."""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
import zlib

from starlette.testclient import TestClient

from shipcaptaincrew.services import waivers
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.app import create_app
from tests.builders import WAIVER_TEXT, event_body
from tests.fakes import FakeClock, losing_races

SLUG = "2026-05-23-sarah-pm"


def book(client: TestClient, **overrides: object) -> str:
    """Set the operator's waiver and book the event; return its party page's path, secret included."""
    assert client.put("/api/waiver", json={"text": WAIVER_TEXT}).status_code == 200
    created = client.post("/api/events", json=event_body(**overrides))
    assert created.status_code == 201
    return str(created.json()["guest_url"])


def party(client: TestClient, slug: str = SLUG) -> str:
    return str(client.get(f"/api/events/{slug}").json()["guest_url"])


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def adult(**overrides: str) -> dict[str, str]:
    answers = {
        "guest_name": "Ana Lima",
        "email": "ana@example.org",
        "phone": "+1 555 0111",
        "date_of_birth": "1990-04-23",
        "emergency_name": "Rui Lima",
        "emergency_phone": "+1 555 0112",
        "typed_signature": "Ana Lima",
        "consent": "yes",
        "agreement": "yes",
    }
    answers.update(overrides)
    return {name: value for name, value in answers.items() if value is not None}


def sign(client: TestClient, answers: dict[str, str], slug: str = SLUG, **tamper: str):  # type: ignore[no-untyped-def]
    base = party(client, slug)
    form = hidden_fields(client.get(f"{base}/waiver").text)
    return client.post(f"{base}/waiver", data={**form, **answers, **tamper}, follow_redirects=False)


def test_the_party_page_shows_the_charter_and_the_signing_progress(client: TestClient) -> None:
    book(client)

    page = client.get(party(client))

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Saturday 23 May 2026" in page.text and "13:00\u201317:00" in page.text
    assert "<strong>0 of 8</strong>" in page.text and f'href="{party(client)}/waiver"' in page.text


def test_an_unknown_slug_is_a_friendly_404_never_the_dispatch_page(anonymous: TestClient) -> None:
    for path in ["/g/2026-05-23", "/g/2026-05-23/waiver", "/g/nope/signed/abc", "/g/a/b/c/d"]:
        page = anonymous.get(path)
        assert page.status_code == 404, path
        assert "Charter not found" in page.text and "dispatch" not in page.text.lower(), path


def test_an_old_slug_redirects_to_the_new_one_with_the_same_secret(client: TestClient) -> None:
    old = book(client)
    client.patch(f"/api/events/{SLUG}", json={"version": 1, "date": "2026-05-30"})

    page = client.get(f"{old}/waiver", follow_redirects=False)

    secret = old.rsplit("/", 1)[1]
    assert (page.status_code, page.headers["location"]) == (301, f"/g/2026-05-30-sarah-pm/{secret}/waiver")


def test_the_form_is_small_and_carries_the_version_it_shows(client: TestClient, ctx: Context) -> None:
    book(client)

    page = client.get(f"{party(client)}/waiver")

    current = waivers.current_waiver(ctx)
    assert len(page.content) < 30_000
    assert current is not None and hidden_fields(page.text)["version_hash"] == current.sha256
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert scripts == [f'<script type="module" src="/g/_static/{name}.js">' for name in ("signature", "form-check")]


def test_an_adult_signs_and_gets_a_copy_and_the_progress_goes_up(client: TestClient, ctx: Context) -> None:
    book(client)

    response = sign(client, adult())

    assert response.status_code == 303
    copy = client.get(response.headers["location"])
    assert "Ana Lima" in copy.text and "SHA-256" in copy.text
    assert "<strong>1 of 8</strong>" in client.get(party(client)).text
    assert "Ana Lima" not in client.get(party(client)).text, "a full name is never shown on the party page"
    [record] = waivers.signatures(ctx, SLUG)[1]
    signature = record.signature
    assert (signature.minor, signature.ip, signature.consent_label) == (
        False,
        "testclient",
        waivers.waivers.CONSENT_LABEL,
    )
    assert signature.seal and waivers.waivers.seal_is_right(ctx.keys.seal, signature)


def test_the_signer_gets_the_copy_by_email_and_as_a_pdf(client: TestClient, ctx: Context) -> None:
    book(client)

    location = sign(client, adult()).headers["location"]

    pdf = client.get(f"{location}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    messages = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in ctx.mailer.folder.glob("*.eml")
    ]  # type: ignore[attr-defined]
    [copy] = [message for message in messages if message["To"] == "ana@example.org"]
    text = copy.get_body(("plain",)).get_content()  # type: ignore[attr-defined]
    assert location in text and "Ana Lima" in text and WAIVER_TEXT.split("\n")[0] in text


def test_a_guest_who_turns_eighteen_after_the_charter_is_a_minor_and_cannot_sign_alone(client: TestClient) -> None:
    book(client)

    response = sign(client, adult(date_of_birth="2008-05-24"))

    assert response.status_code == 400 and 'id="date_of_birth-error"' in response.text
    assert "You must be 18 or over on Saturday 23 May 2026 to sign" in response.text


def test_each_missing_or_bad_answer_is_named_on_the_form(client: TestClient) -> None:
    book(client)
    cases = {
        "guest_name": adult(guest_name=""),
        "date_of_birth": adult(date_of_birth="23/04/1990"),
        "emergency_phone": adult(emergency_phone=""),
        "typed_signature": adult(typed_signature=""),
        "consent": adult(consent=None),  # type: ignore[arg-type]
        "agreement": adult(agreement=None),  # type: ignore[arg-type]
        "email": adult(email="ana at example"),
    }
    for field, answers in cases.items():
        response = sign(client, answers)
        assert response.status_code == 400, field
        assert f'id="{field}-error"' in response.text, field


def test_a_tampered_version_hash_is_refused_with_the_current_text_shown_again(client: TestClient, ctx: Context) -> None:
    book(client)

    response = sign(client, adult(), version_hash="0" * 64)

    assert response.status_code == 409
    assert "has changed" in response.text
    current = waivers.current_waiver(ctx)
    assert current is not None and hidden_fields(response.text)["version_hash"] == current.sha256
    assert waivers.signatures(ctx, SLUG)[1] == []


def test_a_form_opened_before_the_text_changed_is_refused(client: TestClient, ctx: Context) -> None:
    book(client)
    form = hidden_fields(client.get(f"{party(client)}/waiver").text)

    waivers.set_waiver_text(ctx, "A new waiver text.", "test")
    response = client.post(f"{party(client)}/waiver", data={**form, **adult()}, follow_redirects=False)

    assert response.status_code == 409 and "A new waiver text." in response.text


def test_an_expired_form_is_refused_and_the_answers_kept(client: TestClient, clock: FakeClock) -> None:
    book(client)
    form = hidden_fields(client.get(f"{party(client)}/waiver").text)

    clock.advance(hours=7)
    response = client.post(f"{party(client)}/waiver", data={**form, **adult()}, follow_redirects=False)

    assert response.status_code == 400 and "expired" in response.text and 'value="Ana Lima"' in response.text


def test_a_forged_form_token_is_refused(client: TestClient) -> None:
    book(client)

    assert sign(client, adult(), form_token="1700000000.forged").status_code == 400


def test_a_cancelled_charter_refuses_signing(client: TestClient) -> None:
    book(client)
    form = hidden_fields(client.get(f"{party(client)}/waiver").text)
    client.patch(f"/api/events/{SLUG}", json={"version": 1, "status": "cancelled"})

    response = client.post(f"{party(client)}/waiver", data={**form, **adult()}, follow_redirects=False)

    assert response.status_code == 409 and "cancelled" in response.text
    assert client.get(f"{party(client)}/waiver").status_code == 409


def test_signing_is_rate_limited_per_client(client: TestClient) -> None:
    book(client)
    statuses = [sign(client, adult(guest_name="")).status_code for _ in range(61)]

    assert statuses[:60] == [400] * 60 and statuses[60] == 429


def test_a_signature_that_loses_every_race_asks_the_guest_to_send_the_form_again(
    client: TestClient, ctx: Context
) -> None:
    base = book(client)
    form = hidden_fields(client.get(f"{base}/waiver").text)
    raced = losing_races(ctx)

    with TestClient(create_app(raced), raise_server_exceptions=False) as guest:
        answer = guest.post(f"{base}/waiver", data={**form, **adult()}, follow_redirects=False)

    assert (answer.status_code, answer.headers["retry-after"]) == (503, "1")
    assert "text/html" in answer.headers["content-type"] and "send the form again" in answer.text
    assert client.post(f"{base}/waiver", data={**form, **adult()}, follow_redirects=False).status_code == 303


def test_a_huge_form_is_413(client: TestClient) -> None:
    book(client)

    response = sign(client, adult(drawn_signature="data:image/png;base64," + "A" * 300_000))

    assert response.status_code == 413


def test_a_hostile_guest_name_is_inert_in_the_copy_and_the_admin_list(client: TestClient) -> None:
    book(client)
    payload = "<img src=x onerror=alert(1)>"

    location = sign(client, adult(guest_name=payload, typed_signature=payload)).headers["location"]

    copy = client.get(location).text
    assert payload not in copy and "&lt;img src=x onerror=alert(1)&gt;" in copy
    listed = client.get(f"/api/events/{SLUG}/waivers").json()["signatures"]
    assert listed[0]["guest_name"] == payload  # JSON carries it as data; the board renders with textContent


def test_signatures_are_listed_for_the_admin_only(client: TestClient, anonymous: TestClient) -> None:
    book(client)
    sign(client, adult())

    listed = client.get(f"/api/events/{SLUG}/waivers").json()

    assert listed["party_size"] == 8 and listed["signatures"][0]["guest_name"] == "Ana Lima"
    del anonymous.headers["Authorization"]
    assert anonymous.get(f"/api/events/{SLUG}/waivers").status_code == 401


def test_the_waiver_text_is_versioned_through_the_api(client: TestClient) -> None:
    client.put("/api/waiver", json={"text": WAIVER_TEXT})
    first = client.get("/api/waiver").json()

    second = client.put("/api/waiver", json={"text": "Be safe.\n"}).json()
    again = client.put("/api/waiver", json={"text": "Be safe."}).json()

    assert second["id"] == first["id"] + 1 and again["id"] == second["id"]
    assert second["sha256"] == __import__("hashlib").sha256(b"Be safe.").hexdigest()


def test_guest_pages_carry_the_security_headers(client: TestClient, ctx: Context) -> None:
    book(client)

    for path in [party(client), f"{party(client)}/waiver", "/g/nope"]:
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["cache-control"] == "no-store", path


def test_the_pdf_copy_prints_a_name_beyond_latin_1_as_typed(client: TestClient) -> None:
    book(client)
    name = "Łukasz Żółć-Nguyễn"
    location = sign(client, adult(guest_name=name, typed_signature=name)).headers["location"]

    pdf = client.get(f"{location}.pdf")

    assert pdf.status_code == 200
    printable = characters_the_pdf_can_show(pdf.content)
    assert set(name) <= printable, set(name) - printable


def test_a_character_no_bundled_font_has_prints_as_a_question_mark_and_the_copy_still_comes(
    client: TestClient,
) -> None:
    book(client)
    location = sign(client, adult(guest_name="Ana 李", typed_signature="Ana 李")).headers["location"]

    pdf = client.get(f"{location}.pdf")

    assert pdf.status_code == 200
    assert "?" in characters_the_pdf_can_show(pdf.content) and "李" not in characters_the_pdf_can_show(pdf.content)


def characters_the_pdf_can_show(content: bytes) -> set[str]:
    """Every character the embedded fonts' ToUnicode maps name: what a reader can show and copy out of the PDF."""
    shown: set[str] = set()
    for match in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", content):
        data = content[match.end() : match.end() + int(match.group(1))]
        with contextlib.suppress(zlib.error):
            data = zlib.decompress(data)
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            shown |= {chr(int(code, 16)) for code in re.findall(rb"<[0-9A-F]{4}> <([0-9A-F]{4,})>", block)}
    return shown

"""The signer's copy in words for guests, on the page, in its PDF and attached to its email."""

from __future__ import annotations

import email
import email.policy
import io
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from starlette.testclient import TestClient

from shipcaptaincrew.services import demo, waivers
from shipcaptaincrew.services.context import Context
from tests.builders import event_body
from tests.web.test_guest_pages import adult, book, sign
from tests.web.test_waiver_form import Page, family


def delivered(ctx: Context) -> list[EmailMessage]:
    folder: Path = ctx.mailer.folder  # type: ignore[attr-defined]
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for path in sorted(folder.glob("*.eml"))
    ]


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_copy_email_carries_each_persons_copy_as_a_pdf_that_opens(client: TestClient, ctx: Context) -> None:
    book(client)

    assert sign(client, family(("Leo Lima", "2016-02-10"))).status_code == 303

    [message] = [message for message in delivered(ctx) if message["To"] == "ana@example.org"]
    attached = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert [part.get_filename() for part in attached] == ["signed-waiver-analima.pdf", "signed-waiver-leolima.pdf"]
    for part, name in zip(attached, ("Ana Lima", "Leo Lima"), strict=True):
        reader, text = pdf_text(part.get_content())
        assert reader.metadata is not None
        assert reader.metadata.title == f"Signed liability waiver: {name}"
        assert reader.metadata.author == "ShipCaptainCrew charters"
        assert reader.metadata.subject is not None and name in reader.metadata.subject
        assert name in text and "Audit details" in text and "scc " not in text
    body = message.get_body(("plain",))
    assert body is not None and "You signed it for Leo Lima too." in body.get_content()


def test_no_guest_page_or_pdf_shows_a_command(client: TestClient, ctx: Context) -> None:
    waivers.current_waiver(ctx)  # as `scc serve` asks on a fresh store
    base = str(client.post("/api/events", json=event_body()).json()["guest_url"])
    fresh = [client.get(path).text for path in (base, f"{base}/waiver")]
    assert not [page for page in fresh if "scc " in Page(page).shown() or "scc waiver" in page]

    demo.load_sample_waiver(ctx)  # as `scc serve --demo` does
    location = sign(client, adult()).headers["location"]
    pages = [client.get(path).text for path in (base, f"{base}/waiver", location)]
    _, text = pdf_text(client.get(f"{location}.pdf").content)

    assert not [page for page in pages if "scc " in Page(page).shown() or "scc waiver" in page]
    assert "scc " not in text and "SAMPLE WAIVER" in text


def test_the_copy_speaks_the_operators_name_and_time_zone_and_keeps_the_proof_under_audit_details(
    client: TestClient, ctx: Context
) -> None:
    ctx.zone, ctx.operator = ZoneInfo("America/New_York"), "Harbour Charters"
    book(client)

    location = sign(client, adult()).headers["location"]

    shown = Page(client.get(location).text).shown()
    guest_part, audit = shown.split("Audit details")
    assert "Saturday 23 May 2026, Afternoon, 13:00\u201317:00, with Harbour Charters" in guest_part
    assert "Friday 1 May 2026 at 5:00 (EDT)" in guest_part and "born Monday 23 April 1990" in guest_part
    assert "+00:00" not in guest_part and "SHA-256" not in guest_part and "testclient" not in guest_part
    assert "2026-05-01T09:00:00+00:00" in audit and "Record SHA-256" in audit and "testclient" in audit
    reader, text = pdf_text(client.get(f"{location}.pdf").content)
    assert reader.metadata is not None and reader.metadata.author == "Harbour Charters"
    assert "Friday 1 May 2026 at 5:00 (EDT)" in text and text.index("Audit details") < text.index("Record SHA-256")

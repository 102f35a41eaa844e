"""Email bodies: Jinja2 text and HTML parts rendered from the facts the domain builds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from shipcaptaincrew.adapters.mail_mime import message_bytes
from shipcaptaincrew.adapters.mail_render import render
from shipcaptaincrew.domain import mail, waivers
from shipcaptaincrew.domain.bookings import Assignment, Event, Ref
from shipcaptaincrew.domain.guest_words import GuestWords
from shipcaptaincrew.domain.ledger import Entry, PaymentDraft
from shipcaptaincrew.domain.mail import Email
from shipcaptaincrew.domain.seals import ChainHead
from shipcaptaincrew.domain.waiver_copy import FamilyCopy, copy_email, copy_sheet, copy_text
from shipcaptaincrew.domain.waivers import Signature
from shipcaptaincrew.services import booking, guest_links, outbox, payments, queries
from shipcaptaincrew.services.context import Context
from tests.builders import event_details

HOSTILE = "<script>alert(1)</script> O'Neil & Sons"
KEY = b"seal-key-for-templates-0123456789"
PARTY = "/g/2026-05-23-sarah-pm/secret-of-the-party"
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def an_event(**more: object) -> Event:
    details = event_details(amount_due_cents=90000)
    details = replace(details, patron=replace(details.patron, first_name="Sarah", email="sarah@example.org"))
    return Event("2026-05-23-sarah-pm", details, NOW, NOW, **more)  # type: ignore[arg-type]


def a_signature(minor: bool = False) -> tuple[Signature, waivers.WaiverVersion]:
    version = waivers.new_version(1, "You sail at your own risk.", NOW)
    guardian = ("Ana Lima", "parent", "Ana Lima") if minor else ("", "", "")
    signature = Signature(
        "sig-1",
        "2026-05-23-sarah-pm",
        HOSTILE,
        "guest@example.org",
        "+1 555 0101",
        "1990-02-03",
        minor,
        *guardian,
        "Pat Lima",
        "+1 555 0102",
        "Leo Lima",
        "",
        waivers.CONSENT_LABEL,
        waivers.AGREEMENT_LABEL,
        version.id,
        version.sha256,
        NOW.isoformat(),
        "203.0.113.9",
        "Firefox",
        "copy-token-abc",
    )
    return waivers.sealed(KEY, signature, ChainHead()), version


def parts(email: Email) -> tuple[str, str, EmailMessage]:
    message: EmailMessage = message_from_bytes(
        message_bytes(email, "<m@scc>", "Ops <ops@example.org>"), policy=policy.default
    )  # type: ignore[assignment]
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content().replace("\r\n", "\n"), html.get_content(), message


def test_a_payment_queues_a_receipt_sent_as_text_and_html_alternatives(ctx: Context) -> None:
    details = replace(
        event_details(amount_due_cents=90000), patron=replace(event_details().patron, email="s@example.org")
    )
    booking.create_event(ctx, details, "test")
    payments.log_payment(ctx, "2026-05-23-sarah-pm", PaymentDraft(40000, "venmo", HOSTILE, reference="@sarah"), "t")
    [queued] = [message for message in outbox.recent(ctx) if message.kind == "receipt"]

    text, html, message = parts(queued.email)

    assert message.get_content_type() == "multipart/alternative"
    assert "$400.00 by Venmo" in text and "Balance: $500.00" in text and "Reference: @sarah" in text
    assert "$400.00" in html and "&lt;script&gt;" in html and "<script>" not in html
    assert text == queued.email.text  # the outbox's preview is exactly what the guest reads


def test_the_receipt_links_to_the_party_page_at_the_public_address_a_mail_program_can_open(ctx: Context) -> None:
    ctx.public_url = "https://charters.example.com"
    details = replace(event_details(), patron=replace(event_details().patron, email="s@example.org"))
    booking.create_event(ctx, details, "test")
    payments.log_payment(ctx, "2026-05-23-sarah-pm", PaymentDraft(40000, "venmo", "Sarah"), "t")
    [queued] = [message for message in outbox.recent(ctx) if message.kind == "receipt"]

    text, html, _ = parts(queued.email)

    link = "https://charters.example.com" + guest_links.party_path(ctx, queries.get_event(ctx, "2026-05-23-sarah-pm"))
    assert f"signs the waiver:\n{link}\n" in text
    assert f'<a href="{link}" style="word-break:break-all">{link}</a>' in html


def test_a_receipt_queued_before_links_were_absolute_still_renders_its_template() -> None:
    email = mail.payment_receipt(
        an_event(), Entry("pay_1", "2026-05-23-sarah-pm", "payment", 100, "cash", "S", "t", NOW), PARTY
    )
    older = replace(email, facts={name: value for name, value in email.facts.items() if name != "party_url"})

    text, html, _ = parts(older)

    assert f"signs the waiver:\n{PARTY}" in text and "Sent by ShipCaptainCrew" in html


def copies(*signed: Signature, version: waivers.WaiverVersion) -> list[FamilyCopy]:
    words = GuestWords("Harbour Charters")
    return [
        FamilyCopy(
            copy_sheet(an_event(), signature, version, None, words),
            waivers.copy_path(PARTY, signature),
            signature.copy_token,
        )
        for signature in signed
    ]


def test_the_waiver_copy_template_says_what_the_domain_copy_says_and_escapes_the_html() -> None:
    signature, version = a_signature(minor=True)
    email = copy_email("guest@example.org", an_event().details.date, copies(signature, version=version))

    text, html, _ = parts(email)

    assert text == copy_text(copies(signature, version=version), "")
    assert "Signed for them by: Ana Lima, their parent" in text and signature.record_hash in html
    assert "&lt;script&gt;" in html and "<script>" not in html and "You sail at your own risk." in html
    assert "Charter: Saturday 23 May 2026, Afternoon, 13:00\u201317:00, with Harbour Charters" in text
    assert (
        text.index("Audit details") < text.index(signature.record_hash)
        and "2026-05-01T09:00:00" not in (text.split("Audit details")[0])
    )


def test_a_crew_assignment_names_the_role_the_ship_and_the_charter() -> None:
    crew = (Ref("per_2", "Joe"), Ref("per_3", "Kim"))
    event = an_event(assignment=Assignment(Ref("shp_1", "Osprey"), Ref("per_1", "Maria Santos"), crew))

    text, html, message = parts(mail.crew_assignment(event, "Joe", "joe@example.org", "crew", "13:00-17:00"))

    assert message["Subject"] == "Assignment: crew - 2026-05-23 pm charter" and message["To"] == "joe@example.org"
    assert "as crew on the charter of 2026-05-23 (pm, 13:00-17:00)" in text
    assert "Ship: Osprey" in text and "Captain: Maria Santos" in text and "Crew: Joe, Kim" in text
    assert "Osprey" in html and "Maria Santos" in html


def test_a_crew_assignment_links_the_calendar_feed_in_both_parts_and_older_messages_render_without_it() -> None:
    feed = "https://charters.example.com/cal/token-abc.ics"
    email = mail.crew_assignment(an_event(), "Joe", "joe@example.org", "crew", "13:00-17:00", feed)
    older = replace(email, facts={name: value for name, value in email.facts.items() if name != "calendar_url"})

    text, html, _ = parts(email)
    old_text, _, _ = parts(older)

    assert f"add to your phone once: {feed}" in text and f'<a href="{feed}">' in html
    assert "calendar" not in old_text and "Reference: 2026-05-23-sarah-pm" in old_text


def test_a_message_without_a_template_is_plain_text_only() -> None:
    assert render(Email("a@example.org", "Hi", "Just text\n")) == ("Just text\n", "")


def test_a_template_that_cannot_render_falls_back_to_the_text_rather_than_losing_the_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = Email("a@example.org", "Hi", "The domain's text\n", "receipt", {"patron_name": "only this"})

    assert render(broken) == ("The domain's text\n", "")
    assert "receipt" in caplog.text


def test_the_waiver_copy_links_to_the_signed_copy_at_the_public_address_and_names_its_attachment() -> None:
    signature, version = a_signature()
    email = copy_email(
        "guest@example.org", an_event().details.date, copies(signature, version=version), "https://charters.example.com"
    )

    text, html, _ = parts(email)

    link = f"https://charters.example.com{PARTY}/signed/copy-token-abc"
    assert f"{HOSTILE}: {link}\n" in text and f"{HOSTILE}: {link}\n" in email.text
    assert f'<a href="{link}">{link}</a>' in html
    assert email.attachment_names() == ["waiver-copy:copy-token-abc"]

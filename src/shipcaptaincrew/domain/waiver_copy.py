"""The signer's copy in words for guests: one sheet that the copy page, its PDF and the email all show.

What a guest reads (the charter, who signed, when, in the operator's time zone) comes first; what proves the
record (ids, hashes, the UTC time, the IP address and the browser) goes under "Audit details".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shipcaptaincrew.domain import mail
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.guest_words import GuestWords, long_day
from shipcaptaincrew.domain.waivers import Signature, Void, WaiverVersion

Facts = tuple[tuple[str, str], ...]
COPY_ATTACHMENT = "waiver-copy"
"""An attachment the delivery renders when it sends: `waiver-copy:<copy token>`, the signer's copy as a PDF."""


@dataclass(frozen=True)
class CopySheet:
    title: str
    operator: str
    guest_name: str
    subject: str
    """One line about the document, for the PDF's metadata."""
    void_notice: str
    facts: Facts
    audit: Facts
    version_id: int
    waiver_text: str
    drawn_signature: str


def copy_sheet(
    event: Event, signature: Signature, version: WaiverVersion, void: Void | None, words: GuestWords
) -> CopySheet:
    day = long_day(event.details.date)
    notice = ""
    if void is not None:
        notice = (
            f"This signature was voided on {words.local_day(void.voided_at)} by {words.operator}, and no longer "
            f"counts for the charter: {void.reason}"
        )
    return CopySheet(
        title=f"Signed liability waiver: {signature.guest_name}",
        operator=words.operator,
        guest_name=signature.guest_name,
        subject=f"Liability waiver signed for {signature.guest_name}, charter with {words.operator} on {day}",
        void_notice=notice,
        facts=guest_facts(event, signature, words),
        audit=audit_facts(signature, version),
        version_id=version.id,
        waiver_text=version.text,
        drawn_signature=signature.drawn_signature,
    )


def guest_facts(event: Event, signature: Signature, words: GuestWords) -> Facts:
    guest = f"{signature.guest_name}, born {_day(signature.date_of_birth)}"
    facts = [
        ("Charter", f"{words.charter(event.details.date, event.details.period)}, with {words.operator}"),
        ("Guest", f"{guest}, under 18" if signature.minor else guest),
    ]
    if signature.minor:
        facts.append(("Signed for them by", f"{signature.guardian_name}, their {signature.guardian_relationship}"))
    return (
        *facts,
        ("Emergency contact", f"{signature.emergency_name}, {signature.emergency_phone}"),
        ("Signature", signature.typed_signature or "Drawn, below"),
        ("Signed", words.moment(signature.signed_at)),
        ("Consent", signature.consent_label),
        ("Agreement", signature.agreement_label),
    )


def audit_facts(signature: Signature, version: WaiverVersion) -> Facts:
    return (
        ("Record", signature.id),
        ("Record SHA-256", signature.record_hash),
        ("Waiver version", f"{version.id}, text SHA-256 {version.sha256}"),
        ("Signed at (UTC)", signature.signed_at),
        ("Charter reference", signature.signed_slug or signature.event_slug),
        ("IP address", signature.ip),
        ("Browser", signature.user_agent),
    )


def _day(stored: str) -> str:
    try:
        return long_day(date.fromisoformat(stored))
    except ValueError:
        return stored


@dataclass(frozen=True)
class FamilyCopy:
    """One person's record and where their copy is (a path under the party's link)."""

    sheet: CopySheet
    path: str
    copy_token: str


def copy_text(copies: list[FamilyCopy], base_url: str) -> str:
    """The email's text: who signed, each person's copy link, the adult's sheet, the waiver text."""
    first = copies[0].sheet
    lines = [
        f"Hello {first.guest_name},",
        "",
        _signed_line(copies),
        "",
        "Your signed copy is attached as a PDF. "
        "To keep it you need a device that can open a PDF; ask us for a paper copy at any time.",
        "",
    ]
    lines += [f"{copy.sheet.guest_name}: {base_url}{copy.path}" for copy in copies]
    lines += ["", *(f"{label}: {value}" for label, value in first.facts), "", "Audit details"]
    lines += [f"{label}: {value}" for label, value in first.audit]
    lines += ["", f"--- The waiver you signed (version {first.version_id}) ---", first.waiver_text]
    return "\n".join(lines) + "\n"


def _signed_line(copies: list[FamilyCopy]) -> str:
    first = copies[0].sheet
    children = ", ".join(copy.sheet.guest_name for copy in copies[1:])
    line = f"You signed the liability waiver for your charter with {first.operator} ({dict(first.facts)['Charter']})."
    return f"{line} You signed it for {children} too." if children else line


def copy_email(to: str, charter_day: date, copies: list[FamilyCopy], base_url: str = "") -> mail.Email:
    """The signer's copy (and each child's they signed for), attached as PDFs when the message is sent."""
    first = copies[0].sheet
    subject = mail.header_safe(f"Your signed waiver - charter on {long_day(charter_day)}")
    facts = {
        "guest_name": first.guest_name,
        "signed_line": _signed_line(copies),
        "copies": "\n".join(f"{copy.sheet.guest_name}\t{base_url}{copy.path}" for copy in copies),
        "facts": "\n".join(f"{label}\t{value}" for label, value in first.facts),
        "audit": "\n".join(f"{label}\t{value}" for label, value in first.audit),
        "version_id": str(first.version_id),
        "waiver_text": first.waiver_text,
        mail.ATTACHMENTS: " ".join(f"{COPY_ATTACHMENT}:{copy.copy_token}" for copy in copies),
    }
    return mail.Email(mail.header_safe(to), subject, copy_text(copies, base_url), "waiver_copy", facts)

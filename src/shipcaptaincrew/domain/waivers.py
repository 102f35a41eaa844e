"""Liability waivers: immutable versions of the text, and signatures that record how, when and by whom.

A signature is a record never edited: it is sealed and chained (`seals.py`) with the event's key and slug as
they were at signing. A void is a record of its own that takes a signature out of the count; the same person
signing again supersedes their earlier record, and both are kept.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, tzinfo

from shipcaptaincrew.domain import mail, seals
from shipcaptaincrew.domain.drawings import checked_drawing
from shipcaptaincrew.domain.errors import Conflict, InvalidInput
from shipcaptaincrew.domain.events import Event
from shipcaptaincrew.domain.periods import Periods
from shipcaptaincrew.domain.seals import ChainHead
from shipcaptaincrew.domain.text import clean_email, clean_line, clean_phone, clean_text

ADULT_AGE = 18
MAX_WAIVER_TEXT = 50_000
CONSENT_LABEL = (
    "I agree to sign this waiver electronically and to receive my copy by email; "
    "my electronic signature has the same effect as a handwritten one."
)
AGREEMENT_LABEL = "I have read this waiver and I agree to its terms, for myself and for the minor named above if any."


@dataclass(frozen=True)
class WaiverVersion:
    id: int
    text: str
    sha256: str
    created_at: datetime


class StaleWaiver(Conflict):
    """The form showed a waiver that is no longer current, or its hash was altered."""

    code = "stale_waiver"


class SigningClosed(Conflict):
    """The charter is over (or cancelled): its waiver can no longer be signed."""

    code = "signing_closed"


@dataclass(frozen=True)
class SignatureDraft:
    """What the guest typed, as received; `check_signature` validates it."""

    guest_name: str
    email: str
    phone: str
    date_of_birth: date | None
    emergency_name: str
    emergency_phone: str
    typed_signature: str
    consent: bool
    agreement: bool
    version_id: int
    version_hash: str
    guardian_name: str = ""
    guardian_relationship: str = ""
    guardian_signature: str = ""
    drawn_signature: str = ""


@dataclass(frozen=True)
class Signature:
    id: str
    event_slug: str
    guest_name: str
    email: str
    phone: str
    date_of_birth: str
    minor: bool
    guardian_name: str
    guardian_relationship: str
    guardian_signature: str
    emergency_name: str
    emergency_phone: str
    typed_signature: str
    drawn_signature: str
    consent_label: str
    agreement_label: str
    version_id: int
    version_hash: str
    signed_at: str
    ip: str
    user_agent: str
    copy_token: str
    record_hash: str = ""
    event_key: str = ""
    """The event's key in the store, as at signing (it never changes)."""
    signed_slug: str = ""
    """The event's slug as at signing; `event_slug` is its slug now, for links."""
    position: int | None = None
    previous_seal: str = ""
    seal: str = ""


NOT_SEALED = frozenset({"event_slug", "copy_token", "record_hash"})
"""The slug now (it moves with a rename), the copy link's token (a credential) and the hash (made from the rest)."""


@dataclass(frozen=True)
class Void:
    """A signature taken out of the count and the manifest, and why. The signature stays as it was."""

    id: str
    signature_id: str
    event_key: str
    reason: str
    actor: str
    voided_at: str
    position: int | None = None
    previous_seal: str = ""
    seal: str = ""


def new_version(version_id: int, text: str, now: datetime) -> WaiverVersion:
    body = text.replace("\r\n", "\n").strip()
    if not body:
        raise InvalidInput("the waiver text is empty", "text")
    if len(body) > MAX_WAIVER_TEXT:
        raise InvalidInput(f"the waiver text is longer than {MAX_WAIVER_TEXT} characters", "text")
    return WaiverVersion(version_id, body, text_hash(body), now)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_minor(date_of_birth: date, on: date) -> bool:
    years = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    return years < ADULT_AGE


def signing_closes_at(event: Event, periods: Periods, zone: tzinfo) -> datetime:
    """When the charter's period ends on its day, in the operator's time zone: signing closes then."""
    return datetime.combine(event.details.date, periods.get(event.details.period).ends, zone)


def check_open(event: Event, now: datetime, closes_at: datetime) -> None:
    """Raise SigningClosed for a cancelled charter or one whose period has ended."""
    if event.details.status == "cancelled":
        raise SigningClosed("this charter was cancelled, so its waiver can no longer be signed", "slug")
    if now >= closes_at:
        raise SigningClosed("this charter is over, so its waiver can no longer be signed", "slug")


def sign(event: Event, current: WaiverVersion, draft: SignatureDraft, identity: tuple[str, str],
         now: datetime, origin: tuple[str, str]) -> Signature:  # fmt: skip
    """A checked signature, not yet sealed. `identity` is (id, copy token); `origin` is (ip, user agent).

    Raise InvalidInput naming the field at fault, StaleWaiver if the form showed another version.
    """
    if (draft.version_id, draft.version_hash) != (current.id, current.sha256):
        raise StaleWaiver("the waiver text has changed since this form was opened; read it again and sign", "version")
    born = _date_of_birth(draft.date_of_birth, event.details.date)
    minor = is_minor(born, event.details.date)
    guardian = _guardian(draft) if minor else ("", "", "")
    signature = Signature(
        id=identity[0],
        event_slug=event.slug,
        guest_name=clean_line(draft.guest_name, "guest_name", max_len=120),
        email=clean_email(draft.email, "email"),
        phone=clean_phone(draft.phone, "phone"),
        date_of_birth=born.isoformat(),
        minor=minor,
        guardian_name=guardian[0],
        guardian_relationship=guardian[1],
        guardian_signature=guardian[2],
        emergency_name=clean_line(draft.emergency_name, "emergency_name", max_len=120),
        emergency_phone=_required_phone(draft.emergency_phone, "emergency_phone"),
        typed_signature=_typed_signature(draft.typed_signature, "typed_signature"),
        drawn_signature=checked_drawing(draft.drawn_signature) if draft.drawn_signature else "",
        consent_label=_checked(draft.consent, "consent", CONSENT_LABEL),
        agreement_label=_checked(draft.agreement, "agreement", AGREEMENT_LABEL),
        version_id=current.id,
        version_hash=current.sha256,
        signed_at=now.isoformat(),
        ip=origin[0][:64],
        user_agent=clean_text(origin[1][:400], "user_agent", max_len=400).replace("\n", " "),
        copy_token=identity[1],
        event_key=event.key,
        signed_slug=event.slug,
    )
    return signature


def sealed(key: bytes, record: Signature, head: ChainHead) -> Signature:
    """The signature placed after `head` in the chain, with its record hash and its seal."""
    linked = seals.link(record, head)
    content = seals.sealed_content(linked, NOT_SEALED)
    digest = hashlib.sha256(seals.canonical(content)).hexdigest()
    return replace(linked, record_hash=digest, seal=seals.seal_of(key, "signature", content))


def sealed_void(key: bytes, void: Void, head: ChainHead) -> Void:
    linked = seals.link(void, head)
    return replace(linked, seal=seals.seal_of(key, "void", seals.sealed_content(linked, frozenset())))


def seal_is_right(key: bytes, record: Signature | Void) -> bool:
    """Whether the record is as it was sealed (a record from before sealing: as it was hashed)."""
    if isinstance(record, Void):
        expected = seals.seal_of(key, "void", seals.sealed_content(record, frozenset()))
        return hmac.compare_digest(expected, record.seal)
    if not record.seal:
        return hmac.compare_digest(legacy_record_hash(record), record.record_hash)
    content = seals.sealed_content(record, NOT_SEALED)
    expected = seals.seal_of(key, "signature", content)
    digest = hashlib.sha256(seals.canonical(content)).hexdigest()
    return hmac.compare_digest(expected, record.seal) and hmac.compare_digest(digest, record.record_hash)


def legacy_record_hash(signature: Signature) -> str:
    """The unkeyed SHA-256 records were given before sealing, over the fields they had then."""
    fields = asdict(signature)
    for name in ("record_hash", "event_key", "signed_slug", "position", "previous_seal", "seal"):
        del fields[name]
    fields["event_slug"] = signature.signed_slug
    return hashlib.sha256(seals.canonical(fields)).hexdigest()


def signer(signature: Signature) -> tuple[str, str]:
    """Who signed, as one person: the name without case, accents or extra spaces, and the date of birth."""
    letters = unicodedata.normalize("NFKD", signature.guest_name)
    plain = "".join(char for char in letters if not unicodedata.combining(char)).casefold()
    return " ".join(plain.split()), signature.date_of_birth


def counted(signatures: Iterable[Signature], voided: Collection[str]) -> list[Signature]:
    """The signatures that count, in signing order: not voided, and each person's newest only."""
    newest: dict[tuple[str, str], Signature] = {}
    for signature in signatures:
        if signature.id not in voided:
            newest.pop(signer(signature), None)
            newest[signer(signature)] = signature
    return list(newest.values())


def _date_of_birth(value: date | None, event_day: date) -> date:
    if value is None:
        raise InvalidInput("date of birth is required", "date_of_birth")
    if value > event_day or value.year < event_day.year - 120:
        raise InvalidInput("date of birth must be a real date before the charter", "date_of_birth")
    return value


def _guardian(draft: SignatureDraft) -> tuple[str, str, str]:
    name = clean_line(draft.guardian_name, "guardian_name", max_len=120)
    relationship = clean_line(draft.guardian_relationship, "guardian_relationship", max_len=60)
    return name, relationship, _typed_signature(draft.guardian_signature, "guardian_signature")


def _typed_signature(value: str, field: str) -> str:
    typed = clean_line(value, field, max_len=120)
    if len(typed) < 2:
        raise InvalidInput(f"{field}: type your full name as your signature", field)
    return typed


def _required_phone(value: str, field: str) -> str:
    phone = clean_phone(value, field)
    if not phone:
        raise InvalidInput(f"{field} is required", field)
    return phone


def _checked(value: bool, field: str, label: str) -> str:
    if not value:
        raise InvalidInput(f"tick the box: {label}", field)
    return label


def copy_path(party_path: str, signature: Signature) -> str:
    """Where the signer's copy is, under the party's link (`guest_links.party_path`)."""
    return f"{party_path}/signed/{signature.copy_token}"


def copy_text(event: Event, signature: Signature, version: WaiverVersion, copy_url: str) -> str:
    """The signer's copy as plain text: what they signed, when, and how to find the record again."""
    guardian = ""
    if signature.minor:
        guardian = f"Guardian: {signature.guardian_name} ({signature.guardian_relationship}), "
        guardian += f"signed: {signature.guardian_signature}\n"
    return (
        f"Hello {signature.guest_name},\n\n"
        f"You signed the liability waiver for the charter on {event.details.date.isoformat()} "
        f"({event.details.period}).\n"
        f"Your copy, to print or save as PDF: {copy_url}\n\n"
        f"Guest: {signature.guest_name}, born {signature.date_of_birth}\n{guardian}"
        f"Emergency contact: {signature.emergency_name}, {signature.emergency_phone}\n"
        f"Signature: {signature.typed_signature}\nSigned at: {signature.signed_at} (UTC)\n"
        f"[x] {signature.consent_label}\n[x] {signature.agreement_label}\n"
        f"Record {signature.id}, SHA-256 {signature.record_hash}\n\n"
        f"--- Waiver text, version {version.id}, SHA-256 {version.sha256} ---\n{version.text}\n"
    )


def copy_email(event: Event, signature: Signature, version: WaiverVersion, path: str, base_url: str = "") -> mail.Email:
    """The signer's copy of what they signed, with the link to keep it (`path`, absolute with `base_url`)."""
    subject = mail.header_safe(f"Your signed waiver - {event.details.date.isoformat()} charter")
    facts = {
        "guest_name": signature.guest_name,
        "date": event.details.date.isoformat(),
        "period": event.details.period,
        "copy_path": path,
        "copy_url": f"{base_url}{path}",
        "date_of_birth": signature.date_of_birth,
        "guardian_name": signature.guardian_name if signature.minor else "",
        "guardian_relationship": signature.guardian_relationship if signature.minor else "",
        "guardian_signature": signature.guardian_signature if signature.minor else "",
        "emergency_name": signature.emergency_name,
        "emergency_phone": signature.emergency_phone,
        "typed_signature": signature.typed_signature,
        "signed_at": signature.signed_at,
        "consent_label": signature.consent_label,
        "agreement_label": signature.agreement_label,
        "record_id": signature.id,
        "record_hash": signature.record_hash,
        "version_id": str(version.id),
        "version_hash": version.sha256,
        "waiver_text": version.text,
    }
    return mail.Email(
        mail.header_safe(signature.email),
        subject,
        copy_text(event, signature, version, f"{base_url}{path}"),
        "waiver_copy",
        facts,
    )

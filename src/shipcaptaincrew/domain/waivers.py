"""Liability waivers: immutable versions of the text, and signatures that record how, when and by whom.

A signature's `record_hash` is a SHA-256 over every field of the record in a canonical form, so an
edit made behind the application's back is detectable (`verify`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from shipcaptaincrew.domain import mail
from shipcaptaincrew.domain.errors import Conflict, InvalidInput
from shipcaptaincrew.domain.events import Event
from shipcaptaincrew.domain.links import guest_path
from shipcaptaincrew.domain.text import clean_email, clean_line, clean_phone, clean_text

_PNG_DATA_URL = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]+={0,2}")
ADULT_AGE = 18
MAX_WAIVER_TEXT = 50_000
MAX_DRAWN_SIGNATURE = 150_000
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


def sign(event: Event, current: WaiverVersion, draft: SignatureDraft, identity: tuple[str, str],
         now: datetime, origin: tuple[str, str]) -> Signature:  # fmt: skip
    """A checked, hashed signature. `identity` is (id, copy token); `origin` is (ip, user agent).

    Raise InvalidInput naming the field at fault, StaleWaiver if the form showed another version,
    Conflict if the event is cancelled.
    """
    if event.details.status == "cancelled":
        raise Conflict("this charter was cancelled, so its waiver can no longer be signed", "slug")
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
        drawn_signature=_drawn(draft.drawn_signature),
        consent_label=_checked(draft.consent, "consent", CONSENT_LABEL),
        agreement_label=_checked(draft.agreement, "agreement", AGREEMENT_LABEL),
        version_id=current.id,
        version_hash=current.sha256,
        signed_at=now.isoformat(),
        ip=origin[0][:64],
        user_agent=clean_text(origin[1][:400], "user_agent", max_len=400).replace("\n", " "),
        copy_token=identity[1],
    )
    return sealed(signature)


def sealed(signature: Signature) -> Signature:
    """The signature with its record hash computed over every other field."""
    return replace(signature, record_hash=record_hash(signature))


def record_hash(signature: Signature) -> str:
    fields = asdict(signature)
    del fields["record_hash"]
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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


def _drawn(value: str) -> str:
    if not value:
        return ""
    if len(value) > MAX_DRAWN_SIGNATURE or not _PNG_DATA_URL.fullmatch(value):
        raise InvalidInput("the drawn signature must be a PNG image under 150 KB", "drawn_signature")
    return value


def _checked(value: bool, field: str, label: str) -> str:
    if not value:
        raise InvalidInput(f"tick the box: {label}", field)
    return label


def copy_text(event: Event, signature: Signature, version: WaiverVersion, base_url: str = "") -> str:
    """The signer's copy as plain text: what they signed, when, and how to find the record again."""
    guardian = ""
    if signature.minor:
        guardian = f"Guardian: {signature.guardian_name} ({signature.guardian_relationship}), "
        guardian += f"signed: {signature.guardian_signature}\n"
    return (
        f"Hello {signature.guest_name},\n\n"
        f"You signed the liability waiver for the charter on {event.details.date.isoformat()} "
        f"({event.details.period}).\n"
        f"Your copy, to print or save as PDF: {base_url}{guest_path(event.slug, 'signed', signature.copy_token)}\n\n"
        f"Guest: {signature.guest_name}, born {signature.date_of_birth}\n{guardian}"
        f"Emergency contact: {signature.emergency_name}, {signature.emergency_phone}\n"
        f"Signature: {signature.typed_signature}\nSigned at: {signature.signed_at} (UTC)\n"
        f"[x] {signature.consent_label}\n[x] {signature.agreement_label}\n"
        f"Record {signature.id}, SHA-256 {signature.record_hash}\n\n"
        f"--- Waiver text, version {version.id}, SHA-256 {version.sha256} ---\n{version.text}\n"
    )


def copy_email(event: Event, signature: Signature, version: WaiverVersion, base_url: str = "") -> mail.Email:
    """The signer's copy of what they signed, with the link to keep it (absolute with `base_url`, SCC_PUBLIC_URL)."""
    subject = mail.header_safe(f"Your signed waiver - {event.details.date.isoformat()} charter")
    facts = {
        "guest_name": signature.guest_name,
        "date": event.details.date.isoformat(),
        "period": event.details.period,
        "copy_path": guest_path(event.slug, "signed", signature.copy_token),
        "copy_url": base_url + guest_path(event.slug, "signed", signature.copy_token),
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
        mail.header_safe(signature.email), subject, copy_text(event, signature, version, base_url), "waiver_copy", facts
    )

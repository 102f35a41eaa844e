"""Liability waivers: immutable versions of the text, and signatures that record how, when and by whom.

A signature is a record never edited: it is sealed and chained (`seals.py`) with the event's key and slug as
they were at signing. A void is a record of its own that takes a signature out of the count; the same person
signing again supersedes their earlier record, and both are kept.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Collection, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, tzinfo

from shipcaptaincrew.domain import seals
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.errors import Conflict, InvalidInput
from shipcaptaincrew.domain.periods import Periods
from shipcaptaincrew.domain.seals import ChainHead
from shipcaptaincrew.domain.signing import CheckedForm, Person, SignatureDraft, check_form, plain_name
from shipcaptaincrew.domain.text import clean_text

MAX_WAIVER_TEXT = 50_000
CONSENT_LABEL = (
    "I agree to sign this waiver electronically and to receive my copy electronically; "
    "my electronic signature has the same effect as a handwritten one."
)
AGREEMENT_LABEL = "I have read this waiver and I agree to its terms, for myself and for each child I sign for."


@dataclass(frozen=True)
class WaiverVersion:
    id: int
    text: str
    sha256: str
    created_at: datetime


class StaleWaiver(Conflict):
    """The form showed a waiver that is no longer current, or its hash was altered."""

    code = "stale_waiver"


class WaiverNotReady(Conflict):
    """The operator has not set the waiver text yet: nobody can sign until they do."""

    code = "waiver_not_ready"


class SigningClosed(Conflict):
    """The charter is over (or cancelled): its waiver can no longer be signed."""

    code = "signing_closed"


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


def signing_closes_at(event: Event, periods: Periods, zone: tzinfo) -> datetime:
    """When the charter's period ends on its day, in the operator's time zone: signing closes then."""
    return datetime.combine(event.details.date, periods.get(event.details.period).ends, zone)


def check_open(event: Event, now: datetime, closes_at: datetime) -> None:
    """Raise SigningClosed for a cancelled charter or one whose period has ended."""
    if event.details.status == "cancelled":
        raise SigningClosed("this charter was cancelled, so its waiver can no longer be signed", "slug")
    if now >= closes_at:
        raise SigningClosed("this charter is over, so its waiver can no longer be signed", "slug")


def sign_family(
    event: Event,
    current: WaiverVersion,
    draft: SignatureDraft,
    identities: Callable[[], tuple[str, str]],
    now: datetime,
    origin: tuple[str, str],
) -> list[Signature]:
    """One checked record per person, not yet sealed: the adult who signs first, then each child they sign for,
    naming the adult as guardian. `identities` gives each record its (id, copy token); `origin` is (ip, user agent).

    Raise FormProblems naming every problem at once, StaleWaiver if the form showed another version.
    """
    if (draft.version_id, draft.version_hash) != (current.id, current.sha256):
        raise StaleWaiver("the waiver text has changed since this form was opened; read it again and sign", "version")
    form = check_form(draft, event.details.date)
    adult = _record(event, current, form, form.adult, identities(), now, origin)
    children = [
        replace(
            _record(event, current, form, child, identities(), now, origin),
            minor=True,
            email="",
            phone="",
            guardian_name=form.adult.name,
            guardian_relationship=form.relationship,
            guardian_signature=form.typed_signature,
        )
        for child in form.children
    ]
    return [adult, *children]


def _record(
    event: Event,
    current: WaiverVersion,
    form: CheckedForm,
    person: Person,
    identity: tuple[str, str],
    now: datetime,
    origin: tuple[str, str],
) -> Signature:
    return Signature(
        id=identity[0],
        event_slug=event.slug,
        guest_name=person.name,
        email=form.email,
        phone=form.phone,
        date_of_birth=person.born.isoformat(),
        minor=False,
        guardian_name="",
        guardian_relationship="",
        guardian_signature="",
        emergency_name=form.emergency_name,
        emergency_phone=form.emergency_phone,
        typed_signature=form.typed_signature,
        drawn_signature=form.drawn_signature,
        consent_label=CONSENT_LABEL,
        agreement_label=AGREEMENT_LABEL,
        version_id=current.id,
        version_hash=current.sha256,
        signed_at=now.isoformat(),
        ip=origin[0][:64],
        user_agent=clean_text(origin[1][:400], "user_agent", max_len=400).replace("\n", " "),
        copy_token=identity[1],
        event_key=event.key,
        signed_slug=event.slug,
    )


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
    return plain_name(signature.guest_name), signature.date_of_birth


def initials(name: str) -> str:
    """`Ana Lima` as `Ana L.`, `Mary Kate O'Brien` as `Mary O.`, a single name as it is."""
    words = name.split()
    if len(words) < 2:
        return name.strip()
    return f"{words[0]} {words[-1][0].upper()}."


def same_form(one: Signature, other: Signature) -> bool:
    """Whether two records were signed with one form: the adult's and the children's share the moment, the event,
    the version and the signature."""
    return (one.event_key, one.signed_at, one.version_id, one.typed_signature, one.drawn_signature) == (
        other.event_key,
        other.signed_at,
        other.version_id,
        other.typed_signature,
        other.drawn_signature,
    )


def counted(signatures: Iterable[Signature], voided: Collection[str]) -> list[Signature]:
    """The signatures that count, in signing order: not voided, and each person's newest only."""
    newest: dict[tuple[str, str], Signature] = {}
    for signature in signatures:
        if signature.id not in voided:
            newest.pop(signer(signature), None)
            newest[signer(signature)] = signature
    return list(newest.values())


def copy_path(party_path: str, signature: Signature) -> str:
    """Where the signer's copy is, under the party's link (`guest_links.party_path`)."""
    return f"{party_path}/signed/{signature.copy_token}"

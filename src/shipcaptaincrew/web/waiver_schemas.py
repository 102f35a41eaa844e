"""Request and response shapes of the waiver text and the signatures (`waiver_api.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from shipcaptaincrew.web.schemas import Closed, EventOut


class WaiverIn(Closed):
    text: Annotated[str, Meta(min_length=1, max_length=50_000)]


class WaiverOut(Struct):
    id: int
    text: str
    sha256: str
    created_at: datetime


class SignatureOut(Struct):
    id: str
    guest_name: str
    email: str
    phone: str
    date_of_birth: str
    minor: bool
    guardian_name: str
    guardian_relationship: str
    emergency_name: str
    emergency_phone: str
    typed_signature: str
    drawn: bool
    version_id: int
    signed_at: str
    ip: str
    user_agent: str
    record_hash: str
    copy_url: str
    status: str
    """`counted`, `superseded` (the same person signed again later) or `voided`."""
    void_reason: str | None = None
    voided_at: str | None = None


class SignatureListOut(Struct):
    event_id: str
    party_size: int
    waivers_signed: int
    signatures: list[SignatureOut]


class VoidIn(Closed):
    reason: Annotated[str, Meta(min_length=1, max_length=300)]


class VoidOut(Struct):
    signature_id: str
    void_id: str
    reason: str
    voided_at: str
    event: EventOut

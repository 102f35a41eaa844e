"""The signer's copy as a PDF (fpdf2), for the guest to keep."""

from __future__ import annotations

import base64
import io

from fpdf import FPDF

from shipcaptaincrew.domain.events import Event
from shipcaptaincrew.domain.waivers import Signature, WaiverVersion


def render_pdf(operator: str, event: Event, signature: Signature, version: WaiverVersion) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    _line(pdf, "Signed liability waiver", 10)
    pdf.set_font("Helvetica", size=10)
    _line(pdf, operator, 6)
    pdf.ln(2)
    for label, value in _facts(event, signature):
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(45, 6, _latin(label))
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")
    if signature.drawn_signature:
        _drawn(pdf, signature.drawn_signature)
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 11)
    _line(pdf, f"Waiver text, version {version.id}", 7)
    pdf.set_font("Helvetica", size=9)
    _line(pdf, f"SHA-256 {version.sha256}", 5)
    pdf.multi_cell(0, 5, _latin(version.text), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _facts(event: Event, signature: Signature) -> list[tuple[str, str]]:
    facts = [
        ("Charter", f"{event.details.date.isoformat()} {event.details.period} ({event.slug})"),
        ("Guest", f"{signature.guest_name}, born {signature.date_of_birth}" + (" (minor)" if signature.minor else "")),
    ]
    if signature.minor:
        facts.append(("Guardian", f"{signature.guardian_name} ({signature.guardian_relationship}), "
                                  f"signed: {signature.guardian_signature}"))  # fmt: skip
    return [
        *facts,
        ("Emergency contact", f"{signature.emergency_name}, {signature.emergency_phone}"),
        ("Signature (typed)", signature.typed_signature),
        ("Signed at (UTC)", signature.signed_at),
        ("Consent", signature.consent_label),
        ("Agreement", signature.agreement_label),
        ("From", f"{signature.ip} / {signature.user_agent}"),
        ("Record", f"{signature.id}  SHA-256 {signature.record_hash}"),
    ]


def _drawn(pdf: FPDF, data_url: str) -> None:
    raw = base64.b64decode(data_url.split(",", 1)[1], validate=False)
    try:
        pdf.image(io.BytesIO(raw), w=70)
    except Exception:  # a drawing the image library cannot read must not cost the guest their copy
        pdf.multi_cell(0, 6, "(drawn signature kept in the record; not displayable here)")


def _line(pdf: FPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, _latin(text), new_x="LMARGIN", new_y="NEXT")


def _latin(text: str) -> str:
    """The built-in PDF fonts cover Latin-1 only; other characters show as '?' (the HTML copy is exact)."""
    return text.replace("\u2014", "-").replace("\u2019", "'").encode("latin-1", "replace").decode("latin-1")

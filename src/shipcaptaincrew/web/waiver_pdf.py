"""The signer's copy as a PDF (fpdf2), for the guest to keep; in DejaVu Sans, so names print as typed."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import TTFFont

from shipcaptaincrew.domain import drawings
from shipcaptaincrew.domain.events import Event
from shipcaptaincrew.domain.waivers import Signature, Void, WaiverVersion

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"


def render_pdf(operator: str, event: Event, signature: Signature, version: WaiverVersion, void: Void | None) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    _line(pdf, "Signed liability waiver", 10)
    pdf.set_font(FONT, size=10)
    _line(pdf, operator, 6)
    if void is not None:
        pdf.set_font(FONT, "B", 11)
        _line(pdf, f"VOIDED on {void.voided_at[:10]}: {void.reason}", 7)
        pdf.set_font(FONT, size=10)
    pdf.ln(2)
    for label, value in _facts(event, signature):
        pdf.set_font(FONT, "B", 10)
        pdf.cell(45, 6, _printable(pdf, label))
        pdf.set_font(FONT, size=10)
        pdf.multi_cell(0, 6, _printable(pdf, value), new_x="LMARGIN", new_y="NEXT")
    if signature.drawn_signature:
        _drawn(pdf, signature.drawn_signature)
    pdf.ln(4)
    pdf.set_font(FONT, "B", 11)
    _line(pdf, f"Waiver text, version {version.id}", 7)
    pdf.set_font(FONT, size=9)
    _line(pdf, f"SHA-256 {version.sha256}", 5)
    pdf.multi_cell(0, 5, _printable(pdf, version.text), new_x="LMARGIN", new_y="NEXT")
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
    if drawings.size_of(data_url) is None:  # within the pixel limit, or the image library never sees it
        pdf.multi_cell(0, 6, "(drawn signature kept in the record; not displayable here)")
        return
    raw = base64.b64decode(data_url.split(",", 1)[1], validate=False)
    try:
        pdf.image(io.BytesIO(raw), w=70)
    except Exception:  # a drawing the image library cannot read must not cost the guest their copy
        pdf.multi_cell(0, 6, "(drawn signature kept in the record; not displayable here)")


def _line(pdf: FPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, _printable(pdf, text), new_x="LMARGIN", new_y="NEXT")


def _printable(pdf: FPDF, text: str) -> str:
    """The text with any character the current font has no glyph for (CJK, say) shown as '?' rather than as a
    blank; the HTML copy and the record keep it exact."""
    font = pdf.current_font
    assert isinstance(font, TTFFont), "render_pdf sets a TrueType font first"
    glyphs = font.cmap
    return "".join(ch if ord(ch) in glyphs or ch in "\n\t" else "?" for ch in text)

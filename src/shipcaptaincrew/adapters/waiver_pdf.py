"""The signer's copy as a PDF (fpdf2), for the guest to keep; in DejaVu Sans, so names print as typed.

fpdf2 is imported when the first PDF is made, never at start-up: it stays off the Lambda cold start.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # bootstrap builds the printer on every start: the domain's waiver modules load with a first PDF
    from fpdf import FPDF

    from shipcaptaincrew.domain.waiver_copy import CopySheet, Facts

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"
LABEL_WIDTH = 45
NOT_SHOWN = "(drawn signature kept in the record; not displayable here)"


class FpdfCopyPrinter:
    """`CopyPrinter` with fpdf2: A4, the sheet's facts, its audit details, the waiver text."""

    def waiver_copy(self, sheet: CopySheet) -> bytes:
        return render_pdf(sheet)


def render_pdf(sheet: CopySheet) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(sheet.title)
    pdf.set_author(sheet.operator)
    pdf.set_subject(sheet.subject)
    pdf.set_creator("ShipCaptainCrew")
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    _line(pdf, "Signed liability waiver", 10)
    pdf.set_font(FONT, size=10)
    _line(pdf, sheet.operator, 6)
    if sheet.void_notice:
        pdf.set_font(FONT, "B", 11)
        _line(pdf, sheet.void_notice, 7)
    pdf.ln(2)
    _facts(pdf, sheet.facts, 10)
    if sheet.drawn_signature:
        _drawn(pdf, sheet.drawn_signature)
    _heading(pdf, "Audit details")
    _facts(pdf, sheet.audit, 8)
    _heading(pdf, f"The waiver text (version {sheet.version_id})")
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(0, 5, _printable(pdf, sheet.waiver_text), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    pdf.set_font(FONT, "B", 11)
    _line(pdf, text, 7)


def _facts(pdf: FPDF, facts: Facts, size: float) -> None:
    for label, value in facts:
        pdf.set_font(FONT, "B", size)
        pdf.cell(LABEL_WIDTH, size * 0.6, _printable(pdf, label))
        pdf.set_font(FONT, size=size)
        pdf.multi_cell(0, size * 0.6, _printable(pdf, value), new_x="LMARGIN", new_y="NEXT")  # a hash wraps too


def _drawn(pdf: FPDF, data_url: str) -> None:
    from shipcaptaincrew.domain import drawings

    if drawings.size_of(data_url) is None:  # within the pixel limit, or the image library never sees it
        pdf.multi_cell(0, 6, NOT_SHOWN, new_x="LMARGIN", new_y="NEXT")
        return
    raw = base64.b64decode(data_url.split(",", 1)[1], validate=False)
    try:
        pdf.image(io.BytesIO(raw), w=70)
    except Exception:  # a drawing the image library cannot read must not cost the guest their copy
        pdf.multi_cell(0, 6, NOT_SHOWN, new_x="LMARGIN", new_y="NEXT")


def _line(pdf: FPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, _printable(pdf, text), new_x="LMARGIN", new_y="NEXT")


def _printable(pdf: FPDF, text: str) -> str:
    """The text with any character the current font has no glyph for (CJK, say) shown as '?' rather than as a
    blank; the HTML copy and the record keep it exact."""
    from fpdf.fonts import TTFFont

    font = pdf.current_font
    assert isinstance(font, TTFFont), "render_pdf sets a TrueType font first"
    glyphs = font.cmap
    return "".join(ch if ord(ch) in glyphs or ch in "\n\t" else "?" for ch in text)

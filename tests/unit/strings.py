"""Text that is hard to type or to tell apart in source, spelled out."""

from __future__ import annotations

_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def full_width(ascii_text: str) -> str:
    """The same characters from the Unicode full-width forms block (U+FF01 to U+FF5E), as an IME may type them."""
    return ascii_text.translate(_FULL_WIDTH)

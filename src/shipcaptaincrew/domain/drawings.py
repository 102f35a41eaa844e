"""Drawn signatures: a PNG data URL, checked by decoding it within a pixel limit before anything stores it.

A PNG's header says how big it is, and its pixels are one zlib stream: a 49 KB file can claim 13000 x 13000
pixels and inflate to 169 MB. So the size is read first and refused beyond MAX_WIDTH x MAX_HEIGHT, then the
stream is inflated with a cap of exactly what that size needs, so no drawing can cost more memory than a
legitimate one. Only what a browser canvas produces is accepted: non-interlaced, 8 bits, RGBA, RGB, grey.
"""

from __future__ import annotations

import base64
import binascii
import struct
import zlib

from shipcaptaincrew.domain.errors import InvalidInput

PREFIX = "data:image/png;base64,"
MAX_WIDTH, MAX_HEIGHT = 2000, 1000
MAX_BYTES = 150_000
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples per pixel (grey, RGB, grey+alpha, RGBA)
FIELD = "drawn_signature"


class DrawingRefused(InvalidInput):
    """The drawing is not a PNG a signature pad makes, or is larger than the limit."""


def checked_drawing(data_url: str) -> str:
    """The data URL unchanged if it holds a PNG within the limits; raise DrawingRefused (naming the field) if not."""
    if len(data_url) > MAX_BYTES * 4 // 3 + len(PREFIX) + 4 or not data_url.startswith(PREFIX):
        raise DrawingRefused("the drawn signature must be a PNG image under 150 KB", FIELD)
    try:
        png = base64.b64decode(data_url[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise DrawingRefused("the drawn signature is not a readable image; draw it again", FIELD) from None
    width, height = inflate_within_limits(png)
    if not width or not height:
        raise DrawingRefused("the drawn signature is empty; draw it again", FIELD)
    return data_url


def size_of(data_url: str) -> tuple[int, int] | None:
    """(width, height) of a stored drawing that passes the checks, None for one that does not (not decoded)."""
    try:
        checked_drawing(data_url)
        png = base64.b64decode(data_url[len(PREFIX) :])
    except InvalidInput:
        return None
    return _header(png)[:2]


def inflate_within_limits(png: bytes) -> tuple[int, int]:
    """Decode the pixel stream with a cap of what the header's size needs; return (width, height)."""
    width, height, row_bytes = _header(png)
    expected = height * (row_bytes + 1)  # each row starts with its filter byte
    inflater = zlib.decompressobj()
    produced = 0
    try:
        for data in _chunks(png, b"IDAT"):
            produced += len(inflater.decompress(data, expected + 1 - produced))
            if produced > expected or inflater.unconsumed_tail:
                raise _refused("its pixels do not match its size")
        produced += len(inflater.flush(expected + 1 - produced))
    except zlib.error:
        raise _refused("its pixels cannot be read") from None
    if produced != expected or not inflater.eof:
        raise _refused("its pixels do not match its size")
    return width, height


def _header(png: bytes) -> tuple[int, int, int]:
    if not png.startswith(_SIGNATURE) or png[12:16] != b"IHDR" or len(png) < 33:
        raise _refused("it is not a PNG image")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", png[16:29])
    if width > MAX_WIDTH or height > MAX_HEIGHT:
        raise DrawingRefused(
            f"the drawn signature is {width} x {height} pixels; at most {MAX_WIDTH} x {MAX_HEIGHT} is accepted", FIELD
        )
    if depth != 8 or colour not in _CHANNELS or interlace != 0:
        raise _refused("only the images a signature pad makes are accepted")
    return width, height, width * _CHANNELS[colour]


def _chunks(png: bytes, kind: bytes) -> list[bytes]:
    found, at = [], 8
    while at + 8 <= len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        name = png[at + 4 : at + 8]
        if name == kind:
            found.append(png[at + 8 : at + 8 + length])
        if name == b"IEND":
            break
        at += 12 + length
    return found


def _refused(why: str) -> DrawingRefused:
    return DrawingRefused(f"the drawn signature cannot be used: {why}; draw it again", FIELD)

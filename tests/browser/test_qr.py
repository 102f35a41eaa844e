"""The guest link's QR code, drawn by the page's own encoder (assets/qr.js), read back by zxing-cpp.

zxing-cpp also reads mirrored codes, so one symbol is compared module by module with what an independent
encoder (python-qrcode 8.2, same version, level and mask) draws for the same text.
"""

from __future__ import annotations

import hashlib

import pytest
import zxingcpp
from playwright.sync_api import Page, expect

from tests.browser.board import card, open_board
from tests.browser.board_api import BoardApi
from tests.builders import Days

# python-qrcode 8.2 for b"https://scc.io": version 1, level M, mask 3, no quiet zone.
SCC_IO = """
#######.##..#.#######
#.....#.#...#.#.....#
#.###.#..####.#.###.#
#.###.#.#.....#.###.#
#.###.#...##..#.###.#
#.....#.......#.....#
#######.#.#.#.#######
........##..#........
#.##.###.#.##.#..#.##
.##......##..########
###.#.##..#..#...#.##
...##..#.###...#.#.#.
.#...######..##.##..#
........##.##.#.#....
#######.#.##..#.#....
#.....#.##...#.####.#
#.###.#.....#...#.##.
#.###.#.###.##.#...#.
#.###.#.#...####..#..
#.....#..##.#####...#
#######.#....##.###..
"""
GUEST_URL = "https://dispatch.example.org/g/2026-05-23-marykate-sunset"
GUEST_URL_SHA256 = "7b7fc2a0a44079259803dd6845186b1b6ef9f63720775e7764e90e7bfd734a40"  # version 4, M, mask 2
# Longest text for each version at level M, then at L for version 6, and one past each.
BOUNDARIES = {14: 1, 15: 2, 26: 2, 27: 3, 42: 3, 43: 4, 62: 4, 63: 5, 84: 5, 85: 6, 106: 6, 107: 6, 134: 6}
MODULES = "async (text) => (await import('/assets/qr.js')).qrModules(text).map(r => r.map(d => d ? '#' : '.').join(''))"


def modules(page: Page, text: str) -> list[str]:
    rows: list[str] = page.evaluate(MODULES, text)
    return rows


def decode(rows: list[str], scale: int = 4, quiet: int = 4) -> list[str]:
    """Rasterise the modules as a grayscale image with its quiet zone and read it with zxing-cpp."""
    side = (len(rows) + 2 * quiet) * scale
    pixels = bytearray(b"\xff" * side * side)
    for y, row in enumerate(rows):
        for x, module in enumerate(row):
            if module == "#":
                for dy in range(scale):
                    start = ((y + quiet) * scale + dy) * side + (x + quiet) * scale
                    pixels[start : start + scale] = b"\x00" * scale
    return [found.text for found in zxingcpp.read_barcodes(memoryview(pixels).cast("B", (side, side)))]


@pytest.fixture
def blank(page: Page) -> Page:
    page.goto("/")
    return page


def test_the_encoder_draws_module_for_module_what_an_independent_encoder_draws(blank: Page) -> None:
    assert modules(blank, "https://scc.io") == SCC_IO.split()
    rows = modules(blank, GUEST_URL)
    assert hashlib.sha256("\n".join(rows).replace("#", "1").replace(".", "0").encode()).hexdigest() == GUEST_URL_SHA256


def test_links_of_every_length_up_to_134_bytes_read_back_from_the_smallest_symbol_that_holds_them(
    blank: Page,
) -> None:
    for length, version in BOUNDARIES.items():
        text = ("https://ex.org/g/2026-05-23-" + "marykate" * 20)[:length]
        rows = modules(blank, text)
        assert ((len(rows) - 17) // 4, decode(rows)) == (version, [text]), f"{length} bytes"


def test_a_link_with_letters_beyond_ascii_reads_back_as_utf8(blank: Page) -> None:
    text = "https://ex.org/g/2026-05-23-josé-ñandú-sunset"
    assert decode(modules(blank, text)) == [text]


def test_a_link_longer_than_version_6_holds_is_refused(blank: Page) -> None:
    message = blank.evaluate(
        "async () => { try { (await import('/assets/qr.js')).qrModules('x'.repeat(135)); }"
        " catch (e) { return e.message; } }"
    )
    assert "too long" in message


def test_the_qr_code_on_a_card_reads_back_as_the_guest_link(page: Page, api: BoardApi, days: Days) -> None:
    slug = api.book(days.at(5), "Mary Kate", "sunset")["slug"]
    open_board(page, days)
    marykate = card(page, slug)
    marykate.get_by_text("QR code").click()
    svg = marykate.locator(".qr-box svg")
    expect(svg).to_be_visible()

    pixels = svg.evaluate(RASTERISE, 200)

    side = 200
    link = api.call("GET", f"/api/events/{slug}")["guest_link"]
    assert decode_pixels(bytes(pixels), side) == [link]


# Draw the SVG as the browser renders it onto a canvas, and hand back its grayscale pixels.
RASTERISE = """async (svg, side) => {
  const image = new Image();
  image.src = 'data:image/svg+xml;base64,' + btoa(new XMLSerializer().serializeToString(svg));
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = side;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0, side, side);
  const rgba = context.getImageData(0, 0, side, side).data;
  return Array.from({length: side * side}, (_, i) => rgba[i * 4]);
}"""


def decode_pixels(pixels: bytes, side: int) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(memoryview(pixels).cast("B", (side, side)))]

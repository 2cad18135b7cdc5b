# This module takes the screenshots the README shows: the home page, a decision open for
# call-in and the call-in board, on a desktop (1280 wide) and a phone (390 wide). The build
# moment and the page clock are fixed, so a run only changes a file when the pages change.
from __future__ import annotations

import struct
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DEVICES = {"desktop": (1280, 800), "phone": (390, 844)}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("device", sorted(DEVICES))
def test_screenshots_for_the_readme(pages, site, device) -> None:
    width, height = DEVICES[device]
    decision = sorted((d for d in site.decisions if d["call_in"]["status"] == "open"),
                      key=lambda d: (d["call_in"]["deadline"], d["id"]))[0]
    shots = {"home": "", "decision": f"decisions/{decision['id']}/", "call-in": "call-in/"}
    SCREENSHOTS.mkdir(exist_ok=True)
    page = pages.new(width=width, height=height)
    for name, path in shots.items():
        page.goto(site.url(path))
        pages.settle(page)
        page.evaluate("document.fonts.ready")
        target = SCREENSHOTS / f"{name}-{device}.png"
        data = page.screenshot(animations="disabled", caret="hide")
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
        assert png_size(target.read_bytes()) == (width, height)

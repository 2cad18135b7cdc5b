# This module opens a page of every kind the sitemap lists (every decision, whose words are
# written by hand; one of each index) and the 404 page at 320 CSS pixels wide: what a
# 1280-pixel screen shows at 400% zoom, and the narrowest phone (WCAG 1.4.10 Reflow). No page
# may scroll sideways, and the decision tables must stack into readable rows rather than
# shrink. The same visit checks that no page logs a console error or asks any host but the
# portal's own for anything (the site must work offline, from its folder); test_axe.py's visit
# to every other page checks the same.
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

NARROW = 320

# Decision tables at 320px: every cell on screen, at a readable size, its text not cut off.
TABLE_CELLS = """(width) => {
  const out = [];
  for (const cell of document.querySelectorAll('.decision-list td')) {
    const r = cell.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(cell).fontSize);
    const text = cell.innerText.trim().slice(0, 40);
    if (r.left < -0.5 || r.right > width + 0.5) out.push(`off screen: ${text}`);
    if (size < 12) out.push(`text ${size}px: ${text}`);
    if (cell.scrollWidth > cell.clientWidth + 1) out.push(`cut off: ${text}`);
  }
  return out;
}"""

# For the failure message: the first elements that stick out, ignoring those inside a box
# that scrolls or clips them (a wide table in its own scrolling wrapper is allowed).
WIDEST = """(width) => {
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join(''));
}"""


def test_every_kind_of_page_fits_320px_without_errors_or_other_hosts(pages, site) -> None:
    page = pages.new(width=NARROW, height=640)
    problems: list[str] = []
    for path in [*site.page_types(), "no-such-page/"]:
        if path == "no-such-page/":
            pages.watch.allowed_console.append(f"404 (Not Found) ({site.url(path)})")
        response = page.goto(site.url(path))
        assert response is not None
        if response.status != (404 if path == "no-such-page/" else 200):
            problems.append(f"{path or 'home'}: HTTP {response.status}")
        pages.settle(page)
        where = path or "home"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > NARROW:
            wide = page.evaluate(WIDEST, NARROW)
            problems.append(f"{where}: scrolls sideways ({scroll}px wide; {', '.join(wide)})")
        problems += [f"{where}: table {p}" for p in page.evaluate(TABLE_CELLS, NARROW)]
        problems += [f"{where}: {p}" for p in pages.watch.take()]
    assert not problems, "\n".join(problems)


def test_decision_tables_stack_into_rows_on_a_narrow_screen(pages, site) -> None:
    page = pages.new(width=NARROW, height=640)
    page.goto(site.url("call-in/"))
    table = page.locator(".decision-list table").first
    # Column headings are hidden visually (each row reads top to bottom) but kept for
    # screen readers, and each cell takes the full width of its row.
    assert table.locator("thead").evaluate("el => el.getBoundingClientRect().right < 0")
    assert table.get_by_role("columnheader").count() == 4
    cells = table.locator("tbody tr").first.locator("td")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert all(b is not None for b in boxes)
    tops = [b["y"] for b in boxes if b]
    assert tops == sorted(tops) and len(set(tops)) == len(tops), "cells should stack"

# This module checks the portal with a keyboard only (WCAG 2.1.1, 2.4.1, 2.4.3, 2.4.7, 2.4.11):
# the first Tab reaches a "Skip to content" link that works; Tab reaches every visible control
# on each kind of page, on a desktop and on a phone; every stop shows a focus indicator and is
# on screen when focused (the theme hides its phone search box and menu drawer off screen,
# which portal.css corrects); and search can be opened, used and left by keyboard.
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}

# Every element a user could Tab to: numbered, so each Tab stop can be matched to one.
MARK_CONTROLS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]';
  const all = [...document.querySelectorAll(selector)].filter(el =>
    el.tabIndex >= 0 && !el.disabled && !el.closest('[inert]') &&
    // the theme's back-to-top button waits at opacity 0 until the reader scrolls up
    el.checkVisibility({visibilityProperty: true, opacityProperty: true,
                        contentVisibilityAuto: true}) &&
    el.getClientRects().length > 0 &&
    // a control inside a closed <details> (other than its summary) is not rendered
    !(el.closest('details:not([open])') && el.tagName !== 'SUMMARY'));
  all.forEach((el, i) => { el.dataset.kbd = String(i); });
  return all.map(el => el.tagName.toLowerCase() + ': '
    + (el.innerText || el.getAttribute('aria-label') || el.getAttribute('href') || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 60));
}"""

# The focused element: which control it is (and which Tab stop, numbered on first visit),
# whether its focus indicator shows, and whether it is on screen, opaque and not covered
# (sampled at its centre and near its corners).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  window.__stops = window.__stops || 0;
  if (el.dataset.stop === undefined) el.dataset.stop = String(window.__stops++);
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const left = Math.max(r.left, 0), right = Math.min(r.right, vw);
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, vh);
  let seen = false;
  if (right - left >= 1 && bottom - top >= 1 &&
      el.checkVisibility({opacityProperty: true, visibilityProperty: true})) {
    const xs = [left + 1, (left + right) / 2, right - 1];
    const ys = [top + 1, (top + bottom) / 2, bottom - 1];
    for (const x of xs) for (const y of ys) {
      const hit = document.elementFromPoint(x, y);
      if (hit && (hit === el || el.contains(hit) || hit.contains(el))) seen = true;
    }
  }
  return {kbd: el.dataset.kbd ?? null, stop: el.dataset.stop, indicator: outline || shadow, seen,
          name: el.tagName.toLowerCase() + ': ' + (el.innerText || el.getAttribute('aria-label')
            || el.getAttribute('href') || '').trim().replace(/\\s+/g, ' ').slice(0, 60)};
}"""


def keyboard_pages(site) -> list[str]:
    """One page of each kind: home, call-in board, a decision, the first browse page, the
    commissioning register when there is one, and the accessibility statement."""
    browse = sorted(p for p in site.sitemap if p.startswith("browse/"))
    decision = sorted(d["id"] for d in site.decisions if d["call_in"]["status"] == "open")
    wanted = ["", "call-in/", f"decisions/{(decision or [site.decisions[0]['id']])[0]}/",
              browse[0], "accessibility/"]
    wanted += [p for p in ("commissioning/",) if p in site.sitemap]
    return wanted


def tab_through(page: Page, limit: int = 400) -> list[dict]:
    """Press Tab until focus comes back round to the first stop; return every stop."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now is None:  # focus left the page for the browser's own controls
            continue
        if stops and now["stop"] == stops[0]["stop"]:
            return stops
        stops.append(now)
    raise AssertionError(f"Tab never came back to the first stop in {limit} presses")


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_every_control_is_reachable_by_tab_with_visible_focus(pages, site, device) -> None:
    width, height = WIDTHS[device]
    page = pages.new(width=width, height=height)
    problems = []
    for path in keyboard_pages(site):
        page.goto(site.url(path))
        controls = page.evaluate(MARK_CONTROLS)
        stops = tab_through(page)
        reached = {s["kbd"] for s in stops}
        problems += [f"{path or 'home'}: not reachable by Tab: {name}"
                     for i, name in enumerate(controls) if str(i) not in reached]
        problems += [f"{path or 'home'}: no visible focus indicator on {s['name']}"
                     for s in stops if not s["indicator"]]
        problems += [f"{path or 'home'}: focused but off screen or covered: {s['name']}"
                     for s in stops if not s["seen"]]
    assert not problems, "\n".join(problems)


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(pages, site) -> None:
    page = pages.new()
    for path in ("", "call-in/", f"decisions/{site.decisions[0]['id']}/"):
        page.goto(site.url(path))
        page.keyboard.press("Tab")
        skip = page.locator(":focus")
        expect(skip).to_have_text("Skip to content")
        assert page.evaluate(FOCUSED)["seen"], "the skip link must show when focused"
        target = skip.get_attribute("href") or ""
        page.keyboard.press("Enter")
        # Playwright learns of the fragment change by an event after the key press returns,
        # so wait for it (up to expect's timeout) rather than reading page.url at once.
        expect(page).to_have_url(re.compile(re.escape(target) + "$"))
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('article')"), \
            f"{path or 'home'}: Tab after the skip link should land in the page's content"


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_search_works_by_keyboard(pages, site, device) -> None:
    width, height = WIDTHS[device]
    page = pages.new(width=width, height=height)
    page.goto(site.url("call-in/"))
    box = page.get_by_role("textbox", name="Search")
    if device == "phone":
        # Tab to the search box: portal.css brings it on screen while it has focus.
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
    else:
        page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("carers")
    first = pages.search_results(page).first
    expect(first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    focused = page.evaluate(FOCUSED)
    assert focused["indicator"] and focused["seen"]
    href = first.get_attribute("href") or ""
    assert re.search(r"decisions/[a-z0-9-]+/", href), href
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/decisions/[a-z0-9-]+/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # Escape leaves search and gives the page back.
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(page.locator("#__search")).to_be_checked()
    page.keyboard.press("Escape")
    expect(box).not_to_be_focused()

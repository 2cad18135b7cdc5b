# This module runs axe-core (tests/browser/vendor/, test-only) in the browser against the WCAG
# 2.0, 2.1 and 2.2 A and AA rules on every kind of page the portal builds: the home page, a
# decision in each call-in status the sample has, and every other page the sitemap lists (so
# the call-in board, every browse index, the registers and the statements are covered as they
# are added), search results and the 404 page. A failure prints each rule broken, where, and
# the rule's help page. Violations are fixed in the theme or the templates, never by turning
# a rule off.
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_every_page_but_decisions_has_no_violations_or_errors(pages, site, axe) -> None:
    """Every sitemap page that is not a decision: home, call-in board, browse/..., registers."""
    page = pages.new()
    problems: list[str] = []
    listed = [p for p in site.sitemap if not p.startswith("decisions/")]
    assert {"", "call-in/", "accessibility/"} <= set(listed)
    assert any(p.startswith("browse/") for p in listed)
    for path in listed:
        page.goto(site.url(path))
        pages.settle(page)
        problems += axe(page, path or "home")
        problems += [f"{path or 'home'}: {p}" for p in pages.watch.take()]
    assert not problems, "\n".join(problems)


def test_a_decision_in_each_call_in_status_has_no_violations(pages, site, axe) -> None:
    page = pages.new()
    problems: list[str] = []
    statuses = site.by_status()
    # The sample must keep showing the statuses readers most need told apart.
    assert {"open", "in-force", "not-subject", "pending"} <= set(statuses), sorted(statuses)
    for status, d in sorted(statuses.items()):
        page.goto(site.url(f"decisions/{d['id']}/"))
        pages.settle(page)
        problems += axe(page, f"decisions/{d['id']}/ ({status})")
    assert not problems, "\n".join(problems)


def test_phone_layout_has_no_violations(pages, site, axe) -> None:
    """The phone layout has its own controls (menu drawer, search button) and target sizes."""
    page = pages.new(width=390, height=844)
    open_now = sorted(d["id"] for d in site.decisions if d["call_in"]["status"] == "open")
    problems: list[str] = []
    browse = sorted(p for p in site.sitemap if p.startswith("browse/"))[0]
    for path in ("", "call-in/", f"decisions/{open_now[0]}/", browse):
        page.goto(site.url(path))
        pages.settle(page)
        problems += axe(page, f"{path or 'home'} at 390px")
    assert not problems, "\n".join(problems)


def test_search_results_have_no_violations(pages, site, axe) -> None:
    page = pages.new()
    page.goto(site.url(""))
    page.keyboard.press("/")
    page.keyboard.type("carers")
    expect(pages.search_results(page).first).to_be_visible()
    violations = axe(page, "search results for 'carers'")
    assert not violations, "\n".join(violations)


def test_page_not_found_has_no_violations(pages, site, axe) -> None:
    url = site.url("decisions/no-such-decision/")
    pages.watch.allowed_console.append(f"404 (Not Found) ({url})")
    page = pages.new()
    response = page.goto(url)
    assert response is not None and response.status == 404
    pages.settle(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    violations = axe(page, "404 page")
    assert not violations, "\n".join(violations)


def test_the_same_pages_built_by_zensical_have_no_violations(zensical_pages, axe) -> None:
    """Zensical writes its own header and scripts (issue 14): one page of each kind it builds,
    at desktop and phone widths."""
    site = zensical_pages.site
    problems: list[str] = []
    decision = sorted(d["id"] for d in site.decisions)[0]
    browse = sorted(p for p in site.sitemap if p.startswith("browse/"))[0]
    for width in (1280, 390):
        page = zensical_pages.new(width=width, height=844)
        for path in ("", "call-in/", f"decisions/{decision}/", browse, "find/", "glossary/"):
            page.goto(site.url(path))
            zensical_pages.settle(page)
            problems += axe(page, f"zensical {path or 'home'} at {width}px")
            problems += [f"zensical {path or 'home'}: {p}" for p in zensical_pages.watch.take()]
    assert not problems, "\n".join(problems)

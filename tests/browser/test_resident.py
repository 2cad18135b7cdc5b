# This module walks a resident's visit on a phone: search the portal for a word, open the
# decision it finds, and read what the law says a record must tell them (the decision, the
# reasons and the alternatives considered, SI 2012/2089 regs 12-13) and whether the decision
# can still be called in.
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_resident_searches_for_carers_and_reads_the_decision(pages, site) -> None:
    page = pages.new(**PHONE)
    page.goto(site.url(""))
    # On a phone the search box sits behind the header's search button.
    page.locator("label.md-header__button[for='__search']").click()
    box = page.get_by_role("textbox", name="Search")
    box.press_sequentially("carers")
    first = pages.search_results(page).first
    href = first.get_attribute("href") or ""
    match = re.search(r"decisions/([a-z0-9-]+)/", href)
    assert match, f"the first result is not a decision page: {href}"
    d = site.decision(match.group(1))
    assert "carer" in (d["title"] + " " + (d["purpose"] or "")).lower()

    first.click()
    page.wait_for_url(re.compile(re.escape(site.url(f"decisions/{d['id']}/"))))
    main = page.locator("article")
    assert main.get_by_role("heading", level=1).inner_text() == d["title"]

    status = main.locator(".decision-summary [data-callin-state]")
    assert status.locator("[data-callin-badge]").inner_text() == d["call_in"]["status_label"]
    assert main.get_by_role("heading", name="Call-in", exact=True).is_visible()

    if d["purpose"]:
        assert main.get_by_role("heading", name="Purpose", exact=True).is_visible()
    assert main.get_by_role("heading", name="Decision", exact=True).is_visible()
    resolutions = main.locator("ol.resolutions > li")
    assert resolutions.count() == len(d["decision"]) > 0
    assert all(resolutions.nth(i).is_visible() for i in range(resolutions.count()))

    reasons = main.get_by_role("heading", name="Reasons for the decision", exact=True)
    assert reasons.is_visible()
    assert main.locator("h2:has-text('Reasons for the decision') + .prose li").count() == \
        len(d["reasons"]) > 0

    assert main.get_by_role("heading", name="Alternative options considered",
                            exact=True).is_visible()
    options = main.locator("section.option")
    assert options.count() == len(d["alternatives"])
    for i, a in enumerate(d["alternatives"]):
        heading = options.nth(i).get_by_role("heading", level=3)
        assert heading.inner_text().startswith(f"Option {i + 1}: {a['title']}")
        assert heading.is_visible()
    if not d["alternatives"]:
        assert d["alternatives_statement"]


def test_search_opens_with_the_s_key_and_finds_nothing_for_nonsense(pages, site) -> None:
    page = pages.new()
    page.goto(site.url("call-in/"))
    page.keyboard.press("s")
    box = page.get_by_role("textbox", name="Search")
    expect(box).to_be_focused()
    page.keyboard.type("zzqxv")
    expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")

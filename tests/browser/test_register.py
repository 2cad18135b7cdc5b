# This module opens the commissioning register the way a resident would and sorts it by the
# latest possible end date with the keyboard alone: the header is a real button (Tab reaches
# it, Enter and Space press it), aria-sort says the order, a live region announces it, and the
# rows really are in that order. It also checks the glossary tooltips on a decision page open
# on keyboard focus, and that a newcomer reaches a decision from the Browse tab by ward.
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

END_COLUMN = 8  # "Latest possible end", counting the row header


def column(page, n: int) -> list[str]:
    return page.locator(f"table.sortable tbody tr td:nth-child({n})").evaluate_all(
        "cells => cells.map(c => c.dataset.sort)")


def test_the_register_sorts_by_end_date_from_the_keyboard(pages, site) -> None:
    page = pages.new()
    page.goto(site.url("commissioning/"))
    button = page.get_by_role("button", name="Latest possible end")
    expect(button).to_be_visible()
    header = page.locator("table.sortable thead th").nth(END_COLUMN - 1)
    expect(header).not_to_have_attribute("aria-sort", re.compile("."))
    # Tab from the element before it, as a keyboard user would arrive.
    page.get_by_role("button", name="Extension options").focus()
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("[data-sort-status]")).to_have_text(
        "Sorted by Latest possible end, ascending.")
    dates = [d for d in column(page, END_COLUMN) if d]
    assert dates == sorted(dates) and len(dates) > 5
    assert column(page, END_COLUMN)[-1] == ""  # no term given: last, whichever the order
    page.keyboard.press("Space")
    expect(header).to_have_attribute("aria-sort", "descending")
    # The sorter moves the rows a moment after it sets aria-sort; the announcement follows.
    expect(page.locator("[data-sort-status]")).to_have_text(
        "Sorted by Latest possible end, descending.")
    dates = [d for d in column(page, END_COLUMN) if d]
    assert dates == sorted(dates, reverse=True)
    # Only one column claims the order.
    assert page.locator("table.sortable thead th[aria-sort]").count() == 1
    pages.settle(page)


def test_without_javascript_the_register_is_a_plain_table(pages, site) -> None:
    page = pages.new(javascript=False)
    page.goto(site.url("commissioning/"))
    table = page.get_by_role("table", name="Commissioning decisions")
    expect(table).to_be_visible()
    assert page.locator("table.sortable button").count() == 0
    expect(page.locator("[data-sort-status]")).to_have_text("Newest decision first.")
    expect(table.get_by_role("columnheader", name="Latest possible end")).to_be_visible()


def test_a_glossary_tooltip_opens_on_keyboard_focus(pages, site) -> None:
    page = pages.new()
    page.goto(site.url("decisions/carers-hub-procurement-strategy/"))
    link = page.locator("a.glossary-term", has_text="Key decision")
    link.focus()
    expect(link).to_have_attribute("aria-describedby", re.compile("."))
    tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Key decision: An executive decision")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/glossary/#key-decision$"))
    pages.settle(page)


def test_a_newcomer_finds_a_decision_by_ward_from_the_browse_tab(pages, site) -> None:
    page = pages.new()
    page.goto(site.url(""))
    page.get_by_role("link", name="Browse", exact=True).first.click()
    page.get_by_role("link", name="Hawthorn", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decisions for Hawthorn ward")
    page.get_by_role("link", name=re.compile("Hawthorn Day Centre")).first.click()
    expect(page).to_have_url(re.compile(r"/decisions/hawthorn-day-centre-reprovision/$"))
    pages.settle(page)

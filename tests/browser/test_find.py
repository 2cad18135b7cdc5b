# This module tests decision search in a real browser under both engines (issue 14): the site's
# own search page (find/, generator/overrides/assets/javascripts/decision-search.js) must find
# the same decisions whether MkDocs or Zensical built the site, and the same as the theme's
# search box under MkDocs; the plain search forms on other pages lead to it; the count of
# matches is announced; "Show more results" keeps the keyboard user's place; the page meets
# WCAG 2.2 AA with results showing; and nothing is fetched from another host.
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ENGINES = ["mkdocs", "zensical"]
WORDS = ["libraries", "care", "contract", "waste"]


def decision_paths(hrefs: list[str]) -> list[str]:
    """`decisions/<id>/` for each link to a decision, in order (the theme's links carry a
    highlight query, which is dropped)."""
    paths = [urlsplit(h).path for h in hrefs]
    return [re.sub(r"^.*/(decisions/[^/]+/)$", r"\1", p) for p in paths if "/decisions/" in p]


def find_results(page: Page) -> list[str]:
    """The result links on find/ once its status line has been written."""
    expect(page.locator("#find-status")).not_to_be_empty()
    return decision_paths(page.locator("#find-results a.portal-find__link").evaluate_all(
        "links => links.map(a => a.href)"))


def search_on_find_page(pages, word: str) -> list[str]:
    page = pages.new()
    page.goto(pages.site.url(f"find/?q={word}"))
    found = find_results(page)
    pages.settle(page)
    return found


@pytest.mark.parametrize("word", WORDS)
def test_a_word_finds_the_same_decisions_under_both_engines(pages, zensical_pages,
                                                            word) -> None:
    found = {"mkdocs": search_on_find_page(pages, word),
             "zensical": search_on_find_page(zensical_pages, word)}
    assert found["mkdocs"], f"no decision found for {word!r}"
    assert found["mkdocs"] == found["zensical"]
    assert all(re.fullmatch(r"decisions/[a-z0-9-]+/", p) for p in found["mkdocs"]), found


@pytest.mark.parametrize("word", WORDS[:2])
def test_the_search_page_finds_what_the_themes_search_box_finds(pages, site, word) -> None:
    on_find = search_on_find_page(pages, word)
    page = pages.new()
    page.goto(site.url(""))
    page.keyboard.press("/")
    page.keyboard.type(word)
    hrefs = pages.search_results(page).evaluate_all("links => links.map(a => a.href)")
    in_box = decision_paths(hrefs)
    # the same decisions in the same order (the box may also list a few other pages)
    assert in_box and in_box == on_find[:len(in_box)]


@pytest.mark.parametrize("engine_pages", ENGINES, indirect=True)
def test_the_home_page_form_leads_to_results_and_typing_updates_them(engine_pages) -> None:
    page = engine_pages.new()
    page.goto(engine_pages.site.url(""))
    page.get_by_label("Search decisions").fill("libraries")
    page.get_by_label("Search decisions").press("Enter")
    page.wait_for_url(re.compile(r"/find/\?q=libraries$"))
    first = find_results(page)
    assert first
    expect(page.locator("#find-status")).to_have_text(re.compile(r"^\d+ decisions? match"))
    box = page.get_by_label("Words to search for")
    expect(box).to_have_value("libraries")
    box.fill("waste")
    expect(page).to_have_url(re.compile(r"/find/\?q=waste$"))
    expect(page.locator("#find-results mark").first).to_have_text(re.compile("waste", re.I))
    assert find_results(page) != first
    box.fill("zzqqxxv")
    expect(page.locator("#find-status")).to_have_text(re.compile("No decision matches"))
    expect(page.locator("#find-results li")).to_have_count(0)
    engine_pages.settle(page)


@pytest.mark.parametrize("engine_pages", ENGINES, indirect=True)
def test_show_more_results_moves_focus_to_the_first_new_one(engine_pages) -> None:
    page = engine_pages.new()
    # The sample's 23 decisions: no word is in more than 20 of them, but with a word in none,
    # the decisions having some of the words are all listed, each saying which it lacks.
    page.goto(engine_pages.site.url("find/?q=cabinet+council+zzqqxxv"))
    find_results(page)
    expect(page.locator("#find-results .portal-find__missing s").first).to_have_text("zzqqxxv")
    expect(page.locator("#find-results li")).to_have_count(20)
    status = page.locator("#find-status").text_content() or ""
    total = int(re.search(r"(\d+) decisions have some of them", status).group(1))  # type: ignore[union-attr]
    assert total > 20, status
    more = page.get_by_role("button", name="Show more results")
    more.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#find-results li")).to_have_count(min(total, 40))
    focused = page.evaluate("document.activeElement.closest('li') === "
                            "document.querySelectorAll('#find-results li')[20]")
    assert focused
    if total <= 40:
        expect(more).to_be_hidden()
    engine_pages.settle(page)


@pytest.mark.parametrize("engine_pages", ENGINES, indirect=True)
def test_the_search_page_with_results_has_no_violations(engine_pages, axe) -> None:
    problems = []
    for width in (1280, 390):
        page = engine_pages.new(width=width, height=844)
        page.goto(engine_pages.site.url("find/?q=care"))
        find_results(page)
        engine_pages.settle(page)
        problems += axe(page, f"find/?q=care at {width}px")
    assert not problems, "\n".join(problems)


def test_zensicals_own_search_box_which_cannot_find_decisions_is_not_shown(
        zensical_pages) -> None:
    page = zensical_pages.new()
    page.goto(zensical_pages.site.url(""))
    zensical_pages.settle(page)
    expect(page.locator('label.md-header__button[for="__search"]')).to_be_hidden()
    expect(page.locator(".md-header .md-search")).to_be_hidden()
    expect(page.get_by_role("link", name="Search", exact=True).first).to_be_attached()

# This module reads every decision with JavaScript switched off, as some residents and many
# councils' locked-down machines do. Everything a record must publish is in the built HTML:
# the decision, the reasons, the alternatives and the call-in status as of the build, with the
# moment it was true ("as of ...") where it can still change, because no script will bring it
# up to date.
from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page

from generator.callin import time_left
from generator.render import when

pytestmark = pytest.mark.browser


def words(text: str, n: int = 8) -> str:
    """The first n words of record prose or page text, without Markdown punctuation."""
    return " ".join(re.sub(r"[*_`\[\]()#>]", " ", text).split()[:n])


def visible_text(page: Page, selector: str) -> list[str]:
    loc = page.locator(selector)
    return [" ".join(loc.nth(i).inner_text().split()) for i in range(loc.count())
            if loc.nth(i).is_visible()]


def test_every_decision_is_readable_without_javascript(pages, site) -> None:
    page = pages.new(javascript=False)
    problems: list[str] = []
    for d in site.decisions:
        page.goto(site.url(f"decisions/{d['id']}/"))
        where = d["id"]
        if page.locator("h1").inner_text().strip() != d["title"]:
            problems.append(f"{where}: heading is not the title")
        badge = visible_text(page, ".decision-summary [data-callin-badge]")
        if badge != [d["call_in"]["status_label"]]:
            problems.append(f"{where}: status {badge}, expected {d['call_in']['status_label']}")
        asof = visible_text(page, ".decision-summary [data-callin-asof]")
        # The moment the status was true, where it can still change; a final status has none.
        expected_asof = [f"as of {when(site.as_of)}"] if d["call_in"]["as_of"] else []
        if asof != expected_asof:
            problems.append(f"{where}: {asof}, expected {expected_asof!r}")
        if d["call_in"]["status"] == "open":
            left = visible_text(page, ".decision-summary [data-callin-left]")
            deadline = datetime.fromisoformat(d["call_in"]["deadline"])
            if left != [time_left(deadline, site.as_of) + " left"]:
                problems.append(f"{where}: time left {left} is not the build's")
        body = " ".join(page.locator("article").inner_text().split())
        for heading in ("Decision", "Reasons for the decision", "Alternative options considered"):
            if not page.get_by_role("heading", name=heading, exact=True).is_visible():
                problems.append(f"{where}: no visible heading {heading!r}")
        prose = ([d["purpose"]] if d["purpose"] else []) + d["decision"] + d["reasons"] + \
            [a["title"] for a in d["alternatives"]] + \
            ([d["alternatives_statement"]] if d["alternatives_statement"] else [])
        for item in prose:
            if words(item) not in words(body, 100_000):
                problems.append(f"{where}: not on the page: {words(item)!r}...")
        resolutions = visible_text(page, "ol.resolutions > li")
        if len(resolutions) != len(d["decision"]):
            problems.append(f"{where}: {len(resolutions)} resolutions shown, "
                            f"{len(d['decision'])} recorded")
    assert not problems, "\n".join(problems)


def test_deadline_working_opens_without_javascript(pages, site) -> None:
    d = next(d for d in sorted(site.decisions, key=lambda d: d["id"]) if d["call_in"]["days"])
    page = pages.new(javascript=False)
    page.goto(site.url(f"decisions/{d['id']}/"))
    working = page.locator("details.callin-working ol.working-days")
    assert not working.is_visible()
    page.get_by_text("How the deadline was worked out").click()
    assert working.is_visible()
    assert working.locator("li").count() == len(d["call_in"]["days"])

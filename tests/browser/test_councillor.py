# This module walks a scrutiny councillor's visit: the call-in board shows, for each decision
# open for call-in, the time left as of the moment the page is opened (callin.js re-reads the
# reader's clock; the built page only knows the build's moment), badges move on when the
# deadline passes while the page is open, and a decision's deadline downloads as an iCalendar
# event that parses back to the same deadline.
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from generator.callin import time_left

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")
# The councillor opens the board 2 hours 15 minutes after the site was built.
LATER = timedelta(hours=2, minutes=15)


def open_decisions(site) -> list[dict]:
    found = [d for d in site.decisions if d["call_in"]["status"] == "open"]
    assert found, ("the sample has no decision open for call-in at the test moment "
                   f"{site.as_of.isoformat()}: add one, or move AS_OF in conftest.py")
    return sorted(found, key=lambda d: (d["call_in"]["deadline"], d["id"]))


def test_board_shows_time_left_at_the_moment_it_is_viewed(pages, site) -> None:
    viewed = site.as_of + LATER
    page = pages.new(clock=viewed)
    page.goto(site.url("call-in/"))
    table = page.get_by_role("table", name="Open for call-in, soonest deadline first")
    for d in open_decisions(site):
        deadline = datetime.fromisoformat(d["call_in"]["deadline"])
        assert viewed < deadline
        row = table.get_by_role("row").filter(has=page.get_by_role("link", name=d["title"]))
        status = row.locator("[data-callin-deadline]")
        expect(status.locator("[data-callin-badge]")).to_have_text("Open for call-in")
        # Built at as_of, the page said the time left then; the script says it now.
        built = time_left(deadline, site.as_of) + " left"
        now = time_left(deadline, viewed) + " left"
        assert built != now, "pick a LATER that changes the words"
        expect(status.locator("[data-callin-left]")).to_have_text(now)
        expect(status.locator("[data-callin-asof]")).to_have_text(
            "updated when you opened this page")


def test_badge_moves_on_when_the_deadline_passes_with_the_page_open(pages, site) -> None:
    d = open_decisions(site)[0]
    deadline = datetime.fromisoformat(d["call_in"]["deadline"])
    in_force = date.fromisoformat(d["call_in"]["in_force"])
    page = pages.new(install_clock=False)
    # A paused fake clock a minute before the deadline: only fast_forward moves it, and the
    # script's one-minute timer fires when it does.
    page.clock.install(time=deadline - timedelta(minutes=2))
    page.clock.pause_at(deadline - timedelta(minutes=1))
    page.goto(site.url(f"decisions/{d['id']}/"))
    status = page.locator(".decision-summary [data-callin-deadline]")
    expect(status.locator("[data-callin-badge]")).to_have_text("Open for call-in")
    expect(status.locator("[data-callin-left]")).to_have_text("1 minute left")

    page.clock.fast_forward("02:00")
    expect(status.locator("[data-callin-badge]")).to_have_text("Call-in period ended")
    expect(status.locator("[data-callin-left]")).to_be_hidden()

    # The in-force date is a London date: a minute past its midnight is enough.
    midnight = datetime(in_force.year, in_force.month, in_force.day, tzinfo=LONDON)
    page.clock.fast_forward(int((midnight - deadline).total_seconds() * 1000) + 60_000)
    expect(status.locator("[data-callin-badge]")).to_have_text("In force")


def test_councillor_downloads_a_decisions_deadline_as_ics(pages, site) -> None:
    d = open_decisions(site)[0]
    page = pages.new(clock=site.as_of)
    page.goto(site.url("call-in/"))
    page.get_by_role("table", name="Open for call-in, soonest deadline first") \
        .get_by_role("link", name=d["title"]).click()
    assert page.url == site.url(f"decisions/{d['id']}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Add the call-in deadline to your calendar (.ics)").click()
    download = info.value
    assert download.suggested_filename == f"{d['id']}.ics"
    assert download.url == site.url(f"calendar/{d['id']}.ics")
    calendar = Calendar.from_ical(download.path().read_bytes())
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].dt == datetime.fromisoformat(d["call_in"]["deadline"])
    assert d["title"] in str(event["SUMMARY"])
    assert str(event["URL"]) == d["url"]

# This module tests the iCalendar output: it must parse back, follow RFC 5545's line rules, and
# be identical from build to build so that subscribers' apps update events rather than duplicate.
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from generator.calendar import DeadlineEvent, deadlines_calendar, decision_calendar
from generator.callin import call_in_dates, rule_from_settings

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Example Council//Decisions portal//EN"
STAMP = datetime(2025, 12, 5, 10, 0, tzinfo=LONDON)

RULE = rule_from_settings(
    {"period": 3, "unit": "working-days", "cutoff": "17:00", "in_force": "next-day",
     "bank_holidays": "england-and-wales", "applies_to": ["cabinet"], "members_needed": 5}
)  # fmt: skip
SEED = DeadlineEvent(
    uid="callin-2025-077@decisions.example.gov.uk",
    title="Call-in deadline: Carers Hub information contract — procurement strategy "
    "(Ynys Môn, café, naïve — long enough to fold)",
    url="https://decisions.example.gov.uk/2025/carers-hub-information/",
    deadline=call_in_dates(date(2025, 12, 4), RULE).deadline,
    description="Decision by the Cabinet Member for Children and Education. "
    "5 councillors must sign a call-in request.",
)
SUMMER = DeadlineEvent(
    uid="callin-2022-031@decisions.example.gov.uk",
    title="Call-in deadline: Library opening hours",
    url="https://decisions.example.gov.uk/2022/library-hours/",
    deadline=datetime(2022, 9, 26, 16, 0, tzinfo=LONDON),
    description="Cabinet decision.",
)


def events_of(data: bytes) -> list[Calendar]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def assert_rfc5545_lines(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n"), "every line ends with CRLF"
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75, f"line not folded: {line!r}"
        line.decode("utf-8")  # folding never splits a UTF-8 character


def test_decision_calendar_parses_back() -> None:
    data = decision_calendar(SEED, prodid=PRODID, stamp=STAMP)
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == PRODID
    [event] = events_of(data)
    assert str(event["UID"]) == SEED.uid
    assert str(event["SUMMARY"]) == SEED.title
    assert event["DTSTART"].dt == datetime(2025, 12, 9, 17, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTAMP"].dt == datetime(2025, 12, 5, 10, 0, tzinfo=UTC)
    assert "DTEND" not in event  # a point event: the deadline itself
    assert str(event["URL"]) == SEED.url
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert str(event["DESCRIPTION"]) == f"{SEED.description}\n\n{SEED.url}"


def test_raw_lines() -> None:
    data = decision_calendar(SEED, prodid=PRODID, stamp=STAMP)
    assert_rfc5545_lines(data)
    assert b"\r\nDTSTART;TZID=Europe/London:20251209T170000\r\n" in data
    assert b"\r\nDTSTAMP:20251205T100000Z\r\n" in data
    assert b"\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n" in data
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def test_summer_deadline_keeps_its_wall_time() -> None:
    data = decision_calendar(SUMMER, prodid=PRODID, stamp=STAMP)
    assert b"\r\nDTSTART;TZID=Europe/London:20220926T160000\r\n" in data
    [event] = events_of(data)
    assert event["DTSTART"].dt == datetime(2022, 9, 26, 15, 0, tzinfo=UTC)
    [timezone] = Calendar.from_ical(data).walk("VTIMEZONE")
    assert b"TZOFFSETTO:+0100" in timezone.to_ical()


def test_a_deadline_given_in_utc_is_written_in_london_time() -> None:
    utc = DeadlineEvent(SUMMER.uid, SUMMER.title, SUMMER.url,
                        datetime(2022, 9, 26, 15, 0, tzinfo=UTC), SUMMER.description)
    assert decision_calendar(utc, prodid=PRODID, stamp=STAMP) == decision_calendar(
        SUMMER, prodid=PRODID, stamp=STAMP
    )


def test_same_input_same_bytes() -> None:
    first = decision_calendar(SEED, prodid=PRODID, stamp=STAMP)
    again = decision_calendar(SEED, prodid=PRODID, stamp=STAMP.astimezone(UTC))
    assert first == again
    later = decision_calendar(SEED, prodid=PRODID, stamp=STAMP + timedelta(days=1))
    assert later != first
    assert later.replace(b"DTSTAMP:20251206T100000Z", b"DTSTAMP:20251205T100000Z") == first


def test_the_url_is_not_repeated_when_the_description_has_it() -> None:
    event = DeadlineEvent(SUMMER.uid, SUMMER.title, SUMMER.url, SUMMER.deadline,
                          f"See {SUMMER.url}")
    [parsed] = events_of(decision_calendar(event, prodid=PRODID, stamp=STAMP))
    assert str(parsed["DESCRIPTION"]).count(SUMMER.url) == 1


def test_feed() -> None:
    data = deadlines_calendar(
        [SEED, SUMMER], name="Call-in deadlines", prodid=PRODID, stamp=STAMP
    )
    assert_rfc5545_lines(data)
    calendar = Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "Call-in deadlines"
    assert str(calendar["NAME"]) == "Call-in deadlines"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data
    # Ordered by deadline, so the feed does not depend on the order records were read in.
    assert [str(e["UID"]) for e in events_of(data)] == [SUMMER.uid, SEED.uid]
    assert data == deadlines_calendar(
        [SUMMER, SEED], name="Call-in deadlines", prodid=PRODID, stamp=STAMP
    )
    # One VTIMEZONE covering both years.
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/London"


def test_empty_feed_is_still_a_valid_calendar() -> None:
    # RFC 5545 wants at least one component; the VTIMEZONE is always there.
    data = deadlines_calendar([], name="Call-in deadlines", prodid=PRODID, stamp=STAMP)
    assert_rfc5545_lines(data)
    calendar = Calendar.from_ical(data)
    assert events_of(data) == []
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_feed_refuses_repeated_uids() -> None:
    with pytest.raises(ValueError, match="repeated: callin-2025-077@"):
        deadlines_calendar([SEED, SEED], name="x", prodid=PRODID, stamp=STAMP)


@pytest.mark.parametrize(
    ("event", "stamp", "message"),
    [
        (SEED, datetime(2025, 12, 5, 10), "stamp must be timezone-aware"),
        (DeadlineEvent("u@x", "t", "https://x/", datetime(2025, 12, 9, 17), ""), STAMP,
         "deadline must be timezone-aware"),
        (DeadlineEvent("  ", "t", "https://x/", SEED.deadline, ""), STAMP, "needs a UID"),
    ],
)
def test_refuses_bad_input(event: DeadlineEvent, stamp: datetime, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decision_calendar(event, prodid=PRODID, stamp=stamp)


@pytest.mark.parametrize("event", [SEED, SUMMER], ids=["winter", "summer"])
def test_a_decision_calendar_is_what_icalendar_writes_for_the_whole_file(
        event: DeadlineEvent) -> None:
    # decision_calendar reuses a serialised head per year; it must equal a calendar built and
    # serialised whole by the library.
    from generator.calendar import _add_events, _calendar

    whole = _calendar(PRODID)
    _add_events(whole, (event,), STAMP)
    assert decision_calendar(event, prodid=PRODID, stamp=STAMP) == whole.to_ical()

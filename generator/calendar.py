# This module writes call-in deadlines as iCalendar (RFC 5545) files, so that scrutiny
# councillors can put one deadline in their diary or subscribe to every deadline: the domain
# brief asks the portal to say "until exactly when" and "how to subscribe". Output must be
# byte-for-byte reproducible from the build's inputs (the stamp is a moment the records give,
# or the build's as-of moment),
# and UIDs are stable so calendar apps update an event instead of adding a duplicate.
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from icalendar import Calendar, Event, Timezone

from generator.callin import LONDON

__all__ = ["DeadlineEvent", "decision_calendar", "deadlines_calendar"]

_TZID = "Europe/London"
# RFC 7986 REFRESH-INTERVAL and its older Microsoft/Google spelling X-PUBLISHED-TTL: deadlines
# change as decisions are published or called in, so subscribers should check hourly.
_REFRESH = timedelta(hours=1)
_REFRESH_TEXT = "PT1H"  # an X- property has no known type, so icalendar needs the text itself


@dataclass(frozen=True, slots=True)
class DeadlineEvent:
    """One call-in deadline, as the caller wants it to appear in a calendar."""

    uid: str
    """Stable and globally unique, e.g. "callin-<record id>@<site host>"."""
    title: str
    """The SUMMARY, used as given."""
    url: str
    """The decision page."""
    deadline: datetime
    """The call-in cut-off, tz-aware."""
    description: str
    """The DESCRIPTION, used as given; the URL is added when it does not already include it."""


def decision_calendar(event: DeadlineEvent, *, prodid: str, stamp: datetime) -> bytes:
    """A calendar file holding one decision's call-in deadline ("add to my calendar")."""
    # Byte for byte what `_add_events` on a new calendar gives (tests/test_calendar.py), but
    # the calendar's head and VTIMEZONE are serialised once per year rather than once per
    # decision: that was two thirds of 1.8 ms a file, 35 s of a 20,000-decision build.
    year = _utc(event.deadline, "deadline").astimezone(LONDON).year
    return (_head(prodid, year) + bytes(_event(event, _utc(stamp, "stamp")).to_ical())
            + _END)


_END = b"END:VCALENDAR\r\n"


@lru_cache(maxsize=32)
def _head(prodid: str, year: int) -> bytes:
    calendar = _calendar(prodid)
    calendar.add_component(_timezone(year, year))
    text = bytes(calendar.to_ical())
    assert text.endswith(_END)
    return text[: -len(_END)]


def _timezone(first: int, last: int) -> Timezone:
    return Timezone.from_tzid(_TZID, first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1))


def deadlines_calendar(
    events: Sequence[DeadlineEvent], *, name: str, prodid: str, stamp: datetime
) -> bytes:
    """A subscription feed of call-in deadlines, ordered by deadline then UID.

    Raises ValueError when two events share a UID: apps would keep only one of them.
    """
    uids = [e.uid for e in events]
    if len(set(uids)) != len(uids):
        repeated = sorted({u for u in uids if uids.count(u) > 1})
        raise ValueError(f"each deadline needs its own UID; repeated: {', '.join(repeated)}")
    calendar = _calendar(prodid)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", _TZID)
    calendar.add("refresh-interval", _REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", _REFRESH_TEXT)
    ordered = sorted(events, key=lambda e: (_utc(e.deadline, "deadline"), e.uid))
    _add_events(calendar, ordered, stamp)
    return bytes(calendar.to_ical())


def _calendar(prodid: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def _add_events(calendar: Calendar, events: Sequence[DeadlineEvent], stamp: datetime) -> None:
    # DTSTAMP must be UTC (RFC 5545 3.8.7.2); taking it from the build's as-of moment rather
    # than the clock is what makes two builds of the same input identical.
    dtstamp = _utc(stamp, "stamp")
    # Times are written as London wall time with a VTIMEZONE, as the constitution states them
    # ("5pm"), so apps show 17:00 in any season. The VTIMEZONE covers only the years in use,
    # keeping it short; it is always present, so even an empty feed has the one component
    # RFC 5545 requires.
    years = [_utc(e.deadline, "deadline").astimezone(LONDON).year for e in events]
    first = min(years, default=dtstamp.year)
    last = max(years, default=dtstamp.year)
    calendar.add_component(_timezone(first, last))
    for item in events:
        calendar.add_component(_event(item, dtstamp))


def _event(item: DeadlineEvent, dtstamp: datetime) -> Event:
    if not item.uid.strip():
        raise ValueError("a deadline event needs a UID")
    deadline = _utc(item.deadline, "deadline").astimezone(LONDON)
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", dtstamp)
    # A point event (DTSTART without DTEND, RFC 5545 3.6.1): the deadline is an instant, and an
    # event that started earlier (say 16:30-17:00) would invite readers to take its start for
    # the cut-off. Apps apply the reader's default alert to its start, which is the deadline.
    event.add("dtstart", deadline)
    event.add("summary", item.title)
    description = item.description.strip()
    # Some apps (Google Calendar) ignore URL, so the link goes in the description too.
    if item.url not in description:
        description = f"{description}\n\n{item.url}" if description else item.url
    event.add("description", description)
    event.add("url", item.url)
    # A deadline does not make anyone busy.
    event.add("transp", "TRANSPARENT")
    event.add("class", "PUBLIC")
    return event


def _utc(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return moment.astimezone(UTC)

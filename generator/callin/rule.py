# This module turns a council's call-in rule (its constitution's scrutiny procedure rules, as
# set in site-data/authority.yml) and a decision's publication date into the call-in deadline,
# the in-force date and the working behind them, and says what a page should show at a given
# moment. Local Government Act 2000 s.9F lets scrutiny review an executive decision made but not
# yet implemented; the period, cut-off and signatures needed are each council's own, so nothing
# here is hard-wired except the calendar. It is pure: no I/O, and the moment is a parameter.
# This part: the council's rule, and the deadline and in-force date it gives for a publication
# date, with the working shown on pages.
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


# Classes: the rule


class Unit(StrEnum):
    """What the call-in period counts (`call_in.unit`)."""

    WORKING_DAYS = "working-days"
    CALENDAR_DAYS = "calendar-days"


class InForce(StrEnum):
    """When an uncalled decision takes effect (`call_in.in_force`)."""

    NEXT_DAY = "next-day"
    NEXT_WORKING_DAY = "next-working-day"
    AT_CUTOFF = "at-cutoff"


class Region(StrEnum):
    """Whose bank holidays are not working days (`call_in.bank_holidays`)."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


# Wales shares England's bank holidays (Banking and Financial Dealings Act 1971, Sch. 1 para 1),
# so the `holidays` package's ENG subdivision serves both.
_SUBDIVISION = {
    Region.ENGLAND_AND_WALES: "ENG",
    Region.SCOTLAND: "SCT",
    Region.NORTHERN_IRELAND: "NIR",
}
_REGION_ADJECTIVE = {
    Region.ENGLAND_AND_WALES: "England and Wales",
    Region.SCOTLAND: "Scottish",
    Region.NORTHERN_IRELAND: "Northern Ireland",
}


@dataclass(frozen=True, slots=True)
class CallInRule:
    """A council's call-in rule, from the `call_in` block of site-data/authority.yml.

    Hashable, so dates computed from it can be cached across thousands of records.
    """

    period: int
    """`period`: how many days the period lasts."""
    unit: Unit
    """`unit`: working days or calendar days."""
    cutoff: time
    """`cutoff`: the time on the last day, Europe/London wall time (naive)."""
    in_force: InForce
    """`in_force`: when a decision not called in takes effect."""
    bank_holidays: Region
    """`bank_holidays`: the region whose bank holidays are not working days."""
    closures: tuple[date, ...]
    """`closures`: extra days the council is closed; kept sorted and without repeats."""
    applies_to: tuple[str, ...]
    """`applies_to`: decision types open to call-in."""
    members_needed: int
    """`members_needed`: councillors' signatures needed to call a decision in."""

    def __post_init__(self) -> None:
        # Callers may pass the YAML strings; the enums make every later comparison exact.
        object.__setattr__(self, "unit", Unit(self.unit))
        object.__setattr__(self, "in_force", InForce(self.in_force))
        object.__setattr__(self, "bank_holidays", Region(self.bank_holidays))
        if not _is_int(self.period) or self.period < 1:
            raise ValueError(f"call_in.period must be a whole number, 1 or more: {self.period!r}")
        if not _is_int(self.members_needed) or self.members_needed < 1:
            raise ValueError(f"call_in.members_needed must be 1 or more: {self.members_needed!r}")
        if not isinstance(self.cutoff, time) or self.cutoff.tzinfo is not None:
            raise ValueError("call_in.cutoff must be a local time of day without a time zone")
        closures = tuple(self.closures)
        if any(isinstance(d, datetime) or not isinstance(d, date) for d in closures):
            raise ValueError("call_in.closures must be dates (YYYY-MM-DD)")
        object.__setattr__(self, "closures", tuple(sorted(set(closures))))
        object.__setattr__(self, "applies_to", tuple(str(t) for t in self.applies_to))


def rule_from_settings(settings: Mapping[str, Any]) -> CallInRule:
    """Build the rule from the schema-validated `call_in` mapping of authority.yml.

    Accepts the cut-off as "HH:MM" (or a `time`), and closures as "YYYY-MM-DD" strings or dates
    (PyYAML turns unquoted dates into `date` objects).
    """
    try:
        return CallInRule(
            period=settings["period"],
            unit=Unit(settings["unit"]),
            cutoff=_parse_cutoff(settings["cutoff"]),
            in_force=InForce(settings["in_force"]),
            bank_holidays=Region(settings["bank_holidays"]),
            closures=tuple(_parse_date(d) for d in settings.get("closures") or ()),
            applies_to=tuple(settings.get("applies_to") or ()),
            members_needed=settings["members_needed"],
        )
    except KeyError as missing:
        raise ValueError(f"call_in.{missing.args[0]} is missing") from None


# Classes: the dates


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the working shown on a decision page, from the day after publication."""

    day: date
    counted: bool
    """Whether the day counts towards the period."""
    number: int | None
    """Its number in the period when counted."""
    why: str
    """"working day 1", "calendar day 3", "Saturday", "Sunday", "bank holiday: Christmas Day",
    "council closure", or "next working day" (where a calendar-day period's end moved to)."""


@dataclass(frozen=True, slots=True)
class CallInDates:
    """The call-in deadline and in-force date of one decision, with the working."""

    published: date
    deadline: datetime
    """The cut-off on the last day, tz-aware Europe/London."""
    in_force: date
    days: tuple[Day, ...]
    rule: CallInRule


# Helper functions: the calendar


@lru_cache(maxsize=None)
def _bank_holidays(region: Region, year: int) -> Mapping[date, str]:
    # The `holidays` package knows the one-off days too (19 Sep 2022 State Funeral, 8 May 2023
    # Coronation) and substitute days; a frozen plain mapping keeps lookups fast for big builds.
    found = holidays.country_holidays("GB", subdiv=_SUBDIVISION[region], years=year)
    return MappingProxyType(dict(found.items()))


@lru_cache(maxsize=256)
def _closure_set(closures: tuple[date, ...]) -> frozenset[date]:
    return frozenset(closures)


def _not_working(day: date, rule: CallInRule) -> str | None:
    """Why `day` is not a working day, or None when it is one.

    A working day is a weekday that is neither a bank holiday in the rule's region nor a
    council closure day. A weekend wins over a bank holiday falling on it, since the substitute
    weekday is the holiday that matters.
    """
    weekday = day.weekday()
    if weekday == 5:
        return "Saturday"
    if weekday == 6:
        return "Sunday"
    name = _bank_holidays(rule.bank_holidays, day.year).get(day)
    if name is not None:
        return f"bank holiday: {name}"
    if day in _closure_set(rule.closures):
        return "council closure"
    return None


def _next_working_day(after: date, rule: CallInRule) -> date:
    day = after + timedelta(days=1)
    while _not_working(day, rule) is not None:
        day += timedelta(days=1)
    return day


# Public functions: the dates


def call_in_dates(published: date, rule: CallInRule) -> CallInDates:
    """The deadline and in-force date for a decision published on `published`.

    Counting starts the day after publication: the day of publication is never a whole day
    left for councillors to act (the "clear days" reading of constitutions such as Wiltshire's
    and Bath & NE Somerset's).
    """
    if isinstance(published, datetime) or not isinstance(published, date):
        raise TypeError("published must be a date, not a datetime")
    return _call_in_dates(published, rule)


# Cached because a build asks for the same (date, rule) pairs many times; the result is frozen.
@lru_cache(maxsize=8192)
def _call_in_dates(published: date, rule: CallInRule) -> CallInDates:
    days: list[Day] = []
    one = timedelta(days=1)
    day = published
    counted = 0
    while counted < rule.period:
        day += one
        reason = _not_working(day, rule)
        if rule.unit is Unit.CALENDAR_DAYS:
            counted += 1
            days.append(Day(day, True, counted, f"calendar day {counted}"))
        elif reason is None:
            counted += 1
            days.append(Day(day, True, counted, f"working day {counted}"))
        else:
            days.append(Day(day, False, None, reason))
    if rule.unit is Unit.CALENDAR_DAYS and _not_working(day, rule) is not None:
        # Nobody can lodge a call-in request on a day the council is shut, so a period of
        # calendar days that ends on one runs on to the next working day.
        day += one
        while (reason := _not_working(day, rule)) is not None:
            days.append(Day(day, False, None, reason))
            day += one
        days.append(Day(day, False, None, "next working day"))
    last = day
    # The last day is always a working day (never a Sunday), so the cut-off can never fall in
    # the hour skipped or repeated by the clock change: the wall time is unambiguous.
    deadline = datetime.combine(last, rule.cutoff, tzinfo=LONDON)
    if rule.in_force is InForce.NEXT_DAY:
        in_force = last + one
    elif rule.in_force is InForce.NEXT_WORKING_DAY:
        in_force = _next_working_day(last, rule)
    else:
        in_force = last
    return CallInDates(published, deadline, in_force, tuple(days), rule)


def describe_rule(rule: CallInRule) -> str:
    """The rule in plain English, for the "how this was worked out" part of a decision page."""
    unit = "working" if rule.unit is Unit.WORKING_DAYS else "calendar"
    days = "day" if rule.period == 1 else "days"
    cutoff = time_words(rule.cutoff)
    text = (
        f"{rule.period} {unit} {days} after the day of publication, "
        f"ending at {cutoff} on the last day"
    )
    region = _REGION_ADJECTIVE[rule.bank_holidays]
    if rule.unit is Unit.WORKING_DAYS:
        skipped = ["weekends", f"{region} bank holidays"]
        if rule.closures:
            skipped.append("council closure days")
        text += f"; {_and(skipped)} are not counted"
    else:
        article = "an" if region[0] in "AEIOU" else "a"
        closed = ["a weekend", f"{article} {region} bank holiday"]
        if rule.closures:
            closed.append("a council closure day")
        text += (
            f"; if the last day is {_or(closed)}, the period ends on the next working day instead"
        )
    if rule.in_force is InForce.NEXT_DAY:
        text += "; the decision takes effect the next day."
    elif rule.in_force is InForce.NEXT_WORKING_DAY:
        text += "; the decision takes effect on the next working day."
    else:
        text += f"; the decision takes effect at {cutoff} on the last day."
    return text


def working_lines(dates: CallInDates) -> tuple[str, ...]:
    """Each day from the day after publication to the deadline day, in words.

    A page shows this so that a reader can check the deadline: councils have published wrong
    dates (Salford's "effective from 27/09/2022" ignored the 19 September bank holiday).
    """
    lines: list[str] = []
    last_counted = max((d.day for d in dates.days if d.counted), default=None)
    for entry in dates.days:
        reason = _not_working(entry.day, dates.rule)
        if entry.counted:
            suffix = entry.why
            if entry.day == last_counted and reason is not None:
                suffix += (
                    f"; {_reason_words(reason)}, so the period runs on to the next working day"
                )
        elif reason is None:
            suffix = "next working day, so the period ends here"
        else:
            suffix = f"{_reason_words(reason)}, not counted"
        lines.append(f"{long_date(entry.day)} — {suffix}")
    return tuple(lines)


def dates_as_json(dates: CallInDates) -> dict[str, Any]:
    """The dates as JSON-ready data, for the portal's JSON export and the page script."""
    return {
        "published": dates.published.isoformat(),
        "deadline": dates.deadline.isoformat(),
        "in_force": dates.in_force.isoformat(),
        "rule": describe_rule(dates.rule),
        "days": [
            {"date": d.day.isoformat(), "counted": d.counted, "why": d.why} for d in dates.days
        ],
    }


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(day: date) -> str:
    """GOV.UK style date: "Tuesday 9 December 2025" (not locale-dependent, unlike strftime)."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def time_words(moment: time) -> str:
    """GOV.UK style time: "5pm", "5:30pm", "midday"; "midnight" for 00:00."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def _reason_words(reason: str) -> str:
    if reason in ("Saturday", "Sunday"):
        return "weekend"
    if reason.startswith("bank holiday: "):
        return f"bank holiday ({reason.removeprefix('bank holiday: ')})"
    return "council closure day"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_cutoff(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            hours, minutes = value.split(":")
            return time(int(hours), int(minutes))
        except ValueError:
            pass
    # PyYAML reads an unquoted 17:00 as the base-60 integer 1020, hence the hint.
    raise ValueError(f'call_in.cutoff must be a time "HH:MM" in quotes, got {value!r}')


def _parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"call_in.closures must hold dates YYYY-MM-DD, got {value!r}")

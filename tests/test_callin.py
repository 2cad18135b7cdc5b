# This module tests the call-in engine against dates worked out by hand from the published
# bank-holiday calendars, so that a mistake in the engine cannot also hide in the expectations.
from __future__ import annotations

import json
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.callin import rule as callin
from generator.callin import (
    CallInDates,
    CallInEvent,
    CallInRule,
    EventKind,
    InForce,
    Region,
    State,
    Unit,
    call_in_dates,
    call_in_status,
    dates_as_json,
    describe_rule,
    long_date,
    rule_from_settings,
    time_left,
    time_words,
    working_lines,
)

LONDON = ZoneInfo("Europe/London")
ENG, SCT, NIR = "england-and-wales", "scotland", "northern-ireland"


def make_rule(
    period: int = 5,
    unit: str = "working-days",
    cutoff: str = "17:00",
    in_force: str = "next-day",
    region: str = ENG,
    closures: tuple[str, ...] = (),
) -> CallInRule:
    return rule_from_settings(
        {
            "period": period,
            "unit": unit,
            "cutoff": cutoff,
            "in_force": in_force,
            "bank_holidays": region,
            "closures": list(closures),
            "applies_to": ["cabinet", "cabinet-member", "committee"],
            "members_needed": 5,
        }
    )


def d(text: str) -> date:
    return date.fromisoformat(text)


def london(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


# The rule


def test_rule_from_settings_reads_the_authority_block() -> None:
    rule = rule_from_settings(
        {
            "period": 5,
            "unit": "working-days",
            "cutoff": "16:30",
            "in_force": "next-working-day",
            "bank_holidays": "scotland",
            "closures": ["2025-12-30", date(2025, 12, 29), "2025-12-30"],
            "applies_to": ["cabinet", "committee"],
            "members_needed": 3,
        }
    )
    assert rule == CallInRule(
        period=5,
        unit=Unit.WORKING_DAYS,
        cutoff=time(16, 30),
        in_force=InForce.NEXT_WORKING_DAY,
        bank_holidays=Region.SCOTLAND,
        closures=(date(2025, 12, 29), date(2025, 12, 30)),
        applies_to=("cabinet", "committee"),
        members_needed=3,
    )


def test_equal_rules_hash_alike_so_dates_can_be_cached() -> None:
    one = make_rule(5, closures=("2025-12-30", "2025-12-29"))
    other = make_rule(5, closures=("2025-12-29", "2025-12-30", "2025-12-29"))
    assert one == other
    assert hash(one) == hash(other)
    assert call_in_dates(date(2025, 12, 23), one) is call_in_dates(date(2025, 12, 23), other)


def test_rule_coerces_yaml_strings_to_enums() -> None:
    strings: Any = ("calendar-days", "at-cutoff", "northern-ireland")
    rule = CallInRule(5, strings[0], time(17), strings[1], strings[2], (), ("cabinet",), 5)
    assert rule.unit is Unit.CALENDAR_DAYS
    assert rule.in_force is InForce.AT_CUTOFF
    assert rule.bank_holidays is Region.NORTHERN_IRELAND


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cutoff": 1020}, "HH:MM"),  # what PyYAML makes of an unquoted 17:00
        ({"cutoff": "5pm"}, "HH:MM"),
        ({"cutoff": "25:00"}, "HH:MM"),
        ({"period": 0}, "period"),
        ({"period": True}, "period"),
        ({"members_needed": 0}, "members_needed"),
        ({"closures": ["29/12/2025"]}, "closures"),
        ({"unit": "clear-days"}, "clear-days"),
    ],
)
def test_rule_from_settings_refuses_bad_values(change: dict[str, Any], message: str) -> None:
    settings_ = {
        "period": 5, "unit": "working-days", "cutoff": "17:00", "in_force": "next-day",
        "bank_holidays": ENG, "closures": [], "applies_to": ["cabinet"], "members_needed": 5,
    } | change  # fmt: skip
    with pytest.raises(ValueError, match=message):
        rule_from_settings(settings_)


def test_rule_from_settings_names_a_missing_key() -> None:
    with pytest.raises(ValueError, match=r"call_in\.members_needed is missing"):
        rule_from_settings(
            {"period": 5, "unit": "working-days", "cutoff": "17:00", "in_force": "next-day",
             "bank_holidays": ENG}
        )


def test_closures_default_to_none() -> None:
    rule = rule_from_settings(
        {"period": 5, "unit": "working-days", "cutoff": "17:00", "in_force": "next-day",
         "bank_holidays": ENG, "applies_to": ["cabinet"], "members_needed": 5}
    )
    assert rule.closures == ()


# The dates: (published, rule, deadline day, in-force day), each worked out by hand.

DEADLINES = [
    # Seed 000: Thu 4 Dec 2025, 3 working days: Fri 5, Mon 8, Tue 9; in force Wed 10.
    ("seed-000", "2025-12-04", make_rule(3), "2025-12-09", "2025-12-10"),
    # Salford's own rule, 16 Sep 2022: Mon 19 (State Funeral) skipped; Tue 20 .. Mon 26.
    ("state-funeral", "2022-09-16", make_rule(5, cutoff="16:00"), "2022-09-26", "2022-09-27"),
    ("state-funeral-scotland", "2022-09-16", make_rule(5, region=SCT), "2022-09-26", "2022-09-27"),
    # Weekends.
    ("friday", "2025-12-05", make_rule(5), "2025-12-12", "2025-12-13"),
    ("published-saturday", "2025-12-06", make_rule(1), "2025-12-08", "2025-12-09"),
    ("published-sunday", "2025-12-07", make_rule(1), "2025-12-08", "2025-12-09"),
    # Easter 2025: Good Friday 18 Apr everywhere; Easter Monday 21 Apr not in Scotland.
    ("easter-eng", "2025-04-17", make_rule(5), "2025-04-28", "2025-04-29"),
    ("easter-sct", "2025-04-17", make_rule(5, region=SCT), "2025-04-25", "2025-04-26"),
    ("easter-nir", "2025-04-17", make_rule(5, region=NIR), "2025-04-28", "2025-04-29"),
    ("easter-1-eng", "2025-04-17", make_rule(1), "2025-04-22", "2025-04-23"),
    ("easter-1-sct", "2025-04-17", make_rule(1, region=SCT), "2025-04-21", "2025-04-22"),
    # Christmas to New Year 2025-26: 25, 26 Dec and 1 Jan; Scotland adds 2 Jan.
    ("christmas-eng", "2025-12-23", make_rule(5), "2026-01-02", "2026-01-03"),
    ("christmas-sct", "2025-12-23", make_rule(5, region=SCT), "2026-01-05", "2026-01-06"),
    ("christmas-closures", "2025-12-23",
     make_rule(5, closures=("2025-12-29", "2025-12-30", "2025-12-31")), "2026-01-07", "2026-01-08"),
    ("new-year-eng", "2025-12-31", make_rule(1), "2026-01-02", "2026-01-03"),
    ("new-year-sct", "2025-12-31", make_rule(1, region=SCT), "2026-01-05", "2026-01-06"),
    # Substitute days: Christmas 2022 on a Sunday (Tue 27 substitute), New Year 2023 on a
    # Sunday (Mon 2 Jan; Scotland's 2 Jan holiday moves to Tue 3 Jan).
    ("christmas-2022-substitute", "2022-12-23", make_rule(3), "2022-12-30", "2022-12-31"),
    ("new-year-2023-eng", "2022-12-29", make_rule(3), "2023-01-04", "2023-01-05"),
    ("new-year-2023-sct", "2022-12-29", make_rule(3, region=SCT), "2023-01-05", "2023-01-06"),
    # One-off: the Coronation, Mon 8 May 2023, after May Day on Mon 1 May.
    ("coronation", "2023-05-05", make_rule(5), "2023-05-15", "2023-05-16"),
    ("coronation-sct", "2023-05-05", make_rule(5, region=SCT), "2023-05-15", "2023-05-16"),
    ("may-day-and-coronation", "2023-04-28", make_rule(5), "2023-05-09", "2023-05-10"),
    # August: Scotland's holiday is the first Monday, England's the last.
    ("august-first-eng", "2025-08-01", make_rule(3), "2025-08-06", "2025-08-07"),
    ("august-first-sct", "2025-08-01", make_rule(3, region=SCT), "2025-08-07", "2025-08-08"),
    ("august-last-eng", "2025-08-22", make_rule(3), "2025-08-28", "2025-08-29"),
    ("august-last-sct", "2025-08-22", make_rule(3, region=SCT), "2025-08-27", "2025-08-28"),
    # St Andrew's Day: Sun 30 Nov 2025 gives Mon 1 Dec in Scotland; Thu 30 Nov 2023 itself.
    ("st-andrew-substitute-sct", "2025-11-28", make_rule(3, region=SCT),
     "2025-12-04", "2025-12-05"),
    ("st-andrew-substitute-eng", "2025-11-28", make_rule(3), "2025-12-03", "2025-12-04"),
    ("st-andrew-sct", "2023-11-29", make_rule(1, region=SCT), "2023-12-01", "2023-12-02"),
    ("st-andrew-eng", "2023-11-29", make_rule(1), "2023-11-30", "2023-12-01"),
    # Northern Ireland: St Patrick's Day (Mon 17 Mar 2025) and the Twelfth (Fri 12 Jul 2024;
    # Sun 12 Jul 2026 gives Mon 13 Jul).
    ("st-patrick-nir", "2025-03-14", make_rule(3, region=NIR), "2025-03-20", "2025-03-21"),
    ("st-patrick-eng", "2025-03-14", make_rule(3), "2025-03-19", "2025-03-20"),
    ("twelfth-nir", "2024-07-11", make_rule(1, region=NIR), "2024-07-15", "2024-07-16"),
    ("twelfth-eng", "2024-07-11", make_rule(1), "2024-07-12", "2024-07-13"),
    ("twelfth-substitute-nir", "2026-07-10", make_rule(1, region=NIR), "2026-07-14", "2026-07-15"),
    ("twelfth-substitute-eng", "2026-07-10", make_rule(1), "2026-07-13", "2026-07-14"),
    # Council closure days.
    ("closure", "2025-12-04", make_rule(3, closures=("2025-12-08",)), "2025-12-10", "2025-12-11"),
    ("closure-on-weekend", "2025-12-04", make_rule(3, closures=("2025-12-06",)),
     "2025-12-09", "2025-12-10"),
    # Calendar days: the period runs on to the next working day when it ends on a closed day.
    ("calendar-ends-weekday", "2025-12-01", make_rule(10, unit="calendar-days"),
     "2025-12-11", "2025-12-12"),
    ("calendar-ends-sunday", "2025-12-04", make_rule(10, unit="calendar-days"),
     "2025-12-15", "2025-12-16"),
    ("calendar-ends-christmas", "2025-12-15", make_rule(10, unit="calendar-days"),
     "2025-12-29", "2025-12-30"),
    ("calendar-ends-christmas-closure", "2025-12-15",
     make_rule(10, unit="calendar-days", closures=("2025-12-29",)), "2025-12-30", "2025-12-31"),
    ("calendar-ends-easter-sct", "2025-04-11", make_rule(10, unit="calendar-days", region=SCT),
     "2025-04-21", "2025-04-22"),
    ("calendar-ends-easter-eng", "2025-04-11", make_rule(10, unit="calendar-days"),
     "2025-04-22", "2025-04-23"),
    # Each in-force option.
    ("in-force-next-day", "2025-12-05", make_rule(5), "2025-12-12", "2025-12-13"),
    ("in-force-next-working-day", "2025-12-05", make_rule(5, in_force="next-working-day"),
     "2025-12-12", "2025-12-15"),
    ("in-force-at-cutoff", "2025-12-05", make_rule(5, in_force="at-cutoff"),
     "2025-12-12", "2025-12-12"),
    ("in-force-christmas-eve-next-day", "2025-12-23", make_rule(1), "2025-12-24", "2025-12-25"),
    ("in-force-christmas-eve-next-working-day", "2025-12-23",
     make_rule(1, in_force="next-working-day"), "2025-12-24", "2025-12-29"),
    ("in-force-next-working-day-closure", "2025-12-23",
     make_rule(1, in_force="next-working-day", closures=("2025-12-29",)),
     "2025-12-24", "2025-12-30"),
    ("in-force-christmas-eve-at-cutoff", "2025-12-23", make_rule(1, in_force="at-cutoff"),
     "2025-12-24", "2025-12-24"),
]


@pytest.mark.parametrize(
    ("published", "rule", "deadline", "in_force"),
    [pytest.param(*case[1:], id=case[0]) for case in DEADLINES],
)
def test_deadline_and_in_force(
    published: str, rule: CallInRule, deadline: str, in_force: str
) -> None:
    dates = call_in_dates(d(published), rule)
    assert dates.deadline.date() == d(deadline)
    assert dates.deadline.timetz().replace(tzinfo=None) == rule.cutoff
    assert dates.deadline.tzinfo == LONDON
    assert dates.in_force == d(in_force)
    assert dates.published == d(published)
    assert dates.rule == rule


@pytest.mark.parametrize(
    ("published", "period", "cutoff", "expected"),
    [
        # The two known cases of the brief.
        ("2025-12-04", 3, "17:00", "2025-12-09T17:00:00+00:00"),
        ("2022-09-16", 5, "16:00", "2022-09-26T16:00:00+01:00"),
        # Clocks go forward on Sun 30 Mar 2025 and back on Sun 26 Oct 2025.
        ("2025-03-27", 1, "17:00", "2025-03-28T17:00:00+00:00"),
        ("2025-03-27", 2, "17:00", "2025-03-31T17:00:00+01:00"),
        ("2025-10-23", 1, "17:00", "2025-10-24T17:00:00+01:00"),
        ("2025-10-23", 2, "17:00", "2025-10-27T17:00:00+00:00"),
        ("2025-10-23", 2, "09:30", "2025-10-27T09:30:00+00:00"),
    ],
)
def test_cutoff_is_london_wall_time_across_the_clock_change(
    published: str, period: int, cutoff: str, expected: str
) -> None:
    dates = call_in_dates(d(published), make_rule(period, cutoff=cutoff))
    assert dates.deadline.isoformat() == expected
    assert dates.deadline == datetime.fromisoformat(expected)


def test_working_shows_every_day_with_the_state_funeral() -> None:
    dates = call_in_dates(d("2022-09-16"), make_rule(5, cutoff="16:00"))
    assert working_lines(dates) == (
        "Saturday 17 September 2022 — weekend, not counted",
        "Sunday 18 September 2022 — weekend, not counted",
        "Monday 19 September 2022 — bank holiday (State Funeral of Queen Elizabeth II), "
        "not counted",
        "Tuesday 20 September 2022 — working day 1",
        "Wednesday 21 September 2022 — working day 2",
        "Thursday 22 September 2022 — working day 3",
        "Friday 23 September 2022 — working day 4",
        "Saturday 24 September 2022 — weekend, not counted",
        "Sunday 25 September 2022 — weekend, not counted",
        "Monday 26 September 2022 — working day 5",
    )


def test_working_shows_closures_and_christmas() -> None:
    dates = call_in_dates(d("2025-12-23"), make_rule(3, closures=("2025-12-29",)))
    assert working_lines(dates) == (
        "Wednesday 24 December 2025 — working day 1",
        "Thursday 25 December 2025 — bank holiday (Christmas Day), not counted",
        "Friday 26 December 2025 — bank holiday (Boxing Day), not counted",
        "Saturday 27 December 2025 — weekend, not counted",
        "Sunday 28 December 2025 — weekend, not counted",
        "Monday 29 December 2025 — council closure day, not counted",
        "Tuesday 30 December 2025 — working day 2",
        "Wednesday 31 December 2025 — working day 3",
    )


def test_working_shows_a_calendar_day_period_running_on() -> None:
    dates = call_in_dates(d("2025-12-04"), make_rule(10, unit="calendar-days"))
    lines = working_lines(dates)
    assert lines[0] == "Friday 5 December 2025 — calendar day 1"
    assert lines[1] == "Saturday 6 December 2025 — calendar day 2"
    assert lines[-2:] == (
        "Sunday 14 December 2025 — calendar day 10; weekend, so the period runs on to the next "
        "working day",
        "Monday 15 December 2025 — next working day, so the period ends here",
    )
    assert [(x.counted, x.number, x.why) for x in dates.days[-2:]] == [
        (True, 10, "calendar day 10"),
        (False, None, "next working day"),
    ]


def test_days_record_why_each_day_counts_or_not() -> None:
    dates = call_in_dates(d("2025-12-23"), make_rule(3, closures=("2025-12-29",)))
    assert [(x.day.isoformat(), x.counted, x.number, x.why) for x in dates.days] == [
        ("2025-12-24", True, 1, "working day 1"),
        ("2025-12-25", False, None, "bank holiday: Christmas Day"),
        ("2025-12-26", False, None, "bank holiday: Boxing Day"),
        ("2025-12-27", False, None, "Saturday"),
        ("2025-12-28", False, None, "Sunday"),
        ("2025-12-29", False, None, "council closure"),
        ("2025-12-30", True, 2, "working day 2"),
        ("2025-12-31", True, 3, "working day 3"),
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            make_rule(5, closures=("2025-12-29",)),
            "5 working days after the day of publication, ending at 5pm on the last day; "
            "weekends, England and Wales bank holidays and council closure days are not counted; "
            "the decision takes effect the next day.",
        ),
        (
            make_rule(3),
            "3 working days after the day of publication, ending at 5pm on the last day; "
            "weekends and England and Wales bank holidays are not counted; "
            "the decision takes effect the next day.",
        ),
        (
            make_rule(1, cutoff="16:30", region=SCT, in_force="next-working-day"),
            "1 working day after the day of publication, ending at 4:30pm on the last day; "
            "weekends and Scottish bank holidays are not counted; "
            "the decision takes effect on the next working day.",
        ),
        (
            make_rule(5, cutoff="16:00", region=NIR, in_force="at-cutoff"),
            "5 working days after the day of publication, ending at 4pm on the last day; "
            "weekends and Northern Ireland bank holidays are not counted; "
            "the decision takes effect at 4pm on the last day.",
        ),
        (
            make_rule(10, unit="calendar-days"),
            "10 calendar days after the day of publication, ending at 5pm on the last day; "
            "if the last day is a weekend or an England and Wales bank holiday, the period ends "
            "on the next working day instead; the decision takes effect the next day.",
        ),
        (
            make_rule(
                10, unit="calendar-days", cutoff="12:00", region=SCT, closures=("2025-12-29",)
            ),
            "10 calendar days after the day of publication, ending at midday on the last day; "
            "if the last day is a weekend, a Scottish bank holiday or a council closure day, the "
            "period ends on the next working day instead; the decision takes effect the next day.",
        ),
    ],
)
def test_describe_rule(rule: CallInRule, expected: str) -> None:
    assert describe_rule(rule) == expected


def test_dates_as_json_for_the_seed() -> None:
    data = dates_as_json(call_in_dates(d("2025-12-04"), make_rule(3)))
    assert data == {
        "published": "2025-12-04",
        "deadline": "2025-12-09T17:00:00+00:00",
        "in_force": "2025-12-10",
        "rule": describe_rule(make_rule(3)),
        "days": [
            {"date": "2025-12-05", "counted": True, "why": "working day 1"},
            {"date": "2025-12-06", "counted": False, "why": "Saturday"},
            {"date": "2025-12-07", "counted": False, "why": "Sunday"},
            {"date": "2025-12-08", "counted": True, "why": "working day 2"},
            {"date": "2025-12-09", "counted": True, "why": "working day 3"},
        ],
    }
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    ("moment", "words"),
    [(time(17), "5pm"), (time(16, 30), "4:30pm"), (time(9, 5), "9:05am"), (time(12), "midday"),
     (time(0), "midnight"), (time(12, 30), "12:30pm"), (time(0, 30), "12:30am")],
)
def test_time_words(moment: time, words: str) -> None:
    assert time_words(moment) == words


def test_long_date() -> None:
    assert long_date(date(2025, 12, 9)) == "Tuesday 9 December 2025"


def test_published_must_be_a_date() -> None:
    with pytest.raises(TypeError):
        call_in_dates(datetime(2025, 12, 4, 9, tzinfo=LONDON), make_rule(3))


def test_bank_holidays_are_fetched_once_per_region_and_year() -> None:
    callin._bank_holidays.cache_clear()
    for offset in range(200):
        callin._call_in_dates.__wrapped__(date(2025, 1, 1) + timedelta(days=offset), make_rule(5))
    info = callin._bank_holidays.cache_info()
    assert info.currsize == 1
    assert info.hits > 100


def test_twenty_thousand_records_are_quick() -> None:
    # A big build computes dates for ~20,000 records; bypass the result cache to time the work.
    # About 0.25 s on a laptop; the bound only catches an accidental per-call holiday lookup.
    rule = make_rule(5, closures=("2025-12-29",))
    start = clock.perf_counter()
    for offset in range(20_000):
        callin._call_in_dates.__wrapped__(date(2000, 1, 1) + timedelta(days=offset), rule)
    assert clock.perf_counter() - start < 5


# Properties

published_dates = st.dates(date(2000, 1, 1), date(2035, 12, 31))


@st.composite
def cases(draw: st.DrawFn) -> tuple[date, CallInRule]:
    """A publication date and a rule whose closure days fall within a month of it."""
    published = draw(published_dates)
    offsets = draw(st.lists(st.integers(0, 30), max_size=6))
    rule = make_rule(
        period=draw(st.integers(1, 20)),
        unit=draw(st.sampled_from([u.value for u in Unit])),
        cutoff=draw(st.sampled_from(["09:00", "12:00", "16:00", "17:00", "23:59"])),
        in_force=draw(st.sampled_from([i.value for i in InForce])),
        region=draw(st.sampled_from([r.value for r in Region])),
        closures=tuple((published + timedelta(days=n)).isoformat() for n in offsets),
    )
    return published, rule

_SUBDIV = {ENG: "ENG", SCT: "SCT", NIR: "NIR"}


def _closed(day: date, rule: CallInRule) -> bool:
    official = holidays.country_holidays("GB", subdiv=_SUBDIV[rule.bank_holidays], years=day.year)
    return day.weekday() >= 5 or day in official or day in rule.closures


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_deadline_day_is_always_a_working_day(case: tuple[date, CallInRule]) -> None:
    published, rule = case
    dates = call_in_dates(published, rule)
    assert not _closed(dates.deadline.date(), rule)


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(0, 60))
def test_a_later_publication_never_gives_an_earlier_deadline(
    case: tuple[date, CallInRule], later_by: int
) -> None:
    published, rule = case
    early = call_in_dates(published, rule)
    late = call_in_dates(published + timedelta(days=later_by), rule)
    assert late.deadline >= early.deadline
    assert late.in_force >= early.in_force


@settings(max_examples=300, deadline=None)
@given(cases())
def test_in_force_is_never_before_the_deadline_day(case: tuple[date, CallInRule]) -> None:
    published, rule = case
    dates = call_in_dates(published, rule)
    assert dates.in_force >= dates.deadline.date()
    if rule.in_force is InForce.AT_CUTOFF:
        assert dates.in_force == dates.deadline.date()
    else:
        assert dates.in_force > dates.deadline.date()
    if rule.in_force is InForce.NEXT_WORKING_DAY:
        assert not _closed(dates.in_force, rule)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_working_covers_every_day_and_counts_the_period(case: tuple[date, CallInRule]) -> None:
    published, rule = case
    dates = call_in_dates(published, rule)
    assert [x.day for x in dates.days] == [
        published + timedelta(days=n) for n in range(1, len(dates.days) + 1)
    ]
    assert dates.days[-1].day == dates.deadline.date()
    counted = [x for x in dates.days if x.counted]
    assert [x.number for x in counted] == list(range(1, rule.period + 1))
    if rule.unit is Unit.WORKING_DAYS:
        assert all(_closed(x.day, rule) is not x.counted for x in dates.days)
    else:
        assert dates.deadline.date() >= published + timedelta(days=rule.period)
    assert len(working_lines(dates)) == len(dates.days)


# The status at a moment

SEED = call_in_dates(d("2025-12-04"), make_rule(3))  # deadline Tue 9 Dec 2025 5pm, in force Wed 10
SALFORD = call_in_dates(d("2022-09-16"), make_rule(5, cutoff="16:00"))  # Mon 26 Sep 2022 4pm BST
AT_CUTOFF = call_in_dates(d("2025-12-04"), make_rule(3, in_force="at-cutoff"))
NEXT_WORKING = call_in_dates(d("2025-12-05"), make_rule(5, in_force="next-working-day"))


def status_at(
    now: datetime,
    dates: CallInDates | None = SEED,
    *,
    record_status: str = "approved",
    applies: bool = True,
    reason: str | None = None,
    events: tuple[CallInEvent, ...] = (),
) -> callin.CallInStatus:
    return call_in_status(
        record_status=record_status,
        applies=applies,
        not_subject_reason=reason,
        dates=dates,
        events=events,
        now=now,
    )


@pytest.mark.parametrize(
    ("dates", "now", "state"),
    [
        (SEED, london("2025-12-04T09:00"), State.OPEN),
        (SEED, london("2025-12-09T16:59:59"), State.OPEN),
        (SEED, london("2025-12-09T16:59:59.999999"), State.OPEN),
        # At exactly the cut-off the period has ended: requests must arrive *by* 5pm.
        (SEED, london("2025-12-09T17:00:00"), State.ENDED),
        (SEED, london("2025-12-09T23:59:59"), State.ENDED),
        (SEED, london("2025-12-10T00:00:00"), State.IN_FORCE),
        (SEED, datetime(2025, 12, 9, 16, 59, 59, tzinfo=UTC), State.OPEN),
        (SEED, datetime(2025, 12, 9, 17, tzinfo=UTC), State.ENDED),
        # Summer time: 4pm BST is 3pm UTC.
        (SALFORD, london("2022-09-26T15:59:59"), State.OPEN),
        (SALFORD, london("2022-09-26T16:00:00"), State.ENDED),
        (SALFORD, datetime(2022, 9, 26, 14, 59, 59, tzinfo=UTC), State.OPEN),
        (SALFORD, datetime(2022, 9, 26, 15, 0, tzinfo=UTC), State.ENDED),
        # 22:59 UTC is still 26 September in London, 23:00 UTC is 27 September.
        (SALFORD, datetime(2022, 9, 26, 22, 59, tzinfo=UTC), State.ENDED),
        (SALFORD, datetime(2022, 9, 26, 23, 0, tzinfo=UTC), State.IN_FORCE),
        (AT_CUTOFF, london("2025-12-09T16:59:59"), State.OPEN),
        (AT_CUTOFF, london("2025-12-09T17:00:00"), State.IN_FORCE),
        (NEXT_WORKING, london("2025-12-12T17:00"), State.ENDED),
        (NEXT_WORKING, london("2025-12-14T23:59"), State.ENDED),
        (NEXT_WORKING, london("2025-12-15T00:00"), State.IN_FORCE),
    ],
)
def test_state_around_the_cutoff(dates: CallInDates, now: datetime, state: State) -> None:
    status = status_at(now, dates)
    assert status.state is state
    # Open and ended move on with the clock; in force is final, so it holds no moment.
    assert status.as_of == (None if state is State.IN_FORCE else now)
    assert status.deadline == dates.deadline
    assert status.in_force == dates.in_force
    assert status.label != "Approved"


@pytest.mark.parametrize(
    ("now", "label", "detail"),
    [
        (
            london("2025-12-05T10:00"),
            "Open for call-in",
            "Can be called in until 5pm on Tuesday 9 December 2025 (4 days 7 hours left).",
        ),
        (
            london("2025-12-07T14:00"),
            "Open for call-in",
            "Can be called in until 5pm on Tuesday 9 December 2025 (2 days 3 hours left).",
        ),
        (
            london("2025-12-09T16:59:59"),
            "Open for call-in",
            "Can be called in until 5pm on Tuesday 9 December 2025 (less than a minute left).",
        ),
        (
            london("2025-12-09T17:00"),
            "Call-in period ended",
            "The call-in period ended at 5pm on Tuesday 9 December 2025; "
            "the decision takes effect on Wednesday 10 December 2025.",
        ),
        (
            london("2026-01-10T12:00"),
            "In force",
            "The call-in period ended at 5pm on Tuesday 9 December 2025 with no call-in recorded; "
            "the decision has been in force since Wednesday 10 December 2025.",
        ),
    ],
)
def test_labels_and_details(now: datetime, label: str, detail: str) -> None:
    status = status_at(now)
    assert (status.label, status.detail) == (label, detail)


def test_in_force_at_the_cutoff_says_so() -> None:
    status = status_at(london("2025-12-09T17:00"), AT_CUTOFF)
    assert status.detail.endswith("in force since 5pm on Tuesday 9 December 2025.")


CALLED = CallInEvent(d("2025-12-08"), EventKind.CALLED_IN, by="Cllr A. Jones and 4 others")
MEETING = CallInEvent(d("2025-12-16"), EventKind.SCRUTINY_MEETING)


@pytest.mark.parametrize(
    "now", [london("2025-12-08T12:00"), london("2025-12-09T17:00"), london("2026-03-01T12:00")]
)
def test_a_called_in_decision_is_suspended_never_in_force(now: datetime) -> None:
    status = status_at(now, events=(CALLED,))
    assert status.state is State.CALLED_IN
    assert status.label == "Called in — suspended pending scrutiny"
    assert status.in_force is None
    assert status.detail.startswith(
        "Called in on Monday 8 December 2025 by Cllr A. Jones and 4 others; the decision is "
        "suspended and cannot be implemented until scrutiny has considered it."
    )


def test_called_in_detail_names_the_scrutiny_meeting() -> None:
    before = status_at(london("2025-12-10T12:00"), events=(CALLED, MEETING))
    assert before.detail.endswith(
        "The scrutiny committee will consider it on Tuesday 16 December 2025."
    )
    after = status_at(london("2025-12-17T12:00"), events=(CALLED, MEETING))
    assert after.detail.endswith(
        "The scrutiny committee met on Tuesday 16 December 2025; "
        "its outcome has not been recorded yet."
    )


def test_a_status_is_final_when_no_later_moment_can_change_it() -> None:
    # A final status holds no moment (pages show none, and the build cache keeps them); every
    # later moment gives the same status from the same record.
    def moving(now: datetime, **kw: Any) -> bool:
        return status_at(now, **kw).as_of is not None

    assert moving(london("2025-12-05T10:00"))  # open: the time left
    assert not moving(london("2026-03-01T10:00"))  # in force
    assert not moving(london("2025-12-05T10:00"), record_status="withdrawn")
    assert not moving(london("2025-12-05T10:00"), dates=None, record_status="proposed")
    assert not moving(london("2025-12-05T10:00"), applies=False, reason="urgent")
    # Called in: "will consider it on" a meeting today, "met on" it tomorrow.
    assert moving(london("2025-12-16T12:00"), events=(CALLED, MEETING))
    assert not moving(london("2025-12-17T12:00"), events=(CALLED, MEETING))
    # An event yet to come will change an in-force decision's status when its day comes.
    assert moving(london("2026-03-01T10:00"),
                  events=(CallInEvent(d("2026-03-02"), EventKind.CALLED_IN),))
    for now in (london("2025-12-17T12:00"), london("2026-03-01T10:00")):
        for events in ((CALLED, MEETING), ()):
            status = status_at(now, events=events)
            if status.as_of is None:
                for later in (timedelta(minutes=1), timedelta(days=1), timedelta(days=400)):
                    assert status_at(now + later, events=events) == status


def test_record_status_called_in_without_events() -> None:
    status = status_at(london("2025-12-20T12:00"), record_status="called-in")
    assert status.state is State.CALLED_IN
    assert status.detail.startswith("Called in; the decision is suspended")


def test_record_status_referred_back_without_events() -> None:
    status = status_at(london("2025-12-20T12:00"), record_status="referred-back")
    assert status.state is State.REFERRED_BACK
    assert status.in_force is None


@pytest.mark.parametrize(
    ("events", "state", "in_force"),
    [
        ((CALLED, CallInEvent(d("2025-12-16"), EventKind.CONFIRMED)),
         State.CONFIRMED, d("2025-12-16")),
        ((CALLED, CallInEvent(d("2025-12-16"), EventKind.REFERRED_BACK)),
         State.REFERRED_BACK, None),
        ((CALLED, CallInEvent(d("2025-12-16"), EventKind.REFERRED_TO_COUNCIL)),
         State.REFERRED_TO_COUNCIL, None),
        # The latest outcome wins, whatever order the record lists them in.
        ((CallInEvent(d("2026-01-20"), EventKind.CONFIRMED), CALLED,
          CallInEvent(d("2025-12-16"), EventKind.REFERRED_BACK)), State.CONFIRMED, d("2026-01-20")),
        ((CALLED, CallInEvent(d("2025-12-16"), EventKind.CONFIRMED),
          CallInEvent(d("2026-01-20"), EventKind.REFERRED_TO_COUNCIL)),
         State.REFERRED_TO_COUNCIL, None),
        # Notes and meetings change nothing.
        ((CallInEvent(d("2025-12-08"), EventKind.NOTE, details="Request received, 3 signatures"),),
         State.IN_FORCE, d("2025-12-10")),
    ],
)
def test_outcomes(events: tuple[CallInEvent, ...], state: State, in_force: date | None) -> None:
    status = status_at(london("2026-02-01T12:00"), events=events)
    assert status.state is state
    assert status.in_force == in_force


def test_outcome_details() -> None:
    confirmed = status_at(
        london("2026-02-01T12:00"),
        events=(CALLED, CallInEvent(d("2025-12-16"), EventKind.CONFIRMED, by="Scrutiny Committee")),
    )
    assert confirmed.label == "Confirmed after call-in — in force"
    assert confirmed.detail == (
        "Called in on Monday 8 December 2025; the decision was confirmed on Tuesday 16 December "
        "2025 by Scrutiny Committee and can now be implemented."
    )
    back = status_at(
        london("2026-02-01T12:00"),
        events=(CALLED, CallInEvent(d("2025-12-16"), EventKind.REFERRED_BACK)),
    )
    assert back.detail == (
        "Called in on Monday 8 December 2025; referred back for reconsideration on Tuesday 16 "
        "December 2025; it cannot be implemented until it has been reconsidered."
    )


def test_event_kinds_given_as_yaml_strings_are_read() -> None:
    what: Any = "confirmed"
    assert CallInEvent(d("2025-12-16"), what).what is EventKind.CONFIRMED
    with pytest.raises(ValueError):
        CallInEvent(d("2025-12-16"), "decided")  # type: ignore[arg-type]


def test_events_after_the_moment_have_not_happened_yet() -> None:
    status = status_at(london("2025-12-05T10:00"), events=(CALLED,))
    assert status.state is State.OPEN


@pytest.mark.parametrize(
    ("record_status", "state", "label"),
    [
        ("proposed", State.PENDING, "Not yet decided"),
        ("for-determination", State.PENDING, "Not yet decided"),
        ("deferred", State.PENDING, "Not yet decided"),
        ("withdrawn", State.WITHDRAWN, "Withdrawn"),
    ],
)
def test_no_decision_no_call_in(record_status: str, state: State, label: str) -> None:
    status = status_at(london("2025-12-05T10:00"), None, record_status=record_status)
    assert (status.state, status.label) == (state, label)
    assert status.deadline is None
    assert status.in_force is None


def test_not_subject_gives_the_reason() -> None:
    status = status_at(
        london("2025-12-05T10:00"),
        None,
        applies=False,
        reason="urgent decision; call-in waived with the agreement of the Chair of Scrutiny.",
    )
    assert status.state is State.NOT_SUBJECT
    assert status.label == "Not subject to call-in"
    assert status.detail == (
        "Not subject to call-in: urgent decision; call-in waived with the agreement of the Chair "
        "of Scrutiny."
    )
    bare = status_at(london("2025-12-05T10:00"), None, applies=False)
    assert bare.detail == "This decision is not subject to call-in."


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"now": datetime(2025, 12, 5, 10)}, "timezone-aware"),
        ({"record_status": "approved-ish"}, "unknown record status"),
        ({"dates": None}, "call-in dates"),
    ],
)
def test_status_refuses_bad_input(kwargs: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {
        "record_status": "approved", "applies": True, "not_subject_reason": None,
        "dates": SEED, "events": (), "now": london("2025-12-05T10:00"),
    } | kwargs  # fmt: skip
    with pytest.raises(ValueError, match=message):
        call_in_status(**arguments)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(datetime(2025, 11, 1), datetime(2026, 2, 1), timezones=st.just(LONDON)))
def test_never_only_approved(now: datetime) -> None:
    status = status_at(now)
    assert status.state in {State.OPEN, State.ENDED, State.IN_FORCE}
    assert "Approved" not in status.label
    assert (status.state is State.OPEN) == (now < SEED.deadline)


# Time left


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (timedelta(days=2, hours=3), "2 days 3 hours"),
        (timedelta(days=2, hours=3, minutes=59, seconds=59), "2 days 3 hours"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=1, hours=1), "1 day 1 hour"),
        (timedelta(days=1, minutes=30), "1 day"),
        (timedelta(hours=23, minutes=59, seconds=59), "23 hours 59 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=1, minutes=1), "1 hour 1 minute"),
        (timedelta(minutes=45), "45 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=59), "less than a minute"),
        (timedelta(microseconds=1), "less than a minute"),
    ],
)
def test_time_left(left: timedelta, words: str) -> None:
    deadline = london("2025-12-09T17:00")
    assert time_left(deadline, deadline - left) == words


def test_time_left_counts_elapsed_time_across_the_clock_change() -> None:
    # 5pm BST on Saturday 25 October to 5pm GMT on Monday 27 October is 49 hours.
    assert time_left(london("2025-10-27T17:00"), london("2025-10-25T17:00")) == "2 days 1 hour"
    assert time_left(london("2025-03-31T17:00"), london("2025-03-29T17:00")) == "1 day 23 hours"


@pytest.mark.parametrize(
    ("deadline", "now"),
    [
        (london("2025-12-09T17:00"), london("2025-12-09T17:00")),
        (london("2025-12-09T17:00"), london("2025-12-10T09:00")),
        (datetime(2025, 12, 9, 17), london("2025-12-09T09:00")),
        (london("2025-12-09T17:00"), datetime(2025, 12, 9, 9)),
    ],
)
def test_time_left_refuses(deadline: datetime, now: datetime) -> None:
    with pytest.raises(ValueError):
        time_left(deadline, now)

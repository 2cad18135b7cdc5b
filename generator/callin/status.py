# This part of the call-in stage: what a decision page says about call-in at a given moment.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType


from generator.callin.rule import (
    LONDON, CallInDates, InForce, _count, long_date, time_words)


# Classes: the status at a moment


class State(StrEnum):
    """What a decision page says about call-in at a given moment."""

    PENDING = "pending"
    """No decision made yet (record status proposed, for-determination or deferred)."""
    WITHDRAWN = "withdrawn"
    NOT_SUBJECT = "not-subject"
    OPEN = "open"
    ENDED = "ended"
    """The period is over but the decision is not yet in force (e.g. the evening of the
    deadline day under a next-day rule)."""
    IN_FORCE = "in-force"
    CALLED_IN = "called-in"
    CONFIRMED = "confirmed"
    REFERRED_BACK = "referred-back"
    REFERRED_TO_COUNCIL = "referred-to-council"


class EventKind(StrEnum):
    """What happened in a call-in (`call_in.events[].what`)."""

    CALLED_IN = "called-in"
    SCRUTINY_MEETING = "scrutiny-meeting"
    CONFIRMED = "confirmed"
    REFERRED_BACK = "referred-back"
    REFERRED_TO_COUNCIL = "referred-to-council"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class CallInEvent:
    """One entry of a record's `call_in.events`."""

    date: date
    what: EventKind
    by: str | None = None
    details: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "what", EventKind(self.what))


@dataclass(frozen=True, slots=True)
class CallInStatus:
    """The call-in status a page shows, as of a moment."""

    state: State
    label: str
    """Short badge text."""
    detail: str
    """A sentence in words."""
    as_of: datetime | None
    """The moment the status was worked out for; None when it is final: no later moment can
    change it unless the record does (see _final). A page shows the moment only where it can
    matter, so that a build for a new moment keeps every page of a settled decision (the build
    cache, cache.py)."""
    deadline: datetime | None
    in_force: date | None


_PENDING_STATUSES = frozenset({"proposed", "for-determination", "deferred"})
_RECORD_STATUSES = _PENDING_STATUSES | {"approved", "called-in", "referred-back", "withdrawn"}
_OUTCOMES = {
    EventKind.CONFIRMED: State.CONFIRMED,
    EventKind.REFERRED_BACK: State.REFERRED_BACK,
    EventKind.REFERRED_TO_COUNCIL: State.REFERRED_TO_COUNCIL,
}
LABELS: Mapping[State, str] = MappingProxyType(
    {
        State.PENDING: "Not yet decided",
        State.WITHDRAWN: "Withdrawn",
        State.NOT_SUBJECT: "Not subject to call-in",
        State.OPEN: "Open for call-in",
        State.ENDED: "Call-in period ended",
        State.IN_FORCE: "In force",
        State.CALLED_IN: "Called in — suspended pending scrutiny",
        State.CONFIRMED: "Confirmed after call-in — in force",
        State.REFERRED_BACK: "Called in — referred back for reconsideration",
        State.REFERRED_TO_COUNCIL: "Called in — referred to full council",
    }
)
"""Badge text for each state; the page script uses the same words for "ended" and "in-force"."""


def call_in_status(
    *,
    record_status: str,
    applies: bool,
    not_subject_reason: str | None,
    dates: CallInDates | None,
    events: Sequence[CallInEvent],
    now: datetime,
) -> CallInStatus:
    """The call-in status of a decision at the moment `now` (tz-aware).

    Events dated after `now`'s date (in London) have not happened yet at that moment and are
    ignored, so a build "as of" an earlier date shows what a reader saw then.

    At exactly the cut-off the period has ended: a request must arrive *by* the cut-off, so
    the period is the half-open interval [publication, deadline), and a badge can never say
    "0 minutes left". The page script makes the same comparison.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if record_status not in _RECORD_STATUSES:
        raise ValueError(f"unknown record status: {record_status!r}")
    deadline = dates.deadline if dates is not None else None

    today = now.astimezone(LONDON).date()

    def status(state: State, detail: str, in_force: date | None = None) -> CallInStatus:
        final = _final(state, events, today)
        return CallInStatus(state, LABELS[state], detail, None if final else now, deadline,
                            in_force)

    if record_status == "withdrawn":
        return status(State.WITHDRAWN, "This decision was withdrawn, so call-in does not apply.")
    if record_status in _PENDING_STATUSES:
        made = "been deferred" if record_status == "deferred" else "not been made yet"
        return status(
            State.PENDING,
            f"This decision has {made}; "
            "it can only be called in once it has been made and published.",
        )

    happened = sorted((e for e in events if e.date <= today), key=lambda e: e.date)
    outcomes = [e for e in happened if e.what in _OUTCOMES]
    called = [e for e in happened if e.what is EventKind.CALLED_IN]
    # Recorded facts outrank the computed period: once called in, a decision is suspended
    # (scrutiny may direct that it is not implemented while under review, LGA 2000 s.9F)
    # until the outcome is recorded, whatever the clock says.
    if outcomes:
        latest = outcomes[-1]
        state = _OUTCOMES[latest.what]
        detail = _outcome_detail(state, latest, called[0] if called else None)
        return status(state, detail, latest.date if state is State.CONFIRMED else None)
    if record_status == "referred-back":
        return status(
            State.REFERRED_BACK,
            "Called in and referred back for reconsideration; "
            "it cannot be implemented until it has been reconsidered.",
        )
    if called or record_status == "called-in":
        meetings = sorted(e.date for e in events if e.what is EventKind.SCRUTINY_MEETING)
        first = called[0] if called else None
        return status(State.CALLED_IN, _called_in_detail(first, meetings, today))

    if not applies:
        if not_subject_reason and not_subject_reason.strip():
            reason = not_subject_reason.strip().rstrip(".")
            return status(State.NOT_SUBJECT, f"Not subject to call-in: {reason}.")
        return status(State.NOT_SUBJECT, "This decision is not subject to call-in.")
    if dates is None:
        raise ValueError("a decision open to call-in needs its call-in dates")

    cutoff = f"{time_words(dates.rule.cutoff)} on {long_date(dates.deadline.date())}"
    # Compared in UTC, not as wall times (see time_left).
    if now.astimezone(UTC) < dates.deadline.astimezone(UTC):
        left = time_left(dates.deadline, now)
        return status(State.OPEN, f"Can be called in until {cutoff} ({left} left).", dates.in_force)
    if today < dates.in_force:
        return status(
            State.ENDED,
            f"The call-in period ended at {cutoff}; "
            f"the decision takes effect on {long_date(dates.in_force)}.",
            dates.in_force,
        )
    since = cutoff if dates.rule.in_force is InForce.AT_CUTOFF else long_date(dates.in_force)
    return status(
        State.IN_FORCE,
        f"The call-in period ended at {cutoff} with no call-in recorded; "
        f"the decision has been in force since {since}.",
        dates.in_force,
    )


_MOVING = frozenset({State.OPEN, State.ENDED})
"""States the clock alone moves on: open (the time left) -> ended -> in force."""


def _final(state: State, events: Sequence[CallInEvent], today: date) -> bool:
    """Whether every later moment gives the same status (label and words) from the same
    record. An event dated today or later can still change it: one after today has not
    happened yet, and a scrutiny meeting today is "will consider it" until tomorrow."""
    return state not in _MOVING and all(e.date < today for e in events)


def time_left(deadline: datetime, now: datetime) -> str:
    """The time from `now` to `deadline` in words: "2 days 3 hours", "45 minutes".

    Rounded down (never promise more time than there is) and in elapsed time, so a day across
    the clock change is 24 hours. The page script's `timeLeft` uses the same words; keep them
    in step. Raises ValueError once the deadline has been reached.
    """
    if deadline.utcoffset() is None or now.utcoffset() is None:
        raise ValueError("deadline and now must be timezone-aware")
    # In UTC: Python compares and subtracts aware datetimes sharing a tzinfo as wall times,
    # which would be an hour out across the clock change.
    left = deadline.astimezone(UTC) - now.astimezone(UTC)
    if left <= timedelta(0):
        raise ValueError("the deadline has been reached; there is no time left")
    minutes = left // timedelta(minutes=1)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _count(days, "day") + (f" {_count(hours, 'hour')}" if hours else "")
    if hours:
        return _count(hours, "hour") + (f" {_count(minutes, 'minute')}" if minutes else "")
    if minutes:
        return _count(minutes, "minute")
    return "less than a minute"


# Helper functions: words


def _called_in_detail(called: CallInEvent | None, meetings: list[date], today: date) -> str:
    text = "Called in"
    if called is not None:
        text += f" on {long_date(called.date)}"
        if called.by:
            text += f" by {called.by}"
    text += (
        "; the decision is suspended and cannot be implemented until scrutiny has considered it."
    )
    upcoming = [d for d in meetings if d >= today]
    if upcoming:
        text += f" The scrutiny committee will consider it on {long_date(upcoming[0])}."
    elif meetings:
        text += (
            f" The scrutiny committee met on {long_date(meetings[-1])}; "
            "its outcome has not been recorded yet."
        )
    return text


def _outcome_detail(state: State, event: CallInEvent, called: CallInEvent | None) -> str:
    text = f"Called in on {long_date(called.date)}; " if called is not None else "Called in; "
    by = f" by {event.by}" if event.by else ""
    on = long_date(event.date)
    if state is State.CONFIRMED:
        return text + f"the decision was confirmed on {on}{by} and can now be implemented."
    if state is State.REFERRED_BACK:
        return text + (
            f"referred back for reconsideration on {on}{by}; "
            "it cannot be implemented until it has been reconsidered."
        )
    return text + (
        f"referred to full council on {on}{by}; "
        "it cannot be implemented until full council has considered it."
    )



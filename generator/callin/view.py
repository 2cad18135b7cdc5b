# This part of the call-in stage: a decision's call-in facts as pages show them, from its
# record, the council's rule and the moment (the deadline in force, with an override the
# record states; the status; the working).
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from datetime import date, datetime

from generator.callin.rule import CallInDates, call_in_dates, describe_rule, working_lines
from generator.callin.status import CallInStatus, call_in_status

if TYPE_CHECKING:  # model.py imports this package for its call-in types
    from generator.model import Authority, Decision


@dataclass(frozen=True, slots=True)
class CallInView:
    """The call-in facts a page shows for one decision."""

    applies: bool
    computed: CallInDates | None
    deadline: datetime | None
    """The deadline in force: the rule's, or the recorded one where an override is given."""
    in_force: date | None
    status: CallInStatus
    rule_text: str
    working: tuple[str, ...]
    override_reason: str | None
    members_needed: int



def not_subject_reason(d: Decision, authority: Authority) -> str | None:
    from generator.model import DecisionType

    if not d.call_in.applies:
        return d.call_in.reason
    if d.decision_type.value not in authority.call_in.applies_to:
        kind = {DecisionType.OFFICER: "Officer decisions"}.get(
            d.decision_type, f"{d.decision_type.value.replace('-', ' ').capitalize()} decisions")
        return f"{kind} are not subject to call-in under the council's constitution"
    return None


def call_in_view(d: Decision, authority: Authority, now: datetime) -> CallInView:
    """Compute a decision's call-in dates and its status at `now`."""
    from generator.redact import marker_text

    rule = authority.call_in
    reason = not_subject_reason(d, authority)
    applies = reason is None
    computed = call_in_dates(d.dates.published, rule) if applies and d.dates.published else None
    effective = computed
    if computed is not None and d.call_in.override_reason:
        # A deliberate extension stated in the record wins over the rule; the page shows both.
        deadline = computed.deadline
        if d.dates.call_in_deadline:
            deadline = datetime.combine(d.dates.call_in_deadline, rule.cutoff,
                                        tzinfo=computed.deadline.tzinfo)
        effective = CallInDates(computed.published, deadline,
                                d.dates.in_force or computed.in_force, computed.days, rule)
    status = call_in_status(
        record_status=d.status.value,
        applies=applies,
        # The status line is plain text: a withheld passage is named in words, as in exports.
        not_subject_reason=marker_text(reason) if reason else None,
        dates=effective,
        events=d.call_in.events,
        now=now,
    )
    return CallInView(
        applies=applies,
        computed=computed,
        deadline=effective.deadline if effective else None,
        in_force=effective.in_force if effective else None,
        status=status,
        rule_text=describe_rule(rule),
        working=working_lines(computed) if computed else (),
        override_reason=d.call_in.override_reason,
        members_needed=rule.members_needed,
    )

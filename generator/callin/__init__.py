# The call-in stage (Local Authorities (Executive Arrangements) (Meetings and Access to
# Information) (England) Regulations 2012, and each council's constitution): the council's
# rule and the dates it gives (rule.py), the status at a moment (status.py), and a decision's
# call-in facts as pages show them (view.py). Everything is imported from here.
from __future__ import annotations

from generator.callin.rule import (
    LONDON, CallInDates, CallInRule, Day, InForce, Region, Unit, call_in_dates, dates_as_json,
    describe_rule, long_date, rule_from_settings, time_words, working_lines)
from generator.callin.status import (
    LABELS, CallInEvent, CallInStatus, EventKind, State, call_in_status, time_left)
from generator.callin.view import CallInView, call_in_view, not_subject_reason

__all__ = [
    "LABELS", "LONDON", "CallInDates", "CallInEvent", "CallInRule", "CallInStatus", "CallInView",
    "Day", "EventKind", "InForce", "Region", "State", "Unit", "call_in_dates", "call_in_status",
    "call_in_view", "dates_as_json", "describe_rule", "long_date", "not_subject_reason",
    "rule_from_settings", "time_left", "time_words", "working_lines",
]

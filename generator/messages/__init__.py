# This package is the one place where what a bad record (or a bad setting) is told is worded,
# so that every message says the same thing the same way: where, what is wrong, and how to fix
# it (CONTRIBUTING.md, "Errors are data"). Each message is a function returning a Problem:
# `reading` for files, YAML, record ids and the settings files; `schema` for what the JSON
# Schema refuses; `rules` for what validate.py refuses. Messages for the whole file take only
# `where`; the others take `where` and `field` first.
#
# A message never quotes the value of a field that may hold exempt information (Schedule 12A):
# a problem is printed, logged and shown in CI annotations, none of which the leak guard sees.
# Values quoted here are names from the council's lookup tables, dates, numbers, file names
# and YAML syntax, never record prose.
from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """" Did you mean 'x'?" for the closest choice, or nothing."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""

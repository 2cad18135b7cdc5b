# Dates as councils write them ("Wednesday 5th March 2025", "05/03/25", "2025-03-05"), read
# day-first as UK pages are, and never guessed: a date that is not a real day gives nothing.
from __future__ import annotations

import re
from datetime import date

_MONTHS = {m: i for i, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for m in names}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<Y>\d{4})-(?P<M>\d{1,2})-(?P<D>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d/.-])(?P<D>\d{1,2})[/.-](?P<M>\d{1,2})[/.-](?P<Y>\d{4}|\d{2})(?![\d/.-])"),
    re.compile(_WEEKDAY + r"(?P<D>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>[A-Za-z]{3,9})\.?,?"
               r"\s+(?P<Y>\d{4})\b", re.IGNORECASE),
    re.compile(_WEEKDAY + r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<D>\d{1,2})(?:st|nd|rd|th)?,?\s+"
               r"(?P<Y>\d{4})\b", re.IGNORECASE),
)


def parse_date(text: str) -> tuple[date | None, str]:
    """The first date in `text` in a format councils use, and the text left around it.

    Numeric dates are day first (UK). A date that is not a real day gives None rather than a
    guess, and so does month-first "12/31/2025".
    """
    found: list[tuple[int, int, int, int, int]] = []  # start, end, year, month, day
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            if groups.get("mon") is not None:
                month = _MONTHS.get(groups["mon"].lower())
                if month is None:
                    continue  # "4 of them 2025" is not a date
            else:
                month = int(groups["M"])
            year = int(groups["Y"])
            found.append((m.start(), m.end(), year + 2000 if year < 100 else year, month,
                          int(groups["D"])))
    if not found:
        return None, text
    start, end, year, month, day = min(found)
    try:
        value = date(year, month, day)
    except ValueError:
        return None, text
    return value, (text[:start] + " " + text[end:]).strip(" ,.;")

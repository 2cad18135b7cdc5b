# Fillers for one-line values: names and titles, statuses, yes/no answers, counts, dates, wards,
# the contact officer and the meeting. Each takes one section, places what it can read through
# the draft, and reports the rest, so a value the importer cannot read is never silently dropped.
from __future__ import annotations

import re

from generator.importer.dates import parse_date
from generator.importer.draft import _Draft
from generator.importer.labels import _STATUS_WORDS, _norm
from generator.importer.segment import _Section
from generator.importer.text import _blocks, _clean, _prose, _unbold

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_LABELLED = re.compile(
    r"\b(?:Tel(?:ephone)?(?:\s*(?:No|Number))?|Phone|Mobile)\.?\s*:?\s*(\+?\d[\d ()-]{4,18}\d)",
    re.IGNORECASE)
_PHONE_BARE = re.compile(r"(?<![\w/])(?:\+44\s?|0)\d[\d ]{8,12}\d(?![\w/])")
_EMAIL_LABEL = re.compile(r"\b(?:E-?mail(?:\s+address)?)\s*:?\s*", re.IGNORECASE)


def _scalar(draft: _Draft, sec: _Section, key: str) -> None:
    """A one-line value (a name, a title); text after it is reported, not glued on."""
    blocks = _blocks(sec.lines)
    if not blocks:
        return
    first = blocks[0]
    value = _clean(_unbold(first.text if first.kind != "table" else
                           " ".join(c for c in first.rows[0] if c)))
    draft.put(key, value, sec.label)
    for extra in blocks[1:]:
        draft.unplaced("", _prose([extra]), f"text after `{sec.label}`")


def _fill_status(draft: _Draft, sec: _Section, text: str) -> None:
    draft.status_text = text
    bare = _norm(re.sub(r"\([^)]*\)", "", text))
    status = _STATUS_WORDS.get(bare)
    if status is None:
        draft.unplaced(sec.label, text, "not a status the portal knows")
        return
    draft.put("status", status, sec.label)


def _yes_no(draft: _Draft, sec: _Section, text: str) -> tuple[bool | None, str]:
    m = re.match(r"^\W*(yes|y|true|no|n|false)\b\W*(.*)$", text, re.IGNORECASE | re.DOTALL)
    if m is None:
        draft.unplaced(sec.label, text, "not yes or no")
        return None, ""
    return m.group(1).lower() in ("yes", "y", "true"), m.group(2).strip()


def _fill_key_decision(draft: _Draft, sec: _Section, text: str) -> None:
    value, rest = _yes_no(draft, sec, text)
    if value is not None:
        draft.put("key_decision", value, sec.label)
        if rest:
            draft.unplaced(sec.label, rest, "text after yes/no")


def _fill_call_in_applies(draft: _Draft, sec: _Section, text: str) -> None:
    value, rest = _yes_no(draft, sec, text)
    if value is None:
        return
    draft.put("call_in.applies", value, sec.label)
    if rest and not value:
        draft.put("call_in.reason", rest, sec.label)  # "No - urgent decision": the reason
    elif rest:
        draft.unplaced(sec.label, rest, "text after yes/no")


def _fill_forward_plan_included(draft: _Draft, sec: _Section, text: str) -> None:
    value, rest = _yes_no(draft, sec, text)
    if value is not None:
        draft.put("forward_plan.included", value, sec.label)
        if rest:
            draft.put("forward_plan.reference", rest, sec.label)


def _fill_call_in_count(draft: _Draft, sec: _Section, text: str) -> None:
    m = re.fullmatch(r"\s*(\d{1,4})\s*", text)
    if m is None:
        draft.unplaced(sec.label, text, "not a whole number")
        return
    draft.put("call_in.count", int(m.group(1)), sec.label)


def _date_field(draft: _Draft, sec: _Section, text: str, path: str) -> None:
    value, rest = parse_date(text)
    if value is None:
        draft.unplaced(sec.label, text, "not a date this importer reads (day/month/year); "
                       f"add `{path}` as YYYY-MM-DD")
        return
    draft.put(path, value.isoformat(), sec.label)
    if rest:
        draft.unplaced(sec.label, rest, f"text beside the date in `{path}`")


def _fill_dates_decision(draft: _Draft, sec: _Section, text: str) -> None:
    _date_field(draft, sec, text, "dates.decision")


def _fill_dates_published(draft: _Draft, sec: _Section, text: str) -> None:
    _date_field(draft, sec, text, "dates.published")


def _fill_dates_call_in_deadline(draft: _Draft, sec: _Section, text: str) -> None:
    _date_field(draft, sec, text, "dates.call_in_deadline")


def _fill_dates_in_force(draft: _Draft, sec: _Section, text: str) -> None:
    _date_field(draft, sec, text, "dates.in_force")


def _fill_report_date(draft: _Draft, sec: _Section, text: str) -> None:
    _date_field(draft, sec, text, "report.date")


def _fill_wards(draft: _Draft, sec: _Section, text: str) -> None:
    bare = _norm(text)
    if bare in ("all", "all wards", "all wards in the borough", "borough wide",
                "whole borough", "all divisions", "all areas"):
        draft.put("wards", ["all"], sec.label)
        return
    names = [n.strip(" ().[]") for n in re.split(r"[;,\n]", text)]
    names = [n for n in names if n]
    if names:
        draft.put("wards", names, sec.label)


def _fill_contact(draft: _Draft, sec: _Section, text: str) -> None:
    rest = text
    email = _EMAIL.search(rest)
    if email:
        _contact_part(draft, "email", email.group().rstrip("."), sec.label)
        rest = rest[:email.start()] + rest[email.end():]
    phone = _PHONE_LABELLED.search(rest) or _PHONE_BARE.search(rest)
    if phone:
        number = phone.group(1) if phone.re is _PHONE_LABELLED else phone.group()
        _contact_part(draft, "phone", number.strip(), sec.label)
        rest = rest[:phone.start()] + rest[phone.end():]
    rest = _EMAIL_LABEL.sub(" ", rest)
    rest = re.sub(r"\b(?:Tel(?:ephone)?|Phone)\b\.?\s*:?", " ", rest, flags=re.IGNORECASE)
    rest = " ".join(rest.split()).strip(" ,.;:")
    if rest:
        name, _, role = rest.partition(",")
        draft.put("contact.name", name.strip(), sec.label)
        if role.strip(" ,."):
            draft.put("contact.role", role.strip(" ,."), sec.label)


def _contact_part(draft: _Draft, part: str, value: str, label: str) -> None:
    pattern = r"^[^@\s]+@[^@\s]+\.[^@\s]+$" if part == "email" else r"^[0-9 +()-]{6,20}$"
    if not re.match(pattern, value):
        draft.unplaced(label, value, f"not a valid contact {part}")
        return
    draft.put(f"contact.{part}", value, label)


def _fill_contact_email(draft: _Draft, sec: _Section, text: str) -> None:
    m = _EMAIL.search(text)
    _contact_part(draft, "email", m.group().rstrip(".") if m else text, sec.label)


def _fill_contact_phone(draft: _Draft, sec: _Section, text: str) -> None:
    _contact_part(draft, "phone", text.strip(" ."), sec.label)


def _fill_meeting(draft: _Draft, sec: _Section, text: str) -> None:
    m = re.match(r"^(?P<title>.+?)\s+on\s+(?P<date>[^,]+,?\s*\d{4})\s*$", text)
    when, title = None, text
    if m:
        when, left = parse_date(m.group("date"))
        if when is not None and not left:
            title = m.group("title")
        else:
            when = None
    if when is None:
        when, _ = parse_date(text)
    draft.put("meeting.title", title.strip(), sec.label)
    if when is not None:
        draft.put("meeting.date", when.isoformat(), sec.label)
    else:
        draft.adds.append("Add `meeting.date` (YYYY-MM-DD): the source names the meeting but "
                          "not its date.")

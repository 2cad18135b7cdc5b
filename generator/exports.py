# This module builds the site's data files: the open-data exports, the calendars of call-in
# deadlines and copies of the public documents records link to. Each is built from public
# decisions only, through an explicit field allowlist (the Cabinet Office's 2019 honours leak
# came from an export carrying a column nobody asked for).
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from datetime import datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.calendar import DeadlineEvent, decision_calendar, deadlines_calendar
from generator.callin import LONDON
from generator.feeds import build_feeds
from generator.ocds import PACKAGE_PATH, release_package
from generator.formats import CSV_COLUMNS, EXPORT_SCHEMA, PUBLISHED_SCHEMA
from generator.model import Authority, Money, Project
from generator.pieces import NO_PIECES, Pieces, into_list
from generator.render import Output, latest_end, plain_text, when
from generator.site import Entry, Plan

PRODID = "-//decision-site//Call-in deadlines//EN"


def deadline_event(e: Entry, site_url: str) -> DeadlineEvent | None:
    c = e.callin
    if not c.applies or c.deadline is None:
        return None
    host = urlsplit(site_url).hostname or "decisions.invalid"
    return DeadlineEvent(
        uid=f"callin-{e.d.id}@{host}",
        title=f"Call-in deadline: {e.d.title}",
        url=f"{site_url}{e.url}",
        deadline=c.deadline,
        description=(f"Last moment to call in this decision of {e.d.decision_maker}: "
                     f"{when(c.deadline)}. {c.members_needed} councillors must sign. "
                     f"{site_url}{e.url}"),
    )


@dataclass(frozen=True, slots=True)
class Task:
    """A data file, or a group of small ones, and how to make it."""

    name: str
    run: Callable[[Pieces], Iterable[Output]]
    entries: Sequence[Entry] | None
    """The decisions its files are made from, for the build cache (cache.py): with the same
    settings, code and `moment`, the same decisions give the same files. None: it reads more
    than the decisions (the documents beside the records), so it is always made afresh."""
    moment: str = ""
    """What its files take from the build's moment, for the same key: the moment itself where
    they show it, or nothing. A file the same at every moment is kept by a build for a new
    one (a deploy)."""
    pieces: bool = False
    """Whether it is made a decision at a time and keeps each decision's piece between builds
    (pieces.py), under a key of the decision's fingerprint alone."""

    def __call__(self, pieces: Pieces = NO_PIECES) -> Iterable[Output]:
        return self.run(pieces)


def build_exports(project: Project, plan: Plan, as_of: datetime, root: Path) -> tuple[Output, ...]:
    return tuple(o for task in export_tasks(project, plan, as_of, root) for o in task())


def export_tasks(project: Project, plan: Plan, as_of: datetime, root: Path) -> tuple[Task, ...]:
    """Each data file, or group of small ones, as a task: the build runs them in parallel and
    writes each file as it is made, so no export waits in memory for the others."""
    auth = project.authority
    entries = plan.entries
    moment = as_of.isoformat()

    def calendars(n: int, part: Sequence[Entry]) -> Task:
        stamps = [calendar_stamp(e, as_of) for e in part]
        return Task(f"calendars-{n}", lambda _: _calendars(part, stamps, auth.site_url), part,
                    repr(stamps))

    chunks = [entries[i:i + CALENDARS_PER_TASK]
              for i in range(0, len(entries), CALENDARS_PER_TASK)]
    return (
        Task("decisions.json", lambda p: [Output("decisions.json",
                                                 decisions_json(entries, auth, as_of, p))],
             entries, moment, pieces=True),
        Task("decisions.csv", lambda p: [Output("decisions.csv", decisions_csv(entries, auth, p))],
             entries, pieces=True),
        Task("deadlines", lambda _: [_deadlines(entries, auth, as_of)], entries, moment),
        Task("documents", lambda _: _documents(entries, root), None),
        Task("feeds", lambda _: build_feeds(project, entries, as_of), entries, moment),
        Task("ocds", lambda p: [Output(PACKAGE_PATH, release_package(entries, auth, as_of, p))],
             entries, moment, pieces=True),
        Task("schema", lambda _: [Output(PUBLISHED_SCHEMA, EXPORT_SCHEMA.read_bytes())], ()),
        *(calendars(n, c) for n, c in enumerate(chunks)),
    )


CALENDARS_PER_TASK = 100


def calendar_stamp(e: Entry, as_of: datetime) -> datetime:
    """A decision's calendar file's DTSTAMP. With no METHOD, RFC 5545 (3.8.7.2) makes it the
    moment the event's information last changed: its deadline was known once the decision was
    published. Never later than the build's moment, which a file must not claim to postdate."""
    return min(datetime.combine(e.d.dates.published or e.d.dates.decision, time(0, 0),
                                tzinfo=LONDON), as_of)


def _calendars(entries: Sequence[Entry], stamps: Sequence[datetime], site_url: str
               ) -> list[Output]:
    out = []
    for e, stamp in zip(entries, stamps, strict=True):
        event = deadline_event(e, site_url)
        if event is not None:
            out.append(Output(f"calendar/{e.d.id}.ics",
                              decision_calendar(event, prodid=PRODID, stamp=stamp)))
    return out


def _deadlines(entries: Sequence[Entry], auth: Authority, as_of: datetime) -> Output:
    events = [ev for e in entries
              if (ev := deadline_event(e, auth.site_url)) is not None
              and e.callin.deadline and e.callin.deadline > as_of]
    events.sort(key=lambda ev: (ev.deadline, ev.uid))
    return Output("calendar/call-in-deadlines.ics", deadlines_calendar(
        events, name=f"{auth.short_name}: call-in deadlines", prodid=PRODID, stamp=as_of))


def _documents(entries: Sequence[Entry], root: Path) -> list[Output]:
    # Only files linked from public parts of public decisions are copied: an exempt appendix
    # has left the record before this point, so its file can never be reached from here.
    wanted: set[str] = set()
    for e in entries:
        d = e.d
        for link in (*d.documents, *d.background_papers):
            if link.file:
                wanted.add(link.file)
        for ap in e.public.public_appendices:
            if ap.file:
                wanted.add(ap.file)
    return [Output(f"files/{name}", (root / "decisions" / name).read_bytes())
            for name in sorted(wanted)]


# ---------------------------------------------------------------------------------------------
# Exports: an explicit field allowlist, built from public decisions only


def export_decision(e: Entry, site_url: str) -> dict[str, Any]:
    d = e.d
    c = e.callin
    out: dict[str, Any] = {
        "id": d.id,
        "url": f"{site_url}{e.url}",
        "title": d.title,
        "reference": d.reference,
        "decision_maker": d.decision_maker,
        "decision_type": d.decision_type.value,
        "status": d.status.value,
        "key_decision": d.key_decision,
        "portfolios": list(d.portfolios),
        "wards": list(d.wards),
        "dates": {
            "decision": d.dates.decision.isoformat(),
            "published": d.dates.published.isoformat() if d.dates.published else None,
        },
        "forward_plan": None if d.forward_plan is None else {
            "included": d.forward_plan.included,
            "reference": d.forward_plan.reference,
            "published": d.forward_plan.published.isoformat() if d.forward_plan.published else None,
            "urgency": d.forward_plan.urgency.value,
            "urgency_reason": plain_text(d.forward_plan.urgency_reason) or None,
            "agreed_by": d.forward_plan.agreed_by,
            "notice_date": d.forward_plan.notice_date.isoformat() if d.forward_plan.notice_date else None,
        },
        "call_in": {
            "applies": c.applies,
            "reason": plain_text(d.call_in.reason) or None if not c.applies else None,
            "waived_by": d.call_in.waived_by,
            "count": d.call_in.count,
            "deadline": c.deadline.isoformat() if c.deadline else None,
            "in_force": c.in_force.isoformat() if c.in_force else None,
            "status": c.status.state.value,
            "status_label": c.status.label,
            "as_of": c.status.as_of.isoformat() if c.status.as_of else None,
            "override_reason": plain_text(c.override_reason) or None,
            "rule": c.rule_text if c.applies else None,
            "days": [{"date": x.day.isoformat(), "counted": x.counted, "why": x.why}
                     for x in (c.computed.days if c.computed else ())],
            "events": [{"date": ev.date.isoformat(), "what": ev.what.value, "by": ev.by,
                        "details": plain_text(ev.details) or None} for ev in d.call_in.events],
        },
        "purpose": plain_text(d.purpose) or None,
        "decision": [plain_text(t) for t in d.decision],
        "reasons": [plain_text(t) for t in d.reasons],
        "alternatives": [
            {"title": a.title, "outcome": a.outcome.value,
             "description": plain_text(a.description) or None,
             "reasons": [plain_text(t) for t in a.reasons],
             "pros": [plain_text(t) for t in a.pros], "cons": [plain_text(t) for t in a.cons],
             "financial_assessment": plain_text(a.financial_assessment) or None}
            for a in d.alternatives
        ],
        "alternatives_statement": plain_text(d.alternatives_statement) or None,
        "commissioning": _export_commissioning(e),
        "exempt_appendices": [
            {"title": n.title,
             "paragraphs": [{"paragraph": p, "description": text} for p, text in n.paragraphs],
             "public_interest": plain_text(n.public_interest),
             "review_date": n.review_date.isoformat() if n.review_date else None}
            for n in e.public.notices
        ],
        "appendices": [{"title": a.title, "description": plain_text(a.description) or None,
                        "url": a.url, "file": a.file} for a in e.public.public_appendices],
        "report": None if d.report is None else {
            "title": d.report.title, "report_of": d.report.report_of,
            "report_to": d.report.report_to,
            "date": d.report.date.isoformat() if d.report.date else None,
            "summary": plain_text(d.report.summary) or None},
        "implications": {k: plain_text(v) for k, v in d.implications},
        "consultation": {k: plain_text(v) for k, v in d.consultation},
        "implementation": plain_text(d.implementation) or None,
        "background_papers": [{"title": x.title, "url": x.url, "file": x.file}
                              for x in d.background_papers],
        "interests_declared": plain_text(d.interests_declared) or None,
        "dispensations": plain_text(d.dispensations) or None,
        "contact": None if d.contact is None else {
            "name": d.contact.name, "role": d.contact.role, "email": d.contact.email,
            "phone": d.contact.phone},
        "meeting": None if d.meeting is None else {
            "title": d.meeting.title, "date": d.meeting.date.isoformat(), "item": d.meeting.item,
            "url": d.meeting.url},
        "documents": [{"title": x.title, "url": x.url, "file": x.file} for x in d.documents],
        "redactions": e.public.redactions,
    }
    return out


def _export_commissioning(e: Entry) -> dict[str, Any] | None:
    c = e.d.commissioning
    if c is None:
        return None

    def m(v: Money | None) -> dict[str, Any] | None:
        return None if v is None else {"amount": v.amount, "currency": v.currency, "basis": v.basis}

    end = latest_end(c.term)
    return {
        "service": c.service,
        "route": c.route,
        "value": m(c.value),
        "term": None if c.term is None else {
            "start": c.term.start.isoformat(), "initial_years": c.term.initial_years,
            "extensions_years": list(c.term.extensions_years),
            "latest_end": end.isoformat() if end else None},
        "current_contract_ends": c.current_contract_ends.isoformat()
        if c.current_contract_ends else None,
        "suppliers": [{"name": s.name, "lot": s.lot, "value": m(s.value)} for s in c.suppliers],
        "lots": [{"title": lot.title, "description": lot.description, "value": m(lot.value)}
                 for lot in c.lots],
        "ocids": list(c.ocids),
    }


def _export_line(e: Entry, site_url: str) -> bytes:
    return json.dumps(export_decision(e, site_url), ensure_ascii=False).encode()


def decisions_json(entries: Sequence[Entry], authority: Authority, as_of: datetime,
                   pieces: Pieces = NO_PIECES) -> bytes:
    """The export document with each decision on a line of its own. Unindented, it is written
    by the standard library's C encoder; an indented one needs its Python encoder, which took
    17 s of CPU at 20,000 decisions (benchmarks/NOTES.md). A line a decision still lets a
    reader (or `jq`) take decisions one at a time, and the leak guard cut the file between
    decisions. Made a decision at a time: the whole document as objects, then as text, then
    as bytes was 830 MB at 20,000 decisions, in the worker that makes it."""
    doc = {
        "authority": authority.name,
        "generated": as_of.isoformat(),
        "schema": f"{authority.site_url}schema/decision-export.schema.json",
        "count": len(entries),
        "decisions": [],
    }
    return into_list(json.dumps(doc, ensure_ascii=False),
                     [pieces.get(e.d.id, partial(_export_line, e, authority.site_url))
                      for e in entries])


# OWASP "CSV Injection": a spreadsheet opening decisions.csv runs any cell that begins with one
# of = + - @ (or TAB or CR, which some programs skip before reading the formula) as a formula,
# so a title such as =HYPERLINK(...) would become a live link or worse on a resident's computer.
# OWASP's advice is to prefix such a cell with a single quote, which spreadsheets show as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain decimal number cannot be a formula: it is left as it is so that amounts stay numbers
# in a spreadsheet. Money amounts are never negative (the record schema's minimum is 0), but a
# negative number written by anyone else would stay a number too, not become text.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def csv_cell(value: str) -> str:
    """`value` as a CSV cell that no spreadsheet runs as a formula."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def decisions_csv(entries: Sequence[Entry], authority: Authority,
                  pieces: Pieces = NO_PIECES) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def encoded(cells: Sequence[str]) -> bytes:
        w.writerow(cells)
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return text.encode("utf-8")

    def row(e: Entry) -> bytes:
        return encoded([csv_cell(cell) for cell in _csv_row(e, authority)])

    # Encoded a row at a time, so that the whole file is never held as text too, and each row
    # can be kept between builds (pieces.py).
    return b"".join([encoded(CSV_COLUMNS),
                     *(pieces.get(e.d.id, partial(row, e)) for e in entries)])


def _csv_row(e: Entry, authority: Authority) -> list[str]:
    d = e.d
    c = d.commissioning
    return [
        d.id, f"{authority.site_url}{e.url}", d.title, d.reference or "", d.decision_maker,
        d.decision_type.value, d.status.value, "yes" if d.key_decision else "no",
        "; ".join(d.portfolios), "; ".join(d.wards), d.dates.decision.isoformat(),
        d.dates.published.isoformat() if d.dates.published else "",
        e.callin.status.state.value,
        e.callin.deadline.isoformat() if e.callin.deadline else "",
        e.callin.in_force.isoformat() if e.callin.in_force else "",
        plain_text(d.purpose), " | ".join(plain_text(t) for t in d.decision),
        " | ".join(plain_text(t) for t in d.reasons),
        c.service if c else "", c.route if c else "",
        f"{c.value.amount:.2f}" if c and c.value else "", c.value.basis if c and c.value else "",
        c.term.start.isoformat() if c and c.term else "",
        "; ".join(f"{n.title} (paragraph {', '.join(p for p, _ in n.paragraphs)})"
                  for n in e.public.notices),
    ]

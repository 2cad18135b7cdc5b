# This module builds the site's data files: the open-data exports, the calendars of call-in
# deadlines and copies of the public documents records link to. Each is built from public
# decisions only, through an explicit field allowlist (the Cabinet Office's 2019 honours leak
# came from an export carrying a column nobody asked for).
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from generator.browse import EXPORT_SCHEMA, PUBLISHED_SCHEMA
from generator.calendar import DeadlineEvent, decision_calendar, deadlines_calendar
from generator.feeds import build_feeds
from generator.ocds import PACKAGE_PATH, release_package
from generator.model import Authority, Project
from generator.render import Output, decisions_csv, decisions_json, when
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


Task = Callable[[], Iterable[Output]]


def build_exports(project: Project, plan: Plan, as_of: datetime, root: Path) -> tuple[Output, ...]:
    return tuple(o for task in export_tasks(project, plan, as_of, root) for o in task())


def export_tasks(project: Project, plan: Plan, as_of: datetime, root: Path) -> tuple[Task, ...]:
    """Each data file, or group of small ones, as a task: the build runs them in parallel and
    writes each file as it is made, so no export waits in memory for the others."""
    auth = project.authority
    entries = plan.entries

    def calendars(part: Sequence[Entry]) -> Task:
        return lambda: _calendars(part, auth.site_url, as_of)

    chunks = [entries[i:i + CALENDARS_PER_TASK]
              for i in range(0, len(entries), CALENDARS_PER_TASK)]
    return (
        lambda: [Output("decisions.json", decisions_json(entries, auth, as_of))],
        lambda: [Output("decisions.csv", decisions_csv(entries, auth))],
        lambda: [_deadlines(entries, auth, as_of)],
        lambda: _documents(entries, root),
        lambda: build_feeds(project, entries, as_of),
        lambda: [Output(PACKAGE_PATH, release_package(entries, auth, as_of))],
        lambda: [Output(PUBLISHED_SCHEMA, (root / EXPORT_SCHEMA).read_bytes())],
        *(calendars(c) for c in chunks),
    )


CALENDARS_PER_TASK = 500


def _calendars(entries: Sequence[Entry], site_url: str, as_of: datetime) -> list[Output]:
    out = []
    for e in entries:
        event = deadline_event(e, site_url)
        if event is not None:
            out.append(Output(f"calendar/{e.d.id}.ics",
                              decision_calendar(event, prodid=PRODID, stamp=as_of)))
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

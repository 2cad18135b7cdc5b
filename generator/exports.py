# This module builds the site's data files: the open-data exports, the calendars of call-in
# deadlines and copies of the public documents records link to. Each is built from public
# decisions only, through an explicit field allowlist (the Cabinet Office's 2019 honours leak
# came from an export carrying a column nobody asked for).
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from generator.browse import EXPORT_SCHEMA, PUBLISHED_SCHEMA
from generator.calendar import DeadlineEvent, decision_calendar, deadlines_calendar
from generator.feeds import build_feeds
from generator.ocds import PACKAGE_PATH, release_package
from generator.model import Project
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


def build_exports(project: Project, plan: Plan, as_of: datetime, root: Path) -> tuple[Output, ...]:
    auth = project.authority
    entries = plan.entries
    out = [
        Output("decisions.json", decisions_json(entries, auth, as_of)),
        Output("decisions.csv", decisions_csv(entries, auth)),
    ]
    events = []
    for e in entries:
        event = deadline_event(e, auth.site_url)
        if event is None:
            continue
        out.append(Output(f"calendar/{e.d.id}.ics",
                          decision_calendar(event, prodid=PRODID, stamp=as_of)))
        if e.callin.deadline and e.callin.deadline > as_of:
            events.append(event)
    events.sort(key=lambda ev: (ev.deadline, ev.uid))
    out.append(Output("calendar/call-in-deadlines.ics", deadlines_calendar(
        events, name=f"{auth.short_name}: call-in deadlines", prodid=PRODID, stamp=as_of)))
    out.extend(_documents(entries, root))
    out.extend(build_feeds(project, entries, as_of))
    out.append(Output(PACKAGE_PATH, release_package(entries, auth, as_of)))
    out.append(Output(PUBLISHED_SCHEMA, (root / EXPORT_SCHEMA).read_bytes()))
    return tuple(out)


def _documents(entries: tuple[Entry, ...], root: Path) -> list[Output]:
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

# This module plans the site: from the redacted decisions and their call-in status it decides
# every page and file that will exist, with the data each one shows. Nothing is rendered or
# written here; planning everything first means the set of pages is known before MkDocs runs,
# so the build can prove that no page exists that was not planned (pages outside the
# navigation are still built, indexed and put in the sitemap).
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from generator.callin import CallInView, State, call_in_view
from generator.model import Decision, Project
from generator.redact import PublicDecision

# Index pages stay short enough to read on a phone and to render quickly.
PAGE_SIZE = 200
DECISION_DIR = "decisions"
OPEN_STATES = frozenset({State.OPEN})
CALLED_IN_STATES = frozenset(
    {State.CALLED_IN, State.CONFIRMED, State.REFERRED_BACK, State.REFERRED_TO_COUNCIL}
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One public decision with its call-in view: the unit pages, feeds and exports work from."""

    public: PublicDecision
    callin: CallInView
    d: Decision = field(init=False, repr=False, compare=False)
    """The public decision itself (`public.decision`): templates and planners ask for it
    millions of times at 20,000 decisions, where a property cost seconds."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "d", self.public.decision)

    @property
    def url(self) -> str:
        return f"{DECISION_DIR}/{self.d.id}/"


def moment_shown(entries: Iterable[Entry]) -> datetime | None:
    """The moment a list's statuses are as of, when one of them can still change with time;
    None when every one is final (callin.status), so the list is the same at any later moment
    and the build cache keeps it."""
    return next((e.callin.status.as_of for e in entries if e.callin.status.as_of), None)


@dataclass(frozen=True, slots=True)
class Page:
    """A Markdown page to render: where it goes, which template, and what it shows."""

    path: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Plan:
    pages: tuple[Page, ...]
    entries: tuple[Entry, ...]


# ---------------------------------------------------------------------------------------------
# The call-in stage


def entries_for(project: Project, public: Sequence[PublicDecision], now: datetime) -> tuple[Entry, ...]:
    return tuple(Entry(p, call_in_view(p.decision, project.authority, now)) for p in public)


# ---------------------------------------------------------------------------------------------
# Planning


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.d.dates.published or e.d.dates.decision, e.d.id),
                  reverse=True)


PagePlanner = Callable[[Project, tuple[Entry, ...], datetime], Iterable[Page]]


def plan_core(project: Project, entries: tuple[Entry, ...], as_of: datetime) -> Iterable[Page]:
    """Home, every decision, the list by date and the call-in board."""
    latest = newest_first(entries)
    yield Page("index.md", "home.md.j2", {
        "latest": latest[:10],
        "open": board_sections(entries, as_of)["open"][:5],
        "count": len(entries),
        "as_of": as_of,
    })
    for e in entries:
        yield decision_page(e)
    yield from plan_by_date(latest)
    # The moment goes into these pages' slots only: the engine's Markdown stays the same at
    # every moment, so a build for a new moment does not run the engine (cache.engine_key).
    yield Page("call-in/index.md", "call-in.md.j2",
               {"sections": board_sections(entries, as_of), "as_of": as_of})
    yield Page("urgency/index.md", "urgency.md.j2",
               {"entries": urgency_register(entries), "as_of": as_of})


def decision_page(e: Entry) -> Page:
    return Page(f"{DECISION_DIR}/{e.d.id}.md", "decision.html.j2", {"e": e})


def urgency_register(entries: Iterable[Entry]) -> list[Entry]:
    """Every decision taken under urgency (regs 10-11) or with call-in waived. Councils must
    report urgency use, and scrutiny committees object when it is used to escape call-in."""
    return newest_first(
        e for e in entries
        if (e.d.forward_plan and e.d.forward_plan.urgency.value != "none")
        or (not e.d.call_in.applies and e.d.call_in.waived_by)
    )


def plan_by_date(latest: list[Entry]) -> Iterable[Page]:
    """The list of all decisions by date: years, then one page per month."""
    by_month: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    for e in latest:
        day = e.d.dates.published or e.d.dates.decision
        by_month[(day.year, day.month)].append(e)
    years: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for year, month in sorted(by_month, reverse=True):
        years[year].append((month, len(by_month[(year, month)])))
    yield Page("browse/date/index.md", "by-date.html.j2", {
        "years": sorted(years.items(), reverse=True),
        "latest": latest[:50],
    })
    for (year, month), items in by_month.items():
        for number, chunk, pages in paginate(items):
            suffix = "" if number == 1 else f"page-{number}/"
            path = f"browse/date/{year}/{month:02d}/{suffix}index.md"
            yield Page(path, "list.html.j2", {
                "title": f"Decisions published in {date(year, month, 1):%B %Y}",
                "entries": chunk,
                "page": number,
                "pages": pages,
                "base": f"browse/date/{year}/{month:02d}/",
            })


def paginate(items: Sequence[Entry], size: int = PAGE_SIZE) -> Iterable[tuple[int, list[Entry], int]]:
    pages = max(1, -(-len(items) // size))
    for number in range(1, pages + 1):
        yield number, list(items[(number - 1) * size:number * size]), pages


def board_sections(entries: Iterable[Entry], as_of: datetime) -> dict[str, list[Entry]]:
    """The call-in board: open now (soonest first), closing within 7 days, recently closed,
    and called in with their outcome."""
    entries = list(entries)
    open_now = sorted((e for e in entries if e.callin.status.state in OPEN_STATES),
                      key=lambda e: (e.callin.deadline or as_of, e.d.id))
    week = as_of + timedelta(days=7)
    closing = [e for e in open_now if e.callin.deadline and e.callin.deadline <= week]
    month_ago = as_of - timedelta(days=30)
    closed = sorted(
        (e for e in entries if e.callin.status.state in {State.ENDED, State.IN_FORCE}
         and e.callin.deadline and month_ago <= e.callin.deadline <= as_of),
        key=lambda e: (e.callin.deadline or as_of, e.d.id), reverse=True)
    called = newest_first(e for e in entries if e.callin.status.state in CALLED_IN_STATES)
    urgent = newest_first(e for e in entries if not e.d.call_in.applies and e.d.call_in.waived_by)
    return {"open": open_now, "closing": closing, "closed": closed, "called": called,
            "urgent": urgent}


def plan_site(project: Project, entries: tuple[Entry, ...], as_of: datetime,
              planners: Sequence[PagePlanner]) -> Plan:
    pages: list[Page] = []
    for planner in planners:
        pages.extend(planner(project, entries, as_of))
    seen: set[str] = set()
    for page in pages:
        if page.path in seen:  # two planners claiming one path is a bug, never a silent overwrite
            raise ValueError(f"two pages planned at {page.path}")
        seen.add(page.path)
    return Plan(tuple(pages), entries)

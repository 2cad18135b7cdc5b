# This module is the pipeline in one place: load -> validate -> call-in -> redact -> plan ->
# render. It returns everything the write stage needs and touches the disk only through
# `load` (reading). `build`, `serve` and the tests all start from `prepare`, so they can never
# disagree about what the site contains.
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment

from generator import exports
from generator.fragments import RecordWords, fragment_secrets, record_words
from generator.load import RECORD_SUFFIXES, files_under, load_project, record_digests
from generator.model import Authority, Decision, Project
from generator.problems import Problem, Severity, SourceRef
from generator.redact import PublicDecision, Secret, redact, secrets_of
from generator.render import Output, environment, render_pages
from generator.pieces import NO_PIECES, Pieces
from generator.planners import PLANNERS
from generator.search import build_search_index
from generator.site import PagePlanner, Plan, entries_for, plan_site
from generator.validate import own_problems, record_context, remembered_problems, \
    validate


@dataclass(frozen=True, slots=True)
class Generated:
    """The generated site source, or the problems that stopped it."""

    project: Project | None
    plan: Plan | None
    outputs: tuple[Output, ...]
    """Markdown pages and data files, paths relative to the docs folder."""
    secrets: tuple[Secret, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.plan is not None and not any(
            p.severity is Severity.ERROR for p in self.problems)


def available_documents(root: Path) -> frozenset[str]:
    """Public files beside the records (relative to decisions/) that records may link."""
    return frozenset(name for name in files_under(root / "decisions")
                     if os.path.splitext(name)[1].lower() not in RECORD_SUFFIXES)


def check(root: Path, as_of: datetime, *,
          remember: bool = False) -> tuple[Project | None, tuple[Problem, ...]]:
    """load + validate: every problem in every file."""
    documents = available_documents(root)
    arrived = _Arrival(root, as_of.date(), documents) if remember else None
    loaded = load_project(root, remember=remember, arrived=arrived)
    if loaded.project is None:
        return None, loaded.problems
    problems = loaded.problems + validate(loaded.project, as_of=as_of,
                                          available_files=documents,
                                          record_keys=record_digests() if remember else None)
    return loaded.project, problems


class _Arrival:
    """A record's own checks and redaction, done as the record arrives from the load stage's
    workers, while they parse the rest: otherwise they run one record after another once all
    are parsed (9 s at 20,000 decisions, with a core idle). The checks run in the worker that
    parsed the record (`early`), and the redaction in this process, which keeps it: split so,
    neither this process nor the workers wait on the other at the end (7 s of checks moved
    out of this process, whose share was a third more than each worker's). `validate` and
    `prepare` then find them remembered, under the same keys they use."""

    def __init__(self, root: Path, today: date, documents: frozenset[str]) -> None:
        self._root, self._today, self._documents = root, today, documents
        self._settings: tuple[Authority, Project, str, dict[str, str], str] | None = None

    def _for(self, authority: Authority) -> tuple[Authority, Project, str, dict[str, str], str]:
        if self._settings is None or self._settings[0] is not authority:
            # What every arriving record is checked and redacted against: worked out once.
            settings = Project(str(self._root), authority, ())
            table = dict(authority.exempt_table)
            self._settings = (authority, settings,
                              record_context(settings, self._today, self._documents),
                              table, _exempt_context(table))
        return self._settings

    def early(self, authority: Authority, d: Decision) -> tuple[Problem, ...]:
        return own_problems(self._for(authority)[1], d, self._today, self._documents)

    def __call__(self, authority: Authority, d: Decision, key: str,
                 early: tuple[Problem, ...]) -> None:
        _, settings, context, table, exempt = self._for(authority)
        remembered_problems(settings, d, key, context, self._today, self._documents, early)
        _redacted(d, table, exempt, key)


def _exempt_context(table: dict[str, str]) -> str:
    return repr(sorted(table.items()))


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything up to rendering: the plan, and what rendering and the leak guard need. The
    write stage renders from this page by page, in parallel, so the site is never all in
    memory at once."""

    root: Path
    as_of: datetime
    project: Project | None
    plan: Plan | None
    secrets: tuple[Secret, ...]
    problems: tuple[Problem, ...]
    settings: Project | None
    """The project without its records: planners, templates and exports see only this and
    the public decisions."""
    record_digests: Mapping[str, str] = field(default_factory=dict)
    """Each record's path and the digest of its bytes (for the build cache), when remembered."""
    shares: Mapping[str, tuple[tuple[Secret, ...], RecordWords]] = field(default_factory=dict)
    """Each record's exempt passages and share of the guard's ordinary words, by path (for
    serve's preview of an edited record, preview.py)."""

    @property
    def ok(self) -> bool:
        return self.plan is not None and not any(
            p.severity is Severity.ERROR for p in self.problems)

    def environment(self) -> Environment:
        return environment([self.root / "site-data" / "templates"])

    def common(self) -> dict[str, Any]:
        assert self.project is not None
        # Not the moment: a page that shows it has it in its own context, so that its cache key
        # holds it, and every other page is the same at every moment (write._keyed).
        return {"authority": self.project.authority}

    def data_tasks(self) -> tuple[exports.Task, ...]:
        """Each data file (exports, calendars, feeds, the search index) as a task that makes it."""
        assert self.settings is not None and self.plan is not None
        plan = self.plan
        # The longest first (the search index, then decisions.json), so that neither starts
        # last and leaves the other workers idle while it runs (workers.make_all).
        return (exports.Task("search", lambda p: search_index(plan, p), plan.entries,
                             pieces=True),
                *exports.export_tasks(self.settings, plan, self.as_of, self.root))


def prepare(root: Path, as_of: datetime, planners: Sequence[PagePlanner] | None = None, *,
            remember: bool = False) -> Prepared:
    """load -> validate -> call-in -> redact -> plan."""
    project, problems = check(root, as_of, remember=remember)
    if project is None or any(p.severity is Severity.ERROR for p in problems):
        return Prepared(root, as_of, project, None, (), problems, None)
    table = dict(project.authority.exempt_table)
    digests = record_digests() if remember else {}
    context = _exempt_context(table)
    redacted = [_redacted(d, table, context, digests.get(d.path)) for d in project.decisions]
    public = tuple(r[0] for r in redacted)
    secrets = tuple(s for r in redacted for s in r[1])
    secrets += fragment_secrets(project.authority, [r[2] for r in redacted], secrets)
    # Planners and exports get the settings but never the unredacted records: what they
    # cannot reach, they cannot publish.
    settings_only = replace(project, decisions=())
    entries = entries_for(settings_only, public, as_of)
    plan = plan_site(settings_only, entries, as_of, PLANNERS if planners is None else planners)
    shares = {d.path: (r[1], r[2]) for d, r in zip(project.decisions, redacted, strict=True)}
    return Prepared(root, as_of, project, plan, secrets, problems + _renamed_templates(root),
                    settings_only, digests, shares)


# A record's public version, secrets and words, by path: (its bytes' digest, the exempt
# table, the three).
REDACTED: dict[str, tuple[str, str, PublicDecision, tuple[Secret, ...], RecordWords]] = {}


def _redacted(d: Decision, table: dict[str, str], context: str, key: str | None
              ) -> tuple[PublicDecision, tuple[Secret, ...], RecordWords]:
    """`redact`, `secrets_of` and the record's share of the leak guard's ordinary words,
    remembered while the record's bytes (`key`) and the exempt table (`context`) are
    unchanged."""
    found = REDACTED.get(d.path) if key is not None else None
    if found is None or found[0] != key or found[1] != context:
        public = redact(d, table)
        found = (key or "", context, public, tuple(secrets_of(d)), record_words(d, public))
        if key is not None:
            REDACTED[d.path] = found
    return found[2], found[3], found[4]


def _renamed_templates(root: Path) -> tuple[Problem, ...]:
    # Decision pages and browse lists became HTML templates (rendered by the generator, not the
    # engine); a council's override under the old name would otherwise be silently ignored.
    folder = root / "site-data" / "templates"
    return tuple(
        Problem(SourceRef(f"site-data/templates/{old}"), "", f"this template is now {new}, "
                "which writes HTML rather than Markdown; rename the file and change its "
                "Markdown (# headings, paragraphs) to HTML.")
        for old, new in RENAMED_TEMPLATES.items() if (folder / old).is_file())


RENAMED_TEMPLATES = {f"{n}.md.j2": f"{n}.html.j2"
                     for n in ("decision", "list", "browse-list", "browse-kind", "by-date")}


def generate(root: Path, as_of: datetime, planners: Sequence[PagePlanner] | None = None, *,
             remember: bool = False) -> Generated:
    """`prepare`, then every page and data file rendered in memory (for tests; the build
    renders page by page instead)."""
    prepared = prepare(root, as_of, planners, remember=remember)
    if not prepared.ok or prepared.plan is None:
        return Generated(prepared.project, None, (), prepared.secrets, prepared.problems)
    plan = prepared.plan
    pages, render_problems = render_pages(plan.pages, prepared.environment(), prepared.common())
    if render_problems:
        return Generated(prepared.project, None, (), prepared.secrets,
                         prepared.problems + render_problems)
    data = tuple(o for task in prepared.data_tasks() for o in task())
    return Generated(prepared.project, plan, pages + data, prepared.secrets, prepared.problems)


def search_index(plan: Plan, pieces: Pieces = NO_PIECES) -> tuple[Output, ...]:
    """The decision search index; a search with more matches than it shows points readers to
    the browse page, when the site has one."""
    more = "browse/" if any(p.path == "browse/index.md" for p in plan.pages) else ""
    return build_search_index(plan.entries, more, pieces)

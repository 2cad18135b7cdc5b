# This module is the pipeline in one place: load -> validate -> call-in -> redact -> plan ->
# render. It returns everything the write stage needs and touches the disk only through
# `load` (reading). The CLI and the MkDocs hook both call `generate`, so `mkdocs serve` and
# `python -m generator build` can never disagree about what the site contains.
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from generator import exports
from generator.load import load_project
from generator.model import Project
from generator.problems import Problem, Severity
from generator.redact import Secret, redact, secrets_of
from generator.render import TEMPLATES, Output, environment, render_pages
from generator.planners import PLANNERS
from generator.search import build_search_index
from generator.site import PagePlanner, Plan, entries_for, plan_site
from generator.validate import validate


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
    base = root / "decisions"
    if not base.is_dir():
        return frozenset()
    return frozenset(
        p.relative_to(base).as_posix() for p in base.rglob("*")
        if p.is_file() and p.suffix.lower() not in (".yaml", ".yml")
    )


def check(root: Path, as_of: datetime, *,
          remember: bool = False) -> tuple[Project | None, tuple[Problem, ...]]:
    """load + validate: every problem in every file."""
    loaded = load_project(root, remember=remember)
    if loaded.project is None:
        return None, loaded.problems
    problems = loaded.problems + validate(loaded.project, as_of=as_of,
                                          available_files=available_documents(root))
    return loaded.project, problems


def generate(root: Path, as_of: datetime, planners: Sequence[PagePlanner] | None = None, *,
             remember: bool = False) -> Generated:
    project, problems = check(root, as_of, remember=remember)
    if project is None or any(p.severity is Severity.ERROR for p in problems):
        return Generated(project, None, (), (), problems)
    table = dict(project.authority.exempt_table)
    public = tuple(redact(d, table) for d in project.decisions)
    secrets = tuple(s for d in project.decisions for s in secrets_of(d))
    # Planners and exports get the settings but never the unredacted records: what they
    # cannot reach, they cannot publish.
    settings_only = replace(project, decisions=())
    entries = entries_for(settings_only, public, as_of)
    plan = plan_site(settings_only, entries, as_of, PLANNERS if planners is None else planners)
    env = environment([root / "site-data" / "templates"])
    common = {"authority": project.authority, "as_of": as_of}
    pages, render_problems = render_pages(plan.pages, env, common)
    if render_problems:
        return Generated(project, None, (), secrets, problems + render_problems)
    data = exports.build_exports(settings_only, plan, as_of, root)
    return Generated(project, plan, pages + data + search_index(plan), secrets, problems)


# `mkdocs serve` runs the pipeline after every change it sees, and it sees the files the
# previous run wrote into the docs folder too, so every edit costs a second, identical run.
# Holding the last result against a digest of every input file makes that run nearly free.
_LAST: dict[str, tuple[tuple[datetime, bytes], Generated]] = {}


def generate_again(root: Path, as_of: datetime) -> Generated:
    """`generate`, or the previous result for `root` when every input file (records, the
    documents beside them, settings, templates) is byte for byte what it was and `as_of` is
    the same. For `mkdocs serve`; a build always generates afresh."""
    key = (as_of, _inputs_digest(root))
    last = _LAST.get(str(root))
    if last is not None and last[0] == key:
        return last[1]
    generated = generate(root, as_of, remember=True)
    _LAST[str(root)] = (key, generated)
    return generated


def _inputs_digest(root: Path) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    for base in (root / "decisions", root / "site-data", TEMPLATES):
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            name = str(path).encode()
            content = path.read_bytes()
            digest.update(len(name).to_bytes(8, "big") + name)
            digest.update(len(content).to_bytes(8, "big") + content)
    return digest.digest()


def search_index(plan: Plan) -> tuple[Output, ...]:
    """The decision search index; a search with more matches than it shows points readers to
    the browse page, when the site has one."""
    more = "browse/" if any(p.path == "browse/index.md" for p in plan.pages) else ""
    return build_search_index(plan.entries, more)

# This module makes the site's files in parallel: decision pages and browse lists filled into
# the engine's shells, and every data file. Each file is scanned by the leak guard as it is
# made and written straight into the new site folder, so the guard reads each byte once and
# the site is never held in memory (at 20,000 decisions it is about 1 GB).
#
# Worker processes are forked after planning: they inherit the plan, the templates and the
# guard instead of being sent them, and they return only what the parent must check (paths,
# leaks, template errors). Where fork is unavailable the work runs in this process.
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from generator.guard import Leak
from generator.pieces import NO_PIECES, Pieces
from generator.problems import Problem
from generator.render import Output, direct_page, render_text, site_file
from generator.shell import Shell, depth_of, fill_parts
from generator.site import Page

Scan = Callable[[str, bytes], Sequence[Leak]]
ScanPage = Callable[[str, Sequence[str]], Sequence[Leak]]
PAGES_PER_JOB = 250


@dataclass(frozen=True, slots=True)
class Made:
    """What a job made: every file's site path and the data task that made it ("" for a
    page), and anything that stops the build."""

    files: tuple[tuple[str, str], ...] = ()
    leaks: tuple[Leak, ...] = ()
    problems: tuple[Problem, ...] = ()
    windows: tuple[tuple[str, dict[str, str]], ...] = ()
    """By file, the clean windows of large files the guard read or met again
    (guard.Windows)."""


@dataclass(slots=True)
class Work:
    """What the forked workers inherit."""

    pages: Sequence[Page]
    tasks: Sequence[Callable[[Pieces], Iterable[Output]]]
    env: Environment
    common: dict[str, Any]
    shells: dict[int, Shell]
    site_url: str
    out_dir: Path
    scan: Scan
    kept: Callable[[str, bytes], bool] | None = None
    """Whether a file's bytes are the previous site's, which passed a guard with the same
    secrets, and are kept there instead of being scanned and written into `out_dir` again."""
    windows: Callable[[], dict[str, dict[str, str]]] | None = None
    """The guard's clean windows since the last call (scan.Scanner.take_windows)."""
    pieces: Callable[[str], Pieces] | None = None
    """A data task's kept pieces, by the task's name (pieces.py), read in the worker that
    runs it."""
    scan_page: ScanPage | None = None
    """`scan` for a page, given in its shell's parts (scan.Scanner.page)."""


_WORK: Work | None = None


def make_all(work: Work, processes: int | None = None,
             meanwhile: Callable[[], object] | None = None) -> Made:
    """Render, scan and write every page and data file of `work`; `meanwhile`, if given, runs
    in this process while the workers do, since it would otherwise wait on them."""
    global _WORK
    jobs: list[tuple[str, int, int]] = [("task", i, i + 1) for i in range(len(work.tasks))]
    jobs += [("pages", i, min(i + PAGES_PER_JOB, len(work.pages)))
             for i in range(0, len(work.pages), PAGES_PER_JOB)]
    processes = processes or os.cpu_count() or 1
    _WORK = work
    try:
        if processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
            results = [_run(job) for job in jobs]
            if meanwhile is not None:
                meanwhile()
        else:
            # The pool forks its workers before `meanwhile` starts, so they never inherit
            # anything it is half-way through.
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                running = pool.imap_unordered(_run, jobs)
                if meanwhile is not None:
                    meanwhile()
                results = list(running)
    finally:
        _WORK = None
    return Made(
        tuple(f for r in results for f in r.files),
        tuple(x for r in results for x in r.leaks),
        tuple(p for r in results for p in r.problems),
        tuple(w for r in results for w in r.windows),
    )


def _run(job: tuple[str, int, int]) -> Made:
    work = _WORK
    assert work is not None
    kind, start, stop = job
    outputs: Iterable[tuple[str, bytes, Sequence[str] | None]]
    problems: list[Problem] = []
    origin = ""
    pieces = NO_PIECES
    if kind == "task":
        task = work.tasks[start]
        origin = getattr(task, "name", str(start))
        if work.pieces is not None:
            pieces = work.pieces(origin)
        outputs = ((o.path, o.content, None) for o in task(pieces))
    else:
        outputs = _pages(work, work.pages[start:stop], problems)
    files: list[tuple[str, str]] = []
    leaks: list[Leak] = []
    for name, raw, parts in outputs:
        if work.kept is not None and work.kept(name, raw):
            files.append((name, origin))
            continue
        if parts is not None and work.scan_page is not None:
            found = work.scan_page(name, parts)
        else:
            found = work.scan(name, raw)
        if found:
            leaks.extend(found)
            continue  # never written: the build fails and the folder is removed
        files.append((name, origin))
        write_file(work.out_dir / name, raw)
    pieces.save()
    windows = tuple(work.windows().items()) if work.windows is not None else ()
    return Made(tuple(files), tuple(leaks), tuple(problems), windows)


def _pages(work: Work, pages: Sequence[Page], problems: list[Problem]
           ) -> Iterable[tuple[str, bytes, Sequence[str]]]:
    cache: dict[str, Any] = {}
    for page in pages:
        made = page_parts(page, work.env, work.common, work.shells, work.site_url, cache)
        if isinstance(made, Problem):
            problems.append(made)
            continue
        name, parts = made
        yield name, "".join(parts).encode("utf-8"), parts


def page_html(page: Page, env: Environment, common: dict[str, Any], shells: dict[int, Shell],
              site_url: str, cache: dict[str, Any]) -> tuple[str, bytes] | Problem:
    """A direct page's site path and HTML, filled into the engine's shell for its depth."""
    made = page_parts(page, env, common, shells, site_url, cache)
    if isinstance(made, Problem):
        return made
    return made[0], "".join(made[1]).encode("utf-8")


def page_parts(page: Page, env: Environment, common: dict[str, Any], shells: dict[int, Shell],
               site_url: str, cache: dict[str, Any]) -> tuple[str, list[str]] | Problem:
    """`page_html`'s HTML as `shell.fill_parts` gives it."""
    text, problem = render_text(page, env, common, cache)
    if problem is not None:
        return problem
    d = direct_page(page.path, text)
    return site_file(page.path), fill_parts(
        shells[depth_of(d.url)], url=d.url, title=d.title, body=d.body, headings=d.headings,
        head=d.head, site_url=site_url)


def write_file(target: Path | str, raw: bytes) -> None:
    """Write through a new file, never into an existing one, so that no reader (`make serve`)
    ever sees half a file."""
    folder, name = os.path.split(target)
    if folder and folder not in _FOLDERS:
        # Nearly always the parent is there: mkdir alone, without makedirs' look at it first.
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        _FOLDERS.add(folder)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        f = open(tmp, "wb")
    except FileNotFoundError:  # a folder made by an earlier build (`serve`) and removed since
        os.makedirs(folder, exist_ok=True)
        f = open(tmp, "wb")
    with f:
        f.write(raw)
    os.replace(tmp, target)


# Folders write_file has made or found: a build writes 40,000 files into a few thousand
# folders, and asking for each file's folder again (mkdir, and its FileExistsError for every
# file after the first) was a tenth of the time spent writing.
_FOLDERS: set[str] = set()

# This module is the output edge: the only code that writes. It mirrors what the engine builds
# into its docs folder (rewriting only what changed), runs the engine, fills the engine's
# shells with the generator's pages, and builds the site into a fresh folder that replaces
# `site/` only after the engine, the leak guard and the page manifest have all passed. A
# failed build leaves the previous site byte for byte as it was.
from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence, Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from generator import cache, engines
from generator.digests import digest
from generator.exports import Task
from generator.guard import Leak
from generator.pieces import NO_PIECES, Pieces, pieces_path
from generator.pipeline import Prepared
from generator.scan import Scanner, leak_problems
from generator.problems import Problem, SourceRef
from generator.render import Output, is_direct, page_url, render_pages, site_file
from generator.shell import (
    SHELL_DIR, ShellError, depth_of, fill_slots, parse_shell, shell_markdown, shell_path,
    shell_url)
from generator.site import Page
from generator.theme import BUILD_OVERRIDES, theme_files
from generator.preview import Preview
from generator.workers import Work, make_all, page_html, write_file

# Files the theme and MkDocs add beside our pages; anything else in the built site is refused,
# because MkDocs copies every non-Markdown file it finds in the docs folder.
THEME_PREFIXES = ("assets/", "search/")
# search.json: Zensical's theme search index (MkDocs writes search/search_index.json).
THEME_FILES = frozenset({"404.html", "sitemap.xml", "search.json"})
SITEMAP_PART = re.compile(r"sitemaps/pages-\d+\.xml")


def sync_docs(docs_dir: Path, outputs: Iterable[Output]) -> int:
    """Make `docs_dir` hold exactly `outputs` (and its dotfiles); return how many files changed."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    wanted = {o.path: o.content for o in outputs}
    changed = 0
    for path in list(_files(docs_dir)):
        rel = path.relative_to(docs_dir).as_posix()
        if rel not in wanted and not rel.startswith("."):
            path.unlink()
            changed += 1
    for rel, content in wanted.items():
        target = docs_dir / rel
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, target)
        changed += 1
    for folder in sorted((p for p in docs_dir.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changed


def sync_theme(root: Path) -> int:
    """Lay the theme customisations into build/overrides, which mkdocs.yml names as the
    theme's custom_dir; return how many files changed (unchanged ones are not rewritten)."""
    return sync_docs(root / BUILD_OVERRIDES, theme_files(root))


def _files(root: Path) -> Iterator[Path]:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            yield Path(dirpath) / name


def _site_names(root: Path) -> set[str]:
    """Every file under `root`, as a site path (plain strings: 38,000 paths at 20,000
    decisions, where pathlib's objects cost seconds)."""
    base = os.fspath(root)
    names: set[str] = set()
    for dirpath, _, filenames in os.walk(base):
        rel = dirpath[len(base) + 1:].replace(os.sep, "/")
        names.update(f"{rel}/{n}" if rel else n for n in filenames)
    return names


def expected_site_files(outputs: Iterable[Output]) -> tuple[frozenset[str], frozenset[str]]:
    """(HTML pages MkDocs should build, data files it should copy), from the plan."""
    pages, data = set(), set()
    for o in outputs:
        if o.path.endswith(".md"):
            stem = o.path[:-3]
            if stem == "index" or stem.endswith("/index"):
                pages.add(stem + ".html")
            else:
                pages.add(stem + "/index.html")
        else:
            data.add(o.path)
    return frozenset(pages), frozenset(data)


def manifest_problems(site_dir: Path, outputs: Iterable[Output]) -> tuple[Problem, ...]:
    """Every file in `site_dir` planned; every planned file there."""
    return manifest_problems_of(_site_names(site_dir), outputs)


def manifest_problems_of(found: AbstractSet[str], outputs: Iterable[Output]
                         ) -> tuple[Problem, ...]:
    """Every file of a site (`found`) planned; every planned file in it."""
    pages, data = expected_site_files(outputs)
    problems = []
    for name in sorted(found):
        if (name in pages or name in data or name in THEME_FILES
                or name.startswith(THEME_PREFIXES) or SITEMAP_PART.fullmatch(name)):
            continue
        problems.append(Problem(SourceRef(f"site/{name}"), "", "this file was not planned by the "
                                "generator, so it may publish something unreviewed; remove it "
                                "from build/docs and overrides/."))
    for name in sorted((pages | data) - found):
        problems.append(Problem(SourceRef(f"site/{name}"), "", "planned but not built."))
    return tuple(problems)


def build_site(prepared: Prepared, site_dir: Path, engine: str = "mkdocs",
               processes: int | None = None, use_cache: bool = True) -> Built:
    """Build the site into a new folder, check it, and only then publish it into `site_dir`.

    The engine builds the pages it renders (home, the call-in board, the few pages in the
    navigation) and one shell per folder depth; the generator fills the shells with every
    decision page and browse list and writes the data files, each scanned by the leak guard as
    it is made. Then the page manifest runs over the whole folder. Nothing reaches `site_dir`
    unless all of it passed; a failed build leaves the previous site byte for byte as it was.
    With `use_cache`, files whose inputs are unchanged since the last build are kept from
    the previous site (cache.py) rather than made again; the new folder then holds only the
    files made again, and publishing moves them in and removes what the site no longer has.
    """
    assert prepared.plan is not None and prepared.project is not None
    root = prepared.root
    # The records cache holds only what each record's bytes give, so it is right to keep
    # whether or not this build passes.
    saving = cache.start_saving_records(root, prepared.secrets) if use_cache else None
    try:
        built = _build_site(prepared, site_dir, engine, processes, use_cache, saving)
    except BaseException:
        if saving is not None:
            with contextlib.suppress(Exception):  # waited for; the build's error is the news
                saving()
        raise
    if saving is not None:
        saving()  # at once if the workers' time was spent on it (`meanwhile`)
    return built


def _build_site(prepared: Prepared, site_dir: Path, engine: str, processes: int | None,
                use_cache: bool, saving: Callable[[], None] | None) -> Built:
    assert prepared.plan is not None and prepared.project is not None
    root = prepared.root
    sources, slots, problems = engine_sources(prepared)
    if problems:
        return Built(problems)
    sync_docs(root / "build" / "docs", sources)
    sync_theme(root)
    tmp = site_dir.with_name(f".site-new-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    previous = cache.load_outputs(root) if use_cache and site_dir.is_dir() else None
    try:
        result = _build_into(tmp, prepared, engine, processes, site_dir, previous, slots,
                             root / cache.CACHE_DIR if use_cache else None, saving)
    except BaseException:
        # An unexpected error (a theme template, a full disk) must not leave a half-built
        # folder beside the site for the next deploy to pick up.
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if isinstance(result, tuple):
        shutil.rmtree(tmp, ignore_errors=True)
        return Built(result)
    _publish(tmp, site_dir, result.kept, result.written, result.previous_site)
    if use_cache:
        files = cache.stamps(site_dir, result.keys, result.kept,
                             previous["files"] if previous else {})
        cache.save_outputs(root, files, result.tasks, result.engine, result.guard)
        cache.save_windows(root, result.guard, result.windows)
    return Built((), len(result.kept), len(result.keys) - len(result.kept))


@dataclass(frozen=True, slots=True)
class Built:
    problems: tuple[Problem, ...]
    reused: int = 0
    """Generated files taken unchanged from the previous site (cache.py)."""
    made: int = 0


@dataclass(frozen=True, slots=True)
class _Keys:
    """Each generated file's cache key, and each data task's key and files."""

    keys: dict[str, str]
    tasks: dict[str, tuple[str, list[str]]]
    engine: cache.EngineRun
    guard: str
    windows: dict[str, dict[str, str]]
    kept: frozenset[str]
    """The previous site's files, unchanged, that the new site has: not in the new folder."""
    written: frozenset[str]
    """The files in the new folder."""
    previous_site: set[str] | None
    """Every file in the previous site, listed while the workers ran; None if not listed."""


def shell_depths(pages: Iterable[Page]) -> list[int]:
    return sorted({depth_of(page_url(pg.path)) for pg in pages if is_direct(pg)})


def engine_sources(prepared: Prepared) -> tuple[tuple[Output, ...], dict[str, tuple[str, ...]],
                                                 tuple[Problem, ...]]:
    """What the engine builds: the pages it renders, as Markdown with a marker for each slot
    (render.Slots), and the shells; and each page's slots' HTML, by site path."""
    assert prepared.plan is not None
    pages = [pg for pg in prepared.plan.pages if not is_direct(pg)]
    slots: dict[str, tuple[str, ...]] = {}
    rendered, problems = render_pages(pages, prepared.environment(), prepared.common(), slots)
    shells = tuple(Output(shell_path(d), shell_markdown().encode())
                   for d in shell_depths(prepared.plan.pages))
    return rendered + shells, {site_file(k): v for k, v in slots.items()}, problems


def _build_into(tmp: Path, prepared: Prepared, engine: str, processes: int | None,
                site_dir: Path, previous: dict[str, Any] | None,
                slots: dict[str, tuple[str, ...]], cache_dir: Path | None,
                saving: Callable[[], None] | None = None) -> tuple[Problem, ...] | _Keys:
    assert prepared.plan is not None and prepared.project is not None
    plan, site_url = prepared.plan, prepared.project.authority.site_url
    engine_pages = [pg for pg in plan.pages if not is_direct(pg)]
    direct = [pg for pg in plan.pages if is_direct(pg)]
    old_files = previous["files"] if previous else {}
    old_tasks = previous["tasks"] if previous else {}
    # Worked out once: it is in the engine's key and every page's (0.3 s a time at 20,000).
    guard_key = cache.guard_digest(prepared.secrets)
    problems, run, engine_reused = _engine_output(
        tmp, prepared, engine, previous.get("engine") if previous else None, old_files, site_dir,
        frozenset(slots), guard_key)
    if run is None:
        return problems
    try:
        shells = {}
        for d in shell_depths(plan.pages):
            if d not in run.shells:
                raise ShellError(f"the engine built no {shell_url(d)}index.html")
            shells[d] = parse_shell(run.shells[d], d, site_url)
    except ShellError as exc:
        return (Problem(SourceRef("generator/overrides/main.html"), "", f"the engine's shell "
                        f"page cannot be used ({exc}); pages in the site engine's theme must "
                        "keep the page title, table of contents and content blocks."),)
    old_windows = cache.load_windows(prepared.root, guard_key) if previous is not None else {}
    guard = Scanner(prepared.secrets, old_windows)
    scan = guard.file
    leaks: list[Leak] = []
    if not engine_reused:
        # A reused engine output passed a guard with the same secrets (they are in its key).
        for name in run.files:  # the engine's own pages and the theme's files
            leaks.extend(scan(name, (tmp / name).read_bytes()))
        leaks.extend(guard.log(run.logs))
    slot_keys, filled = _fill_slots(tmp, run, slots, engine_reused, old_files, site_dir)
    if isinstance(filled, Problem):
        return (filled,)
    for name, raw in filled:
        found = scan(name, raw)
        leaks.extend(found)
        if not found:
            write_file(tmp / name, raw)
    data_tasks = prepared.data_tasks()
    keys, tasks_keys, piece_keys = _keyed(prepared, engine, shells, data_tasks, guard_key)
    in_pieces = {t.name: t for t in data_tasks if t.pieces}

    def pieces(name: str) -> Pieces:
        # In the worker that runs the task: a task kept whole needs no piece keys.
        task = in_pieces.get(name)
        if cache_dir is None or task is None:
            return NO_PIECES
        return Pieces(pieces_path(cache_dir, name), piece_keys(task))

    to_make = [pg for pg in direct
               if not cache.reusable(old_files, (name := site_file(pg.path)), keys[name],
                                     site_dir)]
    tasks: list[Task] = []
    task_files: dict[str, tuple[str, list[str]]] = {}
    for task in data_tasks:
        key = tasks_keys.get(task.name)
        names = _task_files(old_tasks.get(task.name), key)
        if key is not None and names is not None \
                and all(cache.reusable(old_files, n, key, site_dir) for n in names):
            task_files[task.name] = (key, names)
            keys.update((n, key) for n in names)
        else:
            tasks.append(task)
    same_guard = previous is not None and previous.get("guard") == guard_key

    def kept(name: str, raw: bytes) -> bool:
        # Same bytes and the same secrets give the guard's same verdict, so the file is not
        # scanned again (cache.py keeps each file's key, size and time).
        return same_guard and cache.same_file(old_files, name, raw, site_dir)

    listed: list[set[str]] = []

    def meanwhile() -> None:
        # Work that would otherwise wait on the workers (1.2 s at 20,000 decisions). Publishing
        # removes every file of the previous site that the new one lacks, so it needs all of
        # them (38,000): the site does not change while the workers write into `tmp`. Then
        # the records cache (build_site) is waited for.
        if previous is not None:
            listed.append(_site_names(site_dir))
        if saving is not None:
            saving()

    made = make_all(Work(to_make, tasks, prepared.environment(), prepared.common(), shells,
                         site_url, tmp, scan, kept, guard.take_windows, pieces, guard.page),
                    processes, meanwhile)
    urls = sorted(page_url(pg.path) for pg in (*engine_pages, *direct))
    sitemaps = sitemap_files(site_url, urls, prepared.as_of)
    for o in sitemaps:
        found = scan(o.path, o.content)
        leaks.extend(found)
        if not found:
            write_file(tmp / o.path, o.content)
    if made.problems or leaks or made.leaks:
        return made.problems + leak_problems([*leaks, *made.leaks])
    for name, origin in made.files:
        if origin in tasks_keys:
            key = tasks_keys[origin]
            task_files.setdefault(origin, (key, []))[1].append(name)
            keys[name] = key
    pages = {site_file(pg.path) for pg in direct}
    data = {name for name, _ in made.files} | {n for _, names in task_files.values() for n in names}
    planned = [Output(pg.path, b"") for pg in (*engine_pages, *direct)]
    planned += [Output(name, b"") for name in sorted(data - pages)]
    planned += [Output(o.path, b"") for o in sitemaps]
    keys.update((name, run.key) for name in run.files)
    keys.update(slot_keys)
    # Every file of the new site is in the new folder or kept from the previous site.
    written = frozenset(_site_names(tmp))
    unchanged = frozenset(name for name in keys if name not in written)
    problems = manifest_problems_of(written | unchanged, planned)
    if problems:
        return problems
    windows = dict(made.windows)
    windows.update(guard.take_windows())
    # A file not scanned this build is the last build's, byte for byte: so are its windows.
    windows.update((name, old_windows[name]) for name in keys
                   if name in old_windows and name not in windows)
    return _Keys(keys, task_files, run, guard_key,
                 {name: w for name, w in windows.items() if name in keys}, unchanged, written,
                 listed[0] if listed else None)


def _engine_output(tmp: Path, prepared: Prepared, engine: str, last_run: Any,
                   old_files: dict[str, Any], site_dir: Path, slotted: frozenset[str],
                   guard_key: str) -> tuple[tuple[Problem, ...], cache.EngineRun | None, bool]:
    """The engine's pages, theme files and shells in `tmp`: the previous site's, when the
    engine's every input is unchanged (about 2 s at any size, 5 s under Zensical), or else a
    new run of the engine; and whether they were reused. Pages with slots (`slotted`) are
    left for _fill_slots."""
    assert prepared.plan is not None
    key = cache.engine_key(prepared.root, engine, guard_key)
    old = cache.EngineRun.of(last_run)
    if old is not None and old.key == key and old.slotted.keys() == slotted and all(
            cache.reusable(old_files, n, key, site_dir) for n in old.files if n not in slotted):
        return (), old, True
    problems, logs = engines.build(engine, prepared.root, tmp, prepared.as_of)
    if problems:
        return problems, None, False
    pages: dict[str, str] = {}
    for name in sorted(slotted):
        try:
            pages[name] = (tmp / name).read_text("utf-8")
        except OSError:
            return (Problem(SourceRef(f"site/{name}"), "", "the engine built no such page, "
                            "though the generator planned it."),), None, False
    shells: dict[int, str] = {}
    for d in shell_depths(prepared.plan.pages):
        try:
            shells[d] = (tmp / shell_url(d) / "index.html").read_text("utf-8")
        except OSError:
            pass  # reported by the caller as a missing shell
    shutil.rmtree(tmp / SHELL_DIR, ignore_errors=True)
    # The engine's sitemap lists the shells and none of the generator's pages; ours replaces it.
    for name in ENGINE_SITEMAPS:
        (tmp / name).unlink(missing_ok=True)
    files = tuple(sorted(_site_names(tmp)))
    return (), cache.EngineRun(key, files, tuple(logs), shells, pages), False


def _fill_slots(tmp: Path, run: cache.EngineRun, slots: dict[str, tuple[str, ...]],
                engine_reused: bool, old_files: dict[str, Any], site_dir: Path
                ) -> tuple[dict[str, str], list[tuple[str, bytes]] | Problem]:
    """Each page with slots: its cache key (the engine's page and its slots' HTML), and the
    pages that were made again, filled from the engine's HTML. A page whose key is unchanged is
    the previous site's, kept."""
    keys = {name: digest(run.key, name, *items) for name, items in sorted(slots.items())}
    made = []
    for name, items in sorted(slots.items()):
        if engine_reused and cache.reusable(old_files, name, keys[name], site_dir):
            continue
        try:
            made.append((name, fill_slots(run.slotted[name], items, name).encode("utf-8")))
        except (KeyError, ShellError) as exc:
            return keys, Problem(SourceRef(f"site/{name}"), "", f"the engine's page cannot be "
                                 f"filled ({exc}); a slot's marker must reach the page as the "
                                 "engine wrote it, once, and only a slot may hold a record's "
                                 "words.")
    return keys, made


def _task_files(old: Any, key: str | None) -> list[str] | None:
    """The files the last build's task made, if it was made from `key`."""
    if key is None or not (isinstance(old, list) and len(old) == 2 and old[0] == key):
        return None
    return [str(n) for n in old[1]]


def _keyed(prepared: Prepared, engine: str, shells: dict[int, Any], tasks: Sequence[Task],
           guard_key: str
           ) -> tuple[dict[str, str], dict[str, str], Callable[[Task], dict[str, str]]]:
    """The cache key of each generated page (by site path) and of each data task: a digest of
    everything it is made from (cache.py); and how to key, for a task made a decision at a
    time, each decision's piece, by decision id (pieces.py)."""
    assert prepared.plan is not None
    root = prepared.root
    common = digest(
        cache.code_digest(), cache.tree_digest(root / "site-data"),
        cache.tree_digest(root / "mkdocs.yml"), cache.tree_digest(root / "overrides"),
        engine, repr(sorted(shells.items())), guard_key)
    fp = cache.Fingerprints(prepared.record_digests)
    pages = {site_file(pg.path): digest(common, pg.path, pg.template, fp.of(pg.context))
             for pg in prepared.plan.pages if is_direct(pg)}
    # Not the build's moment: a page is made from its context alone (a status that can still
    # change holds the moment; Prepared.common), and a task from its entries and its moment.
    task_keys = {t.name: digest(common, t.name, t.moment, *(fp.entry(e) for e in t.entries))
                 for t in tasks if t.entries is not None}

    def piece_keys(t: Task) -> dict[str, str]:
        # Not the task's moment: a piece is one decision's, and its fingerprint holds the
        # moment where its call-in status can still change. Not hashed again (20,000 digests
        # a task, 0.7 s in all): the two digests side by side are the key, and each task's
        # pieces are a file of their own (pieces_path).
        return {e.d.id: f"{common}.{fp.entry(e)}" for e in t.entries or ()}

    return pages, task_keys, piece_keys


ENGINE_SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
SITEMAP_URLS = 50_000  # the sitemaps.org limit for one file


def sitemap_files(site_url: str, urls: Sequence[str], as_of: datetime) -> tuple[Output, ...]:
    """sitemap.xml as an index of sitemaps (sitemaps.org). The theme fetches sitemap.xml
    for every feed link in a page's head (to offer language versions), so it must stay small:
    a list of every page was 140 KB gzip, three times over, on each first page view at 20,000
    decisions (benchmarks/NOTES.md)."""
    # Dated by the moment the site shows (--as-of), so a rebuild gives the same bytes.
    mod = f"<lastmod>{as_of.date().isoformat()}</lastmod>"
    parts = [urls[i:i + SITEMAP_URLS] for i in range(0, len(urls), SITEMAP_URLS)] or [[]]
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    out = []
    for n, part in enumerate(parts, 1):
        body = "".join(f"<url><loc>{escape(site_url + u)}</loc>{mod}</url>\n" for u in part)
        out.append(Output(f"sitemaps/pages-{n}.xml", f"{head}<urlset {ns}>\n{body}</urlset>\n"
                          .encode()))
    index = "".join(f"<sitemap><loc>{escape(site_url + o.path)}</loc>{mod}</sitemap>\n" for o in out)
    out.append(Output("sitemap.xml", f"{head}<sitemapindex {ns}>\n{index}</sitemapindex>\n"
                      .encode()))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Shown:
    """The pages a preview wrote into the site, and what each replaced (None: a new file)."""

    files: tuple[tuple[str, bytes | None], ...]


def show_preview(prepared: Prepared, preview: Preview, site_dir: Path) -> Shown | None:
    """Write a preview's pages (preview.py) into the served site, each checked by the leak
    guard, in the last build's shells; None, and nothing written, if any page cannot be made
    or the guard finds anything (the full build then says what)."""
    assert prepared.project is not None
    run = cache.EngineRun.of(cache.load_outputs(prepared.root).get("engine"))
    if run is None or not site_dir.is_dir():
        return None
    site_url = prepared.project.authority.site_url
    env, common = prepared.environment(), prepared.common()
    memo: dict[str, Any] = {}
    depths = {depth_of(page_url(page.path)) for page in preview.pages}
    if not depths <= run.shells.keys():
        return None
    try:
        shells = {d: parse_shell(run.shells[d], d, site_url) for d in depths}
    except ShellError:
        return None
    guard = Scanner(preview.secrets)
    made: list[tuple[str, bytes]] = []
    for page in preview.pages:
        out = page_html(page, env, common, shells, site_url, memo)
        if isinstance(out, Problem) or guard.file(*out):
            return None
        made.append(out)
    files = []
    for name, raw in made:
        target = site_dir / name
        files.append((name, target.read_bytes() if target.is_file() else None))
        write_file(target, raw)
    return Shown(tuple(files))


def undo_preview(site_dir: Path, shown: Shown) -> None:
    """Put back what a preview replaced, when the full build after it failed: the served
    site is then the last good build again."""
    for name, old in shown.files:
        if old is None:
            (site_dir / name).unlink(missing_ok=True)
        else:
            write_file(site_dir / name, old)


def _publish(tmp: Path, site_dir: Path, kept: frozenset[str], written: frozenset[str],
             listed: set[str] | None = None) -> None:
    """Make `site_dir` the checked site: `tmp`'s files (`written`) and the previous site's
    `kept` ones.
    With nothing kept, `tmp` replaces the site in one rename. Otherwise `tmp`'s files are
    moved in, each in one rename, and every other file is removed: at 20,000 decisions a build
    after an edit made a few hundred files, and linking 38,000 others into a new folder and
    deleting the old one took 8 s (benchmarks/NOTES.md). Only a checked build gets here, so a
    failed one still leaves the site as it was. `listed` is every file of the site, if the
    caller has listed it."""
    if not kept or not site_dir.is_dir():
        _swap(tmp, site_dir)
        return
    for name in written:
        source, target = os.path.join(tmp, name), os.path.join(site_dir, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(source, target)
    emptied = set()
    for name in (_site_names(site_dir) if listed is None else listed) - kept - written:
        os.unlink(os.path.join(site_dir, name))
        emptied.add(os.path.dirname(name))
    for folder in sorted(emptied, key=len, reverse=True):
        while folder:
            try:
                os.rmdir(os.path.join(site_dir, folder))
            except OSError:
                break  # not empty: it holds files the site keeps
            folder = os.path.dirname(folder)
    shutil.rmtree(tmp, ignore_errors=True)


def _swap(tmp: Path, site_dir: Path) -> None:
    old = site_dir.with_name(f".site-old-{os.getpid()}")
    if site_dir.exists():
        os.replace(site_dir, old)
    try:
        os.replace(tmp, site_dir)
    except OSError:
        if old.exists():  # put the previous site back rather than leave none
            os.replace(old, site_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)

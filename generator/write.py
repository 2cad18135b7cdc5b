# This module is the output edge: the only code that writes. It mirrors the generated files
# into MkDocs' docs folder (rewriting only what changed, so `mkdocs serve` reloads just the
# edited page) and builds the site into a fresh folder that replaces `site/` only after MkDocs,
# the page manifest and the leak guard have all passed. A failed build leaves the previous
# site byte for byte as it was.
from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.guard import scan_tree
from generator.pipeline import Generated
from generator.problems import Problem, SourceRef
from generator.redact import Secret
from generator.render import Output
from generator.theme import BUILD_OVERRIDES, theme_files

PREGENERATED = "DECISION_SITE_PREGENERATED"
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"  # https://reproducible-builds.org/specs/source-date-epoch/
# Files the theme and MkDocs add beside our pages; anything else in the built site is refused,
# because MkDocs copies every non-Markdown file it finds in the docs folder.
THEME_PREFIXES = ("assets/", "search/")
THEME_FILES = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz"})


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
    pages, data = expected_site_files(outputs)
    found = {p.relative_to(site_dir).as_posix() for p in _files(site_dir)}
    problems = []
    for name in sorted(found):
        if name in pages or name in data or name in THEME_FILES or name.startswith(THEME_PREFIXES):
            continue
        problems.append(Problem(SourceRef(f"site/{name}"), "", "this file was not planned by the "
                                "generator, so it may publish something unreviewed; remove it "
                                "from build/docs and overrides/."))
    for name in sorted((pages | data) - found):
        problems.append(Problem(SourceRef(f"site/{name}"), "", "planned but not built."))
    return tuple(problems)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured(logger_name: str) -> Iterator[_Capture]:
    handler = _Capture()
    logger = logging.getLogger(logger_name)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def mkdocs_build(root: Path, site_dir: Path, as_of: datetime | None = None
                 ) -> tuple[tuple[Problem, ...], tuple[str, ...]]:
    """Run MkDocs (strict) on the already-synced docs folder; return problems and log lines."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ[PREGENERATED] = "1"
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    # MkDocs dates every page's sitemap `lastmod`, and the gzip header of sitemap.xml.gz, with
    # the day it runs unless SOURCE_DATE_EPOCH is set. The site shows the moment --as-of, so
    # that moment dates it too: the same records and --as-of give the same bytes on any day.
    saved_epoch = os.environ.get(SOURCE_DATE_EPOCH)
    if as_of is not None:
        os.environ[SOURCE_DATE_EPOCH] = str(int(as_of.timestamp()))
    problems: list[Problem] = []
    with _captured("mkdocs") as cap:
        try:
            config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir),
                                 strict=True)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except (exceptions.MkDocsException, exceptions.Abort) as exc:
            problems.append(Problem(SourceRef("mkdocs.yml"), "", f"MkDocs failed: {exc}"))
        finally:
            os.environ.pop(PREGENERATED, None)
            if saved_epoch is None:
                os.environ.pop(SOURCE_DATE_EPOCH, None)
            else:
                os.environ[SOURCE_DATE_EPOCH] = saved_epoch
    logs = tuple(r.getMessage() for r in cap.records)
    for r in cap.records:
        if r.levelno >= logging.WARNING:
            problems.append(Problem(SourceRef("mkdocs.yml"), "", f"MkDocs: {r.getMessage()}"))
    return tuple(problems), logs


@dataclass(frozen=True, slots=True)
class Synced:
    """What the checks after MkDocs need once the docs folder holds the generated files."""

    planned: tuple[Output, ...]
    """Every generated path, without its content (the page manifest needs only paths)."""
    secrets: tuple[Secret, ...]
    """Every exempt passage, for the leak guard."""


def sync_for_build(root: Path, generated: Generated) -> Synced:
    """Write the generated files into the docs folder and keep only what the checks need, so a
    caller can free the model and every page's text before MkDocs builds (at 20,000 decisions
    they were half the build's peak memory)."""
    sync_docs(root / "build" / "docs", generated.outputs)
    sync_theme(root)
    return Synced(tuple(Output(o.path, b"") for o in generated.outputs), generated.secrets)


def build_site(root: Path, generated: Generated, site_dir: Path,
               as_of: datetime | None = None) -> tuple[Problem, ...]:
    """Sync the docs folder, build into a temporary folder, check it, then swap it in.

    `as_of` (the CLI's --as-of) dates MkDocs' sitemap, so that a rebuild is byte-identical.
    """
    return build_synced(root, sync_for_build(root, generated), site_dir, as_of)


def build_synced(root: Path, synced: Synced, site_dir: Path,
                 as_of: datetime | None = None) -> tuple[Problem, ...]:
    """`build_site` after `sync_for_build`."""
    tmp = site_dir.with_name(f".site-new-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        problems, logs = mkdocs_build(root, tmp, as_of)
        if not problems:
            problems = manifest_problems(tmp, synced.planned)
        if not problems:
            problems = scan_tree(tmp, synced.secrets, logs)
    except BaseException:
        # An unexpected error (a theme template, a full disk) must not leave a half-built
        # folder beside the site for the next deploy to pick up.
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if problems:
        shutil.rmtree(tmp, ignore_errors=True)
        return problems
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
    return ()

"""Run the site engine (MkDocs or Zensical) over the synced build/docs and build/overrides.

Both engines read the same mkdocs.yml. Whatever engine runs, the caller runs the page manifest
and the leak guard over its output and its log lines, so an engine that quietly builds nothing,
or builds something unplanned, can never publish (issue 14).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import yaml

from generator.problems import Problem, SourceRef

ENGINES = ("mkdocs", "zensical")
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"  # https://reproducible-builds.org/specs/source-date-epoch/


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


def build(engine: str, root: Path, out_dir: Path, as_of: datetime | None
          ) -> tuple[tuple[Problem, ...], tuple[str, ...]]:
    """Build the site with `engine` into out_dir; return problems and captured log lines."""
    if engine == "mkdocs":
        problems, logs = mkdocs_build(root, out_dir, as_of)
    elif engine == "zensical":
        problems, logs = zensical_build(root, out_dir, as_of)
    else:
        return (Problem(SourceRef("mkdocs.yml"), "", f"engine: unknown site engine {engine!r}; "
                        f"use one of {', '.join(ENGINES)}."),), ()
    if not problems:
        problems = _empty_output(engine, out_dir)
    return problems, logs


def _empty_output(engine: str, out_dir: Path) -> tuple[Problem, ...]:
    # Zensical 0.0.x exits 0 with only 404.html when build/docs is empty; a site without its
    # home page must never replace the published one.
    if not (out_dir / "index.html").is_file():
        return (Problem(SourceRef("mkdocs.yml"), "", f"{engine} exited without error but built "
                        "no index.html; check docs_dir and that `python -m generator render` "
                        "wrote build/docs."),)
    return ()


@contextmanager
def _epoch(as_of: datetime | None) -> Iterator[None]:
    # Engines date sitemap `lastmod` and gzip headers with the day they run unless
    # SOURCE_DATE_EPOCH is set; the site shows the moment --as-of, so that moment dates it too:
    # the same records and --as-of give the same bytes on any day.
    saved = os.environ.get(SOURCE_DATE_EPOCH)
    if as_of is not None:
        os.environ[SOURCE_DATE_EPOCH] = str(int(as_of.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(SOURCE_DATE_EPOCH, None)
        else:
            os.environ[SOURCE_DATE_EPOCH] = saved


def mkdocs_build(root: Path, site_dir: Path, as_of: datetime | None = None
                 ) -> tuple[tuple[Problem, ...], tuple[str, ...]]:
    """Run MkDocs (strict) on the already-synced docs folder; return problems and log lines."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build as mk_build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    problems: list[Problem] = []
    with _epoch(as_of), _captured("mkdocs") as cap:
        try:
            config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir),
                                 strict=True)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mk_build(config)
            finally:
                config.plugins.on_shutdown()
        except (exceptions.MkDocsException, exceptions.Abort) as exc:
            problems.append(Problem(SourceRef("mkdocs.yml"), "", f"MkDocs failed: {exc}"))
    logs = tuple(r.getMessage() for r in cap.records)
    for r in cap.records:
        if r.levelno >= logging.WARNING:
            problems.append(Problem(SourceRef("mkdocs.yml"), "", f"MkDocs: {r.getMessage()}"))
    return tuple(problems), logs


def zensical_config(root: Path, config_dir: Path, site_dir: Path) -> dict[str, object]:
    """mkdocs.yml re-rooted at config_dir. Zensical 0.0.73 has no --site-dir, requires site_dir
    inside the config file's folder, and panics on absolute paths, so every path is relative."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}

    def rel(path: Path) -> str:
        return os.path.relpath(path.resolve(), config_dir.resolve())

    config["site_dir"] = rel(site_dir)
    config["docs_dir"] = rel(root / config.get("docs_dir", "docs"))
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = rel(root / theme["custom_dir"])
    config.pop("watch", None)  # `serve` only; the paths would point nowhere from config_dir
    extra = config.get("extra")
    config["extra"] = {**(extra if isinstance(extra, dict) else {}), "portal_engine": "zensical"}
    return config


def zensical_build(root: Path, out_dir: Path, as_of: datetime | None = None
                   ) -> tuple[tuple[Problem, ...], tuple[str, ...]]:
    """Run Zensical as a subprocess on a copy of mkdocs.yml, then move its output to out_dir."""
    config_path = root / "build" / "zensical.yml"
    staging = root / "build" / "zensical-site"
    shutil.rmtree(staging, ignore_errors=True)
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text(yaml.safe_dump(zensical_config(root, config_path.parent, staging),
                                          sort_keys=False),
                           encoding="utf-8")
    env = dict(os.environ)
    if as_of is not None:
        env[SOURCE_DATE_EPOCH] = str(int(as_of.timestamp()))
    try:
        done = subprocess.run([sys.executable, "-m", "zensical", "build", "--clean",
                               "--config-file", config_path.name], cwd=config_path.parent, env=env,
                              capture_output=True, text=True, check=False)
    except OSError as exc:
        return (Problem(SourceRef("mkdocs.yml"), "", f"Zensical could not run: {exc}"),), ()
    logs = tuple(line for line in (done.stdout + done.stderr).splitlines() if line.strip())
    if done.returncode != 0:
        tail = logs[-1] if logs else "no output"
        return (Problem(SourceRef("mkdocs.yml"), "", f"Zensical failed (exit "
                        f"{done.returncode}): {tail}; is zensical installed "
                        "(`pip install zensical`)?"),), logs
    if staging.is_dir():
        shutil.rmtree(out_dir, ignore_errors=True)
        shutil.move(str(staging), str(out_dir))
    return (), logs

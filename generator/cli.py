# This module is the only one that talks to the user: it parses arguments, runs the pipeline,
# prints problems compiler-style (`path:line: field: message`, clickable in editors and CI logs)
# and turns the outcome into an exit status. Library code never prints or exits.
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NoReturn, TextIO

from generator import __version__
from generator.cache import restore_records
from generator.callin import dates_as_json, describe_rule, long_date, working_lines
from generator.engines import ENGINES
from generator.pipeline import Prepared, check, prepare
from generator.problems import Problem, Severity, errors, warnings
from generator.render import when
from generator.starter import refusal, starter_files, write_starter
from generator.write import build_site, engine_sources, sync_docs, sync_theme

AS_OF_ENV = "DECISION_SITE_AS_OF"


def _as_of(text: str | None) -> datetime:
    """The moment call-in status is computed for: --as-of, $DECISION_SITE_AS_OF, or now."""
    text = text or os.environ.get(AS_OF_ENV)
    if not text:
        return datetime.now(UTC).replace(microsecond=0)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"--as-of needs a time zone, e.g. {text}+00:00")
    return moment


def _as_of_arg(text: str) -> str:
    try:
        _as_of(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 time with offset such as 2025-12-05T10:00:00+00:00 ({exc})"
        ) from None
    return text


def _report(problems: Sequence[Problem], out: TextIO, fmt: str) -> None:
    for p in problems:
        if fmt == "github":
            kind = "error" if p.severity is Severity.ERROR else "warning"
            line = f",line={p.where.line}" if p.where.line else ""
            message = (f"{p.field}: {p.message}" if p.field else p.message).replace("\n", "%0A")
            print(f"::{kind} file={p.where.path}{line}::{message}", file=out)
        else:
            print(p, file=out)
    n_err, n_warn = len(errors(problems)), len(warnings(problems))
    if n_err or n_warn:
        print(f"{n_err} error(s), {n_warn} warning(s).", file=out)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build a council's decisions portal from YAML records.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="project folder holding decisions/, site-data/ and mkdocs.yml "
                             "(default: the current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--as-of", type=_as_of_arg, metavar="TIME",
                       help="the moment call-in status is computed for, ISO 8601 with offset "
                            f"(default: ${AS_OF_ENV} or now)")
        p.add_argument("--format", choices=("text", "github"), default="text",
                       help="how problems are printed (github: workflow annotations)")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")

    p = sub.add_parser("check", help="validate every record and setting; build nothing")
    common(p)
    p = sub.add_parser("render", help="write what the site engine builds (Markdown pages "
                           "and the page shells) into build/docs only")
    common(p)
    p = sub.add_parser("build", help="build the site into site/, replacing it only on success")
    common(p)
    p.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site/)")
    p.add_argument("--no-cache", action="store_true",
                   help="make every file afresh, ignoring and not writing build/cache/")
    p.add_argument("--engine", choices=ENGINES, default="mkdocs",
                   help="site engine that builds the theme's pages (default: mkdocs)")
    p = sub.add_parser("serve", help="build into site/, serve it, and rebuild when inputs change")
    common(p)
    p.add_argument("--addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="where to serve (default: 127.0.0.1:8000)")
    p = sub.add_parser("call-in-dates", help="show the call-in deadline for a publication date")
    p.add_argument("--published", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("new", help="write a starter content repository for a council into FOLDER")
    p.add_argument("folder", type=Path, help="a new or empty folder")
    p = sub.add_parser("import", help="turn saved council decision pages into records")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--out", type=Path, default=Path("decisions"),
                   help="folder to write records into (default: decisions/)")
    return parser


def run() -> NoReturn:
    """`python -m generator` and `decision-site`: main, then exit."""
    leave(main())


def leave(status: int) -> NoReturn:
    """Exit with `status` once main has returned (the benchmark's child leaves the same way).
    A build of 20,000 decisions holds about a gigabyte of small objects, and the interpreter's
    teardown freed them one by one: 2 s of a 12 s build (benchmarks/NOTES.md). By then every
    file is written and closed and every worker pool joined, and the generator registers no
    exit handler; so, as mypy does (mypy.util.hard_exit), flush the streams and leave without
    the teardown."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return int(exc.code or 0)
    root: Path = args.root.resolve()
    _collect_less_often()
    if args.command == "call-in-dates":
        return _call_in_dates(root, args.published, args.json, out, err)
    if args.command == "import":
        return _import(args.files, args.out, out, err)
    if args.command == "new":
        return _new(args.folder, out, err)

    as_of = _as_of(args.as_of)
    if args.command == "check":
        project, problems = check(root, as_of)
        _report(problems, err, args.format)
        failed = bool(errors(problems)) or (args.strict and bool(problems)) or project is None
        if not failed:
            n = len(project.decisions) if project else 0
            print(f"{n} records checked: no errors.", file=out)
        return 1 if failed else 0

    if args.command == "serve":
        return _serve(root, as_of, args.addr, args.format, out, err)
    use_cache = args.command == "build" and not args.no_cache
    if use_cache:
        restore_records(root)
    prepared = prepare(root, as_of, remember=use_cache)
    _report(prepared.problems, err, args.format)
    if not prepared.ok or (args.strict and prepared.problems):
        print("Nothing was written.", file=err)
        return 1
    if args.command == "render":
        sources, _, problems = engine_sources(prepared)
        if problems:
            _report(problems, err, args.format)
            print("Nothing was written.", file=err)
            return 1
        changed = sync_docs(root / "build" / "docs", sources) + sync_theme(root)
        print(f"Wrote build/docs: {len(sources)} files, {changed} changed.", file=out)
        return 0
    site_dir = (args.site_dir or root / "site").resolve()
    n = len(prepared.plan.entries) if prepared.plan else 0
    built = build_site(prepared, site_dir, engine=args.engine, use_cache=use_cache)
    if built.problems:
        _report(built.problems, err, args.format)
        print(f"Build failed; {site_dir.name}/ was left as it was.", file=err)
        return 1
    reused = f" ({built.reused} unchanged files kept from the last build)" if built.reused else ""
    print(f"Built {n} decisions into {site_dir.name}/ as of {as_of.isoformat()}{reused}.",
          file=out)
    return 0


# Python's cycle collector runs after every 700 new container objects by default and then walks
# every object that survived earlier runs. A build holds a few hundred thousand (20,000
# records, their redactions, plans and the records cache) and makes millions more, almost none
# in cycles, so half the time of reading the records cache back went on collections that freed
# nothing (benchmarks/NOTES.md). Collecting 100 times less often keeps cycles from growing
# unbounded but stops the rescans.
GC_THRESHOLDS = (100_000, 50, 1_000)


def _collect_less_often() -> None:
    gc.set_threshold(*GC_THRESHOLDS)


def _serve(root: Path, as_of: datetime, addr: str, fmt: str, out: TextIO, err: TextIO) -> int:
    import time

    from generator.preview import plan_preview
    from generator.serve import serve
    from generator.write import show_preview, undo_preview

    host, _, port = addr.rpartition(":")
    if not host or not port.isdigit():
        print(f"--addr {addr}: give HOST:PORT, for example 127.0.0.1:8000.", file=err)
        return 2
    site_dir = root / "site"
    restore_records(root)
    last: list[Prepared] = []  # the last good build's, which a preview starts from

    def rebuild(changed: frozenset[Path], show: Callable[[], None]) -> bool:
        start = time.perf_counter()
        shown = None
        if last and changed:
            preview = plan_preview(last[0], changed)
            shown = show_preview(last[0], preview, site_dir) if preview else None
            if shown is not None:
                show()
                pages = ", ".join(name.removesuffix("index.html") for name, _ in shown.files)
                print(f"Showing {pages} in {time.perf_counter() - start:.1f} s; building "
                      "the rest of the site.", file=out, flush=True)
        prepared = prepare(root, as_of, remember=True)
        _report(prepared.problems, err, fmt)
        failed = not prepared.ok
        if prepared.ok:
            built = build_site(prepared, site_dir)
            failed = bool(built.problems)
            _report(built.problems, err, fmt)
        if failed:
            if shown is not None:
                undo_preview(site_dir, shown)
                show()
            # Inputs now differ from the last good build's in more than the next change, so
            # nothing is previewed until a build succeeds again.
            last.clear()
            print("Not rebuilt: fix the problems above; the last good site is still served.",
                  file=err, flush=True)
            return False
        last[:] = [prepared]
        print(f"Built in {time.perf_counter() - start:.1f} s ({built.made} files made, "
              f"{built.reused} kept) as of {as_of.isoformat()}.", file=out, flush=True)
        return True

    if not rebuild(frozenset(), lambda: None) and not site_dir.is_dir():
        return 1
    serve(root, site_dir, host, int(port), rebuild, lambda s: print(s, file=out, flush=True))
    return 0


def _call_in_dates(root: Path, published: date, as_json: bool, out: TextIO, err: TextIO) -> int:
    from generator.load import load_project

    loaded = load_project(root)
    if loaded.project is None:
        _report(errors(loaded.problems), err, "text")
        return 1
    from generator.callin import call_in_dates

    rule = loaded.project.authority.call_in
    dates = call_in_dates(published, rule)
    if as_json:
        print(json.dumps(dates_as_json(dates), indent=2), file=out)
        return 0
    print(f"Published:  {long_date(published)}", file=out)
    print(f"Deadline:   {when(dates.deadline)}", file=out)
    print(f"In force:   {long_date(dates.in_force)} (if not called in)", file=out)
    print(f"Rule:       {describe_rule(rule)}", file=out)
    print("Working:", file=out)
    for line in working_lines(dates):
        print(f"  {line}", file=out)
    return 0


def _import(files: Sequence[Path], out_dir: Path, out: TextIO, err: TextIO) -> int:
    from generator.importer import import_files

    missing = [f for f in files if not f.is_file()]
    for f in missing:
        print(f"{f}: no such file.", file=err)
    if missing:
        return 1
    outcomes = import_files(files, out_dir)
    cwd = Path.cwd()

    def shown(path: Path | None) -> str:
        if path is None:
            return "(nothing written)"
        try:
            return str(Path(path).resolve().relative_to(cwd))
        except ValueError:
            return str(path)

    for outcome in outcomes:
        print(f"{shown(Path(outcome.source))} -> {shown(outcome.written)}", file=out)
        for line in outcome.report:
            print(f"  {line}", file=out)
    written = sum(1 for o in outcomes if o.written is not None)
    attention = sum(1 for o in outcomes if o.report)
    print(f"{written} record(s) written; {attention} need attention (see `import_report` in "
          "each; `make check` lists what is still missing).", file=out)
    return 0 if all(o.ok for o in outcomes) else 1


def _new(folder: Path, out: TextIO, err: TextIO) -> int:
    reason = refusal(folder)
    if reason:
        print(reason, file=err)
        return 1
    files = starter_files()
    write_starter(folder, files)
    print(f"Wrote {len(files)} files into {folder}. Next: edit mkdocs.yml and site-data/, "
          f"then run `decision-site check` and `decision-site build` there.", file=out)
    return 0

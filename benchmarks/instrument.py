# This module is the benchmark's child process: it wraps the pipeline's and the write stage's
# functions with timers, runs the real `python -m generator build` in-process and writes the
# stage times as JSON. Timing the real build, rather than a copy of its steps, means a stage
# added to the pipeline is still counted (as "other") and the figures cannot drift from what
# CI runs. Run by run.py, which measures this process's wall time and peak memory from outside.
from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# (module, function, label). Labels with a colon are parts of the stage before the colon and
# are not added again into the total; every other label is a stage of its own. Functions are
# wrapped where their callers look them up.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("generator.cli", "restore_records", "build cache, records"),
    ("generator.pipeline", "load_project", "load"),
    ("generator.load", "parse_yaml", "load: YAML"),
    ("generator.load", "schema_valid", "load: schema"),
    ("generator.load", "schema_problems_for", "load: schema"),
    ("generator.load", "record_decision", "load: model"),
    ("generator.pipeline", "validate", "validate"),
    ("generator.pipeline", "redact", "redact"),
    ("generator.pipeline", "secrets_of", "redact"),
    ("generator.pipeline", "record_words", "leak guard, fragments"),
    ("generator.pipeline", "fragment_secrets", "leak guard, fragments"),
    ("generator.pipeline", "entries_for", "call-in"),
    ("generator.pipeline", "plan_site", "plan"),
    ("generator.write", "engine_sources", "engine pages"),
    ("generator.write", "sync_docs", "write docs"),
    ("generator.engines", "build", "engine"),
    ("generator.write", "parse_shell", "shells"),
    ("generator.write", "Scanner", "leak guard, matcher"),
    ("generator.write", "make_all", "pages, exports and guard"),
    ("generator.write", "sitemap_files", "sitemaps"),
    ("generator.write", "manifest_problems_of", "manifest"),
    ("generator.write", "_keyed", "build cache, keys"),
    ("generator.cache", "save_outputs", "build cache, saving"),
    ("generator.write", "_swap", "swap"),
)


def instrument(times: dict[str, float], calls: dict[str, int]) -> list[str]:
    """Wrap every stage function that exists; return the labels none of whose functions could
    be found (a label may name a function in either of two places, as the engine runner does
    while it moves from write.py to engines.py)."""
    found: set[str] = set()
    for module_name, attr, label in STAGES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        original = getattr(module, attr, None)
        if original is None:
            continue
        setattr(module, attr, _timed(original, label, times, calls))
        found.add(label)
    return sorted({label for _, _, label in STAGES} - found)


# For each stage running now, the time of the stages it called: a stage's own time leaves
# them out, so that the stages add up to the build (a build with the cache redacts each record
# inside the load stage, as it arrives: pipeline._Arrival). A part (a label with a colon) is
# timed whole and counts in its stage's time too.
_RUNNING: list[list[float]] = []


def _timed(fn: Callable[..., Any], label: str, times: dict[str, float],
           calls: dict[str, int]) -> Callable[..., Any]:
    part = ":" in label

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        if not part:
            _RUNNING.append([0.0])
        try:
            return fn(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            own = elapsed
            if not part:
                own -= _RUNNING.pop()[0]
                if _RUNNING:
                    _RUNNING[-1][0] += elapsed
            times[label] = times.get(label, 0.0) + own
            calls[label] = calls.get(label, 0) + 1

    return wrapper


def main() -> int:
    parser = argparse.ArgumentParser(description="One timed build (used by run.py).")
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--out", type=Path, required=True, help="JSON file for the timings")
    parser.add_argument("--regenerate", action="store_true",
                        help="after the build, run the generator again in this process (as "
                             "`mkdocs serve` does on every change) and time that too")
    args = parser.parse_args()
    times: dict[str, float] = {}
    calls: dict[str, int] = {}
    start = time.perf_counter()
    from generator import cli, pipeline

    missing = instrument(times, calls)
    imported = time.perf_counter() - start
    status = cli.main(["--root", str(args.root), "build", "--as-of", args.as_of])
    total = time.perf_counter() - start
    result: dict[str, Any] = {"status": status, "total": total, "imports": imported,
                              "stages": dict(times), "calls": dict(calls), "missing": missing}
    if args.regenerate:
        again = time.perf_counter()
        pipeline.generate(args.root.resolve(), cli._as_of(args.as_of))
        result["regenerate"] = time.perf_counter() - again
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return status


if __name__ == "__main__":
    from generator.cli import leave

    # As `python -m generator` leaves (cli.run), so that the wall time run.py measures from
    # outside is the command's, without the teardown it skips.
    leave(main())

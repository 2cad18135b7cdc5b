# This module is the input edge of the pipeline: it finds every record under `decisions/`,
# reads each once (remembering unchanged ones, for `serve` and the build cache), checks its id
# and its JSON Schema (schemacheck.py) and turns what passes into the model (records.py), with
# the settings from `site-data/` (settings.py). It collects every problem in every file before
# giving up, so an officer sees all of them in one run.
from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from generator.formats import DECISION_SCHEMA
from generator.messages import reading
from generator.model import Authority, Decision, Project
from generator.pickling import use_between_processes
from generator.problems import Problem, Severity, SourceRef
from generator.records import record_decision
from generator.schemacheck import schema_problems_for, schema_valid, validator_for
from generator.settings import load_authority
from generator.yamlsource import parse_yaml

RECORD_SUFFIXES = (".yaml", ".yml")
# Ids become URL paths and file names: refuse anything that could traverse, hide (leading dot)
# or collide on case-insensitive file systems, and the device names Windows reserves.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 64
RESERVED_IDS = frozenset(
    {"con", "prn", "aux", "nul", "index", "search", "assets"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)


@dataclass(frozen=True, slots=True)
class Loaded:
    project: Project | None
    problems: tuple[Problem, ...]


class Arrived(Protocol):
    """Told of each record parsed, with the settings and the digest of its bytes, as it
    arrives (from the worker processes, while they parse the rest)."""

    def early(self, authority: Authority, d: Decision) -> Any:
        """Work on the record done where it was parsed: in a worker process, where there are
        many records. What it gives is passed on to the call, in this process."""

    def __call__(self, authority: Authority, d: Decision, key: str, early: Any) -> None: ...


def load_project(root: Path, *, remember: bool = False, arrived: Arrived | None = None) -> Loaded:
    """Read settings and records under `root`; nothing is returned unless everything parsed.

    `remember` keeps each record's result for the next call (for `serve`, and the build cache
    in cache.py). `arrived` is told of each record parsed, as it arrives: the later stages'
    work on one record can then run in this process while the workers parse the rest
    (pipeline.check)."""
    problems: list[Problem] = []
    authority = load_authority(root, problems)
    told = early = None
    if arrived is not None and authority is not None:
        told, early = partial(arrived, authority), partial(arrived.early, authority)
    decisions: list[Decision] = []
    record_dir = root / "decisions"
    schema_path = DECISION_SCHEMA
    try:
        schema_digest = _digest(schema_path.read_bytes())
    except OSError:
        schema_digest = b""
    paths = [f"decisions/{name}" for name in _record_files(record_dir)]
    for decision, found in _load_records(root, paths, schema_digest, remember, told, early):
        problems.extend(found)
        if decision is not None:
            decisions.append(decision)
    if remember:  # a deleted or renamed record is forgotten
        seen = set(paths)
        for gone in [k for k in _RECORD_CACHE if k not in seen]:
            del _RECORD_CACHE[gone]
    if authority is None or any(p.severity is Severity.ERROR for p in problems):
        return Loaded(None, tuple(problems))
    decisions.sort(key=lambda d: d.id)
    return Loaded(Project(str(root), authority, tuple(decisions)), tuple(problems))


def files_under(base: Path) -> list[str]:
    """Every file under `base`, as a POSIX path relative to it, in the order of their parts;
    like `Path.rglob("*")` with `is_file()`, a symlinked folder is not entered. Plain strings
    and the folder listing's own file types: at 20,000 records, pathlib's objects and a stat
    of each file were half a second of every build."""
    found: list[str] = []
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(os.path.join(base, folder)) as listing:
                entries = list(listing)
        except OSError:
            continue  # as rglob: a folder that cannot be listed is passed over
        for entry in entries:
            name = f"{folder}/{entry.name}" if folder else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(name)
                elif entry.is_file():
                    found.append(name)
            except OSError:
                continue
    found.sort(key=lambda name: name.split("/"))
    return found


def _record_files(record_dir: Path) -> list[str]:
    """The record files under decisions/, relative to it."""
    return [name for name in files_under(record_dir)
            if os.path.splitext(name)[1].lower() in RECORD_SUFFIXES]


def load_record_bytes(raw: bytes, path: str, schema_path: Path) -> tuple[Decision | None, tuple[Problem, ...]]:
    """Load one record from bytes (the fuzzing and property-test entry point)."""
    problems: list[Problem] = []
    decision = _record_from_bytes(raw, path, Path(path).stem, schema_path, problems)
    return decision, tuple(problems)


# `serve` runs the whole pipeline again on every change (and the build cache keeps this between
# runs, cache.py), and parsing and schema-checking
# every record is most of the load stage. A record's model and problems depend only on its
# bytes, its path and the schema, so they are remembered under exactly those (the bytes by
# digest, because file times can be too coarse to see two quick edits): an unchanged record is
# not parsed again, and any change to it or to the schema is. One entry per record path.
_RECORD_CACHE: dict[str, tuple[tuple[str, bytes, bytes], Decision | None, tuple[Problem, ...]]] = {}


def remember_records(records: Mapping[str, Any]) -> None:
    """Records from the build cache (cache.py), checked against each file as it is read."""
    _RECORD_CACHE.update(records)


def remembered_records() -> dict[str, Any]:
    return dict(_RECORD_CACHE)


def record_digests() -> dict[str, str]:
    """Each remembered record's path and the digest of its bytes."""
    return {shown: key[1].hex() for shown, (key, _, _) in _RECORD_CACHE.items()}


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=20).digest()


Made = tuple[Decision | None, tuple[Problem, ...]]
# Parsing YAML is most of a full build's load stage (10 s of 13 s at 5,000 records): with this
# many records to parse, they are shared among forked worker processes, one per core.
PARALLEL_MIN = 500
_CHUNK = 50


def _load_records(root: Path, paths: list[str], schema_digest: bytes, remember: bool,
                  arrived: Callable[[Decision, str, Any], None] | None = None,
                  early: Callable[[Decision], Any] | None = None) -> list[Made]:
    """Each record's model (None if it cannot be used) and problems, in the order of `paths`
    (relative to `root`, as users see them); a remembered record whose bytes are unchanged is
    not parsed again."""
    made: list[Made | None] = []
    pending: list[tuple[int, tuple[str, str, bytes], tuple[str, bytes, bytes]]] = []
    base = os.fspath(root)
    for shown in paths:
        try:
            with open(os.path.join(base, shown), "rb") as f:
                raw = f.read()
        except OSError as exc:
            made.append((None, (reading.unreadable_file(SourceRef(shown), str(exc.strerror)),)))
            continue
        stem = shown.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        key = (stem, _digest(raw), schema_digest)
        cached = _RECORD_CACHE.get(shown) if remember else None
        if cached is not None and cached[0] == key:
            made.append((cached[1], cached[2]))
            continue
        pending.append((len(made), (shown, stem, raw), key))
        made.append(None)
    global _EARLY
    _EARLY = early
    try:
        for (i, (shown, _, _), key), (decision, found, done) in zip(
                pending, _parse_all([p[1] for p in pending]), strict=True):
            made[i] = (decision, found)
            if remember:
                _RECORD_CACHE[shown] = (key, decision, found)
            if arrived is not None and decision is not None:
                arrived(decision, key[1].hex(), done)
    finally:
        _EARLY = None
    return [m for m in made if m is not None]


# Load.Arrived.early for the records being parsed: the worker processes inherit it when forked.
_EARLY: Callable[[Decision], Any] | None = None


def _parse_all(items: list[tuple[str, str, bytes]]) -> Iterator[tuple[Decision | None,
                                                                     tuple[Problem, ...], Any]]:
    """Each item parsed, in order; in worker processes when there are many, each given back
    as soon as its chunk is done."""
    if len(items) < PARALLEL_MIN or (os.cpu_count() or 1) < 2 \
            or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_parse(item) for item in items)
        return
    # Each record comes back pickled: as a call of each of its classes (pickling.py).
    use_between_processes()
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        yield from pool.imap(_parse, items, chunksize=_CHUNK)


def parse_record(shown: str, raw: bytes) -> Made:
    """One record file's model (None if it cannot be used) and its own problems."""
    decision, found, _ = _parse((shown, shown.rsplit("/", 1)[-1].rsplit(".", 1)[0], raw))
    return decision, found


def _parse(item: tuple[str, str, bytes]) -> tuple[Decision | None, tuple[Problem, ...], Any]:
    shown, stem, raw = item
    found: list[Problem] = []
    decision = _record_from_bytes(raw, shown, stem, DECISION_SCHEMA, found)
    early = _EARLY
    return (decision, tuple(found),
            None if early is None or decision is None else early(decision))


def _record_from_bytes(
    raw: bytes, shown: str, stem: str, schema_path: Path, problems: list[Problem]
) -> Decision | None:
    id_problem = _check_id(SourceRef(shown), stem)
    if id_problem:
        problems.append(id_problem)
    parsed = parse_yaml(raw, shown)
    problems.extend(parsed.problems)
    if parsed.data is None:
        return None
    schema_problems = [] if schema_valid(parsed.data, schema_path) else schema_problems_for(
        parsed.data, shown, validator_for(str(schema_path)))
    problems.extend(schema_problems)
    if schema_problems or id_problem:
        return None
    return record_decision(stem, shown, parsed.data, parsed.fields)


def _check_id(where: SourceRef, stem: str) -> Problem | None:
    if stem.lower() in RESERVED_IDS:
        return reading.reserved_id(where, stem)
    if len(stem) > ID_MAX or not ID_PATTERN.match(stem):
        suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:ID_MAX] or "decision"
        return reading.bad_id(where, stem, suggestion, ID_MAX)
    return None

# This module is the build cache (build/cache/): what lets a build after a one-record change
# remake only the pages that change. Two parts:
#
# - Records: each record's model and problems, under the digest of its bytes, its name and the
#   schema (load.py keeps them in memory; here they are kept between runs). The file is a
#   pickle read with an allowlist of classes (the Python documentation's "restricting
#   globals"), so a tampered cache can hold only data, never code to run.
# - Outputs: for each page and data file, the digest of everything it is made from (the code,
#   templates and theme, the settings, mkdocs.yml, the moment shown, the engine's shells, the
#   leak guard's secrets, and the decisions it shows) and the size and modification time of
#   the file the last build wrote. A file whose inputs are unchanged is kept in the site
#   instead of being made again, and only if the previous file is still the one that build
#   wrote (same size and time, as git's index checks), so a changed or missing file is made
#   afresh. Keying on the guard's secrets means a file is kept only if the same guard passed
#   it; the page manifest still checks every file of the new site on every build.
# - The guard's windows (windows.json): a large export is scanned in slices cut by content
#   (guard.content_cuts), and each slice that a build with the same secrets and code found
#   clean, from the same text carried into it, is not read again; the windows around a
#   changed record are. The cache is the build's own, under build/, like the rest.
from __future__ import annotations

import copyreg
import gc
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import pickle
import platform
from collections.abc import Callable, Iterable, Mapping, Sequence, Set as AbstractSet
from dataclasses import dataclass, field, is_dataclass
from functools import cache, lru_cache, partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from generator import guard, load, pipeline, validate
from generator.digests import digest
from generator.pickling import DATA_MODULES, field_names, reducers
from generator.redact import Secret
from generator.site import Entry

CACHE_DIR = Path("build") / "cache"
RECORDS = "records"
OUTPUTS = "outputs.json"
WINDOWS = "windows.json"
FORMAT = 1
PACKAGE = Path(__file__).parent


def tree_digest(*bases: Path) -> str:
    """Every file under `bases` (names and bytes), in a fixed order."""
    parts: list[bytes | str] = []
    for base in bases:
        if base.is_file():
            parts += [base.name, base.read_bytes()]
            continue
        if not base.is_dir():
            parts.append(f"missing {base.name}")
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(base).as_posix()
            if "__pycache__" in rel:
                continue
            parts += [rel, path.read_bytes()]
    return digest(*parts)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The generator itself: its code, templates, theme and schemas; and what it runs on, the
    Python and every installed package with its version. A page is made by Jinja, Markdown,
    nh3 and the rest as much as by this code, and a deadline by the holidays package's bank
    holidays: after an upgrade, every page is made again rather than kept from the old one."""
    installed = sorted(f"{d.name} {d.version}" for d in importlib.metadata.distributions())
    return digest(str(FORMAT), tree_digest(PACKAGE), platform.python_version(), *installed)


# ---------------------------------------------------------------------------------------------
# Records


_ALLOWED_BUILTINS = frozenset({"set", "frozenset", "tuple", "list", "dict", "bytes", "str",
                               "int", "float", "bool", "complex"})


class _DataOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        if module in DATA_MODULES and not name.startswith("_"):
            return super().find_class(module, name)
        if module == "zoneinfo" and name == "_unpickle":  # how ZoneInfo pickles itself
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"the build cache names {module}.{name}, which is not data")


def restore_records(root: Path) -> int:
    """Put the cached records back into load.py's memory; how many there were. A cache from
    other code, or one that cannot be read, is ignored (the records are simply read again)."""
    # Unpickling makes a million objects and frees none: the cycle collector's passes over
    # them were half of the time, read in isolation (benchmarks/NOTES.md).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _restore_records(root)
    finally:
        # Left young, they would all be walked by the next collection of the youngest
        # generation (0.9 s at 20,000 decisions). Frozen, no collection walks them; they are
        # still freed when no longer referred to, and records hold no cycles.
        gc.freeze()
        if collecting:
            gc.enable()


def _restore_records(root: Path) -> int:
    folder = root / CACHE_DIR / RECORDS
    stored: dict[str, dict[str, Any]] = {"records": {}, "checked": {}, "redacted": {}}
    forms: dict[str, Any] = {}
    signatures: dict[str, str] = {}
    try:
        for name in (FORMS_FILE, *(_part_name(i) for i in range(PARTS))):
            read = _read_part(folder / name)
            if read is None:
                return 0
            part, signatures[name] = read
            if name == FORMS_FILE:
                if not isinstance(part.get("forms"), dict):
                    return 0
                forms = part["forms"]
                continue
            for table, rows in stored.items():
                if not isinstance(part.get(table), dict):
                    return 0
                rows.update(part[table])
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            IndexError, KeyError, TypeError, ValueError):
        return 0
    global _RESTORED
    _RESTORED = signatures
    load.remember_records(stored["records"])
    validate.MEMO.update(stored["checked"])
    pipeline.REDACTED.update(stored["redacted"])
    guard.FORMS.update(forms)
    return len(stored["records"])


def _read_part(path: Path) -> tuple[dict[str, Any], str] | None:
    """A part and the signature it was written with (save_records)."""
    with path.open("rb") as f:
        # The code's digest is the first line, so a cache from other code is left unread
        # (unpickling 5,000 records takes two seconds). The second is the part's signature,
        # kept rather than worked out again from 300 records (0.4 s of a build at 20,000).
        if f.readline().rstrip(b"\n") != code_digest().encode():
            return None
        signature = f.readline().rstrip(b"\n").decode("ascii", "replace")
        part = _DataOnly(f).load()
    return (part, signature) if isinstance(part, dict) else None


def save_records(root: Path, secrets: Iterable[Secret] = ()) -> None:
    """Keep the records, their problems and redaction, and the leak guard's forms of
    `secrets` (the build's), for the next build."""
    _RESTORED.update(_save_records(root, secrets))


def start_saving_records(root: Path, secrets: Sequence[Secret]) -> Callable[[], None]:
    """`save_records` in a forked child, started now; the function returned waits for it.

    Started once the records are checked and redacted, the child pickles them while this
    process renders the engine's pages and builds the guard, one process at a time, with the
    second core otherwise idle (4.6 s of the main process's work at 20,000 decisions, which
    had run beside the render workers, three processes on two cores). It sees the records
    as they are at the fork, which is all they will be this build. Where fork is
    unavailable, the returned function saves them in this process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return cache(partial(save_records, root, secrets))  # saved once, however often called
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_save_in_child, args=(root, secrets, send), daemon=True)
    child.start()
    send.close()  # only the child writes: its end closing is how a crash is seen

    outcome: list[tuple[str, Any]] = []

    def wait() -> None:
        if not outcome:  # the first call waits; any later one gives the same answer
            try:
                outcome.append(receive.recv())
            except EOFError:
                outcome.append(("failed", "the child saving it stopped"))
            finally:
                receive.close()
                child.join()
            if outcome[0][0] == "saved":
                _RESTORED.update(outcome[0][1])
        if outcome[0][0] != "saved":
            raise RuntimeError(f"the build cache's records could not be saved: {outcome[0][1]}")

    return wait


def _save_in_child(root: Path, secrets: Sequence[Secret], send: Connection) -> None:
    try:
        saved = _save_records(root, secrets)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        # The type and, for a file error, its message and file: never the objects' repr,
        # which for a record could quote exempt text.
        detail = f"{type(exc).__name__}: {exc.strerror} ({exc.filename})" \
            if isinstance(exc, OSError) else type(exc).__name__
        send.send(("failed", detail))
    else:
        send.send(("saved", saved))
    finally:
        send.close()


def _save_records(root: Path, secrets: Iterable[Secret]) -> dict[str, str]:
    """Write the records cache's files whose content changed; each file's signature."""
    records = load.remembered_records()
    # Only what belongs to the records and secrets there are now: a deleted record's go.
    tables = {"records": records,
              "checked": {k: v for k, v in validate.MEMO.items() if k in records},
              "redacted": {k: v for k, v in pipeline.REDACTED.items() if k in records}}
    parts: list[dict[str, dict[str, Any]]] = [{t: {} for t in tables} for _ in range(PARTS)]
    for table, rows in tables.items():
        for path, row in rows.items():
            parts[_part_of(path)][table][path] = row
    # Every secret's forms: the guard built for this build works out the same (a child saving
    # this may start before the guard is built, and work them out for itself).
    forms = {s.text: guard.secret_forms(s.text) for s in secrets}
    folder = root / CACHE_DIR / RECORDS
    folder.mkdir(parents=True, exist_ok=True)
    (root / CACHE_DIR / "records.pickle").unlink(missing_ok=True)  # the cache's earlier form
    # Records are spread over a fixed number of files by a hash of their path, and a file is
    # written only when what it holds changed: after one record's edit, one file of 64, not
    # all 20,000 records again (6 s). Each is a pickle of its own (one pickler over 20,000
    # records remembers every object it has written: most of a gigabyte of peak memory).
    wanted = {FORMS_FILE: ({"forms": forms}, _forms_signature(forms))}
    wanted.update((_part_name(i), (part, _part_signature(part))) for i, part in enumerate(parts))
    dispatch = {**copyreg.dispatch_table, **reducers()}
    saved = {}
    for name, (content, signature) in wanted.items():
        target = folder / name
        saved[name] = signature
        if _RESTORED.get(name) == signature and target.is_file():
            continue
        tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            f.write(code_digest().encode() + b"\n" + signature.encode() + b"\n")
            pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = dispatch
            pickler.dump(content)
        os.replace(tmp, target)
    return saved


# Files of the records cache: the guard's forms, and PARTS files of records.
PARTS = 64
FORMS_FILE = "forms.pickle"

# What restore_records read, or save_records last wrote, in brief, by file: each entry's
# name and the key it was made from (a record's bytes, its validation and redaction context,
# a secret).
_RESTORED: dict[str, str] = {}


def _part_name(i: int) -> str:
    return f"part-{i:02d}.pickle"


def _part_of(path: str) -> int:
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=4).digest(), "big") % PARTS


def _part_signature(part: Mapping[str, Any]) -> str:
    rows: list[str] = [code_digest()]
    for name in ("records", "checked", "redacted"):
        rows.append(name)
        for path, row in sorted(part[name].items()):
            key = row[0] if isinstance(row, tuple) and row else None
            rows.append(f"{path} {key!r} {row[1] if name != 'records' else ''!r}")
    return digest(*rows)


def _forms_signature(forms: Mapping[str, Any]) -> str:
    return digest(code_digest(), *sorted(digest(text) for text in forms))


# ---------------------------------------------------------------------------------------------
# Outputs


class Fingerprints:
    """Digests of the values pages are made from. A decision's is its record's bytes and the
    moment its call-in status is as of, if any (its public version and call-in view are
    functions of the record, the settings and the installed packages, which are in the
    build's key, and of that moment). Every list and object is digested once however many
    pages show it (a browse page's groups hold thousands of decisions): the digest is
    remembered by the object's identity, and the object is held so that the identity cannot
    be reused."""

    def __init__(self, record_digest: Mapping[str, str]) -> None:
        self._record = record_digest
        self._memo: dict[int, tuple[Any, str]] = {}

    def entry(self, e: Entry) -> str:
        found = self._memo.get(id(e))
        if found is None:
            record = self._record.get(e.d.path)
            if record is None:  # not remembered (the tests' generate()): its whole public form
                record = "?" + repr(e.public)
                found = (e, digest(e.d.path, record, repr(e.callin)))
            else:
                # The call-in view is made from the public record, the settings and the
                # holidays package (all in the build's key), and the moment, which its status
                # holds while a later moment could change it (callin.status._final).
                found = (e, digest(e.d.path, record, repr(e.callin.status.as_of)))
            self._memo[id(e)] = found
        return found[1]

    def of(self, value: Any) -> str:
        if isinstance(value, Entry):
            return self.entry(value)
        if isinstance(value, (str, int, float, bool, type(None))):
            # Not hashed on its own: the digest of what holds it length-prefixes each part.
            return f"{type(value).__name__} {value!r}"
        found = self._memo.get(id(value))
        if found is not None:
            return found[1]
        parts: list[str] = [type(value).__qualname__]
        if isinstance(value, Mapping):
            for k in sorted(value, key=str):
                parts += [repr(k), self.of(value[k])]
        elif isinstance(value, (list, tuple)):
            parts += [self.of(item) for item in value]
        elif is_dataclass(value) and not isinstance(value, type):
            for name in field_names(type(value)):
                parts += [name, self.of(getattr(value, name))]
        else:
            # Dates, enums, Markup: their repr is their value. One without a stable repr (an
            # object's address) gives a new key each run: still correct, only not reused.
            parts.append(repr(value))
        result = digest(*parts)
        self._memo[id(value)] = (value, result)
        return result


def guard_digest(secrets: Sequence[Secret]) -> str:
    """The guard's secrets, hashed (a Secret's repr withholds its text, so it cannot be used)."""
    return digest(*sorted(digest(s.record_id, s.field, s.text) for s in secrets))


Stamp = tuple[int, int]  # (size, modification time in ns) of the file the last build wrote


def stamp(path: str | Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def stamps(site_dir: Path, keys: Mapping[str, str], kept: AbstractSet[str],
           previous: Mapping[str, Any]) -> dict[str, tuple[str, int, int]]:
    """Each file's key and stamp, for the next build. A kept file's stamp is the one this
    build checked it still had (`reusable`, `same_file`), so it is not looked up again (38,000
    files after a one-record edit at 20,000 decisions); a file that changed since is then
    simply made again by the next build."""
    files: dict[str, tuple[str, int, int]] = {}
    for name, key in keys.items():
        row = previous.get(name) if name in kept else None
        if isinstance(row, list) and len(row) == 3:
            files[name] = (key, row[1], row[2])
        elif (st := stamp(os.path.join(site_dir, name))) is not None:
            files[name] = (key, *st)
    return files


def load_outputs(root: Path) -> dict[str, Any]:
    """{"files": {site path: [key, size, mtime_ns]}, "tasks": {name: [key, [paths]]},
    "engine": EngineRun as JSON, "guard": guard_digest of the build's secrets}."""
    try:
        data = json.loads((root / CACHE_DIR / OUTPUTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": {}, "tasks": {}}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {"files": {}, "tasks": {}}
    files = data.get("files") if isinstance(data.get("files"), dict) else {}
    tasks = data.get("tasks") if isinstance(data.get("tasks"), dict) else {}
    return {"files": files, "tasks": tasks, "engine": data.get("engine"),
            "guard": data.get("guard")}


def save_outputs(root: Path, files: Mapping[str, tuple[str, int, int]],
                 tasks: Mapping[str, tuple[str, Sequence[str]]],
                 engine: EngineRun | None = None, guard_key: str = "") -> None:
    data = {"format": FORMAT, "files": {k: list(v) for k, v in sorted(files.items())},
            "tasks": {k: [v[0], list(v[1])] for k, v in sorted(tasks.items())},
            "engine": engine.as_json() if engine else None, "guard": guard_key}
    _write(root / CACHE_DIR / OUTPUTS, json.dumps(data, separators=(",", ":")).encode())


def load_windows(root: Path, guard_key: str) -> dict[str, dict[str, str]]:
    """By file, the clean windows of large files (guard.Windows) the last build kept, if its
    secrets and code were these; else none."""
    try:
        data = json.loads((root / CACHE_DIR / WINDOWS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not (isinstance(data, dict) and data.get("code") == code_digest()
            and data.get("guard") == guard_key and isinstance(data.get("windows"), dict)):
        return {}
    return {name: {k: v for k, v in entries.items() if isinstance(v, str)}
            for name, entries in data["windows"].items() if isinstance(entries, dict)}


def save_windows(root: Path, guard_key: str, windows: Mapping[str, Mapping[str, str]]) -> None:
    # Only the windows of the files this build published: a remade file's old windows go.
    data = {"code": code_digest(), "guard": guard_key,
            "windows": {name: dict(sorted(w.items())) for name, w in sorted(windows.items())}}
    _write(root / CACHE_DIR / WINDOWS, json.dumps(data, separators=(",", ":")).encode())


@dataclass(frozen=True, slots=True)
class EngineRun:
    """What the engine made (its pages and the theme's files, by site path), the lines it
    logged, its shell pages' HTML by folder depth, its HTML of the pages with slots (before
    they were filled, by site path), and the key of what it made them from."""

    key: str
    files: tuple[str, ...]
    logs: tuple[str, ...]
    shells: dict[int, str]
    slotted: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "files": list(self.files), "logs": list(self.logs),
                "shells": {str(d): h for d, h in sorted(self.shells.items())},
                "slotted": dict(sorted(self.slotted.items()))}

    @staticmethod
    def of(value: Any) -> EngineRun | None:
        """An EngineRun read back from outputs.json, or None for anything else."""
        if not isinstance(value, dict):
            return None
        key, files, logs, shells, slotted = (
            value.get(k) for k in ("key", "files", "logs", "shells", "slotted"))
        if not (isinstance(key, str) and isinstance(files, list) and isinstance(logs, list)
                and isinstance(shells, dict) and isinstance(slotted, dict)):
            return None
        try:
            return EngineRun(key, tuple(map(str, files)), tuple(map(str, logs)),
                             {int(d): str(h) for d, h in shells.items()},
                             {str(n): str(h) for n, h in slotted.items()})
        except ValueError:
            return None


_ENGINE_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "zensical")


def engine_key(root: Path, engine: str, guard: str) -> str:
    """Everything the engine's output is made from: its pages and theme as the generator laid
    them out in build/, mkdocs.yml, the engine and the installed versions of it and its theme;
    and the guard's secrets (`guard`, their guard_digest), since a reused output is not scanned
    again. Not the moment (SOURCE_DATE_EPOCH): both engines date only their sitemaps by it,
    and the build replaces those (write.sitemap_files); a page that shows the moment has it in
    a slot."""
    versions = []
    for name in _ENGINE_PACKAGES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} none")
    return digest(code_digest(), engine, *versions, tree_digest(root / "build" / "docs"),
                  tree_digest(root / "build" / "overrides"), tree_digest(root / "mkdocs.yml"),
                  guard)


def reusable(previous: Mapping[str, Any], name: str, key: str, site_dir: Path) -> bool:
    """Whether the previous site's `name` was made from `key` and is still that file."""
    row = previous.get(name)
    if not (isinstance(row, list) and len(row) == 3 and row[0] == key):
        return False
    return stamp(os.path.join(site_dir, name)) == (row[1], row[2])


def same_file(previous: Mapping[str, Any], name: str, raw: bytes, site_dir: Path) -> bool:
    """Whether the previous site's `name` is still the file that build wrote and holds
    exactly `raw`: a file made again with the same bytes (a search shard no changed word
    is in, another decision's calendar in a remade group)."""
    row = previous.get(name)
    if not (isinstance(row, list) and len(row) == 3 and row[1] == len(raw)):
        return False
    path = site_dir / name
    if stamp(path) != (row[1], row[2]):
        return False
    try:
        return path.read_bytes() == raw
    except OSError:
        return False


def _write(path: Path, raw: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(raw)
    os.replace(tmp, path)

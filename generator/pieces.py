# This module keeps the pieces of the large data files between builds. decisions.json,
# decisions.csv, ocds.json and the search index are each made of one piece per decision (a
# line, a row, a release, a decision's search scores), and any change to any decision makes
# the file again; at 20,000 decisions that was most of a one-record build's data work
# (benchmarks/NOTES.md). A piece is a function of its key alone (the build's code, settings
# and shells and the decision's fingerprint, write._keyed), so a kept piece is never stale,
# whether or not the build that wrote it was published. The files they make are still
# scanned whole by the leak guard.
#
# One file a task, build/cache/pieces/<task>.bin: lines of "<key> <length>" each followed by
# that many bytes and a newline. Read as data only: nothing in it is run or unpickled.
from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

PIECES_DIR = "pieces"
_HEAD = b"decision-portal pieces 1\n"


class Pieces:
    """A data task's pieces, by decision id: the last build's, where their key is unchanged,
    or made now. Without keys (a build without the cache, or the tests' generate()) each piece
    is made and nothing is kept."""

    def __init__(self, path: Path | None = None, keys: Mapping[str, str] | None = None) -> None:
        self._keys: Mapping[str, str] = keys if path is not None and keys else {}
        self._path = path if self._keys else None
        self._old = read_pieces(self._path) if self._path is not None else {}
        self._new: dict[str, bytes] = {}
        self.made = 0

    @property
    def kept(self) -> bool:
        """Whether pieces are kept, so that a task may store them in a form it can read back."""
        return self._path is not None

    def get(self, name: str, make: Callable[[], bytes]) -> bytes:
        key = self._keys.get(name)
        if key is None:
            return make()
        piece = self._old.get(key)
        if piece is None:
            piece = make()
            self.made += 1
        self._new[key] = piece
        return piece

    def save(self) -> None:
        """Keep this build's pieces, and only those (the file never grows with old ones)."""
        if self._path is None or (self.made == 0 and self._new.keys() == self._old.keys()):
            return
        write_pieces(self._path, self._new)


NO_PIECES = Pieces()


def into_list(document: str, items: Sequence[bytes], indent: str = "") -> bytes:
    """`document`, JSON text whose last value is an empty list, with `items` (each already
    JSON, indented to sit in that list) in it, one a line: so that a large export is joined
    from its pieces rather than encoded whole. `indent` is the list's own closing indent."""
    if not items:
        return (document + "\n").encode()
    head, empty, tail = document.rpartition("[]")
    assert empty, "the list is the document's last value"
    return b"".join((f"{head}[\n".encode(), b",\n".join(items), f"\n{indent}]{tail}\n".encode()))


def pieces_path(cache_dir: Path, task: str) -> Path:
    return cache_dir / PIECES_DIR / f"{task}.bin"


def read_pieces(path: Path) -> dict[str, bytes]:
    """The pieces in `path`; none if it is missing or not wholly in this form."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    if not raw.startswith(_HEAD):
        return {}
    out: dict[str, bytes] = {}
    at, end = len(_HEAD), len(raw)
    view = memoryview(raw)
    while at < end:
        line_end = raw.find(b"\n", at)
        if line_end < 0:
            return {}
        key, _, size = raw[at:line_end].partition(b" ")
        if not size.isdigit():
            return {}
        start = line_end + 1
        stop = start + int(size)
        if raw[stop:stop + 1] != b"\n":
            return {}
        out[key.decode("ascii", "replace")] = bytes(view[start:stop])
        at = stop + 1
    return out


def write_pieces(path: Path, pieces: Mapping[str, bytes]) -> None:
    parts = [_HEAD]
    for key, piece in pieces.items():
        parts += [f"{key} {len(piece)}\n".encode("ascii"), piece, b"\n"]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(b"".join(parts))
    os.replace(tmp, path)

# The leak guard for pages filled into an engine's shell (shell.py). Such a page is mostly the
# shell's text, the same on every page at its depth: three fifths of the 520 MB of decision
# pages at 20,000 decisions. The guard reads the shell's text once per depth and, of each page,
# only what was filled in, with enough of the shell either side to find a secret that crosses
# from one to the other, and finds what reading the whole page (guard.scan_bytes) finds.
#
# That holds where each of the HTML readings (guard._readings) and `normalise` of the page are
# those of its pieces, joined. `_bad_join` checks each join between pieces by the rules below;
# where one fails, the pieces either side are read as one, made for that page (the canonical
# link's URL, inside a tag, is read with the tag around it).
from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.guard import _CONTEXT, _Matcher, html_forms, normalise


# Tags are removed by `<[^>]*>`: a tag crosses from one piece into the next only from a "<"
# with no ">" after it in the piece.
def _tag_stays(left: str, right: str) -> bool:
    return left.rfind("<") <= left.rfind(">")


# html.unescape reads "&" and then "#" and digits, "#x" and hex digits, or a name of up to 32
# characters other than white space and "<&#;", then an optional ";". Only an "&" followed
# by such a start, up to the end of the piece, can read on into the next.
_OPEN_REF = re.compile(r"#[0-9]*|#[xX][0-9a-fA-F]*|[^\t\n\f <&#;]{0,32}")


def _refs_stay(left: str, right: str) -> bool:
    at = left.rfind("&")
    return at < 0 or _OPEN_REF.fullmatch(left, at + 1) is None


# unquote reads "%" and two hex digits, and decodes a run of them as UTF-8. Without a "%" in
# the last three characters of a piece, no escape crosses its end and no character's bytes
# are left half decoded there.
def _escapes_stay(left: str, right: str) -> bool:
    return "%" not in left[-3:]


# NFKC composes a character only with those after it that are combining marks or Hangul
# jamo, and reorders only runs of combining marks: so NFKC of two texts joined is theirs
# joined where the second begins with an ASCII character (tests/test_shellguard.py checks
# every canonical decomposition). White space removal and case folding go a character at a
# time.
def _normalise_stays(left: str, right: str) -> bool:
    return right[0] < "\x80"


@dataclass(frozen=True, slots=True)
class _Piece:
    raw: str
    readings: tuple[str, ...]
    """The text as it is, then guard.html_forms' readings: tags removed and decoded, decoded,
    decoded and percent-decoded."""
    checked: tuple[str, ...]
    """The text each of `_CHECKS` looks at."""
    static: int
    """Its place among the shell's pieces, or -1 for one made for a page."""
    fails: bool
    """Whether a join with it could fail a check: every check looks at one side of a join
    only, the text before it (`_LEFT` of them) or the text after it."""


def _piece(raw: str, static: int = -1) -> _Piece:
    stripped, more = html_forms(raw)
    readings = (raw, *more)
    # `_CHECKS` on the text each looks at, written out: this is a third of making a piece
    # otherwise (tests/test_shellguard.py holds the two equal).
    fails = (not _tag_stays(raw, "") or not _refs_stay(raw, "") or not _refs_stay(stripped, "")
             or not _escapes_stay(readings[2], "")
             or any(text and text[0] >= "\x80" for text in readings))
    return _Piece(raw, readings, (raw, raw, stripped, readings[2], *readings), static, fails)


# By the text of `_Piece.checked` at the same place, whether a join keeps a reading: tags,
# references as written, references with tags removed, percent escapes, then NFKC of each
# reading.
_CHECKS = (_tag_stays, _refs_stay, _refs_stay, _escapes_stay, *[_normalise_stays] * 4)
_LEFT = 4


def _bad_join(pieces: Sequence[_Piece]) -> tuple[int, int] | None:
    """The first two pieces whose join a check fails (with only pieces that are empty for it
    between them), or None."""
    # Nearly always none could fail: that is known without walking the pieces once a check.
    if not any(p.fails for p in pieces):
        return None
    for i, stays in enumerate(_CHECKS):
        before = ""
        at = -1
        for j, piece in enumerate(pieces):
            text = piece.checked[i]
            if text:
                if before and not stays(before, text):
                    return at, j
                before, at = text, j
    return None


# A static part is cut this far from a slot, after a line break, so that a piece made for a
# page around a slot holds a few hundred characters of the shell, not the part.
_CUT = 400
# Joins that fail on one page before it is read whole instead.
_MAX_MERGES = 12
# What is filled in is read in chunks of about this many characters, cut after line breaks:
# many chunks of a page's body have no reference or escape in them, so read the same three
# of the four ways and are matched once (`ShellGuard._find`). Shorter chunks read fewer
# characters twice but cost more in Python for each: on captured pages of 20,000 decisions,
# a browse list (100 KB filled in) took 2.4 ms at 1,024 characters and 2.0 ms at 3,072, a
# decision page (13 KB) about the same.
_CHUNK = 3072


def _chunks(value: str) -> list[_Piece]:
    """`value` as pieces, cut after line breaks, joined again where a join fails a check."""
    out: list[_Piece] = []
    start = 0
    while start < len(value):
        at = value.find("\n", start + _CHUNK)
        stop = len(value) if at < 0 else at + 1
        piece = _piece(value[start:stop])
        if out and _bad_join([out[-1], piece]) is not None:
            piece = _piece(out.pop().raw + piece.raw)
        out.append(piece)
        start = stop
    return out


class ShellGuard:
    """The leak guard's reading of one shell's static parts (shell.Shell.parts at even
    positions), for pages filled into it."""

    def __init__(self, static: Sequence[str], matcher: _Matcher) -> None:
        self._matcher = matcher
        self._pieces: list[_Piece] = []
        self.layout: list[list[int]] = []
        """By static part, its pieces' places in `_pieces`."""
        last = len(static) - 1
        for i, part in enumerate(static):
            cuts = [0, len(part)]
            if i > 0:
                cuts.insert(1, self._cut(part, _CUT))
            if i < last:
                cuts.insert(-1, self._cut(part, len(part) - _CUT))
            cuts = sorted(set(cuts))
            places = []
            for a, b in itertools.pairwise(cuts):
                places.append(len(self._pieces))
                self._pieces.append(_piece(part[a:b], len(self._pieces)))
            self.layout.append(places or [self._add("")])
        self._normalised = [tuple(map(normalise, p.readings)) for p in self._pieces]
        self._runs: dict[tuple[tuple[int, ...], bool, bool], tuple[frozenset[str], ...]] = {}

    def _add(self, text: str) -> int:
        self._pieces.append(_piece(text, len(self._pieces)))
        return len(self._pieces) - 1

    @staticmethod
    def _cut(part: str, near: int) -> int:
        """A place after a line break, at or after `near`, where cutting `part` keeps every
        reading; or an end of the part."""
        if near <= 0:
            return 0
        at = near
        while True:
            at = part.find("\n", at)
            if at < 0 or at + 1 >= len(part):
                return len(part)
            at += 1
            if _bad_join([_piece(part[:at]), _piece(part[at:])]) is None:
                return at

    def find(self, filled: Sequence[str]) -> set[str] | None:
        """What guard.scan_bytes finds in the HTML page of this shell with `filled` between
        its static parts; None where the page must be read whole."""
        pieces: list[_Piece] = [self._pieces[j] for j in self.layout[0]]
        for value, places in zip(filled, self.layout[1:], strict=True):
            pieces.extend(_chunks(value))
            pieces.extend(self._pieces[j] for j in places)
        for _ in range(_MAX_MERGES):
            bad = _bad_join(pieces)
            if bad is None:
                break
            a, b = bad
            pieces[a:b + 1] = [_piece("".join(p.raw for p in pieces[a:b + 1]))]
        else:
            return None
        return self._find(pieces)

    def _find(self, pieces: list[_Piece]) -> set[str]:
        matcher = self._matcher
        keep = matcher.keep
        found: set[str] = set()
        # Runs of the shell's own pieces: what they hold is found once a shell.
        runs: list[tuple[tuple[int, ...], bool, bool]] = []
        run: list[int] = []
        for j, p in enumerate(pieces):
            if p.static >= 0:
                run.append(p.static)
            if run and (p.static < 0 or j == len(pieces) - 1):
                runs.append((tuple(run), pieces[0].static == run[0], p.static >= 0))
                run = []
        done: list[list[str]] = []
        # A piece's readings are often the same text (no reference, no escape in it), and so
        # are the windows made of them.
        normal: dict[str, str] = {}
        read: set[tuple[str, int, int]] = set()
        for k in range(4):
            parts = [p.readings[k] for p in pieces]
            if parts in done:  # most pages read the same unescaped as percent-decoded
                continue
            done.append(parts)
            for key in runs:
                found |= self._run_found(key)[k]
            normalised = []
            for p in pieces:
                if p.static >= 0:
                    normalised.append(self._normalised[p.static][k])
                else:
                    reading = p.readings[k]
                    got = normal.get(reading)
                    if got is None:
                        got = normal[reading] = normalise(reading)
                    normalised.append(got)
            text = "".join(normalised)
            # Every match not in one run of the shell's pieces, with its neighbours, is within
            # `keep` of a piece made for the page: a window around each. Windows are merged
            # only while short, so that a chunk of a body that reads the same two ways has the
            # same window both times, read once.
            windows: list[list[int]] = []
            at = 0
            for p, part in zip(pieces, normalised, strict=True):
                if p.static < 0:
                    start, stop = max(0, at - keep), min(len(text), at + len(part) + keep)
                    if windows and start <= windows[-1][1] \
                            and windows[-1][1] - windows[-1][0] < _CHUNK:
                        windows[-1][1] = stop
                    else:
                        windows.append([start, stop])
                at += len(part)
            for start, stop in windows:
                window = (text[start:stop], 0 if start == 0 else _CONTEXT,
                          stop - start - (0 if stop == len(text) else _CONTEXT))
                if window not in read:
                    read.add(window)
                    matcher.find_within(*window, found)
        return found

    def _run_found(self, key: tuple[tuple[int, ...], bool, bool]) -> tuple[frozenset[str], ...]:
        """By reading, the secrets in a run of the shell's pieces whose neighbours are in it
        too, or are the page's start (`first`) or end (`last`)."""
        got = self._runs.get(key)
        if got is None:
            places, first, last = key
            found = []
            for k in range(4):
                text = "".join(self._normalised[j][k] for j in places)
                here: set[str] = set()
                self._matcher.find_within(text, 0 if first else _CONTEXT,
                                          len(text) if last else len(text) - _CONTEXT, here)
                found.append(frozenset(here))
            got = self._runs[key] = tuple(found)
        return got

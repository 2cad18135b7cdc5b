# This module is the last gate before a new site replaces the old one: it proves that no exempt
# text reached any output byte. Every earlier filter (search exclusion, pages left out of the
# navigation, drafts) fails open, and councils have been fined for hidden tabs, unrequested
# columns and cached copies, so the guard reads every file the way a reader or a crawler could:
# compressed files decompressed, JSON strings decoded, HTML and XML with tags stripped and
# entities decoded, and all of it normalised so that escaping or markup cannot hide a match.
# Each passage is looked for as written and as rendered, since Markdown in a pasted passage
# disappears on the page. It matches whole passages: a passage cut into separate words (an
# inverted search index) is beyond it, which is why redaction happens before any output exists.
# It reports the record, the field and the file; it never prints the exempt text.
from __future__ import annotations

import csv
import gzip
import html
import io
import itertools
import json
import math
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import ahocorasick_rs
import markdown

from generator.digests import digest
from generator.problems import Problem, SourceRef
from generator.redact import Secret

# A passage shorter than this after normalising could match ordinary words anywhere, so the
# validate stage asks for the whole phrase to be marked instead.
MIN_SECRET = 8
# A fragment of a passage (fragments.py) may be shorter: a figure such as "88231".
MIN_FRAGMENT = 5
BUILD_LOG = "(MkDocs build log)"
_TAG = re.compile(r"<[^>]*>")


def normalise(text: str) -> str:
    """NFKC, case-folded, with all white space removed."""
    # ASCII is already NFKC, and lower() is its case fold. NFKC comes first, since it can make
    # white space (U+00A8 is a space and a diaeresis). Folding after the white space is gone
    # gives the same text, shorter: casefold() maps each character on its own, never to or
    # from white space (tests/test_guard.py checks every code point).
    if text.isascii():
        # lower() of ASCII maps A-Z alone, so one translate removes the space and lowers.
        return text.encode("ascii").translate(_ASCII_LOWER, _ASCII_SPACE).decode("ascii")
    composed = unicodedata.normalize("NFKC", text)
    if any(ch in composed for ch in _SPACE_NFKC_KEEPS):
        return _without_space(composed).casefold()
    # The bytes' translate lowers the ASCII letters too (an ASCII byte is never part of
    # another character's UTF-8). casefold() of the rest is needed only if one of its other
    # characters folds to something else: a page's "£", "—" and "’" do not, and casefold()
    # of a whole page's text was two thirds of normalising it.
    raw = composed.encode("utf-8", "surrogatepass")
    lowered = raw.translate(_ASCII_LOWER, _ASCII_SPACE).decode("utf-8", "surrogatepass")
    if all(map(_folds_to_itself, set(raw.translate(None, _ASCII).decode("utf-8",
                                                                        "surrogatepass")))):
        return lowered
    return lowered.casefold()


# The white space str.split() and the regex \s remove is these ten ASCII characters and
# nineteen others. NFKC makes all but four of those a plain space, and the four are rare, so a
# composed text is nearly always rid of its white space by deleting bytes: an ASCII byte is
# never part of another character's UTF-8. That is four times as fast as split and join, which
# was a quarter of the guard's time (tests/test_guard.py checks both lists).
_ASCII_SPACE = b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_SPACE_NFKC_KEEPS = ("\x85", "\u1680", "\u2028", "\u2029")
_ASCII_LOWER = bytes(range(65)) + bytes(range(97, 123)) + bytes(range(91, 256))
_ASCII = bytes(range(128))


@lru_cache(maxsize=4096)
def _folds_to_itself(ch: str) -> bool:
    return ch.casefold() == ch


def _without_ascii_space(text: str) -> str:
    # Lone surrogates (a JSON escape decoded) pass through as they are.
    return (text.encode("utf-8", "surrogatepass").translate(None, _ASCII_SPACE)
            .decode("utf-8", "surrogatepass"))


# Removing white space by split and join is a word at a time, so a long text (a whole JSON
# export) is done a slice at a time: one split of it would hold every word at once.
_SLICE = 1 << 20


def _without_space(text: str) -> str:
    if len(text) <= _SLICE:
        return "".join(text.split())
    return "".join("".join(text[i:i + _SLICE].split()) for i in range(0, len(text), _SLICE))


def line_slices(raw: bytes, size: int = _SLICE) -> Iterator[bytes]:
    """`raw` in pieces of about `size` bytes, each ending with a line break (or at the end).
    A line break is a whole character in UTF-8, is never inside a JSON string, and normalising
    never joins it to what follows (it is white space, and NFKC composes nothing with it), so
    pieces cut after line breaks, decoded and normalised one by one, give the whole file's
    text a piece at a time (`content_cuts` reads a file's lines this way)."""
    start, n = 0, len(raw)
    while start < n:
        cut = raw.rfind(b"\n", start, start + size) if start + size < n else n - 1
        if cut < start:  # a line longer than `size`
            cut = raw.find(b"\n", start + size)
            if cut < 0:
                cut = n - 1
        yield raw[start:cut + 1]
        start = cut + 1


# A large file is read in pieces cut where its content says, not at fixed offsets (below).
_PIECE = 1 << 20  # the size a piece aims at
_PIECE_MIN = 1 << 16
_PIECE_MAX = 1 << 23


def content_cuts(raw: bytes, rows: bool = False) -> list[int]:
    """Where to cut `raw` into pieces of about `_PIECE` bytes: offsets just after line breaks,
    each chosen by the line before it (a hash of its bytes, each line's bytes used once), so
    an edit that changes one line moves no other cut. The next build's pieces of an export
    are then the last build's except where a record changed, and the guard's verdict on
    each piece is remembered (`Windows`). A piece is at least `_PIECE_MIN` bytes; one with
    no chosen line in `_PIECE_MAX` bytes is cut at the next line break. With `rows` (CSV),
    only at a line break outside a quoted cell: after an even number of quotes."""
    n = len(raw)
    lines = raw.count(b"\n")
    if n <= _PIECE_MIN or not lines:
        return []
    mask = (1 << max(0, round(math.log2(_PIECE * lines / n)))) - 1
    chosen: list[int] = []
    used: set[bytes] = set()
    base = 0
    for chunk in line_slices(raw):
        parts = chunk.split(b"\n")[:-1]  # each line without its break (the last has none)
        hits = [i for i, line in enumerate(parts) if not zlib.crc32(line) & mask]
        at, done = base, 0
        for i in hits:
            at += sum(map(len, parts[done:i + 1])) + (i + 1 - done)
            done = i + 1
            if parts[i] not in used:
                used.add(parts[i])
                chosen.append(at)
        base += len(chunk)
    cuts: list[int] = []
    start = 0

    def cut_at(end: int) -> bool:
        nonlocal start
        if end - start < _PIECE_MIN or end >= n or (rows and raw.count(b'"', start, end) & 1):
            return False
        cuts.append(end)
        start = end
        return True

    for at in itertools.chain(chosen, [n]):
        while at - start > _PIECE_MAX:  # no chosen line for a long way
            nxt = raw.find(b"\n", start + _PIECE_MAX)
            while nxt >= 0 and nxt + 1 < at and not cut_at(nxt + 1):
                nxt = raw.find(b"\n", nxt + 1)
            if nxt < 0 or nxt + 1 >= at:
                break
        cut_at(at)
    return cuts


class ContentSlices:
    """`raw` cut at `content_cuts`, a slice at a time each time it is iterated: the slices
    are never all held beside the file (a second copy of a 125 MB export)."""

    def __init__(self, raw: bytes, rows: bool = False) -> None:
        self._raw = raw
        self._edges = [0, *content_cuts(raw, rows), len(raw)]

    def __iter__(self) -> Iterator[bytes]:
        raw = self._raw
        return (raw[a:b] for a, b in itertools.pairwise(self._edges) if b > a)


_md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


# Each passage's forms, by its text: rendering Markdown is most of the matcher's set-up, and a
# passage is the same from build to build (the build cache keeps this, generator/cache.py).
FORMS: dict[str, frozenset[str]] = {}


def secret_forms(text: str) -> frozenset[str]:
    """The normalised forms an exempt passage can take in an output: as written (JSON, CSV and
    feeds carry the Markdown source) and as a reader sees it once rendered, because a passage
    with `*emphasis*` or a table, pasted into a public field, loses its Markdown on the page."""
    found = FORMS.get(text)
    if found is None:
        if _PLAIN.fullmatch(text) and not _BLOCK_START.match(text):
            rendered = text  # what Markdown makes of it, once its tags are gone
        else:
            _md.reset()
            rendered = html.unescape(_TAG.sub("", _md.convert(text)))
        found = frozenset(f for f in (normalise(text), normalise(rendered))
                          if len(f) >= MIN_FRAGMENT)
        FORMS[text] = found
    return found


# One line of words, figures and the punctuation Markdown leaves alone, not starting a list or
# a rule: Markdown wraps it in a paragraph and nothing else. Most passages are such (a
# fragment's code, sum or run of words), and rendering each of 48,000 at 20,000 decisions
# was most of the guard's set-up (tests/test_guard.py holds it to what Markdown does).
_PLAIN = re.compile(r"(?:[^\W_]|[ ,.;:'\"?£$%/@-])*")
_BLOCK_START = re.compile(r" *(?:-|\d+\.)")


@dataclass(frozen=True, slots=True)
class Leak:
    record_id: str
    field: str
    output: str


@dataclass(frozen=True, slots=True)
class Sliced:
    """A reading of a large file as slices of its bytes: `read` gives each slice's text, and
    the slices' texts, normalised and joined, are the whole file's reading normalised."""

    kind: str
    slices: Iterable[bytes]
    read: Callable[[bytes], str]


@dataclass(slots=True)
class Windows:
    """The windows of large files (`_Matcher.find_slices`) that a build with the same secrets
    and code found clean, each as the text it carried on to the next; kept between builds
    (cache.py), so an export in which one record changed is read again only around it."""

    known: Mapping[str, str]
    used: dict[str, str]

    @staticmethod
    def key(kind: str, carry: str, piece: bytes, last: bool) -> str:
        return digest(kind, carry, piece, "L" if last else "-")


class _Matcher:
    """Every secret's forms in one Aho-Corasick automaton, so a file is read once whatever
    the number of secrets, and every occurrence is found, overlapping ones and secrets inside
    other secrets included. A regular expression over a trie of the secrets did the same, but
    took seconds to build and several times as long to scan (measured at 2,000 decisions:
    8.6 s and 12.5 s against 0.02 s and 1.9 s, benchmarks/NOTES.md). The automaton is the
    Rust aho-corasick crate's (ahocorasick-rs): with the 48,000 forms of 20,000 synthetic
    decisions it read 2,000 decision pages in 1.1 s, where pyahocorasick took 2.9 s."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        self.by_text: dict[str, list[Secret]] = {}
        for s in secrets:
            for key in secret_forms(s.text):
                self.by_text.setdefault(key, []).append(s)
        self.empty = not self.by_text
        self._keys = list(self.by_text)
        # Standard match semantics with overlapping search report every occurrence of every
        # form, as the guard needs (the leftmost kinds would hide a form inside another).
        self._automaton = None if self.empty else ahocorasick_rs.AhoCorasick(
            self._keys, matchkind=ahocorasick_rs.MatchKind.Standard)
        self.keep = max(map(len, self.by_text), default=0) + 2 * _CONTEXT

    def leaks(self, found: Iterable[str], output: str) -> tuple[Leak, ...]:
        """A leak into `output` for each record and field with a secret whose form is in
        `found`."""
        return tuple(Leak(s.record_id, s.field, output) for key in found
                     for s in self.by_text[key])

    def find(self, text: str) -> set[str]:
        found: set[str] = set()
        if not self.empty:
            self._find_into(text, -_CONTEXT, len(text), found)
        return found

    def find_slices(self, reading: Sliced, windows: Windows | None = None) -> set[str]:
        """What `find` gives for the normalised reading of the whole file, a slice at a time:
        each slice's reading is scanned with the end of the window before it, long enough
        for any secret and the characters either side that `_whole_figure` reads. A match is
        judged in the first window where those characters after it are there, and never
        again. A window that `windows` remembers as clean, from the same carried text and
        the same slice under the same secrets, is not read again."""
        found: set[str] = set()
        if self.empty:
            return found
        carry = ""
        ahead = iter(reading.slices)
        piece = next(ahead, None)
        while piece is not None:
            following = next(ahead, None)
            key = ""
            if windows is not None:
                key = windows.key(reading.kind, carry, piece, following is None)
                kept = windows.known.get(key)
                if kept is not None:
                    windows.used[key] = carry = kept
                    piece = following
                    continue
            window = carry + normalise(reading.read(piece))
            # Matches ending by len(carry) - _CONTEXT were judged in the window before.
            last = len(window) if following is None else len(window) - _CONTEXT
            here: set[str] = set()
            self._find_into(window, len(carry) - _CONTEXT, last, here)
            carry = window[-self.keep:]
            if windows is not None and not here:
                windows.used[key] = carry
            found |= here
            piece = following
        return found

    def find_within(self, text: str, lo: int, hi: int, found: set[str]) -> None:
        """Add to `found` the secrets in `text` that start at `lo` or later and end by `hi`:
        those whose `_whole_figure` neighbours `text` holds, when `text` is cut from a longer
        one (`lo` and `hi` then `_CONTEXT` inside its ends)."""
        if self._automaton is None:
            return
        keys = self._keys
        for index, start, stop in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if start >= lo and stop <= hi:
                key = keys[index]
                if key not in found and _whole_figure(text, start, key):
                    found.add(key)

    def _find_into(self, text: str, after: int, upto: int, found: set[str]) -> None:
        """Add to `found` the secrets in `text` that end after `after` and by `upto`
        (exclusive ends)."""
        if self._automaton is None:
            return
        keys = self._keys
        # Indexes are the string's (characters), as slicing uses.
        for index, start, stop in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if after < stop <= upto:
                key = keys[index]
                if key not in found and _whole_figure(text, start, key):
                    found.add(key)


# `_whole_figure` reads up to this many characters either side of a match.
_CONTEXT = 2


_FIGURE_PART = frozenset("0123456789")


def _whole_figure(text: str, start: int, key: str) -> bool:
    """A secret that begins or ends with a digit matches only a whole figure: "410,000" is
    not in "£7,410,000" (white space is gone, so the neighbours are the next characters)."""
    if key[0] in _FIGURE_PART and start > 0:
        before = text[start - 1]
        if before in _FIGURE_PART or (before in ",." and start > 1
                                      and text[start - 2] in _FIGURE_PART):
            return False
    end = start + len(key)
    if key[-1] in _FIGURE_PART and end < len(text):
        after = text[end]
        if after in _FIGURE_PART or (after in ",." and end + 1 < len(text)
                                     and text[end + 1] in _FIGURE_PART):
            return False
    return True


def readable_texts(name: str, raw: bytes) -> Iterator[str]:
    """Every way a file's bytes can be read as text."""
    yield from _readings(*_decompressed(name, raw))


def _decompressed(name: str, raw: bytes) -> tuple[str, bytes]:
    if not name.endswith(".gz"):
        return name, raw
    try:
        return name[:-3], gzip.decompress(raw)
    except (OSError, EOFError):
        return name[:-3], raw


def readable_pieces(name: str, raw: bytes) -> Iterator[str | Sliced]:
    """The readings of `readable_texts`; a large JSON or CSV file's as slices of it
    (`ContentSlices`) whose readings, normalised and joined, are the reading normalised."""
    name, raw = _decompressed(name, raw)
    if name.endswith(".json") and len(raw) > _SLICE:
        slices = ContentSlices(raw)
        yield Sliced("text", slices, _text)
        yield Sliced("json", slices, lambda piece: "\n".join(json_strings(_text(piece))))
    elif name.endswith(".csv") and len(raw) > _SLICE and not raw.count(b'"') & 1:
        # Cut only between rows (an even number of quotes before each cut), so each slice
        # reads as whole rows; a file with an odd number of quotes is read whole.
        slices = ContentSlices(raw, rows=True)
        yield Sliced("text", slices, _text)
        yield Sliced("csv", slices, _csv_cells)
    else:
        yield from _readings(name, raw)


def _text(piece: bytes) -> str:
    return piece.decode("utf-8", errors="replace")


def _csv_cells(piece: bytes) -> str:
    return _cells(_text(piece))


def _cells(text: str) -> str:
    # A quote inside a cell is written twice. A text that is not CSV adds no reading.
    try:
        return "\n".join(cell for row in csv.reader(io.StringIO(text)) for cell in row)
    except csv.Error:
        return ""


def html_forms(text: str) -> tuple[str, tuple[str, str, str]]:
    """An HTML text with its tags removed (references still as written), and its readings
    besides the text itself: tags removed and references decoded, references decoded, and
    references and percent escapes decoded. shellguard.py reads a page filled into a shell by
    these too: a reading added or changed here needs its rule for joins there."""
    # Tags removed with no space, so "ca<b>nary</b>" reads as "canary".
    stripped = _TAG.sub("", text)
    # Attribute values (links, titles) as a browser reads them, escaped or percent-encoded.
    unescaped = html.unescape(text)
    return stripped, (html.unescape(stripped), unescaped, unquote(unescaped))


def _readings(name: str, raw: bytes) -> Iterator[str]:
    text = raw.decode("utf-8", errors="replace")
    yield text
    if name.endswith(".json"):
        yield "\n".join(json_strings(text))
    if name.endswith((".html", ".xml", ".htm", ".svg", ".atom", ".rss")):
        yield from html_forms(text)[1]
    if name.endswith(".csv"):
        yield _cells(text)
    if name.endswith(".ics"):
        # RFC 5545 folds long lines with CRLF + space (or tab) and escapes , ; \\ and newlines.
        unfolded = re.sub(r"\r?\n[ \t]", "", text)
        yield re.sub(r"\\([,;\\nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1),
                     unfolded)


def json_strings(text: str) -> list[str]:
    """Every string in a JSON text, keys included, decoded, in document order (what a walk of
    the parsed document gives, without building it: decisions.json at 20,000 decisions is
    125 MB, its parsed tree several times that); and the text of each that has tags or
    entities, as a page would show it. Outside strings JSON has no quote, so the pieces
    between quotes alternate outside and inside, a quote escaped by an odd run of
    backslashes joining two pieces of one string. A text that is not valid JSON is read as
    far as this goes, each piece as it stands where it does not decode. A list, not a
    generator: handing on 3.4 million strings one by one took a third of the time."""
    parts = text.split('"')
    if '\\"' not in text:
        # No piece ends with a backslash, so none joins the next: the strings are every
        # other piece, each decoded only if it holds an escape. decisions.json at 20,000
        # decisions holds 3.4 million strings, and the loop over pieces took 1.4 s for them.
        values = parts[1::2]
        if "\\" in text:
            values = [_decoded(v) if "\\" in v else v for v in values]
        if "<" not in text and "&" not in text and "\\u" not in text:
            return values  # none has a tag or an entity, even decoded
        out = []
        for value in values:
            out.append(value)
            if "<" in value or "&" in value:
                out.append(html.unescape(_TAG.sub("", value)))
        return out
    return _strings_piece_by_piece(parts)


def _strings_piece_by_piece(parts: list[str]) -> list[str]:
    """`json_strings` of the text that split at its quotes into `parts`, whatever it holds."""
    out = []
    i, n = 1, len(parts)
    while i < n:
        value, j = parts[i], i
        while value.endswith("\\") and (len(value) - len(value.rstrip("\\"))) % 2 and j + 1 < n:
            j += 1
            value = f'{value}"{parts[j]}'
        if "\\" in value:
            value = _decoded(value)
        out.append(value)
        if "<" in value or "&" in value:  # else it reads the same, and would be read twice
            out.append(html.unescape(_TAG.sub("", value)))
        i = j + 2
    return out


def _decoded(value: str) -> str:
    try:
        decoded: str = json.loads(f'"{value}"')  # a JSON string literal gives a str
    except ValueError:
        return value
    return decoded


def scan_bytes(name: str, raw: bytes, matcher: _Matcher,
               windows: Windows | None = None) -> set[str]:
    found: set[str] = set()
    seen: set[str] = set()
    for text in readable_pieces(name, raw):
        if isinstance(text, Sliced):
            found |= matcher.find_slices(text, windows)
            continue
        if text in seen:  # most pages read the same unescaped as percent-decoded
            continue
        seen.add(text)
        found |= matcher.find(normalise(text))
    return found


def scan_tree(site_dir: Path, secrets: Iterable[Secret],
              logs: Iterable[str] = ()) -> tuple[Problem, ...]:
    """Every leak of any secret into any file under `site_dir` or into the build's log."""
    matcher = _Matcher(secrets)
    if matcher.empty:
        return ()
    leaks: list[Leak] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        name = path.relative_to(site_dir).as_posix()
        leaks.extend(matcher.leaks(scan_bytes(name, path.read_bytes(), matcher), name))
    leaks.extend(matcher.leaks(matcher.find(normalise("\n".join(logs))), BUILD_LOG))
    return leak_problems(leaks)


def leak_problems(leaks: Iterable[Leak]) -> tuple[Problem, ...]:
    """The build's problems for `leaks`, one per output, record and field, in order."""
    return tuple(
        Problem(SourceRef(leak.output if leak.output == BUILD_LOG else f"site/{leak.output}"),
                f"{leak.record_id}: {leak.field}",
                "exempt information from this field appears in this output; the build was "
                "stopped and the published site left as it was. Remove the exempt text from the "
                "record's public fields (it may have been pasted into another field).")
        for leak in sorted(set(leaks), key=lambda x: (x.output, x.record_id, x.field))
    )


def short_secrets(secrets: Iterable[Secret]) -> tuple[Secret, ...]:
    """Exempt passages too short for the guard to check reliably."""
    return tuple(s for s in secrets if len(normalise(s.text)) < MIN_SECRET)

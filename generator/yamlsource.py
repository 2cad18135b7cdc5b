# This module reads YAML the strict way. PyYAML follows YAML 1.1, where `no` is False,
# `12:30` is 750 and an alias can expand a 236-byte file into megabytes; aliases let one
# value stand in many places and duplicate keys let a later `exempt:` silently win. A record
# is a legal document, so every one of those is refused here, with its line, before any
# other stage sees the data.
from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from generator.messages import reading as say
from generator.problems import Problem, SourceRef

try:  # libyaml parses about 13x faster; the strictness below does not depend on it
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python fallback
    _Loader = yaml.SafeLoader

MAX_BYTES = 256 * 1024
MAX_DEPTH = 12
# Past this many, further anchor, alias and tag problems are counted rather than listed: an
# alias bomb has thousands of aliases and one line per alias would bury the real message.
MAX_LISTED = 10
# Python refuses to convert integers longer than 4,300 digits (CVE-2020-10735); no amount in a
# record needs more than a handful, so longer runs of digits stay text and the schema says so.
MAX_INT_DIGITS = 30

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# YAML 1.1 booleans: refused rather than guessed, so `exempt: no` never means "publish".
_BOOL_11 = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?$")
# Characters that can make text read differently from what it holds (Trojan Source,
# CVE-2021-42574): bidi controls, zero-width characters, BOM, and C0/C1 controls.
_INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\ufeff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


class LineDict(dict[str, Any]):
    """A mapping that remembers the 1-based line of each key."""

    lines: dict[str, int]
    line: int


class LineList(list[Any]):
    """A sequence that remembers the 1-based line of each item."""

    lines: list[int]
    line: int


@dataclass(frozen=True, slots=True)
class Parsed:
    data: LineDict | None
    problems: tuple[Problem, ...]
    fields: tuple[tuple[str, int], ...] = ()
    """With `data`: every field in it ("dates.decided", "options[2].name") and its line, in
    the order of the file."""


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


def parse_yaml(raw: bytes, path: str, *, record: bool = True) -> Parsed:
    """Parse one file's bytes into LineDicts, or say everything wrong with it.

    `record` is False for the settings files in site-data/, which only changes the wording.
    """
    where = SourceRef(path)
    if len(raw) > MAX_BYTES:
        return Parsed(None, (say.too_large(where, len(raw), MAX_BYTES, record),))
    if not raw.strip():
        return Parsed(None, (say.empty_file(where, record),))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Parsed(None, (say.invalid_utf8(SourceRef(path, line), exc.start),))
    text = text.removeprefix("\ufeff")

    reader = _Reader(path, record)
    try:
        reader.read(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or "not valid YAML"
        start = exc.context_mark
        if exc.context and start and (mark is None or start.line != mark.line):
            what += f" ({exc.context} that starts on line {start.line + 1})"
        return Parsed(None, (say.yaml_syntax(SourceRef(path, line), what),))
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow anywhere
        line = text.count("\n", 0, exc.position) + 1
        bad = _char_name(chr(exc.character)) if isinstance(exc.character, int) else "a character"
        return Parsed(None, (say.character_not_allowed(SourceRef(path, line), bad),))
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml raises only the two kinds above
        return Parsed(None, (say.not_yaml(where, type(exc).__name__),))
    if reader.structure:
        return Parsed(None, tuple(reader.structure))
    if reader.data is None:
        return Parsed(None, (say.not_a_mapping(SourceRef(path, reader.data_line), record),))
    if reader.problems:
        return Parsed(None, tuple(reader.problems))
    return Parsed(reader.data, (), tuple(reader.fields))


# What a mapping being read expects next: a key, the value of the key just read, or a value
# to pass over because its key was refused.
_KEY, _VALUE, _SKIP_VALUE = 0, 1, 2


class _Open:
    """A mapping or sequence being built, and where the next event goes in it."""

    __slots__ = ("value", "field", "expecting", "key", "child")

    def __init__(self, value: LineDict | LineList, field: str) -> None:
        self.value, self.field = value, field
        self.expecting = _KEY  # a sequence's: how many items it has
        self.key = ""  # the key whose value comes next
        self.child = ""  # the field of the value that comes next


class _Reader:
    """One pass over the event stream for the structure problems (anchors, aliases, tags,
    extra documents, deep nesting) and the LineDicts built from the same events, with our own,
    YAML-1.2-like scalar rules.

    Nothing is composed into nodes: libyaml composes recursively in C, so a file of 100,000
    opening brackets would overflow the stack, and composing after a first pass over the
    events for the structure problems took a third of the time spent reading records (7 s of
    CPU at 20,000 decisions). Reading stops at the first level too deep, because libyaml's
    scanner also slows down with depth (each token rechecks every open bracket): 100,000 of
    them take a minute to scan. A file with a structure problem is refused for those alone.
    """

    def __init__(self, path: str, record: bool) -> None:
        self.path, self.record = path, record
        self.structure: list[Problem] = []
        self.problems: list[Problem] = []
        self.data: LineDict | None = None
        """The document, if it is a mapping."""
        self.data_line = 0
        """The document's first line (0 if there is none)."""
        self.fields: list[tuple[str, int]] = []
        """Each field placed in the document and its line (Parsed.fields). Named here, where
        each is worked out anyway: walking the LineDicts again for them was a tenth of the
        time spent reading a record."""
        self._seen: set[tuple[int, str]] = set()
        self._extra = 0

    def _add(self, problem: Problem) -> None:
        key = (problem.where.line, problem.message)
        if key in self._seen:  # `[*a, *a, *a]` is one thing to fix, not three
            return
        self._seen.add(key)
        if len(self.structure) < MAX_LISTED:
            self.structure.append(problem)
        else:
            self._extra += 1

    def _at(self, ev: Any) -> SourceRef:
        # Made only for a problem: a record is a few hundred events, nearly all fine.
        return SourceRef(self.path, ev.start_mark.line + 1 if ev.start_mark else 0)

    def _node_problems(self, ev: Any) -> None:
        if ev.anchor is not None:
            self._add(say.anchor(self._at(ev), ev.anchor))
        if ev.tag is not None:
            self._add(say.tag(self._at(ev), ev.tag.replace("tag:yaml.org,2002:", "!!")))

    def read(self, text: str) -> None:
        documents = depth = 0
        stack: list[_Open] = []
        skipping = 0  # collections open inside a node passed over
        # Any: libyaml's events, whose stubs leave out what each kind holds.
        events: Iterator[Any] = yaml.parse(text, Loader=_Loader)
        for ev in events:
            kind = type(ev)
            if kind is yaml.ScalarEvent:
                self._node_problems(ev)
                if not skipping:
                    self._place(ev, stack, None)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    self._add(say.too_deep(self._at(ev), "", MAX_DEPTH))
                    break
                self._node_problems(ev)
                if skipping:
                    skipping += 1
                    continue
                made: LineDict | LineList
                if kind is yaml.MappingStartEvent:
                    made = LineDict()
                    made.lines = {}
                else:
                    made = LineList()
                    made.lines = []
                made.line = ev.start_mark.line + 1
                field = self._place(ev, stack, made)
                if field is None:
                    skipping = 1
                else:
                    stack.append(_Open(made, field))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
                if skipping:
                    skipping -= 1
                else:
                    stack.pop()
            elif kind is yaml.AliasEvent:
                self._add(say.alias(self._at(ev), str(ev.anchor)))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents == 2:
                    self._add(say.several_documents(self._at(ev), self.record))
        if self._extra:
            self.structure.append(say.more_structure(SourceRef(self.path), self._extra))

    def _place(self, ev: Any, stack: list[_Open],
               made: LineDict | LineList | None) -> str | None:
        """Put a scalar (`made` None) or a new collection where it belongs. For a collection,
        the field it is; None if it is passed over: a refused key, a refused key's value, or a
        document that is no mapping."""
        line = ev.start_mark.line + 1
        if not stack:  # the document (a second one is a structure problem)
            self.data_line = line
            if isinstance(made, LineDict):
                self.data = made
                return ""
            return None
        top = stack[-1]
        value = top.value
        if isinstance(value, LineList):
            top.expecting += 1
            field = f"{top.field}[{top.expecting}]"
            value.append(made if made is not None else self._scalar(ev, field))
            value.lines.append(line)
            # Interned: every record has the same 70 or so field names, and one string each
            # instead of one per record is 1.4 million fewer objects at 20,000 decisions, to
            # hold and to read back from the build cache (which writes a shared string once).
            self.fields.append((sys.intern(field), line))
            return field
        if top.expecting == _VALUE:
            top.expecting = _KEY
            value[top.key] = made if made is not None else self._scalar(ev, top.child)
            return top.child
        if top.expecting == _SKIP_VALUE:
            top.expecting = _KEY
            return None
        # A key. Whatever is refused, its value is passed over too.
        top.expecting = _SKIP_VALUE
        if made is not None:
            self.problems.append(say.key_not_plain(SourceRef(self.path, line), top.field))
            return None
        key = ev.value
        field = f"{top.field}.{key}" if top.field else key
        if key == "<<":
            self.problems.append(say.merge_key(SourceRef(self.path, line), field))
        elif key in value.lines:
            self.problems.append(say.duplicate_key(SourceRef(self.path, line), field, key,
                                                   value.lines[key]))
        else:
            value.lines[key] = line
            top.expecting, top.key, top.child = _VALUE, key, field
            self.fields.append((sys.intern(field), line))
        return field

    def _scalar(self, ev: Any, field: str) -> Any:
        text: str = ev.value
        bad = _INVISIBLE.search(text)
        if bad:
            self.problems.append(say.invisible_character(self._at(ev), field,
                                                         _char_name(bad.group()), bad.start() + 1))
        if ev.style:  # quoted or block scalars are always text (libyaml gives plain as "")
            return text
        if _NULL.match(text):
            return None
        if text in _BOOL:
            return _BOOL[text]
        if _BOOL_11.match(text):
            self.problems.append(say.ambiguous_boolean(self._at(ev), field, text))
            return text
        if _INT.match(text):
            if len(text) > MAX_INT_DIGITS:
                self.problems.append(say.long_number(self._at(ev), field, MAX_INT_DIGITS))
                return text
            return int(text)
        if _FLOAT.match(text):
            number = float(text)
            if not math.isfinite(number):
                self.problems.append(say.number_too_large(self._at(ev), field))
                return text
            return number
        return text

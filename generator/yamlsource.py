# This module reads YAML the strict way. PyYAML follows YAML 1.1, where `no` is False,
# `12:30` is 750 and an alias can expand a 236-byte file into megabytes; aliases let one
# value stand in many places and duplicate keys let a later `exempt:` silently win. A record
# is a legal document, so every one of those is refused here, with its line, before any
# other stage sees the data.
from __future__ import annotations

import math
import re
import unicodedata
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

    try:
        problems = _structure_problems(text, path, record)
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
    if problems:
        return Parsed(None, tuple(problems))

    node = yaml.compose(text, Loader=_Loader)
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 0
        return Parsed(None, (say.not_a_mapping(SourceRef(path, line), record),))
    builder = _Builder(path)
    data = builder.mapping(node, "", 1)
    return Parsed(None if builder.problems else data, tuple(builder.problems))


def _structure_problems(text: str, path: str, record: bool) -> list[Problem]:
    """Anchors, aliases, tags, extra documents and deep nesting, found from the event stream.

    This runs before any node is composed: composing expands nothing we accept, but libyaml
    composes recursively in C, so a file of 100,000 opening brackets would overflow the stack.
    Reading stops at the first level too deep, because libyaml's scanner also slows down with
    depth (each token rechecks every open bracket): 100,000 of them take a minute to scan.
    """
    problems: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    extra = 0
    documents = depth = 0

    def add(problem: Problem) -> None:
        nonlocal extra
        key = (problem.where.line, problem.message)
        if key in seen:  # `[*a, *a, *a]` is one thing to fix, not three
            return
        seen.add(key)
        if len(problems) < MAX_LISTED:
            problems.append(problem)
        else:
            extra += 1

    def at(ev: yaml.Event) -> SourceRef:
        # Made only for a problem: a record is a few hundred events, nearly all fine.
        return SourceRef(path, ev.start_mark.line + 1 if ev.start_mark else 0)

    for ev in yaml.parse(text, Loader=_Loader):
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents == 2:
                add(say.several_documents(at(ev), record))
        elif isinstance(ev, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(ev, yaml.AliasEvent):
            add(say.alias(at(ev), str(ev.anchor)))
        elif isinstance(ev, yaml.NodeEvent):
            if isinstance(ev, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    add(say.too_deep(at(ev), "", MAX_DEPTH))
                    break
            if ev.anchor is not None:
                add(say.anchor(at(ev), ev.anchor))
            tag = getattr(ev, "tag", None)
            if tag is not None:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                add(say.tag(at(ev), shown))
    if extra:
        problems.append(say.more_structure(SourceRef(path), extra))
    return problems


class _Builder:
    """Turns composed nodes into LineDicts with our own, YAML-1.2-like scalar rules."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def _at(self, node: yaml.Node) -> SourceRef:
        return SourceRef(self.path, node.start_mark.line + 1)

    def value(self, node: yaml.Node, field: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self.problems.append(say.too_deep(self._at(node), field, MAX_DEPTH))
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, field, depth + 1)
        if isinstance(node, yaml.SequenceNode):
            out = LineList()
            out.lines = []
            out.line = node.start_mark.line + 1
            for i, item in enumerate(node.value, start=1):
                out.append(self.value(item, f"{field}[{i}]", depth + 1))
                out.lines.append(item.start_mark.line + 1)
            return out
        assert isinstance(node, yaml.ScalarNode)  # the composer makes only these three kinds
        return self.scalar(node, field)

    def mapping(self, node: yaml.MappingNode, prefix: str, depth: int) -> LineDict:
        out = LineDict()
        out.lines = {}
        out.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(say.key_not_plain(self._at(key_node), prefix))
                continue
            key = key_node.value
            field = f"{prefix}.{key}" if prefix else key
            if key == "<<":
                self.problems.append(say.merge_key(self._at(key_node), field))
                continue
            if key in out.lines:
                self.problems.append(say.duplicate_key(self._at(key_node), field, key,
                                                       out.lines[key]))
                continue
            out.lines[key] = key_node.start_mark.line + 1
            out[key] = self.value(value_node, field, depth)
        return out

    def scalar(self, node: yaml.ScalarNode, field: str) -> Any:
        text: str = node.value
        bad = _INVISIBLE.search(text)
        if bad:
            self.problems.append(say.invisible_character(self._at(node), field,
                                                         _char_name(bad.group()), bad.start() + 1))
        if node.style:  # quoted or block scalars are always text (libyaml gives plain as "")
            return text
        if _NULL.match(text):
            return None
        if text in _BOOL:
            return _BOOL[text]
        if _BOOL_11.match(text):
            self.problems.append(say.ambiguous_boolean(self._at(node), field, text))
            return text
        if _INT.match(text):
            if len(text) > MAX_INT_DIGITS:
                self.problems.append(say.long_number(self._at(node), field, MAX_INT_DIGITS))
                return text
            return int(text)
        if _FLOAT.match(text):
            number = float(text)
            if not math.isfinite(number):
                self.problems.append(say.number_too_large(self._at(node), field))
                return text
            return number
        return text

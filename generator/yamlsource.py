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
        fix = ("Move long text into a document and link it under `documents`." if record
               else "Split it or remove what is not needed.")
        return Parsed(None, (Problem(where, "", f"file is {len(raw):,} bytes; a file may be at "
                                     f"most {MAX_BYTES:,} bytes. {fix}"),))
    if not raw.strip():
        fix = ("a record needs at least `title`, `decision_maker`, `dates`, `decision`, `reasons` "
               "and `alternatives`." if record else "restore it from the sample in site-data/.")
        return Parsed(None, (Problem(where, "", f"file is empty; {fix}"),))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Parsed(None, (Problem(SourceRef(path, line), "", f"invalid UTF-8 at byte "
                                     f"{exc.start}; save the file as UTF-8."),))
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
        return Parsed(None, (Problem(SourceRef(path, line), "", f"YAML syntax error: {what}. "
                                     "Check the indentation (spaces, not tabs) and put text "
                                     "containing ': ' or ' #' in quotes."),))
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow anywhere
        line = text.count("\n", 0, exc.position) + 1
        bad = _char_name(chr(exc.character)) if isinstance(exc.character, int) else "a character"
        return Parsed(None, (Problem(SourceRef(path, line), "", f"{bad} is not allowed in YAML; "
                                     "delete it and retype the text."),))
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml raises only the two kinds above
        return Parsed(None, (Problem(where, "", f"not readable as YAML ({type(exc).__name__}); "
                                     "remove control characters and save as UTF-8."),))
    if problems:
        return Parsed(None, tuple(problems))

    node = yaml.compose(text, Loader=_Loader)
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 0
        what = ("a record must be a mapping of `field: value` lines, starting with `title:`."
                if record else "the file must be a mapping of `field: value` lines, as in the "
                "sample in site-data/.")
        return Parsed(None, (Problem(SourceRef(path, line), "", what),))
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

    def add(ref: SourceRef, message: str) -> None:
        nonlocal extra
        if (ref.line, message) in seen:  # `[*a, *a, *a]` is one thing to fix, not three
            return
        seen.add((ref.line, message))
        if len(problems) < MAX_LISTED:
            problems.append(Problem(ref, "", message))
        else:
            extra += 1

    for ev in yaml.parse(text, Loader=_Loader):
        ref = SourceRef(path, ev.start_mark.line + 1 if ev.start_mark else 0)
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents == 2:
                what = "decision" if record else "setting"
                add(ref, f"several YAML documents in one file; keep one {what} per file and "
                    "remove the `---` line.")
        elif isinstance(ev, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(ev, yaml.AliasEvent):
            add(ref, f"YAML aliases (*{ev.anchor}) are not allowed; write the value out in full.")
        elif isinstance(ev, yaml.NodeEvent):
            if isinstance(ev, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    add(ref, f"nested more than {MAX_DEPTH} levels deep; flatten it.")
                    break
            if ev.anchor is not None:
                add(ref, f"YAML anchors (&{ev.anchor}) are not allowed; write each value out "
                    "in full.")
            tag = getattr(ev, "tag", None)
            if tag is not None:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                add(ref, f"YAML tags ({shown}) are not allowed; remove the tag and write a "
                    "plain value.")
    if extra:
        problems.append(Problem(SourceRef(path), "", f"and {extra:,} more YAML anchors, aliases "
                                "or tags; remove every one of them."))
    return problems


class _Builder:
    """Turns composed nodes into LineDicts with our own, YAML-1.2-like scalar rules."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def _add(self, node: yaml.Node, field: str, message: str) -> None:
        self.problems.append(Problem(SourceRef(self.path, node.start_mark.line + 1), field, message))

    def value(self, node: yaml.Node, field: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self._add(node, field, f"nested more than {MAX_DEPTH} levels deep; flatten it.")
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
                self._add(key_node, prefix, "a key must be a plain word such as `title`.")
                continue
            key = key_node.value
            field = f"{prefix}.{key}" if prefix else key
            if key == "<<":
                self._add(key_node, field, "YAML merge keys (<<) are not allowed; write the "
                          "fields out in full.")
                continue
            if key in out.lines:
                self._add(key_node, field, f"duplicate key '{key}' (first on line "
                          f"{out.lines[key]}); keep one of them.")
                continue
            out.lines[key] = key_node.start_mark.line + 1
            out[key] = self.value(value_node, field, depth)
        return out

    def scalar(self, node: yaml.ScalarNode, field: str) -> Any:
        text: str = node.value
        bad = _INVISIBLE.search(text)
        if bad:
            col = bad.start() + 1
            self._add(node, field, f"invisible or bidi control character {_char_name(bad.group())} "
                      f"at character {col} of the value; delete it and retype the text.")
        if node.style:  # quoted or block scalars are always text (libyaml gives plain as "")
            return text
        if _NULL.match(text):
            return None
        if text in _BOOL:
            return _BOOL[text]
        if _BOOL_11.match(text):
            self._add(node, field, f"'{text}' is ambiguous in YAML; write true or false (or put it "
                      "in quotes if you mean the word).")
            return text
        if _INT.match(text):
            if len(text) > MAX_INT_DIGITS:
                self._add(node, field, f"a number of more than {MAX_INT_DIGITS} digits; check it, "
                          "or put it in quotes if it is a reference rather than a number.")
                return text
            return int(text)
        if _FLOAT.match(text):
            number = float(text)
            if not math.isfinite(number):
                self._add(node, field, "a number too large to be real; check it, or put it in "
                          "quotes if it is text.")
                return text
            return number
        return text

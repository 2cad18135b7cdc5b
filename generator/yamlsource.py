# This module reads YAML the strict way. PyYAML follows YAML 1.1, where `no` is False,
# `12:30` is 750 and an alias can expand a 236-byte file into megabytes; aliases let one
# value stand in many places and duplicate keys let a later `exempt:` silently win. A record
# is a legal document, so every one of those is refused here, with its line, before any
# other stage sees the data.
from __future__ import annotations

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


def parse_yaml(raw: bytes, path: str) -> Parsed:
    """Parse one record file's bytes into LineDicts, or say everything wrong with it."""
    problems: list[Problem] = []
    where = SourceRef(path)
    if len(raw) > MAX_BYTES:
        return Parsed(None, (Problem(where, "", f"file is {len(raw):,} bytes; a record may be at "
                                     f"most {MAX_BYTES:,} bytes. Move long text into a document "
                                     "and link it under `documents`."),))
    if not raw.strip():
        return Parsed(None, (Problem(where, "", "file is empty; a record needs at least `title`, "
                                     "`decision_maker`, `dates`, `decision`, `reasons` and "
                                     "`alternatives`."),))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Parsed(None, (Problem(SourceRef(path, line), "", f"invalid UTF-8 at byte "
                                     f"{exc.start}; save the file as UTF-8."),))
    text = text.removeprefix("\ufeff")

    try:
        events = list(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or "not valid YAML"
        return Parsed(None, (Problem(SourceRef(path, line), "", f"YAML syntax error: {what}. "
                                     "Check indentation and quote text containing ': ' or '#'."),))
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        return Parsed(None, (Problem(where, "", f"not readable as YAML ({type(exc).__name__}); "
                                     "remove control characters and save as UTF-8."),))

    documents = 0
    for ev in events:
        line = ev.start_mark.line + 1 if ev.start_mark else 0
        ref = SourceRef(path, line)
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents == 2:
                problems.append(Problem(ref, "", "several YAML documents in one file; put each "
                                        "decision in its own file and remove the `---` line."))
        elif isinstance(ev, yaml.AliasEvent):
            problems.append(Problem(ref, "", f"YAML aliases (*{ev.anchor}) are not allowed; write "
                                    "the value out in full."))
        elif isinstance(ev, yaml.NodeEvent):
            if ev.anchor is not None:
                problems.append(Problem(ref, "", f"YAML anchors (&{ev.anchor}) are not allowed; "
                                        "write each value out in full."))
            tag = getattr(ev, "tag", None)
            if tag is not None:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                problems.append(Problem(ref, "", f"YAML tags ({shown}) are not allowed; remove "
                                        "the tag and write a plain value."))
    if problems:
        return Parsed(None, tuple(problems))

    node = yaml.compose(text, Loader=_Loader)
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 0
        return Parsed(None, (Problem(SourceRef(path, line), "", "a record must be a mapping of "
                                     "`field: value` lines, starting with `title:`."),))
    builder = _Builder(path)
    data = builder.mapping(node, "", 1)
    return Parsed(None if builder.problems else data, tuple(builder.problems))


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
                self._add(key_node, field, "YAML merge keys (<<) are not allowed.")
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
            return int(text)
        if _FLOAT.match(text):
            return float(text)
        return text

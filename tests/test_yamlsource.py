# This module tests the strict YAML reader: every construct it refuses, the line each refusal
# names, the lines it remembers for later stages, and its YAML-1.2-like typing of plain values.
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamlsource
from generator.messages import reading as say
from generator.problems import Problem, SourceRef
from generator.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_INT_DIGITS, LineDict, LineList, \
    parse_yaml

PATH = "decisions/2025/x.yaml"


def parse(text: str | bytes, **kwargs: Any) -> tuple[LineDict | None, list[str]]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    parsed = parse_yaml(raw, PATH, **kwargs)
    return parsed.data, [str(p) for p in parsed.problems]


def value(text: str) -> Any:
    data, problems = parse(f"v: {text}\n")
    assert problems == [], problems
    assert data is not None
    return data["v"]


# Refusals


def test_tags_are_refused_with_their_line() -> None:
    data, problems = parse("title: x\nrun: !!python/object/apply:os.system [ls]\n")
    assert data is None
    assert problems == [f"{PATH}:2: YAML tags (!!python/object/apply:os.system) are not "
                        "allowed; remove the tag and write a plain value."]


def test_a_local_tag_is_refused_too() -> None:
    assert parse("title: !secret x\n")[1] == [
        f"{PATH}:1: YAML tags (!secret) are not allowed; remove the tag and write a plain value."]


def test_even_the_standard_str_tag_is_refused() -> None:
    # A tag changes how a value is read; none is needed, so none is allowed.
    assert parse("title: !!str 12\n")[1] == [
        f"{PATH}:1: YAML tags (!!str) are not allowed; remove the tag and write a plain value."]


def test_anchors_and_aliases_are_refused_where_they_are() -> None:
    data, problems = parse("a: &one x\nb: 1\nc: *one\n")
    assert data is None
    assert problems == [
        f"{PATH}:1: YAML anchors (&one) are not allowed; write each value out in full.",
        f"{PATH}:3: YAML aliases (*one) are not allowed; write the value out in full.",
    ]


def test_repeated_aliases_on_one_line_are_one_problem() -> None:
    problems = parse("a: &x 1\nb: [*x, *x, *x]\n")[1]
    assert problems == [
        f"{PATH}:1: YAML anchors (&x) are not allowed; write each value out in full.",
        f"{PATH}:2: YAML aliases (*x) are not allowed; write the value out in full.",
    ]


def test_a_flood_of_aliases_is_counted_not_listed() -> None:
    lines = ["a: &a 1"] + [f"k{i}: *a" for i in range(500)]
    problems = parse("\n".join(lines) + "\n")[1]
    assert len(problems) == 11
    assert problems[-1] == (f"{PATH}: and 491 more YAML anchors, aliases or tags; remove every "
                            "one of them.")


def test_merge_keys_are_refused() -> None:
    assert parse("a:\n  <<: {b: 1}\n")[1] == [
        f"{PATH}:2: a.<<: YAML merge keys (<<) are not allowed; write the fields out in full."]


def test_duplicate_keys_name_both_lines() -> None:
    text = "appendices:\n  - title: A\n    exempt: 3\n    title: B\n"
    data, problems = parse(text)
    assert data is None
    assert problems == [f"{PATH}:4: appendices[1].title: duplicate key 'title' (first on line 2); "
                        "keep one of them."]


@pytest.mark.parametrize("word", ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                                  "on", "On", "ON", "off", "Off", "OFF"])
def test_yaml_1_1_booleans_are_refused(word: str) -> None:
    data, problems = parse(f"title: x\nkey_decision: {word}\n")
    assert data is None
    assert problems == [f"{PATH}:2: key_decision: '{word}' is ambiguous in YAML; write true or "
                        "false (or put it in quotes if you mean the word)."]


def test_a_quoted_yes_is_just_the_word() -> None:
    assert value('"yes"') == "yes"
    assert value("'no'") == "no"


def test_several_documents_are_refused_at_the_second() -> None:
    assert parse("title: a\n---\ntitle: b\n")[1] == [
        f"{PATH}:2: several YAML documents in one file; keep one decision per file and remove "
        "the `---` line."]


def test_one_document_with_markers_is_fine() -> None:
    assert parse("---\ntitle: a\n...\n") [0] == {"title": "a"}


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"   \n\t\n"])
def test_an_empty_file_says_what_a_record_needs(raw: bytes) -> None:
    assert parse(raw)[1] == [
        f"{PATH}: file is empty; a record needs at least `title`, `decision_maker`, `dates`, "
        "`decision`, `reasons` and `alternatives`."]


def test_a_file_of_only_comments_is_not_a_record() -> None:
    assert parse("# nothing yet\n")[1] == [
        f"{PATH}: a record must be a mapping of `field: value` lines, starting with `title:`."]


@pytest.mark.parametrize("text", ["- a\n- b\n", "just words\n", "42\n"])
def test_a_record_must_be_a_mapping(text: str) -> None:
    assert parse(text)[1] == [
        f"{PATH}:1: a record must be a mapping of `field: value` lines, starting with `title:`."]


def test_settings_files_get_settings_wording() -> None:
    assert parse("- a\n", record=False)[1] == [
        f"{PATH}:1: the file must be a mapping of `field: value` lines, as in the sample in "
        "site-data/."]
    assert parse(b"", record=False)[1] == [
        f"{PATH}: file is empty; restore it from the sample in site-data/."]


def test_the_size_limit_is_inclusive() -> None:
    head = b"title: x\npurpose: "
    at_limit = head + b"a" * (MAX_BYTES - len(head) - 1) + b"\n"
    assert len(at_limit) == MAX_BYTES
    assert parse(at_limit)[1] == []
    over = at_limit + b"\n"
    assert parse(over)[1] == [
        f"{PATH}: file is 262,145 bytes; a file may be at most 262,144 bytes. Move long text into "
        "a document and link it under `documents`."]


def test_invalid_utf8_names_its_line_and_byte() -> None:
    assert parse(b"title: x\npurpose: caf\xe9\n")[1] == [
        f"{PATH}:2: invalid UTF-8 at byte 21; save the file as UTF-8."]


def test_utf16_is_refused_as_not_utf8() -> None:
    assert parse("title: x\n".encode("utf-16"))[1] == [
        f"{PATH}:1: invalid UTF-8 at byte 0; save the file as UTF-8."]


def test_a_utf8_byte_order_mark_is_allowed() -> None:
    assert parse(b"\xef\xbb\xbftitle: x\n")[0] == {"title": "x"}


def test_a_raw_control_character_names_its_line() -> None:
    assert parse("title: x\npurpose: a\x07b\n")[1] == [
        f"{PATH}:2: U+0007 control character is not allowed in YAML; delete it and retype the "
        "text."]


@pytest.mark.parametrize(("text", "name", "column"), [
    ("title: abc\u202edef\n", "U+202E RIGHT-TO-LEFT OVERRIDE", 4),
    ("title: a\u2066b\n", "U+2066 LEFT-TO-RIGHT ISOLATE", 2),
    ("title: ab\u200bc\n", "U+200B ZERO WIDTH SPACE", 3),
    ("title: \u200dx\n", "U+200D ZERO WIDTH JOINER", 1),
    ("title: x\u061c\n", "U+061C ARABIC LETTER MARK", 2),
    ("title: a\ufeffb\n", "U+FEFF ZERO WIDTH NO-BREAK SPACE", 2),
    ('title: "a\\x01b"\n', "U+0001 control character", 2),
    ('title: "a\\x85b"\n', "U+0085 control character", 2),
])
def test_invisible_and_bidi_characters_are_named_with_their_column(
        text: str, name: str, column: int) -> None:
    data, problems = parse(text)
    assert data is None
    assert problems == [f"{PATH}:1: title: invisible or bidi control character {name} at "
                        f"character {column} of the value; delete it and retype the text."]


def test_tabs_and_newlines_inside_text_are_fine() -> None:
    data, problems = parse('purpose: "a\\tb"\nreasons: |\n  one\n  two\n')
    assert problems == []
    assert data == {"purpose": "a\tb", "reasons": "one\ntwo\n"}


def test_a_syntax_error_names_the_line_and_where_the_construct_began() -> None:
    assert parse("title: x\nwards: [all\ndates: 1\n")[1] == [
        f"{PATH}:3: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
        "sequence that starts on line 2). Check the indentation (spaces, not tabs) and put text "
        "containing ': ' or ' #' in quotes."]


def test_a_colon_in_plain_text_is_a_syntax_error_with_advice() -> None:
    assert parse("title: Budget: the plan\n")[1] == [
        f"{PATH}:1: YAML syntax error: mapping values are not allowed in this context. "
        "Check the indentation (spaces, not tabs) and put text containing ': ' or ' #' in quotes."]


def test_a_complex_key_is_refused() -> None:
    assert parse("? [a, b]\n: 1\n")[1] == [
        f"{PATH}:1: a key must be a plain word such as `title`."]


def test_nesting_is_limited_before_composing() -> None:
    # libyaml composes recursively in C: 100,000 brackets would crash the interpreter, so the
    # depth is checked from the event stream first.
    data, problems = parse("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert data is None
    assert problems == [f"{PATH}:1: nested more than {MAX_DEPTH} levels deep; flatten it."]


def test_nesting_up_to_the_limit_is_accepted() -> None:
    depth_ok = "a: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1) + "\n"
    assert parse(depth_ok)[1] == []
    too_deep = "a: " + "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH + "\n"
    assert parse(too_deep)[1] == [f"{PATH}:1: nested more than {MAX_DEPTH} levels deep; "
                                  "flatten it."]


def test_every_problem_in_a_file_is_reported_together() -> None:
    problems = parse("a: yes\nb: no\na: 1\n")[1]
    assert [p.split(":")[1] for p in problems] == ["1", "2", "3"]


# Lines remembered for later stages


def test_line_dicts_and_lists_remember_lines() -> None:
    text = ("# comment\n"
            "title: x\n"
            "dates:\n"
            "  decision: 2025-12-04\n"
            "\n"
            "  published: 2025-12-05\n"
            "reasons:\n"
            "  - one\n"
            "  - >-\n"
            "    two\n"
            "  - three\n"
            "wards: [a,\n"
            "  b]\n")
    data, problems = parse(text)
    assert problems == []
    assert isinstance(data, LineDict)
    assert data.line == 2
    assert data.lines == {"title": 2, "dates": 3, "reasons": 7, "wards": 12}
    assert isinstance(data["dates"], LineDict)
    assert data["dates"].line == 4
    assert data["dates"].lines == {"decision": 4, "published": 6}
    assert isinstance(data["reasons"], LineList)
    assert data["reasons"].line == 8
    assert data["reasons"].lines == [8, 9, 11]
    assert data["wards"].lines == [12, 13]


def test_problem_lines_are_one_based() -> None:
    parsed = parse_yaml(b"a: 1\nb: yes\n", PATH)
    assert isinstance(parsed.problems[0], Problem)
    assert parsed.problems[0].where.line == 2


# Typing of plain values: YAML 1.2's core schema, minus everything surprising


@pytest.mark.parametrize(("text", "expected"), [
    ("0", 0), ("7", 7), ("-3", -3), ("+12", 12), ("990930", 990930),
    ("1.5", 1.5), ("-0.25", -0.25), (".5", 0.5), ("2.5e3", 2500.0), ("1.10", 1.1),
])
def test_numbers(text: str, expected: int | float) -> None:
    got = value(text)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize("text", ["~", "null", "Null", "NULL", ""])
def test_null(text: str) -> None:
    assert value(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("true", True), ("True", True), ("TRUE", True),
    ("false", False), ("False", False), ("FALSE", False),
])
def test_booleans(text: str, expected: bool) -> None:
    assert value(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-12-04", "2025-12-04"),       # dates stay text: the schema checks them as dates
    ("2025-12-04 10:00:00", "2025-12-04 10:00:00"),
    ("0123", "0123"),                   # YAML 1.1: octal 83
    ("007", "007"),
    ("12:30", "12:30"),                 # YAML 1.1: sexagesimal 750
    ("0x1F", "0x1F"),
    ("0o17", "0o17"),
    ("1_000", "1_000"),
    ("1e5", "1e5"),
    (".inf", ".inf"),
    (".nan", ".nan"),
    ("1.", "1."),
    ("'42'", "42"),                     # quoted: always text
    ('"true"', "true"),
    ('"~"', "~"),
    ("''", ""),
    ("'2025-12-04'", "2025-12-04"),
    ("|\n  17\n", "17\n"),              # block scalars: always text
    (">-\n  3.5\n", "3.5"),
])
def test_everything_else_stays_text(text: str, expected: str) -> None:
    got = value(text)
    assert got == expected
    assert type(got) is str


def test_a_longer_run_of_digits_stays_text_with_a_problem() -> None:
    digits = "1" * (MAX_INT_DIGITS + 1)
    data, problems = parse(f"amount: {digits}\n")
    assert data is None
    assert problems == [f"{PATH}:1: amount: a number of more than {MAX_INT_DIGITS} digits; check "
                        "it, or put it in quotes if it is a reference rather than a number."]
    # Past Python's own limit (4,300 digits) int() would raise: it must never be reached.
    assert parse(f"amount: {'9' * 5000}\n")[0] is None


def test_the_longest_allowed_number_is_a_number() -> None:
    assert value("9" * MAX_INT_DIGITS) == int("9" * MAX_INT_DIGITS)


def test_a_number_too_large_for_a_float_is_refused() -> None:
    data, problems = parse("amount: 1.0e999\n")
    assert data is None
    assert problems == [f"{PATH}:1: amount: a number too large to be real; check it, or put it "
                        "in quotes if it is text."]


def test_keys_are_always_text() -> None:
    data, problems = parse("1: a\ntrue: b\nnull: c\n")
    assert problems == []
    assert data == {"1": "a", "true": "b", "null": "c"}


# One pass over the events, held to the two passes it replaced: the structure problems from
# the events, then libyaml's composed nodes turned into LineDicts.


def _reference(text: str) -> tuple[Any, list[Problem]]:
    """What the reader made before it was one pass (yamlsource.py as of 8a49767)."""
    seen: set[tuple[int, str]] = set()
    structure: list[Problem] = []
    extra = documents = depth = 0

    def add(problem: Problem) -> None:
        nonlocal extra
        if (problem.where.line, problem.message) in seen:
            return
        seen.add((problem.where.line, problem.message))
        if len(structure) < yamlsource.MAX_LISTED:
            structure.append(problem)
        else:
            extra += 1

    def at(ev: Any) -> SourceRef:
        return SourceRef(PATH, ev.start_mark.line + 1 if ev.start_mark else 0)

    for ev in yaml.parse(text, Loader=yamlsource._Loader):
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents == 2:
                add(say.several_documents(at(ev), True))
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
            if getattr(ev, "tag", None) is not None:
                add(say.tag(at(ev), ev.tag.replace("tag:yaml.org,2002:", "!!")))
    if extra:
        structure.append(say.more_structure(SourceRef(PATH), extra))
    if structure:
        return None, structure
    node = yaml.compose(text, Loader=yamlsource._Loader)
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 0
        return None, [say.not_a_mapping(SourceRef(PATH, line), True)]
    problems: list[Problem] = []
    reader = yamlsource._Reader(PATH, True)  # only for its scalar rules

    def build(node: Any, field: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            out = LineDict()
            out.lines, out.line = {}, node.start_mark.line + 1
            for key_node, value_node in node.value:
                where = SourceRef(PATH, key_node.start_mark.line + 1)
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(say.key_not_plain(where, field))
                    continue
                key = key_node.value
                inner = f"{field}.{key}" if field else key
                if key == "<<":
                    problems.append(say.merge_key(where, inner))
                elif key in out.lines:
                    problems.append(say.duplicate_key(where, inner, key, out.lines[key]))
                else:
                    out.lines[key] = key_node.start_mark.line + 1
                    out[key] = build(value_node, inner)
            return out
        if isinstance(node, yaml.SequenceNode):
            items = LineList()
            items.lines, items.line = [], node.start_mark.line + 1
            for i, item in enumerate(node.value, start=1):
                items.append(build(item, f"{field}[{i}]"))
                items.lines.append(item.start_mark.line + 1)
            return items
        reader.problems = problems
        return reader._scalar(node, field)

    data = build(node, "")
    return (None if problems else data), problems


def _shape(value: Any) -> Any:
    """A value with every line it remembers, and every type, to compare exactly."""
    if isinstance(value, LineDict):
        return ("map", value.line, value.lines, [(k, _shape(v)) for k, v in value.items()])
    if isinstance(value, LineList):
        return ("seq", value.line, value.lines, [_shape(v) for v in value])
    return (type(value).__name__, value)


_SCALARS = st.sampled_from(["x", "yes", "no", "12", "1.5", "~", "''", '"q"', "a b", "1e999",
                            "0x1", "\u200bz", "'\u202e'", "|\n  block", ">-\n  fold", "<<",
                            "9" * 31])
_KEYS = ["a", "b", "a", "<<", "title", "? [k]", "? {k: v}", "'a'", "c", "b"]
_FLOWS = [" [a, [b, {c: d}]]", " {a: 1, a: 2}", " [[[[[[x]]]]]]", " []", " {}", " {? [k]: v}",
          " [yes, 3, {<<: x}]", " {a: [b, c], d: e}"]
# Anchors, aliases and tags: refused before anything is built.
_REFUSED_KEYS = ["&k a", "!!str a"]
_REFUSED = [" *k", " &k x", " !!int 3", " !local x", " [&a 1, *a]"]


def _block(depth: int, refused: bool) -> st.SearchStrategy[str]:
    """Block YAML `depth` levels deep, with what the reader refuses mixed in."""
    pad = "  " * depth
    nested = [] if depth >= 3 else [_block(depth + 1, refused).map(lambda b: "\n" + b),
                                    _items(depth + 1, refused).map(lambda b: "\n" + b)]
    node = st.one_of(
        _SCALARS.map(lambda s: " " + s.replace("\n", "\n" + pad + "  ")),
        st.sampled_from(_FLOWS + (_REFUSED if refused else [])), *nested)
    keys = st.sampled_from(_KEYS + (_REFUSED_KEYS if refused else []))
    pair = st.tuples(keys, node).map(lambda kv: f"{pad}{kv[0]}:{kv[1]}")
    return st.lists(pair, min_size=1, max_size=4).map("\n".join)


def _items(depth: int, refused: bool) -> st.SearchStrategy[str]:
    pad = "  " * depth
    item = st.one_of(_SCALARS.map(lambda s: s.replace("\n", "\n" + pad + "  ")),
                     st.sampled_from(["[1, 2]", "- nested", "{a: b}", "[[[[[[[[[[[x]]]]]]]]]]]"]
                                     + (["*k", "&k x"] if refused else [])),
                     *([_block(depth + 1, refused).map(str.lstrip)] if depth < 3 else []))
    return st.lists(item.map(lambda s: f"{pad}- {s}"), min_size=1, max_size=3).map("\n".join)


_DOCUMENTS = st.one_of(
    _block(0, False),
    _block(0, True),
    st.tuples(_block(0, False), st.sampled_from(["\n---\nb: 2", "\n...\n", "\n--- x",
                                                 "\n%YAML 1.1"])).map("".join),
    _items(0, False),
    st.sampled_from(["", "# only a comment", "---", "x", "[a]", "{a: 1}"]),
    st.lists(st.sampled_from(["a", ":", " ", "-", "\n", "[", "]", "{", "}", ",", "&a", "*a",
                              "!t", "?", "'", '"', "#", "|", "  "]), max_size=30).map("".join))


def _fields(data: Any, prefix: str = "") -> Iterator[tuple[str, int]]:
    """The definition of Parsed.fields: the LineDicts walked depth first."""
    if isinstance(data, LineDict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else key
            yield name, data.lines[key]
            yield from _fields(value, name)
    elif isinstance(data, LineList):
        for i, (value, line) in enumerate(zip(data, data.lines, strict=True), start=1):
            yield f"{prefix}[{i}]", line
            yield from _fields(value, f"{prefix}[{i}]")


def test_a_records_fields_are_named_with_their_lines_and_interned() -> None:
    parsed = parse_yaml(b"title: A\ndates:\n  decided: 2025-01-02\noptions:\n  - name: x\n"
                        b"    why: [1, 2]\n  - other\n", PATH)
    assert parsed.fields == (("title", 1), ("dates", 2), ("dates.decided", 3), ("options", 4),
                             ("options[1]", 5), ("options[1].name", 5), ("options[1].why", 6),
                             ("options[1].why[1]", 6), ("options[1].why[2]", 6),
                             ("options[2]", 7))
    again = parse_yaml(b"dates:\n  decided: 2025-01-03\n", PATH)
    assert again.fields[1][0] is parsed.fields[2][0]  # one string, however many records
    assert parse_yaml(b"a: 1\na: 2\n", PATH).fields == ()  # no data, no fields


@settings(max_examples=600, deadline=None)
@given(_DOCUMENTS)
def test_one_pass_reads_what_the_two_passes_read(text: str) -> None:
    text += "\n"
    try:
        expected: Any = _reference(text)
    except yaml.YAMLError as exc:
        expected = type(exc)
    reader = yamlsource._Reader(PATH, True)
    try:
        reader.read(text)
        got: Any = (reader.structure or reader.problems,
                    None if reader.structure else reader.data)
        if not reader.structure and reader.data is None:
            got = ([say.not_a_mapping(SourceRef(PATH, reader.data_line), True)], None)
    except yaml.YAMLError as exc:
        got = type(exc)
    if isinstance(expected, tuple):
        data, problems = expected
        assert not isinstance(got, type), text
        assert got[0] == problems, text
        if data is not None or not problems:
            assert _shape(got[1]) == _shape(data), text
        if reader.data is not None and not reader.structure and not reader.problems:
            assert reader.fields == list(_fields(reader.data)), text
    else:
        assert got == expected, text

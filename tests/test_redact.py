# This module tests redaction, the stage after which nothing exempt may exist: inline markers
# must parse strictly (a mistyped marker would publish the passage it meant to hide), exempt
# appendices must become notices with the statutory wording, every prose field must lose its
# marked passages, and every exempt value must be handed to the leak guard without ever being
# printed. The fixture records are tests/data/leaks/, which the canary suite builds.
from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import redact as redact_module
from generator.load import load_project
from generator.model import Decision, Project
from generator.redact import (
    MARKER_CLASS,
    NEAR_MISS,
    REDACTED,
    TOKEN,
    Secret,
    has_marker_syntax,
    marker_html,
    marker_text,
    parse_markers,
    plain_fields,
    prose_fields,
    redact,
    redact_text,
    secrets_of,
)
from generator.render import plain_text, prose, prose_inline
from generator.validate import validate

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "data" / "leaks"
EXEMPT_TOKEN = re.compile(r"qzx7ex[a-z0-9]+")


def make_project(dest: Path, mode: str) -> Path:
    """The leak fixture beside a copy of the council's settings, in `mode` (public|private)."""
    shutil.copytree(REPO / "site-data", dest / "site-data")
    shutil.copytree(FIXTURE / "decisions", dest / "decisions")
    authority = dest / "site-data" / "authority.yml"
    text, n = re.subn(r"(?m)^source_repository:\s*\w+", f"source_repository: {mode}",
                      authority.read_text(encoding="utf-8"))
    assert n == 1, "site-data/authority.yml no longer has one `source_repository:` line"
    authority.write_text(text, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = make_project(tmp_path_factory.mktemp("redact"), "private")
    loaded = load_project(root)
    assert loaded.project is not None, [str(p) for p in loaded.problems]
    return loaded.project


@pytest.fixture(scope="module")
def table(project: Project) -> dict[str, str]:
    return dict(project.authority.exempt_table)


def record(project: Project, record_id: str) -> Decision:
    return next(d for d in project.decisions if d.id == record_id)


def strings(value: Any) -> Iterator[str]:
    """Every piece of text reachable from a model value, whatever field holds it."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from strings(item)


def rebuild(value: Any, fn: Callable[[str], str]) -> Any:
    """A copy of a model value with `fn` applied to every piece of text in it."""
    if type(value) is str:  # not the enums, which are str subclasses
        return fn(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: rebuild(getattr(value, f.name), fn)
                                             for f in dataclasses.fields(value)})
    if isinstance(value, tuple):
        return tuple(rebuild(item, fn) for item in value)
    return value


def kind(field: str) -> str:
    """A field path without item numbers: `alternatives[2].pros[1]` -> `alternatives[].pros[]`."""
    return re.sub(r"\[\d+\]", "[]", field)


# ---------------------------------------------------------------------------------------------
# parse_markers


def test_balanced_markers_give_their_spans_and_paragraphs() -> None:
    text = ("Price [[exempt 3]]two million[[/exempt]]; advice [[Exempt 3, 5]]from counsel"
            "[[/EXEMPT]].")
    spans, error = parse_markers(text)
    assert error is None
    assert [text[s.inner_start:s.inner_end] for s in spans] == ["two million", "from counsel"]
    assert [s.paragraphs for s in spans] == [("3",), ("3", "5")]
    assert [text[s.start:s.end] for s in spans] == [
        "[[exempt 3]]two million[[/exempt]]", "[[Exempt 3, 5]]from counsel[[/EXEMPT]]"]


def test_markers_may_have_spaces_inside_the_brackets() -> None:
    spans, error = parse_markers("a [[ exempt 7A ]]named suspect[[ / exempt ]] b")
    assert error is None and spans[0].paragraphs == ("7A",)


def test_text_without_markers_has_no_spans() -> None:
    assert parse_markers("Nothing exempt [here](https://example.org).") == ((), None)


@pytest.mark.parametrize(("text", "message"), [
    ("a [[/exempt]] b",
     "an [[/exempt]] marker has no [[exempt N]] before it."),
    ("a [[exempt 3]]the secret price b",
     "an [[exempt N]] marker is not closed; add [[/exempt]] after the passage."),
    ("[[exempt 3]]outer [[exempt 5]]inner[[/exempt]] secret[[/exempt]]",
     "exempt markers cannot be nested; close the first passage with [[/exempt]] before "
     "starting another."),
    ("a [[exempt]]the secret price[[/exempt]]",
     "an exempt marker must name its Schedule 12A paragraph, as [[exempt 3]] or "
     "[[exempt 3, 5]]."),
    ("a [[exempt three]]the secret price[[/exempt]]",
     "an exempt marker must name its Schedule 12A paragraph, as [[exempt 3]] or "
     "[[exempt 3, 5]]."),
    ("a [[exempt 3]][[/exempt]] b",
     "an exempt passage is empty; remove the markers."),
])
def test_bad_markers_are_refused_without_quoting_the_text(text: str, message: str) -> None:
    spans, error = parse_markers(text)
    assert spans == ()
    assert error == message
    assert "secret" not in error and "inner" not in error


MISTYPED = ("looks like a mistyped exempt marker (brackets that are not [[exempt N]] or "
            "[[/exempt]]); write the passage as [[exempt 3]]...[[/exempt]], or remove the "
            "brackets.")


@pytest.mark.parametrize(("text", "message"), [
    ("a [[exmept 3]]the secret price[[/exmept]] b", MISTYPED),
    ("a [exempt 3]the secret price[/exempt] b", MISTYPED),
    ("a [[exempt 3]]the secret price[[/exempt]] and ]] b", MISTYPED),
    ("a [[exempt 3]the secret price[[/exempt]] b",
     "an [[/exempt]] marker has no [[exempt N]] before it."),
    ("a [[exempt 3]]the secret price[/exempt]] b",
     "an [[exempt N]] marker is not closed; add [[/exempt]] after the passage."),
    # A closing half alone: the text has a bracket, but no "[".
    ("the secret price exempt 3]] b", MISTYPED),
    ("the secret price [[ b", MISTYPED),
])
def test_mistyped_markers_are_refused_because_they_would_publish(text: str, message: str) -> None:
    assert parse_markers(text) == ((), message)
    assert has_marker_syntax(text)


@given(st.text(alphabet=st.sampled_from("[]/ exemptEXEMPT35A,\n\u00a0x"), max_size=40))
def test_text_without_brackets_cannot_match_a_marker(text: str) -> None:
    # parse_markers and has_marker_syntax return at once for text with no bracket (redact.py):
    # that is exact only while no match of either expression can be without one.
    if "[" not in text and "]" not in text:
        assert TOKEN.search(text) is None and NEAR_MISS.search(text) is None
    assert has_marker_syntax(text) == bool(TOKEN.search(text) or NEAR_MISS.search(text))


def test_the_published_marker_wording_is_not_mistaken_for_a_marker() -> None:
    # An officer may paste a published page's text back into a record.
    text = "The price was [exempt information withheld under paragraph 3]."
    assert parse_markers(text) == ((), None)
    assert not has_marker_syntax(text)


def test_redact_text_fails_closed_on_bad_markers() -> None:
    with pytest.raises(ValueError) as caught:
        redact_text("[[exempt 3]]the secret price")
    assert "secret" not in str(caught.value)


def test_redact_text_replaces_each_passage_with_a_token() -> None:
    out = redact_text("a [[exempt 3]]x secret one[[/exempt]] b [[exempt 1,2]]secret two[[/exempt]]")
    assert "secret" not in out
    assert [m.group(1) for m in REDACTED.finditer(out)] == ["3", "1,2"]


# ---------------------------------------------------------------------------------------------
# Markers as published


def test_marker_html_is_a_visible_accessible_text() -> None:
    assert marker_html(("3",)) == (f'<span class="{MARKER_CLASS}">[exempt information withheld '
                                   "under paragraph 3]</span>")
    assert "paragraphs 3 and 5]" in marker_html(("3", "5"))


def test_rendered_prose_shows_the_marker_in_every_context() -> None:
    # nh3 deletes NUL, which once left "EXEMPT:3" on the page instead of the marker.
    cases = [
        "Price: [[exempt 3]]two million pounds[[/exempt]].",
        "- first\n- [[exempt 3]]two million pounds[[/exempt]]\n",
        "| Item | Amount |\n|---|---|\n| Price | [[exempt 3, 5]]two million pounds[[/exempt]] |",
        "**Price: [[exempt 3]]two million pounds[[/exempt]]**",
    ]
    for case in cases:
        html = str(prose(redact_text(case)))
        assert "two million" not in html
        assert "EXEMPT" not in html and "\x00" not in html
        assert f'<span class="{MARKER_CLASS}">[exempt information withheld under paragraph' in html
    assert str(prose_inline(redact_text("[[exempt 3]]two million pounds[[/exempt]]"))) == \
        marker_html(("3",))


def test_a_record_cannot_forge_a_marker() -> None:
    # The renderer carries tokens between private-use characters; a record's own are dropped.
    # (A record cannot hold NUL: the loader refuses control characters.)
    assert str(prose("Price: \ue0003\ue001 paid")) == "<p>Price: 3 paid</p>"


def test_plain_outputs_name_the_withheld_passage_in_words() -> None:
    text = redact_text("Paid [[exempt 3, 5]]two million pounds[[/exempt]] in total.")
    assert plain_text(text) == marker_text(text) == (
        "Paid [exempt information withheld under paragraphs 3 and 5] in total.")


# ---------------------------------------------------------------------------------------------
# redact on the fixture records


def test_exempt_appendices_become_notices_with_the_statutory_wording(
        project: Project, table: dict[str, str]) -> None:
    d = record(project, "leak-canary-cabinet")
    public = redact(d, table)
    assert [n.title for n in public.notices] == ["Appendix 2 - Offers received",
                                                 "Appendix 3 - Legal advice"]
    offers = public.notices[0]
    assert offers.paragraphs == (("3", table["3"]), ("5", table["5"]))
    assert table["3"].startswith("Information relating to the financial or business affairs")
    assert str(offers.review_date) == "2026-10-31"
    assert offers.public_interest.startswith("Publishing the offers would weaken")
    assert "qzx7" not in offers.public_interest
    # The exempt appendices are gone from the record; the public one stays.
    assert [a.title for a in public.decision.appendices] == ["Appendix 1 - Site plan"]
    assert public.public_appendices == public.decision.appendices


def test_nothing_exempt_survives_anywhere_in_the_public_decision(
        project: Project, table: dict[str, str]) -> None:
    for d in project.decisions:
        secrets = secrets_of(d)
        public = redact(d, table)
        texts = list(strings(public))
        for s in secrets:
            assert not any(s.text in t for t in texts), s
        assert not any(EXEMPT_TOKEN.search(t) for t in texts), d.id
        assert not any(has_marker_syntax(t) for t in texts), d.id


def test_every_prose_field_is_redacted(project: Project, table: dict[str, str]) -> None:
    """Put a new marked passage in every field prose_fields names, and none may survive."""
    for d in project.decisions:
        fields = list(prose_fields(d))
        numbered = {text: n for n, (_, text) in enumerate(fields)}
        assert len(numbered) == len(fields), "fixture prose must be unique to be found again"
        marked = rebuild(d, lambda t, numbered=numbered: (
            f"{t} [[exempt 3]]qzx7walk{numbered[t]}k9 passage[[/exempt]]") if t in numbered else t)
        after = list(prose_fields(marked))
        # The walk reached every field: the test cannot pass by marking nothing.
        assert [f for f, _ in after] == [f for f, _ in fields]
        assert all(f"qzx7walk{n}k9" in t for n, (_, t) in enumerate(after))
        public = redact(marked, table)
        survivors = [t for t in strings(public) if "qzx7walk" in t]
        assert survivors == [], f"{d.id}: a prose field kept its marked passage"
        before_count = sum(len(parse_markers(t)[0]) for _, t in fields)
        assert public.redactions == before_count + len(fields) - _dropped_with_exempt_appendices(d)


def test_a_record_that_marks_nothing_is_its_own_public_version(
        project: Project, table: dict[str, str]) -> None:
    plain = [d for d in project.decisions
             if not secrets_of(d) and not any(a.exempt for a in d.appendices)]
    assert plain and len(plain) < len(project.decisions)
    for d in plain:
        assert redact(d, table).decision is d


def test_keeping_what_redaction_left_alone_gives_what_copying_it_gives(
        project: Project, table: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    kept = [redact(d, table) for d in project.decisions]
    monkeypatch.setattr(redact_module, "_kept", dataclasses.replace)
    assert [redact(d, table) for d in project.decisions] == kept


def _dropped_with_exempt_appendices(d: Decision) -> int:
    """Passages in exempt appendices' descriptions leave with the appendix: none is counted."""
    return sum(1 + len(parse_markers(a.description or "")[0])
               for a in d.appendices if a.exempt and a.description)


def test_a_marker_left_in_a_name_stops_redaction(project: Project, table: dict[str, str]) -> None:
    d = dataclasses.replace(record(project, "leak-control-public"),
                            title="Sale [[exempt 3]]to the named bidder[[/exempt]]")
    with pytest.raises(ValueError) as caught:
        redact(d, table)
    assert "named bidder" not in str(caught.value)
    assert "title" in str(caught.value)


# ---------------------------------------------------------------------------------------------
# secrets_of


def test_secrets_of_finds_every_exempt_value(project: Project) -> None:
    for d in project.decisions:
        source = (project_root(project) / d.path).read_text(encoding="utf-8")
        tokens = set(EXEMPT_TOKEN.findall(source))
        secrets = secrets_of(d)
        for token in tokens:
            assert any(token in s.text for s in secrets), f"{d.id}: {token} is not a secret"
        assert all(s.record_id == d.id for s in secrets)
    cabinet = secrets_of(record(project, "leak-canary-cabinet"))
    by_field = {s.field: s.text for s in cabinet}
    assert "qzx7exappbodyk9" in by_field["appendices[2].body"]
    assert "qzx7exappdescriptionk9" in by_field["appendices[2].description"]
    assert by_field["appendices[2].file"] == "2026/appendix-qzx7exfilenamek9.txt"
    assert "qzx7exappurlk9" in by_field["appendices[3].url"]
    assert "qzx7expubappdescriptionk9" in by_field["appendices[1].description"]
    assert "qzx7expublicinterestk9" in by_field["appendices[2].exempt.public_interest"]
    assert secrets_of(record(project, "leak-control-public")) == ()


def project_root(project: Project) -> Path:
    return Path(project.root)


def test_secret_repr_never_shows_the_text() -> None:
    s = Secret("2026-sale", "purpose", "qzx7reprk9 the agreed price")
    for shown in (repr(s), str(s), repr([s]), f"{s!r}"):
        assert "qzx7reprk9" not in shown and "price" not in shown
        assert "2026-sale" in shown and "purpose" in shown


# ---------------------------------------------------------------------------------------------
# Every text field of a record is either prose (redacted) or a name (markers refused)

NEVER_PUBLISHED = {
    "appendices[].body",  # exempt content: a secret, never rendered
    "import_report[]",  # notes for the officer, not loaded into the model
}


def free_text_fields(schema: dict[str, Any], path: str = "") -> Iterator[str]:
    """Every field path in the record schema whose value is free text."""
    branches = schema.get("oneOf")
    if branches:
        for branch in branches:
            yield from free_text_fields(branch, path)
        return
    kind_ = schema.get("type")
    if kind_ == "object":
        for key, sub in schema.get("properties", {}).items():
            yield from free_text_fields(sub, f"{path}.{key}" if path else key)
    elif kind_ == "array":
        yield from free_text_fields(schema.get("items", {}), f"{path}[]")
    elif kind_ == "string" and not {"enum", "pattern", "format"} & set(schema):
        # A pattern or an enum fixes the form (dates, links, files, emails, paragraphs).
        yield path


def test_every_free_text_field_is_classed_as_prose_or_a_name(project: Project) -> None:
    schema = json.loads((REPO / "generator/schema/decision.schema.json").read_text("utf-8"))
    free = set(free_text_fields(schema))
    assert {"purpose", "appendices[].exempt.public_interest", "title"} <= free  # sanity
    prose_kinds = {kind(f) for d in project.decisions for f, _ in prose_fields(d)}
    plain_kinds = {kind(f) for d in project.decisions for f, _ in plain_fields(d)}
    # `alternatives` as one sentence, and `consultation` as one text, are prose too.
    assert {"alternatives", "consultation"} <= prose_kinds
    unclassified = free - prose_kinds - plain_kinds - NEVER_PUBLISHED
    assert unclassified == set(), ("these record fields are neither redacted (prose_fields) "
                                   "nor refused markers (plain_fields), or the fixture in "
                                   "tests/data/leaks lacks them")
    assert not prose_kinds & plain_kinds


def test_the_fixture_marks_a_passage_in_every_kind_of_prose_field(project: Project) -> None:
    marked: set[str] = set()
    every: set[str] = set()
    for d in project.decisions:
        for f, text in prose_fields(d):
            every.add(kind(f))
            if parse_markers(text)[0]:
                marked.add(kind(f))
    assert every - marked == set()


# ---------------------------------------------------------------------------------------------
# What validate says about markers never quotes the passage


def problems_for(project: Project, record_id: str, **changes: Any) -> list[str]:
    changed = dataclasses.replace(record(project, record_id), **changes)
    others = tuple(d for d in project.decisions if d.id != record_id)
    out = validate(dataclasses.replace(project, decisions=(*others, changed)),
                   as_of=datetime.fromisoformat("2026-11-22T10:00:00+00:00"),
                   available_files=frozenset({"2026/public-paper.txt"}))
    return [str(p) for p in out if p.where.path == changed.path]


def test_raw_html_inside_an_exempt_passage_is_refused_without_its_name(
        project: Project) -> None:
    found = problems_for(project, "leak-control-public",
                         purpose="Pay [[exempt 1]]for <johnsmithx> as agreed[[/exempt]] now.")
    refused = [p for p in found if ": purpose: raw HTML is not allowed" in p]
    assert refused == ["decisions/2026/leak-control-public.yaml:15: purpose: raw HTML is not "
                       "allowed (inside an exempt passage); use Markdown: **bold**, *italic*, "
                       "- lists, [text](https://...) links."]
    assert not [p for p in found if "johnsmithx" in p]


def test_a_mistyped_marker_in_a_record_is_an_error_at_its_field(project: Project) -> None:
    found = problems_for(project, "leak-control-public",
                         purpose="Pay [[exmept 1]]the named officer[[/exmept]] now.")
    assert [p for p in found if ": purpose: " in p] == [
        f"decisions/2026/leak-control-public.yaml:15: purpose: {MISTYPED}"]


def test_a_marker_in_a_name_is_an_error(project: Project) -> None:
    found = problems_for(project, "leak-control-public",
                         title="Hours [[exempt 1]]for the named officer[[/exempt]]")
    assert [p for p in found if ": title: " in p] == [
        "decisions/2026/leak-control-public.yaml:3: title: exempt markers are not allowed here: "
        "titles and names appear in navigation, search and feeds. Reword it without the exempt "
        "information."]

# This module tests the leak guard, the last gate before a site is published: it must find an
# exempt passage however an output file disguises it (compression, JSON escapes, entities,
# markup splitting a word, calendar line folding, CSV quoting), and its reports must name the
# record, the field and the file without ever repeating the exempt text.
from __future__ import annotations

import csv
import gzip
import io
import html
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from generator import guard
from generator.guard import (
    BUILD_LOG,
    MIN_SECRET,
    Sliced,
    Windows,
    _Matcher,
    content_cuts,
    ContentSlices,
    json_strings,
    line_slices,
    normalise,
    readable_texts,
    scan_bytes,
    scan_tree,
    secret_forms,
    short_secrets,
)
from generator.redact import Secret

CANARY = Secret("2026-sale", "purpose", "qzx7guardcanaryk9")


def found(name: str, raw: bytes, *secrets: Secret) -> set[str]:
    return scan_bytes(name, raw, _Matcher(secrets or (CANARY,)))


# ---------------------------------------------------------------------------------------------
# normalise and the forms of a secret


_EVERY_CODE_POINT = [chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF]


def test_the_white_space_normalise_deletes_as_bytes_is_all_there_is_after_nfkc() -> None:
    """normalise deletes ASCII white space from UTF-8 bytes, and falls back to split and join
    only for the four white spaces NFKC leaves as they are: every other one NFKC makes a
    plain space, so it never reaches the deletion."""
    spaces = [c for c in _EVERY_CODE_POINT if c.isspace()]
    assert sorted(c for c in spaces if c.isascii()) == sorted(chr(b) for b in guard._ASCII_SPACE)
    kept = [c for c in spaces if not c.isascii() and unicodedata.is_normalized("NFKC", c)]
    assert sorted(kept) == sorted(guard._SPACE_NFKC_KEEPS)


def test_case_folding_never_makes_or_unmakes_white_space() -> None:
    """So normalise may fold after removing the white space rather than before."""
    for c in _EVERY_CODE_POINT:
        folded = c.casefold()
        if c.isspace():
            assert folded == c
        else:
            assert not any(f.isspace() for f in folded), hex(ord(c))


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(
    [" ", "\u00a8", "\u00a0", "\u2028", "\x85", "\u1680", "\u3000", "\u0301", "\ufb01",
     "\u03a3", "\ud800", "\r"])))
def test_normalise_is_nfkc_then_casefold_then_no_white_space(text: str) -> None:
    assert normalise(text) == "".join(unicodedata.normalize("NFKC", text).casefold().split())


def test_normalise_of_every_character_among_ascii_is_nfkc_casefold_and_split() -> None:
    # Non-ASCII text is lowered by bytes and case-folded only where a character folds to
    # something else: each code point, in blocks between ASCII letters and spaces.
    chars = [chr(cp) for cp in range(0x80, 0x110000) if not 0xD800 <= cp <= 0xDFFF]
    for i in range(0, len(chars), 500):
        text = "Ab ".join(chars[i:i + 500]) + " Z"
        assert normalise(text) == "".join(unicodedata.normalize("NFKC", text).casefold().split()), i


def test_normalise_of_ascii_is_the_same_a_character_at_a_time() -> None:
    # The ASCII short cut maps each byte on its own: every character checks all of it.
    for c in map(chr, range(128)):
        assert normalise(c) == "".join(unicodedata.normalize("NFKC", c).casefold().split())
    assert normalise("AbC dEf\tXYZ\x1f") == "abcdefxyz"


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from([*"aZé7 ,.;:'\"?£$%/@-0ßΣ", "1. ", "- ", "--", "    ", "12.",
                                  "http://x.org/a", "a@b.org"]), max_size=20).map("".join))
def test_a_plain_passage_reads_as_markdown_renders_it(text: str) -> None:
    """secret_forms skips Markdown for one line of words, figures and plain punctuation that
    starts no list or rule: it must be exactly what Markdown makes of it, tags removed."""
    if not (guard._PLAIN.fullmatch(text) and not guard._BLOCK_START.match(text)):
        return
    guard._md.reset()
    rendered = html.unescape(guard._TAG.sub("", guard._md.convert(text)))
    assert normalise(rendered) == normalise(text)


def test_passages_markdown_changes_are_rendered() -> None:
    for text in ("- a list item", "1. first", "2025. A year", "--- rule", "a *b* c", "a_b_c",
                 "x\ny", "<b>x</b>", "a &amp; b", "[a](b)"):
        assert not (guard._PLAIN.fullmatch(text) and not guard._BLOCK_START.match(text)), text
    assert guard._PLAIN.fullmatch("REF-88231 for £1,234,567.50: Kellaway's bid")


def test_normalise_applies_nfkc_casefold_and_removes_all_white_space() -> None:
    # Fullwidth letters and the "fi" ligature fold to ASCII; "ß" casefolds to "ss".
    assert normalise("Ｑzx7 Ｆinal\u00a0Stra\u00dfe\n\tﬁt") == "qzx7finalstrassefit"


def test_secret_forms_cover_the_markdown_source_and_the_rendered_text() -> None:
    forms = secret_forms("The offer from *Acme Homes* was **2.1m** &amp; fees")
    assert normalise("The offer from *Acme Homes* was **2.1m** &amp; fees") in forms
    assert "theofferfromacmehomeswas2.1m&fees" in forms


def test_secret_forms_drop_forms_too_short_to_check() -> None:
    assert secret_forms("four") == set()
    assert secret_forms("88231") == {"88231"}  # a figure fragment (fragments.py) is long enough
    # The source is long enough; what a reader sees of it is not, so only the source is kept.
    assert secret_forms("** a **") == {"**a**"}


def test_short_secrets_lists_passages_below_the_minimum() -> None:
    short = Secret("r", "purpose", "a b c")
    assert short_secrets([short, CANARY]) == (short,)
    assert len(normalise(CANARY.text)) >= MIN_SECRET


# ---------------------------------------------------------------------------------------------
# The matcher


def test_matcher_finds_every_secret_in_one_pass() -> None:
    secrets = [Secret("r", f"f{i}", f"qzx7secret{i:04d}k9") for i in range(500)]
    m = _Matcher(secrets)
    text = normalise("noise qzx7secret0007k9 more qzx7secret0499k9 end")
    assert m.find(text) == {"qzx7secret0007k9", "qzx7secret0499k9"}


def test_matcher_finds_overlapping_secrets() -> None:
    # The second secret begins inside the first one.
    m = _Matcher([Secret("r", "a", "abcdefghij"), Secret("r", "b", "efghijklmn")])
    assert m.find("xxabcdefghijklmnxx") == {"abcdefghij", "efghijklmn"}


def test_matcher_finds_a_secret_that_is_a_prefix_of_another() -> None:
    m = _Matcher([Secret("r", "a", "qzx7prefix"), Secret("r", "b", "qzx7prefixlonger")])
    assert m.find("..qzx7prefixlonger..") == {"qzx7prefix", "qzx7prefixlonger"}
    assert m.find("..qzx7prefixlong..") == {"qzx7prefix"}
    assert m.find("..qzx7prefi..") == set()


def test_matcher_ignores_secrets_too_short_to_check() -> None:
    m = _Matcher([Secret("r", "a", "abc")])
    assert m.empty
    assert m.find("abc abc") == set()


def test_matcher_handles_a_whole_appendix_body() -> None:
    # A secret thousands of characters long once overflowed Python's recursion limit.
    body = " ".join(f"row{i} bidder{i} offer{i * 1000}" for i in range(800))
    m = _Matcher([Secret("r", "appendices[2].body", body)])
    assert m.find(normalise(f"before {body} after")) == {normalise(body)}
    assert m.find(normalise(body[:-10])) == set()


# ---------------------------------------------------------------------------------------------
# Every way a file can be read


def test_gzip_is_decompressed() -> None:
    sitemap = b"<urlset><url><loc>https://x/qzx7guardcanaryk9/</loc></url></urlset>"
    assert found("sitemap.xml.gz", gzip.compress(sitemap)) == {"qzx7guardcanaryk9"}


def test_a_corrupt_gzip_is_still_read_as_bytes() -> None:
    assert found("x.gz", b"not gzip qzx7guardcanaryk9") == {"qzx7guardcanaryk9"}


def test_json_strings_are_decoded_from_unicode_escapes_and_entities() -> None:
    secret = Secret("r", "purpose", "Café Señor & Co Holdings")
    raw = json.dumps({"docs": [{"text": "<p>Caf\u00e9 Se\u00f1or &amp; Co Holdings</p>"}]},
                     ensure_ascii=True).encode()
    assert b"\\u00e9" in raw and b"&amp;" in raw
    assert found("search/search_index.json", raw, secret) == {normalise(secret.text)}


def _walk(value: Any) -> Iterator[str]:
    """The strings of a parsed JSON document in order, as a reader of the document finds them."""
    if isinstance(value, str):
        yield value
        if "<" in value or "&" in value:
            yield html.unescape(re.sub(r"<[^>]*>", "", value))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(k)
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20)


@given(_JSON, st.booleans(), st.sampled_from([None, 1]))
@settings(max_examples=300, deadline=None)
def test_json_strings_are_the_parsed_documents_strings(value: Any, ascii_only: bool,
                                                       indent: int | None) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    assert list(json_strings(text)) == list(_walk(json.loads(text)))


_JSONISH = st.lists(st.sampled_from(
    ['"', "\\", "\\n", "\\u0026", "\\u003c", "\\u00e9", "\\ud800", "\\\\", '\\"', "<b>", ">",
     "&amp;", "&", "a", "Z", " ", ",", ":", "{", "}", "[", "]", "\n", "é"]), max_size=30).map("".join)


@given(_JSONISH)
@settings(max_examples=1000, deadline=None)
def test_json_strings_are_what_reading_piece_by_piece_gives(text: str) -> None:
    # Any text at all, JSON or not: the short cut reads it as the loop does.
    assert json_strings(text) == guard._strings_piece_by_piece(text.split('"'))


def test_json_strings_read_every_export_as_parsing_would(tmp_path: Path) -> None:
    from sample_project import build, copy_project

    project = copy_project(tmp_path / "p")
    assert build(project, "--no-cache")[0] == 0
    files = sorted((project / "site").rglob("*.json"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert list(json_strings(text)) == list(_walk(json.loads(text))), path


def test_a_broken_json_file_is_still_read() -> None:
    raw = b'{"a": "qzx7guardcanaryk9", "b": [1, 2'
    assert found("decisions.json", raw) == {"qzx7guardcanaryk9"}


# A small alphabet, so that secrets occur often, overlap and touch figures.
_BITS = st.text(alphabet="ab1,. \n9", min_size=0, max_size=60)


def _reading(pieces: list[str], reads: list[bytes] | None = None) -> Sliced:
    def read(piece: bytes) -> str:
        if reads is not None:
            reads.append(piece)
        return piece.decode()

    return Sliced("text", [p.encode() for p in pieces], read)


@given(st.lists(_BITS, min_size=1, max_size=12),
       st.lists(st.text(alphabet="ab1,.9", min_size=5, max_size=9), min_size=1, max_size=6),
       st.integers(min_value=0, max_value=11), _BITS)
@settings(max_examples=400, deadline=None)
def test_a_text_scanned_in_slices_finds_what_it_finds_whole(pieces: list[str], keys: list[str],
                                                            edit: int, new: str) -> None:
    matcher = _Matcher([Secret("r", "f", k) for k in keys])
    whole = matcher.find(normalise("".join(pieces)))
    assert matcher.find_slices(_reading(pieces)) == whole
    # Remembering the clean windows changes nothing, cold or warm, nor after an edit.
    windows = Windows({}, {})
    assert matcher.find_slices(_reading(pieces), windows) == whole
    warm = Windows(windows.used, {})
    assert matcher.find_slices(_reading(pieces), warm) == whole
    edited = [new if i == edit % len(pieces) else p for i, p in enumerate(pieces)]
    assert matcher.find_slices(_reading(edited), Windows(warm.used, {})) == \
        matcher.find(normalise("".join(edited)))


def test_a_remembered_clean_window_is_not_read_again() -> None:
    matcher = _Matcher([CANARY])
    # Each slice longer than the text carried from one window to the next.
    pieces = [f"line {n} of a large export, longer than any secret it is read for\n"
              for n in range(6)]
    windows = Windows({}, {})
    reads: list[bytes] = []
    assert matcher.find_slices(_reading(pieces, reads), windows) == set()
    assert len(reads) == 6 and len(windows.used) == 6
    # One slice changed: it is read, and so is the one after it (it carries on from it).
    pieces[2] = "line 2, edited, qzx7guardcanaryk9\n"
    reads.clear()
    again = Windows(windows.used, {})
    assert matcher.find_slices(_reading(pieces, reads), again) == {CANARY.text}
    assert reads == [pieces[2].encode(), pieces[3].encode()]
    # A window with a match is never remembered as clean.
    assert len(again.used) == 5


@given(st.binary(max_size=300), st.integers(min_value=1, max_value=40))
@settings(max_examples=200, deadline=None)
def test_line_slices_are_the_bytes_cut_after_line_breaks(raw: bytes, size: int) -> None:
    pieces = list(line_slices(raw, size))
    assert b"".join(pieces) == raw
    assert all(p.endswith(b"\n") for p in pieces[:-1]) and all(pieces)


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.guard as guard_module

    monkeypatch.setattr(guard_module, "_SLICE", 64)
    monkeypatch.setattr(guard_module, "_PIECE", 512)
    monkeypatch.setattr(guard_module, "_PIECE_MIN", 64)
    monkeypatch.setattr(guard_module, "_PIECE_MAX", 4096)


def _export(rows: int, changed: int | None = None) -> bytes:
    return json.dumps({"decisions": [
        {"id": f"decision-{n}", "title": f"Decision number {n}" + (" amended" if n == changed
                                                                   else ""),
         "status": "made", "wards": ["Abbey", "Castle"]} for n in range(rows)]},
        indent=1).encode()


def test_an_export_is_cut_by_its_content_so_an_edit_moves_no_other_cut(small_pieces) -> None:
    before, after = _export(400), _export(400, changed=200)
    old, new = content_cuts(before), content_cuts(after)
    assert len(old) > 10
    assert all(before[c - 1:c] == b"\n" for c in old)
    assert b"".join(ContentSlices(before)) == before
    at, delta = before.index(b"Decision number 200"), len(after) - len(before)
    assert [c for c in new if c <= at] == [c for c in old if c <= at]
    assert [c - delta for c in new if c > at] == [c for c in old if c > at]
    pieces_old, pieces_new = set(ContentSlices(before)), list(ContentSlices(after))
    assert sum(p not in pieces_old for p in pieces_new) == 1  # the piece with the edit


def test_a_line_repeated_through_a_file_is_chosen_for_a_cut_once(monkeypatch) -> None:
    import generator.guard as guard_module

    # Every line is chosen (the hash keeps all of them at this size), but "x" only once: cut
    # at each repeat, an edit anywhere would move every cut after it.
    monkeypatch.setattr(guard_module, "_PIECE", 1)
    monkeypatch.setattr(guard_module, "_PIECE_MIN", 64)
    monkeypatch.setattr(guard_module, "_PIECE_MAX", 4096)
    assert len(content_cuts(b"x\n" * 5000)) == 10000 // 4096


@given(st.lists(st.lists(st.text(alphabet='ab"\n,\r ', max_size=12), min_size=1, max_size=4),
                min_size=1, max_size=80))
@settings(max_examples=200, deadline=None)
def test_a_csv_file_is_cut_only_between_rows(rows: list[list[str]]) -> None:
    import generator.guard as guard_module

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    raw = out.getvalue().encode()
    saved = guard_module._PIECE, guard_module._PIECE_MIN, guard_module._PIECE_MAX
    guard_module._PIECE, guard_module._PIECE_MIN, guard_module._PIECE_MAX = 32, 4, 64
    try:
        pieces = list(ContentSlices(raw, rows=True))
    finally:
        guard_module._PIECE, guard_module._PIECE_MIN, guard_module._PIECE_MAX = saved
    assert b"".join(pieces) == raw
    parsed = [row for p in pieces for row in csv.reader(io.StringIO(p.decode()))]
    assert parsed == list(csv.reader(io.StringIO(out.getvalue())))


def test_a_large_json_file_is_read_in_slices_with_the_same_findings(small_pieces) -> None:
    import generator.guard as guard_module

    secrets = [Secret("r", "purpose", f"qzx7 piece canary {n} k9") for n in range(40)]
    secrets.append(Secret("r", "value", "410,000"))
    rows = [{"id": n, "text": f"row {n}: qzx7 piece canary {n} k9" if n % 7 == 0 else "plain",
             "sum": "£7,410,000" if n % 5 == 0 else "£410,000 and more" if n == 33 else "x"}
            for n in range(400)]
    raw = json.dumps({"decisions": rows}, indent=1, ensure_ascii=False).encode()
    matcher = _Matcher(secrets)
    whole = set()
    for text in readable_texts("decisions.json", raw):
        whole |= matcher.find(normalise(text))
    readings = list(guard_module.readable_pieces("decisions.json", raw))
    assert len(readings) == 2 and all(isinstance(r, Sliced) for r in readings)
    assert len(list(readings[0].slices)) > 5
    assert scan_bytes("decisions.json", raw, matcher) == whole
    windows = Windows({}, {})
    assert scan_bytes("decisions.json", raw, matcher, windows) == whole
    assert normalise("410,000") in whole and normalise(secrets[7].text) in whole
    assert normalise(secrets[8].text) not in whole


def test_a_large_csv_file_is_read_in_slices_with_the_same_findings(small_pieces) -> None:
    import generator.guard as guard_module

    secret = Secret("r", "purpose", 'the "qzx7 quoted" canary k9')
    out = io.StringIO()
    writer = csv.writer(out)
    for n in range(300):
        cell = secret.text if n == 150 else "x"
        writer.writerow([f"decision-{n}", f'a "quoted"\nword {n}', cell])
    raw = out.getvalue().encode()
    readings = list(guard_module.readable_pieces("decisions.csv", raw))
    assert len(readings) == 2 and all(isinstance(r, Sliced) for r in readings)
    assert len(list(readings[1].slices)) > 5
    matcher = _Matcher([secret])
    assert scan_bytes("decisions.csv", raw, matcher) == {normalise(secret.text)}
    # An odd number of quotes: not CSV as written, so read whole.
    assert all(isinstance(r, str) for r in guard_module.readable_pieces("decisions.csv",
                                                                        raw + b'"'))


def test_json_keys_are_read_too() -> None:
    raw = json.dumps({"qzx7guardcanaryk9": 1}).encode()
    assert found("decisions.json", raw) == {"qzx7guardcanaryk9"}


@pytest.mark.parametrize("page", [
    "<p>qzx7guard<strong>canary</strong>k9</p>",
    "<p>qzx7guard<em>can</em><a href='#'>ary</a>k9</p>",
    "<p>&#113;zx7guard&#x63;anary&#107;9</p>",
    "<p>QZX7 GUARD\nCANARY K9</p>",
])
def test_html_is_read_with_tags_stripped_and_entities_decoded(page: str) -> None:
    assert found("decisions/x/index.html", page.encode()) == {"qzx7guardcanaryk9"}


def test_html_attributes_are_read_unescaped_and_percent_decoded() -> None:
    secret = Secret("r", "appendices[2].url", "https://private.example/Smith & Jones offers")
    page = ('<a href="https://private.example/Smith%20%26%20Jones%20offers">x</a>'
            '<a title="https://private.example/Smith &amp; Jones offers">y</a>')
    for html_text in page.split("</a>")[:2]:
        assert found("index.html", html_text.encode(), secret) == {normalise(secret.text)}


def test_ics_folded_and_escaped_lines_are_unfolded() -> None:
    # Longer than a folded line (75 octets), so it can only be found once unfolded.
    secret = Secret("r", "purpose", "Smith, Jones; and Partners of Eastfield qzx7guardcanaryk9 "
                                    "acting for the preferred bidder in the sale")
    calendar = Calendar()
    event = Event()
    event.add("summary", f"Call-in deadline: {secret.text}")
    calendar.add_component(event)
    raw = calendar.to_ical()
    assert b"\r\n " in raw and b"\\," in raw and b"\\;" in raw  # folded and escaped
    assert found("calendar/x.ics", raw, secret) == {normalise(secret.text)}


def test_csv_cells_are_read_with_doubled_quotes_undone() -> None:
    secret = Secret("r", "purpose", 'the "Eastfield" offer')
    buf = io.StringIO()
    csv.writer(buf).writerow(["id", 'the "Eastfield" offer was accepted'])
    raw = buf.getvalue().encode()
    assert b'""Eastfield""' in raw
    assert found("decisions.csv", raw, secret) == {normalise(secret.text)}


def test_readable_texts_always_include_the_raw_text() -> None:
    texts = list(readable_texts("assets/javascripts/x.js", b"var a = 'qzx7';"))
    assert texts == ["var a = 'qzx7';"]


def test_a_clean_file_has_no_findings() -> None:
    assert found("index.html", b"<p>Nothing exempt here at all.</p>") == set()


# ---------------------------------------------------------------------------------------------
# scan_tree: what is reported


def write(root: Path, name: str, content: bytes) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(content)


def test_scan_tree_names_record_field_and_file_but_never_the_text(tmp_path: Path) -> None:
    secret = Secret("2026-sale", "appendices[2].body", "Offer from Acme Homes: 2,100,000")
    write(tmp_path, "index.html", b"<p>Nothing here.</p>")
    write(tmp_path, "decisions/2026-sale/index.html",
          b"<p>Offer from <em>Acme</em> Homes: 2,100,000</p>")
    write(tmp_path, "sitemap.xml.gz", gzip.compress(b"<loc>Offer from Acme Homes: 2,100,000</loc>"))
    problems = scan_tree(tmp_path, [secret])
    assert [(p.where.path, p.field) for p in problems] == [
        ("site/decisions/2026-sale/index.html", "2026-sale: appendices[2].body"),
        ("site/sitemap.xml.gz", "2026-sale: appendices[2].body"),
    ]
    for p in problems:
        shown = str(p)
        assert "Acme" not in shown and "2,100,000" not in shown
        assert normalise(secret.text) not in normalise(shown)
        assert "stopped" in p.message


def test_scan_tree_reports_each_record_sharing_a_secret(tmp_path: Path) -> None:
    a = Secret("rec-a", "purpose", "qzx7guardcanaryk9")
    b = Secret("rec-b", "reasons[1]", "qzx7guardcanaryk9")
    write(tmp_path, "decisions.json", b'{"purpose": "qzx7guardcanaryk9"}')
    problems = scan_tree(tmp_path, [a, b])
    assert [p.field for p in problems] == ["rec-a: purpose", "rec-b: reasons[1]"]


def test_scan_tree_scans_the_build_log(tmp_path: Path) -> None:
    write(tmp_path, "index.html", b"<p>clean</p>")
    logs = ["INFO - Building documentation...", "WARNING - link to QZX7GUARDCANARYK9 not found"]
    problems = scan_tree(tmp_path, [CANARY], logs)
    assert [(p.where.path, p.field) for p in problems] == [(BUILD_LOG, "2026-sale: purpose")]
    assert "qzx7" not in str(problems[0]).casefold()


def test_scan_tree_passes_a_clean_site(tmp_path: Path) -> None:
    write(tmp_path, "index.html", b"<p>clean</p>")
    write(tmp_path, "search/search_index.json", b'{"docs": []}')
    assert scan_tree(tmp_path, [CANARY], ["INFO - Documentation built"]) == ()


def test_scan_tree_with_no_checkable_secret_finds_nothing(tmp_path: Path) -> None:
    write(tmp_path, "index.html", b"<p>abc</p>")
    assert scan_tree(tmp_path, [Secret("r", "purpose", "abc")]) == ()


def test_secret_repr_never_shows_the_text() -> None:
    shown = repr(CANARY) + str(CANARY) + f"{[CANARY]}"
    assert "qzx7" not in shown
    assert "2026-sale" in shown and "purpose" in shown

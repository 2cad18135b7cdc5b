# This module tests the leak guard's reading of pages filled into a shell (shellguard.py): it
# must find exactly what reading the whole page finds (guard.scan_bytes), including secrets
# that cross from the shell's text into what was filled in, whatever markup, references,
# percent escapes or combining characters sit at the joins.
from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import shellguard
from generator.guard import MIN_FRAGMENT, _Matcher, normalise, readable_texts, scan_bytes
from generator.redact import Secret
from generator.scan import Scanner
from generator.shellguard import ShellGuard

# Pieces of text chosen to sit badly at a join: tags and half tags, references and half
# references, percent escapes and half escapes, combining marks, white space and figures.
_BITS = ["<", ">", "<b>", "</p>\n", '<a href="', '">', "&", "&amp;", "&amp", "&#39;", "&#", "39;",
         "&#x", "2019;", "&lt", "not", "in;", ";", "#", "%", "%20", "%E2", "%80%99", "\u0301",
         "e", "é", "£", "’", "Σ", "ς", " ", "\n", "\t", "7,", "410", ",000", "0", "ab", "Cd",
         "secret", "canary", "-", "x"]
_TEXT = st.lists(st.sampled_from(_BITS), max_size=12).map("".join)


def _page_secrets(page: str, starts: list[int], lengths: list[int]) -> list[Secret]:
    # Secrets cut from the page's own readings, so that most draws have matches to find.
    out = []
    for text in readable_texts("p.html", page.encode("utf-8")):
        for a, n in zip(starts, lengths, strict=False):
            a %= max(1, len(text))
            piece = text[a:a + n]
            if len(normalise(piece)) >= MIN_FRAGMENT:
                out.append(Secret("r", "f", piece))
    return out


@settings(max_examples=400, deadline=None)
@given(static=st.lists(_TEXT, min_size=1, max_size=5), data=st.data(),
       starts=st.lists(st.integers(0, 400), max_size=6),
       lengths=st.lists(st.integers(5, 40), max_size=6))
def test_a_filled_page_is_read_as_the_whole_page_would_be(static, data, starts, lengths) -> None:
    filled = data.draw(st.lists(_TEXT, min_size=len(static) - 1, max_size=len(static) - 1))
    parts = [static[0]]
    for value, after in zip(filled, static[1:], strict=True):
        parts += [value, after]
    page = "".join(parts)
    secrets = _page_secrets(page, starts, lengths) + [Secret("r", "g", "7,410,000")]
    matcher = _Matcher(secrets)
    whole = scan_bytes("p.html", page.encode("utf-8"), matcher)
    for chunk in (shellguard._CHUNK, 2):  # what is filled in read whole, and in chunks
        real, shellguard._CHUNK = shellguard._CHUNK, chunk
        try:
            by_pieces = ShellGuard(static, matcher).find(filled)
        finally:
            shellguard._CHUNK = real
        assert by_pieces is None or by_pieces == whole


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_a_piece_fails_where_a_check_on_its_side_of_a_join_fails(text: str) -> None:
    piece = shellguard._piece(text)
    fails = any(
        seen and not (stays(seen, "x") if i < shellguard._LEFT else stays("x", seen))
        for i, (stays, seen) in enumerate(zip(shellguard._CHECKS, piece.checked, strict=True)))
    assert piece.fails == fails


_LONG = Secret("r", "long", "z" * 30)  # makes the windows 34 characters either side


@pytest.mark.parametrize("static, filled, secret, on_page", [
    # A reference or a percent escape begun in the shell and ended in what was filled in.
    (["<p>a&am", "x</p>"], ["p;bcdefg"], "&bcdefg", True),
    (["<p>x%4", "</p>"], ["1bcdefg"], "xAbcdefg", True),
    # NFKC composes across the join: "e" in the shell, a combining acute filled in.
    (["<p>xxxxe", "yy</p>"], ["\u0301abcdef"], "\u00e9abcdef", True),
    # A whole secret in the shell, ending a character before what was filled in: its
    # neighbours are read in the window round the filled-in value.
    (["<p>" + "A" * 50 + "z" * 30 + "x", "tail</p>"], ["y"], "", True),
    # A figure at the start of the shell's part after a filled-in value, or at the end of the
    # part before one, is a whole figure only with the filled-in digits beside it read too.
    (["<p>a", "410,000 end</p>"], ["\u00a37,"], "410,000", False),
    (["<p>Total \u00a3410,000", " more</p>"], ["5"], "410,000", False),
    # A figure at the very start of a window, with a digit before it in the shell.
    (["<p>" + "x" * 17 + "9" + "12345" + "y" * 29, "</p>"], ["q"], "12345", False),
    (["<p>q", "y" * 29 + "12345" + "9" + "x" * 20 + "</p>"], ["q"], "12345", False),
])
def test_a_join_is_read_as_the_whole_page_reads_it(static, filled, secret, on_page) -> None:
    secrets = [_LONG] + ([Secret("r", "f", secret)] if secret else [])
    matcher = _Matcher(secrets)
    page = static[0] + "".join(v + after for v, after in zip(filled, static[1:], strict=True))
    whole = scan_bytes("p.html", page.encode("utf-8"), matcher)
    assert ShellGuard(static, matcher).find(filled) == whole
    assert bool(whole) == on_page


def _shell_page(body: str) -> tuple[list[str], list[str]]:
    # A shell in the shape the engine's is: a URL inside a tag, a title, a body.
    head = "<html><head>\n" + "<meta x>\n" * 80 + '<link rel="canonical" href="'
    static = [head, '">\n<title>', " - Council</title>\n" + "<nav>Home</nav>\n" * 80 + "<main>\n",
              "\n</main>\n" + "<footer>Contact</footer>\n" * 80]
    return static, ["https://x.example/decisions/a/", "A title", body]


def test_a_secret_crossing_from_the_shell_into_the_body_is_found() -> None:
    static, filled = _shell_page("<h1>Abbey Road</h1>\n<p>qzx7 canary</p>")
    crossing = Secret("r", "f", "Contact Abbey Road")  # not on the page
    into = Secret("r", "f", "Home Abbey Road")  # the shell's last link, then the body's H1
    title = Secret("r", "f", "A title - Council")
    matcher = _Matcher([crossing, into, title, Secret("r", "f", "qzx7 canary")])
    guard = ShellGuard(static, matcher)
    found = guard.find(filled)
    assert found == scan_bytes("p.html", "".join(
        [static[0], filled[0], static[1], filled[1], static[2], filled[2], static[3]]
    ).encode(), matcher)
    assert found == {normalise(title.text), normalise(into.text), normalise("qzx7 canary")}


def test_the_url_inside_a_tag_is_read_with_the_tag_and_the_rest_by_pieces(monkeypatch) -> None:
    static, filled = _shell_page("<p>Body</p>")
    guard = ShellGuard(static, _Matcher([Secret("r", "f", "qzx7guardcanaryk9")]))
    joins, made = [], []
    real_join, real_piece = shellguard._bad_join, shellguard._piece
    monkeypatch.setattr(shellguard, "_bad_join", lambda p: joins.append(real_join(p)) or joins[-1])
    monkeypatch.setattr(shellguard, "_piece", lambda raw: made.append(raw) or real_piece(raw))
    assert guard.find(filled) == set()
    # The joins either side of the URL failed, inside the tag round it; the piece made for
    # them holds a few hundred characters of the shell, not its thousands.
    assert len(joins) == 3 and joins[-1] is None
    merged = made[len(filled):]
    assert len(merged) == 2 and filled[0] in merged[-1] and len(merged[-1]) < 1000


def test_a_page_whose_joins_keep_failing_is_read_whole(monkeypatch) -> None:
    monkeypatch.setattr(shellguard, "_MAX_MERGES", 0)
    static, filled = _shell_page("<p>qzx7guardcanaryk9</p>")
    scanner = Scanner([Secret("r", "f", "qzx7guardcanaryk9")])
    parts = [static[0], filled[0], static[1], filled[1], static[2], filled[2], static[3]]
    assert [leak.field for leak in scanner.page("d/index.html", parts)] == ["f"]


def test_no_character_composes_with_an_ascii_character_after_it() -> None:
    # What `_normalise_stays` rests on: NFKC composes a character with a following one only
    # where a canonical decomposition has that one after its first, and reorders only marks
    # of a non-zero combining class.
    for i in range(sys.maxunicode + 1):
        if 0xD800 <= i <= 0xDFFF:
            continue
        mapping = unicodedata.decomposition(chr(i))
        if mapping and not mapping.startswith("<"):
            assert all(int(cp, 16) >= 0x80 for cp in mapping.split()[1:]), hex(i)
    assert all(unicodedata.combining(chr(i)) == 0 for i in range(0x80))


@settings(max_examples=300, deadline=None)
@given(left=st.text(), right=st.text(min_size=1).filter(lambda t: t[0] < "\x80"))
def test_normalise_of_a_join_before_an_ascii_character_is_the_parts_joined(left, right) -> None:
    assert normalise(left + right) == normalise(left) + normalise(right)

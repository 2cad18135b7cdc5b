"""render.py: the Jinja environment's helpers."""

from __future__ import annotations

import gc
import re
import weakref

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from generator import render
from generator.render import Once, environment, prose
from portal_fixtures import sample_generated


class _Counting:
    """A stand-in for a Jinja macro: its name, and how often it was called."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls: list[tuple[object, str]] = []

    def __call__(self, item: object, root: str) -> str:
        self.calls.append((item, root))
        return f"<tr>{id(item)} {root} <b>{len(self.calls)}</b></tr>"


def test_once_makes_an_items_html_once_per_depth_and_macro() -> None:
    once, row, other = Once(), _Counting("entry_row"), _Counting("other_row")
    a, b = object(), object()
    first = once(row, a, "../")
    assert once(row, a, "../") == first and isinstance(first, Markup)
    assert "<b>1</b>" in first  # given as made, not escaped again
    once(row, a, "../../")
    once(row, b, "../")
    assert row.calls == [(a, "../"), (a, "../../"), (b, "../")]
    once(other, a, "../")
    assert other.calls == [(a, "../")]


def test_once_lines_are_each_items_html_once_a_line_made_once() -> None:
    once, row = Once(), _Counting("entry_row")
    a, b = object(), object()
    before = once(row, a, "../")
    lines = once.lines(row, [a, b, a], "../")
    assert isinstance(lines, Markup)
    assert lines == f"{before}\n{once(row, b, '../')}\n{before}\n"
    assert row.calls == [(a, "../"), (b, "../")]
    assert once.lines(row, [], "../") == ""
    # What a template with `{% for %}` writing one item a line gives, byte for byte.
    env = environment()  # one memory: each row is made once for both
    loop = env.from_string(
        "<tbody>\n{% for e in items %}\n{{ once(row, e, '') }}\n{% endfor %}\n</tbody>")
    short = env.from_string("<tbody>\n{{ once.lines(row, items, '') }}</tbody>")
    for items in ([], [a], [a, b]):
        assert short.render(row=row, items=items) == loop.render(row=row, items=items)


def test_once_keeps_the_item_so_its_id_is_not_given_to_another() -> None:
    # Its id is in the key: were the item freed, a new item could be given its id, and its row.
    class Item:
        pass

    once, item = Once(), Item()
    kept = weakref.ref(item)
    once(_Counting("entry_row"), item, "")
    del item
    gc.collect()
    assert kept() is not None


def test_each_environment_has_its_own_memory() -> None:
    # One per build: `make serve` builds again in one process, after records changed.
    assert environment().globals["once"] is not environment().globals["once"]


def test_a_decision_in_lists_at_every_depth_has_its_row_for_that_depth() -> None:
    # The row is made once per decision and depth: it must be the row each list would have
    # made itself, its link going from that list's folder to the decision.
    generated = sample_generated()
    decisions = {o.path.removesuffix(".md") + "/" for o in generated.outputs
                 if o.path.startswith("decisions/") and o.path.endswith(".md")}
    rows: dict[tuple[int, str], set[str]] = {}
    for o in generated.outputs:
        if not o.path.startswith("browse/") or not o.path.endswith("index.md"):
            continue
        depth = o.path.count("/")
        for row in re.findall(r"<tr><td data-sort=.*?</tr>", o.content.decode(), re.S):
            link = re.search(r'<a href="([^"]*)">', row)
            assert link is not None and link.group(1).startswith("../" * depth)
            assert link.group(1).removeprefix("../" * depth) in decisions
            rows.setdefault((depth, link.group(1)), set()).add(row)
    depths = {depth for depth, _ in rows}
    assert len(depths) >= 2 and len(rows) > len(decisions)  # a decision in several lists
    assert all(len(made) == 1 for made in rows.values())


# ---------------------------------------------------------------------------------------------
# A plain paragraph is not given to nh3 (render.prose): nh3 would give it back as it is.


def test_nh3_gives_back_a_plain_paragraph_of_any_character_but_no_break_space() -> None:
    chars = "".join(chr(cp) for cp in range(0x20, 0x110000)
                    if not 0xD800 <= cp < 0xE000 and not render._NOT_PLAIN.search(chr(cp)))
    changed = []
    for i in range(0, len(chars), 2000):  # a block at a time: any change shows in its block
        text = f"a{chars[i:i + 2000]}b"
        if render._CLEANER.clean(f"<p>{text}</p>") != f"<p>{text}</p>":
            changed.append(i)
    # U+00A0 alone is written back as &nbsp;, so a paragraph with one is cleaned.
    assert [c for i in changed for c in chars[i:i + 2000]
            if render._CLEANER.clean(f"<p>a{c}b</p>") != f"<p>a{c}b</p>"] == ["\xa0"]


_PROSE = st.lists(st.sampled_from(
    list("aZé09 .,;:'\"()-+=#>!?%£/\u00a0\u2028\ue000\ue001\t\n\\`*_[]<>&|~")
    + ["  ", "1.", "2)", "---", "[[exempt 3]]", "[[exempt 3,5]]", "    "]),
    max_size=30).map("".join)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PROSE)
def test_prose_is_the_same_with_or_without_the_plain_short_cut(text: str) -> None:
    quick = prose(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render, "_plain", lambda _text: False)
        assert prose(text) == quick


def test_plain_prose_skips_nh3(monkeypatch: pytest.MonkeyPatch) -> None:
    class Refusing:
        def clean(self, raw: str) -> str:
            raise AssertionError(f"cleaned {raw!r}")

    monkeypatch.setattr(render, "_CLEANER", Refusing())
    text = "Saves £285,000 a year (from 2027/28); 34 people use the centre."
    assert prose(text) == Markup(f"<p>{text}</p>")
    with pytest.raises(AssertionError):
        prose("Saves\u00a0£285,000")

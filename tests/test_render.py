"""render.py: the Jinja environment's helpers."""

from __future__ import annotations

import gc
import re
import weakref

from markupsafe import Markup

from generator.render import Once, environment
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

"""Slots in the engine's pages (render.Slots, shell.fill_slots): the generator's HTML leaves the
Markdown the engine reads and is put back into the page the engine wrote."""

from __future__ import annotations

import markdown
import pytest

from generator.render import Slots, environment
from generator.shell import ShellError, fill_slots, slot_marker

TEMPLATE = """# Register

There are {% call slot() %}{{ n }} decisions{% endcall %} on this site.

{% call slot() %}
<table><tr><td>{{ title }}</td></tr></table>

{% endcall %}

The end.
"""


def render(keep: bool, **values: object) -> tuple[str, list[str]]:
    slots = Slots(keep)
    text = environment().from_string(TEMPLATE).render(slot=slots, **values)
    return text, slots.items


def test_a_kept_slot_leaves_only_its_marker_in_the_markdown() -> None:
    text, items = render(True, n=3, title="Fish & <chips>")
    assert "Fish" not in text and "3 decisions" not in text
    assert slot_marker(1) in text and slot_marker(2) in text
    # Autoescaped as in any page, and without the blank lines that end an HTML block.
    assert items == ["3 decisions", "<table><tr><td>Fish &amp; &lt;chips&gt;</td></tr></table>"]
    # The engine's Markdown is the same whatever the records say.
    assert render(True, n=40, title="Other")[0] == text


def test_filled_slots_give_the_page_markdown_gives_without_them() -> None:
    kept, items = render(True, n=3, title="Fish & <chips>")
    inline, _ = render(False, n=3, title="Fish & <chips>")
    to_html = markdown.Markdown(output_format="html").convert
    assert fill_slots(to_html(kept), items, "page") == to_html(inline).replace("\n\n", "\n")


def test_a_marker_the_engine_lost_or_repeated_stops_the_fill() -> None:
    with pytest.raises(ShellError, match="not each of 1 to 2 once"):
        fill_slots(f"<p>{slot_marker(1)}</p>", ["a", "b"], "page")
    with pytest.raises(ShellError, match="not each of 1 to 1 once"):
        fill_slots(f"<p>{slot_marker(1)}</p><p>{slot_marker(1)}</p>", ["a"], "page")
    with pytest.raises(ShellError):
        fill_slots(f"<p>{slot_marker(2)}</p>", ["a"], "page")


def test_a_block_slot_replaces_its_paragraph_and_an_inline_one_only_itself() -> None:
    page = f"<p>{slot_marker(1)}</p>\n<p>See {slot_marker(2)} here.</p>"
    assert fill_slots(page, ["<table></table>", "<b>two</b>"], "p") == (
        "<table></table>\n<p>See <b>two</b> here.</p>")

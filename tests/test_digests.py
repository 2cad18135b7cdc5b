"""The one digest every kept key is made with (generator/digests.py)."""

from __future__ import annotations

from generator.digests import digest


def test_parts_are_kept_apart() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("a", "") != digest("a")


def test_text_is_its_utf8_bytes_and_may_hold_a_lone_surrogate() -> None:
    assert digest("£5") == digest("£5".encode())
    # A slice of a JSON export can end inside an escaped surrogate pair (guard.Windows).
    assert digest("\ud83d") == digest(b"\xed\xa0\xbd")
    assert len(digest("x")) == 40

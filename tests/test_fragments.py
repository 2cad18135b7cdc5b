# This module tests how fragments.py finds the words of the site's public text: the ordinary
# words that an exempt passage's fragments are checked against.
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.fragments import words

_WORD = re.compile(r"[^\W\d_]+")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(
    list("abcXYZ019 _-'.,\t\n") + ["é", "£", "’", "ñ", "\u0301", "Σ", "ǅ", "Ⅻ", "ß", "\u00a0"]))))
def test_words_are_the_runs_of_letters_lowered(texts: list[str]) -> None:
    # The definition; words() finds ASCII texts' words another way.
    assert words(texts) == {w.lower() for w in _WORD.findall(" ".join(texts))}


def test_words_of_ascii_and_other_texts_together() -> None:
    assert words(["Abbey Road-ward", "caf\u00e9 £5,000 Kellaway", "x2y"]) == {
        "abbey", "road", "ward", "caf\u00e9", "kellaway", "x", "y"}

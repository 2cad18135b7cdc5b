# This module tests how fragments.py finds the words of the site's public text: the ordinary
# words that an exempt passage's fragments are checked against.
from __future__ import annotations

import re
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from enum import Enum
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.fragments import strings, words

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


class Kind(str, Enum):
    CABINET = "Cabinet"


@dataclass(frozen=True, slots=True)
class Leaf:
    text: str
    when: date | None = None


@dataclass(frozen=True)
class Branch:
    items: tuple[Any, ...]
    extra: Any = None


@dataclass(frozen=True)
class Empty:
    pass


@dataclass(frozen=True, slots=True)
class Single:
    value: Any


def reference_strings(value: Any) -> list[str]:
    """The definition: every string met walking the value depth first, a dict's key before
    its value (strings() walks it another way)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *reference_strings(v)]]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [s for v in value for s in reference_strings(v)]
    if is_dataclass(value) and not isinstance(value, type):
        return [s for f in fields(value) for s in reference_strings(getattr(value, f.name))]
    return []


_atoms = st.one_of(st.text(max_size=5), st.none(), st.booleans(), st.integers(),
                   st.decimals(allow_nan=False), st.dates(), st.just(Kind.CABINET),
                   st.just(Leaf), st.just(Empty()))
_values = st.recursive(_atoms, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
    st.frozensets(st.text(max_size=3), max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=3), st.integers(), st.dates()), inner,
                    max_size=3),
    st.builds(Leaf, st.text(max_size=5), st.one_of(st.none(), st.dates())),
    st.builds(Branch, st.lists(inner, max_size=3).map(tuple), inner),
    st.builds(Single, inner)), max_leaves=25)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_strings_are_every_string_in_the_order_a_walk_meets_them(value: Any) -> None:
    assert strings(value) == reference_strings(value)

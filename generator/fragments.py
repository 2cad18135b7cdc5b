# This module finds the distinctive fragments of exempt text, so that the leak guard catches a
# bidder's name, a price or a reference pasted into a public field, not only a whole passage.
# Real leaks are fragments; an ordinary word the exempt and public texts share is not one.
#
# The rarity rule (why each part is there):
# - A code: letters and digits together, five or more ("REF-88231", "qzx7k9"); a sum with
#   six significant digits ("1,234,567"). Years and dates ("2025", "2025-09-30"), short
#   numbers ("3") and round sums ("£355,000", which recur across records by chance) are
#   everywhere, so they are not fragments.
# - A word that is not ordinary English: six letters or more, in no dictionary (the
#   english-words lists, with British spellings and inflections folded) — names ("Kellaway"),
#   invented code words. Words of the council's own settings (wards, decision makers,
#   portfolios, the council's name), of the site's templates, of any record's public facts
#   (its title, suppliers, service, wards: a bid evaluation names bidders that records name
#   as suppliers) and words found in the public text of three or more records are ordinary
#   for this site. A name pasted into a record's prose is caught; one in a supplier field is
#   a public fact.
# - Any run of eight consecutive words of the exempt text: a pasted sentence.
# Each fragment is a Secret of the same record and field, so a leak names them and the guard
# never prints the text.
from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.model import Authority, Decision
from generator.pickling import field_values
from generator.redact import PublicDecision, Secret

RUN_WORDS = 8
MIN_FIGURE = 5  # letters and digits in a code
MIN_SUM_DIGITS = 6  # significant digits in a sum
MIN_WORD = 6  # letters in a word; a shorter one is found inside too many others
COMMON_IN = 3  # records whose public text has a word, for it to be ordinary on this site
_TOKEN = re.compile(r"[^\W_](?:[^\W_]|[,.\-/](?=[^\W_]))*")
_WORD = re.compile(r"[^\W\d_]+")
_DATE = re.compile(r"(?:1[89]|20)\d\d(?:[-/.]\d\d?(?:[-/.]\d\d?)?)?|\d\d?[-/.]\d\d?[-/.]\d{2,4}")
_TEMPLATES = Path(__file__).parent / "templates"
_THEME = Path(__file__).parent / "overrides"


@lru_cache(maxsize=1)
def english() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


# British spellings and inflections, folded towards the dictionaries' American base forms.
_FOLDS = (("isation", "ization"), ("ise", "ize"), ("ised", "ized"), ("ising", "izing"),
          ("our", "or"), ("illor", "ilor"), ("yse", "yze"), ("tre", "ter"), ("ogue", "og"),
          ("ence", "ense"), ("lled", "led"), ("lling", "ling"))
_ENDINGS = ("s", "es", "ies", "ed", "ing", "ly", "er", "ers", "ment", "ments")


def is_english(word: str) -> bool:
    words = english()
    w = word.lower()
    forms = {w}
    for old, new in _FOLDS:
        if old in w:
            forms.add(w.replace(old, new))
    for end in _ENDINGS:
        for f in list(forms):
            if f.endswith(end) and len(f) > len(end) + 2:
                stem = f[: -len(end)]
                forms |= {stem, stem + "e", stem + "y"}
    return any(f in words for f in forms)


def strings(value: Any) -> list[str]:
    """Every string inside a settings or record value."""
    out: list[str] = []
    _collect(value, out)
    return out


def _collect(value: Any, out: list[str]) -> None:
    # A loop over a stack, each value's kind looked up by its type, rather than a call and
    # up to five isinstance tests per value: a public decision holds about 270 values, and
    # walking them was two thirds of working out a record's words. Children are pushed last
    # first, so the strings come out in the order a depth-first walk meets them.
    append = out.append
    stack = [value]
    pop, extend = stack.pop, stack.extend
    kinds = _KINDS
    while stack:
        v = pop()
        kind = kinds.get(type(v))
        if kind is None:
            kind = kinds[type(v)] = _kind(type(v))
        if kind is _STR:
            append(v)
        elif kind is _SKIP:
            continue
        elif kind is _DICT:
            items: list[Any] = []
            for k, x in v.items():
                items += (str(k), x)
            extend(reversed(items))
        elif kind is _SEQUENCE:
            extend(reversed(v))
        elif kind is _SET:
            extend(list(v)[::-1])
        else:
            extend(reversed(kind(v)))


_STR, _SKIP, _DICT, _SEQUENCE, _SET = "str", "skip", "dict", "sequence", "set"
_KINDS: dict[type, Any] = {}


def _kind(t: type) -> Any:
    """How `_collect` treats a value of type `t`: a dataclass's is a function giving its
    fields' values, as a tuple."""
    if issubclass(t, str):
        return _STR
    if issubclass(t, dict):
        return _DICT
    if issubclass(t, (list, tuple)):
        return _SEQUENCE
    if issubclass(t, (set, frozenset)):
        return _SET
    if is_dataclass(t) and not issubclass(t, type):
        # Each type's fields worked out once (`dataclasses.fields` once per object was about
        # 5 s at 5,000 decisions).
        return field_values(t)
    return _SKIP  # None, numbers, dates and anything else hold no text


def words(texts: Iterable[str]) -> set[str]:
    # Found in all the texts at once (a space cannot be in a word), each distinct word lowered.
    # In ASCII a word is a run of A-Z and a-z, which bytes.translate and split find three
    # times as fast as the regular expression (which took 6 s of the main process's 23 s of
    # checking and redacting at 20,000 decisions); texts with other characters still go to it.
    texts = list(texts)
    joined = " ".join(texts)
    if not joined.isascii():
        other = " ".join(t for t in texts if not t.isascii())
        joined = " ".join(t for t in texts if t.isascii())
        found = {w.lower() for w in set(_WORD.findall(other))}
    else:
        found = set()
    found.update(joined.encode("ascii").translate(_ASCII_LETTERS).lower().decode("ascii").split())
    return found


_ASCII_LETTERS = bytes(c if chr(c).isalpha() else 32 for c in range(128)) + b" " * 128


@lru_cache(maxsize=1)
def template_words() -> frozenset[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for base in (_TEMPLATES, _THEME) for p in base.rglob("*")
             if p.is_file() and p.suffix in (".j2", ".html", ".js")]
    return frozenset(words(texts))


def own_facts(d: Decision) -> set[str]:
    """The record's public facts, beside its prose: what an exempt appendix may repeat."""
    c = d.commissioning
    texts = [d.title, d.decision_maker, d.reference or "", *d.portfolios, *d.wards]
    if c is not None:
        texts += [s for s in strings(c) if s]
    return words(texts)


RecordWords = tuple[tuple[str, ...], tuple[str, ...]]


def record_words(d: Decision, public: PublicDecision) -> RecordWords:
    """One record's share of the site's ordinary words: the words of its public version and
    of its public facts, each distinct. Kept with the record's redaction (pipeline.py), so a
    build counts only the records that changed."""
    return shared_words(words(strings(public))), shared_words(own_facts(d))


def shared_words(found: Iterable[str]) -> tuple[str, ...]:
    """`found` as a sorted tuple of interned strings. Every record keeps its words for the
    next build: at 20,000 records that is five million words of a few thousand distinct ones,
    and as a set of its own strings per record it took about 500 MB, which each worker
    process then held as well."""
    return tuple(map(sys.intern, sorted(found)))  # map: no Python frame per word


def fragment_secrets(authority: Authority, records: Sequence[RecordWords],
                     secrets: Sequence[Secret]) -> tuple[Secret, ...]:
    """The distinctive fragments of `secrets`, each as a Secret of the same record and field."""
    if not secrets:
        return ()
    counts: Counter[str] = Counter()
    for public_words, _ in records:
        counts.update(public_words)
    # Every record's public facts: a bid evaluation names bidders that other records name
    # as their suppliers, which is no leak.
    facts = frozenset().union(*(f for _, f in records))
    allowed = (template_words() | words(strings(authority)) | facts
               | {w for w, n in counts.items() if n >= COMMON_IN})
    out: list[Secret] = []
    for s in secrets:
        seen: set[str] = set()
        for piece in fragments(s.text, allowed):
            if piece not in seen and piece.strip() != s.text.strip():
                seen.add(piece)
                out.append(Secret(s.record_id, s.field, piece))
    return tuple(out)


def fragments(text: str, allowed: frozenset[str] | set[str]) -> Iterator[str]:
    for token in _TOKEN.findall(text):
        core = re.sub(r"[^\w]", "", token)
        if core.isdigit():
            # A sum: prices are often round, and a round sum (£355,000) recurs across records
            # by chance; six significant digits (£1,234,567) do not.
            if len(core.rstrip("0")) >= MIN_SUM_DIGITS and not _DATE.fullmatch(token):
                yield token
        elif any(ch.isdigit() for ch in token):
            if len(core) >= MIN_FIGURE and not _DATE.fullmatch(token):
                yield token
        elif (len(token) >= MIN_WORD and token.isalpha() and token.lower() not in allowed
              and not is_english(token)):
            yield token
    run = re.findall(r"\S+", text)
    for i in range(len(run) - RUN_WORDS + 1):
        yield " ".join(run[i:i + RUN_WORDS])

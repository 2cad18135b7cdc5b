# This module builds the decision search index: a static inverted index split into small JSON
# files, so that a resident's phone downloads only the parts a query needs. Material's own
# search ships every page's full text before the first result (126 MB at 20,000 decisions);
# here a query fetches a short manifest, one shard per word and the result cards it shows.
# Only public decisions reach it, each through an explicit field list (title, reference,
# service, decision maker, portfolios, wards, suppliers, purpose, decision, reasons), and the
# files are plain JSON so the leak guard reads them like any export. It is built in the
# generator stage, not by an MkDocs plugin, so every engine that copies the docs folder
# publishes it. generator/overrides/assets/javascripts/search-core.js reads it (for the search
# page, find/, and the theme's search box under MkDocs); the tokeniser, stop words and plural
# folding below must stay identical to that script's (tests/test_search.py runs both over the
# same text).
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache, partial

from generator.pieces import NO_PIECES, Pieces
from generator.redact import marker_text
from generator.render import Output
from generator.model import Project
from generator.site import Entry, Page, newest_first

BASE = "search/decisions"
# The site's own search page. Its script (find/'s decision-search.js) needs no theme script, so
# decision search works the same under every engine (issue 14); under MkDocs the theme's search
# box finds decisions too, through search-worker.js.
FIND_PATH = "find/index.md"
VERSION = 1
# Result cards per file: the 20 results a query shows are spread over the years, so they touch
# up to 20 files; small files keep that to about 1 KB each.
CARD_CHUNK = 16
# A shard holds every word starting with its key; one larger than this is split by the next
# letter, so a query never fetches much more than it needs.
SHARD_BYTES = 32 * 1024
MAX_KEY = 4
SNIPPET = 180
# Field weights: a word in the title says far more about a decision than one in its reasons.
WEIGHTS = {"title": 8, "reference": 8, "service": 4, "maker": 3, "portfolio": 3, "ward": 3,
           "supplier": 3, "purpose": 1, "decision": 1, "reasons": 1}
MAX_WEIGHT = 35  # one base-36 digit
STOP_WORDS = frozenset("""
a an and are as at be been by for from has have in into is it its of on or that the their
this to was were which will with
""".split())
_WORD = re.compile(r"[^\W_]+")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_PUNCT = re.compile(r"[*_`#>|]+")
_SPACE = re.compile(r"\s+")


def fold(word: str) -> str:
    """Plural folding, the same on both sides: `libraries` -> `library`, `contracts` ->
    `contract`. Deliberately light: a wrong fold only joins two forms of a word."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Words as the index and the worker see them: accents removed, lower case, plurals
    folded, stop words and single letters dropped (single digits are kept)."""
    if not text.isascii():
        # As the worker's `normalize("NFKD").replace(/\p{M}/gu, "")`: accents come off.
        text = unicodedata.normalize("NFKD", text)
        text = text.translate({ord(ch): None for ch in set(text) if _is_mark(ch)})
    return [t for t in map(_token, _WORD.findall(text.lower())) if t]


# Marks are deleted with str.translate: a character at a time in Python was a quarter of the
# index's time at 20,000 decisions.
@lru_cache(maxsize=None)
def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


# A council's decisions use a few tens of thousands of distinct words, each millions of times
# at 20,000 decisions: each word's token is worked out once.
@lru_cache(maxsize=1 << 18)
def _token(word: str) -> str:
    if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
        return ""
    return fold(word)


@lru_cache(maxsize=1 << 16)
def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out


def _fields(e: Entry) -> Iterable[tuple[str, str]]:
    d = e.d
    yield "title", d.title
    if d.reference:
        yield "reference", d.reference
    if d.commissioning:
        yield "service", d.commissioning.service
        for s in d.commissioning.suppliers:
            yield "supplier", s.name
    yield "maker", d.decision_maker
    for p in d.portfolios:
        yield "portfolio", p
    for w in d.wards:
        if w != "all":
            yield "ward", w
    if d.purpose:
        yield "purpose", marker_text(d.purpose)
    for t in d.decision:
        yield "decision", marker_text(t)
    for t in d.reasons:
        yield "reasons", marker_text(t)


def snippet(text: str) -> str:
    """Prose as one short plain line for a result card."""
    plain = _SPACE.sub(" ", _MD_PUNCT.sub("", _MD_LINK.sub(r"\1", text))).strip()
    if len(plain) <= SNIPPET:
        return plain
    cut = plain.rfind(" ", 0, SNIPPET)
    return plain[:cut if cut > SNIPPET // 2 else SNIPPET].rstrip(" ,;:") + "…"


def _card(e: Entry) -> list[str]:
    d = e.d
    day = d.dates.published or d.dates.decision
    text = marker_text(d.purpose) if d.purpose else marker_text(d.decision[0]) if d.decision else ""
    return [d.id, d.title, day.isoformat(), d.decision_maker, snippet(text)]


def _shards(postings: dict[str, str]) -> dict[str, dict[str, str]]:
    """Group words into shards by prefix, splitting any shard over SHARD_BYTES by the next
    letter (words no longer than the prefix stay in the prefix's own shard)."""
    out: dict[str, dict[str, str]] = {}
    pending: list[tuple[str, list[str]]] = []
    by_first: dict[str, list[str]] = defaultdict(list)
    for word in sorted(postings):
        by_first[word[0]].append(word)
    pending.extend(sorted(by_first.items()))
    while pending:
        key, words = pending.pop()
        size = sum(len(w) + len(postings[w]) + 6 for w in words)
        if size <= SHARD_BYTES or len(key) >= MAX_KEY:
            out[key] = {w: postings[w] for w in words}
            continue
        here = [w for w in words if len(w) == len(key)]
        longer: dict[str, list[str]] = defaultdict(list)
        for w in words:
            if len(w) > len(key):
                longer[w[:len(key) + 1]].append(w)
        if here:
            out[key] = {w: postings[w] for w in here}
        elif not longer:
            out[key] = {}
        pending.extend(sorted(longer.items()))
    return out


def _key_file(key: str) -> str:
    # Keys are words' first letters, which may be any letter: name files by code point so that
    # a file name is always safe and case-insensitive file systems cannot merge two shards.
    return "-".join(f"{ord(ch):x}" for ch in key)


def plan_find(project: Project, entries: tuple[Entry, ...], as_of: datetime) -> Iterator[Page]:
    """find/: the search page."""
    yield Page(FIND_PATH, "find.md.j2", {"count": len(entries)})


def _scores(e: Entry) -> dict[str, int]:
    scores: dict[str, int] = {}
    for field, text in _fields(e):
        w = WEIGHTS[field]
        for word in tokens(text):
            scores[word] = scores.get(word, 0) + w
    return scores


def _scores_json(e: Entry, made: list[dict[str, int]]) -> bytes:
    made.append(_scores(e))
    return _json(made[0])


def build_search_index(entries: Sequence[Entry], more: str = "",
                       pieces: Pieces = NO_PIECES) -> tuple[Output, ...]:
    """The index files for the public decisions, newest first (ties in a search go to the
    newer decision). `more` is the page (relative to the site) that a search with more
    matches than it shows points to. With `pieces` kept, each decision's scores are kept
    between builds: working out the words was a third of the index's time."""
    ordered = newest_first(entries)
    weights: dict[str, dict[int, int]] = defaultdict(dict)
    for number, e in enumerate(ordered):
        if pieces.kept:
            # A piece made now is used as made, not read back from its JSON (a third of the
            # index's time in a build without kept pieces). The files do not depend on the
            # order of a decision's words, which differs: tests/test_cache.py compares a build
            # that kept its pieces with one that had none.
            made: list[dict[str, int]] = []
            piece = pieces.get(e.d.id, partial(_scores_json, e, made))
            scores = made[0] if made else json.loads(piece)
        else:
            scores = _scores(e)
        for word, score in scores.items():
            weights[word][number] = min(MAX_WEIGHT, score)
    postings: dict[str, str] = {}
    for word, docs in weights.items():
        parts = []
        last = 0
        # Each word's decisions went in by number, in order: no sort needed.
        for number, score in docs.items():
            parts.append(_b36(number - last) + _b36(score))
            last = number
        postings[word] = ",".join(parts)
    shards = _shards(postings)
    outputs = [
        Output(f"{BASE}/t/{_key_file(key)}.json", _json(words))
        for key, words in sorted(shards.items())
    ]
    cards = [_card(e) for e in ordered]
    for start in range(0, len(cards), CARD_CHUNK):
        outputs.append(Output(f"{BASE}/d/{start // CARD_CHUNK}.json",
                              _json(cards[start:start + CARD_CHUNK])))
    # Shards and cards are fetched as ...?v=<build>: a browser holding an older build's files
    # in its cache can never combine them with this build's manifest.
    build = hashlib.sha256(b"".join(o.path.encode() + o.content for o in outputs)).hexdigest()
    manifest = {"version": VERSION, "build": build[:16], "docs": len(cards), "chunk": CARD_CHUNK,
                "shards": sorted(shards), "more": more}
    outputs.append(Output(f"{BASE}/index.json", _json(manifest)))
    return tuple(outputs)


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()

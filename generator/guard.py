# This module is the last gate before a new site replaces the old one: it proves that no exempt
# text reached any output byte. Every earlier filter (search exclusion, pages left out of the
# navigation, drafts) fails open, and councils have been fined for hidden tabs, unrequested
# columns and cached copies, so the guard reads every file the way a reader or a crawler could:
# compressed files decompressed, JSON strings decoded, HTML and XML with tags stripped and
# entities decoded, and all of it normalised so that escaping or markup cannot hide a match.
# It reports the record, the field and the file; it never prints the exempt text.
from __future__ import annotations

import gzip
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.problems import Problem, SourceRef
from generator.redact import Secret

# A passage shorter than this after normalising could match ordinary words anywhere, so the
# validate stage asks for the whole phrase to be marked instead.
MIN_SECRET = 8
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, case-folded, with all white space removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True, slots=True)
class Leak:
    record_id: str
    field: str
    output: str


class _Matcher:
    """One regular expression over a trie of the secrets, so scanning a file costs about the
    same for ten secrets as for ten thousand."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        self.by_text: dict[str, list[Secret]] = {}
        for s in secrets:
            key = normalise(s.text)
            if len(key) >= MIN_SECRET:
                self.by_text.setdefault(key, []).append(s)
        self.pattern = re.compile(_trie_regex(sorted(self.by_text))) if self.by_text else None

    def find(self, text: str) -> set[str]:
        if self.pattern is None:
            return set()
        found = set()
        pos = 0
        # Overlapping matches matter (one secret may begin inside another), so step one char.
        while True:
            m = self.pattern.search(text, pos)
            if m is None:
                return found
            hit = m.group()
            # The trie prefers the longest secret; shorter ones it contains leaked too.
            found.update(hit[:n] for n in range(MIN_SECRET, len(hit) + 1)
                         if hit[:n] in self.by_text)
            pos = m.start() + 1


def _trie_regex(words: list[str]) -> str:
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        if list(node) == [""]:
            return ""
        alts = []
        end = "" in node
        for ch in sorted(k for k in node if k):
            alts.append(re.escape(ch) + build(node[ch]))
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # Shorter secrets that end here must match too: prefer the longer, allow the shorter.
        return f"(?:{body})?" if end else body

    return build(trie)


def readable_texts(name: str, raw: bytes) -> Iterator[str]:
    """Every way a file's bytes can be read as text."""
    if name.endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):
            pass
        name = name[:-3]
    text = raw.decode("utf-8", errors="replace")
    yield text
    if name.endswith(".json"):
        try:
            yield "\n".join(_json_strings(json.loads(text)))
        except ValueError:
            pass
    if name.endswith((".html", ".xml", ".htm", ".svg", ".atom", ".rss")):
        stripped = _TAG.sub("", text)
        yield html.unescape(stripped)
        # Tags removed with no space, so "ca<b>nary</b>" reads as "canary".
        yield html.unescape(_TAG.sub("", text.replace("><", ">\u0000<")))
    if name.endswith(".ics"):
        # RFC 5545 folds long lines with CRLF + space and escapes commas and semicolons.
        yield text.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        yield html.unescape(_TAG.sub("", value))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)


def scan_bytes(name: str, raw: bytes, matcher: _Matcher) -> set[str]:
    found: set[str] = set()
    for text in readable_texts(name, raw):
        found |= matcher.find(normalise(text))
    return found


def scan_tree(site_dir: Path, secrets: Iterable[Secret], logs: Iterable[str] = ()) -> tuple[Problem, ...]:
    """Every leak of any secret into any file under `site_dir` or into the build's log."""
    matcher = _Matcher(secrets)
    if matcher.pattern is None:
        return ()
    leaks: list[Leak] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        name = path.relative_to(site_dir).as_posix()
        for key in scan_bytes(name, path.read_bytes(), matcher):
            leaks.extend(Leak(s.record_id, s.field, name) for s in matcher.by_text[key])
    log_text = normalise("\n".join(logs))
    for key in matcher.find(log_text):
        leaks.extend(Leak(s.record_id, s.field, "(build log)") for s in matcher.by_text[key])
    return tuple(
        Problem(SourceRef(f"site/{leak.output}"), f"{leak.record_id}: {leak.field}",
                "exempt information from this field appears in this output; the build was "
                "stopped and the published site left as it was. Remove the exempt text from the "
                "record's public fields (it may have been pasted into another field).")
        for leak in sorted(set(leaks), key=lambda x: (x.output, x.record_id, x.field))
    )


def short_secrets(secrets: Iterable[Secret]) -> tuple[Secret, ...]:
    """Exempt passages too short for the guard to check reliably."""
    return tuple(s for s in secrets if len(normalise(s.text)) < MIN_SECRET)

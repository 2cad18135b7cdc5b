# This module is the last gate before a new site replaces the old one: it proves that no exempt
# text reached any output byte. Every earlier filter (search exclusion, pages left out of the
# navigation, drafts) fails open, and councils have been fined for hidden tabs, unrequested
# columns and cached copies, so the guard reads every file the way a reader or a crawler could:
# compressed files decompressed, JSON strings decoded, HTML and XML with tags stripped and
# entities decoded, and all of it normalised so that escaping or markup cannot hide a match.
# Each passage is looked for as written and as rendered, since Markdown in a pasted passage
# disappears on the page. It matches whole passages: a passage cut into separate words (an
# inverted search index) is beyond it, which is why redaction happens before any output exists.
# It reports the record, the field and the file; it never prints the exempt text.
from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import markdown

from generator.problems import Problem, SourceRef
from generator.redact import Secret

# A passage shorter than this after normalising could match ordinary words anywhere, so the
# validate stage asks for the whole phrase to be marked instead.
MIN_SECRET = 8
# A fragment of a passage (fragments.py) may be shorter: a figure such as "88231".
MIN_FRAGMENT = 5
BUILD_LOG = "(MkDocs build log)"
_TAG = re.compile(r"<[^>]*>")


def normalise(text: str) -> str:
    """NFKC, case-folded, with all white space removed."""
    # ASCII is already NFKC, and lower() is its case fold.
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return _without_space(folded)


# str.split() and the regex \s are the same Unicode white space, and split/join is several
# times faster on large pages. Removing white space is character by character, so a long text
# (a whole JSON export) is done a slice at a time: one split of it would hold every word at once.
_SLICE = 1 << 20


def _without_space(text: str) -> str:
    if len(text) <= _SLICE:
        return "".join(text.split())
    return "".join("".join(text[i:i + _SLICE].split()) for i in range(0, len(text), _SLICE))


_md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def secret_forms(text: str) -> set[str]:
    """The normalised forms an exempt passage can take in an output: as written (JSON, CSV and
    feeds carry the Markdown source) and as a reader sees it once rendered, because a passage
    with `*emphasis*` or a table, pasted into a public field, loses its Markdown on the page."""
    _md.reset()
    rendered = html.unescape(_TAG.sub("", _md.convert(text)))
    return {f for f in (normalise(text), normalise(rendered)) if len(f) >= MIN_FRAGMENT}


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
            for key in secret_forms(s.text):
                self.by_text.setdefault(key, []).append(s)
        self.pattern = re.compile(_trie_regex(sorted(self.by_text))) if self.by_text else None

    def find(self, text: str) -> set[str]:
        if self.pattern is None:
            return set()
        found: set[str] = set()
        pos = 0
        # Overlapping matches matter (one secret may begin inside another), so step one char.
        while True:
            m = self.pattern.search(text, pos)
            if m is None:
                return found
            hit, start = m.group(), m.start()
            # The trie prefers the longest secret; shorter ones it contains leaked too.
            found.update(hit[:n] for n in range(MIN_FRAGMENT, len(hit) + 1)
                         if hit[:n] in self.by_text and _whole_figure(text, start, hit[:n]))
            pos = start + 1


_FIGURE_PART = frozenset("0123456789")


def _whole_figure(text: str, start: int, key: str) -> bool:
    """A secret that begins or ends with a digit matches only a whole figure: "410,000" is
    not in "£7,410,000" (white space is gone, so the neighbours are the next characters)."""
    if key[0] in _FIGURE_PART and start > 0:
        before = text[start - 1]
        if before in _FIGURE_PART or (before in ",." and start > 1
                                      and text[start - 2] in _FIGURE_PART):
            return False
    end = start + len(key)
    if key[-1] in _FIGURE_PART and end < len(text):
        after = text[end]
        if after in _FIGURE_PART or (after in ",." and end + 1 < len(text)
                                     and text[end + 1] in _FIGURE_PART):
            return False
    return True


def _trie_regex(words: list[str]) -> str:
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    # Built bottom-up with an explicit stack, not by recursion: a secret is often a whole
    # appendix body, thousands of characters deep, past Python's recursion limit.
    built: dict[int, str] = {}
    stack: list[tuple[dict[str, Any], bool]] = [(trie, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for ch, child in node.items() if ch)
            continue
        if list(node) == [""]:
            built[id(node)] = ""
            continue
        alts = [re.escape(ch) + built.pop(id(node[ch])) for ch in sorted(k for k in node if k)]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # Shorter secrets that end here must match too: prefer the longer, allow the shorter.
        built[id(node)] = f"(?:{body})?" if "" in node else body
    return built[id(trie)]


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
        # Tags removed with no space, so "ca<b>nary</b>" reads as "canary".
        yield html.unescape(_TAG.sub("", text))
        # Attribute values (links, titles) as a browser reads them, escaped or percent-encoded.
        unescaped = html.unescape(text)
        yield unescaped
        yield unquote(unescaped)
    if name.endswith(".csv"):
        # A quote inside a cell is written twice.
        try:
            yield "\n".join(cell for row in csv.reader(io.StringIO(text)) for cell in row)
        except csv.Error:
            pass
    if name.endswith(".ics"):
        # RFC 5545 folds long lines with CRLF + space (or tab) and escapes , ; \\ and newlines.
        unfolded = re.sub(r"\r?\n[ \t]", "", text)
        yield re.sub(r"\\([,;\\nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1),
                     unfolded)


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
    seen: set[str] = set()
    for text in readable_texts(name, raw):
        if text in seen:  # most pages read the same unescaped as percent-decoded
            continue
        seen.add(text)
        found |= matcher.find(normalise(text))
    return found


def scan_tree(site_dir: Path, secrets: Iterable[Secret],
              logs: Iterable[str] = ()) -> tuple[Problem, ...]:
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
        leaks.extend(Leak(s.record_id, s.field, BUILD_LOG) for s in matcher.by_text[key])
    return leak_problems(leaks)


def leak_problems(leaks: Iterable[Leak]) -> tuple[Problem, ...]:
    """The build's problems for `leaks`, one per output, record and field, in order."""
    return tuple(
        Problem(SourceRef(leak.output if leak.output == BUILD_LOG else f"site/{leak.output}"),
                f"{leak.record_id}: {leak.field}",
                "exempt information from this field appears in this output; the build was "
                "stopped and the published site left as it was. Remove the exempt text from the "
                "record's public fields (it may have been pasted into another field).")
        for leak in sorted(set(leaks), key=lambda x: (x.output, x.record_id, x.field))
    )


def short_secrets(secrets: Iterable[Secret]) -> tuple[Secret, ...]:
    """Exempt passages too short for the guard to check reliably."""
    return tuple(s for s in secrets if len(normalise(s.text)) < MIN_SECRET)

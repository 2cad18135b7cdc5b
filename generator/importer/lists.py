# Fillers for sections that are lists: document and paper lists (one title a line), the
# consultation section, and the numbered lists of the decision, recommendations and reasons.
# Regulation 13 wants the decision and its reasons as made, so their items keep their order and
# their text; only the numbers go, since the portal numbers them.
from __future__ import annotations

import re
from typing import Any

from generator.importer.draft import _Draft, _short
from generator.importer.segment import _Section
from generator.importer.text import (
    _blocks,
    _clean,
    _enum_kind,
    _prose,
    _same_list,
    _text_after_marker,
)

_NONE_STATEMENT = re.compile(
    r"^(?:n/?a|none|nil|not applicable|there (?:are|were) no\b.*|no (?:appendices|background "
    r"papers|documents|papers)\b.*)\.?$", re.IGNORECASE)
_MD_LINK = re.compile(r"^\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)$")


def _titles(sec: _Section, *, raw: bool = False) -> list[str]:
    """One title per line: document lists put each document on its own line."""
    out = []
    for line in sec.lines:
        text = _text_after_marker(line.replace("\t", " ").strip())
        text = " ".join(text.split()) if raw else _clean(text)
        if text and not _NONE_STATEMENT.match(_clean(text)):
            out.append(text)
    return out


def _fill_documents(draft: _Draft, sec: _Section, text: str) -> None:
    docs = draft.record.setdefault("documents", [])
    for line in _titles(sec, raw=True):
        link = _MD_LINK.match(line)
        title = _clean(link.group("text") if link else line)
        if link and re.match(r"https?://", link.group("url")):
            docs.append({"title": title, "url": link.group("url")})
            continue
        docs.append({"title": title})
        where = f" (the page links it as '{_short(link.group('url'), 80)}', which is not a " \
                "full web address)" if link else " without a link"
        draft.adds.append(f"Add `documents[{len(docs)}].url` (or `file`): the source lists "
                          f"'{_short(title, 80)}'{where}.")
    if not docs:
        del draft.record["documents"]


def _fill_background_papers(draft: _Draft, sec: _Section, text: str) -> None:
    papers = _titles(sec)
    if papers:
        draft.record.setdefault("background_papers", []).extend(papers)


def _fill_appendices(draft: _Draft, sec: _Section, text: str) -> None:
    titles = _titles(sec)
    if titles:
        draft.record.setdefault("appendices", []).extend({"title": t} for t in titles)


def _fill_consultation(draft: _Draft, sec: _Section, text: str) -> None:
    parts: dict[str, list[str]] = {}
    current: str | None = None
    loose: list[str] = []
    for line in sec.lines:
        head = re.match(r"^(?:\(?[A-Za-z0-9]\)\s*)?(Internal|External)\s+consultations?:?\s*"
                        r"(.*)$", line.strip(), re.IGNORECASE)
        if head:
            current = head.group(1).lower()
            parts.setdefault(current, [])
            if head.group(2):
                parts[current].append(head.group(2))
        elif current is not None:
            parts[current].append(line)
        else:
            loose.append(line)
    if parts and not any(ln.strip() for ln in loose):
        value: Any = {k: _prose(_blocks(v)) for k, v in parts.items() if _blocks(v)}
        if value:
            draft.put("consultation", value, sec.label)
        return
    draft.put("consultation", _prose(_blocks(sec.lines)), sec.label)


def _list(draft: _Draft, sec: _Section, field_name: str) -> list[str]:
    """One entry per numbered item; the numbers go (the portal numbers them), order stays.
    An unnumbered lead-in ending in ':' before the items is reported, not made an item."""
    blocks = _blocks(sec.lines)
    items: list[str] = []
    primary: str | None = None
    numbered = [b for b in blocks if b.kind == "item"]
    if numbered:
        primary = _enum_kind(numbered[0].enum)[0]
    sub_open = False
    for i, b in enumerate(blocks):
        if b.kind == "item":
            if items and primary is not None and not _same_list(b.enum, primary) \
                    and b is not numbered[0]:
                items[-1] += ("\n" if sub_open else "\n\n") + f"- {_clean(b.text)}"
                sub_open = True
            else:
                items.append(_clean(b.text))
                sub_open = False
            continue
        text = _prose([b])
        sub_open = False
        if not items:
            if text.endswith(":") and i + 1 < len(blocks):
                draft.note(f"Not placed: the lead-in `{_short(text)}` before the "
                           f"`{field_name}` items; add it back to the first item if the "
                           "items need it.")
            else:
                items.append(text)
        elif primary is None:
            items.append(text)
        else:
            items[-1] += "\n\n" + text  # a paragraph under a numbered item belongs to it
    return [i for i in items if i]


def _fill_decision(draft: _Draft, sec: _Section, text: str) -> None:
    items = _list(draft, sec, "decision")
    if items:
        draft.put("decision", items, sec.label)


def _fill_recommendations(draft: _Draft, sec: _Section, text: str) -> None:
    items = _list(draft, sec, "decision")
    if not items:
        return
    if "decision" in draft.record:
        draft.unplaced(sec.label, " ".join(items), "the page also records the decision")
        return
    draft.record["decision"] = items
    draft.note("Check `decision`: taken from the report's recommendations; the source does "
               "not record the decision as made, so confirm the resolutions (and `status`) "
               "once it is taken.")


def _fill_reasons(draft: _Draft, sec: _Section, text: str) -> None:
    items = _list(draft, sec, "reasons")
    if items:
        if "reasons" in draft.record:
            draft.record["reasons"].extend(items)
        else:
            draft.record["reasons"] = items

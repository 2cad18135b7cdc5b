# Splitting a page's lines into labelled sections, in source order. Pages mix every layout
# councils use (one "Label: value" a line, bold labels, headings over text, tab-separated cover
# tables, numbered report sections), so telling a label from text is a task of its own; the
# fillers then see only sections.
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.importer.labels import (
    _LABELS,
    _PAGE_HEADING_SET,
    _TEXT_KEYS,
    _is_option_heading,
    _label_like,
    _norm,
    _option_label,
)
from generator.importer.text import _marker, _split_inline_items, _unbold


@dataclass
class _Section:
    key: str | None  # the field it fills; None for a label or heading with no field
    label: str
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Match:
    key: str | None
    label: str
    value: str
    heading: bool  # a heading: the lines below it are its value


class _Segmenter:
    """Splits the page's lines into labelled sections, in source order."""

    def __init__(self) -> None:
        self.preamble: list[str] = []
        self.sections: list[_Section] = []
        self.current: _Section | None = None
        self.heading_number = 0

    def run(self, lines: Sequence[str]) -> None:
        for line in lines:
            if self.current is None and not self.sections and ":" not in line \
                    and _norm(line.lstrip("# ")) in _PAGE_HEADING_SET:
                continue  # "Decision details": what kind of page this is, not a value
            matches = self._classify(line)
            if matches is None:
                (self.current.lines if self.current else self.preamble).append(line)
                continue
            for m in matches:
                values = _split_inline_items(m.value) if m.value else []
                if m.key is None and not m.heading:
                    # An unknown label's value is reported; the section it interrupted goes on
                    # (seed 004's page footer "Ref: ..." sits inside an option).
                    self.sections.append(_Section(None, m.label, values))
                    continue
                section = _Section(m.key, m.label, values)
                self.sections.append(section)
                self.current = section

    def _classify(self, line: str) -> list[_Match] | None:
        s = line.strip()
        if not s:
            return None
        in_options = self.current is not None and self.current.key == "alternatives"
        if in_options:
            cells = [c for c in (x.strip() for x in s.split("\t")) if c]
            if _is_option_heading(s) or _option_label(s) is not None or (
                    len(cells) >= 2 and all(_option_label(c) for c in cells)):
                return None
        pairs = self._tab_pairs(s)
        if pairs is not None:
            return pairs
        bold = re.match(r"^\*\*(?P<l>[^*]+?)\*\*\s*(?P<rest>.*)$", s)
        if bold:
            label = bold.group("l").strip()
            rest = bold.group("rest")
            if label.endswith(":") or not rest or rest[0] in ":–—-":
                label = label.rstrip(":").strip()
                value = re.sub(r"^[:–—-]\s*", "", rest).strip()
                key = _LABELS.get(_norm(label))
                if key is not None:
                    return [_Match(key, label, value, heading=not value)]
                if not in_options and _is_option_heading(s):
                    return [_Match("alternatives", "", s, heading=False)]
                if _label_like(label) and (value or not self._in_text()):
                    return [_Match(None, label, value, heading=not value)]
                return None  # a bold line inside a text stays there as a bold subheading
        if not in_options and _is_option_heading(s):
            return [_Match("alternatives", "", s, heading=False)]
        colon = s.find(":")
        if 0 < colon <= 100:
            label, value = s[:colon].strip(), s[colon + 1:].strip()
            key = _LABELS.get(_norm(label.lstrip("# ")))
            if key is not None:
                return [_Match(key, label.lstrip("# ").rstrip("?").strip(), value,
                               heading=not value)]
            if value and not value.startswith("//") and _label_like(label):
                return [_Match(None, label, value, heading=False)]
        return self._heading(s)

    def _in_text(self) -> bool:
        """Whether the open section is running text or a list, which may have subheadings."""
        return self.current is not None and self.current.key is not None and (
            self.current.key in _TEXT_KEYS or self.current.key.startswith("implications."))

    def _tab_pairs(self, s: str) -> list[_Match] | None:
        """Label/value pairs from a tab-separated line ("Report to:<tab>Cabinet"), as cabinet
        reports lay out their cover tables; several pairs may share one line."""
        cells = [c for c in (x.strip() for x in s.split("\t")) if c]
        if len(cells) < 2 or "\t" not in s:
            return None
        out: list[_Match] = []
        i = 0
        while i < len(cells):
            cell = cells[i]
            label = _unbold(cell).rstrip(":").rstrip("?").strip()
            key = _LABELS.get(_norm(label))
            is_label = key is not None or (cell.endswith(":") and _label_like(label))
            if not is_label:
                if not out:
                    return None  # a table row, not labels
                prev = out.pop()  # a value that ran into a second cell
                out.append(_Match(prev.key, prev.label, f"{prev.value} {cell}".strip(),
                                  heading=False))
                i += 1
                continue
            value = ""
            if i + 1 < len(cells):
                nxt = cells[i + 1]
                nxt_label = _unbold(nxt).rstrip(":").rstrip("?").strip()
                if not (nxt.endswith(":") or _LABELS.get(_norm(nxt_label))):
                    value = _unbold(nxt)
                    i += 1
            out.append(_Match(key, label, value, heading=not value))
            i += 1
        return out

    def _heading(self, s: str) -> list[_Match] | None:
        """A line that is a heading on its own: a known label ("Supporting Documents",
        "4. Financial Implications") or the next numbered section of a report."""
        if len(s) > 100:
            return None
        m = re.match(r"^(?:#+\s*)?(?:(?P<n>\d{1,2})\.\s+)?(?P<text>.+?)\s*[:?]?$", s)
        if m is None:
            return None
        text = m.group("text").strip()
        number = int(m.group("n")) if m.group("n") else 0
        key = _LABELS.get(_norm(text))
        if key is not None:
            if number:
                self.heading_number = number
            return [_Match(key, text, "", heading=True)]
        list_section = self.current is not None and self.current.key in (
            "decision", "recommendations", "reasons", "alternatives")
        if number and number == self.heading_number + 1 and (self.heading_number or not
                                                                list_section) \
                and len(text.split()) <= 8 and text[:1].isupper() \
                and not re.search(r"[.;!?,]$", text) and not _marker(text):
            self.heading_number = number
            return [_Match(None, text, "", heading=True)]
        return None

# Exempt appendices (Schedule 12A to the Local Government Act 1972). Only the notice that an
# appendix is withheld is made (its title, the paragraph, the public interest reasons), never
# the appendix itself, since exempt information must never be published; what the source
# leaves out of the notice is reported for an officer to add.
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from generator.importer.draft import _Draft, _short
from generator.importer.fields import _yes_no
from generator.importer.segment import _Section
from generator.importer.text import _blocks, _clean, _first_sentence

# Schedule 12A statements: "Appendix 1 is not for publication ... paragraph 3 of Schedule 12A".
_SCHEDULE_12A = re.compile(r"Schedule\s*12\s*A\b", re.IGNORECASE)
_APPENDIX_REF = re.compile(
    r"\b(?P<word>Appendix|Appendices|Annex|Annexe|Annexes)\s+"
    r"(?P<ids>(?:\d{1,2}|[A-Z])(?:\s*(?:,|and|&)\s*(?:\d{1,2}|[A-Z])\b)*)")
_PARAGRAPH_REF = re.compile(
    r"\bparagraphs?\s+(?P<ids>\d{1,2}[A-Z]?(?:\s*(?:,|and|&|or)\s*\d{1,2}[A-Z]?)*)",
    re.IGNORECASE)
_EXEMPT_WORDS = re.compile(r"not\s+for\s+publication|exempt|confidential|restricted|"
                           r"not\s+be\s+published|withheld|excluded", re.IGNORECASE)
_PUBLIC_INTEREST = re.compile(r"public interest", re.IGNORECASE)


def _fill_exempt_report(draft: _Draft, sec: _Section, text: str) -> None:
    value, _ = _yes_no(draft, sec, text)
    if value is False:
        draft.note(f"Not placed: `{sec.label}: {_short(text)}` (there is no field for it; it "
                   "says nothing in the report is exempt, so nothing needs adding).")
    elif value:
        draft.note(f"Check `appendices`: the source says `{sec.label}: {_short(text)}`; add "
                   "each exempt appendix with `exempt: {paragraph, public_interest}` and no "
                   "body.")


def _exempt_appendices(draft: _Draft, lines: Sequence[str]) -> None:
    """Exempt appendix notices from "Appendix 1 is not for publication ... paragraph 3 of
    Schedule 12A" statements. Only the notice is made (title, paragraph, public interest);
    the appendix itself is never imported."""
    paragraphs = [_clean(b.text) for b in _blocks(lines) if b.kind != "table"]
    interest = [p for p in paragraphs if _PUBLIC_INTEREST.search(p)]
    for text in paragraphs:
        if not _SCHEDULE_12A.search(text) or not _EXEMPT_WORDS.search(text):
            continue
        names = [f"{'Annex' if m.group('word').lower().startswith('annex') else 'Appendix'} "
                 f"{ident}" for m in _APPENDIX_REF.finditer(text)
                 for ident in re.split(r"\s*(?:,|and|&)\s*", m.group("ids")) if ident]
        para = _PARAGRAPH_REF.search(text)
        numbers: list[int | str] = []
        if para:
            numbers = [int(n) if n.isdigit() else n
                       for n in re.split(r"\s*(?:,|and|&|or)\s*", para.group("ids")) if n]
        if not names:
            draft.note(f"Check exempt information: the source says "
                       f"`{_short(text)}` but names no appendix; add an exempt appendix "
                       "notice or mark the passage by hand.")
            continue
        statement = next((_first_interest(p) for p in interest if p is text), None) \
            or next((_first_interest(p) for p in interest), None)
        for name in dict.fromkeys(names):
            _exempt_notice(draft, name, numbers, statement)


def _exempt_notice(draft: _Draft, name: str, numbers: list[int | str],
                   statement: str | None) -> None:
    appendices = draft.record.setdefault("appendices", [])
    entry = next((a for a in appendices if re.match(re.escape(name) + r"(?![A-Za-z0-9])",
                                                    a.get("title", ""))), None)
    if entry is None:
        entry = {"title": name}
        appendices.append(entry)
    index = appendices.index(entry) + 1
    exempt: dict[str, Any] = {}
    if numbers:
        exempt["paragraph"] = numbers[0] if len(numbers) == 1 else numbers
    else:
        draft.adds.append(f"Add `appendices[{index}].exempt.paragraph`: the source says {name} "
                          "is exempt under Schedule 12A but not under which paragraph.")
    if statement:
        exempt["public_interest"] = statement
    else:
        exempt["public_interest"] = (
            f"The public interest reasons for withholding {name} must be added: the source "
            "does not state them.")
        draft.adds.append(f"Add `appendices[{index}].exempt.public_interest`: the source gives "
                          f"no public interest reasons for withholding {name} (Schedule 12A "
                          "para 10); replace the placeholder sentence.")
    entry["exempt"] = exempt


def _first_interest(text: str) -> str:
    """The sentence of `text` that states the public interest test."""
    rest = text
    while rest:
        sentence, rest = _first_sentence(rest)
        if _PUBLIC_INTEREST.search(sentence):
            return sentence
    return text

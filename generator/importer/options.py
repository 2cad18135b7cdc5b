# The alternative options section (reg 13(c) requires the options considered and rejected).
# Reports write options as "Option N" headings with pros, cons and outcome parts, as a numbered
# list of paragraphs, or as one text; this reads each into entries with a title and an outcome.
from __future__ import annotations

import re
from typing import Any

from generator.importer.draft import _Draft
from generator.importer.labels import _OUTCOME_WORDS, _is_option_heading, _norm, _option_label
from generator.importer.segment import _Section
from generator.importer.text import (
    _blocks,
    _clean,
    _continues,
    _first_sentence,
    _marker,
    _prose,
    _text_after_marker,
)

_OUTCOME_SUFFIX = re.compile(
    r"\s*(?:[–—-]|\()\s*(?P<o>not\s+recommended|recommended(?:\s+option)?|rejected|"
    r"preferred(?:\s+option)?|not\s+preferred|chosen|selected|discounted)\s*\)?\s*\.?$",
    re.IGNORECASE)
_TEXT_REJECTED = re.compile(r"\bnot\s+(?:be\s+)?recommended\b|\brejected\b|\bdiscounted\b|"
                            r"\bnot\s+(?:the\s+)?preferred\b|\bnot\s+(?:been\s+)?pursued\b",
                            re.IGNORECASE)
_TEXT_RECOMMENDED = re.compile(r"\b(?:is|was)\s+(?:the\s+)?(?:recommended|preferred)\b|"
                               r"\b(?:recommended|preferred)\s+option\b", re.IGNORECASE)


def _fill_alternatives(draft: _Draft, sec: _Section, text: str) -> None:
    options: list[dict[str, Any]] = []
    statement: list[str] = []
    style: str | None = None  # "option": "Option N" headings; "item": a numbered list
    current: dict[str, Any] | None = None
    active = "reasons"
    columns: list[str] = []  # "Pros<tab>Cons" header: the next lists fill these in turn
    in_run = False
    gap = True
    texts: dict[int, list[str]] = {}  # item style: the paragraphs of each option
    for line in sec.lines:
        s = line.strip()
        if not s:
            if in_run and columns:
                columns.pop(0)
                in_run = False
            gap = True
            continue
        heading = _is_option_heading(s)
        if heading:
            title, outcome = _option_title(heading.group("rest"))
            current = {"title": title}
            if outcome:
                current["outcome"] = outcome
            options.append(current)
            style, active, columns, in_run, gap = "option", "reasons", [], False, False
            continue
        cells = [c for c in (x.strip() for x in s.split("\t")) if c]
        if current is not None and len(cells) >= 2 and all(_option_label(c) for c in cells):
            columns = [lab[0] for c in cells if (lab := _option_label(c))]
            gap = False
            continue
        label = _option_label(s)
        if label is not None and current is not None and style == "option":
            active = label[0]
            value = label[2]
            if value:
                if active == "description" and _norm(label[1]) != "description":
                    value = f"{label[1]} – {value}"
                _option_add(draft, current, active, value, new=True)
            columns, in_run, gap = [], False, False
            continue
        m = _marker(s)
        if m and style != "option":
            style = "item"
            current = {}
            options.append(current)
            texts[len(options) - 1] = [_clean(_text_after_marker(s))]
            gap = False
            continue
        if m and current is not None:
            if columns:
                active, in_run = columns[0], True
            _option_add(draft, current, active, _text_after_marker(s), new=True)
            gap = False
            continue
        if current is None:
            statement.append(line)
        elif style == "item":
            paras = texts[len(options) - 1]
            if gap and not _continues(paras[-1], s):
                paras.append(_clean(s))
            else:
                paras[-1] += " " + _clean(s)
        else:
            _option_add(draft, current, active, s, new=gap)
        gap = False
    heading_outcome = "rejected" if "rejected" in _norm(sec.label) else None
    for i, opt in enumerate(options):
        if style == "item":
            _item_option(opt, texts[i])
        if "outcome" not in opt:
            body = " ".join([opt.get("title", ""), *opt.get("reasons", []),
                             opt.get("description", "")])
            inferred = "rejected" if _TEXT_REJECTED.search(body) else (
                "recommended" if _TEXT_RECOMMENDED.search(body) else heading_outcome)
            if inferred:
                opt["outcome"] = inferred
    if options:
        existing = draft.record.get("alternatives")
        if isinstance(existing, list):
            existing.extend(options)
        else:
            draft.record["alternatives"] = options
        if any(ln.strip() for ln in statement):
            draft.unplaced(sec.label, _prose(_blocks(statement)), "text before the options")
    elif any(ln.strip() for ln in statement):
        draft.put("alternatives", _prose(_blocks(statement)), sec.label)
        draft.note("Check `alternatives`: kept as one text; if it describes options, split "
                   "it into entries with `title` and `outcome`.")


def _option_title(rest: str) -> tuple[str, str | None]:
    rest = rest.strip().strip("*").strip()
    m = _OUTCOME_SUFFIX.search(rest)
    if m and m.start() > 0:
        return _clean(rest[:m.start()]), _OUTCOME_WORDS.get(_norm(m.group("o")))
    return _clean(rest), None


def _option_add(draft: _Draft, option: dict[str, Any], part: str, text: str, *,
                new: bool) -> None:
    text = _clean(text)
    if not text:
        return
    if part == "outcome":
        outcome = _OUTCOME_WORDS.get(_norm(text))
        if outcome is None:
            draft.unplaced("Outcome", text, "not an outcome the portal knows")
        else:
            option["outcome"] = outcome
    elif part in ("reasons", "pros", "cons"):
        entries = option.setdefault(part, [])
        if entries and (not new or _continues(entries[-1], text)):
            entries[-1] += " " + text
        else:
            entries.append(text)
    else:  # description, financial_assessment: Markdown paragraphs
        before = option.get(part)
        if before is None:
            option[part] = text
        elif not new or _continues(before, text):
            option[part] = f"{before} {text}"
        else:
            option[part] = f"{before}\n\n{text}"


def _item_option(option: dict[str, Any], paras: list[str]) -> None:
    """Title and reasons of an option written as one numbered paragraph: a bold or dashed
    title ("Maintaining the status quo** – The current ..."), else the first sentence."""
    first = paras[0]
    m = re.match(r"^\*\*(?P<t>[^*]+)\*\*\s*[–—:-]\s*(?P<r>.+)$", first) or \
        re.match(r"^(?P<t>[^*]{2,150}?)\*\*\s*[–—:-]\s*(?P<r>.+)$", first)
    if m is None:
        dash = re.match(r"^(?P<t>.{2,120}?)\s+[–—-]\s+(?P<r>\S.*)$", first)
        if dash and len(dash.group("t").split()) <= 12 and \
                not re.search(r"[.!?;:]", dash.group("t")):
            m = dash
    if m is not None:
        title, rest = m.group("t"), m.group("r")
    else:
        title, rest = _first_sentence(first)
    title = _clean(title.replace("**", ""))
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    option["title"] = title
    reasons = [r for r in [_clean(rest), *paras[1:]] if r]
    outcome = _OUTCOME_WORDS.get(_norm(rest)) if rest and len(rest.split()) <= 3 else None
    if outcome:
        option["outcome"] = outcome
        reasons = reasons[1:]
    if reasons:
        option["reasons"] = reasons

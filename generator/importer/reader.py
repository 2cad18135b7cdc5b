# Reads one page into a record: cleans the text, splits it into sections, hands each section to
# the filler for its field, then adds exempt appendix notices and what is missing. This is the
# only place that knows the order of those steps; each filler knows one kind of section.
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from generator.importer import exempt, fields, lists, options
from generator.importer.draft import _Draft
from generator.importer.dump import _ordered
from generator.importer.missing import _infer_decision_type, _missing
from generator.importer.result import ImportResult, slugify
from generator.importer.segment import _Section, _Segmenter
from generator.importer.text import _blocks, _clean, _prose, _source_lines, _unbold

# The check refuses text that looks like a tag (generator/validate.py RAW_HTML).
_TAG_LIKE = re.compile(r"<(?=\s*/?\s*(?:[A-Za-z]|!--))")
_RESERVED_IDS = frozenset({"con", "prn", "aux", "nul", "index", "search", "assets"}
                          | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)})

# The filler for each field that needs more than a one-line value or Markdown text.
_FILLERS: dict[str, Callable[[_Draft, _Section, str], None]] = {
    "status": fields._fill_status,
    "key_decision": fields._fill_key_decision,
    "call_in.applies": fields._fill_call_in_applies,
    "forward_plan.included": fields._fill_forward_plan_included,
    "call_in.count": fields._fill_call_in_count,
    "dates.decision": fields._fill_dates_decision,
    "dates.published": fields._fill_dates_published,
    "dates.call_in_deadline": fields._fill_dates_call_in_deadline,
    "dates.in_force": fields._fill_dates_in_force,
    "report.date": fields._fill_report_date,
    "wards": fields._fill_wards,
    "contact": fields._fill_contact,
    "contact.email": fields._fill_contact_email,
    "contact.phone": fields._fill_contact_phone,
    "meeting": fields._fill_meeting,
    "exempt_report": exempt._fill_exempt_report,
    "documents": lists._fill_documents,
    "background_papers": lists._fill_background_papers,
    "appendices": lists._fill_appendices,
    "consultation": lists._fill_consultation,
    "decision": lists._fill_decision,
    "recommendations": lists._fill_recommendations,
    "reasons": lists._fill_reasons,
    "alternatives": options._fill_alternatives,
}


def _read_page(text: str, source_name: str, extra_notes: Sequence[str] = ()) -> ImportResult:
    """Read one page. Each filler places one kind of section and notes what it could not place;
    `_missing` then says which required fields are still absent."""
    draft = _Draft(notes=list(extra_notes))
    lines = _source_lines(text, draft.notes)
    seg = _Segmenter()
    seg.run(lines)
    labelled = any(sec.key == "title" for sec in seg.sections)
    _title_from_preamble(draft, seg.preamble, labelled=labelled)
    for section in seg.sections:
        _fill(draft, section)
    exempt._exempt_appendices(draft, lines)
    if "report" in draft.record and "title" in draft.record:
        # The page is the report itself (seed 001), so its title is the report's title.
        draft.record["report"].setdefault("title", draft.record["title"])
    _infer_decision_type(draft)
    _missing(draft)
    record = _ordered(_sanitise(draft.record, draft.notes))
    # What was found but not placed, in reading order; then what to add, in field order.
    counts: dict[str, int] = {}
    for line in [*draft.notes, *draft.adds]:
        counts[line] = counts.get(line, 0) + 1
    report = tuple(line if n == 1 else f"{line} ({n} times)" for line, n in counts.items())
    if report:
        record["import_report"] = list(report)
    title = record.get("title")
    slug = slugify(title) if isinstance(title, str) else ""
    if not slug:
        slug = slugify(Path(source_name).stem) or "decision"
    if slug in _RESERVED_IDS:
        slug = f"{slug}-decision"
    decided = record.get("dates", {}).get("decision")
    year = int(decided[:4]) if isinstance(decided, str) else None
    return ImportResult(record, report, slug, year)


def _title_from_preamble(draft: _Draft, preamble: Sequence[str], *, labelled: bool) -> None:
    """The title is the first line before any label (a heading when there is one), unless
    the page labels its title ("Title: ..."); other lines there are reported."""
    lines = [ln for ln in preamble if ln.strip()]
    if not lines:
        return
    at = next((i for i, ln in enumerate(lines) if ln.startswith("#")), 0)
    if labelled:
        at = -1
    else:
        draft.record["title"] = _clean(_unbold(lines[at].lstrip("# ")))
    for i, ln in enumerate(lines):
        if i != at:
            draft.unplaced("", _clean(ln.lstrip("# ")), "text before the first label")


def _fill(draft: _Draft, sec: _Section) -> None:
    key = sec.key
    text = " ".join(_clean(ln) for ln in sec.lines if ln.strip())
    if key is None:
        if sec.lines:
            paras = len([b for b in _blocks(sec.lines)])
            what = "a value with no field" if len(sec.lines) == 1 else \
                f"a section of {paras} paragraph(s) with no field"
            draft.unplaced(sec.label, text, what)
        else:
            draft.unplaced(sec.label, "", "a heading with nothing under it")
        return
    if not text and key not in ("decision", "reasons", "alternatives", "recommendations"):
        return  # an empty label ("Accompanying Documents:") has nothing to place
    handler = _FILLERS.get(key)
    if handler is not None:
        handler(draft, sec, text)
    elif key.startswith("implications.") or key in (
            "purpose", "implementation", "interests_declared", "dispensations",
            "report.summary"):
        draft.put(key, _prose(_blocks(sec.lines)), sec.label)
    else:
        fields._scalar(draft, sec, key)


def _sanitise(value: Any, notes: list[str], where: str = "") -> Any:
    """Make text safe for the check: a '<' that would read as a tag becomes '&lt;' (Markdown
    shows it as '<'), so no raw HTML reaches a record; each change is reported."""
    if isinstance(value, str):
        if _TAG_LIKE.search(value):
            notes.append(f"Check `{where}`: text that looked like an HTML tag was kept as "
                         "'&lt;' so that it shows as text.")
            return _TAG_LIKE.sub("&lt;", value)
        return value
    if isinstance(value, list):
        return [_sanitise(v, notes, f"{where}[{i}]") for i, v in enumerate(value, 1)]
    if isinstance(value, dict):
        return {k: _sanitise(v, notes, f"{where}.{k}" if where else k) for k, v in value.items()}
    return value

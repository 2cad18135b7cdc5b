# This module turns the decision pages councils already publish (ModernGov "Decision details"
# pages, cabinet reports, options appendices; saved as text or HTML) into draft records. Years of
# decisions are online already and retyping them invites mistakes, so the importer keeps every
# labelled value it can place, invents none, and says exactly what it could not place and what an
# officer must add. A source that lacks the legal minimum still gives a record: one whose
# `import_report` (never published) lists what to add, so nothing found is silently lost.
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from generator.slug import slugify as slug_of
from generator.formats import DECISION_SCHEMA

# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """One source page turned into a record.

    Attributes:
        record: the record, keys in the schema's order; `import_report` last when not empty.
        report: what could not be placed and what must be added, one line each.
        suggested_id: the file name to use (a slug of the title), without folder or suffix.
        year: the year of `dates.decision`, for the year folder; None when the source has none.
    """

    record: dict[str, Any]
    report: tuple[str, ...]
    suggested_id: str
    year: int | None


@dataclass(frozen=True)
class ImportOutcome:
    """What `import_files` did with one input file.

    Attributes:
        source: the input file, as given.
        written: the record file written, or None when the input could not be read.
        report: the report lines (the same as the record's `import_report`), or the reason
            nothing was written.
        result: the import itself, or None when the input could not be read.
    """

    source: Path
    written: Path | None
    report: tuple[str, ...]
    result: ImportResult | None = None

    @property
    def ok(self) -> bool:
        return self.written is not None


# ---------------------------------------------------------------------------------------------
# Data: labels councils use, and what each one fills
# ---------------------------------------------------------------------------------------------

# Field keys are record paths ("dates.decision"); a few are importer-only ("recommendations",
# "exempt_report"). Every council words its labels a little differently, so each field lists the
# variants seen on ModernGov, CMIS and report templates; matching ignores case, punctuation and
# "(s)" (see `_norm`).
_LABEL_VARIANTS: dict[str, tuple[str, ...]] = {
    "title": ("Title", "Subject", "Decision title", "Report title"),
    "reference": ("Reference", "Decision reference", "Decision ref", "Decision number",
                  "Decision no", "Reference number", "Record number"),
    "decision_maker": ("Decision Maker", "Decision maker(s)", "Decision taker", "Decision taken by",
                       "Decision made by", "Decided by", "Decision-maker"),
    "status": ("Decision status", "Status", "Outcome", "Decision outcome"),
    "key_decision": ("Is Key decision?", "Is this a key decision", "Key decision",
                     "Is it a key decision", "Is the decision a key decision"),
    "call_in.applies": ("Is subject to call in?", "Is Callable In?", "Subject to call-in",
                        "Is this decision subject to call-in", "Is the decision subject to call-in",
                        "Callable in", "Call-in applies", "Can be called in"),
    "call_in.count": ("Current call-in Count", "Call-in count", "Number of call-in requests",
                      "Call-in requests"),
    "forward_plan.included": ("Included in Forward Plan", "Included in the Forward Plan",
                              "In Forward Plan", "Forward Plan", "On the forward plan"),
    "forward_plan.reference": ("Forward Plan reference", "Forward plan ref", "Forward plan number"),
    "portfolio": ("Portfolio", "Portfolios", "Cabinet portfolio", "Portfolio area"),
    "wards": ("Wards affected", "Ward(s) affected", "Wards", "Ward", "Affected wards",
              "Divisions affected"),
    "dates.decision": ("Date of decision", "Decision date", "Date of the decision",
                       "Date decision taken", "Date decision made", "Decision made on",
                       "Date taken"),
    "dates.published": ("Publication date", "Date of publication", "Date published", "Published",
                        "Published on"),
    "dates.call_in_deadline": ("Call-in deadline", "Call-in deadline date", "Call-in expiry date",
                               "Call-in expiry", "Deadline for call-in", "Call-in period ends",
                               "Last date for call-in", "Call-in expires"),
    "dates.in_force": ("Effective from", "Date comes into force if not called in",
                       "Date comes into force", "Comes into force", "In force from",
                       "Effective date", "Decision effective from",
                       "Implementation date if not called in"),
    "purpose": ("Purpose", "Purpose of report", "Purpose of the report", "Purpose of the decision",
                "Purpose of decision"),
    "decision": ("Decision", "Decisions", "Decision(s)", "The decision", "Content", "Resolved",
                 "Resolution", "Resolutions", "Decision made", "Details of decision"),
    "recommendations": ("Recommendation(s)", "Recommended decision", "Proposed decision"),
    "reasons": ("Reasons for the decision", "Reasons for decision", "Reason for the decision",
                "Reason for decision", "Reasons for the decision(s)", "Reasons",
                "Reasons for the recommendation(s)", "Reasons for recommendation(s)",
                "The Rationale and Evidence for the Recommendations", "Rationale",
                "Rationale for the decision", "Reasons for making the decision"),
    "alternatives": ("Alternative options considered",
                     "Alternative options considered and rejected",
                     "Alternatives considered", "Alternatives considered and rejected",
                     "Alternative options", "Alternative options rejected",
                     "Other options considered", "Other options considered and rejected",
                     "Options considered", "Options considered and rejected",
                     "Alternative options considered and reasons for rejection",
                     "Details of alternative options considered and rejected"),
    "appendices": ("Appendices", "List of appendices"),
    "documents": ("Accompanying documents", "Supporting documents", "Documents", "Attachments"),
    "background_papers": ("Background papers", "Background documents",
                          "List of background papers"),
    "meeting": ("Related meeting", "Meeting", "Taken at meeting", "Decision taken at"),
    "report.date": ("Date of meeting", "Meeting date"),
    "report.report_to": ("Report to",),
    "report.report_of": ("Report of", "Report from", "Report by"),
    "report.summary": ("Summary", "Executive summary", "Report summary", "Summary of report"),
    "exempt_report": ("Exempt/confidential report", "Exempt report", "Confidential report",
                      "Exempt or confidential report", "Is the report exempt"),
    "implications.financial": ("Financial implications", "Finance implications",
                               "Resource implications"),
    "implications.legal": ("Legal implications", "Legal considerations"),
    "implications.risk": ("Risk implications", "Risk management", "Risk assessment"),
    "implications.staffing": ("Staffing implications", "Staffing HR implications",
                              "Staffing (HR) implications", "Human resources implications",
                              "HR implications", "Workforce implications"),
    "implications.equality": ("Equality implications", "Equalities implications",
                              "Equality impact", "Equality impact assessment"),
    "implications.children": ("Impact on children and young people",
                              "Children and young people implications",
                              "Implications for children and young people"),
    "implications.climate": ("Climate emergency implications", "Climate implications",
                             "Climate change implications", "Environmental implications",
                             "Sustainability implications"),
    "implications.health": ("Health implications", "Health and wellbeing implications",
                            "Public health implications"),
    "implications.procurement": ("Procurement implications",),
    "implications.property": ("Property implications", "Asset implications"),
    "consultation": ("What consultations have taken place on the proposals and when?",
                     "Consultation", "Consultations", "Consultation undertaken", "Consultees",
                     "Details of consultation"),
    "implementation": ("Implementation date for the decision", "Implementation date",
                       "Implementation"),
    "interests_declared": ("Interests declared", "Declarations of interest",
                           "Declaration of interest", "Conflicts of interest",
                           "Conflict of interest", "Any conflicts of interest declared",
                           "Conflicts of interest declared"),
    "dispensations": ("Dispensations", "Dispensation", "Dispensations granted",
                      "Note of dispensation granted"),
    "contact": ("Contact", "Contact officer", "Contact details", "Contact person", "Lead officer",
                "Report author"),
    "contact.email": ("Email", "E-mail", "Email address"),
    "contact.phone": ("Telephone", "Telephone number", "Tel", "Phone", "Phone number", "Tel no"),
}

# Page headings that say what kind of page this is, not what the decision is: skipped while
# looking for the title.
_PAGE_HEADINGS = ("Decision details", "Decision", "Decision notice", "Record of decision",
                  "Record of decisions", "Record of executive decision", "Executive decision",
                  "Officer decision", "Delegated decision", "Issue details", "Decision record",
                  "Record of officer decision", "Individual cabinet member decision")

# Inside an options section, these labels describe one option (seed 004's tables).
_OPTION_LABELS: dict[str, str] = {
    "pros": "pros", "advantages": "pros", "benefits": "pros",
    "cons": "cons", "disadvantages": "cons",
    "financial assessment": "financial_assessment", "financial appraisal": "financial_assessment",
    "outcome": "outcome",
    "benchmarking": "description", "description": "description",
}

_STATUS_WORDS: dict[str, str] = {
    "recommendations approved": "approved", "recommendation approved": "approved",
    "recommendations agreed": "approved", "approved": "approved", "agreed": "approved",
    "decision approved": "approved", "decision made": "approved", "decision taken": "approved",
    "approved with amendments": "approved", "recommendations approved with amendments": "approved",
    "implemented": "approved", "made": "approved",
    "for determination": "for-determination",
    "called in": "called-in", "call in": "called-in", "called in for scrutiny": "called-in",
    "deferred": "deferred", "decision deferred": "deferred", "item deferred": "deferred",
    "withdrawn": "withdrawn", "item withdrawn": "withdrawn", "report withdrawn": "withdrawn",
    "referred back": "referred-back", "referred back to decision maker": "referred-back",
    "referred back for reconsideration": "referred-back",
    "referred back to cabinet": "referred-back",
    "proposed": "proposed", "proposal": "proposed",
}

_OUTCOME_WORDS: dict[str, str] = {
    "not recommended": "rejected", "rejected": "rejected", "not preferred": "rejected",
    "discounted": "rejected", "not supported": "rejected", "not pursued": "rejected",
    "not agreed": "rejected", "not selected": "rejected", "not chosen": "rejected",
    "recommended": "recommended", "recommended option": "recommended",
    "preferred": "recommended", "preferred option": "recommended", "supported": "recommended",
    "chosen": "chosen", "selected": "chosen", "approved": "chosen", "agreed": "chosen",
    "adopted": "chosen",
}

# The record's field order, as in generator/schema/decision.schema.json (a test keeps them equal),
# so imported files read the same way as hand-written ones.
FIELD_ORDER: tuple[str, ...] = (
    "title", "reference", "decision_maker", "decision_type", "status", "key_decision",
    "forward_plan", "portfolio", "wards", "dates", "call_in", "purpose", "decision", "reasons",
    "alternatives", "commissioning", "appendices", "report", "implications", "consultation",
    "implementation", "background_papers", "interests_declared", "dispensations", "contact",
    "meeting", "documents", "import_report",
)
_NESTED_ORDER: dict[str, tuple[str, ...]] = {
    "forward_plan": ("included", "reference", "published", "urgency", "urgency_reason",
                     "agreed_by", "notice_date"),
    "dates": ("decision", "published", "call_in_deadline", "in_force"),
    "call_in": ("applies", "reason", "waived_by", "count", "override_reason", "events"),
    "report": ("title", "report_of", "report_to", "date", "summary"),
    "implications": ("financial", "legal", "risk", "staffing", "equality", "children", "climate",
                     "health", "procurement", "property", "other"),
    "consultation": ("internal", "external"),
    "contact": ("name", "role", "email", "phone"),
    "meeting": ("title", "date", "item", "url"),
}
_ITEM_ORDER: dict[str, tuple[str, ...]] = {
    "alternatives": ("title", "outcome", "description", "reasons", "pros", "cons",
                     "financial_assessment"),
    "appendices": ("title", "exempt", "description", "body", "file", "url"),
    "documents": ("title", "file", "url"),
}
_EXEMPT_ORDER = ("paragraph", "public_interest", "review_date")

# What the report says each missing required field is for; the law first, so an officer knows
# why the check will refuse the record until it is added.
_MISSING: dict[str, str] = {
    "title": "Add `title`: the source has no title.",
    "decision": "Add `decision`: the source has no decision text (reg 13(a) requires the "
                "decision as made).",
    "reasons": "Add `reasons`: the source has no reasons for the decision (reg 13(b) requires "
               "them).",
    "alternatives": "Add `alternatives`: the source lists no alternative options considered and "
                    "rejected (reg 13(c) requires them; if none were considered, say so and why "
                    "in a sentence).",
    "wards": "Add `wards`: the source names no wards affected; list ward names from "
             "site-data/wards.yml, or [all].",
    "key_decision": "Add `key_decision` (true or false): the source does not say whether this is "
                    "a key decision (reg 8).",
}
# Sections of running text or lists (as opposed to one-line values).
_TEXT_KEYS = frozenset({"purpose", "decision", "recommendations", "reasons", "alternatives",
                        "report.summary", "consultation", "implementation", "interests_declared",
                        "dispensations"})
_STATUSES = "proposed, for-determination, approved, called-in, referred-back, withdrawn or deferred"

MAX_SOURCE_BYTES = 8 * 1024 * 1024
SLUG_MAX = 64

# ---------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------

# The characters the strict loader refuses (generator/yamlsource.py) plus the soft hyphen: they
# are invisible on the page, so dropping them loses nothing a reader saw.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\ufeff\u00ad"
                        "\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# ModernGov's text export turns each empty "&nbsp;" paragraph into " \xa0 " inside one line
# (seed 003), so a lone NBSP between plain spaces is a paragraph break. NBSP runs after a list
# number ("1.\xa0\xa0\xa0 That", seed 000) are only spacing and do not match.
_INLINE_SPACER = re.compile(r"(?<=\S) \u00a0+ (?=\S)")
_RULE_LINE = re.compile(r"^[\s|+:=_-]*-{3,}[\s|+:=_-]*$")
_HTML_HINT = re.compile(
    r"<(?:/?(?:p|b|strong|i|em|u|br|li|ul|ol|div|span|table|tr|td|th|sup|sub|a|h[1-6]|html|"
    r"body|head|section|article|main|font|small|blockquote|dl|dt|dd|hr|img)\b[^<>]*|!--|!doctype)"
    r"[^<>]*>", re.IGNORECASE)
_FULL_PAGE = re.compile(r"<(?:!doctype|html|body)\b", re.IGNORECASE)
# The check refuses text that looks like a tag (generator/validate.py RAW_HTML).
_TAG_LIKE = re.compile(r"<(?=\s*/?\s*(?:[A-Za-z]|!--))")

_MARKER = re.compile(
    r"^(?:(?P<bullet>[-*•●▪◦‣·])\s+)?"
    r"(?:(?P<enum>\(\d{1,3}\)|\d{1,3}[.)]|\d{1,3}(?:\.\d{1,3})+\.?|\([a-z]\)|[a-z][.)]|"
    r"\([ivxlc]{1,6}\)|[ivxlc]{2,6}[.)]|\([A-Z]\)|[A-Z]\))(?=\s)\s*)?")
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
          "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx")
_OPTION = re.compile(r"^Option\s+(?P<n>\d{1,2}|[A-Z])\b\s*(?P<sep>[:.–—-])?\s*(?P<rest>.*)$")
_OUTCOME_SUFFIX = re.compile(
    r"\s*(?:[–—-]|\()\s*(?P<o>not\s+recommended|recommended(?:\s+option)?|rejected|"
    r"preferred(?:\s+option)?|not\s+preferred|chosen|selected|discounted)\s*\)?\s*\.?$",
    re.IGNORECASE)
_TEXT_REJECTED = re.compile(r"\bnot\s+(?:be\s+)?recommended\b|\brejected\b|\bdiscounted\b|"
                            r"\bnot\s+(?:the\s+)?preferred\b|\bnot\s+(?:been\s+)?pursued\b",
                            re.IGNORECASE)
_TEXT_RECOMMENDED = re.compile(r"\b(?:is|was)\s+(?:the\s+)?(?:recommended|preferred)\b|"
                               r"\b(?:recommended|preferred)\s+option\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘(])")
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "no.", "cllr.", "mr.", "mrs.", "ms.", "dr.", "st.",
                            "etc.", "approx.", "para.", "ref.", "vs.", "cf."})
_NONE_STATEMENT = re.compile(
    r"^(?:n/?a|none|nil|not applicable|there (?:are|were) no\b.*|no (?:appendices|background "
    r"papers|documents|papers)\b.*)\.?$", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_LABELLED = re.compile(
    r"\b(?:Tel(?:ephone)?(?:\s*(?:No|Number))?|Phone|Mobile)\.?\s*:?\s*(\+?\d[\d ()-]{4,18}\d)",
    re.IGNORECASE)
_PHONE_BARE = re.compile(r"(?<![\w/])(?:\+44\s?|0)\d[\d ]{8,12}\d(?![\w/])")
_EMAIL_LABEL = re.compile(r"\b(?:E-?mail(?:\s+address)?)\s*:?\s*", re.IGNORECASE)
_MD_LINK = re.compile(r"^\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)$")
_LOCAL_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?!https?://)[^)\s]*\)")
_UNSAFE_HREF = re.compile(r"\s*(?:javascript|vbscript|data):", re.IGNORECASE)

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

_MONTHS = {m: i for i, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for m in names}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<Y>\d{4})-(?P<M>\d{1,2})-(?P<D>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d/.-])(?P<D>\d{1,2})[/.-](?P<M>\d{1,2})[/.-](?P<Y>\d{4}|\d{2})(?![\d/.-])"),
    re.compile(_WEEKDAY + r"(?P<D>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>[A-Za-z]{3,9})\.?,?"
               r"\s+(?P<Y>\d{4})\b", re.IGNORECASE),
    re.compile(_WEEKDAY + r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<D>\d{1,2})(?:st|nd|rd|th)?,?\s+"
               r"(?P<Y>\d{4})\b", re.IGNORECASE),
)

# Words that end a lead-in sentence rather than a label ("The Cabinet Member approves:").
_NOT_LABEL_WORDS = frozenset({"to", "the", "a", "an", "and", "or", "of", "for", "with", "that",
                              "which", "as", "by", "in", "on", "at", "is", "are", "be", "from"})
_VERBS = re.compile(r"\b(?:resolved|agreed|approved?s?|recommends?|recommended|decided|noted|"
                    r"include[sd]?|following)\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def import_text(text: str, *, source_name: str) -> ImportResult:
    """Turn one saved decision page (text or HTML) into a record and its report.

    Arguments:
        text: the page, as text or HTML (HTML is recognised by its tags).
        source_name: the file it came from; used for the id when the page has no title.

    Returns:
        The record (schema field order; `import_report` last when anything needs attention),
        the same report lines, a suggested id and the decision year.
    """
    return _Importer(source_name).run(text)


def to_yaml(record: dict[str, Any], *, schema_ref: str) -> str:
    """Write a record as YAML that the strict loader reads back unchanged.

    Arguments:
        record: a record as `import_text` makes it (str, bool, int, list and dict values).
        schema_ref: the path from the record's folder to decision.schema.json, for editors.
    """
    body = yaml.dump(record, Dumper=_RecordDumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return f"# yaml-language-server: $schema={schema_ref}\n{body}"


def import_files(paths: Iterable[Path], out_dir: Path, *,
                 root: Path | None = None) -> tuple[ImportOutcome, ...]:
    """Import each file and write its record under `out_dir`, never overwriting a file.

    Records go to `<out_dir>/<year>/<id>.yaml` when the decision date is known, otherwise to
    `<out_dir>/<id>.yaml`; an existing name gets `-2`, `-3`, ... The schema comment is relative to
    `root` (the project root, default the working directory). This is the only function here
    that touches the disk.
    """
    base = Path.cwd() if root is None else root
    out = out_dir if out_dir.is_absolute() else base / out_dir
    outcomes: list[ImportOutcome] = []
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            outcomes.append(ImportOutcome(path, None, (f"not read: {exc.strerror or exc}.",)))
            continue
        if len(raw) > MAX_SOURCE_BYTES:
            outcomes.append(ImportOutcome(path, None, (
                f"not read: {len(raw):,} bytes is more than a decision page "
                f"({MAX_SOURCE_BYTES:,} at most); save just the decision page.",)))
            continue
        text, encoding_note = _decode(raw)
        result = _Importer(str(path), extra_notes=encoding_note).run(text)
        folder = out / str(result.year) if result.year else out
        folder.mkdir(parents=True, exist_ok=True)
        schema_ref = Path(os.path.relpath(DECISION_SCHEMA, folder)).as_posix()
        content = to_yaml(result.record, schema_ref=schema_ref)
        written = _write_new(folder, result.suggested_id, content)
        outcomes.append(ImportOutcome(path, written, result.report, result))
    return tuple(outcomes)


def slugify(title: str) -> str:
    """A record id from a title: lower-case a-z, 0-9 and single hyphens, at most 64 characters."""
    return slug_of(title, SLUG_MAX)


def parse_date(text: str) -> tuple[date | None, str]:
    """The first date in `text` in a format councils use, and the text left around it.

    Numeric dates are day first (UK). A date that is not a real day gives None rather than a
    guess, and so does month-first "12/31/2025".
    """
    found: list[tuple[int, int, int, int, int]] = []  # start, end, year, month, day
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            if groups.get("mon") is not None:
                month = _MONTHS.get(groups["mon"].lower())
                if month is None:
                    continue  # "4 of them 2025" is not a date
            else:
                month = int(groups["M"])
            year = int(groups["Y"])
            found.append((m.start(), m.end(), year + 2000 if year < 100 else year, month,
                          int(groups["D"])))
    if not found:
        return None, text
    start, end, year, month, day = min(found)
    try:
        value = date(year, month, day)
    except ValueError:
        return None, text
    return value, (text[:start] + " " + text[end:]).strip(" ,.;")


# ---------------------------------------------------------------------------------------------
# Reading the source into lines
# ---------------------------------------------------------------------------------------------


def _decode(raw: bytes) -> tuple[str, tuple[str, ...]]:
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        # Pages saved by older Windows browsers are Windows-1252; say so, since a wrong guess
        # shows as odd quotes and pound signs.
        return raw.decode("cp1252", errors="replace"), (
            "Check the text: the file is not UTF-8 and was read as Windows-1252.",)


class _TextExtractor(HTMLParser):
    """HTML to the plain, Markdown-flavoured lines the label reader understands.

    Blocks become blank-line separated paragraphs, <li> becomes "- item", table cells are
    separated by tabs (as in reports pasted from Word), <b>/<strong> become **bold** so that
    bold labels read as labels, links to web addresses become Markdown links, and nothing of
    <script>, <style>, <head> or navigation is kept.
    """

    _SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "nav",
                       "footer", "aside", "select", "iframe", "object"})
    _BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "footer", "aside",
                        "blockquote", "ul", "ol", "table", "thead", "tbody", "tfoot", "dl", "dt",
                        "dd", "pre", "hr", "form", "fieldset", "figure", "figcaption", "address",
                        "caption", "center", "h1", "h2", "h3", "h4", "h5", "h6"})
    _TIGHT = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
                        "caption"})

    def __init__(self, *, whole_page: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.whole_page = whole_page
        self.skip = 0
        self.tight = 0
        self.in_li = 0
        self.cells = 0
        self.bold: list[int] = []
        self.links: list[tuple[int, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skip = 0  # an unclosed <head> must not hide the page
        if tag in self._SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in self._TIGHT:
            self.tight += 1
        if tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.in_li += 1
            self.out.append("\n- ")
        elif tag == "tr":
            self.cells = 0
            self.out.append("\n")
        elif tag in ("td", "th"):
            if self.cells:
                self.out.append("\t")
            self.cells += 1
        elif tag in ("b", "strong"):
            self.bold.append(len(self.out))
        elif tag == "a":
            self.links.append((len(self.out), dict(attrs).get("href")))
        elif tag in self._BLOCK:
            # Inside a list item a paragraph only continues the item.
            self.out.append("\n" if self.in_li and tag not in ("ul", "ol") else "\n\n")
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.out.append("# ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in self._TIGHT:
            self.tight = max(0, self.tight - 1)
        if tag in ("b", "strong") and self.bold:
            self._wrap(self.bold.pop(), "**", "**")
        elif tag == "a" and self.links:
            start, href = self.links.pop()
            # Kept as Markdown so a document list can offer its address; `_clean` turns links
            # that are not web addresses back into their text everywhere else.
            if href and not href.startswith("#") and not _UNSAFE_HREF.match(href) \
                    and " " not in href.strip():
                self._wrap(start, "[", f"]({href.strip()})")
        elif tag == "li":
            self.in_li = max(0, self.in_li - 1)
        elif tag == "tr":
            self.out.append("\n")
        elif tag in self._BLOCK:
            self.out.append("\n" if self.in_li and tag not in ("ul", "ol") else "\n\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.whole_page or self.tight:
            data = re.sub(r"[ \t\r\n\f\v]+", " ", data)
        self.out.append(data)

    def _wrap(self, start: int, left: str, right: str) -> None:
        segment = "".join(self.out[start:])
        core = segment.strip()
        if not core or "\n" in core or core.startswith(left):
            return
        lead = segment[:len(segment) - len(segment.lstrip())]
        trail = segment[len(segment.rstrip()):]
        del self.out[start:]
        self.out.append(f"{lead}{left}{core}{right}{trail}")

    def text(self) -> str:
        return "".join(self.out)


def _source_lines(text: str, notes: list[str]) -> list[str]:
    """The page as cleaned lines: HTML converted, spacers collapsed, inline lists split."""
    text = text.removeprefix("\ufeff")
    for old, new in (("\r\n", "\n"), ("\r", "\n"), ("\u2028", "\n"), ("\u2029", "\n\n"),
                     ("\x0c", "\n"), ("\x0b", "\n")):
        text = text.replace(old, new)
    is_html = bool(_HTML_HINT.search(text))
    if is_html:
        parser = _TextExtractor(whole_page=bool(_FULL_PAGE.search(text)))
        parser.feed(text)
        parser.close()
        text = parser.text()
    hidden = [ch for ch in _INVISIBLE.findall(text) if ch != "\u00ad"]
    if hidden:
        names = sorted({f"U+{ord(ch):04X}" for ch in hidden})
        notes.append(f"Removed {len(hidden)} invisible or control character(s) "
                     f"({', '.join(names)}); the check refuses them.")
    text = _INVISIBLE.sub("", text)
    if not is_html:
        text = _INLINE_SPACER.sub("\n\n", text)
    text = _ODD_SPACES.sub(" ", text)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if _RULE_LINE.match(line):
            line = ""
        # Split before collapsing spaces: the double space after "ii)" tells an item apart.
        lines.extend(re.sub(r" {2,}", " ", piece) for piece in _split_inline_items(line))
    return lines


def _marker(text: str) -> re.Match[str] | None:
    m = _MARKER.match(text)
    if m is None or (m.group("bullet") is None and m.group("enum") is None):
        return None
    return m


def _enum_kind(enum: str | None) -> tuple[str, int, str]:
    """(kind, position, style) of a list marker: ("roman", 4, "x)") for "iv)"."""
    if not enum:
        return "bullet", 0, ""
    core = enum.strip("().")
    style = "(x)" if enum.startswith("(") else ("x." if enum.endswith(".") else "x)")
    if re.fullmatch(r"\d+(?:\.\d+)+", core):
        return "section", 0, style
    if core.isdigit():
        return "num", int(core), style
    # "i)" starts a roman list; "v)" or "x)" alone are letters (a list rarely starts at 5 or 10).
    if core in _ROMAN and (len(core) > 1 or core == "i"):
        return "roman", _ROMAN.index(core) + 1, style
    if len(core) == 1 and core.islower():
        return "alpha", ord(core) - 96, style
    if len(core) == 1 and core.isupper():
        return "ALPHA", ord(core) - 64, style
    return "other", 0, style


def _same_list(enum: str, kind: str) -> bool:
    """Whether a marker continues a list of `kind`: "v)" continues "i), ii), ..." although on its
    own it would be the letter v."""
    own = _enum_kind(enum)[0]
    core = enum.strip("().")
    return own == kind or (kind == "roman" and core in _ROMAN) or (
        kind == "alpha" and len(core) == 1 and core.islower())


def _format_enum(kind: str, n: int, style: str) -> str:
    token = {"num": str(n), "alpha": chr(96 + n) if n <= 26 else "",
             "ALPHA": chr(64 + n) if n <= 26 else "",
             "roman": _ROMAN[n - 1] if n <= len(_ROMAN) else ""}.get(kind, "")
    if not token:
        return ""
    return {"(x)": f"({token})", "x.": f"{token}.", "x)": f"{token})"}[style]


def _split_inline_items(line: str) -> list[str]:
    """Split "i) one. ii) two" (a list flattened onto one line) into one line per item.

    Only the next marker in sequence splits, and only after a sentence end or before a double
    space, so "(a) and (b)" inside a sentence stays whole.
    """
    m = _marker(line)
    if m is None or not m.group("enum"):
        return [line]
    kind, n, style = _enum_kind(m.group("enum"))
    if kind in ("bullet", "section") or n == 0:
        return [line]
    pieces: list[str] = []
    start, pos = 0, m.end()
    while True:
        token = _format_enum(kind, n + 1, style)
        if not token:
            break
        nxt = re.compile(r"(?:(?<=[.;:])\s+|\s+(?=" + re.escape(token) + r"\s{2}))"
                         + re.escape(token) + r"\s").search(line, pos)
        if nxt is None:
            break
        cut = nxt.start() + len(nxt.group()) - len(token) - 1
        pieces.append(line[start:cut].rstrip())
        start, pos, n = cut, nxt.end(), n + 1
    pieces.append(line[start:].strip())
    return pieces


# ---------------------------------------------------------------------------------------------
# Finding labels and sections
# ---------------------------------------------------------------------------------------------


def _norm(label: str) -> str:
    """A label reduced for matching: "Is Key decision?:" and "is key decision" are equal."""
    s = label.replace("**", "").replace("’", "'").replace("‘", "'").lower()
    s = s.replace("(s)", "").replace("&", " and ")
    s = re.sub(r"[^a-z0-9']+", " ", s)
    return " ".join(s.split())


_LABELS: dict[str, str] = {_norm(v): key for key, vs in _LABEL_VARIANTS.items() for v in vs}
_PAGE_HEADING_SET = frozenset(_norm(h) for h in _PAGE_HEADINGS)


def _unbold(text: str) -> str:
    s = text.strip()
    if s.startswith("**") and s.endswith("**") and len(s) > 4 and "**" not in s[2:-2]:
        return s[2:-2].strip()
    return s


def _label_like(label: str) -> bool:
    """Whether unknown text before a colon reads as a label ("Colour of the door") rather than a
    sentence ("The Cabinet Member approves")."""
    words = label.split()
    if not 1 <= len(words) <= 6 or len(label) > 60 or not label[:1].isupper():
        return False
    if not re.fullmatch(r"[A-Za-z0-9 '’/&()\-,?]+", label):
        return False
    return words[-1].lower() not in _NOT_LABEL_WORDS and not _VERBS.search(label)


def _option_label(text: str) -> tuple[str, str, str] | None:
    """("pros", "Pros", value) when text labels one part of an option ("**Pros**",
    "**Outcome**<tab>Not recommended", "**Financial assessment** – ...")."""
    s = text.strip()
    m = re.match(r"^\*\*(?P<l>[^*]+?)\*\*\s*(?P<v>.*)$", s)
    if m:
        label, value = m.group("l").strip().rstrip(":").strip(), m.group("v")
    else:
        m = re.match(r"^(?P<l>[A-Za-z][A-Za-z ]{1,30}?)\s*(?::|\t)\s*(?P<v>.*)$", s)
        if m is None:
            if _norm(s) in _OPTION_LABELS:
                return _OPTION_LABELS[_norm(s)], s, ""
            return None
        label, value = m.group("l").strip(), m.group("v")
    key = _OPTION_LABELS.get(_norm(label))
    if key is None:
        return None
    value = re.sub(r"^[\s:–—-]+", "", value.replace("\t", " ")).strip()
    return key, label, _unbold(value)


def _is_option_heading(text: str) -> re.Match[str] | None:
    s = text.strip()
    bold = s.startswith("**") and s.endswith("**")
    m = _OPTION.match(_unbold(s))
    if m and (m.group("sep") or bold) and m.group("rest"):
        return m
    return None


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


# ---------------------------------------------------------------------------------------------
# Blocks: paragraphs, list items and tables inside a section
# ---------------------------------------------------------------------------------------------


@dataclass
class _Block:
    kind: str  # "para", "item" or "table"
    text: str = ""
    enum: str = ""  # the item's number as written: "1.", "(a)", "" for a bullet
    bullet: bool = False
    rows: list[list[str]] = field(default_factory=list)


def _ends_open(text: str) -> bool:
    return bool(text) and not re.search(r"[.!?:;)\]\"”’*]$", text)


def _continues(prev: str, nxt: str) -> bool:
    """Whether `nxt` carries on a sentence that a page break cut ("through a" / "contract
    arrangement with ..."), so the two are one paragraph."""
    return _ends_open(prev) and nxt[:1].islower()


def _blocks(lines: Sequence[str]) -> list[_Block]:
    blocks: list[_Block] = []
    gap = True
    for line in lines:
        s = line.strip()
        if not s:
            gap = True
            continue
        cells = [c.strip() for c in s.split("\t")]
        if len([c for c in cells if c]) >= 2:
            if blocks and blocks[-1].kind == "table" and not gap:
                blocks[-1].rows.append(cells)
            else:
                blocks.append(_Block("table", rows=[cells]))
            gap = False
            continue
        s = re.sub(r"^#{1,6}\s+", "", s.replace("\t", " ").strip())
        m = _marker(s)
        if m:
            text = s[m.end():].strip()
            inner = _marker(text) if m.group("bullet") and not m.group("enum") else None
            enum = m.group("enum") or ""
            if inner and inner.group("enum"):  # "- (1) ..." or "- 1. ..."
                enum, text = inner.group("enum"), text[inner.end():].strip()
            elif inner:  # "- • ..."
                text = text[inner.end():].strip()
            blocks.append(_Block("item", text, enum=enum, bullet=not enum))
        elif blocks and not gap and blocks[-1].kind in ("para", "item"):
            blocks[-1].text += " " + s
        elif blocks and blocks[-1].kind in ("para", "item") and _continues(blocks[-1].text, s):
            blocks[-1].text += " " + s
        else:
            blocks.append(_Block("para", s))
        gap = False
    return blocks


def _md_table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    cells = [[_clean(c).replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return "\n".join(lines)


def _clean(text: str) -> str:
    """Text as it goes into the record: single spaces, no stray bold marks, and links that are
    not web addresses reduced to their text."""
    text = _LOCAL_LINK.sub(r"\g<text>", re.sub(r"[ \t]+", " ", text)).strip()
    if text.count("**") % 2:
        text = text.replace("**", "")
    return text


def _prose(blocks: Sequence[_Block]) -> str:
    """Blocks as Markdown: paragraphs apart, bullets as a tight list, tables as pipe tables."""
    parts: list[tuple[str, bool]] = []
    for b in blocks:
        if b.kind == "table":
            parts.append((_md_table(b.rows), False))
        elif b.kind == "item" and b.bullet:
            parts.append((f"- {_clean(b.text)}", True))
        elif b.kind == "item":
            parts.append((f"{b.enum} {_clean(b.text)}", False))
        else:
            parts.append((_clean(b.text), False))
    out = ""
    for i, (text, is_bullet) in enumerate(parts):
        if i:
            out += "\n" if is_bullet and parts[i - 1][1] else "\n\n"
        out += text
    return out


def _first_sentence(text: str) -> tuple[str, str]:
    for m in _SENTENCE_END.finditer(text):
        before = text[:m.start()].split()
        if before and before[-1].lower() in _ABBREVIATIONS:
            continue
        return text[:m.start()], text[m.end():]
    return text, ""


# ---------------------------------------------------------------------------------------------
# The importer
# ---------------------------------------------------------------------------------------------


def _set_path(record: dict[str, Any], path: str, value: Any) -> None:
    head, _, tail = path.partition(".")
    if tail:
        record.setdefault(head, {})[tail] = value
    else:
        record[head] = value


def _get_path(record: dict[str, Any], path: str) -> Any:
    head, _, tail = path.partition(".")
    value = record.get(head)
    if tail:
        return value.get(tail) if isinstance(value, dict) else None
    return value


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


class _Importer:
    """Reads one page. Each `_fill_*` method places one kind of section and notes what it could
    not place; `_missing` then says which required fields are still absent."""

    def __init__(self, source_name: str, extra_notes: Sequence[str] = ()) -> None:
        self.source_name = source_name
        self.record: dict[str, Any] = {}
        self.notes: list[str] = list(extra_notes)
        self.adds: list[str] = []
        self.status_text: str | None = None

    # -- driver -----------------------------------------------------------------------------

    def run(self, text: str) -> ImportResult:
        lines = _source_lines(text, self.notes)
        seg = _Segmenter()
        seg.run(lines)
        labelled = any(sec.key == "title" for sec in seg.sections)
        self._title_from_preamble(seg.preamble, labelled=labelled)
        for section in seg.sections:
            self._fill(section)
        self._exempt_appendices(lines)
        if "report" in self.record and "title" in self.record:
            # The page is the report itself (seed 001), so its title is the report's title.
            self.record["report"].setdefault("title", self.record["title"])
        self._infer_decision_type()
        self._missing()
        record = _ordered(_sanitise(self.record, self.notes))
        # What was found but not placed, in reading order; then what to add, in field order.
        counts: dict[str, int] = {}
        for line in [*self.notes, *self.adds]:
            counts[line] = counts.get(line, 0) + 1
        report = tuple(line if n == 1 else f"{line} ({n} times)" for line, n in counts.items())
        if report:
            record["import_report"] = list(report)
        title = record.get("title")
        slug = slugify(title) if isinstance(title, str) else ""
        if not slug:
            slug = slugify(Path(self.source_name).stem) or "decision"
        if slug in _RESERVED_IDS:
            slug = f"{slug}-decision"
        decided = record.get("dates", {}).get("decision")
        year = int(decided[:4]) if isinstance(decided, str) else None
        return ImportResult(record, report, slug, year)

    def _note(self, text: str) -> None:
        self.notes.append(text)

    def _unplaced(self, label: str, value: str, why: str = "no field for this label") -> None:
        shown = f"{label}: {value}" if label and value else (label or value)
        self._note(f"Not placed: `{_short(shown)}` ({why}); move it into the record by hand or "
                   "delete it.")

    def _put(self, path: str, value: Any, label: str) -> None:
        """Set a field once; a second, different value for the same field is reported."""
        existing = _get_path(self.record, path)
        if existing is not None and existing != value:
            self._unplaced(label, value if isinstance(value, str) else str(value),
                           f"`{path}` already has a value from the page")
            return
        _set_path(self.record, path, value)

    # -- title and dispatch -----------------------------------------------------------------

    def _title_from_preamble(self, preamble: Sequence[str], *, labelled: bool) -> None:
        """The title is the first line before any label (a heading when there is one), unless
        the page labels its title ("Title: ..."); other lines there are reported."""
        lines = [ln for ln in preamble if ln.strip()]
        if not lines:
            return
        at = next((i for i, ln in enumerate(lines) if ln.startswith("#")), 0)
        if labelled:
            at = -1
        else:
            self.record["title"] = _clean(_unbold(lines[at].lstrip("# ")))
        for i, ln in enumerate(lines):
            if i != at:
                self._unplaced("", _clean(ln.lstrip("# ")), "text before the first label")

    def _fill(self, sec: _Section) -> None:
        key = sec.key
        text = " ".join(_clean(ln) for ln in sec.lines if ln.strip())
        if key is None:
            if sec.lines:
                paras = len([b for b in _blocks(sec.lines)])
                what = "a value with no field" if len(sec.lines) == 1 else \
                    f"a section of {paras} paragraph(s) with no field"
                self._unplaced(sec.label, text, what)
            else:
                self._unplaced(sec.label, "", "a heading with nothing under it")
            return
        if not text and key not in ("decision", "reasons", "alternatives", "recommendations"):
            return  # an empty label ("Accompanying Documents:") has nothing to place
        handler = getattr(self, f"_fill_{key.replace('.', '_')}", None)
        if handler is not None:
            handler(sec, text)
        elif key.startswith("implications.") or key in (
                "purpose", "implementation", "interests_declared", "dispensations",
                "report.summary"):
            self._put(key, _prose(_blocks(sec.lines)), sec.label)
        else:
            self._scalar(sec, key)

    def _scalar(self, sec: _Section, key: str) -> None:
        """A one-line value (a name, a title); text after it is reported, not glued on."""
        blocks = _blocks(sec.lines)
        if not blocks:
            return
        first = blocks[0]
        value = _clean(_unbold(first.text if first.kind != "table" else
                               " ".join(c for c in first.rows[0] if c)))
        self._put(key, value, sec.label)
        for extra in blocks[1:]:
            self._unplaced("", _prose([extra]), f"text after `{sec.label}`")

    # -- one handler per field kind ---------------------------------------------------------

    def _fill_status(self, sec: _Section, text: str) -> None:
        self.status_text = text
        bare = _norm(re.sub(r"\([^)]*\)", "", text))
        status = _STATUS_WORDS.get(bare)
        if status is None:
            self._unplaced(sec.label, text, "not a status the portal knows")
            return
        self._put("status", status, sec.label)

    def _yes_no(self, sec: _Section, text: str) -> tuple[bool | None, str]:
        m = re.match(r"^\W*(yes|y|true|no|n|false)\b\W*(.*)$", text, re.IGNORECASE | re.DOTALL)
        if m is None:
            self._unplaced(sec.label, text, "not yes or no")
            return None, ""
        return m.group(1).lower() in ("yes", "y", "true"), m.group(2).strip()

    def _fill_key_decision(self, sec: _Section, text: str) -> None:
        value, rest = self._yes_no(sec, text)
        if value is not None:
            self._put("key_decision", value, sec.label)
            if rest:
                self._unplaced(sec.label, rest, "text after yes/no")

    def _fill_call_in_applies(self, sec: _Section, text: str) -> None:
        value, rest = self._yes_no(sec, text)
        if value is None:
            return
        self._put("call_in.applies", value, sec.label)
        if rest and not value:
            self._put("call_in.reason", rest, sec.label)  # "No - urgent decision": the reason
        elif rest:
            self._unplaced(sec.label, rest, "text after yes/no")

    def _fill_forward_plan_included(self, sec: _Section, text: str) -> None:
        value, rest = self._yes_no(sec, text)
        if value is not None:
            self._put("forward_plan.included", value, sec.label)
            if rest:
                self._put("forward_plan.reference", rest, sec.label)

    def _fill_call_in_count(self, sec: _Section, text: str) -> None:
        m = re.fullmatch(r"\s*(\d{1,4})\s*", text)
        if m is None:
            self._unplaced(sec.label, text, "not a whole number")
            return
        self._put("call_in.count", int(m.group(1)), sec.label)

    def _date_field(self, sec: _Section, text: str, path: str) -> None:
        value, rest = parse_date(text)
        if value is None:
            self._unplaced(sec.label, text, "not a date this importer reads (day/month/year); "
                           f"add `{path}` as YYYY-MM-DD")
            return
        self._put(path, value.isoformat(), sec.label)
        if rest:
            self._unplaced(sec.label, rest, f"text beside the date in `{path}`")

    def _fill_dates_decision(self, sec: _Section, text: str) -> None:
        self._date_field(sec, text, "dates.decision")

    def _fill_dates_published(self, sec: _Section, text: str) -> None:
        self._date_field(sec, text, "dates.published")

    def _fill_dates_call_in_deadline(self, sec: _Section, text: str) -> None:
        self._date_field(sec, text, "dates.call_in_deadline")

    def _fill_dates_in_force(self, sec: _Section, text: str) -> None:
        self._date_field(sec, text, "dates.in_force")

    def _fill_report_date(self, sec: _Section, text: str) -> None:
        self._date_field(sec, text, "report.date")

    def _fill_wards(self, sec: _Section, text: str) -> None:
        bare = _norm(text)
        if bare in ("all", "all wards", "all wards in the borough", "borough wide",
                    "whole borough", "all divisions", "all areas"):
            self._put("wards", ["all"], sec.label)
            return
        names = [n.strip(" ().[]") for n in re.split(r"[;,\n]", text)]
        names = [n for n in names if n]
        if names:
            self._put("wards", names, sec.label)

    def _fill_contact(self, sec: _Section, text: str) -> None:
        rest = text
        email = _EMAIL.search(rest)
        if email:
            self._contact_part("email", email.group().rstrip("."), sec.label)
            rest = rest[:email.start()] + rest[email.end():]
        phone = _PHONE_LABELLED.search(rest) or _PHONE_BARE.search(rest)
        if phone:
            number = phone.group(1) if phone.re is _PHONE_LABELLED else phone.group()
            self._contact_part("phone", number.strip(), sec.label)
            rest = rest[:phone.start()] + rest[phone.end():]
        rest = _EMAIL_LABEL.sub(" ", rest)
        rest = re.sub(r"\b(?:Tel(?:ephone)?|Phone)\b\.?\s*:?", " ", rest, flags=re.IGNORECASE)
        rest = " ".join(rest.split()).strip(" ,.;:")
        if rest:
            name, _, role = rest.partition(",")
            self._put("contact.name", name.strip(), sec.label)
            if role.strip(" ,."):
                self._put("contact.role", role.strip(" ,."), sec.label)

    def _contact_part(self, part: str, value: str, label: str) -> None:
        pattern = r"^[^@\s]+@[^@\s]+\.[^@\s]+$" if part == "email" else r"^[0-9 +()-]{6,20}$"
        if not re.match(pattern, value):
            self._unplaced(label, value, f"not a valid contact {part}")
            return
        self._put(f"contact.{part}", value, label)

    def _fill_contact_email(self, sec: _Section, text: str) -> None:
        m = _EMAIL.search(text)
        self._contact_part("email", m.group().rstrip(".") if m else text, sec.label)

    def _fill_contact_phone(self, sec: _Section, text: str) -> None:
        self._contact_part("phone", text.strip(" ."), sec.label)

    def _fill_exempt_report(self, sec: _Section, text: str) -> None:
        value, _ = self._yes_no(sec, text)
        if value is False:
            self._note(f"Not placed: `{sec.label}: {_short(text)}` (there is no field for it; it "
                       "says nothing in the report is exempt, so nothing needs adding).")
        elif value:
            self._note(f"Check `appendices`: the source says `{sec.label}: {_short(text)}`; add "
                       "each exempt appendix with `exempt: {paragraph, public_interest}` and no "
                       "body.")

    def _fill_meeting(self, sec: _Section, text: str) -> None:
        m = re.match(r"^(?P<title>.+?)\s+on\s+(?P<date>[^,]+,?\s*\d{4})\s*$", text)
        when, title = None, text
        if m:
            when, left = parse_date(m.group("date"))
            if when is not None and not left:
                title = m.group("title")
            else:
                when = None
        if when is None:
            when, _ = parse_date(text)
        self._put("meeting.title", title.strip(), sec.label)
        if when is not None:
            self._put("meeting.date", when.isoformat(), sec.label)
        else:
            self.adds.append("Add `meeting.date` (YYYY-MM-DD): the source names the meeting but "
                             "not its date.")

    def _titles(self, sec: _Section, *, raw: bool = False) -> list[str]:
        """One title per line: document lists put each document on its own line."""
        out = []
        for line in sec.lines:
            text = _text_after_marker(line.replace("\t", " ").strip())
            text = " ".join(text.split()) if raw else _clean(text)
            if text and not _NONE_STATEMENT.match(_clean(text)):
                out.append(text)
        return out

    def _fill_documents(self, sec: _Section, text: str) -> None:
        docs = self.record.setdefault("documents", [])
        for line in self._titles(sec, raw=True):
            link = _MD_LINK.match(line)
            title = _clean(link.group("text") if link else line)
            if link and re.match(r"https?://", link.group("url")):
                docs.append({"title": title, "url": link.group("url")})
                continue
            docs.append({"title": title})
            where = f" (the page links it as '{_short(link.group('url'), 80)}', which is not a " \
                    "full web address)" if link else " without a link"
            self.adds.append(f"Add `documents[{len(docs)}].url` (or `file`): the source lists "
                             f"'{_short(title, 80)}'{where}.")
        if not docs:
            del self.record["documents"]

    def _fill_background_papers(self, sec: _Section, text: str) -> None:
        papers = self._titles(sec)
        if papers:
            self.record.setdefault("background_papers", []).extend(papers)

    def _fill_appendices(self, sec: _Section, text: str) -> None:
        titles = self._titles(sec)
        if titles:
            self.record.setdefault("appendices", []).extend({"title": t} for t in titles)

    def _fill_consultation(self, sec: _Section, text: str) -> None:
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
                self._put("consultation", value, sec.label)
            return
        self._put("consultation", _prose(_blocks(sec.lines)), sec.label)

    # -- numbered lists: decision, recommendations, reasons ---------------------------------

    def _list(self, sec: _Section, field_name: str) -> list[str]:
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
                    self._note(f"Not placed: the lead-in `{_short(text)}` before the "
                               f"`{field_name}` items; add it back to the first item if the "
                               "items need it.")
                else:
                    items.append(text)
            elif primary is None:
                items.append(text)
            else:
                items[-1] += "\n\n" + text  # a paragraph under a numbered item belongs to it
        return [i for i in items if i]

    def _fill_decision(self, sec: _Section, text: str) -> None:
        items = self._list(sec, "decision")
        if items:
            self._put("decision", items, sec.label)

    def _fill_recommendations(self, sec: _Section, text: str) -> None:
        items = self._list(sec, "decision")
        if not items:
            return
        if "decision" in self.record:
            self._unplaced(sec.label, " ".join(items), "the page also records the decision")
            return
        self.record["decision"] = items
        self._note("Check `decision`: taken from the report's recommendations; the source does "
                   "not record the decision as made, so confirm the resolutions (and `status`) "
                   "once it is taken.")

    def _fill_reasons(self, sec: _Section, text: str) -> None:
        items = self._list(sec, "reasons")
        if items:
            if "reasons" in self.record:
                self.record["reasons"].extend(items)
            else:
                self.record["reasons"] = items

    # -- alternatives -----------------------------------------------------------------------

    def _fill_alternatives(self, sec: _Section, text: str) -> None:
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
                title, outcome = self._option_title(heading.group("rest"))
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
                    self._option_add(current, active, value, new=True)
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
                self._option_add(current, active, _text_after_marker(s), new=True)
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
                self._option_add(current, active, s, new=gap)
            gap = False
        heading_outcome = "rejected" if "rejected" in _norm(sec.label) else None
        for i, opt in enumerate(options):
            if style == "item":
                self._item_option(opt, texts[i])
            if "outcome" not in opt:
                body = " ".join([opt.get("title", ""), *opt.get("reasons", []),
                                 opt.get("description", "")])
                inferred = "rejected" if _TEXT_REJECTED.search(body) else (
                    "recommended" if _TEXT_RECOMMENDED.search(body) else heading_outcome)
                if inferred:
                    opt["outcome"] = inferred
        if options:
            existing = self.record.get("alternatives")
            if isinstance(existing, list):
                existing.extend(options)
            else:
                self.record["alternatives"] = options
            if any(ln.strip() for ln in statement):
                self._unplaced(sec.label, _prose(_blocks(statement)), "text before the options")
        elif any(ln.strip() for ln in statement):
            self._put("alternatives", _prose(_blocks(statement)), sec.label)
            self._note("Check `alternatives`: kept as one text; if it describes options, split "
                       "it into entries with `title` and `outcome`.")

    def _option_title(self, rest: str) -> tuple[str, str | None]:
        rest = rest.strip().strip("*").strip()
        m = _OUTCOME_SUFFIX.search(rest)
        if m and m.start() > 0:
            return _clean(rest[:m.start()]), _OUTCOME_WORDS.get(_norm(m.group("o")))
        return _clean(rest), None

    def _option_add(self, option: dict[str, Any], part: str, text: str, *, new: bool) -> None:
        text = _clean(text)
        if not text:
            return
        if part == "outcome":
            outcome = _OUTCOME_WORDS.get(_norm(text))
            if outcome is None:
                self._unplaced("Outcome", text, "not an outcome the portal knows")
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

    def _item_option(self, option: dict[str, Any], paras: list[str]) -> None:
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

    # -- exempt appendices ------------------------------------------------------------------

    def _exempt_appendices(self, lines: Sequence[str]) -> None:
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
                self._note(f"Check exempt information: the source says "
                           f"`{_short(text)}` but names no appendix; add an exempt appendix "
                           "notice or mark the passage by hand.")
                continue
            statement = next((_first_interest(p) for p in interest if p is text), None) \
                or next((_first_interest(p) for p in interest), None)
            for name in dict.fromkeys(names):
                self._exempt_notice(name, numbers, statement)

    def _exempt_notice(self, name: str, numbers: list[int | str], statement: str | None) -> None:
        appendices = self.record.setdefault("appendices", [])
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
            self.adds.append(f"Add `appendices[{index}].exempt.paragraph`: the source says {name} "
                             "is exempt under Schedule 12A but not under which paragraph.")
        if statement:
            exempt["public_interest"] = statement
        else:
            exempt["public_interest"] = (
                f"The public interest reasons for withholding {name} must be added: the source "
                "does not state them.")
            self.adds.append(f"Add `appendices[{index}].exempt.public_interest`: the source gives "
                             f"no public interest reasons for withholding {name} (Schedule 12A "
                             "para 10); replace the placeholder sentence.")
        entry["exempt"] = exempt

    # -- what the source did not say --------------------------------------------------------

    def _infer_decision_type(self) -> None:
        maker = self.record.get("decision_maker")
        if not isinstance(maker, str):
            return
        kind = _decision_type(maker)
        if kind is not None:
            self.record["decision_type"] = kind

    def _missing(self) -> None:
        rec = self.record
        adds: list[str] = []
        if "title" not in rec:
            adds.append(_MISSING["title"])
        if "decision_maker" not in rec:
            to = _get_path(rec, "report.report_to")
            hint = f"; the report is addressed to '{_short(to, 80)}'" if to else ""
            adds.append("Add `decision_maker`: the source does not say who took the decision"
                        f"{hint}.")
        if "decision_type" not in rec:
            maker = rec.get("decision_maker")
            why = f"could not tell it from the decision maker '{_short(maker, 80)}'" \
                if maker else "the source names no decision maker"
            adds.append("Add `decision_type` (cabinet, cabinet-member, committee or officer): "
                        f"{why}.")
        if "status" not in rec:
            why = f"the source's status '{_short(self.status_text, 60)}' is not one the portal " \
                  "knows" if self.status_text else "the source gives no decision status"
            adds.append(f"Add `status` ({_STATUSES}): {why}.")
        if "key_decision" not in rec:
            adds.append(_MISSING["key_decision"])
        if "wards" not in rec:
            adds.append(_MISSING["wards"])
        dates = rec.get("dates", {})
        if "decision" not in dates:
            meeting = _get_path(rec, "report.date") or _get_path(rec, "meeting.date")
            hint = f"; the report is for the meeting on {meeting}" if meeting else ""
            adds.append("Add `dates.decision` (YYYY-MM-DD): the source gives no decision date "
                        f"(reg 13(a) requires it){hint}.")
        if "published" not in dates and rec.get("status") in ("approved", "called-in",
                                                              "referred-back"):
            adds.append("Add `dates.published` (YYYY-MM-DD): the source gives no publication "
                        "date, and call-in is counted from it.")
        call_in = rec.get("call_in")
        if isinstance(call_in, dict):
            if "applies" not in call_in:
                adds.append("Add `call_in.applies` (true or false): the source gives call-in "
                            "details but does not say whether call-in applies.")
            elif call_in["applies"] is False and "reason" not in call_in:
                adds.append("Add `call_in.reason`: the source says the decision is not subject "
                            "to call-in but not why.")
        for name in ("decision", "reasons", "alternatives"):
            if name not in rec:
                adds.append(_MISSING[name])
        for i, opt in enumerate(rec.get("alternatives") or [], 1):
            if isinstance(opt, dict) and "outcome" not in opt:
                adds.append(f"Add `alternatives[{i}].outcome` (rejected, recommended or chosen): "
                            "the source does not say what became of this option.")
        if "interests_declared" not in rec:
            adds.append("Add `interests_declared`: the source records no declaration of "
                        "interests by a member consulted (reg 13(d)); write None if there "
                        "were none.")
        if "dispensations" not in rec:
            adds.append("Add `dispensations`: the source records no dispensation (reg 13(e)); "
                        "write None if none was granted.")
        meeting = rec.get("meeting")
        if isinstance(meeting, dict) and "title" not in meeting:
            adds.append("Add `meeting.title`: the source gives the meeting's date only.")
        # Lines noted while reading (a document's link, a placeholder) follow the field list.
        self.adds = [*adds, *self.adds]


def _first_interest(text: str) -> str:
    """The sentence of `text` that states the public interest test."""
    rest = text
    while rest:
        sentence, rest = _first_sentence(rest)
        if _PUBLIC_INTEREST.search(sentence):
            return sentence
    return text


def _text_after_marker(text: str) -> str:
    m = _marker(text)
    if m is None:
        return text
    rest = text[m.end():].strip()
    inner = _marker(rest) if m.group("bullet") else None
    return rest[inner.end():].strip() if inner else rest


def _decision_type(maker: str) -> str | None:
    """Only what the decision maker's name says for sure; anything else is left to the officer."""
    name = " ".join(maker.split())
    lower = name.lower()
    if lower == "cabinet":
        return "cabinet"
    if re.match(r"^(?:cabinet member|deputy leader|leader|executive member|portfolio holder|"
                r"lead member|cabinet lead)\b", lower):
        return "cabinet-member"
    if re.search(r"\b(?:committee|sub-committee|panel)\b", lower):
        return "committee"
    if re.search(r"\b(?:director|head of|chief executive|chief officer|chief [a-z ]+ officer|"
                 r"monitoring officer|section 151 officer)\b", lower):
        return "officer"
    return None


_RESERVED_IDS = frozenset({"con", "prn", "aux", "nul", "index", "search", "assets"}
                          | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)})


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


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    """The record with keys in the schema's order, at every level."""
    out: dict[str, Any] = {}
    for key in FIELD_ORDER:
        if key not in record:
            continue
        value = record[key]
        if key in _NESTED_ORDER and isinstance(value, dict):
            value = {k: value[k] for k in _NESTED_ORDER[key] if k in value}
        elif key in _ITEM_ORDER and isinstance(value, list):
            value = [_order_item(key, v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


def _order_item(key: str, item: dict[str, Any]) -> dict[str, Any]:
    ordered = {k: item[k] for k in _ITEM_ORDER[key] if k in item}
    if isinstance(ordered.get("exempt"), dict):
        ordered["exempt"] = {k: ordered["exempt"][k] for k in _EXEMPT_ORDER
                             if k in ordered["exempt"]}
    return ordered


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

# Plain scalars that some YAML reader would take for something other than text: YAML 1.1
# booleans (including y/n, which PyYAML's dumper leaves bare but our strict loader refuses),
# nulls, numbers in any base or with exponents, sexagesimals ("12:30") and dates.
_AMBIGUOUS = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|"
    r"~|null|Null|NULL|\.inf|\.Inf|\.INF|[-+]\.inf|\.nan|\.NaN|\.NAN|"
    r"[-+]?[0-9][0-9_:.,eE+-]*|[-+]?\.[0-9][0-9_eE+-]*|0[xXoObB][0-9A-Fa-f_]+)$")


class _RecordDumper(yaml.SafeDumper):
    """SafeDumper that never writes anchors or aliases and quotes every ambiguous string."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    tag = "tag:yaml.org,2002:str"
    if "\n" in value:
        return dumper.represent_scalar(tag, value, style="|")
    if not value or _AMBIGUOUS.match(value):
        return dumper.represent_scalar(tag, value, style="'")
    return dumper.represent_scalar(tag, value)


_RecordDumper.add_representer(str, _represent_str)


def _write_new(folder: Path, slug: str, content: str) -> Path:
    """Write to `<slug>.yaml`, or `<slug>-2.yaml`, ... : an existing record is never replaced."""
    n = 1
    while True:
        suffix = "" if n == 1 else f"-{n}"
        base = slug[:SLUG_MAX - len(suffix)].rstrip("-")
        target = folder / f"{base}{suffix}.yaml"
        try:
            with target.open("x", encoding="utf-8", newline="\n") as fh:
                fh.write(content)
            return target
        except FileExistsError:
            n += 1

# The words councils use: the labels that name each field, page headings, option parts, status
# and outcome words, and the tests that say whether a line reads as a label. This data grows as
# new sources are met, so it lives in one place: a new variant is one line here and no reader
# code changes.
from __future__ import annotations

import re

from generator.importer.text import _unbold

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

# Sections of running text or lists (as opposed to one-line values).
_TEXT_KEYS = frozenset({"purpose", "decision", "recommendations", "reasons", "alternatives",
                        "report.summary", "consultation", "implementation", "interests_declared",
                        "dispensations"})

# Words that end a lead-in sentence rather than a label ("The Cabinet Member approves:").
_NOT_LABEL_WORDS = frozenset({"to", "the", "a", "an", "and", "or", "of", "for", "with", "that",
                              "which", "as", "by", "in", "on", "at", "is", "are", "be", "from"})
_VERBS = re.compile(r"\b(?:resolved|agreed|approved?s?|recommends?|recommended|decided|noted|"
                    r"include[sd]?|following)\b", re.IGNORECASE)
_OPTION = re.compile(r"^Option\s+(?P<n>\d{1,2}|[A-Z])\b\s*(?P<sep>[:.–—-])?\s*(?P<rest>.*)$")


def _norm(label: str) -> str:
    """A label reduced for matching: "Is Key decision?:" and "is key decision" are equal."""
    s = label.replace("**", "").replace("’", "'").replace("‘", "'").lower()
    s = s.replace("(s)", "").replace("&", " and ")
    s = re.sub(r"[^a-z0-9']+", " ", s)
    return " ".join(s.split())


_LABELS: dict[str, str] = {_norm(v): key for key, vs in _LABEL_VARIANTS.items() for v in vs}
_PAGE_HEADING_SET = frozenset(_norm(h) for h in _PAGE_HEADINGS)


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

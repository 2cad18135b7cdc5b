# What the source did not say: the decision type where the decision maker's name settles it,
# then one report line for each required field still absent, saying which rule needs it. A
# source that lacks the legal minimum still gives a record, so these lines are how an officer
# learns what to add before the check will accept it.
from __future__ import annotations

import re

from generator.importer.draft import _Draft, _get_path, _short

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
_STATUSES = "proposed, for-determination, approved, called-in, referred-back, withdrawn or deferred"


def _infer_decision_type(draft: _Draft) -> None:
    maker = draft.record.get("decision_maker")
    if not isinstance(maker, str):
        return
    kind = _decision_type(maker)
    if kind is not None:
        draft.record["decision_type"] = kind


def _missing(draft: _Draft) -> None:
    rec = draft.record
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
        why = f"the source's status '{_short(draft.status_text, 60)}' is not one the portal " \
              "knows" if draft.status_text else "the source gives no decision status"
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
    draft.adds = [*adds, *draft.adds]


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

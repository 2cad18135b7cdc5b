# Messages for the rules a JSON Schema cannot express (validate.py): lookups against the
# council's tables, dates in order, the call-in rule, the key-decision notice (regs 9-11 of
# SI 2012/2089), exempt information (Schedule 12A) and text that must not reach a page.
# A name is quoted only when it comes from a lookup field; exempt text is never quoted.
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from generator.messages import did_you_mean
from generator.problems import Problem, Severity, SourceRef

# ---------------------------------------------------------------------------------------------
# Ids and lookups


def duplicate_id(where: SourceRef, record_id: str, others: str) -> Problem:
    return Problem(where, "id", f"record id '{record_id}' is also used by {others}; ids are URLs "
                   "and must be unique, so rename one file.")


def unknown_decision_maker(where: SourceRef, field: str, name: str,
                           known: Iterable[str]) -> Problem:
    return Problem(where, field, f"'{name}' is not in site-data/decision-makers.yml; add it there "
                   "or use a listed name." + did_you_mean(name, known))


def unknown_ward(where: SourceRef, field: str, name: str, known: Iterable[str]) -> Problem:
    return Problem(where, field, f"'{name}' is not a ward in site-data/wards.yml (use `all` for "
                   "the whole area)." + did_you_mean(name, known))


def all_and_named_wards(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "`all` already covers every ward; list either `all` or named "
                   "wards.")


def unknown_portfolio(where: SourceRef, field: str, name: str, known: Iterable[str]) -> Problem:
    return Problem(where, field, f"'{name}' is not in site-data/portfolios.yml; add it there or "
                   "use a listed name." + did_you_mean(name, known))


def import_notes_left(where: SourceRef, field: str, count: int) -> Problem:
    return Problem(where, field, f"{count} note(s) from the import are still here; act on each, "
                   "then delete `import_report`.", Severity.WARNING)


def consultation_missing_in_wales(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "missing: in Wales the record must state the consultation "
                   "undertaken (SI 2001/2290 reg 7); add `consultation`.")


# ---------------------------------------------------------------------------------------------
# Dates and call-in


def published_before_decision(where: SourceRef, field: str, published: date,
                              decided: date) -> Problem:
    return Problem(where, field, f"publication ({published}) is before the decision ({decided}); "
                   "a record is published after the decision is taken, so correct whichever date "
                   "is wrong.")


def published_in_future(where: SourceRef, field: str, published: date) -> Problem:
    return Problem(where, field, f"{published} is in the future; set it when the record is "
                   "published.")


def publication_date_missing(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "missing: a decision that has been taken needs its publication "
                   "date, from which call-in is counted.")


def forward_plan_after_decision(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "the forward plan notice is after the decision; check both dates.")


def event_before_publication(where: SourceRef, field: str, day: date, published: date) -> Problem:
    return Problem(where, field, f"{day} is before the decision was published ({published}); "
                   "call-in follows publication.")


def call_in_events_without_call_in(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "call-in does not apply to this decision, so it cannot have "
                   "call-in requests or events; remove them or set `applies: true`.")


def not_subject_to_call_in(where: SourceRef, field: str, decision_type: str) -> Problem:
    return Problem(where, field, f"{decision_type} decisions are not subject to call-in under "
                   "site-data/authority.yml; set `applies: false` with the reason.")


def deadline_without_call_in(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "call-in does not apply, so there is no deadline; remove it.")


def date_differs_from_rule(where: SourceRef, field: str, recorded: date, expected: date,
                           published: date, working: str) -> Problem:
    return Problem(where, field, f"recorded as {recorded}, but the council's rule gives {expected} "
                   f"(published {published}: {working}). Correct the date, remove it to use the "
                   "computed one, or give `call_in.override_reason`.")


# ---------------------------------------------------------------------------------------------
# Key decisions: notice on the forward plan (reg 9) or urgency (regs 10-11)


def key_decision_without_forward_plan(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "a key decision needs `forward_plan` (reg 9: notice 28 clear days "
                   "before), or urgency under reg 10 or 11 recorded there.")


def not_on_forward_plan(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "a key decision must be on the forward plan with its `published` "
                   "date (reg 9), or record `urgency: general-exception` or `special-urgency` with "
                   "its details (regs 10-11).")


def too_few_clear_days(where: SourceRef, field: str, days: int, needed: int) -> Problem:
    return Problem(where, field, f"only {days} clear days before the decision; reg 9 needs "
                   f"{needed}. Record `urgency: general-exception` (reg 10) or `special-urgency` "
                   "(reg 11).")


def urgency_detail_missing(where: SourceRef, field: str, urgency: str, who: str) -> Problem:
    return Problem(where, field, f"missing: {urgency} needs `urgency_reason`, `agreed_by` ({who}) "
                   "and `notice_date`.")


def general_exception_too_late(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "a general-exception notice must be published 5 clear days before "
                   "the decision (reg 10); otherwise use special-urgency (reg 11).")


# ---------------------------------------------------------------------------------------------
# Exempt information (Schedule 12A)


def paragraph_not_in_table(where: SourceRef, field: str, paragraph: str, country: str,
                           table: Iterable[str]) -> Problem:
    return Problem(where, field, f"paragraph '{paragraph}' is not in the {country} table in "
                   f"site-data/exempt-information.yml; use one of {', '.join(table)}.")


def exempt_appendix_carries(where: SourceRef, field: str, paragraphs: Iterable[str],
                            carried: Iterable[str]) -> Problem:
    # Only the names of the fields are said, never what they hold.
    names = ", ".join(f"`{k}`" for k in carried)
    return Problem(where, field, f"is exempt (paragraph {', '.join(paragraphs)}) but carries "
                   f"{names}, which this public repository would itself publish. Keep exempt "
                   "documents in the council's private document system and leave only `title` and "
                   "`exempt` here (or set `source_repository: private` in site-data/authority.yml "
                   "if the repository is private).")


def exemption_review_due(where: SourceRef, field: str, due: date) -> Problem:
    return Problem(where, field, f"exemption review was due on {due}; review whether the public "
                   "interest still favours withholding it (Sch 12A para 10).", Severity.WARNING)


def bad_exempt_markers(where: SourceRef, field: str, error: str) -> Problem:
    # redact.parse_markers words these, since it is what reads the markers.
    return Problem(where, field, error)


def exempt_passage_too_short(where: SourceRef, field: str, letters: int) -> Problem:
    return Problem(where, field, f"an exempt passage is shorter than {letters} letters, too short "
                   "for the build to prove it was not published; mark the whole phrase.")


def exempt_passage_in_public_repository(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "marks a passage exempt, but this repository is public, so the "
                   "passage itself would be published. Remove the passage and keep it in the "
                   "council's private document system (or set `source_repository: private` in "
                   "site-data/authority.yml if the repository is private).")


def exempt_markers_not_allowed(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "exempt markers are not allowed here: titles and names appear in "
                   "navigation, search and feeds. Reword it without the exempt information.")


# ---------------------------------------------------------------------------------------------
# Text and files


def raw_html(where: SourceRef, field: str, at: str, tag: str) -> Problem:
    # `tag` is the tag's name, or "inside an exempt passage" when the name is exempt text.
    return Problem(where, field, f"raw HTML is not allowed{at} ({tag}); use Markdown: **bold**, "
                   "*italic*, - lists, [text](https://...) links.")


def unsafe_link(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "links must be web addresses (https://...); javascript:, "
                   "vbscript: and data: links are refused.")


def mixed_scripts(where: SourceRef, field: str, word: str, scripts: Iterable[str]) -> Problem:
    # Titles cannot hold exempt markers (exempt_markers_not_allowed), so the word may be quoted.
    return Problem(where, field, f"'{word}' mixes {' and '.join(sorted(scripts))} letters, which "
                   "look alike but differ; retype the word.", Severity.WARNING)


def file_outside_decisions(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "must be a path inside decisions/ without '..'.")


def file_missing(where: SourceRef, field: str, path: str) -> Problem:
    return Problem(where, field, f"no file decisions/{path}; add the file or correct the path.")

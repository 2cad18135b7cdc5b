# This module tests the rules no schema can state: lookups against the council's tables, the
# order of dates, reg 9's notice for key decisions and its urgency exceptions, recorded call-in
# dates against the council's rule, the exempt-information rules, unsafe text, and Wales's
# extra requirement. Each rule is tested at its boundary with a small record.
from __future__ import annotations

import shutil
from dataclasses import replace
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.load import load_project, load_record_bytes
from generator.model import Authority, Decision, Project, SourceRepository
from generator.problems import Severity
from generator.validate import validate
from sample_project import REPO

RecordYaml = Callable[..., str]
SCHEMA = REPO / "generator" / "schema" / "decision.schema.json"
PATH = "decisions/2025/library-hours.yaml"
AS_OF = datetime(2026, 11, 22, 10, tzinfo=UTC)
WELSH_TABLE = tuple((str(n), f"Welsh paragraph {n}.") for n in range(12, 19))


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    root = tmp_path_factory.mktemp("settings")
    shutil.copytree(REPO / "site-data", root / "site-data")
    loaded = load_project(root)
    assert loaded.project is not None, [str(p) for p in loaded.problems]
    return loaded.project.authority


def decision_of(text: str, path: str = PATH) -> Decision:
    decision, problems = load_record_bytes(text.encode("utf-8"), path, SCHEMA)
    assert decision is not None, [str(p) for p in problems]
    return decision


def run(authority: Authority, *texts: str, as_of: datetime = AS_OF,
        files: frozenset[str] = frozenset(), **settings: Any) -> list[str]:
    decisions = tuple(decision_of(t, PATH if i == 0 else f"decisions/2026/other-{i}.yaml")
                      for i, t in enumerate(texts))
    project = Project("/tmp/project", replace(authority, **settings), decisions)
    return [str(p) for p in validate(project, as_of=as_of, available_files=files)]


def line_of(text: str, start: str) -> int:
    """The number of the first line that starts with `start` once indented space is removed."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(start):
            return number
    raise AssertionError(f"no line starts with {start!r}")


def first_item_line(text: str, key: str) -> int:
    """The line of the first item of the top-level list `key`."""
    return text.splitlines().index(f"{key}:") + 2


def test_the_minimal_record_is_valid(authority: Authority, record_yaml: RecordYaml) -> None:
    assert run(authority, record_yaml()) == []


# ---------------------------------------------------------------------------------------------
# Lookups, with "did you mean"


def test_an_unknown_decision_maker(authority: Authority, record_yaml: RecordYaml) -> None:
    text = record_yaml({"decision_maker": "Cabinet Member for Culture and Libraries"})
    assert run(authority, text) == [
        f"{PATH}:2: decision_maker: 'Cabinet Member for Culture and Libraries' is not in "
        "site-data/decision-makers.yml; add it there or use a listed name. Did you mean "
        "'Cabinet Member for Culture, Leisure and Libraries'?"]


def test_a_decision_maker_with_nothing_close(authority: Authority,
                                              record_yaml: RecordYaml) -> None:
    text = record_yaml({"decision_maker": "Zzz"})
    assert run(authority, text) == [
        f"{PATH}:2: decision_maker: 'Zzz' is not in site-data/decision-makers.yml; add it there "
        "or use a listed name."]


def test_unknown_wards_each_named(authority: Authority, record_yaml: RecordYaml) -> None:
    text = record_yaml({"wards": ["Castel", "Priory", "Nowhere"]})
    assert run(authority, text) == [
        f"{PATH}:8: wards[1]: 'Castel' is not a ward in site-data/wards.yml (use `all` for the "
        "whole area). Did you mean 'Castle'?",
        f"{PATH}:10: wards[3]: 'Nowhere' is not a ward in site-data/wards.yml (use `all` for the "
        "whole area).",
    ]


def test_all_and_named_wards(authority: Authority, record_yaml: RecordYaml) -> None:
    assert run(authority, record_yaml({"wards": ["all", "Castle"]})) == [
        f"{PATH}:7: wards: `all` already covers every ward; list either `all` or named wards."]


def test_an_unknown_portfolio_in_a_list(authority: Authority, record_yaml: RecordYaml) -> None:
    text = record_yaml({"portfolio": ["Culture, Leisure and Libraries", "Housing and Homes"]})
    assert run(authority, text) == [
        f"{PATH}:8: portfolio[2]: 'Housing and Homes' is not in site-data/portfolios.yml; add it "
        "there or use a listed name. Did you mean 'Housing and Homelessness'?"]


# ---------------------------------------------------------------------------------------------
# Dates


def test_published_before_the_decision(authority: Authority, record_yaml: RecordYaml) -> None:
    text = record_yaml({"dates.published": "2025-12-01"})
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, 'published:')}: dates.published: publication (2025-12-01) is "
        "before the decision (2025-12-04); a record is published after the decision is taken, "
        "so correct whichever date is wrong."]


def test_published_in_the_future(authority: Authority, record_yaml: RecordYaml) -> None:
    text = record_yaml({"dates.decision": "2026-11-20", "dates.published": "2026-11-23"})
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, 'published:')}: dates.published: 2026-11-23 is in the future; "
        "set it when the record is published."]
    assert run(authority, text, as_of=datetime(2026, 11, 23, 9, tzinfo=UTC)) == []


@pytest.mark.parametrize("status", ["approved", "called-in", "referred-back"])
def test_a_decision_taken_needs_its_publication_date(authority: Authority,
                                                     record_yaml: RecordYaml, status: str) -> None:
    text = record_yaml({"status": status, "dates.published": None})
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, 'dates:')}: dates.published: missing: a decision that has been "
        "taken needs its publication date, from which call-in is counted."]


@pytest.mark.parametrize("status", ["proposed", "for-determination", "withdrawn", "deferred"])
def test_a_decision_not_yet_taken_has_no_publication_date(
        authority: Authority, record_yaml: RecordYaml, status: str) -> None:
    assert run(authority, record_yaml({"status": status, "dates.published": None})) == []


def test_a_forward_plan_entry_after_the_decision(authority: Authority,
                                                 record_yaml: RecordYaml) -> None:
    text = record_yaml({"forward_plan": {"included": True, "published": "2025-12-05"}})
    line = line_of(text, "published: '2025-12-05'")
    assert run(authority, text) == [
        f"{PATH}:{line}: forward_plan.published: the forward "
        "plan notice is after the decision; check both dates."]


def test_a_call_in_event_before_publication(authority: Authority,
                                            record_yaml: RecordYaml) -> None:
    text = record_yaml({"call_in": {"applies": True, "events": [
        {"date": "2025-12-03", "what": "called-in", "by": "Five councillors"}]}})
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, '- date:')}: call_in.events[1].date: 2025-12-03 is before the "
        "decision was published (2025-12-04); call-in follows publication."]


# ---------------------------------------------------------------------------------------------
# Reg 9: 28 clear days' notice of a key decision, or urgency under reg 10 or 11


def key(record_yaml: RecordYaml, **forward_plan: Any) -> str:
    return record_yaml({"key_decision": True,
                        "forward_plan": forward_plan} if forward_plan else {"key_decision": True})


def test_a_key_decision_without_a_forward_plan(authority: Authority,
                                               record_yaml: RecordYaml) -> None:
    assert run(authority, key(record_yaml)) == [
        f"{PATH}:5: key_decision: a key decision needs `forward_plan` (reg 9: notice 28 clear days "
        "before), or urgency under reg 10 or 11 recorded there."]


def test_a_withdrawn_key_decision_needs_no_notice(authority: Authority,
                                                  record_yaml: RecordYaml) -> None:
    text = record_yaml({"key_decision": True, "status": "withdrawn", "dates.published": None})
    assert run(authority, text) == []


@pytest.mark.parametrize("plan", [{"included": False}, {"included": True}])
def test_a_key_decision_off_the_plan_or_undated(authority: Authority, record_yaml: RecordYaml,
                                                plan: dict[str, Any]) -> None:
    text = key(record_yaml, **plan)
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, 'forward_plan:')}: forward_plan: a key decision must be on the "
        "forward plan with its `published` date (reg 9), or record `urgency: general-exception` "
        "or `special-urgency` with its details (regs 10-11)."]


def test_28_clear_days_is_enough(authority: Authority, record_yaml: RecordYaml) -> None:
    # Notice Wed 5 Nov, decision Thu 4 Dec: 6 Nov to 3 Dec is 28 whole days between.
    assert run(authority, key(record_yaml, included=True, published="2025-11-05")) == []


def test_27_clear_days_is_not(authority: Authority, record_yaml: RecordYaml) -> None:
    text = key(record_yaml, included=True, published="2025-11-06")
    line = line_of(text, "published: '2025-11-06'")
    assert run(authority, text) == [
        f"{PATH}:{line}: forward_plan.published: only 27 clear "
        "days before the decision; reg 9 needs 28. Record `urgency: general-exception` (reg 10) "
        "or `special-urgency` (reg 11)."]


def test_general_exception_with_5_clear_days(authority: Authority,
                                             record_yaml: RecordYaml) -> None:
    text = key(record_yaml, included=False, urgency="general-exception",
               urgency_reason="The contract ends before the next plan.",
               agreed_by="Chair of Overview and Scrutiny", notice_date="2025-11-28")
    assert run(authority, text) == []


def test_general_exception_with_4_clear_days(authority: Authority,
                                             record_yaml: RecordYaml) -> None:
    text = key(record_yaml, included=False, urgency="general-exception",
               urgency_reason="The contract ends before the next plan.",
               agreed_by="Chair of Overview and Scrutiny", notice_date="2025-11-29")
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, 'notice_date:')}: forward_plan.notice_date: a general-exception "
        "notice must be published 5 clear days before the decision (reg 10); otherwise use "
        "special-urgency (reg 11)."]


def test_special_urgency_needs_no_notice_period(authority: Authority,
                                                record_yaml: RecordYaml) -> None:
    text = key(record_yaml, included=False, urgency="special-urgency",
               urgency_reason="A provider failed overnight.",
               agreed_by="Chair of Overview and Scrutiny", notice_date="2025-12-03")
    assert run(authority, text) == []


@pytest.mark.parametrize("urgency", ["general-exception", "special-urgency"])
def test_urgency_needs_its_details(authority: Authority, record_yaml: RecordYaml,
                                   urgency: str) -> None:
    text = key(record_yaml, included=False, urgency=urgency)
    who = ("the scrutiny chair notified" if urgency == "general-exception"
           else "the scrutiny chair (or Chair/Vice-Chair of the council) who agreed")
    message = (f"missing: {urgency} needs `urgency_reason`, `agreed_by` ({who}) and "
               "`notice_date`.")
    line = line_of(text, "forward_plan:")
    assert run(authority, text) == [
        f"{PATH}:{line}: forward_plan.agreed_by: {message}",
        f"{PATH}:{line}: forward_plan.notice_date: {message}",
        f"{PATH}:{line}: forward_plan.urgency_reason: {message}",
    ]


# ---------------------------------------------------------------------------------------------
# Call-in: whether it applies, and recorded dates against the council's rule
# (sample rule: 3 working days, 5pm; published Thu 4 Dec 2025 -> deadline Tue 9 Dec, in force
# Wed 10 Dec)

WORKING = ("published 2025-12-04: Friday 5 December 2025 — working day 1; Saturday 6 December "
           "2025 — weekend, not counted; Sunday 7 December 2025 — weekend, not counted; Monday "
           "8 December 2025 — working day 2; Tuesday 9 December 2025 — working day 3")


def test_recorded_dates_that_match_the_rule(authority: Authority,
                                            record_yaml: RecordYaml) -> None:
    text = record_yaml({"dates.call_in_deadline": "2025-12-09", "dates.in_force": "2025-12-10"})
    assert run(authority, text) == []


def test_a_recorded_deadline_that_differs_shows_the_working(authority: Authority,
                                                            record_yaml: RecordYaml) -> None:
    text = record_yaml({"dates.call_in_deadline": "2025-12-08"})
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, 'call_in_deadline:')}: dates.call_in_deadline: recorded as "
        f"2025-12-08, but the council's rule gives 2025-12-09 ({WORKING}). Correct the date, "
        "remove it to use the computed one, or give `call_in.override_reason`."]


def test_a_recorded_in_force_date_that_differs(authority: Authority,
                                               record_yaml: RecordYaml) -> None:
    text = record_yaml({"dates.in_force": "2025-12-11"})
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, 'in_force:')}: dates.in_force: recorded as 2025-12-11, but the "
        f"council's rule gives 2025-12-10 ({WORKING}). Correct the date, remove it to use the "
        "computed one, or give `call_in.override_reason`."]


def test_an_override_reason_accepts_recorded_dates(authority: Authority,
                                                   record_yaml: RecordYaml) -> None:
    text = record_yaml({"dates.call_in_deadline": "2025-12-08", "dates.in_force": "2025-12-11",
                        "call_in": {"applies": True, "override_reason":
                                    "The constitution then in force gave a shorter period."}})
    assert run(authority, text) == []


def test_call_in_not_applying_cannot_have_requests(authority: Authority,
                                                   record_yaml: RecordYaml) -> None:
    text = record_yaml({"call_in": {"applies": False, "reason": "Urgent.", "count": 2}})
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, 'call_in:')}: call_in.events: call-in does not apply to this "
        "decision, so it cannot have call-in requests or events; remove them or set "
        "`applies: true`."]


def test_call_in_not_applying_has_no_deadline(authority: Authority,
                                              record_yaml: RecordYaml) -> None:
    text = record_yaml({"dates.call_in_deadline": "2025-12-09",
                        "call_in": {"applies": False, "reason": "Urgent."}})
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, 'call_in_deadline:')}: dates.call_in_deadline: call-in does not "
        "apply, so there is no deadline; remove it."]


def test_officer_decisions_are_not_subject_to_call_in(authority: Authority,
                                                      record_yaml: RecordYaml) -> None:
    officer = {"decision_maker": "Director of Adult Social Services",
               "decision_type": "officer", "portfolio": None}
    text = record_yaml(officer)
    assert run(authority, text) == [
        f"{PATH}:{line_of(text, 'decision_type:')}: call_in.applies: officer decisions are not "
        "subject to call-in under site-data/authority.yml; set `applies: false` with the reason."]
    stated = record_yaml({**officer, "call_in": {"applies": False,
                                                 "reason": "Officer decisions are not."}})
    assert run(authority, stated) == []


# ---------------------------------------------------------------------------------------------
# Exempt information

EXEMPT = {"title": "Appendix 1 - Staffing costs",
          "exempt": {"paragraph": 1, "public_interest": "It names individual members of staff."}}


def test_an_exempt_appendix_with_only_title_and_exempt(authority: Authority,
                                                       record_yaml: RecordYaml) -> None:
    assert run(authority, record_yaml({"appendices": [EXEMPT]})) == []


@pytest.mark.parametrize(("paragraph", "country", "table", "allowed"), [
    (8, "england", None, "1, 2, 3, 4, 5, 6, 7"),
    ("3A", "england", None, "1, 2, 3, 4, 5, 6, 7"),
    (3, "wales", WELSH_TABLE, "12, 13, 14, 15, 16, 17, 18"),
])
def test_a_paragraph_not_in_the_table(authority: Authority, record_yaml: RecordYaml,
                                      paragraph: Any, country: str, table: Any,
                                      allowed: str) -> None:
    text = record_yaml({"appendices": [{**EXEMPT, "exempt": {**EXEMPT["exempt"],
                                                             "paragraph": paragraph}}],
                        "consultation": "Staff were consulted."})
    settings = {"country": country, "exempt_table": table} if table else {}
    assert run(authority, text, **settings) == [
        f"{PATH}:{line_of(text, 'paragraph:')}: appendices[1].exempt.paragraph: paragraph "
        f"'{paragraph}' is not in the {country} table in site-data/exempt-information.yml; use "
        f"one of {allowed}."]


@pytest.mark.parametrize("carried", ["body", "description", "file", "url"])
def test_exempt_content_in_a_public_repository(authority: Authority, record_yaml: RecordYaml,
                                               carried: str) -> None:
    value = {"url": "https://docs.example/qzx7-secret.pdf", "file": "qzx7-secret.pdf"}.get(
        carried, "qzx7 Jane Example, grade 4: post deleted.")
    text = record_yaml({"appendices": [{**EXEMPT, carried: value}]})
    problems = run(authority, text)
    assert problems == [
        f"{PATH}:{line_of(text, '- title: Appendix 1')}: appendices[1]: is exempt (paragraph 1) "
        f"but carries `{carried}`, which this public repository would itself publish. Keep "
        "exempt documents in the council's private document system and leave only `title` and "
        "`exempt` here (or set `source_repository: private` in site-data/authority.yml if the "
        "repository is private)."]
    assert "qzx7" not in problems[0]
    assert run(authority, text, source_repository=SourceRepository.PRIVATE) == []


def test_a_review_date_passed_is_a_warning(authority: Authority, record_yaml: RecordYaml) -> None:
    text = record_yaml({"appendices": [{**EXEMPT, "exempt": {**EXEMPT["exempt"],
                                                             "review_date": "2026-11-21"}}]})
    project = Project("/tmp/p", authority, (decision_of(text),))
    problems = validate(project, as_of=AS_OF, available_files=frozenset())
    assert [(p.severity, str(p)) for p in problems] == [(
        Severity.WARNING,
        f"{PATH}:{line_of(text, 'review_date:')}: appendices[1].exempt.review_date: warning: "
        "exemption review was due on 2026-11-21; review whether the public interest still "
        "favours withholding it (Sch 12A para 10).")]
    assert run(authority, text, as_of=datetime(2026, 11, 21, 12, tzinfo=UTC)) == []


REASON = "The budget allows [[exempt 3]]a bid price of GBP 412,000[[/exempt]] at most."


def test_an_inline_passage_in_a_public_repository(authority: Authority,
                                                  record_yaml: RecordYaml) -> None:
    text = record_yaml({"reasons": [REASON]})
    problems = run(authority, text)
    assert problems == [
        f"{PATH}:{first_item_line(text, 'reasons')}: reasons[1]: marks a passage exempt, but this "
        "repository is public, so the passage itself would be published. Remove the passage and "
        "keep it in the council's private document system (or set `source_repository: private` "
        "in site-data/authority.yml if the repository is private)."]
    assert "412" not in problems[0]
    assert run(authority, text, source_repository=SourceRepository.PRIVATE) == []


@pytest.mark.parametrize(("reason", "message"), [
    ("A [[exempt 3]]bid price of GBP 412,000.",
     "an [[exempt N]] marker is not closed; add [[/exempt]] after the passage."),
    ("A bid price of GBP 412,000[[/exempt]].",
     "an [[/exempt]] marker has no [[exempt N]] before it."),
    ("A [[exempt]]bid price of GBP 412,000[[/exempt]].",
     "an exempt marker must name its Schedule 12A paragraph, as [[exempt 3]] or [[exempt 3, 5]]."),
    ("A [[exempt 3]]bid [[exempt 1]]price[[/exempt]] of GBP 412,000[[/exempt]].",
     "exempt markers cannot be nested; close the first passage with [[/exempt]] before starting "
     "another."),
    ("A [[exempt 3]][[/exempt]] price.", "an exempt passage is empty; remove the markers."),
    ("A [[exempt 3]]GBP 41[[/exempt]] price.",
     "an exempt passage is shorter than 8 letters, too short for the build to prove it was not "
     "published; mark the whole phrase."),
])
def test_marker_mistakes(authority: Authority, record_yaml: RecordYaml, reason: str,
                         message: str) -> None:
    text = record_yaml({"reasons": [reason]})
    problems = run(authority, text, source_repository=SourceRepository.PRIVATE)
    assert problems == [f"{PATH}:{first_item_line(text, 'reasons')}: reasons[1]: {message}"]
    assert "412" not in problems[0]


@pytest.mark.parametrize("field", ["title", "alternatives[1].title", "reference"])
def test_markers_are_refused_in_names_and_titles(authority: Authority, record_yaml: RecordYaml,
                                                 field: str) -> None:
    text = record_yaml({field: "Opening hours [[exempt 3]]and staff cuts[[/exempt]]"})
    problems = run(authority, text, source_repository=SourceRepository.PRIVATE)
    assert [p.split(": ", 2)[1:] for p in problems] == [[
        field, "exempt markers are not allowed here: titles and names appear in navigation, "
        "search and feeds. Reword it without the exempt information."]]


# ---------------------------------------------------------------------------------------------
# Unsafe text

HTML_MESSAGE = ("use Markdown: **bold**, *italic*, - lists, [text](https://...) links.")


@pytest.mark.parametrize(("text", "shown"), [
    ("Approve <script>alert(1)</script> it.", "<script>"),
    ("Approve the <b>new</b> hours.", "<b>"),
    ("Approve </div> it.", "<div>"),
    ("Approve <!DOCTYPE html> it.", "<!D"),
    ("Approve <?php echo 1 ?> it.", "<?p"),
    ("Approve it.<!-- officers' note -->", "<!--"),
    ("Approve <img src=x onerror=alert(1)> it.", "<img>"),
])
def test_raw_html_is_refused(authority: Authority, record_yaml: RecordYaml, text: str,
                             shown: str) -> None:
    record = record_yaml({"decision": [text]})
    assert run(authority, record) == [
        f"{PATH}:{first_item_line(record, 'decision')}: decision[1]: raw HTML is not allowed "
        f"({shown}); {HTML_MESSAGE}"]


def test_raw_html_in_long_text_names_its_line(authority: Authority,
                                              record_yaml: RecordYaml) -> None:
    record = record_yaml({"purpose": "First line.\nSecond <b>line</b>.\n"})
    assert run(authority, record) == [
        f"{PATH}:{line_of(record, 'purpose:')}: purpose: raw HTML is not allowed (line 2 of the "
        f"text) (<b>); {HTML_MESSAGE}"]


def test_raw_html_in_a_title(authority: Authority, record_yaml: RecordYaml) -> None:
    assert run(authority, record_yaml({"title": "Hours <i>from</i> April"})) == [
        f"{PATH}:1: title: raw HTML is not allowed (<i>); {HTML_MESSAGE}"]


@pytest.mark.parametrize("text", ["Fewer than <5 visits a day.", "Costs x < y.",
                                  "Visits fell (<10%).", "Approve < div > it."])
def test_a_less_than_sign_in_prose_is_not_html(authority: Authority, record_yaml: RecordYaml,
                                               text: str) -> None:
    assert run(authority, record_yaml({"reasons": [text]})) == []


@pytest.mark.parametrize("text", [
    "See [the survey](javascript:alert(1)).",
    "See [the survey](JavaScript:alert(1)).",
    "See [the survey](java script:alert(1)).",
    "See [the survey](javascript&#58;alert(1)).",
    "See [the survey](javascript&colon;alert(1)).",
    "See [the survey](vbscript:msgbox(1)).",
    "See [the survey](data:text/html;base64,PHNjcmlwdD4=).",
])
def test_script_and_data_links_are_refused(authority: Authority, record_yaml: RecordYaml,
                                           text: str) -> None:
    record = record_yaml({"reasons": [text]})
    assert run(authority, record) == [
        f"{PATH}:{first_item_line(record, 'reasons')}: reasons[1]: links must be web addresses "
        "(https://...); javascript:, vbscript: and data: links are refused."]


@pytest.mark.parametrize("text", [
    "Key data: the library had 41,000 visits.",
    "See [the survey](https://www.example.gov.uk/survey).",
    "The JavaScript library on the old site is no longer used.",
])
def test_ordinary_prose_and_links_pass(authority: Authority, record_yaml: RecordYaml,
                                       text: str) -> None:
    assert run(authority, record_yaml({"reasons": [text]})) == []


def test_a_mixed_script_word_in_the_title_is_a_warning(authority: Authority,
                                                       record_yaml: RecordYaml) -> None:
    text = record_yaml({"title": "Library \u043epening hours"})
    project = Project("/tmp/p", authority, (decision_of(text),))
    problems = validate(project, as_of=AS_OF, available_files=frozenset())
    assert [(p.severity, str(p)) for p in problems] == [(
        Severity.WARNING,
        f"{PATH}:1: title: warning: '\u043epening' mixes CYRILLIC and LATIN letters, which look "
        "alike but differ; retype the word.")]


@pytest.mark.parametrize("title", ["Бюджет на 2026 год", "Ysgol Gymraeg 2026", "Café hours",
                                   "Κέντρο hours", "Budget 2026-27"])
def test_one_script_per_word_is_fine(authority: Authority, record_yaml: RecordYaml,
                                     title: str) -> None:
    assert run(authority, record_yaml({"title": title})) == []


# ---------------------------------------------------------------------------------------------
# Wales, files, ids


def test_wales_requires_the_consultation(authority: Authority, record_yaml: RecordYaml) -> None:
    wales = {"country": "wales", "exempt_table": WELSH_TABLE}
    assert run(authority, record_yaml(), **wales) == [
        f"{PATH}: consultation: missing: in Wales the record must state the consultation "
        "undertaken (SI 2001/2290 reg 7); add `consultation`."]
    assert run(authority, record_yaml({"consultation": "Library users were surveyed."}),
               **wales) == []
    assert run(authority, record_yaml({"consultation": {"internal": "Staff were asked."}}),
               **wales) == []


def test_england_does_not_require_the_consultation(authority: Authority,
                                                   record_yaml: RecordYaml) -> None:
    assert run(authority, record_yaml()) == []


def test_linked_files_must_exist_beside_the_records(authority: Authority,
                                                   record_yaml: RecordYaml) -> None:
    text = record_yaml({"documents": [{"title": "Survey", "file": "2025/survey.pdf"},
                                      {"title": "Old", "file": "2025/missing.pdf"}]})
    assert run(authority, text, files=frozenset({"2025/survey.pdf"})) == [
        f"{PATH}:{line_of(text, 'file: 2025/missing.pdf')}: documents[2].file: no file "
        "decisions/2025/missing.pdf; add the file or correct the path."]


def test_the_same_id_in_two_folders(authority: Authority, record_yaml: RecordYaml) -> None:
    text = record_yaml()
    first = decision_of(text, "decisions/2025/opening-hours.yaml")
    second = decision_of(text, "decisions/2026/opening-hours.yaml")
    project = Project("/tmp/p", authority, (first, second))
    assert [str(p) for p in validate(project, as_of=AS_OF, available_files=frozenset())] == [
        "decisions/2025/opening-hours.yaml: id: record id 'opening-hours' is also used by "
        "decisions/2026/opening-hours.yaml; ids are URLs and must be unique, so rename one file.",
        "decisions/2026/opening-hours.yaml: id: record id 'opening-hours' is also used by "
        "decisions/2025/opening-hours.yaml; ids are URLs and must be unique, so rename one file.",
    ]


def test_problems_are_in_file_and_line_order(authority: Authority,
                                             record_yaml: RecordYaml) -> None:
    text = record_yaml({"decision_maker": "Zzz", "wards": ["Nowhere"],
                        "dates.published": "2025-12-01"})
    lines = [int(p.split(":")[1]) for p in run(authority, text)]
    assert len(lines) == 3
    assert lines == sorted(lines)


def test_validate_reads_nothing_from_disk(authority: Authority, record_yaml: RecordYaml,
                                          tmp_path: Path) -> None:
    # The project root does not exist: every fact comes from the loaded model.
    project = Project(str(tmp_path / "absent"), authority, (decision_of(record_yaml()),))
    assert validate(project, as_of=AS_OF, available_files=frozenset()) == ()


def test_remembered_problems_hold_for_the_day_and_are_checked_again_the_next(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A deploy builds for "now": a record's problems read only the day (a review overdue, a
    # publication still to come), so a later build that day reuses them, and the next day's
    # build checks again and finds the review that has fallen due.
    from generator import validate as stage

    loaded = load_project(REPO)
    assert loaded.project is not None
    project = loaded.project
    keys = {d.path: "bytes" for d in project.decisions}
    checked: list[str] = []
    real = stage._record_problems

    def counting(project: Project, d: Decision, *args: Any) -> Any:
        checked.append(d.path)
        return real(project, d, *args)

    monkeypatch.setattr(stage, "MEMO", {})
    monkeypatch.setattr(stage, "_record_problems", counting)
    westgate = [d for d in project.decisions if "westgate-depot" in d.path]
    due = next(ap.exempt.review_date for ap in westgate[0].appendices if ap.exempt)
    assert due is not None

    def reviews(moment: datetime) -> int:
        return sum("exemption review was due" in p.message and p.where.path == westgate[0].path
                   for p in validate(project, as_of=moment, available_files=frozenset(),
                                     record_keys=keys))

    on_the_day = datetime.combine(due, datetime.min.time(), tzinfo=UTC)
    assert reviews(on_the_day.replace(hour=9)) == 0
    assert len(checked) == len(project.decisions)
    assert reviews(on_the_day.replace(hour=23)) == 0
    assert len(checked) == len(project.decisions)  # nothing checked again that day
    assert reviews(on_the_day + timedelta(days=1)) >= 1
    assert len(checked) == 2 * len(project.decisions)

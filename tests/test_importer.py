# Tests for generator/importer/: each seed page imports to the record written by hand in
# tests/data/import/expected/, nothing is invented, everything unplaced is reported, and the YAML
# written reads back unchanged through both PyYAML and the project's strict loader.
from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.importer import (
    FIELD_ORDER,
    ImportResult,
    import_files,
    import_text,
    parse_date,
    slugify,
    to_yaml,
)
from generator.yamlsource import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "import"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))
SCHEMA = json.loads((ROOT / "generator/schema/decision.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(
    SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
# The check's raw-HTML rule (generator/validate.py RAW_HTML), copied so this test stands alone.
RAW_HTML = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*|!--)")

# For each seed: exactly the fields its report must ask for (read from the seed by hand).
EXPECTED_ADDS: dict[str, set[str]] = {
    "000": {"wards", "interests_declared", "dispensations",
            "appendices[1].exempt.public_interest"},
    "001": {"decision_maker", "decision_type", "status", "dates.decision", "interests_declared",
            "dispensations"},
    "002": {"reasons", "interests_declared", "dispensations"},
    "003": {"wards", "reasons", "alternatives[1].outcome", "alternatives[2].outcome",
            "interests_declared", "dispensations", "documents[1].url", "documents[2].url"},
    "004": {"decision_maker", "decision_type", "status", "key_decision", "wards",
            "dates.decision", "decision", "reasons", "interests_declared", "dispensations"},
}
# Other report lines each seed must have: what was found but not placed.
EXPECTED_NOTES: dict[str, list[str]] = {
    "000": ["the lead-in `The Cabinet Member approves:`"],
    "001": ["`Exempt/confidential report: No`", "the lead-in `Cabinet is recommended to approve:`",
            "Check `decision`: taken from the report's recommendations",
            "`Introduction / Background:", "`Operational Approach:", "`Conclusion:"],
    "002": ["the lead-in `That:`"],
    "003": ["the lead-in `For the reasons set out in the report and its appendices Cabinet "
            "RESOLVED to agree to:`"],
    "004": ["`Ref: Commissioning Strategy for Supporting People at Home`"],
}


def _seed(stem: str) -> Path:
    return next(p for p in SEEDS if p.name.startswith(stem))


def _import(path: Path) -> ImportResult:
    return import_text(path.read_text(encoding="utf-8"), source_name=path.name)


def _adds(report: tuple[str, ...]) -> set[str]:
    return {m.group(1) for line in report if (m := re.match(r"^Add `([^`]+)`", line))}


def _strings(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, list):
        return [s for i, v in enumerate(value, 1) for s in _strings(v, f"{path}[{i}]")]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{path}.{k}" if path else k)]
    return []


def _record_text(text: str, **kw: str) -> dict[str, Any]:
    return import_text(text, source_name=kw.get("name", "page.txt")).record


# ---------------------------------------------------------------------------------------------
# The seeds
# ---------------------------------------------------------------------------------------------


def test_there_are_five_seeds() -> None:
    assert [p.name[:3] for p in SEEDS] == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_imports_to_the_hand_written_record(seed: Path) -> None:
    expected = yaml.safe_load((DATA / "expected" / f"{seed.stem}.yaml").read_text(encoding="utf-8"))
    record = dict(_import(seed).record)
    record.pop("import_report", None)
    assert record == expected


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_report_asks_for_exactly_what_is_missing(seed: Path) -> None:
    result = _import(seed)
    assert _adds(result.report) == EXPECTED_ADDS[seed.name[:3]]
    for note in EXPECTED_NOTES[seed.name[:3]]:
        assert any(note in line for line in result.report), note


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_record_validates_except_for_what_the_report_names(seed: Path) -> None:
    result = _import(seed)
    adds = _adds(result.report)
    for error in VALIDATOR.iter_errors(result.record):
        path = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}"
                       for p in error.absolute_path).lstrip(".")
        if error.validator == "required":
            missing = re.search(r"'(.+?)' is a required property", error.message)
            assert missing is not None
            path = f"{path}.{missing.group(1)}".lstrip(".")
        assert any(a == path or a.startswith((f"{path}.", f"{path}[")) or path.startswith(a)
                   for a in adds), f"{path}: {error.message} is not in the report"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_report_is_in_the_record_and_the_result(seed: Path) -> None:
    result = _import(seed)
    assert result.report
    assert result.record["import_report"] == list(result.report)
    assert list(result.record)[-1] == "import_report"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_text_comes_from_the_source(seed: Path) -> None:
    """Never invent: every piece of text in the record is in the page (with tags, bold marks
    and spacing removed), at most joined across one page break."""
    raw = seed.read_text(encoding="utf-8")
    source = " ".join(html.unescape(re.sub(r"<[^>]+>", "", raw)).replace("**", "").split())
    record = _import(seed).record
    skip = re.compile(r"^(import_report|dates|decision_type|status|wards|.*\.outcome|.*\.date|"
                      r".*exempt\.public_interest)")
    for path, value in _strings(record):
        if skip.match(path):
            continue
        for piece in _pieces(value):
            assert _segments(piece, source) <= 2, f"{path}: {piece!r} is not in the source"


def _pieces(value: str) -> list[str]:
    out = []
    for line in value.split("\n"):
        line = line.strip()
        if not line or set(line) <= set("|- "):
            continue
        if line.startswith("|"):
            out += [c.strip() for c in line.strip("|").split(" | ") if c.strip()]
        else:
            out.append(" ".join(line.removeprefix("- ").split()))
    return out


def _segments(piece: str, source: str) -> int:
    """How many pieces of `source`, end to end, make `piece` (99: some text is not there)."""
    count, rest = 0, piece
    while rest:
        lo, hi = 0, len(rest)
        while lo < hi:  # the longest prefix of `rest` found in the source
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if rest[:mid] in source else (lo, mid - 1)
        if lo == 0:
            return 99
        count, rest = count + 1, rest[lo:].lstrip()
    return count


def test_seed_000_exempt_appendix_is_a_notice_only() -> None:
    record = _import(_seed("000")).record
    assert record["appendices"] == [{"title": "Appendix 1", "exempt": {
        "paragraph": 3,
        "public_interest": "The public interest reasons for withholding Appendix 1 must be added: "
                           "the source does not state them."}}]
    # The statement stays in the decision as resolved; only a notice is added.
    assert record["decision"][0].startswith("That Appendix 1 is not for publication")


# ---------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------

PAGE = "A decision title\n\n{label}: {value}\n"


@pytest.mark.parametrize(("label", "value", "path", "expected"), [
    ("Is subject to call in?", "Yes", "call_in.applies", True),
    ("Is Callable In?", "No", "call_in.applies", False),
    ("Subject to call-in", "Yes", "call_in.applies", True),
    ("Date of decision", "04/12/2025", "dates.decision", "2025-12-04"),
    ("Decision date", "4 December 2025", "dates.decision", "2025-12-04"),
    ("Effective from", "22/03/2018", "dates.in_force", "2018-03-22"),
    ("Date comes into force if not called in", "10/12/2025", "dates.in_force", "2025-12-10"),
    ("Decision Maker", "Cabinet", "decision_maker", "Cabinet"),
    ("Decision status", "Deferred", "status", "deferred"),
    ("Outcome", "For Determination", "status", "for-determination"),
    ("Is Key decision?", "Yes", "key_decision", True),
    ("Is this a key decision", "No", "key_decision", False),
    ("Wards affected", "All", "wards", ["all"]),
    ("Ward(s) affected", "Abbey; Castle", "wards", ["Abbey", "Castle"]),
    ("Reasons for the decision", "It is cheaper.", "reasons", ["It is cheaper."]),
    ("Alternative options considered", "None were considered because the law requires this.",
     "alternatives", "None were considered because the law requires this."),
    ("Alternative options considered and rejected", "1. Do nothing – costs would rise",
     "alternatives", [{"title": "Do nothing", "outcome": "rejected",
                       "reasons": ["costs would rise"]}]),
    ("Contact", "Jo Bloggs, Librarian", "contact", {"name": "Jo Bloggs", "role": "Librarian"}),
    ("Publication date", "July 22, 2025", "dates.published", "2025-07-22"),
    ("Date of publication", "22nd July 2025", "dates.published", "2025-07-22"),
    ("Call-in deadline", "09/12/2025", "dates.call_in_deadline", "2025-12-09"),
    ("Call-in expiry date", "9 Dec 2025", "dates.call_in_deadline", "2025-12-09"),
    ("Report to", "Cabinet", "report.report_to", "Cabinet"),
    ("Report of", "Director of Place", "report.report_of", "Director of Place"),
    ("Portfolio", "Leisure", "portfolio", "Leisure"),
    ("Date of meeting", "03/10/2024", "report.date", "2024-10-03"),
    ("Current call-in Count", "2", "call_in.count", 2),
    ("Purpose", "To set fees.", "purpose", "To set fees."),
    ("Related Meeting", "Cabinet on 4 December 2025", "meeting",
     {"title": "Cabinet", "date": "2025-12-04"}),
    ("Interests declared", "None", "interests_declared", "None"),
    ("Dispensations", "None", "dispensations", "None"),
    ("Title", "Mill Lane resurfacing", "title", "Mill Lane resurfacing"),
    ("Reference", "CM-2025-118", "reference", "CM-2025-118"),
    ("Included in Forward Plan", "Yes", "forward_plan", {"included": True}),
    ("Background papers", "Cabinet report, 4 June 2024", "background_papers",
     ["Cabinet report, 4 June 2024"]),
    ("Appendices", "Appendix A - Map", "appendices", [{"title": "Appendix A - Map"}]),
    ("Summary", "Fees rise by 3%.", "report.summary", "Fees rise by 3%."),
    ("Implementation Date for the Decision", "After call-in.", "implementation", "After call-in."),
    ("Equality Implications", "None identified.", "implications.equality", "None identified."),
    ("Contact Officer", "Diane Clayton", "contact", {"name": "Diane Clayton"}),
    ("Telephone Number", "07773096538", "contact", {"phone": "07773096538"}),
    ("Email Address", "d.c@example.gov.uk", "contact", {"email": "d.c@example.gov.uk"}),
])
def test_label_variants_fill_one_field(label: str, value: str, path: str, expected: Any) -> None:
    record = _record_text(PAGE.format(label=label, value=value))
    head, _, tail = path.partition(".")
    got = record[head][tail] if tail else record[head]
    assert got == expected
    assert not any(f"`{label}" in line for line in record["import_report"])


def test_labelled_title_wins_over_the_first_line() -> None:
    result = import_text("Decision notice 12\n\nTitle: Mill Lane\nDecision Maker: Cabinet\n",
                         source_name="page.txt")
    assert result.record["title"] == "Mill Lane"
    assert any("`Decision notice 12`" in line for line in result.report)


def test_unknown_label_is_reported_not_dropped() -> None:
    text = ("Resurfacing Mill Lane\n\nDecision Maker: Cabinet\nColour of the door: Blue\n"
            "Decision status: Recommendations Approved\n")
    result = import_text(text, source_name="page.txt")
    line = next(x for x in result.report if "Colour of the door: Blue" in x)
    assert line.startswith("Not placed:")
    assert line in result.record["import_report"]
    assert result.record["status"] == "approved"  # the labels around it are still read
    assert "Blue" not in json.dumps({k: v for k, v in result.record.items()
                                     if k != "import_report"})


def test_label_variants_do_not_collide() -> None:
    """Each variant, once normalised, names one field: none silently overrides another."""
    from generator.importer.labels import _LABEL_VARIANTS, _norm

    seen: dict[str, str] = {}
    for key, variants in _LABEL_VARIANTS.items():
        for variant in variants:
            assert seen.setdefault(_norm(variant), key) == key, variant


def test_bold_subheading_stays_in_its_text() -> None:
    text = ("X\n\nFinancial Implications:\n\n<p><b>Revenue costs</b></p><p>Met from budgets."
            "</p>\n")
    result = import_text(text, source_name="page.html")
    assert result.record["implications"] == {"financial": "**Revenue costs**\n\nMet from budgets."}
    assert not any("Revenue costs" in line for line in result.report)


def test_unknown_heading_section_is_reported() -> None:
    text = ("Bus lanes\n\nPurpose:\nTo add a bus lane.\n\n1. Background\n\nTraffic grew.\n\n"
            "2. Financial Implications\n\nNone.\n")
    result = import_text(text, source_name="page.txt")
    assert result.record["purpose"] == "To add a bus lane."
    assert result.record["implications"] == {"financial": "None."}
    assert any("`Background: Traffic grew.`" in line for line in result.report)


def test_never_invents_a_value() -> None:
    result = import_text("Bus shelters\n\nDecision Maker: Councillor Jane Smith\n",
                         source_name="page.txt")
    assert set(result.record) == {"title", "decision_maker", "import_report"}
    assert result.record["title"] == "Bus shelters"
    assert result.record["decision_maker"] == "Councillor Jane Smith"
    assert _adds(result.report) == {"decision_type", "status", "key_decision", "wards",
                                    "dates.decision", "decision", "reasons", "alternatives",
                                    "interests_declared", "dispensations"}
    assert result.year is None
    assert result.suggested_id == "bus-shelters"


COMPLETE_PAGE = """Decision details

Mill Lane resurfacing

Decision Maker: Cabinet Member for Highways

Decision status: Recommendations Approved

Is Key decision?: No

Is subject to call in?: Yes

Decision:

1. That Mill Lane is resurfaced in 2026.

Reasons for the decision:

1. The surface has failed its safety inspection.

Alternative options considered and rejected:

1. Patch repairs – these would fail again within a year.

Interests declared: None

Dispensations: None

Wards affected: All Wards

Publication date: 04/12/2025

Date of decision: 03/12/2025
"""


def test_a_complete_page_gives_a_valid_record_with_nothing_to_report() -> None:
    result = import_text(COMPLETE_PAGE, source_name="page.txt")
    assert result.report == ()
    assert "import_report" not in result.record
    assert VALIDATOR.is_valid(result.record), list(VALIDATOR.iter_errors(result.record))
    assert result.record["alternatives"] == [
        {"title": "Patch repairs", "outcome": "rejected",
         "reasons": ["these would fail again within a year."]}]
    assert (result.suggested_id, result.year) == ("mill-lane-resurfacing", 2025)


def test_empty_page_gives_an_empty_record_that_says_what_to_add() -> None:
    result = import_text("", source_name="Some Page.txt")
    assert set(result.record) == {"import_report"}
    assert "title" in _adds(result.report)
    assert result.suggested_id == "some-page"


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "04/12/2025", "4/12/2025", "04.12.2025", "04-12-2025", "2025-12-04", "4 December 2025",
    "4th December 2025", "04 Dec 2025", "Thursday 4 December 2025", "Thursday, 4th December, 2025",
    "December 4, 2025", "December 4th, 2025", "Thursday, December 4, 2025", "4 Dec. 2025",
    "04/12/25",
])
def test_date_formats(text: str) -> None:
    record = _record_text(f"X\n\nDate of decision: {text}\n")
    assert record["dates"]["decision"] == "2025-12-04"
    assert parse_date(text)[0] is not None


@pytest.mark.parametrize("text", ["31/02/2025", "12/31/2025", "next Tuesday", "Smarch 4, 2025"])
def test_unreadable_dates_are_reported_not_guessed(text: str) -> None:
    result = import_text(f"X\n\nDate of decision: {text}\n", source_name="page.txt")
    assert "dates" not in result.record
    assert any(f"`Date of decision: {text}`" in line for line in result.report)


def test_text_beside_a_date_is_reported() -> None:
    result = import_text("X\n\nCall-in deadline: 09/12/2025 5pm\n", source_name="page.txt")
    assert result.record["dates"]["call_in_deadline"] == "2025-12-09"
    assert any("`Call-in deadline: 5pm`" in line for line in result.report)


@pytest.mark.parametrize(("text", "status"), [
    ("Recommendations Approved", "approved"),
    ("Recommendations Approved (subject to call-in)", "approved"),
    ("For Determination", "for-determination"),
    ("Called in", "called-in"),
    ("Deferred", "deferred"),
    ("Withdrawn", "withdrawn"),
    ("Referred back", "referred-back"),
    ("Referred back to decision maker", "referred-back"),
])
def test_status_mapping(text: str, status: str) -> None:
    assert _record_text(f"X\n\nDecision status: {text}\n")["status"] == status


def test_unknown_status_is_left_absent_and_reported() -> None:
    result = import_text("X\n\nDecision status: Noted with thanks\n", source_name="page.txt")
    assert "status" not in result.record
    assert any("`Decision status: Noted with thanks`" in line for line in result.report)
    add = next(line for line in result.report if line.startswith("Add `status`"))
    assert "'Noted with thanks' is not one the portal knows" in add


@pytest.mark.parametrize(("maker", "kind"), [
    ("Cabinet", "cabinet"),
    ("Cabinet Member for Adult Social Care", "cabinet-member"),
    ("Cabinet Member - Housing", "cabinet-member"),
    ("Deputy Leader (responsible for Children and Education)", "cabinet-member"),
    ("Leader of the Council", "cabinet-member"),
    ("Planning Committee", "committee"),
    ("Licensing Sub-Committee", "committee"),
    ("Director of Adult Social Care", "officer"),
    ("Executive Director of Place", "officer"),
    ("Head of Finance", "officer"),
    ("Chief Executive", "officer"),
    ("Cabinet and Council", None),
    ("Councillor Jane Smith", None),
])
def test_decision_type_is_inferred_only_when_certain(maker: str, kind: str | None) -> None:
    record = _record_text(f"X\n\nDecision Maker: {maker}\n")
    assert record["decision_maker"] == maker
    assert record.get("decision_type") == kind


@pytest.mark.parametrize("wards", ["All", "All Wards", "(All Wards);", "all wards"])
def test_all_wards(wards: str) -> None:
    assert _record_text(f"X\n\nWards affected: {wards}\n")["wards"] == ["all"]


@pytest.mark.parametrize("markers", [
    ("1.", "2.", "3."), ("(a)", "(b)", "(c)"), ("i)", "ii)", "iii)"), ("(1)", "(2)", "(3)"),
    ("a)", "b)", "c)"), ("(i)", "(ii)", "(iii)"), ("-", "-", "-"), ("•", "•", "•"),
    ("- (1)", "- (2)", "- (3)"),
])
def test_numbering_is_stripped_and_order_kept(markers: tuple[str, str, str]) -> None:
    lines = "\n".join(f"{m} Item {w}." for m, w in zip(markers, ("one", "two", "three"), strict=True))
    record = _record_text(f"X\n\nDecision:\n\n{lines}\n")
    assert record["decision"] == ["Item one.", "Item two.", "Item three."]


def test_list_flattened_onto_one_line_is_split_in_sequence() -> None:
    text = ("X\n\nContent: Cabinet RESOLVED to: \u00a0 i)\u00a0 Agree (a) and (b) of the plan. "
            "ii)\u00a0 Note the risks; and iii)\u00a0 Delegate the award.\n")
    result = import_text(text, source_name="page.txt")
    assert result.record["decision"] == ["Agree (a) and (b) of the plan.", "Note the risks; and",
                                         "Delegate the award."]


def test_nbsp_spacer_lines_collapse() -> None:
    text = "X\n\nPurpose:\n\n\u00a0\n\nFirst paragraph.\n\n\u00a0\n\u00a0\n\nSecond paragraph.\n"
    assert _record_text(text)["purpose"] == "First paragraph.\n\nSecond paragraph."


def test_options_with_outcomes_and_numbered_reasons() -> None:
    text = ("X\n\nAlternative options considered:\n\n"
            "Option 1: Do nothing – Not recommended\n\n1. Costs rise.\n\n2. Service ends.\n\n"
            "Option 2: Tender – Recommended\n\n3. Best value.\n")
    assert _record_text(text)["alternatives"] == [
        {"title": "Do nothing", "outcome": "rejected", "reasons": ["Costs rise.", "Service ends."]},
        {"title": "Tender", "outcome": "recommended", "reasons": ["Best value."]},
    ]


def test_contact_parts() -> None:
    record = _record_text("X\n\nContact: Jo Bloggs, Librarian Email: jo@example.gov.uk "
                          "Tel: 01234 567890.\n")
    assert record["contact"] == {"name": "Jo Bloggs", "role": "Librarian",
                                 "email": "jo@example.gov.uk", "phone": "01234 567890"}


def test_call_in_not_applying_keeps_its_reason() -> None:
    record = _record_text("X\n\nIs subject to call in?: No - urgent, agreed by the scrutiny "
                          "chair\n")
    assert record["call_in"] == {"applies": False,
                                 "reason": "urgent, agreed by the scrutiny chair"}


def test_call_in_not_applying_without_reason_asks_for_one() -> None:
    result = import_text("X\n\nIs subject to call in?: No\n", source_name="page.txt")
    assert result.record["call_in"] == {"applies": False}
    assert "call_in.reason" in _adds(result.report)


def test_a_second_value_for_a_field_is_reported() -> None:
    result = import_text("X\n\nDecision Maker: Cabinet\n\nDecision Maker: Council\n",
                         source_name="page.txt")
    assert result.record["decision_maker"] == "Cabinet"
    assert any("`Decision Maker: Council`" in line for line in result.report)


# ---------------------------------------------------------------------------------------------
# Exempt appendices
# ---------------------------------------------------------------------------------------------


def test_exempt_appendix_with_its_public_interest_statement() -> None:
    text = ("X\n\nDecision:\n\n1. That Appendix B is exempt under paragraph 3 of Part 1 of "
            "Schedule 12A to the Local Government Act 1972 and is not for publication. The public "
            "interest in maintaining the exemption outweighs the public interest in disclosing it "
            "because it contains bid prices.\n\n2. That the contract is awarded.\n")
    result = import_text(text, source_name="page.txt")
    assert result.record["appendices"] == [{"title": "Appendix B", "exempt": {
        "paragraph": 3,
        "public_interest": "The public interest in maintaining the exemption outweighs the "
                           "public interest in disclosing it because it contains bid prices."}}]
    assert not any("public_interest" in a for a in _adds(result.report))


def test_exempt_appendices_with_several_paragraphs() -> None:
    text = ("X\n\nDecision:\n\n1. That Appendices 2 and 3 are not for publication under "
            "paragraphs 1, 2 and 3 of Schedule 12A of the Local Government Act 1972.\n")
    appendices = _record_text(text)["appendices"]
    assert [a["title"] for a in appendices] == ["Appendix 2", "Appendix 3"]
    assert all(a["exempt"]["paragraph"] == [1, 2, 3] for a in appendices)
    assert all(set(a) == {"title", "exempt"} for a in appendices)  # never a body


def test_exempt_notice_joins_the_listed_appendix() -> None:
    text = ("X\n\nDecision:\n\n1. That Appendix 1 is not for publication (paragraph 3, Schedule "
            "12A).\n\nAppendices:\n\nAppendix 1 - Financial evaluation\nAppendix 2 - Strategy\n")
    assert _record_text(text)["appendices"] == [
        {"title": "Appendix 1 - Financial evaluation", "exempt": {
            "paragraph": 3, "public_interest": "The public interest reasons for withholding "
                                               "Appendix 1 must be added: the source does not "
                                               "state them."}},
        {"title": "Appendix 2 - Strategy"}]


def test_exempt_statement_without_paragraph_asks_for_it() -> None:
    result = import_text("X\n\nDecision:\n\n1. That Appendix A is exempt under Schedule 12A.\n",
                         source_name="page.txt")
    assert "appendices[1].exempt.paragraph" in _adds(result.report)


def test_schedule_12a_mention_without_exemption_makes_no_notice() -> None:
    text = "X\n\nPurpose:\nTo review how Schedule 12A paragraph 3 is applied in Appendix 1.\n"
    assert "appendices" not in _record_text(text)


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

MODERNGOV_HTML = """<!DOCTYPE html>
<html><head><title>Decision - Library hours</title><script>var s = "<b>x</b>";</script></head>
<body><nav><ul><li>Home</li><li>Meetings</li></ul></nav>
<div class="mgContent">
<h1>Decision details</h1>
<h2 class="mgSubTitleTxt">Library opening hours &amp; staffing</h2>
<p><span class="mgLabel">Decision Maker: </span><a href="/mgCommittee.aspx?ID=1">Cabinet Member for
Culture</a></p>
<p><strong>Decision status:</strong> Recommendations Approved</p>
<p><b>Is Key decision?:</b> No</p>
<h2>Purpose:</h2>
<p>To agree new hours from 1<sup>st</sup> April 2026.</p>
<h2>Decision:</h2>
<ol><li>That the hours in Appendix A are approved.</li>
<li>That the Head of Libraries reviews them in a year.</li></ol>
<h2>Reasons for the decision:</h2>
<p>Visits fell by 30% &lt;b&gt;after&lt;/b&gt; 6pm.</p>
<p><b>Wards affected:</b> Abbey; Castle;</p>
<p><b>Publication date:</b> 4th December 2025</p>
<h2>Accompanying Documents:</h2>
<ul><li><a href="https://example.gov.uk/s1/report.pdf">Report&#8203; PDF 200 KB</a></li>
<li><a href="documents/s2/a.pdf">Appendix A</a></li></ul>
</div><footer>Copyright</footer></body></html>
"""


def test_html_page() -> None:
    result = import_text(MODERNGOV_HTML, source_name="page.html")
    record = result.record
    assert record["title"] == "Library opening hours & staffing"
    assert record["decision_maker"] == "Cabinet Member for Culture"
    assert record["decision_type"] == "cabinet-member"
    assert record["status"] == "approved"
    assert record["key_decision"] is False
    assert record["purpose"] == "To agree new hours from 1st April 2026."
    assert record["decision"] == ["That the hours in Appendix A are approved.",
                                  "That the Head of Libraries reviews them in a year."]
    assert record["wards"] == ["Abbey", "Castle"]
    assert record["dates"] == {"published": "2025-12-04"}
    assert record["documents"] == [
        {"title": "Report PDF 200 KB", "url": "https://example.gov.uk/s1/report.pdf"},
        {"title": "Appendix A"}]
    assert any("'documents/s2/a.pdf'" in line for line in result.report)
    assert any("U+200B" in line for line in result.report)


@pytest.mark.parametrize("page", [MODERNGOV_HTML, *(p.read_text(encoding="utf-8") for p in SEEDS)],
                         ids=["html", *(p.name[:3] for p in SEEDS)])
def test_no_raw_html_reaches_the_record(page: str) -> None:
    record = import_text(page, source_name="page").record
    for path, value in _strings(record):
        if path.startswith("import_report"):
            continue
        assert not RAW_HTML.search(value), f"{path}: {value!r}"


def test_escaped_tags_in_html_stay_text_but_not_html() -> None:
    result = import_text(MODERNGOV_HTML, source_name="page.html")
    assert result.record["reasons"] == ["Visits fell by 30% &lt;b>after&lt;/b> 6pm."]
    assert any(line.startswith("Check `reasons[1]`") for line in result.report)


def test_html_bold_labels_and_list_items() -> None:
    page = ("<p><b>Option 1 – Keep the service</b></p><p><b>Pros</b></p><ul><li>Known</li>"
            "<li>Cheap</li></ul><p><b>Cons</b></p><ul><li>Old</li></ul>"
            "<p><b>Outcome</b></p><p>Recommended</p>")
    record = _record_text("<h1>Options</h1>" + page)
    assert record["alternatives"] == [{"title": "Keep the service", "outcome": "recommended",
                                       "pros": ["Known", "Cheap"], "cons": ["Old"]}]


# ---------------------------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_yaml_round_trip(seed: Path) -> None:
    record = _import(seed).record
    text = to_yaml(record, schema_ref="../../generator/schema/decision.schema.json")
    assert text.splitlines()[0] == \
        "# yaml-language-server: $schema=../../generator/schema/decision.schema.json"
    assert yaml.safe_load(text) == record
    assert "!!" not in text
    assert not re.search(r"(?:^|[\s:\-\[,])[&*][A-Za-z0-9_]", text, re.MULTILINE)
    parsed = parse_yaml(text.encode("utf-8"), "decisions/x.yaml")
    assert parsed.problems == ()
    assert parsed.data == record


AMBIGUOUS = ["no", "No", "NO", "yes", "Yes", "on", "off", "y", "n", "Y", "N", "true", "False",
             "null", "~", "", "12:30", "0123", "0o17", "0x1F", "1_000", "1.5e3", "1e3", ".5",
             "-1", "+1", "2025-12-04", ".inf", ".nan", "01432 260815", "N/A", "None", "- x",
             "#hash", "a: b", "'quoted'", '"double"', "@at", "%pct", "`tick`", "multi\nline",
             "trailing space ", " leading", "tab\there", "£990, 930", "x\n\n  indented"]


@pytest.mark.parametrize("value", AMBIGUOUS)
def test_ambiguous_strings_stay_strings(value: str) -> None:
    record = {"title": value, "decision": [value]}
    text = to_yaml(record, schema_ref="x")
    assert yaml.safe_load(text) == record
    parsed = parse_yaml(text.encode("utf-8"), "decisions/x.yaml")
    assert parsed.problems == ()
    assert parsed.data == record


def test_no_aliases_for_repeated_values() -> None:
    shared = ["same"]
    text = to_yaml({"decision": shared, "reasons": shared}, schema_ref="x")
    assert "&" not in text and "*" not in text


# The strict loader refuses invisible and control characters (the importer removes them), so
# generated text leaves them out; everything else must survive.
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn"),
                              whitelist_characters="\n\t"), max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=4))
def test_any_text_round_trips(values: list[str]) -> None:
    record = {"title": values[0], "decision": values, "report": {"summary": "\n".join(values)}}
    text = to_yaml(record, schema_ref="x")
    assert yaml.safe_load(text) == record
    parsed = parse_yaml(text.encode("utf-8"), "decisions/x.yaml")
    assert parsed.problems == ()
    assert parsed.data == record


# ---------------------------------------------------------------------------------------------
# Ids, order and files
# ---------------------------------------------------------------------------------------------


def test_field_order_is_the_schemas() -> None:
    assert list(SCHEMA["properties"]) == list(FIELD_ORDER)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_record_keys_in_schema_order(seed: Path) -> None:
    keys = list(_import(seed).record)
    assert keys == [k for k in FIELD_ORDER if k in keys]


@pytest.mark.parametrize(("title", "slug"), [
    ("Procurement Strategy- Carers Hub Contract", "procurement-strategy-carers-hub-contract"),
    ("Café & Crèche: fees 2025/26", "cafe-creche-fees-2025-26"),
    ("  --Odd__title--  ", "odd-title"),
    ("Appendix 1 – Re procurement options", "appendix-1-re-procurement-options"),
    ("A" * 70, "a" * 64),
    ("word " * 20, "word-" * 12 + "word"),
])
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= 64


def test_import_files_writes_year_folders_and_never_overwrites(tmp_path: Path) -> None:
    out = Path("decisions")
    outcomes = import_files(SEEDS, out, root=tmp_path)
    written = {o.source.name[:3]: o.written for o in outcomes}
    decisions = tmp_path / "decisions"
    assert written["000"] == decisions / "2025/procurement-strategy-carers-hub-contract.yaml"
    assert written["002"] == decisions / "2018/provision-of-young-carers-service.yaml"
    assert written["001"] == decisions / "sefton-carer-service-procurement-contract-proposal.yaml"
    first = written["000"]
    assert first is not None
    # The schema ships in the package: the comment leads from the record to the installed copy.
    schema = ROOT / "generator/schema/decision.schema.json"
    assert first.read_text(encoding="utf-8").splitlines()[0] == \
        f"# yaml-language-server: $schema={os.path.relpath(schema, decisions / '2025')}"
    no_year = written["004"]
    assert no_year is not None
    assert no_year.read_text(encoding="utf-8").splitlines()[0] == \
        f"# yaml-language-server: $schema={os.path.relpath(schema, decisions)}"
    for o in outcomes:
        assert o.ok and o.result is not None and o.written is not None
        assert o.report == o.result.report
        assert yaml.safe_load(o.written.read_text(encoding="utf-8")) == o.result.record

    before = first.read_bytes()
    again = import_files([SEEDS[0], SEEDS[0]], out, root=tmp_path)
    assert [o.written for o in again] == [
        tmp_path / "decisions/2025/procurement-strategy-carers-hub-contract-2.yaml",
        tmp_path / "decisions/2025/procurement-strategy-carers-hub-contract-3.yaml"]
    assert first.read_bytes() == before


def test_import_files_reports_unreadable_input(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    (outcome,) = import_files([missing], Path("decisions"), root=tmp_path)
    assert outcome.written is None and not outcome.ok
    assert outcome.report[0].startswith("not read:")
    assert not (tmp_path / "decisions").exists()


def test_import_files_reads_windows_1252(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes("Caf\u00e9 fees \u2013 2025\n\nDecision Maker: Cabinet\n".encode("cp1252"))
    (outcome,) = import_files([page], tmp_path / "out", root=tmp_path)
    assert outcome.result is not None
    assert outcome.result.record["title"] == "Café fees – 2025"
    assert any("Windows-1252" in line for line in outcome.report)

# This module tests the load stage: JSON Schema errors turned into words an officer can act on,
# at the right line; the settings in site-data/; the rules for record ids; and, by property
# tests, that no input whatever makes the loader raise instead of reporting.
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import ID_MAX, files_under, load_project, load_record_bytes
from generator.load import _check_id
from generator.model import Decision, DecisionType, Project, SourceRepository
from generator.problems import Problem, SourceRef
from generator.validate import validate
from sample_project import REPO

RecordYaml = Callable[..., str]


def check_id(stem: str) -> str | None:
    problem = _check_id(SourceRef("x.yaml"), stem)
    return problem.message if problem else None
WriteRecords = Callable[..., Path]
SCHEMA = REPO / "generator" / "schema" / "decision.schema.json"
PATH = "decisions/2025/library-hours.yaml"
AS_OF = datetime(2026, 11, 22, 10, tzinfo=UTC)
SAMPLE_AUTHORITY = (REPO / "site-data" / "authority.yml").read_text(encoding="utf-8")


def load(text: str | bytes, path: str = PATH) -> tuple[Any, list[str]]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    decision, problems = load_record_bytes(raw, path, SCHEMA)
    return decision, [str(p) for p in problems]


def line_of(text: str, needle: str, start: int = 1) -> int:
    """The 1-based number of the first line at or after `start` containing `needle`."""
    for number, line in enumerate(text.splitlines(), 1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


# ---------------------------------------------------------------------------------------------
# A valid record becomes the model


def test_the_minimal_record_loads(record_yaml: RecordYaml) -> None:
    text = record_yaml()
    decision, problems = load(text)
    assert problems == []
    assert decision.id == "library-hours"
    assert decision.path == PATH
    assert decision.decision_type is DecisionType.CABINET_MEMBER
    assert decision.dates.decision == date(2025, 12, 4)
    assert decision.portfolios == ("Culture, Leisure and Libraries",)
    assert decision.alternatives[0].title == "Keep the current opening hours"
    assert decision.line("dates.published") == line_of(text, "published:")
    # A field without its own line falls back to its parent's.
    assert decision.line("dates.call_in_deadline") == line_of(text, "dates:")


def test_alternatives_may_be_a_statement(record_yaml: RecordYaml) -> None:
    decision, problems = load(record_yaml({"alternatives": "None: the law requires it."}))
    assert problems == []
    assert decision.alternatives == ()
    assert decision.alternatives_statement == "None: the law requires it."


# ---------------------------------------------------------------------------------------------
# Schema errors in words


SCHEMA_CASES: list[tuple[dict[str, Any], str, str]] = [
    ({"title": 2025}, "title", "expected text, got a number; put it in quotes."),
    ({"title": ""}, "title", "must not be empty."),
    ({"title": "x" * 301}, "title", "is too long (301 characters; at most 300)."),
    ({"key_decision": "false"}, "key_decision",
     "expected true or false, got text; write true or false."),
    ({"wards": "all"}, "wards",
     "expected a list, got text; write each item on its own line, starting with '- '."),
    ({"wards": []}, "wards", "needs at least one item."),
    ({"dates": "2025-12-04"}, "dates",
     "expected a mapping of fields, got text; write its fields on the lines below it, indented."),
    ({"status": "aproved"}, "status",
     "must be one of: proposed, for-determination, approved, called-in, referred-back, "
     "withdrawn, deferred (got 'aproved'). Did you mean 'approved'?"),
    ({"decision_type": "cabinet member"}, "decision_type",
     "must be one of: cabinet, cabinet-member, committee, officer (got 'cabinet member'). "
     "Did you mean 'cabinet-member'?"),
    ({"dates.decision": "04/12/2025"}, "dates.decision",
     "expected a date written YYYY-MM-DD (for example 2025-12-04), got '04/12/2025'."),
    ({"dates.decision": "2025-13-01"}, "dates.decision",
     "'2025-13-01' is not a real date; check the day and month."),
    ({"dates.decision": "2024-02-29", "dates.published": "2023-02-29"}, "dates.published",
     "'2023-02-29' is not a real date; check the day and month."),
    ({"decision": "Approve it."}, "decision",
     "expected a list, got text; write each item on its own line, starting with '- '."),
    ({"decision": []}, "decision",
     "needs at least one item (reg 12/13(a): the record must state the decision)."),
    ({"decision": None}, "decision",
     "missing required field 'decision'; add it (reg 12/13(a): the record must state the "
     "decision)."),
    ({"alternatives": []}, "alternatives",
     "needs at least one option, or a sentence saying why none were considered (reg 12/13(c): "
     "the record must state the alternative options considered and rejected, or say in words "
     "that none were)."),
    ({"alternatives": ""}, "alternatives", "must not be empty."),
    ({"alternatives[1].outcome": None}, "alternatives[1].outcome",
     "missing required field 'outcome'; add it."),
    ({"portfolio": []}, "portfolio", "needs at least one item."),
    ({"portfolio": 3}, "portfolio", "expected text or a list, got a number; put it in quotes."),
    ({"consultation": ["a"]}, "consultation",
     "expected text or a mapping of fields, got a list; write it as text."),
    ({"consultation": {"inside": "Staff were asked."}}, "consultation.inside",
     "unknown field 'inside'; remove it, or use one of: external, internal."),
    ({"implications": {"finance": "Within budget."}}, "implications.finance",
     "unknown field 'finance'; did you mean 'financial'?"),
    ({"documents": [{"title": "Report", "file": "r.pdf", "url": "https://x.example/r"}]},
     "documents[1]", "give either `file` or `url`, not both."),
    ({"documents": [{"title": "Report"}]}, "documents[1]",
     "give `file` (a document beside the records) or `url` (a web address)."),
    ({"documents": [{"title": "Report", "url": "www.x.example"}]}, "documents[1].url",
     "must be a web address starting https:// or http://."),
    ({"documents": [{"title": "Report", "file": "../secret.pdf"}]}, "documents[1].file",
     "a file path relative to decisions/, of letters, digits, '.', '_', '-', '/' and spaces."),
    ({"contact": {"email": "nobody"}}, "contact.email",
     "expected an email address such as name@council.gov.uk."),
    ({"contact": {"phone": "ring me"}}, "contact.phone",
     "expected a phone number of digits, spaces and + ( ) -."),
    ({"commissioning": {"service": "Kiosks", "route": "grant", "ocids": ["ocds-x"]}},
     "commissioning.ocids[1]",
     "an OCID looks like 'ocds-h6vhtk-0a1b2c' (the publisher prefix, then the identifier)."),
    ({"commissioning": {"service": "Kiosks", "route": "grant",
                        "value": {"amount": -1, "basis": "total"}}},
     "commissioning.value.amount", "must be at least 0 (got -1)."),
    ({"commissioning": {"service": "Kiosks", "route": "grant",
                        "value": {"amount": "£45,000", "basis": "total"}}},
     "commissioning.value.amount",
     "expected a number, got text; write digits only, without £, commas or words (for example "
     "990930)."),
    ({"commissioning": {"service": "Kiosks", "route": "grant",
                        "term": {"start": "2026-04-01", "initial_years": 0}}},
     "commissioning.term.initial_years", "must be more than 0 (got 0)."),
    ({"call_in": {"applies": True, "count": 1.5}}, "call_in.count",
     "expected a whole number, got a number with decimals; write a whole number in digits."),
    ({"call_in": {"applies": False}}, "call_in.reason",
     "missing: say why call-in does not apply (for example 'Urgent: delay would harm residents; "
     "the Chair of Overview and Scrutiny agreed') or set `applies: true`."),
    ({"appendices": [{"title": "A", "exempt": {"paragraph": "three", "public_interest": "x"}}]},
     "appendices[1].exempt.paragraph",
     "expected a Schedule 12A paragraph number such as 3 (or 7A), or a list of them such as "
     "[3, 5]."),
    ({"appendices": [{"title": "A", "exempt": {"paragraph": [3, "x"], "public_interest": "x"}}]},
     "appendices[1].exempt.paragraph[2]",
     "expected a Schedule 12A paragraph number such as 3 (or 7A), or a list of them such as "
     "[3, 5]."),
    ({"appendices": [{"title": "A", "body": 123}]}, "appendices[1].body",
     "expected text, got a number; put it in quotes."),
    ({"meeting": {"title": "Cabinet"}}, "meeting.date", "missing required field 'date'; add it."),
]


@pytest.mark.parametrize(("changes", "field", "message"), SCHEMA_CASES,
                         ids=[c[1] + ":" + c[2][:30] for c in SCHEMA_CASES])
def test_schema_errors_in_words(record_yaml: RecordYaml, changes: dict[str, Any], field: str,
                                message: str) -> None:
    decision, problems = load_record_bytes(record_yaml(changes).encode(), PATH, SCHEMA)
    assert decision is None
    assert [(p.field, p.message) for p in problems] == [(field, message)]


def test_a_schema_error_names_the_line_of_its_key(record_yaml: RecordYaml) -> None:
    text = record_yaml({"dates.published": "next Tuesday"})
    _, problems = load(text)
    assert problems == [f"{PATH}:{line_of(text, 'published:')}: dates.published: expected a date "
                        "written YYYY-MM-DD (for example 2025-12-04), got 'next Tuesday'."]


def test_a_list_item_error_names_the_items_line() -> None:
    text = ("title: x\ndecision_maker: Cabinet\ndecision_type: cabinet\nstatus: approved\n"
            "key_decision: false\nwards:\n  - all\n  - 7\ndates: {decision: 2025-12-04}\n"
            "decision: [a]\nreasons: [b]\nalternatives: none considered\n")
    _, problems = load(text)
    assert problems == [f"{PATH}:8: wards[2]: expected text, got a number; put it in quotes."]


def test_a_missing_field_is_reported_at_its_parent() -> None:
    text = ("title: x\ndecision_maker: Cabinet\ndecision_type: cabinet\nstatus: approved\n"
            "key_decision: false\nwards: [all]\ndates:\n  published: 2025-12-04\n"
            "decision: [a]\nreasons: [b]\nalternatives: none considered\n")
    _, problems = load(text)
    assert problems == [f"{PATH}:7: dates.decision: missing required field 'decision'; add it "
                        "(reg 12/13(a): the record must state the date of the decision)."]


def test_a_misspelt_required_field_is_one_problem(record_yaml: RecordYaml) -> None:
    text = record_yaml().replace("reasons:", "reasns:")
    _, problems = load(text)
    assert problems == [f"{PATH}:{line_of(text, 'reasns:')}: reasns: unknown field 'reasns'; "
                        "did you mean 'reasons'?"]


def test_an_unrelated_unknown_field_does_not_hide_a_missing_one(record_yaml: RecordYaml) -> None:
    text = record_yaml({"reasons": None, "colour": "blue"})
    _, problems = load(text)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "reasons: missing required field 'reasons'; add it (reg 12/13(b): the record must state "
        "the reasons for the decision).",
        "colour: unknown field 'colour'; remove it, or use one of: alternatives, appendices, "
        "background_papers, call_in, commissioning, consultation, contact, dates, decision, "
        "decision_maker, decision_type, dispensations, documents, forward_plan, implementation, "
        "implications, import_report, interests_declared, key_decision, meeting, portfolio, "
        "purpose, reasons, reference, report, status, title, wards.",
    ]


def test_problems_come_in_file_order(record_yaml: RecordYaml) -> None:
    text = record_yaml({"title": 7, "status": "done", "dates.decision": "soon"})
    _, problems = load(text)
    lines = [int(p.split(":")[1]) for p in problems]
    assert len(lines) == 3
    assert lines == sorted(lines)


def test_no_message_repeats_an_exempt_appendixs_content(record_yaml: RecordYaml) -> None:
    secret = "qzx7 tender price 412000"
    appendix = {"title": "Appendix 1", "description": secret, "body": secret, "url": secret,
                "file": "../" + secret, "exempt": {"paragraph": "x", "public_interest": ""}}
    _, problems = load(record_yaml({"appendices": [appendix]}))
    assert problems
    for p in problems:
        assert "qzx7" not in p
        assert "412000" not in p


# ---------------------------------------------------------------------------------------------
# Record ids


@pytest.mark.parametrize("stem", ["a", "carers-hub", "budget-2026-27", "x" * ID_MAX, "0-9"])
def test_good_ids(stem: str) -> None:
    assert check_id(stem) is None


@pytest.mark.parametrize(("stem", "suggestion"), [
    ("../x", "x"), ("a/b", "a-b"), ("a\\b", "a-b"), ("Carers", "carers"), (".hidden", "hidden"),
    ("carers hub", "carers-hub"), ("a--b", "a-b"), ("-a", "a"), ("a-", "a"), ("café", "caf"),
    ("a_b", "a-b"), ("x\x00y", "x-y"), ("", "decision"), ("..", "decision"),
    ("x" * (ID_MAX + 1), "x" * ID_MAX),
])
def test_bad_ids_say_what_would_do(stem: str, suggestion: str) -> None:
    assert check_id(stem) == (
        f"file name '{stem}' cannot be a record id: use lower-case a-z, 0-9 and single hyphens, "
        f"at most {ID_MAX} characters (for example '{suggestion}.yaml').")


@pytest.mark.parametrize("stem", ["con", "CON", "prn", "aux", "nul", "com1", "lpt9", "index",
                                  "search", "assets"])
def test_reserved_ids(stem: str) -> None:
    assert check_id(stem) == (f"'{stem}' is a reserved name; rename the file (for example "
                              f"'{stem}-decision.yaml').")


def test_ids_come_from_file_names_and_records_from_every_folder(
        tmp_path: Path, write_records: WriteRecords, record_yaml: RecordYaml) -> None:
    text = record_yaml()
    root = write_records(tmp_path, {
        "2026/zebra-crossing.yaml": text,
        "2025/allotments.yml": text,
        "2025/older/bus-lanes.YAML": text,
        "2025/report.pdf": b"%PDF-1.7",
        "notes.txt": "not a record",
    })
    loaded = load_project(root)
    assert [p for p in loaded.problems] == []
    assert loaded.project is not None
    assert [d.id for d in loaded.project.decisions] == ["allotments", "bus-lanes",
                                                        "zebra-crossing"]
    assert loaded.project.decisions[1].path == "decisions/2025/older/bus-lanes.YAML"


def test_a_file_name_with_two_dots_keeps_the_first_part_whole(
        tmp_path: Path, write_records: WriteRecords, record_yaml: RecordYaml) -> None:
    root = write_records(tmp_path, {"2025/budget.v2.yaml": record_yaml()})
    problems = [str(p) for p in load_project(root).problems]
    assert problems == ["decisions/2025/budget.v2.yaml: id: file name 'budget.v2' cannot be a "
                        "record id: use lower-case a-z, 0-9 and single hyphens, at most 64 "
                        "characters (for example 'budget-v2.yaml')."]


def test_an_id_problem_and_content_problems_are_reported_together(
        tmp_path: Path, write_records: WriteRecords, record_yaml: RecordYaml) -> None:
    root = write_records(tmp_path, {"2025/Budget.yaml": record_yaml({"title": None})})
    problems = load_project(root).problems
    assert [p.field for p in problems] == ["id", "title"]


# ---------------------------------------------------------------------------------------------
# Settings


def test_the_sample_settings_load(tmp_path: Path, write_records: WriteRecords) -> None:
    loaded = load_project(write_records(tmp_path, {}))
    assert loaded.problems == ()
    assert loaded.project is not None
    auth = loaded.project.authority
    assert auth.country == "england"
    assert auth.source_repository is SourceRepository.PUBLIC
    assert auth.call_in.period == 3
    assert [p for p, _ in auth.exempt_table] == ["1", "2", "3", "4", "5", "6", "7"]
    assert "Castle" in auth.wards
    assert any(m.name == "Cabinet" and m.type is DecisionType.CABINET
               for m in auth.decision_makers)
    assert loaded.project.decisions == ()


def settings_problems(tmp_path: Path, write_records: WriteRecords,
                      files: dict[str, str]) -> list[str]:
    loaded = load_project(write_records(tmp_path, {}, settings=files))
    assert loaded.project is None
    return [str(p) for p in loaded.problems]


def authority_with(old: str, new: str) -> str:
    assert SAMPLE_AUTHORITY.count(old) == 1, old
    return SAMPLE_AUTHORITY.replace(old, new)


def test_an_unknown_setting(tmp_path: Path, write_records: WriteRecords) -> None:
    text = authority_with("country: england", "country: england\ncolour: blue")
    assert settings_problems(tmp_path, write_records, {"authority.yml": text}) == [
        f"site-data/authority.yml:{line_of(text, 'colour:')}: colour: unknown field 'colour'; "
        "did you mean 'country'?"]


def test_a_cutoff_in_words(tmp_path: Path, write_records: WriteRecords) -> None:
    text = authority_with('cutoff: "17:00"', "cutoff: 5pm")
    assert settings_problems(tmp_path, write_records, {"authority.yml": text}) == [
        f"site-data/authority.yml:{line_of(text, 'cutoff:')}: call_in.cutoff: expected a 24-hour "
        "time in quotes, such as \"17:00\"."]


def test_an_unquoted_cutoff_is_still_a_time(tmp_path: Path, write_records: WriteRecords) -> None:
    # YAML 1.1 would read 17:00 as the number 1020; this loader keeps it as text.
    text = authority_with('cutoff: "17:00"', "cutoff: 17:00")
    loaded = load_project(write_records(tmp_path, {}, settings={"authority.yml": text}))
    assert loaded.project is not None
    assert str(loaded.project.authority.call_in.cutoff) == "17:00:00"


def test_a_rule_the_schema_cannot_check(tmp_path: Path, write_records: WriteRecords) -> None:
    text = authority_with("  members_needed: 5\n", "")
    assert settings_problems(tmp_path, write_records, {"authority.yml": text}) == [
        f"site-data/authority.yml:{line_of(text, 'call_in:')}: call_in: call_in.members_needed "
        "is missing; correct the call-in rule, as in the sample authority.yml."]


def test_a_country_that_is_a_list_is_one_problem(tmp_path: Path,
                                                 write_records: WriteRecords) -> None:
    text = authority_with("country: england", "country: [england]")
    assert settings_problems(tmp_path, write_records, {"authority.yml": text}) == [
        f"site-data/authority.yml:{line_of(text, 'country:')}: country: must be one of: england, "
        "wales, scotland (got a list). Did you mean 'england'?"]


def test_a_settings_file_breaking_yaml_rules(tmp_path: Path, write_records: WriteRecords) -> None:
    text = authority_with("sample: true", "sample: yes")
    assert settings_problems(tmp_path, write_records, {"authority.yml": text}) == [
        f"site-data/authority.yml:{line_of(text, 'sample:')}: sample: 'yes' is ambiguous in "
        "YAML; write true or false (or put it in quotes if you mean the word)."]


def test_a_settings_file_that_is_a_list(tmp_path: Path, write_records: WriteRecords) -> None:
    assert settings_problems(tmp_path, write_records, {"wards.yml": "- Abbey\n"}) == [
        "site-data/wards.yml:1: the file must be a mapping of `field: value` lines, as in the "
        "sample in site-data/."]


def test_a_missing_settings_file(tmp_path: Path, write_records: WriteRecords) -> None:
    root = write_records(tmp_path, {})
    (root / "site-data" / "portfolios.yml").unlink()
    loaded = load_project(root)
    assert loaded.project is None
    assert [str(p) for p in loaded.problems] == [
        "site-data/portfolios.yml: is missing; see README.md, 'Settings'."]


def test_wards_must_be_names(tmp_path: Path, write_records: WriteRecords) -> None:
    assert settings_problems(tmp_path, write_records,
                             {"wards.yml": "wards:\n  - Abbey\n  - {title: Castle}\n"}) == [
        "site-data/wards.yml:3: wards[2]: expected a name, written as text on its own `- ` line."]
    assert settings_problems(tmp_path, write_records, {"wards.yml": "wards: Abbey\n"}) == [
        "site-data/wards.yml:1: wards: expected `wards:` followed by a list."]


def test_portfolios_need_names(tmp_path: Path, write_records: WriteRecords) -> None:
    files = {"portfolios.yml": "portfolios:\n  - name: Housing\n  - cabinet_member: Cllr X\n"}
    assert settings_problems(tmp_path, write_records, files) == [
        "site-data/portfolios.yml:3: portfolios: each entry needs a `name` (and may give "
        "`cabinet_member`)."]


def test_decision_makers_need_a_known_type(tmp_path: Path, write_records: WriteRecords) -> None:
    files = {"decision-makers.yml": "decision_makers:\n  - name: Cabinet\n    type: cabnet\n"}
    assert settings_problems(tmp_path, write_records, files) == [
        "site-data/decision-makers.yml:2: decision_makers: each entry needs `name` and `type` "
        "(cabinet, cabinet-member, committee or officer)."]


def test_the_exempt_table_must_cover_the_country(tmp_path: Path,
                                                 write_records: WriteRecords) -> None:
    files = {"exempt-information.yml": 'version: "1"\ntables:\n  wales:\n    "12": x\n'}
    assert settings_problems(tmp_path, write_records, files) == [
        "site-data/exempt-information.yml:1: tables: has no table for 'england'; add "
        "`tables.england` with each paragraph's wording."]


def test_a_malformed_exempt_table_is_reported_not_raised(tmp_path: Path,
                                                         write_records: WriteRecords) -> None:
    files = {"exempt-information.yml": 'version: "1"\nsources: [a]\ntables: [b]\n'}
    assert settings_problems(tmp_path, write_records, files) == [
        "site-data/exempt-information.yml:1: tables: has no table for 'england'; add "
        "`tables.england` with each paragraph's wording."]


def test_wales_reads_the_welsh_table(tmp_path: Path, write_records: WriteRecords) -> None:
    text = authority_with("country: england", "country: wales")
    loaded = load_project(write_records(tmp_path, {}, settings={"authority.yml": text}))
    assert loaded.project is not None
    assert [p for p, _ in loaded.project.authority.exempt_table] == [str(n) for n in range(12, 19)]


# ---------------------------------------------------------------------------------------------
# Property tests: every input gives a record or problems, never an exception

PROBLEM_LINE = re.compile(r"^decisions/2025/fuzz\.yaml(:[1-9]\d*)?: \S")
FIELD_NAMES = sorted(yaml.safe_load(SCHEMA.read_text())["properties"])


def assert_clean(raw: bytes) -> Decision | None:
    decision, problems = load_record_bytes(raw, "decisions/2025/fuzz.yaml", SCHEMA)
    assert (decision is None) == bool(problems)
    for p in problems:
        assert isinstance(p, Problem)
        assert p.message
        assert PROBLEM_LINE.match(str(p)), str(p)
    return decision


# The deadline is the bound: no example may take two seconds (an exponential blow-up would).
# FUZZ_EXAMPLES=5000 runs a longer search locally; CI keeps the default.
FUZZ = settings(deadline=timedelta(seconds=2),
                max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")),
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=4000))
def test_any_bytes(raw: bytes) -> None:
    assert_clean(raw)


YAMLISH = st.lists(st.one_of(
    st.sampled_from([":", ": ", "-", "- ", "[", "]", "{", "}", ",", "#", "&a", "*a", "!!str",
                     "!x", "|", ">", "'", '"', "%", "@", "`", "?", "<<", "---", "...", "\n",
                     "\n  ", "\n    ", "\t", "title", "dates", "decision", "reasons", "yes", "no",
                     "~", "null", "true", "2025-12-04", "2025-02-30", "0123", "1.5e999", "12:30",
                     "\u202e", "\u200b", "\x00", "\ufeff", "\\x01", "é", "[[exempt 3]]"]),
    st.text(max_size=8)), max_size=80).map("".join)


@FUZZ
@given(YAMLISH)
def test_any_yaml_ish_text(text: str) -> None:
    assert_clean(text.encode("utf-8", errors="surrogatepass"))


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.sampled_from(["2025-12-04", "all", "rejected", "3"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(FIELD_NAMES + ["title", "outcome", "exempt", "file"]),
                      inner, max_size=3),
    max_leaves=12)


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FIELD_NAMES), JSONISH, max_size=6))
def test_a_valid_record_with_any_fields_changed(minimal_record: dict[str, Any],
                                                changes: dict[str, Any]) -> None:
    record = {**minimal_record, **changes}
    text = yaml.safe_dump(record, sort_keys=False, allow_unicode=True)
    assert_clean(text.encode("utf-8", errors="surrogatepass"))


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values the schema accepts (mostly: `if`/`then` is ignored), for the keywords it uses."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "oneOf" in schema and "type" not in schema:
        return st.one_of([from_schema(branch) for branch in schema["oneOf"]])
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {k: from_schema(v) for k, v in props.items() if k in required},
            optional={k: from_schema(v) for k, v in props.items() if k not in required})
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {})), min_size=schema.get("minItems", 0),
                        max_size=3)
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates(date(2015, 1, 1), date(2030, 12, 31)).map(date.isoformat)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda t: "\n" not in t)
        return st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                       min_size=max(schema.get("minLength", 0), 1), max_size=40)
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", -10))
        ints = st.integers(min_value=int(low) + ("exclusiveMinimum" in schema), max_value=10**7)
        return ints if kind == "integer" else ints | st.floats(low + 0.01, 10.0**7)
    if kind == "boolean":
        return st.booleans()
    return st.none()


RECORDS = from_schema(yaml.safe_load(SCHEMA.read_text()))


@FUZZ
@given(RECORDS)
def test_any_record_the_schema_describes(record: dict[str, Any]) -> None:
    # Records the schema accepts reach the model-building code, which runs only once the schema
    # has passed: the place where a gap between the schema and the code would raise.
    text = yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=1000)
    decision = assert_clean(text.encode("utf-8"))
    if decision is not None:  # and the validate stage reports on it rather than raising
        project = replace(sample_project(), decisions=(decision,))
        for p in validate(project, as_of=AS_OF, available_files=frozenset()):
            assert PROBLEM_LINE.match(str(p)), str(p)


@lru_cache(maxsize=1)
def sample_project() -> Project:
    loaded = load_project(REPO)
    assert loaded.project is not None, [str(p) for p in loaded.problems]
    return loaded.project


# ---------------------------------------------------------------------------------------------
# The fast schema check agrees with jsonschema, which the messages come from


def _schema_examples() -> list[Path]:
    """The sample records and every bad-input example that is YAML a schema can see (the
    others stop at the YAML reader, before any schema check)."""
    from generator.yamlsource import parse_yaml

    paths = sorted([*(REPO / "decisions").rglob("*.yaml"),
                    *(REPO / "tests" / "data" / "invalid").glob("*.yaml")])
    return [p for p in paths if parse_yaml(p.read_bytes(), p.name).data is not None]


@pytest.mark.parametrize("path", _schema_examples(), ids=lambda p: p.name)
def test_the_fast_schema_check_agrees_with_jsonschema(path: Path) -> None:
    from generator.formats import DECISION_SCHEMA
    from generator.schemacheck import schema_valid, validator_for
    from generator.yamlsource import parse_yaml

    parsed = parse_yaml(path.read_bytes(), path.name)
    assert parsed.data is not None
    errors = list(validator_for(str(DECISION_SCHEMA)).iter_errors(parsed.data))
    assert schema_valid(parsed.data, DECISION_SCHEMA) == (not errors), [e.message for e in errors]


def test_the_fast_schema_check_uses_jsonschemas_date_rule() -> None:
    from generator.formats import DECISION_SCHEMA
    from generator.schemacheck import schema_valid
    from generator.yamlsource import parse_yaml

    record = next((REPO / "decisions").rglob("*.yaml")).read_text(encoding="utf-8")
    good = parse_yaml(record.encode(), "x.yaml").data
    assert schema_valid(good, DECISION_SCHEMA)
    # A date of the right shape that is not a day: a pattern alone would let it through.
    bad = re.sub(r"(\n  decision: )['\"]?\d{4}-\d{2}-\d{2}['\"]?", r"\1'2026-02-30'", record, count=1)
    assert bad != record
    assert not schema_valid(parse_yaml(bad.encode(), "x.yaml").data, DECISION_SCHEMA)


def test_records_parsed_in_worker_processes_are_the_same_as_in_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full build shares the parsing among processes (load.PARALLEL_MIN): the records and
    every problem, in order, must be what one process finds."""
    import shutil

    from generator import load

    project = tmp_path / "p"
    shutil.copytree(REPO / "decisions", project / "decisions")
    shutil.copytree(REPO / "site-data", project / "site-data")
    bad = project / "decisions" / "2026"
    (bad / "broken-yaml.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (bad / "Bad_Name.yaml").write_text("title: x\n", encoding="utf-8")
    one = load_project(project)
    monkeypatch.setattr(load, "PARALLEL_MIN", 1)
    monkeypatch.setattr(load.os, "cpu_count", lambda: 2)
    many = load_project(project)
    assert [str(p) for p in many.problems] == [str(p) for p in one.problems]
    assert len(one.problems) >= 2
    monkeypatch.setattr(load, "PARALLEL_MIN", 10**9)
    fixed = tmp_path / "fixed"
    shutil.copytree(project, fixed)
    for name in ("broken-yaml.yaml", "Bad_Name.yaml"):
        (fixed / "decisions" / "2026" / name).unlink()
    sequential = load_project(fixed)
    monkeypatch.setattr(load, "PARALLEL_MIN", 1)
    parallel = load_project(fixed)
    assert sequential.project is not None and parallel.project == sequential.project
    # They came back as calls of their classes (pickling.py), not set field by field.
    import pickle
    import pickletools
    from multiprocessing.reduction import ForkingPickler

    for decision in parallel.project.decisions:
        sent = bytes(ForkingPickler.dumps(decision))
        assert "BUILD" not in {op.name for op, _, _ in pickletools.genops(sent)}
        assert pickle.loads(sent) == decision


def test_files_under_lists_what_rglob_lists_in_the_same_order(tmp_path: Path) -> None:
    """The load stage's own folder walk (plain strings, for speed at 20,000 records) must see
    exactly the files `Path.rglob` with `is_file` saw: hidden ones and nested ones, a file
    reached through a link, no folder reached through one, no broken link."""
    base = tmp_path / "decisions"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "elsewhere.yaml").write_text("x")
    for name in ("2025/a.yaml", "2025/b.YML", "2025-x/c.yaml", "2025/deep/d.yaml",
                 ".hidden/e.yaml", "2025/.f.yaml", "g.pdf", "h.yaml"):
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text("x")
    (base / "linked").symlink_to(outside, target_is_directory=True)
    (base / "2025" / "via-link.yaml").symlink_to(outside / "elsewhere.yaml")
    (base / "2025" / "broken.yaml").symlink_to(tmp_path / "missing.yaml")
    expected = [p.relative_to(base).as_posix() for p in sorted(base.rglob("*")) if p.is_file()]
    assert files_under(base) == expected
    assert "linked/elsewhere.yaml" not in expected and "2025/via-link.yaml" in expected
    assert files_under(tmp_path / "none") == []


def test_each_record_parsed_in_the_workers_is_told_as_it_arrives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pipeline.check does a record's own checks and redaction as it arrives from the
    workers: every parsed record must be told, once, with the digest the build cache keys it
    by, and with what `early` gave for it in the worker that parsed it; a record read back
    unchanged is not parsed, so not told."""
    import os

    from generator import load
    from sample_project import copy_project

    project = copy_project(tmp_path / "p")
    monkeypatch.setattr(load, "PARALLEL_MIN", 2)
    monkeypatch.setattr(load, "_RECORD_CACHE", {})
    told: list[tuple[str, str, tuple[int, str]]] = []

    class Noted:
        def early(self, authority: object, d: Decision) -> tuple[int, str]:
            return os.getpid(), d.path

        def __call__(self, authority: object, d: Decision, key: str,
                     early: tuple[int, str]) -> None:
            told.append((d.path, key, early))

    loaded = load_project(project, remember=True, arrived=Noted())
    assert loaded.project is not None
    digests = load.record_digests()
    assert sorted((path, key) for path, key, _ in told) == sorted(
        (d.path, digests[d.path]) for d in loaded.project.decisions)
    assert all(early[1] == path for path, _, early in told)
    assert os.getpid() not in {early[0] for _, _, early in told}  # each made in a worker
    told.clear()
    assert load_project(project, remember=True, arrived=Noted()).project
    assert told == []

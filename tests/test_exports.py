"""decisions.json against its published JSON Schema, decisions.csv, and the data files' place
in the build (outputs the leak guard scans)."""

from __future__ import annotations

import copy
import csv
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.browse import SITE_FEEDS
from generator.guard import normalise
from generator.ocds import PACKAGE_PATH
from generator.exports import _csv_row, csv_cell
from generator.pipeline import generate
from generator.formats import CSV_COLUMNS, EXPORT_SCHEMA, PUBLISHED_SCHEMA
from portal_fixtures import CANARY, MOMENT, built_site, exempt_project, outputs
from sample_project import REPO


@cache
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads((REPO / EXPORT_SCHEMA).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema,
                                      format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def problems(doc: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}"[:300] for e in validator().iter_errors(doc)]


def exported() -> dict[str, Any]:
    return json.loads(outputs()["decisions.json"])


def test_decisions_json_matches_its_schema() -> None:
    doc = exported()
    assert problems(doc) == []
    assert doc["count"] == len(doc["decisions"]) > 0
    assert doc["schema"].endswith(PUBLISHED_SCHEMA)


def test_the_schema_refuses_a_field_nobody_listed() -> None:
    # A field allowlist: a field added to the export but not to the schema fails this test.
    doc = copy.deepcopy(exported())
    doc["decisions"][0]["officer_notes"] = "x"
    doc["decisions"][1]["call_in"]["internal"] = "x"
    commissioning = next(d for d in doc["decisions"] if d["commissioning"])
    commissioning["commissioning"]["suppliers"].append({"name": "A", "lot": None, "value": None,
                                                        "bank": "x"})
    found = problems(doc)
    assert any("'officer_notes' was unexpected" in p for p in found)
    assert any("'internal' was unexpected" in p for p in found)
    assert any("'bank' was unexpected" in p for p in found)


def test_the_schema_checks_values_too() -> None:
    doc = copy.deepcopy(exported())
    doc["decisions"][0]["dates"]["decision"] = "4 December 2025"
    doc["decisions"][0]["call_in"]["status"] = "maybe"
    del doc["decisions"][0]["wards"]
    found = [e.absolute_path for e in validator().iter_errors(doc)]
    assert {tuple(p) for p in found} == {("decisions", 0), ("decisions", 0, "dates", "decision"),
                                         ("decisions", 0, "call_in", "status")}


def test_every_object_in_the_schema_is_closed() -> None:
    schema = json.loads((REPO / EXPORT_SCHEMA).read_text(encoding="utf-8"))

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, where
                assert set(node["required"]) == set(node["properties"]), where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(schema, "#")


def test_the_schema_is_published_as_it_is_kept() -> None:
    assert outputs()[PUBLISHED_SCHEMA] == (REPO / EXPORT_SCHEMA).read_bytes()


def test_decisions_csv_has_a_row_per_decision() -> None:
    raw = outputs()["decisions.csv"]
    text = raw.decode("utf-8")
    assert text.count("\r\n") >= len(exported()["decisions"]) + 1  # RFC 4180 line ends
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = rows[1:]
    doc = exported()
    assert [r[0] for r in body] == [d["id"] for d in doc["decisions"]]
    for row, d in zip(body, doc["decisions"], strict=True):
        assert len(row) == len(CSV_COLUMNS)
        cells = dict(zip(CSV_COLUMNS, row, strict=True))
        assert cells["url"] == d["url"]
        assert cells["decision_date"] == d["dates"]["decision"]
        assert cells["key_decision"] == ("yes" if d["key_decision"] else "no")
        assert cells["call_in_status"] == d["call_in"]["status"]
        k = d["commissioning"]
        assert cells["service"] == (k["service"] if k else "")
        if k and k["value"]:
            assert float(cells["value_amount"]) == k["value"]["amount"]
            assert cells["value_basis"] == k["value"]["basis"]


def test_every_data_file_is_an_output_the_guard_scans() -> None:
    made = outputs()
    for path in ("decisions.json", "decisions.csv", PACKAGE_PATH, PUBLISHED_SCHEMA,
                 *(f.path for f in SITE_FEEDS)):
        assert path in made, path


def test_exports_carry_only_the_redacted_text(tmp_path: Path) -> None:
    generated = generate(exempt_project(tmp_path / "project"), MOMENT)
    assert generated.ok, [str(p) for p in generated.problems]
    assert any(CANARY in s.text for s in generated.secrets)  # positive control
    made = {o.path: o.content for o in generated.outputs}
    for path in ("decisions.json", "decisions.csv", PACKAGE_PATH):
        assert normalise(CANARY) not in normalise(made[path].decode()), path
    doc = json.loads(made["decisions.json"])
    assert problems(doc) == []
    canary = next(d for d in doc["decisions"] if d["id"] == "canary-commissioning-decision")
    assert canary["redactions"] == 1
    assert [a["title"] for a in canary["exempt_appendices"]] == ["Appendix 1 - Tender evaluation"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)


@pytest.mark.slow
def test_the_built_files_are_valid_and_downloadable(site: Path) -> None:
    doc = json.loads((site / "decisions.json").read_text(encoding="utf-8"))
    assert problems(doc) == []
    rows = list(csv.reader(io.StringIO((site / "decisions.csv").read_text(encoding="utf-8"),
                                       newline="")))
    assert len(rows) == doc["count"] + 1
    schema = json.loads((site / PUBLISHED_SCHEMA).read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert (site / PACKAGE_PATH).is_file()
    data_page = (site / "data" / "index.html").read_text(encoding="utf-8")
    for href in ("../decisions.json", "../decisions.csv", "../ocds.json",
                 f"../{PUBLISHED_SCHEMA}"):
        assert f'href="{href}"' in data_page, href
        assert (site / "data").joinpath(href).resolve().is_file()


# OWASP "CSV Injection": every cell a spreadsheet would run as a formula starts with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_csv_cells_that_could_run_as_formulas_are_neutralised(
        start: str, tmp_path: Path, write_records: Any, record_yaml: Any) -> None:
    payload = f'{start}HYPERLINK("http://x.invalid","y")'
    record = record_yaml({
        "title": f"{payload} title",
        "reference": f"{start}REF",
        "purpose": f"{payload} purpose",
        "decision[1]": f"{payload} decision",
        "reasons[1]": f"{payload} reason",
    })
    root = write_records(tmp_path / "p", {"2025/formula.yaml": record})
    generated = generate(root, MOMENT)
    assert generated.ok, [str(p) for p in generated.problems]
    made = {o.path: o.content for o in generated.outputs}
    rows = list(csv.reader(io.StringIO(made["decisions.csv"].decode("utf-8"), newline="")))
    assert len(rows) == 2
    cells = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert cells["title"] == f"'{payload} title"
    assert cells["reference"] == f"'{start}REF"
    assert cells["purpose"] == f"'{payload} purpose"
    assert cells["decision"] == f"'{payload} decision"
    assert cells["reasons"] == f"'{payload} reason"
    for column, value in cells.items():
        assert not value.startswith(FORMULA_STARTS), column
    # Only the CSV is for spreadsheets: the JSON keeps the text exactly as written.
    doc = json.loads(made["decisions.json"])
    assert doc["decisions"][0]["title"] == f"{payload} title"


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+2", "'=1+2"), ("-1+2", "'-1+2"), ("+44 20 7946 0000", "'+44 20 7946 0000"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"), ("-", "'-"),
    # Plain numbers cannot be formulas and stay numbers in a spreadsheet.
    ("1250000.00", "1250000.00"), ("-12.50", "-12.50"), ("-3", "-3"),
    ("Library opening hours", "Library opening hours"), ("", ""), (" =1", " =1"),
])
def test_csv_cell(value: str, cell: str) -> None:
    assert csv_cell(value) == cell


@pytest.mark.parametrize("count", [None, 1, 0])
@pytest.mark.parametrize("kept", ["none", "first", "again"])
def test_the_exports_made_a_decision_at_a_time_are_the_whole_documents(
        count: int | None, kept: str, tmp_path: Path) -> None:
    # decisions.json, decisions.csv and ocds.json are made a decision at a time (a whole
    # document of 20,000 held as objects, text and bytes at once was 830 MB), and each
    # decision's piece may be kept between builds (pieces.py): the bytes are what the whole
    # document gives, with no pieces kept, when they are first kept, and when read back.
    from generator.cli import _as_of
    from generator.exports import decisions_csv, decisions_json, export_decision
    from generator.ocds import release, release_package, releasable
    from generator.pieces import NO_PIECES, Pieces
    from generator.pipeline import prepare

    prepared = prepare(REPO, _as_of(MOMENT.isoformat()))
    assert prepared.plan is not None and prepared.settings is not None
    entries = prepared.plan.entries if count is None else prepared.plan.entries[:count]
    auth, as_of = prepared.settings.authority, prepared.as_of

    def pieces(name: str) -> Pieces:
        if kept == "none":
            return NO_PIECES
        keys = {e.d.id: f"{name}-{e.d.id}" for e in entries}
        if kept == "again":
            first = Pieces(tmp_path / f"{name}.bin", keys)
            made = {"json": lambda p: decisions_json(entries, auth, as_of, p),
                    "csv": lambda p: decisions_csv(entries, auth, p),
                    "ocds": lambda p: release_package(entries, auth, as_of, p)}[name](first)
            assert made
            first.save()
        again = Pieces(tmp_path / f"{name}.bin", keys)
        return again

    doc = {"authority": auth.name, "generated": as_of.isoformat(),
           "schema": f"{auth.site_url}schema/decision-export.schema.json",
           "count": len(entries),
           "decisions": [export_decision(e, auth.site_url) for e in entries]}
    json_pieces = pieces("json")
    made = decisions_json(entries, auth, as_of, json_pieces)
    assert json.loads(made) == doc
    if kept == "again":
        assert json_pieces.made == 0  # every line was the kept one
    # One decision a line, each as the standard library writes it on its own.
    lines = made.decode().splitlines()
    decisions = [json.dumps(d, ensure_ascii=False) for d in doc["decisions"]]
    if decisions:
        assert [line.removesuffix(",") for line in lines[1:-1]] == decisions
        assert len(lines) == len(decisions) + 2
    else:
        assert len(lines) == 1
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([csv_cell(c) for c in _csv_row(e, auth)])
    assert decisions_csv(entries, auth, pieces("csv")) == buf.getvalue().encode()
    package = json.loads(release_package(entries, auth, as_of))
    package["releases"] = sorted((release(o, e, auth) for o, e in releasable(entries, auth)),
                                 key=lambda r: (r["ocid"], r["id"]))
    whole = (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode()
    assert release_package(entries, auth, as_of, pieces("ocds")) == whole


def test_a_decisions_calendar_file_is_dated_by_its_publication_not_by_the_build() -> None:
    # RFC 5545 3.8.7.2: with no METHOD, DTSTAMP is when the event's facts last changed. Dated
    # by the build's moment, every calendar file would be new at every deploy.
    from datetime import timedelta

    from generator.cli import _as_of
    from generator.pipeline import prepare

    def calendars(days: int) -> dict[str, bytes]:
        prepared = prepare(REPO, _as_of((MOMENT + timedelta(days=days)).isoformat()))
        return {o.path: o.content for t in prepared.data_tasks()
                if t.name.startswith("calendars-") for o in t()}

    now, later = calendars(0), calendars(30)
    assert len(now) > 10 and now == later
    text = now["calendar/library-opening-hours.ics"].decode()
    published = next(line for line in text.splitlines() if line.startswith("DTSTAMP"))
    assert published == "DTSTAMP:20250618T230000Z"  # 19 June 2025, midnight in London (BST)

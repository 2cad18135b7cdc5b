"""ocds.json: an OCDS 1.1 release package, checked against the official 1.1.5 schemas."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from generator.callin import State
from generator.guard import normalise
from generator.ocds import PACKAGE_PATH, release, release_package, releasable
from generator.pipeline import generate
from generator.redact import redact
from generator.site import entries_for
from portal_fixtures import CANARY, MOMENT, exempt_project, outputs, sample_generated
from sample_project import REPO

OCDS = Path(__file__).parent / "data" / "ocds"
RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
OCID = re.compile(r"^ocds-[a-z0-9]{6}-[A-Za-z0-9-]+$")


@cache
def validator() -> jsonschema.Draft4Validator:
    package = json.loads((OCDS / "release-package-schema.json").read_text(encoding="utf-8"))
    release_schema = json.loads((OCDS / "release-schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource(RELEASE_URL, Resource(release_schema, DRAFT4))
    return jsonschema.Draft4Validator(package, registry=registry,
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def errors(package: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(package)]


def package() -> dict[str, Any]:
    return json.loads(outputs()[PACKAGE_PATH])


def sample():
    project = sample_generated().project
    table = dict(project.authority.exempt_table)
    return project, entries_for(project, tuple(redact(d, table) for d in project.decisions),
                                MOMENT)


def test_the_schemas_are_the_official_1_1_5_files() -> None:
    readme = (OCDS / "README.md").read_text(encoding="utf-8")
    for name in ("release-package-schema.json", "release-schema.json"):
        raw = (OCDS / name).read_bytes()
        assert f"`{hashlib.sha256(raw).hexdigest()}`" in readme, name
        assert json.loads(raw)["id"] == f"{RELEASE_URL.rsplit('/', 1)[0]}/{name}"
    jsonschema.Draft4Validator.check_schema(json.loads((OCDS / "release-schema.json").read_text()))


def test_ocds_json_is_a_valid_release_package() -> None:
    data = package()
    assert errors(data) == []
    assert data["version"] == "1.1"
    project, entries = sample()
    assert len(data["releases"]) == sum(1 for _ in releasable(entries, project.authority))


def test_the_validator_catches_an_invalid_package() -> None:
    data = package()
    broken = json.loads(json.dumps(data))
    broken["releases"][0]["tag"] = ["not-a-tag"]
    del broken["publisher"]
    found = errors(broken)
    assert any("'publisher' is a required property" in e for e in found)
    assert any("'not-a-tag' is not one of" in e for e in found)


def test_every_date_is_an_rfc3339_moment() -> None:
    # jsonschema checks `date-time` only with an optional package, so check them here.
    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif key in {"date", "publishedDate", "startDate", "endDate", "maxExtentDate",
                     "datePublished"}:
            assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", node), node
            assert datetime.fromisoformat(node).tzinfo is not None

    walk(package())


def test_ocids_use_find_a_tender_or_the_councils_prefix() -> None:
    project, entries = sample()
    by_id = {e.d.id: e for e in entries}
    for r in package()["releases"]:
        assert OCID.match(r["ocid"])
        k = by_id[r["id"]].d.commissioning
        assert k is not None
        assert r["ocid"] == (k.ocids[0] if k.ocids else f"ocds-sample-{r['id']}")
    released = {r["id"] for r in package()["releases"]}
    assert released == {e.d.id for e in entries if e.d.commissioning}
    # Without a prefix of its own, the council publishes only the processes Find a Tender named.
    bare = replace(project.authority, ocds_prefix=None)
    only = dict(releasable(entries, bare))
    assert set(only) == {e.d.commissioning.ocids[0] for e in entries
                         if e.d.commissioning and e.d.commissioning.ocids}


def test_stages_follow_what_the_record_says() -> None:
    project, entries = sample()
    for ocid, e in releasable(entries, project.authority):
        r = release(ocid, e, project.authority)
        k = e.d.commissioning
        assert r["tag"][0] == "planning" and "planning" in r
        assert ("tender" in r) == (k.route not in {"in-house", "grant"})
        assert ("tender" in r["tag"]) == ("tender" in r)
        assert ("award" in r["tag"]) == bool(k.suppliers)
        assert len(r.get("awards", [])) == len(k.suppliers)
        names = {p["id"]: p["name"] for p in r["parties"]}
        for award in r.get("awards", []):
            for s in award["suppliers"]:
                assert names[s["id"]] == s["name"]
        if k.term and "tender" in r:
            assert r["tender"]["contractPeriod"]["startDate"].startswith(k.term.start.isoformat())
    refuse = next(e for e in entries if e.d.id == "refuse-collection-vehicles-contract-award")
    r = release(f"ocds-sample-{refuse.d.id}", refuse, project.authority)
    assert r["tender"]["procurementMethod"] == "open"
    assert r["tender"]["contractPeriod"]["maxExtentDate"] == "2033-11-02T23:59:59+00:00"
    assert r["tender"]["value"] == {"amount": 6800000, "currency": "GBP"}


def test_a_years_value_is_never_given_as_an_amount() -> None:
    project, entries = sample()
    annual = [e for e in entries if e.d.commissioning and e.d.commissioning.value
              and e.d.commissioning.value.basis == "annual"]
    assert annual
    for e in annual:
        r = release("ocds-sample-x", e, project.authority)
        assert "amount" not in r["planning"]["budget"]
        assert "a year" in r["planning"]["budget"]["description"]
        assert "value" not in r.get("tender", {})


@pytest.mark.parametrize(("state", "status"), [
    (State.IN_FORCE, "active"), (State.NOT_SUBJECT, "active"), (State.OPEN, "pending"),
    (State.CALLED_IN, "pending"), (State.PENDING, "pending"), (State.WITHDRAWN, "cancelled"),
])
def test_award_status_follows_call_in(state: State, status: str) -> None:
    project, entries = sample()
    e = next(x for x in entries if x.d.id == "riverside-park-play-area-refurbishment")
    moved = replace(e, callin=replace(e.callin, status=replace(e.callin.status, state=state)))
    r = release("ocds-h6vhtk-05f0a9", moved, project.authority)
    assert [a["status"] for a in r["awards"]] == [status]
    assert errors({**package(), "releases": [r]}) == []


def test_the_package_is_reproducible() -> None:
    project, entries = sample()
    assert release_package(entries, project.authority, MOMENT) == outputs()[PACKAGE_PATH]


def test_ocds_carries_only_the_redacted_text(tmp_path: Path) -> None:
    generated = generate(exempt_project(tmp_path / "project"), MOMENT)
    assert generated.ok, [str(p) for p in generated.problems]
    assert any(CANARY in s.text for s in generated.secrets)
    raw = next(o.content for o in generated.outputs if o.path == PACKAGE_PATH).decode()
    assert normalise(CANARY) not in normalise(raw)
    data = json.loads(raw)
    canary = next(r for r in data["releases"] if r["id"] == "canary-commissioning-decision")
    assert canary["ocid"] == "ocds-sample-canary-commissioning-decision"
    assert canary["planning"]["rationale"].endswith(
        "[exempt information withheld under paragraph 3] in its tender.")
    assert errors(data) == []


def test_the_sample_repository_holds_the_schemas_needed_offline() -> None:
    # The package schema refers to the release schema by URL; the registry must resolve it
    # from tests/data, never from the network.
    ref = json.loads((OCDS / "release-package-schema.json").read_text())["properties"][
        "releases"]["items"]["$ref"]
    assert ref == RELEASE_URL
    assert (REPO / "tests" / "data" / "ocds" / "release-schema.json").is_file()

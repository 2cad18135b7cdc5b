# This module tests the accessibility statement: that it carries every part the accessibility
# regulations and the GOV.UK model statement require (compliance status, non-accessible
# content, how to report a problem and how fast we answer, the enforcement procedure, how the
# site was tested, when the statement was prepared and reviewed), that it says what the
# council's settings say, and that settings missing a required fact are refused with a clear
# message before anything is built.
from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.load import load_project
from generator.model import Authority, Project
from generator.planners import PLANNERS
from generator.render import environment, render_pages
from generator.statement import (
    GREAT_BRITAIN,
    NORTHERN_IRELAND,
    STATEMENT_PATH,
    plan_statement,
    statement_of,
)
from sample_project import REPO

AS_OF = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
REQUIRED_HEADINGS = (
    "# Accessibility statement",
    "## Using this website",
    "## How accessible this website is",
    "## Feedback and contact information",
    "## Reporting accessibility problems with this website",
    "## Enforcement procedure",
    "## Technical information about this website's accessibility",
    "### Compliance status",
    "## Non-accessible content",
    "## How we tested this website",
    "## Preparation of this accessibility statement",
)
FACTS = {
    "compliance": "partial",
    "non_accessible": "Some PDF appendices have no text alternatives for their maps.",
    "prepared": "2026-11-16",
    "reviewed": "2026-11-20",
    "tested": "Automated axe-core checks of every page in Chromium.",
    "contact_email": "access@example.gov.uk",
    "response_days": "10",
}


@pytest.fixture(scope="module")
def sample() -> Authority:
    loaded = load_project(REPO)
    assert loaded.project is not None, loaded.problems
    return loaded.project.authority


def project_of(authority: Authority) -> Project:
    return Project(root=str(REPO), authority=authority, decisions=())


def with_facts(authority: Authority, **changes: str | None) -> Authority:
    facts = {k: v for k, v in {**FACTS, **changes}.items() if v is not None}
    return dataclasses.replace(authority, accessibility=tuple(facts.items()))


def render(authority: Authority) -> str:
    pages = list(plan_statement(project_of(authority), (), AS_OF))
    outputs, problems = render_pages(pages, environment(), {"authority": authority,
                                                            "as_of": AS_OF})
    assert not problems
    [output] = outputs
    assert output.path == STATEMENT_PATH
    return output.content.decode("utf-8")


def headings(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.startswith("#")]


def test_the_sample_statement_has_every_required_section(sample: Authority) -> None:
    text = render(sample)
    found = headings(text)
    assert [h for h in found if h in REQUIRED_HEADINGS] == list(REQUIRED_HEADINGS)
    facts = dict(sample.accessibility)
    assert f'<a href="mailto:{facts["contact_email"]}">' in text
    assert f"within {facts['response_days']} days" in text
    assert "This website is partially compliant with the" in text
    assert "Non-compliance with the accessibility regulations" in text  # from authority.yml
    assert "prepared on <time datetime=\"2026-11-16\">Monday 16 November 2026</time>" in text
    assert "last reviewed on <time datetime=\"2026-11-20\">Friday 20 November 2026</time>" in text
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility " \
        "Regulations 2018" in text


def test_the_statement_is_planned_with_every_page() -> None:
    assert plan_statement in PLANNERS


@pytest.mark.parametrize(("compliance", "says"), [
    ("full", "This website is fully compliant with the"),
    ("partial", "This website is partially compliant with the"),
    ("none", "This website is not compliant with the"),
])
def test_compliance_status_is_worded_as_the_model_statement(
        sample: Authority, compliance: str, says: str) -> None:
    text = render(with_facts(sample, compliance=compliance,
                             non_accessible=None if compliance == "full" else "PDFs."))
    assert says in text
    known = "We do not know of any content on this website that is not accessible."
    assert (known in text) == (compliance == "full")


def test_enforcement_names_the_ehrc_and_eass_in_great_britain(sample: Authority) -> None:
    text = render(with_facts(sample))
    for body in GREAT_BRITAIN:
        assert f'<a href="{body.url}">{body.name}</a>' in text
    assert "Equality Commission for Northern Ireland" not in text
    assert re.search(r"not happy with how we respond to your complaint, contact the "
                     r"<a href=\"[^\"]+\">Equality Advisory and Support Service \(EASS\)</a>",
                     text)


def test_enforcement_names_the_ecni_in_northern_ireland(sample: Authority) -> None:
    rule = dataclasses.replace(sample.call_in, bank_holidays="northern-ireland")
    text = render(dataclasses.replace(with_facts(sample), call_in=rule))
    [body] = NORTHERN_IRELAND
    assert f'<a href="{body.url}">{body.name}</a>' in text
    assert "EASS" not in text and "Equality and Human Rights Commission" not in text


def test_contact_falls_back_to_the_councils_email(sample: Authority) -> None:
    statement = statement_of(with_facts(sample, contact_email=None))
    assert statement is not None
    assert statement.contact_email == dict(sample.contact)["email"]


def test_phone_number_is_offered_when_the_council_has_one(sample: Authority) -> None:
    text = render(with_facts(sample))
    assert f"<li>call {dict(sample.contact)['phone']}</li>" in text
    no_phone = dataclasses.replace(sample, contact=(("email", "a@example.gov.uk"),))
    assert "<li>call" not in render(with_facts(no_phone))


def test_an_authority_built_without_facts_gets_no_statement(sample: Authority) -> None:
    bare = dataclasses.replace(sample, accessibility=())
    assert statement_of(bare) is None
    assert list(plan_statement(project_of(bare), (), AS_OF)) == []


# ---------------------------------------------------------------------------------------------
# Settings that cannot make a lawful statement are refused


def sample_settings() -> str:
    return (REPO / "site-data" / "authority.yml").read_text(encoding="utf-8")


def block_line(text: str, key: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1)
                if line.startswith(f"{key}:") or line.startswith(f"  {key}:"))


def problems_for(write_records, tmp_path: Path, authority_yml: str) -> list[str]:
    root = write_records(tmp_path / "project", {}, settings={"authority.yml": authority_yml})
    loaded = load_project(root)
    return [str(p) for p in loaded.problems if "authority.yml" in str(p)]


def test_settings_without_an_accessibility_block_are_refused(write_records, tmp_path) -> None:
    text = sample_settings()
    start = text.index("\naccessibility:")
    end = text.index("response_days:", start)
    end = text.index("\n", end) + 1
    cut = text[:start + 1] + text[end:]
    first_key = block_line(cut, "name")
    assert problems_for(write_records, tmp_path, cut) == [
        f"site-data/authority.yml:{first_key}: accessibility: missing required field "
        "'accessibility'; add it."]


def test_partial_compliance_needs_the_non_accessible_content(write_records, tmp_path) -> None:
    text = sample_settings()
    start = text.index("  non_accessible: |")
    end = text.index("  prepared:", start)
    cut = text[:start] + text[end:]
    line = block_line(cut, "accessibility")
    assert problems_for(write_records, tmp_path, cut) == [
        f"site-data/authority.yml:{line}: accessibility.non_accessible: missing required "
        "field 'non_accessible'; add it."]


def test_a_contact_email_must_look_like_one(write_records, tmp_path) -> None:
    text = sample_settings().replace("  contact_email: democratic.services@example.gov.uk",
                                     "  contact_email: Democratic Services", 1)
    line = block_line(text, "contact_email")
    assert problems_for(write_records, tmp_path, text) == [
        f"site-data/authority.yml:{line}: accessibility.contact_email: expected an email "
        "address such as name@council.gov.uk."]

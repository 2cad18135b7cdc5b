"""End to end: the sample portal built with MkDocs, checked as a reader would see it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from generator.load import load_project
from sample_project import REPO, build, copy_project

pytestmark = pytest.mark.slow
SEEDS = {
    "000": "carers-hub-procurement-strategy",
    "001": "carer-support-and-advice-service-procurement",
    "002": "young-carers-in-house-service",
    "003": "independent-living-support-service-framework-award",
    "004": "care-and-support-at-home-interim-contracts",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("portal") / "project")
    status, out, err = build(project)
    assert status == 0, err
    assert "Built 23 decisions" in out or "Built" in out
    return project / "site"


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    out = {}
    for path in (REPO / "decisions").rglob("*.yaml"):
        out[path.stem] = yaml.load(path.read_text(), Loader=yaml.BaseLoader)
    return out


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_each_seed_purpose_is_on_its_page(site: Path, records: dict, seed: str) -> None:
    record_id = SEEDS[seed]
    page = (site / "decisions" / record_id / "index.html").read_text()
    purpose = records[record_id].get("purpose") or records[record_id]["decision"][0]
    first_words = " ".join(re.sub(r"[*_`\[\]()]", "", purpose).split()[:8])
    assert first_words in text_of(page)


def test_every_record_has_its_page_at_decisions_id(site: Path, records: dict) -> None:
    for record_id in records:
        assert (site / "decisions" / record_id / "index.html").is_file(), record_id


def test_decision_pages_are_not_in_the_navigation(site: Path, records: dict) -> None:
    home = (site / "index.html").read_text()
    nav = home[home.index('<nav class="md-nav md-nav--primary'):]
    nav = nav[: nav.index("</nav>")]
    assert "decisions/" not in nav
    # A decision page's size must not depend on how many records there are.
    page = (site / "decisions" / SEEDS["000"] / "index.html").read_text()
    others = [r for r in records if r != SEEDS["000"]]
    assert not any(f"decisions/{r}/" in page for r in others)


def test_search_index_holds_every_title(site: Path, records: dict) -> None:
    # Decisions are searched through the generator's chunked index (generator/search.py); its
    # result cards are [id, title, date, decision maker, summary].
    cards = [card for path in sorted((site / "search" / "decisions" / "d").glob("*.json"))
             for card in json.loads(path.read_text())]
    titles = {card[0]: card[1] for card in cards}
    for record_id, record in records.items():
        assert titles.get(record_id) == record["title"]
    # The theme's own index keeps only the pages that are not decisions.
    theme = json.loads((site / "search" / "search_index.json").read_text())
    assert not any(doc["location"].startswith("decisions/") for doc in theme["docs"])


def test_decisions_json_matches_the_records(site: Path) -> None:
    exported = json.loads((site / "decisions.json").read_text())
    project = load_project(REPO).project
    assert project is not None
    by_id = {d["id"]: d for d in exported["decisions"]}
    assert set(by_id) == {d.id for d in project.decisions}
    for d in project.decisions:
        e = by_id[d.id]
        assert e["title"] == d.title
        assert e["decision_maker"] == d.decision_maker
        assert e["dates"]["decision"] == d.dates.decision.isoformat()
        assert len(e["decision"]) == len(d.decision)
        assert len(e["reasons"]) == len(d.reasons)
        assert [a["title"] for a in e["alternatives"]] == [a.title for a in d.alternatives]
        # Exempt appendices are notices only: no body, file or url key at all.
        for notice in e["exempt_appendices"]:
            assert set(notice) == {"title", "paragraphs", "public_interest", "review_date"}


def test_decisions_csv_has_a_row_per_record(site: Path, records: dict) -> None:
    lines = (site / "decisions.csv").read_text().splitlines()
    assert lines[0].startswith("id,url,title")
    assert len(lines) == len(records) + 1 or len(lines) > len(records)


def test_dates_read_as_people_read_them(site: Path) -> None:
    page = text_of((site / "decisions" / SEEDS["000"] / "index.html").read_text())
    assert "Thursday 4 December 2025" in page
    assert "5pm on Tuesday 9 December 2025" in page


def test_open_decision_never_says_only_approved(site: Path) -> None:
    page = text_of((site / "decisions" / "send-resource-base-northfield-primary" / "index.html")
                   .read_text())
    assert "Open for call-in" in page
    assert "Approved (subject to call-in)" in page


def test_exempt_appendix_is_a_notice_naming_the_paragraph(site: Path) -> None:
    page = text_of((site / "decisions" / SEEDS["000"] / "index.html").read_text())
    assert "Not for publication" in page
    assert "Paragraph 3: Information relating to the financial or business affairs" in page


def test_no_other_hosts_fonts_or_edit_links(site: Path) -> None:
    for path in site.rglob("*.html"):
        html = path.read_text()
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        assert "/edit/" not in html and "/raw/" not in html
        for src in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            assert not src.endswith((".js", ".css", ".woff2")), (path, src)


def test_template_syntax_in_records_renders_literally(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    record = project / "decisions" / "2025" / "carers-hub-procurement-strategy.yaml"
    data = yaml.safe_load(record.read_text())
    data["purpose"] = 'Literal {{ config.site_name }} and {% raw %} and --8<-- "mkdocs.yml"'
    record.write_text(yaml.safe_dump(data, sort_keys=False))
    status, _, err = build(project)
    assert status == 0, err
    page = (project / "site" / "decisions" / record.stem / "index.html").read_text()
    assert "{{ config.site_name }}" in page and "{% raw %}" in page
    assert "--8&lt;--" in page or "--8<--" in page
    assert "site_name:" not in page


def test_urgency_register_lists_urgent_decisions(site: Path) -> None:
    page = text_of((site / "urgency" / "index.html").read_text())
    assert "Town Bridge" in page or "town-bridge" in (site / "urgency" / "index.html").read_text()
    assert "Special urgency (reg 11)" in page


def test_site_url_agrees_between_mkdocs_and_authority() -> None:
    mk = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    auth = yaml.load((REPO / "site-data" / "authority.yml").read_text(), Loader=yaml.BaseLoader)
    assert mk["site_url"] == auth["site_url"]

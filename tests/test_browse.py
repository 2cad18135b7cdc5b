"""Browse indexes, the glossary, the commissioning register and search, on the sample portal."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from generator import datapage
from generator.browse import (
    browse_kinds,
    ending_within_a_year,
    plan_browse,
    plan_register,
    slugify,
    slugs_for,
    year_after,
)
from generator.datapage import CSV_COLUMN_WORDS, schema_fields
from generator.glossary import TermLinker
from generator.load import load_project
from generator.model import GlossaryTerm, Term
from generator.redact import redact
from generator.formats import CSV_COLUMNS
from generator.labels import ROUTE_WORDS
from generator.render import latest_end
from generator.site import PAGE_SIZE, entries_for
from portal_fixtures import MOMENT, built_site, outputs, sample_generated
from sample_project import REPO, copy_project

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BROWSE_PATH = re.compile(r"^browse/([a-z0-9-]+)/(?:([a-z0-9-]+)/)?(?:page-\d+/)?index\.md$")
TEMPLATES = REPO / "generator" / "templates"


def front_matter(markdown: bytes) -> dict:
    text = markdown.decode("utf-8")
    assert text.startswith("---\n"), text[:80]
    return yaml.safe_load(text[4:text.index("\n---\n", 4)])


def sample_entries():
    project = sample_generated().project
    assert project is not None
    table = dict(project.authority.exempt_table)
    return project, entries_for(project, tuple(redact(d, table) for d in project.decisions), MOMENT)


# ---------------------------------------------------------------------------------------------
# Slugs


@pytest.mark.parametrize(("name", "slug"), [
    ("St Andrew's", "st-andrews"),
    ("St Andrew\u2019s", "st-andrews"),
    ("Deputy Leader (responsible for Children and Education)",
     "deputy-leader-responsible-for-children-and-education"),
    ("Chief Finance Officer (Section 151 Officer)", "chief-finance-officer-section-151-officer"),
    ("Ynys Môn", "ynys-mon"),
    ("Director of Children's Services", "director-of-childrens-services"),
    ("---", "unnamed"),
])
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_colliding_names_get_distinct_slugs_in_order() -> None:
    assert slugs_for(["Market", "market", "Market!", "Abbey"]) == {
        "Market": "market", "market": "market-2", "Market!": "market-3", "Abbey": "abbey"}


@given(st.lists(st.text(max_size=30), max_size=8))
def test_every_slug_is_url_safe_and_unique(names: list[str]) -> None:
    slugs = slugs_for(names)
    assert all(SLUG.match(s) for s in slugs.values())
    assert len(set(slugs.values())) == len(slugs)


# ---------------------------------------------------------------------------------------------
# The browse pages


def test_every_browse_page_follows_the_url_scheme() -> None:
    paths = [p for p in outputs() if p.startswith("browse/") and not p.startswith("browse/date/")]
    assert "browse/index.md" in paths
    for path in paths:
        if path == "browse/index.md":
            continue
        assert BROWSE_PATH.match(path), path


def test_every_lookup_value_has_a_page() -> None:
    project, _ = sample_entries()
    made = set(outputs())
    auth = project.authority
    for kind, names in (("ward", auth.wards), ("portfolio", [p.name for p in auth.portfolios]),
                        ("decision-maker", [m.name for m in auth.decision_makers])):
        for name, slug in slugs_for(names).items():
            assert f"browse/{kind}/{slug}/index.md" in made, (kind, name)
    for kind in ("type", "key-decision", "status"):
        assert f"browse/{kind}/index.md" in made


def test_each_decision_is_under_its_maker_portfolios_and_wards() -> None:
    project, entries = sample_entries()
    kinds = {k.slug: {g.name: g for g in k.groups} for k in browse_kinds(project, entries)}
    for e in entries:
        d = e.d
        assert e in kinds["decision-maker"][d.decision_maker].entries
        for p in d.portfolios:
            assert e in kinds["portfolio"][p].entries
        for ward, group in kinds["ward"].items():
            if "all" in d.wards:
                assert e in group.everywhere and e not in group.entries
            else:
                assert (e in group.entries) == (ward in d.wards)
        assert e in kinds["status"][e.callin.status.label].entries


def test_ward_pages_list_decisions_for_all_wards_too() -> None:
    page = outputs()["browse/ward/abbey/index.md"].decode()
    assert '<h2 id="decisions-for-all-wards">Decisions for all wards</h2>' in page
    assert "decisions/budget-and-council-tax-2026-27/" in page  # wards: [all]
    hawthorn = outputs()["browse/ward/hawthorn/index.md"].decode()
    own = hawthorn[:hawthorn.index('id="decisions-for-all-wards"')]
    assert "decisions/hawthorn-day-centre-reprovision/" in own


@pytest.mark.slow
def test_index_pages_are_excluded_from_search(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Index pages would crowd decisions out of the results; decisions are found through
    # search (tested on the built site below).
    indexes = [p for p in outputs() if p.startswith(("browse/", "commissioning/"))]
    assert len(indexes) > 50
    for path in indexes:
        text = outputs()[path]
        if text.startswith(b"{"):  # rendered by the generator into a search-excluded shell
            continue
        assert front_matter(text)["search"] == {"exclude": True}, path
    index = json.loads((built_site(tmp_path_factory) / "search" / "search_index.json").read_text("utf-8"))
    found = {d["location"].split("#")[0] for d in index["docs"]}
    assert not [u for u in found if u.startswith(("browse/", "commissioning/", "decisions/",
                                                  "portal-shell/"))], sorted(found)


def test_only_the_browse_landing_page_is_in_the_navigation() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = {path for item in config["nav"] for path in item.values()}
    assert "browse/index.md" in nav
    assert not any(p.startswith("browse/") and p != "browse/index.md" for p in nav)
    assert "/browse/" in config["not_in_nav"].split()


def test_the_landing_page_links_every_way_in() -> None:
    project, entries = sample_entries()
    page = outputs()["browse/index.md"].decode()
    for kind in browse_kinds(project, entries):
        assert f'href="../{kind.url}"' in page
    for target in ("browse/date/", "commissioning/", "glossary/", "data/", "call-in/"):
        assert f'href="../{target}"' in page


def _many(n: int):
    """The sample's first all-wards decision cloned n times, as planned entries."""
    project, _ = sample_entries()
    base = next(d for d in project.decisions if "all" in d.wards and d.commissioning)
    abbey = next(d for d in project.decisions if d.wards == ("Riverside",))
    clones = tuple(replace(base, id=f"{base.id}-{i}") for i in range(n))
    clones += tuple(replace(abbey, id=f"{abbey.id}-{i}", wards=("Abbey",)) for i in range(n // 2))
    project = replace(project, decisions=clones)
    table = dict(project.authority.exempt_table)
    return project, entries_for(project, tuple(redact(d, table) for d in clones), MOMENT)


def test_no_index_page_lists_more_than_a_page_of_entries() -> None:
    project, entries = _many(450)
    pages = list(plan_browse(project, entries, MOMENT)) + list(
        plan_register(project, entries, MOMENT))
    abbey = [p for p in pages if p.path.startswith("browse/ward/abbey/")]
    assert [p.path for p in abbey] == ["browse/ward/abbey/index.md",
                                       "browse/ward/abbey/page-2/index.md",
                                       "browse/ward/abbey/page-3/index.md",
                                       "browse/ward/abbey/page-4/index.md"]
    # The ward's own 225 decisions come first, then the 450 for all wards.
    first, second = abbey[0].context, abbey[1].context
    assert (len(first["specific"]), len(first["everywhere"])) == (200, 0)
    assert (len(second["specific"]), len(second["everywhere"])) == (25, 175)
    for page in pages:
        listed = sum(len(page.context.get(k, ())) for k in ("specific", "everywhere", "rows"))
        assert listed <= PAGE_SIZE, page.path
    # Both cloned decisions are commissioning decisions: 675 rows make 4 register pages.
    register = [p for p in pages if p.path.startswith("commissioning/")]
    assert [p.path for p in register] == ["commissioning/index.md",
                                          "commissioning/page-2/index.md",
                                          "commissioning/page-3/index.md",
                                          "commissioning/page-4/index.md"]


# ---------------------------------------------------------------------------------------------
# The glossary


def glossary_ids() -> set[str]:
    data = yaml.safe_load((REPO / "site-data" / "glossary.yml").read_text(encoding="utf-8"))
    return {t["id"] for t in data["terms"]}


def test_the_glossary_explains_every_procurement_route() -> None:
    ids = glossary_ids()
    assert {f"route-{r}" for r in ROUTE_WORDS} <= ids


def test_the_glossary_has_every_term_the_templates_use() -> None:
    used = set()
    for template in TEMPLATES.glob("*.j2"):
        # `g("route-" ~ k.route, ...)` is covered by the procurement route test above.
        text = template.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bg\("([a-z0-9-]*[a-z0-9])"', text))
    assert "key-decision" in used and "call-in" in used
    assert used <= glossary_ids(), used - glossary_ids()
    required = {"key-decision", "call-in", "exempt-information", "forward-plan",
                "general-exception", "special-urgency", "in-force", "scrutiny", "schedule-12a",
                "ocid"}
    assert required <= glossary_ids()


def test_the_glossary_page_lists_every_term_with_an_anchor() -> None:
    page = outputs()["glossary/index.md"].decode()
    for term_id in glossary_ids():
        assert f'<dt id="{term_id}">' in page


def test_a_term_links_to_its_definition_on_first_use_only() -> None:
    terms = [GlossaryTerm("call-in", "Call-in", 'Councillors ask "scrutiny" <to review>.')]
    g = TermLinker(terms, "../../")
    first = g("call-in", "call in")
    assert first == Markup('<a class="glossary-term" href="../../glossary/#call-in" '
                           'title="Call-in: Councillors ask &#34;scrutiny&#34; &lt;to review&gt;.">'
                           'call in</a>')
    assert g("call-in", "call-in") == "call-in"
    assert g("no-such-term", "a <word>") == "a &lt;word&gt;"
    assert g.defines("call-in") and not g.defines("no-such-term")


def test_a_link_remembered_for_shown_words_is_not_given_for_the_same_words_as_markup() -> None:
    terms = [GlossaryTerm("call-in", "Call-in", "Review.")]
    assert TermLinker(terms, "")("call-in", "<b>call in</b>").endswith(
        "&lt;b&gt;call in&lt;/b&gt;</a>")
    assert TermLinker(terms, "")("call-in", Markup("<b>call in</b>")).endswith(
        "<b>call in</b></a>")


def test_a_decision_page_explains_each_term_once() -> None:
    page = outputs()["decisions/carers-hub-procurement-strategy.md"].decode()
    for term_id in ("decision-maker", "key-decision", "call-in", "scrutiny", "in-force",
                    "forward-plan", "route-open-procedure", "exempt-information",
                    "schedule-12a", "public-interest-test"):
        assert page.count(f'glossary/#{term_id}"') == 1, term_id
    urgent = outputs()["decisions/town-bridge-river-wall-emergency-repairs.md"].decode()
    assert urgent.count('glossary/#special-urgency"') == 1


def _glossary_problems(tmp_path: Path, text: str) -> list[str]:
    project = tmp_path / "project"
    shutil.copytree(REPO / "site-data", project / "site-data")
    (project / "decisions").mkdir()
    (project / "site-data" / "glossary.yml").write_text(text, encoding="utf-8")
    return [str(p) for p in load_project(project).problems]


def test_a_duplicate_glossary_id_is_refused(tmp_path: Path) -> None:
    text = ("terms:\n"
            "  - {id: ward, term: Ward, definition: An area.}\n"
            "  - {id: ward, term: Wards, definition: Areas.}\n")
    assert _glossary_problems(tmp_path, text) == [
        "site-data/glossary.yml:3: terms[2].id: 'ward' is also the id of terms[1]; ids must be "
        "unique, so rename one."]


def test_a_glossary_id_must_be_a_link_target(tmp_path: Path) -> None:
    text = "terms:\n  - {id: Key Decision, term: Key decision, definition: Important.}\n"
    assert _glossary_problems(tmp_path, text) == [
        "site-data/glossary.yml:2: terms[1].id: use lower-case a-z, 0-9 and single hyphens; the "
        "id becomes the link glossary/#id."]


def test_a_missing_glossary_says_so(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", records=False)
    (project / "site-data" / "glossary.yml").unlink()
    assert [str(p) for p in load_project(project).problems] == [
        "site-data/glossary.yml: is missing; see README.md, 'Settings'."]


def test_an_ocds_prefix_must_look_like_one(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", records=False)
    authority = project / "site-data" / "authority.yml"
    text = authority.read_text(encoding="utf-8")
    authority.write_text(text.replace("ocds_prefix: ocds-sample", "ocds_prefix: h6vhtk"),
                         encoding="utf-8")
    line = text.splitlines().index("ocds_prefix: ocds-sample") + 1
    assert [str(p) for p in load_project(project).problems] == [
        f"site-data/authority.yml:{line}: ocds_prefix: an OCDS publisher prefix looks like "
        "'ocds-a1b2c3': 'ocds-', then the 6 letters and digits the Open Contracting Partnership "
        "gave the council."]


# ---------------------------------------------------------------------------------------------
# The commissioning register


def test_contracts_ending_within_a_year_use_current_and_latest_ends() -> None:
    _, entries = sample_entries()
    ending = ending_within_a_year(entries, MOMENT)
    found = {x.entry.d.id: (x.current_ends, x.latest_end) for x in ending}
    assert found == {
        # current contract ends within the year
        "supported-living-contract-extension": (date(2027, 1, 31), None),
        "household-waste-recycling-centres-contract": (date(2027, 3, 31), None),
        "leisure-management-contract-extension": (date(2027, 3, 31), None),
        # the new contract's latest possible end within the year
        "riverside-park-play-area-refurbishment": (None, date(2027, 7, 10)),
        "warm-spaces-grants-winter-2026-27": (None, date(2027, 3, 31)),
    }
    assert [x.soonest for x in ending] == sorted(x.soonest for x in ending)


def test_the_window_is_a_year_from_the_build_day_in_london() -> None:
    _, entries = sample_entries()
    e = next(x for x in entries if x.d.id == "supported-living-contract-extension")
    k = e.d.commissioning
    assert k is not None
    on_the_day = replace(e.d, commissioning=replace(k, current_contract_ends=date(2027, 11, 22)))
    after = replace(e.d, commissioning=replace(k, current_contract_ends=date(2027, 11, 23)))
    within = [replace(e, public=replace(e.public, decision=d)) for d in (on_the_day, after)]
    # 23:30 on 21 November UTC is still 21 November in London (GMT): the year ends on 21 Nov 2027.
    late = datetime.fromisoformat("2026-11-21T23:30:00+00:00")
    assert [x.current_ends for x in ending_within_a_year(within, MOMENT)] == [date(2027, 11, 22)]
    assert ending_within_a_year(within, late) == []
    assert year_after(date(2028, 2, 29)) == date(2029, 2, 28)


def test_the_register_is_a_real_sortable_table() -> None:
    page = outputs()["commissioning/index.md"].decode()
    fm = front_matter(outputs()["commissioning/index.md"])
    assert fm["sortable"] is True
    table = page[page.index('<table class="register-table sortable'):]
    table = table[:table.index("</table>")]
    assert "<caption>Commissioning decisions</caption>" in table
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    assert headers == ["Service", "Procurement route", "Value", "Basis", "Contract start",
                       "Initial term", "Extension options", "Latest possible end",
                       "Current contract ends", "Suppliers", "Find a Tender", "Decision"]
    rows = re.findall(r"<tr>\n<th scope=\"row\">", table)
    project, entries = sample_entries()
    assert len(rows) == sum(1 for e in entries if e.d.commissioning)
    assert '<th scope="col" aria-sort="descending">Decision</th>' in table
    dates = re.findall(r'<td data-sort="(\d{4}-\d\d-\d\d)"><time[^>]*>[^<]*</time>, ', table)
    assert dates == sorted(dates, reverse=True)
    assert "ocds-h6vhtk-052c77" in table  # temporary accommodation's Find a Tender notice


def test_register_sort_keys_are_machine_values() -> None:
    _, entries = sample_entries()
    e = next(x for x in entries if x.d.id == "refuse-collection-vehicles-contract-award")
    k = e.d.commissioning
    assert k is not None and k.term is not None
    page = outputs()["commissioning/index.md"].decode()
    row = page[page.index(f'href="../{e.url}"'):]
    row = row[:row.index("</tr>")]
    end = latest_end(k.term)
    assert end is not None
    assert f'data-sort="{end.isoformat()}"' in row
    assert 'data-sort="6800000.0"' in row
    assert latest_end(Term(date(2025, 11, 3), 7, (1,))) == end


def test_the_vendored_sorter_is_pinned_and_licensed() -> None:
    vendor = REPO / "generator" / "overrides" / "assets" / "javascripts" / "vendor"
    script = (vendor / "sortable.js").read_text(encoding="utf-8")
    assert script.startswith("/* sortable-tablesort 4.1.7 ")
    assert "unlicense" in (vendor / "sortable-tablesort.LICENSE").read_text().lower()
    assert "http" not in re.sub(r"https://github.com/tofsjonas/sortable", "", script.split("*/")[0])


# ---------------------------------------------------------------------------------------------
# The data page


def test_every_csv_column_is_documented() -> None:
    assert set(CSV_COLUMN_WORDS) == set(CSV_COLUMNS)
    page = outputs()["data/index.md"].decode()
    for column in CSV_COLUMNS:
        assert f"<code>{column}</code>" in page


def test_every_json_field_is_documented() -> None:
    schema = datapage.load_export_schema(REPO)
    fields = schema_fields(schema, schema["definitions"]["decision"])
    paths = {f.path for f in fields}
    assert {"id", "dates.decision", "call_in.deadline", "commissioning.term.latest_end",
            "commissioning.suppliers[].value", "alternatives[].outcome"} <= paths
    assert all(f.description for f in fields), [f.path for f in fields if not f.description]
    kinds = {f.path: f.kind for f in fields}
    assert kinds["dates.published"] == "date (YYYY-MM-DD), or null"
    assert kinds["call_in.deadline"] == "date and time (ISO 8601, with offset), or null"
    assert kinds["commissioning.value"] == "object, or null"
    assert kinds["wards"] == "list of text"
    page = outputs()["data/index.md"].decode()
    for path in paths:
        assert f"<code>{path}</code>" in page, path
    assert "Open Government Licence v3.0" in page


# ---------------------------------------------------------------------------------------------
# The built site: what a newcomer sees


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.slow
@pytest.mark.parametrize(("way", "decision"), [
    ("browse/ward/hawthorn/", "hawthorn-day-centre-reprovision"),
    ("browse/portfolio/housing-and-homelessness/", "temporary-accommodation-dps"),
    ("browse/decision-maker/joint-waste-committee/", "household-waste-recycling-centres-contract"),
    ("browse/type/officer/", "supported-living-contract-extension"),
    ("browse/key-decision/key/", "carers-hub-procurement-strategy"),
    ("browse/status/referred-to-council/", "hawthorn-day-centre-reprovision"),
])
def test_a_newcomer_finds_a_decision_by_each_way_in(site: Path, way: str, decision: str) -> None:
    landing = (site / "browse" / "index.html").read_text(encoding="utf-8")
    kind = way.split("/")[1]
    assert f'href="../browse/{kind}/"' in landing or kind == "ward"
    kind_page = (site / "browse" / kind / "index.html").read_text(encoding="utf-8")
    assert f'href="../../{way}"' in kind_page
    page = (site / way / "index.html").read_text(encoding="utf-8")
    assert f'href="../../../decisions/{decision}/"' in page


@pytest.mark.slow
def test_no_index_appears_in_the_navigation_of_every_page(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    tabs = home[home.index('<nav class="md-tabs"'):]
    tabs = tabs[:tabs.index("</nav>")]
    assert 'href="browse/"' in tabs and 'href="commissioning/"' in tabs
    # A decision page links no index but its own: the navigation lists none of them.
    page = (site / "decisions" / "carers-hub-procurement-strategy" / "index.html").read_text(
        encoding="utf-8")
    assert "browse/ward/" not in page and "browse/decision-maker/" not in page


@pytest.mark.slow
def test_the_sorter_loads_only_on_the_register(site: Path) -> None:
    register = (site / "commissioning" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/javascripts/vendor/sortable.js"></script>' in register
    assert '<script src="../assets/javascripts/register.js"></script>' in register
    assert (site / "assets" / "javascripts" / "vendor" / "sortable.js").is_file()
    assert (site / "assets" / "javascripts" / "vendor" / "sortable-tablesort.LICENSE").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "sortable.js" not in home


def decision_search(site: Path) -> dict[str, dict]:
    """What the site's search knows about each decision: {id: {"shown": text of its result,
    "words": set of words it is found by}}. Decisions are searched either through Material's
    index (search/search_index.json) or, where they are excluded from it, through the chunked
    decision index (search/decisions/, generator/search.py)."""
    out: dict[str, dict] = {}
    chunked = site / "search" / "decisions"
    if (chunked / "index.json").is_file():
        manifest = json.loads((chunked / "index.json").read_text(encoding="utf-8"))
        cards = []
        for n in range(-(-manifest["docs"] // manifest["chunk"])):
            cards += json.loads((chunked / "d" / f"{n}.json").read_text(encoding="utf-8"))
        for card in cards:
            out[card[0]] = {"shown": " ".join(card[1:]), "words": set()}
        for shard in (chunked / "t").glob("*.json"):
            for word, postings in json.loads(shard.read_text(encoding="utf-8")).items():
                number = 0
                for part in postings.split(","):  # base-36 gap, then a one-digit weight
                    number += int(part[:-1], 36)
                    out[cards[number][0]]["words"].add(word)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        m = re.match(r"decisions/([a-z0-9-]+)/$", doc["location"])
        if m:
            out[m.group(1)] = {"shown": doc["title"] + " " + re.sub(r"<[^>]+>", "", doc["text"]),
                               "words": set()}
    for doc in index["docs"]:
        m = re.match(r"decisions/([a-z0-9-]+)/", doc["location"])
        if m:
            out[m.group(1)]["words"] |= set(re.findall(r"\w+", text_of(doc["text"]).lower()))
    return out


@pytest.mark.slow
def test_search_results_show_date_and_decision_maker(site: Path) -> None:
    found = decision_search(site)
    project, _ = sample_entries()
    assert set(found) == {d.id for d in project.decisions}
    for d in project.decisions:
        shown = found[d.id]["shown"]
        assert d.title in shown and d.decision_maker in shown, d.id
        day = d.dates.published or d.dates.decision
        assert day.isoformat() in shown or d.dates.decision.strftime("%B %Y") in shown, d.id


@pytest.mark.slow
def test_a_word_from_a_purpose_finds_its_decision(site: Path) -> None:
    from generator.search import tokens

    found = decision_search(site)
    project, _ = sample_entries()
    for d in project.decisions:
        if not d.purpose:
            continue
        word = max(re.findall(r"[A-Za-z]{6,}", d.purpose), key=len)
        forms = {word.lower(), *tokens(word)}
        assert forms & found[d.id]["words"], (d.id, word)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("/")[0] for doc in index["docs"]}
    assert "browse" not in locations and "commissioning" not in locations

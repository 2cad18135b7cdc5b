# This module is the canary suite: it proves, on a real build, that exempt information reaches
# no published byte. The fixture (tests/data/leaks/) is built in private mode, where records
# may hold exempt content, with a unique token made only of [a-z0-9] in every exempt value:
# appendix bodies, descriptions, files and links, and an inline passage in every kind of prose
# field. Every output file is then read the way a reader or a crawler could (decompressed,
# JSON-decoded, tags stripped, entities decoded, normalised) by a scanner written here,
# independently of generator/guard.py, so that a bug in the guard cannot hide a leak from its
# own test. Positive controls prove the tokens reached the loaded records and that the scanner
# finds a token wherever one is planted, so the suite cannot pass by testing nothing. The
# channels are those of /work/shared/design/security.md.
from __future__ import annotations

import copy
import csv
import dataclasses
import gzip
import hashlib
import html
import io
import json
import logging
import re
import shutil
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import material
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.load import load_project
from generator.pipeline import Generated, generate
from generator.redact import marker_html, marker_text, redact_text, secrets_of
from generator.formats import CSV_COLUMNS
from generator.render import day
from generator.search import tokens as search_tokens
from generator.engines import mkdocs_build
from generator.write import manifest_problems, sync_docs, sync_theme

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "data" / "leaks"
AS_OF = "2026-11-22T10:00:00+00:00"
MOMENT = datetime.fromisoformat(AS_OF)
# Exempt values in the records ("ex"), files that must never be published whole or included
# ("ex" file content, "inc" include target), and public text that must be found ("pub").
FORBIDDEN = re.compile(r"qzx7(?:ex|inc)[a-z0-9]+")
PUBLIC = re.compile(r"qzx7pub[a-z0-9]+")
EXEMPT_FILE = "2026/appendix-qzx7exfilenamek9.txt"
HTML_LIKE = (".html", ".htm", ".xml", ".atom", ".rss", ".svg")
IMAGE_LIKE = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf", ".ico")


def fixture_tokens(pattern: re.Pattern[str]) -> frozenset[str]:
    found: set[str] = set()
    for path in FIXTURE.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".txt"):
            found.update(pattern.findall(path.read_text(encoding="utf-8")))
    return frozenset(found)


TOKENS = fixture_tokens(FORBIDDEN)
PUBLIC_TOKENS = fixture_tokens(PUBLIC)


def make_project(dest: Path, mode: str) -> Path:
    """A council project: the repository's settings, the fixture's records."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "site-data", dest / "site-data")
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(FIXTURE, dest, dirs_exist_ok=True)
    # mkdocs.yml names its hook (and watches the templates) by path from the project folder.
    (dest / "generator").symlink_to(REPO / "generator", target_is_directory=True)
    authority = dest / "site-data" / "authority.yml"
    text, n = re.subn(r"(?m)^source_repository:\s*\w+", f"source_repository: {mode}",
                      authority.read_text(encoding="utf-8"))
    assert n == 1, "site-data/authority.yml no longer has one `source_repository:` line"
    authority.write_text(text, encoding="utf-8")
    return dest


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@dataclasses.dataclass(frozen=True)
class Build:
    root: Path
    site: Path
    code: int
    out: str
    err: str
    log: tuple[str, ...]

    @property
    def printed(self) -> str:
        return "\n".join((self.out, self.err, *self.log))


def run(root: Path, command: str, site: Path | None = None) -> Build:
    """`python -m generator <command>` in-process, with everything it printed and logged."""
    out, err, log = io.StringIO(), io.StringIO(), _Collect()
    argv = ["--root", str(root), command, "--as-of", AS_OF]
    if site is not None and command == "build":
        argv += ["--site-dir", str(site)]
    logging.getLogger().addHandler(log)
    try:
        code = main(argv, out=out, err=err)
    finally:
        logging.getLogger().removeHandler(log)
    return Build(root, site or root / "site", code, out.getvalue(), err.getvalue(),
                 tuple(log.lines))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = make_project(tmp_path_factory.mktemp("leaks") / "project", "private")
    result = run(root, "build", root.parent / "site")
    assert result.code == 0, result.printed
    return result


@pytest.fixture(scope="session")
def generated(built: Build) -> Generated:
    g = generate(built.root, MOMENT)
    assert g.ok
    return g


# ---------------------------------------------------------------------------------------------
# The scanner: written here, independently of generator/guard.py


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


def json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        yield html.unescape(re.sub(r"<[^>]*>", "", value))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def readings(name: str, raw: bytes) -> Iterator[str]:
    """The file as bytes, and as every kind of reader would read it."""
    yield raw.decode("latin-1")  # every byte as it is, whatever the encoding
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
        name = name[:-3]
        yield raw.decode("latin-1")
    text = raw.decode("utf-8", errors="replace")
    yield text
    if name.endswith(".json"):
        yield "\n".join(json_strings(json.loads(text)))
    if name.endswith(HTML_LIKE):
        yield html.unescape(re.sub(r"<[^>]*>", "", text))
        yield html.unescape(text)
    if name.endswith(".ics"):
        unfolded = re.sub(r"\r\n[ \t]", "", text)
        yield re.sub(r"\\(.)", r"\1", unfolded)
    if name.endswith(".csv"):
        yield "\n".join(cell for row in csv.reader(io.StringIO(text)) for cell in row)


def tokens_in(name: str, raw: bytes, tokens: frozenset[str]) -> set[str]:
    return {t for text in readings(name, raw) for t in tokens if t in normalise(text)}


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def scan(site: Path, tokens: frozenset[str]) -> dict[str, set[str]]:
    """file -> the tokens found in it."""
    hits = {name: tokens_in(name, raw, tokens) for name, raw in site_files(site).items()}
    return {name: found for name, found in hits.items() if found}


def page_url(md_path: str) -> str:
    stem = md_path[:-3]
    if stem == "index":
        return ""
    return stem[:-len("index")] if stem.endswith("/index") else f"{stem}/"


def planned_pages(g: Generated) -> set[str]:
    return {page_url(o.path) for o in g.outputs if o.path.endswith(".md")}


def html_pages(site: Path) -> dict[str, str]:
    return {name: raw.decode("utf-8") for name, raw in site_files(site).items()
            if name.endswith(".html")}


# ---------------------------------------------------------------------------------------------
# Positive controls: the tokens are real, and the scanner finds them


def test_every_exempt_token_reached_the_loaded_records_as_exempt(tmp_path: Path) -> None:
    loaded = load_project(make_project(tmp_path / "p", "private"))
    assert loaded.project is not None, [str(p) for p in loaded.problems]
    secrets = [s for d in loaded.project.decisions for s in secrets_of(d)]
    in_records = {t for t in TOKENS if not t.startswith(("qzx7inc", "qzx7exfilecontent"))}
    assert len(in_records) >= 35
    for token in sorted(in_records):
        assert any(token in s.text for s in secrets), f"{token} never reached the model"
    # The exempt file is real, and only an exempt appendix points at it.
    assert "qzx7exfilecontentk9" in (tmp_path / "p" / "decisions" / EXEMPT_FILE).read_text()
    links = [(a.file, a.exempt is not None) for d in loaded.project.decisions
             for a in d.appendices if a.file]
    links += [(x.file, False) for d in loaded.project.decisions
              for x in (*d.documents, *d.background_papers) if x.file]
    assert (EXEMPT_FILE, True) in links and (EXEMPT_FILE, False) not in links
    # The include target exists and a public field names it.
    assert "qzx7incincludedfilek9" in (tmp_path / "p" / "include-target.txt").read_text()
    public = next(d for d in loaded.project.decisions if d.id == "leak-control-public")
    assert '--8<-- "include-target.txt"' in (public.purpose or "")


@pytest.mark.slow
def test_the_scanner_finds_public_tokens_in_every_channel(built: Build) -> None:
    hits = scan(built.site, PUBLIC_TOKENS)
    assert PUBLIC_TOKENS == {"qzx7pubpurposek9", "qzx7pubdecisionk9", "qzx7pubfilecontentk9"}
    for name in ("decisions/leak-control-public/index.html", "decisions.json", "decisions.csv"):
        assert {"qzx7pubpurposek9", "qzx7pubdecisionk9"} <= hits.get(name, set()), name

    def under(folder: str) -> set[str]:
        return {t for name, found in hits.items() if name.startswith(folder) for t in found}

    # The decision search index: its word shards, and its result cards (which show purposes).
    assert {"qzx7pubpurposek9", "qzx7pubdecisionk9"} <= under("search/decisions/t/")
    assert "qzx7pubpurposek9" in under("search/decisions/d/")
    assert "qzx7pubpurposek9" in under("feed")  # the Atom feeds, wherever they are
    assert hits["files/2026/public-paper.txt"] == {"qzx7pubfilecontentk9"}


@pytest.mark.slow
def test_the_scanner_finds_a_token_however_an_output_disguises_it(built: Build,
                                                                   tmp_path: Path) -> None:
    token = "qzx7explantedk9"
    files = site_files(built.site)
    sitemap = files["sitemaps/pages-1.xml"].replace(
        b"</urlset>", f"<url><loc>https://x/{token}/</loc></url></urlset>".encode())
    index = json.loads(files["search/search_index.json"])
    index["docs"][0]["text"] += " PLANTED"
    planted = {
        # Compressed, as a theme's sitemap.xml.gz is.
        "sitemap.xml.gz": gzip.compress(sitemap),
        # A \u escape and markup inside a JSON string, as in the search index.
        "search/search_index.json": json.dumps(index).encode().replace(
            b"PLANTED", b"qzx7\\u0065x<strong>plan</strong>tedk9"),
        # A character reference, capitals and a line break in a page.
        "index.html": files["index.html"].replace(
            b"</article>", b"<p>QZX7EX&#80;LANTED\nk9</p></article>"),
        # A folded calendar line.
        "calendar/x.ics": b"SUMMARY:A long line ending qzx7expla\r\n ntedk9\r\n",
    }
    for name, raw in planted.items():
        assert token not in raw.decode("latin-1"), name  # each is disguised
        assert tokens_in(name, raw, frozenset({token})) == {token}, name


# ---------------------------------------------------------------------------------------------
# No token anywhere


@pytest.mark.slow
def test_no_exempt_token_reaches_any_published_byte(built: Build) -> None:
    files = site_files(built.site)
    assert len(files) > 100  # the theme's assets and our pages, feeds and exports
    assert scan(built.site, TOKENS) == {}


@pytest.mark.slow
def test_no_exempt_token_reaches_the_build_output_or_log(built: Build) -> None:
    assert "Built 3 decisions" in built.out
    assert built.log, "the MkDocs log was not captured"
    found = {t for t in TOKENS if t in normalise(built.printed)}
    assert found == set()


@pytest.mark.slow
def test_every_channel_was_scanned(built: Build, generated: Generated) -> None:
    names = set(site_files(built.site))
    channels = {"404.html", "sitemap.xml", "sitemaps/pages-1.xml", "search/search_index.json",
                "decisions.json", "decisions.csv", "calendar/leak-canary-cabinet.ics",
                "calendar/call-in-deadlines.ics", "decisions/leak-canary-cabinet/index.html",
                "decisions/leak-canary-officer/index.html", "exemptions-review/index.html",
                "call-in/index.html", "index.html"}
    assert channels <= names
    # Feeds and any other data file the generator plans are all built, so all scanned.
    data = {o.path for o in generated.outputs if not o.path.endswith(".md")}
    assert data <= names
    feeds = {n for n in names if n.endswith((".xml", ".atom", ".rss")) and "sitemap" not in n}
    assert feeds == {n for n in data if n.endswith((".xml", ".atom", ".rss"))}


# ---------------------------------------------------------------------------------------------
# What is published instead: the notice and the markers


@pytest.mark.slow
def test_exempt_appendices_and_passages_are_replaced_by_notices(built: Build) -> None:
    page = html_pages(built.site)["decisions/leak-canary-cabinet/index.html"]
    assert "Appendix 2 - Offers received" in page and "Appendix 3 - Legal advice" in page
    assert page.count("Not for publication") == 2
    assert "Paragraph 3: Information relating to the financial or business affairs" in page
    assert "Paragraph 5: Information in respect of which a claim to legal professional" in page
    assert page.count(marker_html(("3",))) >= 15
    assert marker_html(("1",)) in page and marker_html(("3", "5")) not in page
    assert "EXEMPT" not in page and "\x00" not in page and "\ue000" not in page
    data = json.loads((built.site / "decisions.json").read_text(encoding="utf-8"))
    cabinet = next(d for d in data["decisions"] if d["id"] == "leak-canary-cabinet")
    assert cabinet["redactions"] == page.count('class="exempt-redaction"')
    assert "[exempt information withheld under paragraph 3]" in cabinet["purpose"]


# ---------------------------------------------------------------------------------------------
# The channels, one by one


@pytest.mark.slow
def test_search_indexes_hold_no_excluded_page_and_no_token(built: Build) -> None:
    # The theme's index holds the pages that are not excluded from search; decisions are
    # searched through the generator's own index (search/decisions/), built from public text.
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for excluded in ("call-in/", "exemptions-review/", ""):
        assert excluded not in locations
    assert not {t for t in TOKENS if t in normalise(json.dumps(index, ensure_ascii=False))}
    shards = sorted((built.site / "search/decisions/t").glob("*.json"))
    indexed = {word for shard in shards for word in json.loads(shard.read_text("utf-8"))}
    assert {"qzx7pubpurposek9", "eastfield", "exempt", "withheld"} <= indexed
    assert not {w for w in indexed if FORBIDDEN.search(w)}
    cards = json.loads((built.site / "search/decisions/d/0.json").read_text("utf-8"))
    assert sorted(card[0] for card in cards) == ["leak-canary-cabinet", "leak-canary-officer",
                                                 "leak-control-public"]


@pytest.mark.slow
def test_sitemaps_list_exactly_the_planned_pages(built: Build, generated: Generated) -> None:
    site_url = yaml.safe_load((built.root / "mkdocs.yml").read_text())["site_url"]
    expected = {site_url + url for url in planned_pages(generated)}
    index = (built.site / "sitemap.xml").read_text(encoding="utf-8")
    assert re.findall(r"<loc>([^<]*)</loc>", index) == [site_url + "sitemaps/pages-1.xml"]
    raw = (built.site / "sitemaps" / "pages-1.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<loc>([^<]*)</loc>", raw)) == expected
    assert not (built.site / "sitemap.xml.gz").exists()  # the engine's, listing only shells


@pytest.mark.slow
def test_pages_outside_the_navigation_are_only_planned_ones(built: Build,
                                                           generated: Generated) -> None:
    built_pages = {page_url(name[:-len("index.html")] + "index.md")
                   for name in html_pages(built.site) if name != "404.html"}
    assert built_pages == planned_pages(generated)


@pytest.mark.slow
def test_page_heads_carry_only_site_wide_text(built: Build) -> None:
    config = yaml.safe_load((built.root / "mkdocs.yml").read_text())
    for name, page in html_pages(built.site).items():
        head = page.split("</head>")[0]
        descriptions = re.findall(r'<meta name="description" content="([^"]*)"', head)
        assert [html.unescape(d) for d in descriptions] == [config["site_description"]], name
        assert 'property="og:' not in head and 'name="twitter:' not in head, name
        assert 'name="author"' not in head, name


@pytest.mark.slow
def test_no_edit_or_view_source_links(built: Build) -> None:
    config = yaml.safe_load((built.root / "mkdocs.yml").read_text())
    assert "repo_url" not in config and not config.get("edit_uri")
    for name, page in html_pages(built.site).items():
        hrefs = re.findall(r'href="([^"]*)"', page)
        assert not [h for h in hrefs if "/edit/" in h or "/raw/" in h or "/blob/" in h], name


@pytest.mark.slow
def test_only_planned_files_are_published(built: Build, generated: Generated) -> None:
    assert manifest_problems(built.site, generated.outputs) == ()
    files = site_files(built.site)
    assert sorted(n for n in files if n.startswith("files/")) == ["files/2026/public-paper.txt"]
    exempt = (FIXTURE / "decisions" / EXEMPT_FILE).read_bytes()
    assert not [n for n, raw in files.items() if exempt in raw]
    assert not [n for n in files if "qzx7" in n or n.endswith((".yaml", ".yml"))]


@pytest.mark.slow
def test_a_stray_file_in_the_docs_folder_is_never_published(built: Build,
                                                            tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", "private")
    g = generate(root, MOMENT)
    docs = root / "build" / "docs"
    stray = "decisions/leak-canary-cabinet.yaml"
    # A stray left in build/docs before a build is removed when the docs folder is synced.
    (docs / "decisions").mkdir(parents=True)
    shutil.copy2(root / "decisions/2026/leak-canary-cabinet.yaml", docs / stray)
    sync_docs(docs, g.outputs)
    sync_theme(root)
    assert not (docs / stray).exists()
    # One that gets in after the sync is copied by MkDocs, and the manifest check refuses it.
    shutil.copy2(root / "decisions/2026/leak-canary-cabinet.yaml", docs / stray)
    site = tmp_path / "site"
    problems, _ = mkdocs_build(root, site)
    assert problems == ()
    assert (site / stray).is_file()  # the channel is real: MkDocs published the record
    (site / "sitemap.xml.gz").unlink()  # as the build does: the engine's lists only shells
    found = manifest_problems(site, g.outputs)
    assert [str(p) for p in found] == [
        f"site/{stray}: this file was not planned by the generator, so it may publish "
        "something unreviewed; remove it from build/docs and overrides/."]


@pytest.mark.slow
def test_article_bodies_carry_no_html_comments(built: Build) -> None:
    for name, page in html_pages(built.site).items():
        articles = re.findall(r"<article\b.*?</article>", page, re.S)
        assert articles, name
        assert not [a for a in articles if "<!--" in a], name


@pytest.mark.slow
def test_exports_carry_only_the_allowlisted_fields(built: Build) -> None:
    data = json.loads((built.site / "decisions.json").read_text(encoding="utf-8"))
    for d in data["decisions"]:
        for notice in d["exempt_appendices"]:
            assert set(notice) == {"title", "paragraphs", "public_interest", "review_date"}
            for p in notice["paragraphs"]:
                assert set(p) == {"paragraph", "description"}
        titles = [a["title"] for a in d["appendices"]]
        assert not [t for t in titles if t in {"Appendix 2 - Offers received",
                                               "Appendix 3 - Legal advice",
                                               "Appendix A - Household assessment"}]
    with (built.site / "decisions.csv").open(encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == CSV_COLUMNS


@pytest.mark.slow
def test_calendars_carry_no_prose(built: Build) -> None:
    text = (built.site / "calendar/leak-canary-cabinet.ics").read_text(encoding="utf-8")
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    assert "SUMMARY:Call-in deadline: Sale of the Eastfield depot site" in unfolded
    assert "exempt" not in unfolded.casefold()


@pytest.mark.slow
def test_template_and_include_syntax_in_a_record_renders_literally(built: Build) -> None:
    page = html_pages(built.site)["decisions/leak-control-public/index.html"]
    article = html.unescape(re.sub(r"<[^>]*>", "", page.split("<article")[1]))
    assert "Template syntax stays text: {{ config }} and {% raw %}x{% endraw %}." in article
    assert '--8<-- "include-target.txt"' in article
    assert "docs_dir" not in page and "site_description" not in page
    assert "qzx7incincludedfilek9" not in normalise(article)


@pytest.mark.slow
def test_no_social_cards_and_no_images_made_from_text(built: Build) -> None:
    config = yaml.safe_load((built.root / "mkdocs.yml").read_text())
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])]
    assert "social" not in plugins and "material/social" not in plugins
    assert not (built.site / "assets/images/social").exists()
    # Every image is a file shipped by the theme or our overrides, byte for byte.
    shipped = {hashlib.sha256(p.read_bytes()).hexdigest()
               for folder in (Path(material.__file__).parent, REPO / "generator/overrides")
               for p in folder.rglob("*") if p.is_file()}
    for name, raw in site_files(built.site).items():
        if name.endswith(IMAGE_LIKE) and not name.startswith("files/"):
            assert hashlib.sha256(raw).hexdigest() in shipped, name


# ---------------------------------------------------------------------------------------------
# Refusals: a public repository, and a newcomer defeating the redaction


def test_a_public_repository_refuses_exempt_content_without_quoting_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", "public")
    for command in ("check", "build"):
        result = run(root, command, tmp_path / "site")
        assert result.code == 1
        assert {t for t in TOKENS | PUBLIC_TOKENS if t in normalise(result.printed)} == set()
        lines = result.err.splitlines()
        cabinet = [line for line in lines
                   if line.startswith("decisions/2026/leak-canary-cabinet.yaml:")]
        assert any(": appendices[2]: is exempt (paragraph 3, 5)" in line
                   and "`body`, `description`, `file`" in line and "repository" in line
                   for line in cabinet)
        assert any(": appendices[3]: is exempt (paragraph 5)" in line and "`url`" in line
                   for line in cabinet)
        assert any(": purpose: marks a passage exempt" in line and "repository" in line
                   for line in cabinet)
    assert "Nothing was written." in result.err
    assert not (tmp_path / "site").exists()


@pytest.mark.slow
def test_pasting_an_exempt_passage_into_public_text_fails_the_build(built: Build,
                                                                     tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", "private")
    record = root / "decisions/2026/leak-canary-cabinet.yaml"
    source = record.read_text(encoding="utf-8")
    # The newcomer copies the withheld reason into the purpose, outside any marker.
    pasted = source.replace("purpose: >-\n  To sell the former Eastfield depot for housing.",
                            "purpose: >-\n  To sell the former Eastfield depot for housing. "
                            "The bidder's funding qzx7eximplriskk9 is unconfirmed.")
    assert pasted != source
    record.write_text(pasted, encoding="utf-8")
    site = tmp_path / "site"
    shutil.copytree(built.site, site)
    before = {name: hashlib.sha256(raw).hexdigest() for name, raw in site_files(site).items()}

    result = run(root, "build", site)

    assert result.code == 1
    assert "Build failed; site/ was left as it was." in result.err
    leaks = [line for line in result.err.splitlines() if "exempt information from" in line]
    assert ("site/decisions/leak-canary-cabinet/index.html: leak-canary-cabinet: "
            "implications.risk: exempt information from this field appears in this output"
            in "\n".join(leaks))
    assert any(line.startswith("site/decisions.json: leak-canary-cabinet: implications.risk:")
               for line in leaks)
    assert {t for t in TOKENS if t in normalise(result.printed)} == set()
    assert "funding" not in result.printed
    after = {name: hashlib.sha256(raw).hexdigest() for name, raw in site_files(site).items()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]


# ---------------------------------------------------------------------------------------------
# The mutation property: marking something exempt only ever removes output

LIBRARY: dict[str, Any] = {
    "title": "Library opening hours review",
    "decision_maker": "Cabinet Member for Culture, Leisure and Libraries",
    "decision_type": "cabinet-member",
    "status": "approved",
    "key_decision": False,
    "portfolio": "Culture, Leisure and Libraries",
    "wards": ["Abbey"],
    "dates": {"decision": "2026-11-09", "published": "2026-11-10"},
    "call_in": {"applies": True},
    "purpose": "To set new opening hours for the central library after its refurbishment, "
               "and to confirm the hours of the branch libraries in Abbey and Castle.",
    "decision": [
        "To open the central library from 9am to 7pm on weekdays, late on Thursdays.",
        "To keep **branch** hours unchanged until the April 2027 review.",
    ],
    "reasons": [
        "Visitor counts rose by a fifth after the refurbishment, mostly after 5pm.",
        "The staffing budget allows one late evening without new posts.",
    ],
    "alternatives": [{
        "title": "Open every weekday evening",
        "outcome": "rejected",
        "description": "Late opening on every weekday, staffed by agency workers.",
        "reasons": ["It would need four new posts costing about 120,000 pounds a year."],
        "pros": ["Evening visitors would be served every day."],
        "cons": ["The cost exceeds the *agreed* staffing budget for 2027."],
    }],
    "implications": {
        "financial": "Met from the existing library staffing budget of 2.1 million pounds.",
        "equality": "Later hours help working parents and students; see the assessment.",
    },
    "appendices": [
        {"title": "Appendix 1 - Visitor counts", "file": "2026/visitor-counts.txt",
         "description": "Monthly visitor counts for 2025 and 2026, by library and hour."},
        {"title": "Appendix 2 - Staffing model",
         "url": "https://democracy.example.gov.uk/documents/staffing-model.pdf",
         "description": "The proposed rota, with the posts affected at each library."},
    ],
    "implementation": "The new hours start on 5 January 2027 after notice to staff.",
    "interests_declared": "No interests were declared by the Cabinet Member.",
}
RECORD = "decisions/2026/library-opening-hours.yaml"
PROSE = [("purpose",), ("decision", 0), ("decision", 1), ("reasons", 0), ("reasons", 1),
         ("alternatives", 0, "description"), ("alternatives", 0, "reasons", 0),
         ("alternatives", 0, "pros", 0), ("alternatives", 0, "cons", 0),
         ("implications", "financial"), ("implications", "equality"),
         ("appendices", 0, "description"), ("appendices", 1, "description"),
         ("implementation",), ("interests_declared",)]
EXEMPTION = {"paragraph": 3, "review_date": "2027-03-31",
             "public_interest": "Publishing the rota before staff are consulted would "
                                "prejudice the consultation."}
WORD = re.compile(r"\w+")


def words(text: str) -> set[str]:
    return set(WORD.findall(text.casefold()))


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mutation")
    shutil.copytree(REPO / "site-data", root / "site-data")
    authority = root / "site-data" / "authority.yml"
    authority.write_text(re.sub(r"(?m)^source_repository:\s*\w+", "source_repository: private",
                                authority.read_text(encoding="utf-8")), encoding="utf-8")
    (root / "decisions/2026").mkdir(parents=True)
    (root / "decisions/2026/visitor-counts.txt").write_text("Visitor counts by month.\n")
    return root


@pytest.fixture(scope="module")
def library_before(library: Path) -> dict[str, str]:
    return outputs_for(library, LIBRARY)


@pytest.fixture(scope="module")
def library_settings(library: Path) -> tuple[dict[str, str], str]:
    """The exempt-information table, and the glossary's site-wide words (the notice links its
    terms to their definitions)."""
    loaded = load_project(library)
    assert loaded.project is not None
    authority = loaded.project.authority
    glossary = " ".join(f"{t.id} {t.term} {t.definition}" for t in authority.glossary)
    return dict(authority.exempt_table), glossary


def outputs_for(root: Path, record: dict[str, Any]) -> dict[str, str]:
    (root / RECORD).write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    g = generate(root, MOMENT)
    assert g.ok, [str(p) for p in g.problems]
    return {o.path: o.content.decode("utf-8") for o in g.outputs}


def get(record: dict[str, Any], path: tuple[Any, ...]) -> str:
    value: Any = record
    for key in path:
        value = value[key]
    return str(value)


def put(record: dict[str, Any], path: tuple[Any, ...], text: str) -> None:
    target: Any = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = text


def allowed_words(record: dict[str, Any], settings_: tuple[dict[str, str], str],
                  passages: int) -> set[str]:
    """What marking something exempt may add: the markers and notices, and nothing else."""
    table, glossary = settings_
    templates = REPO / "generator" / "templates"
    decision = (templates / "decision.html.j2").read_text(encoding="utf-8")
    notice = re.search(r"\{% for n in e\.public\.notices %\}.*?</section>", decision, re.S)
    assert notice, "decision.html.j2 no longer has the exempt notice loop this test reads"
    review = (templates / "exemptions-review.md.j2").read_text(encoding="utf-8")
    when = date.fromisoformat(EXEMPTION["review_date"])
    return words(" ".join([
        notice.group(), review, marker_html(("3",)),
        marker_text(redact_text("[[exempt 3]]x[[/exempt]]")),
        table["3"], glossary, EXEMPTION["public_interest"], day(when),
        when.isoformat(), record["title"], "decisions",
        *(a["title"] for a in record["appendices"]),
        "exempt_appendices title paragraphs paragraph description public_interest review_date",
        str(passages),
    ]))


# Each example runs the whole pipeline, so shrinking a failure would take minutes; the failure
# message already names the file and the words it gained, which is what a fix needs.
@settings(max_examples=8, deadline=None, derandomize=True,
          phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_marking_anything_exempt_only_removes_output(library: Path, library_before: dict[str, str],
                                                     library_settings: tuple[dict[str, str], str],
                                                     data: st.DataObject) -> None:
    before = library_before
    record = copy.deepcopy(LIBRARY)
    n_appendices = data.draw(st.sets(st.sampled_from([0, 1]), max_size=2), label="appendices")
    for i in n_appendices:
        record["appendices"][i]["exempt"] = dict(EXEMPTION)
    fields = data.draw(st.lists(st.sampled_from(PROSE), unique=True, max_size=3), label="fields")
    if not n_appendices and not fields:
        fields = [PROSE[0]]
    passages = 0
    for path in fields:
        text = get(record, path)
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        first = data.draw(st.integers(0, len(spans) - 1), label="first word")
        last = data.draw(st.integers(first, len(spans) - 1), label="last word")
        # A passage must be long enough for the guard to check (validate refuses shorter).
        while len(normalise(text[spans[first][0]:spans[last][1]])) < 8:
            first, last = (first, last + 1) if last + 1 < len(spans) else (first - 1, last)
        start, end = spans[first][0], spans[last][1]
        put(record, path, f"{text[:start]}[[exempt 3]]{text[start:end]}[[/exempt]]{text[end:]}")
        passages += 1
    after = outputs_for(library, record)
    assert after != before
    allowed = allowed_words(record, library_settings, passages)
    allowed |= set(search_tokens(" ".join(allowed)))  # the search index folds plurals
    # Only the search index may gain a file: a shard for a word of the marker's wording.
    added_files = set(after) - set(before)
    assert all(n.startswith(SHARDS) for n in added_files), f"added {sorted(added_files)}"
    for name, text in after.items():
        added = words(view(name, text)) - words(view(name, before.get(name, ""))) - allowed
        assert added == set(), f"{name} gained {sorted(added)}"


SHARDS = "search/decisions/t/"


def view(name: str, text: str) -> str:
    """What a file says, as words: a search shard's words are its keys (the values are
    postings, base-36 numbers), and the search manifest holds only counts and a build hash."""
    if not text:
        return ""
    if name.startswith(SHARDS):
        return " ".join(json.loads(text))
    if name == "search/decisions/index.json":
        return ""
    return text


# ---------------------------------------------------------------------------------------------
# Fragments: a name, a price, a code or a sentence of exempt text pasted into a public field
# (generator/fragments.py)

CABINET = "decisions/2026/leak-canary-cabinet.yaml"
CONTROL = "decisions/2026/leak-control-public.yaml"
BODY_ROW = "      | qzx7exappbodyk9 Homes Ltd | 2,100,000 |\n"
SENTENCE = "the preferred bidder agreed to start work on the site within six months"


def fragment_build(tmp_path: Path, edits: list[tuple[str, str, str]]) -> tuple[int, str]:
    """The leak fixture with the exempt appendix's body extended, then `edits` applied; the
    build's status and everything it printed."""
    root = make_project(tmp_path / "fragments", "private")
    body = (f"{BODY_ROW}\n      Kellaway Partnership offered £1,234,567 under reference "
            f"QZB-88231. Also {SENTENCE}.\n")
    for name, old, new in [(CABINET, BODY_ROW, body), *edits]:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = main(["--root", str(root), "build", "--as-of", MOMENT.isoformat()], out=out,
                  err=err)
    return status, out.getvalue() + err.getvalue()


PASTES = {
    "a code word into the same record's purpose": (
        CABINET, "To sell the former Eastfield depot for housing.",
        "To sell the former Eastfield depot for housing (qzx7exappbodyk9)."),
    "a price into another record": (
        CONTROL, "To review opening hours (qzx7pubpurposek9).",
        "To review opening hours (qzx7pubpurposek9) at £1,234,567."),
    "a bidder's name into another record": (
        CONTROL, "To review opening hours (qzx7pubpurposek9).",
        "To review opening hours (qzx7pubpurposek9) with Kellaway."),
    "a reference into another record": (
        CONTROL, "To review opening hours (qzx7pubpurposek9).",
        "To review opening hours (qzx7pubpurposek9), see QZB-88231."),
    "an eight-word run into another record": (
        CONTROL, "To review opening hours (qzx7pubpurposek9).",
        "To review opening hours (qzx7pubpurposek9); agreed to start work on the site "
        "within six months."),
}


@pytest.mark.slow
@pytest.mark.parametrize("paste", sorted(PASTES))
def test_a_pasted_fragment_of_exempt_text_stops_the_build(tmp_path: Path, paste: str) -> None:
    name, old, new = PASTES[paste]
    status, printed = fragment_build(tmp_path, [(name, old, new)])
    assert status == 1, printed
    assert "leak-canary-cabinet: appendices[2].body: exempt information" in printed
    page = "leak-canary-cabinet" if name == CABINET else "leak-control-public"
    assert f"site/decisions/{page}/index.html: leak-canary-cabinet: appendices[2].body" in printed
    # The message names the record and field; it repeats none of the exempt text.
    for fragment in ("qzx7exappbodyk9", "1,234,567", "Kellaway", "QZB-88231", SENTENCE[:20],
                     "start work on the site"):
        assert fragment not in printed


@pytest.mark.slow
def test_ordinary_words_shared_with_exempt_text_are_not_a_leak(tmp_path: Path) -> None:
    # The exempt body and the public text share words (the bidder, the site, months, the
    # council's own names and round sums), but no name, code, figure or eight-word run.
    status, printed = fragment_build(tmp_path, [(
        CONTROL, "To review opening hours (qzx7pubpurposek9).",
        "To review opening hours (qzx7pubpurposek9): the preferred bidder for the site "
        "agreed terms within months, in 2026, for £2,100,000 under policy 3.")])
    assert status == 0, printed


def test_each_record_keeps_its_ordinary_words_once_and_shares_their_strings(
        tmp_path: Path) -> None:
    # Every record's words are kept for the next build; as sets of strings of their own they
    # took about 500 MB at 20,000 records, inherited by every worker (benchmarks/NOTES.md).
    from generator.cli import _as_of
    from generator.pipeline import prepare
    from sample_project import AS_OF, copy_project

    prepared = prepare(copy_project(tmp_path / "p"), _as_of(AS_OF))
    assert prepared.ok, prepared.problems
    seen: dict[str, str] = {}
    shared = 0
    for _, record_words in prepared.shares.values():
        for group in record_words:
            assert list(group) == sorted(set(group)), "each word once, in order"
            for word in group:
                shared += word in seen
                assert seen.setdefault(word, word) is word, f"{word!r} is a second string"
    assert shared > 100  # the sample's records do share many words

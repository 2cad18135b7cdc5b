"""Atom feeds (RFC 4287): valid, reproducible, built from the redacted records, advertised."""

from __future__ import annotations

import html as html_module
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from generator.browse import ALL_FEED, KEY_FEED, OPEN_FEED, SITE_FEEDS, browse_kinds
from generator.callin import State
from generator.feeds import FEED_SIZE, atom, changed_at
from generator.guard import normalise
from generator.pipeline import generate
from generator.redact import redact
from generator.site import entries_for
from portal_fixtures import CANARY, MOMENT, built_site, exempt_project, outputs, sample_generated
from sample_project import REPO

NS = {"a": "http://www.w3.org/2005/Atom"}
A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$")


def feeds() -> dict[str, bytes]:
    return {p: c for p, c in outputs().items() if p.startswith("feed-")}


def moment(text: str | None) -> datetime:
    assert text is not None and RFC3339.match(text), text
    return datetime.fromisoformat(text)


def check_atom(raw: bytes, site_url: str, path: str) -> ET.Element:
    """The checks RFC 4287 makes of a feed and its entries, as a validator would."""
    assert raw.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    feed = ET.fromstring(raw)
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):  # 4.1.1: exactly one of each
        assert len(feed.findall(f"a:{name}", NS)) == 1, name
    assert feed.findtext("a:id", namespaces=NS) == f"{site_url}{path}"
    moment(feed.findtext("a:updated", namespaces=NS))
    selves = [ln for ln in feed.findall("a:link", NS) if ln.get("rel") == "self"]
    assert [ln.get("href") for ln in selves] == [f"{site_url}{path}"]  # 4.1.1: SHOULD, we do
    alternates = [ln for ln in feed.findall("a:link", NS) if ln.get("rel") == "alternate"]
    assert len(alternates) == 1 and alternates[0].get("href", "").startswith(site_url)
    feed_author = feed.find("a:author/a:name", NS) is not None
    entries = feed.findall("a:entry", NS)
    ids = []
    for entry in entries:
        for name in ("id", "title", "updated"):  # 4.1.2
            assert len(entry.findall(f"a:{name}", NS)) == 1, name
        # 4.1.1: every entry has an author, or the feed has one
        assert feed_author or entry.find("a:author/a:name", NS) is not None
        # 4.1.2: an entry without content has an alternate link; ours have both
        content = entry.find("a:content", NS)
        assert content is not None and content.get("type") == "text" and content.text
        assert entry.find("a:link", NS) is not None
        assert moment(entry.findtext("a:updated", namespaces=NS)) <= moment(
            feed.findtext("a:updated", namespaces=NS))
        moment(entry.findtext("a:published", namespaces=NS))
        ids.append(entry.findtext("a:id", namespaces=NS))
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    return feed


def test_every_feed_is_valid_atom() -> None:
    site_url = sample_generated().project.authority.site_url
    made = feeds()
    assert {f.path for f in SITE_FEEDS} <= set(made)
    assert any(p.startswith("feed-ward-") for p in made)
    assert any(p.startswith("feed-decision-maker-") for p in made)
    for path, raw in made.items():
        feed = check_atom(raw, site_url, path)
        assert moment(feed.findtext("a:updated", namespaces=NS)) <= MOMENT


def test_a_broken_feed_fails_the_check() -> None:
    site_url = sample_generated().project.authority.site_url
    raw = feeds()[ALL_FEED.path]
    without_title = re.sub(rb"<entry>\s*<id>([^<]*)</id>\s*<title>[^<]*</title>",
                           rb"<entry><id>\1</id>", raw, count=1)
    assert without_title != raw
    with pytest.raises(AssertionError):
        check_atom(without_title, site_url, ALL_FEED.path)


def test_feeds_are_byte_for_byte_reproducible() -> None:
    again = generate(REPO, MOMENT)
    assert {o.path: o.content for o in again.outputs if o.path.startswith("feed-")} == feeds()


def entry_ids(raw: bytes) -> list[str]:
    feed = ET.fromstring(raw)
    return [e.findtext("a:id", namespaces=NS) or "" for e in feed.findall("a:entry", NS)]


def sample():
    project = sample_generated().project
    table = dict(project.authority.exempt_table)
    return project, entries_for(project, tuple(redact(d, table) for d in project.decisions),
                                MOMENT)


def test_each_feed_holds_what_it_says() -> None:
    project, entries = sample()
    url = project.authority.site_url
    by_url = {f"{url}{e.url}": e for e in entries}
    key = [by_url[i] for i in entry_ids(feeds()[KEY_FEED.path])]
    assert key and all(e.d.key_decision for e in key)
    assert len(key) == min(FEED_SIZE, sum(e.d.key_decision for e in entries))
    opened = [by_url[i] for i in entry_ids(feeds()[OPEN_FEED.path])]
    assert opened == [e for e in opened if e.callin.status.state is State.OPEN]
    assert {e.d.id for e in opened} == {e.d.id for e in entries
                                        if e.callin.status.state is State.OPEN}
    assert opened, "the sample has a decision open for call-in on the test date"
    abbey = [by_url[i] for i in entry_ids(feeds()["feed-ward-abbey.xml"])]
    assert abbey and all("all" in e.d.wards or "Abbey" in e.d.wards for e in abbey)
    hawthorn = {by_url[i].d.id for i in entry_ids(feeds()["feed-ward-hawthorn.xml"])}
    assert "hawthorn-day-centre-reprovision" in hawthorn
    assert "budget-and-council-tax-2026-27" in hawthorn  # all wards
    cabinet = [by_url[i] for i in entry_ids(feeds()["feed-decision-maker-cabinet.xml"])]
    assert cabinet and all(e.d.decision_maker == "Cabinet" for e in cabinet)


def test_entries_are_newest_first_and_say_who_when_and_status() -> None:
    feed = ET.fromstring(feeds()[ALL_FEED.path])
    published = [moment(e.findtext("a:published", namespaces=NS))
                 for e in feed.findall("a:entry", NS)]
    assert published == sorted(published, reverse=True)
    project, entries = sample()
    e = next(x for x in entries if x.d.id == "carers-hub-procurement-strategy")
    entry = next(x for x in feed.findall("a:entry", NS)
                 if x.findtext("a:id", namespaces=NS).endswith(f"/{e.url}"))
    assert entry.findtext("a:title", namespaces=NS) == e.d.title
    assert entry.findtext("a:author/a:name", namespaces=NS) == e.d.decision_maker
    assert entry.findtext("a:content", namespaces=NS) == (
        "Decision of Deputy Leader (responsible for Children and Education), Thursday 4 December "
        "2025.\n"
        "Status: In force since Wednesday 10 December 2025.\n"
        "Key decision: yes. Wards: All wards.\n\n"
        "Procurement Strategy recommendation for recommission of contract that provides services "
        "to unpaid carers")
    # Its call-in period ended at the deadline; it took effect the next day: the last change.
    assert entry.findtext("a:updated", namespaces=NS) == "2025-12-10T00:00:00+00:00"


def test_a_feed_holds_at_most_the_newest_feed_size_entries() -> None:
    project, entries = sample()
    many = [replace(entries[0], public=replace(entries[0].public, decision=replace(
        entries[0].d, id=f"clone-{i}"))) for i in range(FEED_SIZE + 7)]
    raw = atom(ALL_FEED, many, project.authority, MOMENT, "browse/date/")
    assert len(entry_ids(raw)) == FEED_SIZE


def test_no_entry_claims_a_change_after_the_build_moment() -> None:
    _, entries = sample()
    for e in entries:
        assert changed_at(e, MOMENT) <= MOMENT
    # A decision still to be taken (published in December 2026) changed, at the latest, now.
    future = next(e for e in entries if e.d.id == "local-plan-regulation-19-publication")
    assert changed_at(future, MOMENT) == MOMENT
    assert changed_at(future, MOMENT + timedelta(days=60)) < MOMENT + timedelta(days=60)


def test_feeds_carry_only_the_redacted_text(tmp_path: Path) -> None:
    generated = generate(exempt_project(tmp_path / "project"), MOMENT)
    assert generated.ok, [str(p) for p in generated.problems]
    assert any(CANARY in s.text for s in generated.secrets)  # positive control
    made = {o.path: o.content for o in generated.outputs if o.path.startswith("feed-")}
    abbey = made["feed-ward-abbey.xml"].decode()
    assert "[exempt information withheld under paragraph 3] in its tender." in abbey
    for path, raw in made.items():
        assert normalise(CANARY) not in normalise(raw.decode()), path


def test_every_page_advertises_the_site_feeds() -> None:
    main = (REPO / "generator" / "overrides" / "main.html").read_text(encoding="utf-8")
    for feed in SITE_FEEDS:
        assert f"'{feed.path}' | url" in main


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)


def alternates(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" '
                      r'href="([^"]*)">', html)


@pytest.mark.slow
@pytest.mark.parametrize("page", ["index.html",
                                  "decisions/carers-hub-procurement-strategy/index.html",
                                  "commissioning/index.html", "404.html"])
def test_site_feeds_are_in_the_head_of_every_page(site: Path, page: str) -> None:
    html = (site / page).read_text(encoding="utf-8")
    head = html[:html.index("</head>")]
    found = alternates(head)
    assert len(found) == len(SITE_FEEDS)
    for _, href in found:
        if page != "404.html":  # 404.html is served at any depth, so its links are absolute
            feed = (site / page).parent.joinpath(href).resolve()
            assert feed.is_file(), href
            assert (feed.parent / "sitemap.xml").is_file(), href


@pytest.mark.slow
def test_a_ward_page_advertises_its_own_feed(site: Path) -> None:
    project, entries = sample()
    for kind in browse_kinds(project, entries):
        for group in kind.groups:
            if group.feed is None:
                continue
            page = site / group.url / "index.html"
            html = page.read_text(encoding="utf-8")
            own = [(t, h) for t, h in alternates(html[:html.index("</head>")])
                   if h.endswith(group.feed.path)]
            assert len(own) == 1, group.url
            title, href = own[0]
            assert html_module.unescape(title) == group.feed.title and "'" not in title
            feed = page.parent.joinpath(href).resolve()
            assert feed.is_file()
            # Material fetches sitemap.xml beside every rel=alternate link: it must be there.
            assert (feed.parent / "sitemap.xml").is_file()
            assert f'href="../../../{group.feed.path}" type="application/atom+xml"' in html

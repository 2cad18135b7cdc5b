# This module plans the ways into the decisions for a resident who arrives with a question
# ("what did the council decide about my ward, about carers?"): index pages by decision maker,
# portfolio, ward, type of decision maker, key decision and status, one landing page listing
# every way in, the glossary and the commissioning register (datapage.py plans the page that
# documents the open data). Every index is paginated (site.PAGE_SIZE) and excluded from search,
# so that no page grows with the number of records and search results lead to decisions, not
# to lists.
# Wards, portfolios and decision makers come from the lookup tables in site-data/, so each has
# a stable page (and feed) even before any decision names it.
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from generator.callin import LABELS, LONDON, State
from generator.model import DecisionType, Project
from generator import slug
from generator.labels import TYPE_WORDS
from generator.render import latest_end
from generator.site import PAGE_SIZE, Entry, Page, moment_shown, newest_first, paginate

BROWSE = "browse"
REGISTER_DIR = "commissioning"
GLOSSARY_PATH = "glossary/index.md"
# Feeds sit at the site's root, beside sitemap.xml: Material's script fetches "sitemap.xml"
# relative to every <link rel="alternate"> in a page head (it takes them for translations), so a
# feed in a folder would cost every page a request that ends in a 404.
FEED_PREFIX = "feed-"
ALL_WARDS = "all"


@dataclass(frozen=True, slots=True)
class Feed:
    """An Atom feed: where it is published and what it is called."""

    path: str
    title: str


# Site-wide feeds, advertised in the head of every page (generator/overrides/main.html).
ALL_FEED = Feed(f"{FEED_PREFIX}decisions.xml", "All decisions")
KEY_FEED = Feed(f"{FEED_PREFIX}key-decisions.xml", "Key decisions")
OPEN_FEED = Feed(f"{FEED_PREFIX}call-in-open.xml", "Decisions open for call-in")
SITE_FEEDS = (ALL_FEED, KEY_FEED, OPEN_FEED)


@dataclass(frozen=True, slots=True)
class Group:
    """One value of one way in: a ward, a decision maker, a status..."""

    kind: str
    slug: str
    name: str
    heading: str
    """The H1 of its page: "Decisions for Abbey ward"."""
    entries: tuple[Entry, ...]
    """The decisions filed under this value, newest first."""
    everywhere: tuple[Entry, ...] = ()
    """Ward pages only: decisions for all wards, which concern every ward too."""
    note: str | None = None
    feed: Feed | None = None

    @property
    def url(self) -> str:
        return f"{BROWSE}/{self.kind}/{self.slug}/"

    @property
    def count(self) -> int:
        return len(self.entries) + len(self.everywhere)

    def all_entries(self) -> list[Entry]:
        """Newest first, with all-wards decisions mixed in (what a ward's feed shows)."""
        return newest_first((*self.entries, *self.everywhere))


@dataclass(frozen=True, slots=True)
class Kind:
    """One way in: its pages live under browse/<slug>/."""

    slug: str
    title: str
    """As a link on the landing page: "By ward"."""
    heading: str
    """The H1 of its index page: "Decisions by ward"."""
    intro: str
    groups: tuple[Group, ...]
    glossary: str | None = None
    """The glossary entry that explains this way in."""

    @property
    def url(self) -> str:
        return f"{BROWSE}/{self.slug}/"


# ---------------------------------------------------------------------------------------------
# Slugs


def slugify(name: str) -> str:
    """A URL path segment of [a-z0-9-] for a name: "St Andrew's" -> "st-andrews"."""
    return slug.slugify(name) or "unnamed"


def slugs_for(names: Iterable[str]) -> dict[str, str]:
    """Unique slugs for names, in the order given: a later name that would collide gets -2..."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if name in out:
            continue
        base = slug = slugify(name)
        n = 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        out[name] = slug
    return out


def feed_for(kind: str, slug: str, title: str) -> Feed:
    return Feed(f"{FEED_PREFIX}{kind}-{slug}.xml", title)


# ---------------------------------------------------------------------------------------------
# The ways in


def browse_kinds(project: Project, entries: Sequence[Entry]) -> tuple[Kind, ...]:
    """Every way in, each with its groups of decisions (newest first). The browse pages and
    the data page both ask, for the same plan: the second is given the first's answer."""
    if _KINDS and _KINDS[0][0] is project and _KINDS[0][1] is entries:
        return _KINDS[0][2]
    kinds = _browse_kinds(project, entries)
    _KINDS[:] = [(project, entries, kinds)]  # held, so that neither identity can be reused
    return kinds


_KINDS: list[tuple[Project, Sequence[Entry], tuple[Kind, ...]]] = []


def _bucketed(latest: Sequence[Entry], names: Sequence[str],
              keys: Callable[[Entry], Iterable[str]]) -> dict[str, tuple[Entry, ...]]:
    """Each name's entries, in the order of `latest`: one pass over the entries, not one for
    each name (20 wards and 20,000 decisions were 400,000 tests)."""
    buckets: dict[str, list[Entry]] = {name: [] for name in names}
    for e in latest:
        for key in dict.fromkeys(keys(e)):
            found = buckets.get(key)
            if found is not None:
                found.append(e)
    return {name: tuple(found) for name, found in buckets.items()}


def _browse_kinds(project: Project, entries: Sequence[Entry]) -> tuple[Kind, ...]:
    auth = project.authority
    latest = newest_first(entries)

    def grouped(kind: str, names: Sequence[str], keys: Callable[[Entry], Iterable[str]],
                heading: str, notes: Mapping[str, str] | None = None, feeds: bool = False,
                titles: Mapping[str, str] | None = None) -> tuple[Group, ...]:
        slugs = slugs_for(names)
        members = _bucketed(latest, names, keys)
        groups = []
        for name in names:
            title = (titles or {}).get(name, name)
            groups.append(Group(
                kind, slugs[name], title, heading.format(title), members[name],
                note=(notes or {}).get(name),
                feed=feed_for(kind, slugs[name], heading.format(title)) if feeds else None))
        return tuple(groups)

    makers = [m.name for m in auth.decision_makers]
    # A record may name a maker the lookup table has since dropped; validate warns, and the
    # decision still needs a way in.
    makers += sorted({e.d.decision_maker for e in entries} - set(makers))
    portfolios = [p.name for p in auth.portfolios]
    portfolios += sorted({p for e in entries for p in e.d.portfolios} - set(portfolios))
    members = {p.name: f"Cabinet Member: {p.cabinet_member}" for p in auth.portfolios
               if p.cabinet_member}

    wards = list(auth.wards) + sorted(
        {w for e in entries for w in e.d.wards if w != ALL_WARDS} - set(auth.wards))
    ward_slugs = slugs_for(wards)
    everywhere = tuple(e for e in latest if ALL_WARDS in e.d.wards)
    in_ward = _bucketed(latest, wards, lambda e: e.d.wards)
    ward_groups = tuple(
        Group("ward", ward_slugs[w], w, f"Decisions for {w} ward", in_ward[w],
              everywhere=everywhere,
              feed=feed_for("ward", ward_slugs[w], f"Decisions for {w} ward"))
        for w in wards)

    type_names = {t.value: f"{TYPE_WORDS[t.value]} decisions" for t in DecisionType}
    return (
        Kind("decision-maker", "By decision maker", "Decisions by decision maker",
             "The Cabinet, each Cabinet Member, committees and officers take decisions. Choose "
             "one to see every decision it has taken, newest first.",
             grouped("decision-maker", makers, lambda e: (e.d.decision_maker,),
                     "Decisions of {}", feeds=True),
             "decision-maker"),
        Kind("portfolio", "By portfolio", "Decisions by portfolio",
             "Each Cabinet portfolio is an area of the council's work, such as housing or adult "
             "social care, with a Cabinet Member responsible for it.",
             grouped("portfolio", portfolios, lambda e: e.d.portfolios,
                     "Decisions in the {} portfolio", notes=members),
             "portfolio"),
        Kind("ward", "By ward", "Decisions by ward",
             "Choose your ward to see the decisions about it. Each ward's page also lists the "
             "decisions that affect every ward.",
             ward_groups, "ward"),
        Kind("type", "By type of decision maker", "Decisions by type of decision maker",
             "Decisions of the Cabinet, of single Cabinet Members, of committees and of officers "
             "acting under powers delegated to them.",
             grouped("type", [t.value for t in DecisionType],
                     lambda e: (e.d.decision_type.value,), "{}", titles=type_names),
             "decision-maker"),
        Kind("key-decision", "Key decisions", "Key decisions and other decisions",
             "A key decision spends or saves a significant amount, or significantly affects two or "
             "more wards; it must be announced on the forward plan in advance.",
             grouped("key-decision", ["key", "not-key"],
                     lambda e: ("key" if e.d.key_decision else "not-key",), "{}",
                     titles={"key": "Key decisions", "not-key": "Other decisions"}),
             "key-decision"),
        Kind("status", "By status", "Decisions by status",
             "Whether a decision has been made, can still be called in, is in force or has been "
             "called in, as each decision's badge showed when the site was built.",
             grouped("status", [s.value for s in State],
                     lambda e: (e.callin.status.state.value,), "Decisions: {}",
                     titles={s.value: LABELS[s] for s in State}),
             "call-in"),
    )


def group_feeds(kinds: Iterable[Kind]) -> list[Feed]:
    """Every per-value feed (decision makers, wards), in page order."""
    return [g.feed for k in kinds for g in k.groups if g.feed is not None]


# ---------------------------------------------------------------------------------------------
# Planners


def plan_browse(project: Project, entries: tuple[Entry, ...], as_of: datetime) -> Iterator[Page]:
    """browse/: the landing page, one index per way in, and each value's paginated list."""
    kinds = browse_kinds(project, entries)
    yield Page(f"{BROWSE}/index.md", "browse-index.md.j2", {
        "kinds": kinds, "count": len(entries), "site_feeds": SITE_FEEDS,
        "commissioning": sum(1 for e in entries if e.d.commissioning is not None),
    })
    for kind in kinds:
        shown = moment_shown(e for g in kind.groups for e in g.entries) \
            if kind.slug == "status" else None
        yield Page(f"{kind.url}index.md", "browse-kind.html.j2", {"kind": kind, "as_of": shown})
        for group in kind.groups:
            yield from _group_pages(kind, group)


def _group_pages(kind: Kind, group: Group) -> Iterator[Page]:
    combined = [*group.entries, *group.everywhere]
    own = len(group.entries)
    # Each page gets its own decisions and the group's counts, never the whole group or the
    # other groups: a page's cache key is what it shows (cache.py), so a changed record remakes
    # the one page of a list that shows it, not every page of every list of its kind.
    head = replace(kind, groups=())
    named = replace(group, entries=(), everywhere=())
    for number, chunk, pages in paginate(combined):
        # The group's own decisions come first, then those for all wards; a page may hold the
        # end of one list and the start of the other.
        start = (number - 1) * PAGE_SIZE
        split = max(0, min(len(chunk), own - start))
        suffix = "" if number == 1 else f"page-{number}/"
        yield Page(f"{group.url}{suffix}index.md", "browse-list.html.j2", {
            "kind": head, "group": named, "page": number, "pages": pages,
            "specific": chunk[:split], "everywhere": chunk[split:],
            "count": group.count, "about": own, "for_all_wards": len(group.everywhere),
            "as_of": moment_shown(chunk) if kind.slug == "status" else None,
        })


@dataclass(frozen=True, slots=True)
class Ending:
    """A commissioning decision with a contract end date in the next 12 months."""

    entry: Entry
    current_ends: date | None
    """`current_contract_ends`, when it falls in the window."""
    latest_end: date | None
    """The latest possible end of the new contract, when it falls in the window."""

    @property
    def soonest(self) -> date:
        return min(d for d in (self.current_ends, self.latest_end) if d is not None)


def year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def ending_within_a_year(entries: Iterable[Entry], as_of: datetime) -> list[Ending]:
    """Contracts that end, or must end at the latest, from the build's day to a year later."""
    today = as_of.astimezone(LONDON).date()
    last = year_after(today)

    def within(day: date | None) -> date | None:
        return day if day is not None and today <= day <= last else None

    out = []
    for e in entries:
        k = e.d.commissioning
        if k is None:
            continue
        ending = Ending(e, within(k.current_contract_ends), within(latest_end(k.term)))
        if ending.current_ends or ending.latest_end:
            out.append(ending)
    return sorted(out, key=lambda x: (x.soonest, x.entry.d.id))


def plan_register(project: Project, entries: tuple[Entry, ...], as_of: datetime) -> Iterator[Page]:
    """commissioning/: every commissioning decision in a sortable table, newest first."""
    # By date of decision, as the Decision column shows and its aria-sort says.
    rows = sorted((e for e in entries if e.d.commissioning is not None),
                  key=lambda e: (e.d.dates.decision, e.d.id), reverse=True)
    ending = ending_within_a_year(rows, as_of)
    today = as_of.astimezone(LONDON).date()
    for number, chunk, pages in paginate(rows):
        suffix = "" if number == 1 else f"page-{number}/"
        yield Page(f"{REGISTER_DIR}/{suffix}index.md", "register.md.j2", {
            "rows": chunk, "page": number, "pages": pages, "total": len(rows),
            "ending": ending if number == 1 else [], "window": (today, year_after(today)),
            "base": f"{REGISTER_DIR}/",
        })


def plan_glossary(project: Project, entries: tuple[Entry, ...], as_of: datetime) -> Iterator[Page]:
    """glossary/: every term in site-data/glossary.yml, A to Z."""
    terms = sorted(project.authority.glossary, key=lambda t: (t.term.casefold(), t.id))
    yield Page(GLOSSARY_PATH, "glossary.md.j2", {"terms": terms})

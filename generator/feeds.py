# This module writes the Atom feeds (RFC 4287) that let residents and councillors follow
# decisions without visiting the site: all decisions, key decisions, decisions open for call-in,
# and one per decision maker and per ward. Feeds are built from the public (redacted) decisions
# only, and are byte-for-byte the same for the same --as-of: no clock is read, entries are in a
# fixed order, and each `updated` is the last moment the records say the entry changed (its
# publication, a call-in event, the end of its call-in period, its taking effect), never "now".
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from feedgen.feed import FeedGenerator

from generator import __version__
from generator.browse import (
    ALL_FEED,
    KEY_FEED,
    OPEN_FEED,
    Feed,
    browse_kinds,
)
from generator.callin import LONDON, State
from generator.model import Authority, Project
from generator.render import Output, day, plain_text, when
from generator.site import Entry, newest_first

# Feed readers keep what they have fetched; a feed needs only the recent past.
FEED_SIZE = 50
ATOM_TYPE = "application/atom+xml"


def build_feeds(project: Project, entries: Sequence[Entry], as_of: datetime) -> list[Output]:
    """Every feed the site advertises, as data files."""
    auth = project.authority
    latest = newest_first(entries)
    out = [
        Output(ALL_FEED.path, atom(ALL_FEED, latest, auth, as_of, "browse/date/")),
        Output(KEY_FEED.path, atom(KEY_FEED, [e for e in latest if e.d.key_decision], auth,
                                   as_of, "browse/key-decision/key/")),
        Output(OPEN_FEED.path, atom(OPEN_FEED, [e for e in latest
                                                if e.callin.status.state is State.OPEN],
                                    auth, as_of, "call-in/")),
    ]
    for kind in browse_kinds(project, entries):
        for group in kind.groups:
            if group.feed is not None:
                out.append(Output(group.feed.path, atom(group.feed, group.all_entries(), auth,
                                                        as_of, group.url)))
    return out


def atom(feed: Feed, entries: Sequence[Entry], authority: Authority, as_of: datetime,
         page: str) -> bytes:
    """One Atom feed of the newest FEED_SIZE `entries` (already newest first)."""
    site = authority.site_url
    shown = list(entries[:FEED_SIZE])
    fg = FeedGenerator()
    fg.id(f"{site}{feed.path}")
    fg.title(f"{authority.short_name}: {feed.title}")
    fg.subtitle(f"Decisions of {authority.name}, newest first.")
    fg.author({"name": authority.name, "uri": site})
    fg.link(href=f"{site}{feed.path}", rel="self", type=ATOM_TYPE)
    fg.link(href=f"{site}{page}", rel="alternate", type="text/html")
    fg.language("en-GB")
    fg.generator("decision-site", version=__version__)
    fg.rights("Open Government Licence v3.0")
    stamps = [changed_at(e, as_of) for e in shown]
    fg.updated(max(stamps) if stamps else as_of)
    for e, stamp in zip(shown, stamps, strict=True):
        d = e.d
        fe = fg.add_entry(order="append")
        fe.id(f"{site}{e.url}")
        fe.title(d.title)
        fe.link(href=f"{site}{e.url}", rel="alternate", type="text/html")
        fe.author({"name": d.decision_maker})
        fe.published(min(_midnight(d.dates.published or d.dates.decision), as_of))
        fe.updated(stamp)
        fe.content(entry_text(e), type="text")
    xml: bytes = fg.atom_str(pretty=True)
    return xml


def entry_text(e: Entry) -> str:
    """What a feed reader shows: who, when, the status and the purpose, in plain text."""
    d = e.d
    wards = "All wards" if "all" in d.wards else ", ".join(d.wards)
    lines = [
        f"Decision of {d.decision_maker}, {day(d.dates.decision)}.",
        f"Status: {status_words(e)}.",
        f"Key decision: {'yes' if d.key_decision else 'no'}. Wards: {wards}.",
    ]
    purpose = plain_text(d.purpose)
    if purpose:
        lines += ["", purpose.strip()]
    return "\n".join(lines)


def status_words(e: Entry) -> str:
    """The badge words with the date that makes them true; no "time left", which would change
    the entry with every build."""
    c = e.callin
    s = c.status
    if s.state is State.OPEN and c.deadline:
        return f"{s.label} until {when(c.deadline)}"
    if s.state is State.ENDED and c.in_force:
        return f"{s.label}; it takes effect on {day(c.in_force)}"
    if s.state is State.IN_FORCE and c.in_force:
        return f"{s.label} since {day(c.in_force)}"
    return s.label


def changed_at(e: Entry, as_of: datetime) -> datetime:
    """The last moment, up to `as_of`, at which the records say this entry changed. A record
    whose dates are all still to come (a decision not yet taken) changed at the latest at
    `as_of`, when it is on the site; a feed never claims a change in the future."""
    d = e.d
    c = e.callin
    moments = [_midnight(d.dates.published or d.dates.decision)]
    moments += [_midnight(ev.date) for ev in d.call_in.events]
    if c.deadline is not None:
        moments.append(c.deadline)
    if c.in_force is not None:
        moments.append(_midnight(c.in_force))
    past = [m for m in moments if m <= as_of]
    return max(past) if past else as_of


def _midnight(day_: date) -> datetime:
    return datetime.combine(day_, time(0, 0), tzinfo=LONDON)

# This module publishes the commissioning decisions in the Open Contracting Data Standard
# (OCDS 1.1), the format Find a Tender uses, so that a decision can be joined to the notices of
# the same contracting process. Each commissioning decision becomes one release of a release
# package (ocds.json): planning always (why and for how much), tender where the council buys
# from someone (route, value, contract period) and awards where the record names suppliers.
# A record that gives Find a Tender OCIDs (prefix ocds-h6vhtk) is published under the first of
# them; any other gets an OCID under the council's own prefix (site-data/authority.yml
# `ocds_prefix`), or is left out when the council has none, because an OCID under someone
# else's prefix would claim a process that is not ours. Like every export, it is built from the
# public (redacted) decisions through an explicit field list.
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from functools import partial
from typing import Any

from generator.callin import LONDON, State
from generator.model import Authority, Commissioning, Money, Term
from generator.pieces import NO_PIECES, Pieces, into_list
from generator.labels import ROUTE_WORDS
from generator.render import latest_end, money, plain_text
from generator.site import Entry

OCDS_VERSION = "1.1"
FIND_A_TENDER_PREFIX = "ocds-h6vhtk"
FIND_A_TENDER_SEARCH = "https://www.find-tender.service.gov.uk/Search/Results?keywords="
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PACKAGE_PATH = "ocds.json"
# OCDS's closed procurementMethod codelist: open, selective, limited, direct. A framework
# call-off, an extension or "other" may be any of them, so those give only the details.
PROCUREMENT_METHOD = {
    "open-procedure": "open",
    "restricted-procedure": "selective",
    "competitive-flexible": "selective",
    "dps": "selective",
    "direct-award": "direct",
}
# Routes where nobody is bought from: the council does it itself, or funds a grant.
NOT_PROCURED = frozenset({"in-house", "grant"})
# An award's status follows the decision's call-in status: a decision that can still be
# called in, or has been, has not yet made an award that is in force.
AWARD_ACTIVE = frozenset({State.IN_FORCE, State.CONFIRMED, State.NOT_SUBJECT})
AWARD_CANCELLED = frozenset({State.WITHDRAWN})


def ocid_for(e: Entry, authority: Authority) -> str | None:
    k = e.d.commissioning
    if k is None:
        return None
    if k.ocids:
        return k.ocids[0]
    if authority.ocds_prefix:
        return f"{authority.ocds_prefix}-{e.d.id}"
    return None


def releasable(entries: Sequence[Entry], authority: Authority) -> Iterator[tuple[str, Entry]]:
    """(OCID, decision) for every commissioning decision that can be published in OCDS."""
    for e in entries:
        ocid = ocid_for(e, authority)
        if ocid is not None:
            yield ocid, e


def release_package(entries: Sequence[Entry], authority: Authority, as_of: datetime,
                    pieces: Pieces = NO_PIECES) -> bytes:
    """ocds.json: an OCDS 1.1 release package of the commissioning decisions."""
    # Each release as json.dumps(package, indent=1) writes it, two levels down: made apart,
    # it can be kept between builds (pieces.py), and indented JSON needs the standard
    # library's Python encoder, which made this file most of the data tasks' time.
    ordered = sorted(releasable(entries, authority), key=lambda oe: (oe[0], oe[1].d.id))
    releases = [pieces.get(e.d.id, partial(_release_text, ocid, e, authority))
                for ocid, e in ordered]
    package = {
        "uri": f"{authority.site_url}{PACKAGE_PATH}",
        "version": OCDS_VERSION,
        "publishedDate": as_of.isoformat(),
        "publisher": {"name": authority.name, "uri": authority.site_url},
        "license": OGL_URL,
        "publicationPolicy": f"{authority.site_url}data/",
        "releases": [],
    }
    text = json.dumps(package, ensure_ascii=False, indent=1)
    assert text.endswith("[]\n}"), "the releases are the package's last value"
    return into_list(text, releases, " ")


def _release_text(ocid: str, e: Entry, authority: Authority) -> bytes:
    text = json.dumps(release(ocid, e, authority), ensure_ascii=False, indent=1)
    return ("  " + text.replace("\n", "\n  ")).encode("utf-8")


def release(ocid: str, e: Entry, authority: Authority) -> dict[str, Any]:
    d = e.d
    k = d.commissioning
    if k is None:
        raise ValueError(f"{d.id} is not a commissioning decision")
    buyer = {"id": "buyer", "name": authority.name}
    parties: list[dict[str, Any]] = [{**buyer, "roles": ["buyer"]}]
    supplier_ids: dict[str, str] = {}
    for s in k.suppliers:
        if s.name not in supplier_ids:
            supplier_ids[s.name] = f"supplier-{len(supplier_ids) + 1}"
            parties.append({"id": supplier_ids[s.name], "name": s.name, "roles": ["supplier"]})
    page = f"{authority.site_url}{e.url}"
    published = d.dates.published or d.dates.decision
    out: dict[str, Any] = {
        "ocid": ocid,
        "id": d.id,
        "date": _moment(published),
        "tag": ["planning"],
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": buyer,
        "planning": _planning(e, k, page, published),
    }
    tender = _tender(e, k)
    if tender is not None:
        out["tag"].append("tender")
        out["tender"] = tender
    awards = _awards(e, k, supplier_ids)
    if awards:
        out["tag"].append("award")
        out["awards"] = awards
    others = k.ocids[1:]
    if others:
        out["relatedProcesses"] = [
            {"id": str(n), "title": "Another contracting process this decision covers",
             "scheme": "ocid", "identifier": other, "uri": f"{FIND_A_TENDER_SEARCH}{other}"}
            for n, other in enumerate(others, 1)]
    return out


def _planning(e: Entry, k: Commissioning, page: str, published: date) -> dict[str, Any]:
    d = e.d
    planning: dict[str, Any] = {
        "rationale": plain_text(d.purpose) or d.title,
        "documents": [{
            "id": "decision",
            "title": f"Decision: {d.title}",
            "description": f"Decision of {d.decision_maker}, with the reasons and the "
                           "options considered.",
            "url": page,
            "datePublished": _moment(published),
            "format": "text/html",
            "language": "en",
        }],
    }
    if k.value is not None:
        budget: dict[str, Any] = {"id": "value",
                                  "description": f"{k.service}: {money(k.value)}"}
        # OCDS values carry no basis: an annual figure in `amount` would be added to totals
        # by anyone summing budgets, so only a total goes there; the words say both.
        if k.value.basis == "total":
            budget["amount"] = _value(k.value)
        planning["budget"] = budget
    return planning


def _tender(e: Entry, k: Commissioning) -> dict[str, Any] | None:
    d = e.d
    if k.route in NOT_PROCURED:
        return None
    tender: dict[str, Any] = {"id": d.id, "title": k.service}
    method = PROCUREMENT_METHOD.get(k.route)
    if method:
        tender["procurementMethod"] = method
    tender["procurementMethodDetails"] = ROUTE_WORDS.get(k.route, k.route)
    if k.value is not None and k.value.basis == "total":
        tender["value"] = _value(k.value)
    period = _period(k.term)
    if period:
        tender["contractPeriod"] = period
    if k.lots:
        # Lots need the OCDS lots extension; core OCDS describes them as items.
        tender["items"] = [{"id": str(n), "description": lot.title}
                           for n, lot in enumerate(k.lots, 1)]
    state = e.callin.status.state
    if state is State.WITHDRAWN:
        tender["status"] = "withdrawn"
    elif state is State.PENDING:
        tender["status"] = "planning"
    return tender


def _awards(e: Entry, k: Commissioning, supplier_ids: dict[str, str]) -> list[dict[str, Any]]:
    d = e.d
    state = e.callin.status.state
    status = ("active" if state in AWARD_ACTIVE else
              "cancelled" if state in AWARD_CANCELLED else "pending")
    period = _period(k.term)
    awards = []
    for n, s in enumerate(k.suppliers, 1):
        award: dict[str, Any] = {
            "id": f"{d.id}-{n}",
            "title": f"{k.service}{f' ({s.lot})' if s.lot else ''}",
            "status": status,
            "date": _moment(d.dates.decision),
            "suppliers": [{"id": supplier_ids[s.name], "name": s.name}],
        }
        value = s.value or (k.value if len(k.suppliers) == 1 else None)
        if value is not None and value.basis == "total":
            award["value"] = _value(value)
        if period:
            award["contractPeriod"] = period
        awards.append(award)
    return awards


def _period(term: Term | None) -> dict[str, str] | None:
    if term is None:
        return None
    initial = latest_end(Term(term.start, term.initial_years))
    longest = latest_end(term)
    period = {"startDate": _moment(term.start)}
    if initial is not None:
        period["endDate"] = _moment(initial, end_of_day=True)
    if longest is not None:
        period["maxExtentDate"] = _moment(longest, end_of_day=True)
    return period


def _value(m: Money) -> dict[str, Any]:
    amount: float | int = int(m.amount) if m.amount == int(m.amount) else m.amount
    return {"amount": amount, "currency": m.currency}


def _moment(day: date, *, end_of_day: bool = False) -> str:
    """A day as an OCDS date-time: the start (or last second) of that day in London."""
    clock = time(23, 59, 59) if end_of_day else time(0, 0)
    return datetime.combine(day, clock, tzinfo=LONDON).isoformat()

# This module renders the planned pages with Jinja2 and builds the data exports. Record prose is
# Markdown written by officers: it is converted here, with our own extension list, and cleaned
# with nh3 (Python-Markdown does not sanitise), so the pages carry the same safe HTML whichever
# site engine (MkDocs today, Zensical after May 2027) turns them into a site.
from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import markdown
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup

from generator.callin import LONDON, long_date, time_left, time_words
from generator.glossary import glossary_linker
from generator.model import Authority, Link, Money
from generator.problems import Problem, SourceRef
from generator.redact import REDACTED, marker_html, marker_text
from generator.shell import Heading, depth_of
from generator.site import Entry, Page

TEMPLATES = Path(__file__).parent / "templates"
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{_MARK_OPEN}([^{_MARK_CLOSE}]+){_MARK_CLOSE}")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>])")
_ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote", "code",
    "pre", "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "sup", "sub",
}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
ROUTE_WORDS = {
    "open-procedure": "Open procedure",
    "restricted-procedure": "Restricted procedure",
    "competitive-flexible": "Competitive flexible procedure",
    "framework": "Call-off from a framework agreement",
    "dps": "Dynamic purchasing system",
    "direct-award": "Direct award",
    "in-house": "Delivered in-house",
    "extension": "Extension of an existing contract",
    "grant": "Grant funding",
    "other": "Other route",
}
TYPE_WORDS = {
    "cabinet": "Cabinet",
    "cabinet-member": "Cabinet Member",
    "committee": "Committee",
    "officer": "Officer",
}
STATUS_WORDS = {
    "proposed": "Proposed",
    "for-determination": "For determination",
    "approved": "Approved",
    "called-in": "Called in",
    "referred-back": "Referred back",
    "withdrawn": "Withdrawn",
    "deferred": "Deferred",
}
IMPLICATION_WORDS = {
    "financial": "Financial", "legal": "Legal", "risk": "Risk", "staffing": "Staffing",
    "equality": "Equality", "children": "Children and young people", "climate": "Climate",
    "health": "Health and wellbeing", "procurement": "Procurement", "property": "Property",
    "other": "Other", "internal": "Internal", "external": "External",
    "consultation": "Consultation",
}


@dataclass(frozen=True, slots=True)
class Output:
    """One generated file: a path under the docs folder and its bytes."""

    path: str
    content: bytes


# ---------------------------------------------------------------------------------------------
# Filters


_md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
# Most prose is one plain paragraph, and Python-Markdown's full parse of it was most of the
# render stage (benchmarks/RESULTS.md). A single line with none of Markdown's syntax characters
# that does not open like a list, heading, quote or code block converts to exactly
# `<p>line</p>`, so it skips the parser; nh3 still cleans it. tests/test_benchmarks.py checks
# the short cut against Python-Markdown.
_NOT_PLAIN = re.compile(r"[\x00-\x1f\\`*_\[\]<>&|~]")
_BLOCK_START = re.compile(r"[-+=#>]|\d+[.)]")


def markdown_html(text: str) -> str:
    """Python-Markdown's HTML for `text`."""
    if (text and text == text.strip() and not _NOT_PLAIN.search(text)
            and not _BLOCK_START.match(text)):
        return f"<p>{text}</p>"
    _md.reset()
    return _md.convert(text)


def prose(text: str | None) -> Markup:
    """Officer Markdown -> clean HTML, with exempt markers put back as accessible spans."""
    if not text:
        return Markup("")
    # nh3 deletes NUL, which would leave "EXEMPT:3" on the page instead of the notice, so the
    # redaction tokens cross Markdown and nh3 between private-use characters. Any already in
    # the text are dropped first, so a record cannot forge a marker.
    text = text.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")
    text = REDACTED.sub(lambda m: f"{_MARK_OPEN}{m.group(1)}{_MARK_CLOSE}", text)
    raw = markdown_html(text)
    clean = nh3.clean(raw, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                      url_schemes={"http", "https", "mailto"})
    return Markup(_MARKED.sub(lambda m: marker_html(tuple(m.group(1).split(","))), clean))


def prose_inline(text: str | None) -> Markup:
    """Prose for a list item or table cell: one paragraph unwrapped."""
    out = str(prose(text))
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return Markup(out)


def plain_text(text: str | None) -> str:
    """Prose as plain text for feeds, CSV and JSON: markers become words."""
    if not text:
        return ""
    return marker_text(text)


def md_escape(text: str) -> Markup:
    """Plain text placed in Markdown (headings, link text): no markup can survive."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=True)))


def money(m: Money | None) -> str:
    if m is None:
        return ""
    amount = f"£{m.amount:,.0f}" if m.amount == int(m.amount) else f"£{m.amount:,.2f}"
    return f"{amount} a year" if m.basis == "annual" else f"{amount} in total"


def when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    return f"{time_words(local.time())} on {long_date(local.date())}"


def day(value: date | None) -> str:
    return long_date(value) if value else ""


def years(value: float) -> str:
    n = int(value) if value == int(value) else value
    return f"{n} year" + ("" if n == 1 else "s")


def latest_end(term: Any) -> date | None:
    """The last day a contract could run with every extension taken."""
    if term is None:
        return None
    total = term.initial_years + sum(term.extensions_years)
    whole = int(total)
    months = round((total - whole) * 12)
    y = term.start.year + whole + (term.start.month - 1 + months) // 12
    m = (term.start.month - 1 + months) % 12 + 1
    try:
        end = date(y, m, term.start.day)
    except ValueError:
        end = date(y, m, 28)
    return date.fromordinal(end.toordinal() - 1)


def link_href(link: Link, root: str) -> str:
    if link.url:
        return link.url
    return f"{root}files/{link.file}" if link.file else ""


def environment(extra_paths: Sequence[Path] = ()) -> Environment:
    """The Jinja environment: a council's own templates first, then ours."""
    env = Environment(
        loader=FileSystemLoader([*map(str, extra_paths), str(TEMPLATES)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        prose=prose, prose_inline=prose_inline, md=md_escape, money=money, when=when, day=day,
        years=years, latest_end=latest_end, route=lambda r: ROUTE_WORDS.get(r, r),
        dtype=lambda t: TYPE_WORDS.get(str(t), str(t)),
        rstatus=lambda s: STATUS_WORDS.get(str(s), str(s)),
        implication=lambda k: IMPLICATION_WORDS.get(k, k.replace("_", " ").capitalize()),
        plain=plain_text, link_href=link_href, time_left=time_left,
        iso=lambda v: v.isoformat() if v else "",
    )
    env.globals["glossary_linker"] = glossary_linker
    return env


def render_pages(pages: Iterable[Page], env: Environment, common: Mapping[str, Any]) -> tuple[tuple[Output, ...], tuple[Problem, ...]]:
    outputs: list[Output] = []
    problems: list[Problem] = []
    cache: dict[str, Any] = {}
    for page in pages:
        text, problem = render_text(page, env, common, cache)
        if problem is not None:
            problems.append(problem)
            continue
        outputs.append(Output(page.path, text.encode("utf-8")))
    return tuple(outputs), tuple(problems)


def render_text(page: Page, env: Environment, common: Mapping[str, Any],
                cache: dict[str, Any]) -> tuple[str, Problem | None]:
    """One page's template output: Markdown for the engine, or a direct page's header and HTML."""
    template = cache.get(page.template) or cache.setdefault(page.template,
                                                             env.get_template(page.template))
    depth = page.path.count("/") + (0 if page.path.endswith("index.md") else 1)
    try:
        return template.render(**common, **page.context, root="../" * depth,
                               page_path=page.path), None
    except TemplateError as exc:
        where = SourceRef(f"generator/templates/{page.template}", getattr(exc, "lineno", 0) or 0)
        return "", Problem(where, page.path, f"template error: {exc}")


# ---------------------------------------------------------------------------------------------
# Pages the generator renders itself (decisions and browse lists), filled into a shell page
# that the site engine built (generator/shell.py)

DIRECT_SUFFIX = ".html.j2"
_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.DOTALL)


def is_direct(page: Page) -> bool:
    """Templates that write HTML are rendered by the generator; `.md.j2` ones by the engine."""
    return page.template.endswith(DIRECT_SUFFIX)


def page_url(path: str) -> str:
    """The directory URL (relative to the site root) of a page planned at `path`."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def site_file(path: str) -> str:
    """Where the page planned at `path` is in the built site."""
    return page_url(path) + "index.html"


@dataclass(frozen=True, slots=True)
class DirectPage:
    url: str
    title: str
    body: str
    headings: tuple[Heading, ...]
    head: str


def direct_page(path: str, text: str) -> DirectPage:
    """A direct template's output: one JSON line of page settings, then the page's HTML."""
    first, _, body = text.lstrip().partition("\n")
    meta = json.loads(first)
    url = page_url(path)
    headings = tuple(Heading(i, html.unescape(_TAG_RE.sub("", t)).strip())
                     for i, t in _H2.findall(body))
    head = ""
    feed = meta.get("feed")
    if feed:
        # Feed readers and browsers find a page's own feed through this link (main.html adds
        # the site-wide ones to every page).
        href = "../" * depth_of(url) + feed["href"]
        head = (f'<link rel="alternate" type="application/atom+xml" '
                f'title="{html.escape(feed["title"], quote=True)}" '
                f'href="{html.escape(href, quote=True)}">')
    return DirectPage(url, meta["title"], body, headings, head)


_TAG_RE = re.compile(r"<[^>]*>")


# ---------------------------------------------------------------------------------------------
# Exports: an explicit field allowlist, built from public decisions only


def export_decision(e: Entry, site_url: str) -> dict[str, Any]:
    d = e.d
    c = e.callin
    out: dict[str, Any] = {
        "id": d.id,
        "url": f"{site_url}{e.url}",
        "title": d.title,
        "reference": d.reference,
        "decision_maker": d.decision_maker,
        "decision_type": d.decision_type.value,
        "status": d.status.value,
        "key_decision": d.key_decision,
        "portfolios": list(d.portfolios),
        "wards": list(d.wards),
        "dates": {
            "decision": d.dates.decision.isoformat(),
            "published": d.dates.published.isoformat() if d.dates.published else None,
        },
        "forward_plan": None if d.forward_plan is None else {
            "included": d.forward_plan.included,
            "reference": d.forward_plan.reference,
            "published": d.forward_plan.published.isoformat() if d.forward_plan.published else None,
            "urgency": d.forward_plan.urgency.value,
            "urgency_reason": plain_text(d.forward_plan.urgency_reason) or None,
            "agreed_by": d.forward_plan.agreed_by,
            "notice_date": d.forward_plan.notice_date.isoformat() if d.forward_plan.notice_date else None,
        },
        "call_in": {
            "applies": c.applies,
            "reason": plain_text(d.call_in.reason) or None if not c.applies else None,
            "waived_by": d.call_in.waived_by,
            "count": d.call_in.count,
            "deadline": c.deadline.isoformat() if c.deadline else None,
            "in_force": c.in_force.isoformat() if c.in_force else None,
            "status": c.status.state.value,
            "status_label": c.status.label,
            "as_of": c.status.as_of.isoformat(),
            "override_reason": plain_text(c.override_reason) or None,
            "rule": c.rule_text if c.applies else None,
            "days": [{"date": x.day.isoformat(), "counted": x.counted, "why": x.why}
                     for x in (c.computed.days if c.computed else ())],
            "events": [{"date": ev.date.isoformat(), "what": ev.what.value, "by": ev.by,
                        "details": plain_text(ev.details) or None} for ev in d.call_in.events],
        },
        "purpose": plain_text(d.purpose) or None,
        "decision": [plain_text(t) for t in d.decision],
        "reasons": [plain_text(t) for t in d.reasons],
        "alternatives": [
            {"title": a.title, "outcome": a.outcome.value,
             "description": plain_text(a.description) or None,
             "reasons": [plain_text(t) for t in a.reasons],
             "pros": [plain_text(t) for t in a.pros], "cons": [plain_text(t) for t in a.cons],
             "financial_assessment": plain_text(a.financial_assessment) or None}
            for a in d.alternatives
        ],
        "alternatives_statement": plain_text(d.alternatives_statement) or None,
        "commissioning": _export_commissioning(e),
        "exempt_appendices": [
            {"title": n.title,
             "paragraphs": [{"paragraph": p, "description": text} for p, text in n.paragraphs],
             "public_interest": plain_text(n.public_interest),
             "review_date": n.review_date.isoformat() if n.review_date else None}
            for n in e.public.notices
        ],
        "appendices": [{"title": a.title, "description": plain_text(a.description) or None,
                        "url": a.url, "file": a.file} for a in e.public.public_appendices],
        "report": None if d.report is None else {
            "title": d.report.title, "report_of": d.report.report_of,
            "report_to": d.report.report_to,
            "date": d.report.date.isoformat() if d.report.date else None,
            "summary": plain_text(d.report.summary) or None},
        "implications": {k: plain_text(v) for k, v in d.implications},
        "consultation": {k: plain_text(v) for k, v in d.consultation},
        "implementation": plain_text(d.implementation) or None,
        "background_papers": [{"title": x.title, "url": x.url, "file": x.file}
                              for x in d.background_papers],
        "interests_declared": plain_text(d.interests_declared) or None,
        "dispensations": plain_text(d.dispensations) or None,
        "contact": None if d.contact is None else {
            "name": d.contact.name, "role": d.contact.role, "email": d.contact.email,
            "phone": d.contact.phone},
        "meeting": None if d.meeting is None else {
            "title": d.meeting.title, "date": d.meeting.date.isoformat(), "item": d.meeting.item,
            "url": d.meeting.url},
        "documents": [{"title": x.title, "url": x.url, "file": x.file} for x in d.documents],
        "redactions": e.public.redactions,
    }
    return out


def _export_commissioning(e: Entry) -> dict[str, Any] | None:
    c = e.d.commissioning
    if c is None:
        return None

    def m(v: Money | None) -> dict[str, Any] | None:
        return None if v is None else {"amount": v.amount, "currency": v.currency, "basis": v.basis}

    end = latest_end(c.term)
    return {
        "service": c.service,
        "route": c.route,
        "value": m(c.value),
        "term": None if c.term is None else {
            "start": c.term.start.isoformat(), "initial_years": c.term.initial_years,
            "extensions_years": list(c.term.extensions_years),
            "latest_end": end.isoformat() if end else None},
        "current_contract_ends": c.current_contract_ends.isoformat()
        if c.current_contract_ends else None,
        "suppliers": [{"name": s.name, "lot": s.lot, "value": m(s.value)} for s in c.suppliers],
        "lots": [{"title": lot.title, "description": lot.description, "value": m(lot.value)}
                 for lot in c.lots],
        "ocids": list(c.ocids),
    }


CSV_COLUMNS = (
    "id", "url", "title", "reference", "decision_maker", "decision_type", "status",
    "key_decision", "portfolios", "wards", "decision_date", "published", "call_in_status",
    "call_in_deadline", "in_force", "purpose", "decision", "reasons", "service", "route",
    "value_amount", "value_basis", "contract_start", "exempt_appendices",
)


def decisions_json(entries: Sequence[Entry], authority: Authority, as_of: datetime) -> bytes:
    doc = {
        "authority": authority.name,
        "generated": as_of.isoformat(),
        "schema": f"{authority.site_url}schema/decision-export.schema.json",
        "count": len(entries),
        "decisions": [export_decision(e, authority.site_url) for e in entries],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


def decisions_csv(entries: Sequence[Entry], authority: Authority) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for e in entries:
        d = e.d
        c = d.commissioning
        w.writerow([
            d.id, f"{authority.site_url}{e.url}", d.title, d.reference or "", d.decision_maker,
            d.decision_type.value, d.status.value, "yes" if d.key_decision else "no",
            "; ".join(d.portfolios), "; ".join(d.wards), d.dates.decision.isoformat(),
            d.dates.published.isoformat() if d.dates.published else "",
            e.callin.status.state.value,
            e.callin.deadline.isoformat() if e.callin.deadline else "",
            e.callin.in_force.isoformat() if e.callin.in_force else "",
            plain_text(d.purpose), " | ".join(plain_text(t) for t in d.decision),
            " | ".join(plain_text(t) for t in d.reasons),
            c.service if c else "", c.route if c else "",
            f"{c.value.amount:.2f}" if c and c.value else "", c.value.basis if c and c.value else "",
            c.term.start.isoformat() if c and c.term else "",
            "; ".join(f"{n.title} (paragraph {', '.join(p for p, _ in n.paragraphs)})"
                      for n in e.public.notices),
        ])
    return buf.getvalue().encode("utf-8")

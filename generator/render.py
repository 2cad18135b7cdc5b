# This module renders the planned pages with Jinja2 (exports.py builds the data exports). Record
# prose is Markdown written by officers: it is converted here, with our own extension list, and
# cleaned with nh3 (Python-Markdown does not sanitise), so the pages carry the same safe HTML
# whichever site engine (MkDocs today, Zensical after May 2027) turns them into a site.
from __future__ import annotations

import html
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
from generator.labels import IMPLICATION_WORDS, ROUTE_WORDS, STATUS_WORDS, TYPE_WORDS
from generator.model import Link, Money
from generator.problems import Problem, SourceRef
from generator.redact import REDACTED, marker_html, marker_text
from generator.shell import Heading, depth_of, slot_marker
from generator.site import Page

TEMPLATES = Path(__file__).parent / "templates"
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{_MARK_OPEN}([^{_MARK_CLOSE}]+){_MARK_CLOSE}")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>])")
_ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote", "code",
    "pre", "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "sup", "sub",
}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
# One sanitiser for every call: nh3.clean builds its ammonia sanitiser from these sets on each
# call, which was two thirds of its time at a dozen prose fields a decision page.
_CLEANER = nh3.Cleaner(tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                       url_schemes={"http", "https", "mailto"})


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


def _plain(text: str) -> bool:
    return bool(text) and text == text.strip() and not _NOT_PLAIN.search(text) \
        and not _BLOCK_START.match(text)


def markdown_html(text: str) -> str:
    """Python-Markdown's HTML for `text`."""
    if _plain(text):
        return f"<p>{text}</p>"
    _md.reset()
    return str(_md.convert(text))


def prose(text: str | None) -> Markup:
    """Officer Markdown -> clean HTML, with exempt markers put back as accessible spans."""
    if not text:
        return Markup("")
    # nh3 deletes NUL, which would leave "EXEMPT:3" on the page instead of the notice, so the
    # redaction tokens cross Markdown and nh3 between private-use characters. Any already in
    # the text are dropped first, so a record cannot forge a marker.
    text = text.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")
    text = REDACTED.sub(lambda m: f"{_MARK_OPEN}{m.group(1)}{_MARK_CLOSE}", text)
    if _plain(text) and "\xa0" not in text:
        # nh3 gives back a plain paragraph as it is: it has no tag but the <p>, and no "&",
        # "<" or ">" to escape, and html5ever's serialiser escapes nothing else in text
        # but U+00A0. Cleaning it anyway was a quarter of a decision page's rendering
        # (tests/test_render.py holds the two equal).
        clean = f"<p>{text}</p>"
    else:
        clean = _CLEANER.clean(markdown_html(text))
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
    env.globals["once"] = Once()
    return env


class Once:
    """`{{ once(macro, item, root) }}`: the macro's HTML for that item at that folder depth,
    made the first time and then given again, for as long as the environment (one build)
    lasts. A decision is in a dozen lists (its wards, portfolios, kind, month, the registers),
    and rendering its row again for each was half of the time spent on browse lists: 170,000
    rows at 20,000 decisions. The item is kept with its HTML, so its id is never reused for
    another while remembered."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, int, str], tuple[Any, Markup]] = {}

    def __call__(self, macro: Any, item: Any, root: str) -> Markup:
        key = (macro.name, id(item), root)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = (item, Markup(macro(item, root)))
        return made[1]

    def lines(self, macro: Any, items: Iterable[Any], root: str) -> Markup:
        """`{{ once.lines(macro, items, root) }}`: each item's HTML as `once` gives it, each
        followed by a line break, as a `{% for %}` loop writing one item a line does. One call
        for a list: Jinja's call and escaping for each of a list's 200 rows were half of
        rendering a browse list once its rows were made."""
        made, name = self._made, macro.name
        out: list[str] = []
        for item in items:
            got = made.get((name, id(item), root))
            out.append(got[1] if got is not None else self(macro, item, root))
            out.append("\n")
        return Markup("".join(out))


class Slots:
    """`{% call slot() %}HTML{% endcall %}` in an engine page's template. Kept, the HTML leaves
    the Markdown for a marker (shell.slot_marker) and is put into the engine's page after the
    engine ran (shell.fill_slots): the engine then reads the same Markdown whatever the records
    say, so an edited record does not run it again, and Python-Markdown no longer parses the
    registers' megabytes of table HTML. Not kept, the HTML stays where it is."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.items: list[str] = []

    def __call__(self, caller: Any) -> Markup:
        body = str(caller())
        if not self.keep:
            return Markup(body)
        # Python-Markdown drops the blank lines that end an HTML block: so does a slot.
        self.items.append(body.strip("\n"))
        marker = slot_marker(len(self.items))
        # HTML over several lines is a block: its marker is a paragraph of its own, whatever
        # the template has around the slot, so that shell.fill_slots replaces the paragraph.
        return Markup(f"\n\n{marker}\n\n" if "\n" in body else marker)


def render_pages(pages: Iterable[Page], env: Environment, common: Mapping[str, Any],
                 slots: dict[str, tuple[str, ...]] | None = None
                 ) -> tuple[tuple[Output, ...], tuple[Problem, ...]]:
    """Each page's template output. With `slots`, engine pages leave their slots' HTML out of
    the Markdown and into `slots`, by page path (Slots)."""
    outputs: list[Output] = []
    problems: list[Problem] = []
    cache: dict[str, Any] = {}
    for page in pages:
        kept = Slots(slots is not None)
        text, problem = render_text(page, env, common, cache, kept)
        if problem is not None:
            problems.append(problem)
            continue
        outputs.append(Output(page.path, text.encode("utf-8")))
        if slots is not None and kept.items:
            slots[page.path] = tuple(kept.items)
    return tuple(outputs), tuple(problems)


def render_text(page: Page, env: Environment, common: Mapping[str, Any],
                cache: dict[str, Any], slots: Slots | None = None) -> tuple[str, Problem | None]:
    """One page's template output: Markdown for the engine, or a direct page's header and HTML."""
    template = cache.get(page.template) or cache.setdefault(page.template,
                                                             env.get_template(page.template))
    depth = page.path.count("/") + (0 if page.path.endswith("index.md") else 1)
    try:
        return template.render(**common, **page.context, root="../" * depth,
                               page_path=page.path, slot=slots or Slots(False)), None
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

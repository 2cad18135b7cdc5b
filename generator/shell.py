# This module lets the generator render most pages itself. The site engine (MkDocs with
# Material, or Zensical) builds one "shell" page per folder depth: a page whose title, table of
# contents and body are marker words. Every decision page and browse list is then the engine's
# own HTML for that shell with the markers replaced, so it carries exactly the theme's header,
# navigation, scripts and styles, whichever engine built it, and relative links in the shell
# (to CSS, scripts, the home page) are right for every page at the same depth.
#
# Why: an engine's cost is per page (Markdown, the theme's Jinja templates, its search index):
# 20,000 decision pages took MkDocs 254 s, and Zensical cannot run our code at all. The shells
# keep the engine's work constant in the number of decisions (benchmarks/RESULTS.md).
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SHELL_DIR = "portal-shell"
TITLE = "PORTALSHELLTITLE"
TOC = "PORTALSHELLTOC"
BODY = "PORTALSHELLBODY"
HEAD = '<meta name="portal-shell-head">'
# A slot in an engine page (render.Slots): HTML the generator puts into the engine's page after
# the engine ran, so that a record's edit changes no byte the engine reads.
SLOT = "PORTALSLOT{}END"
_SLOT_RE = re.compile(r"<p>PORTALSLOT(\d+)END</p>|PORTALSLOT(\d+)END")
# The engine gives the shell's H1 an id from its text; the theme's "skip to content" link and
# the table of contents point at it. Filled pages use this id for their own H1.
PAGE_TITLE_ID = "page-title"


class ShellError(Exception):
    """The engine's HTML for a shell lacks a marker: the theme or engine changed its markup."""


def shell_path(depth: int) -> str:
    """The Markdown source of the shell for pages `depth` folders below the site root."""
    return "/".join([SHELL_DIR, *["s"] * (depth - 1), "index.md"])


def shell_url(depth: int) -> str:
    """The shell's URL path relative to the site root (directory URLs)."""
    return shell_path(depth)[: -len("index.md")]


def shell_markdown() -> str:
    # Out of the theme's search index (the shell is removed after the build) and out of the
    # navigation (mkdocs.yml `not_in_nav`), like the pages it stands for.
    return (
        "---\n"
        f"title: {TITLE}\n"
        "portal_shell: true\n"
        "search:\n"
        "  exclude: true\n"
        "---\n\n"
        f"# {TITLE}\n\n"
        f"## {TOC}\n\n"
        f"{BODY}\n"
    )


def depth_of(url: str) -> int:
    """Folders below the root of a page URL path such as `decisions/x/`."""
    return url.count("/")


@dataclass(frozen=True, slots=True)
class Heading:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Shell:
    """A shell page cut into static text and the slots a page fills, so filling costs a join."""

    depth: int
    parts: tuple[str, ...]
    """Static text at even positions, slot names (`title`, `toc`, `body`, `head`, `url`) at odd."""
    toc_item: str
    """One table-of-contents entry, with `@ID@` and `@TEXT@` to fill."""


_BODY_RE = re.compile(
    rf"<h1\b[^>]*>\s*{TITLE}\s*</h1>.*?<p>\s*{BODY}\s*</p>", re.DOTALL)
_SLOTS = {"\x00body\x00": "body", "\x00toc\x00": "toc", TITLE: "title", HEAD: "head",
          "\x00url\x00": "url"}


def parse_shell(html_text: str, depth: int, site_url: str) -> Shell:
    """Cut the engine's HTML for a shell at its markers."""
    where = shell_url(depth)
    m = _BODY_RE.search(html_text)
    if m is None:
        raise ShellError(f"{where}: the built shell page has no body marker")
    text = html_text[: m.start()] + "\x00body\x00" + html_text[m.end():]
    anchor = f'href="#{TOC.lower()}"'
    at = text.find(anchor)
    item = ""
    if at >= 0:
        start, end = text.rfind("<li", 0, at), text.find("</li>", at)
        if start < 0 or end < 0:
            raise ShellError(f"{where}: the shell's table of contents has no entry")
        end += len("</li>")
        item = text[start:end].replace(f"#{TOC.lower()}", "#@ID@").replace(TOC, "@TEXT@")
        text = text[:start] + "\x00toc\x00" + text[end:]
    if TOC in text or BODY in text:
        raise ShellError(f"{where}: a shell marker appears more than once")
    # The theme's skip link and any anchor to the H1 point at the filled page's own H1.
    text = text.replace(f"#{TITLE.lower()}", f"#{PAGE_TITLE_ID}")
    if site_url:
        text = text.replace(f"{site_url}{where}", "\x00url\x00")
    pattern = "(" + "|".join(re.escape(k) for k in _SLOTS) + ")"
    pieces = re.split(pattern, text)
    parts = tuple(p if i % 2 == 0 else _SLOTS[p] for i, p in enumerate(pieces))
    return Shell(depth, parts, item)


def toc_html(shell: Shell, headings: Iterable[Heading]) -> str:
    if not shell.toc_item:
        return ""
    return "".join(shell.toc_item.replace("@ID@", h.id).replace("@TEXT@", html.escape(h.text))
                   for h in headings)


def fill(shell: Shell, *, url: str, title: str, body: str, headings: Sequence[Heading],
         head: str = "", site_url: str = "") -> str:
    """The page at `url` (a path such as `decisions/x/`) with this body, in the shell."""
    return "".join(fill_parts(shell, url=url, title=title, body=body, headings=headings,
                              head=head, site_url=site_url))


def fill_parts(shell: Shell, *, url: str, title: str, body: str, headings: Sequence[Heading],
               head: str = "", site_url: str = "") -> list[str]:
    """`fill`'s text in parts: the shell's own at even positions, what fills its slots at
    odd ones (the leak guard reads the shell's once, scan.Scanner.page)."""
    slots = {"title": html.escape(title, quote=True), "toc": toc_html(shell, headings),
             "body": body, "head": head, "url": f"{site_url}{url}"}
    return [p if i % 2 == 0 else slots[p] for i, p in enumerate(shell.parts)]


def slot_marker(n: int) -> str:
    return SLOT.format(n)


def fill_slots(page_html: str, items: Sequence[str], where: str) -> str:
    """An engine page with each slot's marker replaced by its HTML: a marker alone in a
    paragraph replaces the paragraph (the slot holds block HTML), one inside text only itself."""
    found = [int(a or b) for a, b in _SLOT_RE.findall(page_html)]
    if sorted(found) != list(range(1, len(items) + 1)):
        raise ShellError(f"{where}: the engine's page has slot markers {sorted(found)}, "
                         f"not each of 1 to {len(items)} once")
    return _SLOT_RE.sub(lambda m: items[int(m.group(1) or m.group(2)) - 1], page_html)

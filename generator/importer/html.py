# Saved HTML pages to the plain, Markdown-flavoured text the label reader understands, and the
# bytes of a saved page to text. Councils publish decisions as web pages, so this is the usual
# way in; the rest of the importer only ever sees text.
from __future__ import annotations

import re
from html.parser import HTMLParser

_UNSAFE_HREF = re.compile(r"\s*(?:javascript|vbscript|data):", re.IGNORECASE)


def _decode(raw: bytes) -> tuple[str, tuple[str, ...]]:
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        # Pages saved by older Windows browsers are Windows-1252; say so, since a wrong guess
        # shows as odd quotes and pound signs.
        return raw.decode("cp1252", errors="replace"), (
            "Check the text: the file is not UTF-8 and was read as Windows-1252.",)


class _TextExtractor(HTMLParser):
    """HTML to the plain, Markdown-flavoured lines the label reader understands.

    Blocks become blank-line separated paragraphs, <li> becomes "- item", table cells are
    separated by tabs (as in reports pasted from Word), <b>/<strong> become **bold** so that
    bold labels read as labels, links to web addresses become Markdown links, and nothing of
    <script>, <style>, <head> or navigation is kept.
    """

    _SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "nav",
                       "footer", "aside", "select", "iframe", "object"})
    _BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "footer", "aside",
                        "blockquote", "ul", "ol", "table", "thead", "tbody", "tfoot", "dl", "dt",
                        "dd", "pre", "hr", "form", "fieldset", "figure", "figcaption", "address",
                        "caption", "center", "h1", "h2", "h3", "h4", "h5", "h6"})
    _TIGHT = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
                        "caption"})

    def __init__(self, *, whole_page: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.whole_page = whole_page
        self.skip = 0
        self.tight = 0
        self.in_li = 0
        self.cells = 0
        self.bold: list[int] = []
        self.links: list[tuple[int, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skip = 0  # an unclosed <head> must not hide the page
        if tag in self._SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in self._TIGHT:
            self.tight += 1
        if tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.in_li += 1
            self.out.append("\n- ")
        elif tag == "tr":
            self.cells = 0
            self.out.append("\n")
        elif tag in ("td", "th"):
            if self.cells:
                self.out.append("\t")
            self.cells += 1
        elif tag in ("b", "strong"):
            self.bold.append(len(self.out))
        elif tag == "a":
            self.links.append((len(self.out), dict(attrs).get("href")))
        elif tag in self._BLOCK:
            # Inside a list item a paragraph only continues the item.
            self.out.append("\n" if self.in_li and tag not in ("ul", "ol") else "\n\n")
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.out.append("# ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in self._TIGHT:
            self.tight = max(0, self.tight - 1)
        if tag in ("b", "strong") and self.bold:
            self._wrap(self.bold.pop(), "**", "**")
        elif tag == "a" and self.links:
            start, href = self.links.pop()
            # Kept as Markdown so a document list can offer its address; `_clean` turns links
            # that are not web addresses back into their text everywhere else.
            if href and not href.startswith("#") and not _UNSAFE_HREF.match(href) \
                    and " " not in href.strip():
                self._wrap(start, "[", f"]({href.strip()})")
        elif tag == "li":
            self.in_li = max(0, self.in_li - 1)
        elif tag == "tr":
            self.out.append("\n")
        elif tag in self._BLOCK:
            self.out.append("\n" if self.in_li and tag not in ("ul", "ol") else "\n\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.whole_page or self.tight:
            data = re.sub(r"[ \t\r\n\f\v]+", " ", data)
        self.out.append(data)

    def _wrap(self, start: int, left: str, right: str) -> None:
        segment = "".join(self.out[start:])
        core = segment.strip()
        if not core or "\n" in core or core.startswith(left):
            return
        lead = segment[:len(segment) - len(segment.lstrip())]
        trail = segment[len(segment.rstrip()):]
        del self.out[start:]
        self.out.append(f"{lead}{left}{core}{right}{trail}")

    def text(self) -> str:
        return "".join(self.out)

# This module explains words where residents meet them: the first time a page uses a glossary
# term, it becomes a link to the term's entry on the glossary page, with the definition as the
# link's `title`. Material's `content.tooltips` feature shows a `title` as a tooltip on hover
# and on keyboard focus (and names it with aria-describedby), which a bare <abbr> cannot do:
# an <abbr> is not focusable. Without JavaScript the link still leads to the definition.
# Later uses on the same page stay plain text, so a page is not a sea of links.
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup, escape

from generator.model import Authority, GlossaryTerm

GLOSSARY_PAGE = "glossary/"


class TermLinker:
    """Per-page state: which terms this page has explained already.

    Made fresh for each rendered page (`{% set g = glossary_linker(authority, root) %}`), so
    rendering a page twice gives the same Markdown.
    """

    def __init__(self, terms: Iterable[GlossaryTerm], root: str) -> None:
        self._terms = {t.id: t for t in terms}
        self._root = root
        self._seen: set[str] = set()

    def __call__(self, term_id: str, text: str | None = None) -> Markup:
        """`text` (default: the term's own name), linked to its entry on first use."""
        term = self._terms.get(term_id)
        if term is None:
            # A council may drop a term from its glossary; the page then just shows the words.
            return escape(text or term_id)
        shown = text if text is not None else term.term
        if term_id in self._seen:
            return escape(shown)
        self._seen.add(term_id)
        return _link(f"{self._root}{GLOSSARY_PAGE}#{term_id}", f"{term.term}: {term.definition}",
                     shown)

    def defines(self, term_id: str) -> bool:
        return term_id in self._terms


# Each decision page links a dozen terms, the same links at the same depth on every page:
# escaping them anew was a second of a 20,000-decision build.
@lru_cache(maxsize=4096, typed=True)  # typed: a Markup `shown` is not escaped, a str is
def _link(href: str, title: str, shown: str) -> Markup:
    return Markup('<a class="glossary-term" href="{}" title="{}">{}</a>').format(href, title, shown)


def glossary_linker(authority: Authority, root: str) -> TermLinker:
    return TermLinker(authority.glossary, root)

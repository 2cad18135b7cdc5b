"""A link checker over a built site folder: every internal href/src must name a file that
exists (issue 14: raw-HTML links that one engine rewrites and another does not)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src") and not (tag == "link" and ("rel", "canonical") in attrs):
                self.links.append(value)
            elif name == "id":
                self.ids.add(value)


def _target(site: Path, path: str) -> Path | None:
    rel = path.lstrip("/")
    candidate = site / rel
    if rel == "" or rel.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken_links(site: Path, base: str = "/") -> list[str]:
    """'page: link' for every internal link that names no file, with the site served at `base`
    (e.g. "/decisions/" for a sub-path site_url)."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        url = base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "mailto:", "data:")):
                continue
            resolved = urlsplit(urljoin(url, link)).path
            if not resolved.startswith(base) or _target(site, resolved[len(base):]) is None:
                broken.append(f"{rel}: {link}")
    return broken

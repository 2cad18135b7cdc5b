# One slug rule for every name the site turns into a path: browse folders (a ward, a decision
# maker) and the record ids the importer gives new records, so the same words always give the
# same path segment.
from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"['\u2019]")  # "St Andrew's" is "st-andrews", not "st-andrew-s"
_SEP = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_len: int | None = None) -> str:
    """Lower-case a-z, 0-9 and single hyphens; accents folded, apostrophes dropped. With
    `max_len`, cut at the last hyphen that fits (a record id is at most 64 characters, the
    schema's limit). May be empty: callers say what an empty name becomes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SEP.sub("-", _DROP.sub("", ascii_text.lower())).strip("-")
    if max_len is not None and len(slug) > max_len:
        cut = slug[:max_len + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut[:max_len] else slug[:max_len]
        slug = slug.strip("-")
    return slug

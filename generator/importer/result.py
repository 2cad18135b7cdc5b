# What one import gives back: the record, its report and the id to file it under (`slugify`, the
# schema's id rule). reader.py makes these and __init__.py writes them, so they live apart from
# both and neither imports the other.
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.slug import slugify as slug_of

# The schema's limit on a record id.
SLUG_MAX = 64


@dataclass(frozen=True)
class ImportResult:
    """One source page turned into a record.

    Attributes:
        record: the record, keys in the schema's order; `import_report` last when not empty.
        report: what could not be placed and what must be added, one line each.
        suggested_id: the file name to use (a slug of the title), without folder or suffix.
        year: the year of `dates.decision`, for the year folder; None when the source has none.
    """

    record: dict[str, Any]
    report: tuple[str, ...]
    suggested_id: str
    year: int | None


@dataclass(frozen=True)
class ImportOutcome:
    """What `import_files` did with one input file.

    Attributes:
        source: the input file, as given.
        written: the record file written, or None when the input could not be read.
        report: the report lines (the same as the record's `import_report`), or the reason
            nothing was written.
        result: the import itself, or None when the input could not be read.
    """

    source: Path
    written: Path | None
    report: tuple[str, ...]
    result: ImportResult | None = None

    @property
    def ok(self) -> bool:
        return self.written is not None


def slugify(title: str) -> str:
    """A record id from a title: lower-case a-z, 0-9 and single hyphens, at most 64 characters."""
    return slug_of(title, SLUG_MAX)

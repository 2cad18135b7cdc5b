# The record being built from one page, with what the report will say about it. Each filler
# (fields.py, lists.py, options.py, exempt.py) adds to one draft; placing a value only through
# `put` is what guarantees that a second, different value for a field is reported, never lost.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _set_path(record: dict[str, Any], path: str, value: Any) -> None:
    head, _, tail = path.partition(".")
    if tail:
        record.setdefault(head, {})[tail] = value
    else:
        record[head] = value


def _get_path(record: dict[str, Any], path: str) -> Any:
    head, _, tail = path.partition(".")
    value = record.get(head)
    if tail:
        return value.get(tail) if isinstance(value, dict) else None
    return value


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


@dataclass
class _Draft:
    """One page's record so far.

    Attributes:
        record: the fields placed so far, by record path.
        notes: what was found but not placed, in reading order.
        adds: what an officer must add.
        status_text: the source's status as written, for the report when it is not one the
            portal knows.
    """

    record: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    adds: list[str] = field(default_factory=list)
    status_text: str | None = None

    def note(self, text: str) -> None:
        self.notes.append(text)

    def unplaced(self, label: str, value: str, why: str = "no field for this label") -> None:
        shown = f"{label}: {value}" if label and value else (label or value)
        self.note(f"Not placed: `{_short(shown)}` ({why}); move it into the record by hand or "
                  "delete it.")

    def put(self, path: str, value: Any, label: str) -> None:
        """Set a field once; a second, different value for the same field is reported."""
        existing = _get_path(self.record, path)
        if existing is not None and existing != value:
            self.unplaced(label, value if isinstance(value, str) else str(value),
                          f"`{path}` already has a value from the page")
            return
        _set_path(self.record, path, value)

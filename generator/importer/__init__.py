# This module turns the decision pages councils already publish (ModernGov "Decision details"
# pages, cabinet reports, options appendices; saved as text or HTML) into draft records. Years of
# decisions are online already and retyping them invites mistakes, so the importer keeps every
# labelled value it can place, invents none, and says exactly what it could not place and what an
# officer must add. A source that lacks the legal minimum still gives a record: one whose
# `import_report` (never published) lists what to add, so nothing found is silently lost.
#
# The package is split by stage: html.py and text.py turn the source into lines, segment.py
# finds the labelled sections, fields.py, lists.py, options.py and exempt.py fill the record
# (draft.py holds it while they do), missing.py says what to add, reader.py runs those steps
# for one page and dump.py writes the result. Only `import_files` here touches the disk.
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.formats import DECISION_SCHEMA
from generator.importer.dates import parse_date
from generator.importer.dump import FIELD_ORDER, _write_new, to_yaml
from generator.importer.html import _decode
from generator.importer.reader import _read_page
from generator.importer.result import ImportOutcome, ImportResult, slugify

__all__ = ["FIELD_ORDER", "ImportOutcome", "ImportResult", "import_files", "import_text",
           "parse_date", "slugify", "to_yaml"]

MAX_SOURCE_BYTES = 8 * 1024 * 1024


def import_text(text: str, *, source_name: str) -> ImportResult:
    """Turn one saved decision page (text or HTML) into a record and its report.

    Arguments:
        text: the page, as text or HTML (HTML is recognised by its tags).
        source_name: the file it came from; used for the id when the page has no title.

    Returns:
        The record (schema field order; `import_report` last when anything needs attention),
        the same report lines, a suggested id and the decision year.
    """
    return _read_page(text, source_name)


def import_files(paths: Iterable[Path], out_dir: Path, *,
                 root: Path | None = None) -> tuple[ImportOutcome, ...]:
    """Import each file and write its record under `out_dir`, never overwriting a file.

    Records go to `<out_dir>/<year>/<id>.yaml` when the decision date is known, otherwise to
    `<out_dir>/<id>.yaml`; an existing name gets `-2`, `-3`, ... The schema comment is relative to
    `root` (the project root, default the working directory). This is the only function here
    that touches the disk.
    """
    base = Path.cwd() if root is None else root
    out = out_dir if out_dir.is_absolute() else base / out_dir
    outcomes: list[ImportOutcome] = []
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            outcomes.append(ImportOutcome(path, None, (f"not read: {exc.strerror or exc}.",)))
            continue
        if len(raw) > MAX_SOURCE_BYTES:
            outcomes.append(ImportOutcome(path, None, (
                f"not read: {len(raw):,} bytes is more than a decision page "
                f"({MAX_SOURCE_BYTES:,} at most); save just the decision page.",)))
            continue
        text, encoding_note = _decode(raw)
        result = _read_page(text, str(path), encoding_note)
        folder = out / str(result.year) if result.year else out
        folder.mkdir(parents=True, exist_ok=True)
        schema_ref = Path(os.path.relpath(DECISION_SCHEMA, folder)).as_posix()
        content = to_yaml(result.record, schema_ref=schema_ref)
        written = _write_new(folder, result.suggested_id, content)
        outcomes.append(ImportOutcome(path, written, result.report, result))
    return tuple(outcomes)

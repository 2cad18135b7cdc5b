# This module is `serve`'s first answer to an officer's edit: the edited record's own page,
# planned from the last good build in a fraction of a second, so the page in the browser shows
# the change at once while the full build (every list, feed and export that shows the record:
# tens of seconds at 5,000 decisions) runs after it. Only an edit the full build would accept
# is previewed: every changed file is a record that parses, passes its own checks and keeps
# its id unique. Settings, templates, documents, a removed or renamed record, or a record
# with an error wait for the full build, which reports them as usual.
#
# The leak guard checks the preview against more than the full build will: every record's
# exempt passages (the edited record's as they are now), and their fragments judged with the
# ordinary words of every record but the edited one. Fewer ordinary words mean more fragments,
# so a page the full build would stop is never previewed (generator/fragments.py).
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.callin import call_in_view
from generator.fragments import RecordWords, fragment_secrets
from generator.load import parse_record
from generator.model import Decision
from generator.pipeline import Prepared, available_documents
from generator.problems import Severity, rel
from generator.redact import Secret, redact, secrets_of
from generator.site import Entry, Page, decision_page
from generator.validate import id_key, own_problems

RECORD_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Preview:
    """The edited records' pages, and the secrets the leak guard checks them for."""

    pages: tuple[Page, ...]
    secrets: tuple[Secret, ...]


def plan_preview(last: Prepared, changed: Iterable[Path]) -> Preview | None:
    """The pages of the records in `changed`, as the full build will make them, or None when
    the change is not only to records the full build would accept."""
    if not last.ok or last.project is None:  # only a good build has every record's share
        return None
    root = last.root
    edited: list[Decision] = []
    for path in sorted(set(changed)):
        d = _record(root, path)
        if d is None:
            return None
        edited.append(d)
    if not edited:
        return None
    project, as_of = last.project, last.as_of
    documents = available_documents(root)
    paths = {d.path for d in edited}
    taken = {id_key(d.id) for d in project.decisions if d.path not in paths}
    for d in edited:
        if id_key(d.id) in taken or any(p.severity is Severity.ERROR
                                        for p in own_problems(project, d, as_of.date(), documents)):
            return None
        taken.add(id_key(d.id))
    table = dict(project.authority.exempt_table)
    kept = [last.shares[d.path] for d in project.decisions if d.path not in paths]
    pages: list[Page] = []
    whole: list[Secret] = [s for secrets, _ in kept for s in secrets]
    # The edited records' words are left out: they could only make more words ordinary.
    others: list[RecordWords] = [words for _, words in kept]
    for d in edited:
        public = redact(d, table)
        whole.extend(secrets_of(d))
        entry = Entry(public, call_in_view(public.decision, project.authority, as_of))
        pages.append(decision_page(entry))
    secrets = tuple(whole) + fragment_secrets(project.authority, others, whole)
    return Preview(tuple(pages), secrets)


def _record(root: Path, path: Path) -> Decision | None:
    """The record at `path`, if it is a record file that parses with no error."""
    try:
        shown = rel(path.relative_to(root))
    except ValueError:
        return None
    if not shown.startswith("decisions/") or not shown.endswith(RECORD_SUFFIXES):
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    decision, problems = parse_record(shown, raw)
    if decision is None or any(p.severity is Severity.ERROR for p in problems):
        return None
    return decision

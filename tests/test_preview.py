"""serve's preview of an edited record (generator/preview.py, write.show_preview): the page it
writes is the one the full build then makes, byte for byte; it declines anything the full
build might refuse; and it never writes a page the leak guard would stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cache import restore_records
from generator.cli import _as_of
from generator.pipeline import Prepared, prepare
from generator.preview import plan_preview
from generator.write import build_site, show_preview, undo_preview
from sample_project import AS_OF, copy_project
from test_leaks import make_project

RECORD = "decisions/2025/library-opening-hours.yaml"
PAGE = "decisions/library-opening-hours/index.html"
TITLE = "title: Library opening hours from September 2025"


def built(root: Path) -> Prepared:
    restore_records(root)
    prepared = prepare(root, _as_of(AS_OF), remember=True)
    assert prepared.ok, prepared.problems
    assert not build_site(prepared, root / "site").problems
    return prepared


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Prepared]:
    root = copy_project(tmp_path_factory.mktemp("preview") / "p")
    return root, built(root)


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def test_the_preview_is_the_page_the_full_build_makes(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    last = built(root)
    before = {p.relative_to(root / "site"): p.read_bytes()
              for p in (root / "site").rglob("*") if p.is_file()}
    edit(root / RECORD, TITLE, "title: Library opening hours from May 2026")
    preview = plan_preview(last, [root / RECORD])
    assert preview is not None and [p.path for p in preview.pages] == [
        "decisions/library-opening-hours.md"]
    shown = show_preview(last, preview, root / "site")
    assert shown is not None and [name for name, _ in shown.files] == [PAGE]
    page = (root / "site" / PAGE).read_bytes()
    assert b"Library opening hours from May 2026" in page
    after = {p.relative_to(root / "site"): p.read_bytes()
             for p in (root / "site").rglob("*") if p.is_file()}
    assert {str(k) for k in after if after[k] != before.get(k)} == {PAGE}
    built(root)
    assert (root / "site" / PAGE).read_bytes() == page


def test_undo_puts_back_the_last_good_page(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    last = built(root)
    old = (root / "site" / PAGE).read_bytes()
    edit(root / RECORD, TITLE, "title: Library opening hours from May 2026")
    preview = plan_preview(last, [root / RECORD])
    assert preview is not None
    shown = show_preview(last, preview, root / "site")
    assert shown is not None and (root / "site" / PAGE).read_bytes() != old
    undo_preview(root / "site", shown)
    assert (root / "site" / PAGE).read_bytes() == old


@pytest.mark.parametrize("change", ["settings", "error", "removed", "duplicate id", "document",
                                    "unknown ward"])
def test_what_the_full_build_might_refuse_is_not_previewed(
        sample: tuple[Path, Prepared], change: str) -> None:
    root, last = sample
    record = root / RECORD
    original = record.read_text(encoding="utf-8")
    made: list[Path] = []
    try:
        if change == "settings":
            changed = root / "site-data" / "authority.yml"
        elif change == "error":
            edit(record, "status: approved", "status: done")
            changed = record
        elif change == "removed":
            changed = root / "decisions" / "2025" / "gone.yaml"
        elif change == "duplicate id":
            changed = root / "decisions" / "2026" / "library-opening-hours.yaml"
            changed.write_text(original, encoding="utf-8")
            made.append(changed)
        elif change == "document":
            changed = root / "decisions" / "2025" / "notes.txt"
            changed.write_text("a public document", encoding="utf-8")
            made.append(changed)
        else:
            edit(record, "wards: [Eastfield,", "wards: [Nowhere Ward, Eastfield,")
            changed = record
        assert plan_preview(last, [changed]) is None
        if change not in ("error", "unknown ward"):
            # The record itself is previewed: the refusal is the change's, not the setup's.
            assert plan_preview(last, [record]) is not None
    finally:
        record.write_text(original, encoding="utf-8")
        for path in made:
            path.unlink()


def test_a_pasted_exempt_passage_is_never_previewed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", "private")
    last = built(root)
    target = root / "decisions" / "2026" / "leak-canary-officer.yaml"
    page = root / "site" / "decisions" / "leak-canary-officer" / "index.html"
    old = page.read_bytes()
    # Another record's exempt price, pasted into this record's public purpose.
    edit(target, "purpose: To secure emergency accommodation for a household.",
         "purpose: To secure emergency accommodation. The agreed price is qzx7expurposek9 "
         "pounds.")
    preview = plan_preview(last, [target])
    assert preview is not None  # the record itself is valid; only the guard can stop it
    assert show_preview(last, preview, root / "site") is None
    assert page.read_bytes() == old

"""The build cache (generator/cache.py): a build after a change gives exactly the site a clean
build gives, remakes only what changed, and never lets a file past the leak guard unscanned."""

from __future__ import annotations

import gc
import json
import os
import pickle
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from generator import cache, engines, guard, load, pipeline
from generator.pieces import PIECES_DIR, read_pieces
from sample_project import AS_OF, REPO, build, copy_project
from test_leaks import make_project

pytestmark = pytest.mark.slow


def site_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_sites(a: Path, b: Path) -> None:
    left, right = site_bytes(a), site_bytes(b)
    assert sorted(left) == sorted(right)
    differ = [name for name in left if left[name] != right[name]]
    assert differ == []


def reused(out: str) -> int:
    found = re.search(r"\((\d+) unchanged files kept from the last build\)", out)
    return int(found.group(1)) if found else 0


def incremental_then_clean(tmp_path: Path, change) -> tuple[str, Path, Path]:
    """Build, apply `change` to the project, build again with the cache, and build the changed
    project afresh elsewhere; return the second build's output and both sites."""
    project = copy_project(tmp_path / "p")
    status, out, err = build(project)
    assert status == 0, err
    assert reused(out) == 0  # nothing to reuse yet
    change(project)
    status, out, err = build(project)
    assert status == 0, err
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, symlinks=True,
                    ignore=shutil.ignore_patterns("site", "build"))
    status, _, err = build(clean, "--no-cache")
    assert status == 0, err
    assert not (clean / "build" / "cache").exists()  # --no-cache writes none either
    return out, project / "site", clean / "site"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


RECORD = "decisions/2025/library-opening-hours.yaml"


def noting_calendars(change, inodes: dict[str, int]):
    """`change`, after noting each calendar file's inode in `inodes`."""
    def noted(project: Path) -> None:
        inodes.update((p.relative_to(project / "site").as_posix(), p.stat().st_ino)
                      for p in (project / "site" / "calendar").glob("*.ics"))
        change(project)

    return noted


def kept_files(site: Path, inodes: dict[str, int]) -> list[str]:
    """The files in `site` that are still the ones noted (hard links, not written again)."""
    return [n for n, ino in inodes.items() if (site / n).stat().st_ino == ino]


def test_a_changed_record_gives_the_clean_site_and_reuses_the_rest(tmp_path: Path) -> None:
    def change(project: Path) -> None:
        edit(project / RECORD, "title: Library opening hours from September 2025",
             "title: Library opening hours from October 2025")

    inodes: dict[str, int] = {}
    pieces: dict[str, set[str]] = {}

    def noting_pieces(project: Path) -> None:
        pieces.update(kept_pieces(project))
        change(project)

    out, incremental, clean = incremental_then_clean(
        tmp_path, noting_calendars(noting_pieces, inodes))
    assert_same_sites(incremental, clean)
    # The data files made a decision at a time made only the changed decision's piece again.
    after = kept_pieces(incremental.parent)
    assert sorted(pieces) == sorted(after) == ["decisions.csv", "decisions.json", "ocds",
                                               "search"]
    for task in ("decisions.csv", "decisions.json", "search"):
        assert len(after[task] - pieces[task]) == len(pieces[task] - after[task]) == 1, task
    assert after["ocds"] == pieces["ocds"]  # not a commissioning decision: not in ocds.json
    # The calendars are made in groups; the others in the group come out the same and are
    # the previous files, not scanned and written again.
    assert len(kept_files(incremental, inodes)) >= len(inodes) - 1 and len(inodes) > 3
    page = (incremental / "decisions" / "library-opening-hours" / "index.html").read_text()
    assert "Library opening hours from October 2025" in page
    # The other 22 decision pages do not show its title, and are kept; the lists and exports
    # that show it were made again.
    assert 22 <= reused(out) < len(site_bytes(incremental))


def kept_pieces(project: Path) -> dict[str, set[str]]:
    folder = project / cache.CACHE_DIR / PIECES_DIR
    return {p.name.removesuffix(".bin"): set(read_pieces(p)) for p in folder.glob("*.bin")}


def test_damaged_pieces_are_made_again(tmp_path: Path) -> None:
    def change(project: Path) -> None:
        edit(project / RECORD, "title: Library opening hours from September 2025",
             "title: Library opening hours from October 2025")
        for path in (project / cache.CACHE_DIR / PIECES_DIR).glob("*.bin"):
            raw = path.read_bytes()
            path.write_bytes(raw[:len(raw) // 2])  # a disk filled while it was written

    _, incremental, clean = incremental_then_clean(tmp_path, change)
    assert_same_sites(incremental, clean)


def test_a_removed_record_leaves_no_file_or_folder_of_its_own(tmp_path: Path) -> None:
    # The build keeps unchanged files where they are and moves the new ones in (write._publish):
    # what the new site does not have must go, folders too.
    out, incremental, clean = incremental_then_clean(
        tmp_path, lambda project: (project / RECORD).unlink())
    assert_same_sites(incremental, clean)
    assert not (incremental / "decisions" / "library-opening-hours").exists()
    assert not (incremental / "calendar" / "library-opening-hours.ics").exists()
    assert reused(out) > 0
    folders = sorted(p.relative_to(incremental).as_posix() for p in incremental.rglob("*")
                     if p.is_dir())
    assert folders == sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*")
                             if p.is_dir())


def test_a_changed_setting_gives_the_clean_site(tmp_path: Path) -> None:
    pages: dict[str, int] = {}

    def change(project: Path) -> None:
        pages.update((p.relative_to(project / "site").as_posix(), p.stat().st_ino)
                     for p in (project / "site").rglob("*.html"))
        edit(project / "site-data" / "authority.yml", "name: Example Borough Council",
             "name: Example Metropolitan Borough Council")

    out, incremental, clean = incremental_then_clean(tmp_path, change)
    assert_same_sites(incremental, clean)
    # A page that shows the council's name was made again; one that came out the same (the
    # site's title in the header is mkdocs.yml's) is the previous file, kept.
    named = [n for n in pages if b"Example Metropolitan Borough Council"
             in (incremental / n).read_bytes()]
    assert len(named) >= 3
    assert [n for n in named if (incremental / n).stat().st_ino == pages[n]] == []
    assert 0 < reused(out) < len(site_bytes(incremental)) - len(named)


def test_a_changed_council_template_gives_the_clean_site(tmp_path: Path) -> None:
    def change(project: Path) -> None:
        folder = project / "site-data" / "templates"
        folder.mkdir(exist_ok=True)
        template = (REPO / "generator" / "templates" / "decision.html.j2").read_text("utf-8")
        assert "</h1>" in template
        (folder / "decision.html.j2").write_text(
            template.replace("</h1>", "</h1>\n<p>Council template marker</p>", 1), "utf-8")

    inodes: dict[str, int] = {}
    out, incremental, clean = incremental_then_clean(tmp_path, noting_calendars(change, inodes))
    assert_same_sites(incremental, clean)
    # Templates are in every file's key, so the calendars were made again; they do not show
    # the template, came out the same and are the previous files, not scanned and written.
    assert len(kept_files(incremental, inodes)) == len(inodes) > 3
    page = (incremental / "decisions" / "library-opening-hours" / "index.html").read_text()
    assert "Council template marker" in page


def test_unchanged_engine_inputs_reuse_the_engines_output(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    before = site_bytes(project / "site")
    monkeypatch.setattr(engines, "build", no_engine)
    status, out, err = build(project)
    assert status == 0, err
    assert site_bytes(project / "site") == before
    assert reused(out) == len(before) - len(cache_free(before))


def no_engine(*args: object, **kwargs: object) -> None:
    raise AssertionError("the engine ran although nothing it reads had changed")


def test_an_edit_shown_on_the_engines_pages_leaves_the_engine_unrun(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The record is on the home page, the call-in board and the commissioning register, all
    # built by the engine; its title is in their slots (render.Slots), not in their Markdown.
    record = "decisions/2026/household-waste-recycling-centres-contract.yaml"
    old = "title: Household waste recycling centres - operating contract extension"
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    for page in ("index.html", "commissioning/index.html"):
        assert "Household waste recycling centres - operating" in (
            project / "site" / page).read_text(), page
    edit(project / record, old, old.replace("operating", "running"))
    with monkeypatch.context() as m:
        m.setattr(engines, "build", no_engine)
        status, out, err = build(project)
    assert status == 0, err
    for page in ("index.html", "commissioning/index.html"):
        assert "Household waste recycling centres - running" in (
            project / "site" / page).read_text(), page
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, symlinks=True,
                    ignore=shutil.ignore_patterns("site", "build"))
    assert build(clean, "--no-cache")[0] == 0
    assert_same_sites(project / "site", clean / "site")


def test_a_passage_pasted_into_a_slot_is_caught_with_the_engine_unrun(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "leaks", "private")
    assert build(project)[0] == 0
    before = site_bytes(project / "site")
    edit(project / "decisions" / "2026" / "leak-control-public.yaml",
         "title: Library opening hours review",
         "title: Library opening hours review The agreed price is qzx7expurposek9 pounds")
    monkeypatch.setattr(engines, "build", no_engine)
    status, out, err = build(project)
    assert status == 1
    # The home page's latest decisions are a slot, filled after the engine's output was reused.
    assert "site/index.html: leak-canary-cabinet:" in err, err.splitlines()
    assert "qzx7expurposek9" not in err and "qzx7expurposek9" not in out
    assert site_bytes(project / "site") == before


def cache_free(files: dict[str, bytes]) -> list[str]:
    """The files every build makes afresh: the sitemaps."""
    return [n for n in files if n == "sitemap.xml" or n.startswith("sitemaps/")]


def test_a_changed_council_theme_file_runs_the_engine_again(tmp_path: Path) -> None:
    def change(project: Path) -> None:
        partial = project / "overrides" / "partials" / "copyright.html"
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text("<p>Council theme marker</p>\n", encoding="utf-8")

    out, incremental, clean = incremental_then_clean(tmp_path, change)
    assert_same_sites(incremental, clean)
    assert "Council theme marker" in (incremental / "index.html").read_text()


def test_a_file_changed_in_the_site_is_made_again(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    page = project / "site" / "decisions" / "library-opening-hours" / "index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"Library", b"Lxbrary"))
    status, out, err = build(project)
    assert status == 0, err
    assert page.read_bytes() == original
    assert reused(out) > 0


def test_a_new_exempt_passage_is_checked_against_unchanged_pages(tmp_path: Path) -> None:
    # The public record is unchanged, so its page would be reused; but the passage now made
    # exempt in another record appears on it, and the guard must see that.
    project = make_project(tmp_path / "leaks", "private")
    status, out, err = build(project)
    assert status == 0, err
    edit(project / "decisions" / "2026" / "leak-canary-cabinet.yaml",
         "[[exempt 3]]The agreed price is\n  qzx7expurposek9 pounds[[/exempt]]",
         "[[exempt 3]]To review opening hours (qzx7pubpurposek9)[[/exempt]]")
    before = site_bytes(project / "site")
    status, out, err = build(project)
    assert status == 1
    assert "site/decisions/leak-control-public/index.html" in err, err.splitlines()
    # A data file whose bytes did not change is scanned again too: the secrets did.
    assert "site/search/decisions/" in err, err.splitlines()
    assert "qzx7pubpurposek9" not in err and "qzx7pubpurposek9" not in out
    assert site_bytes(project / "site") == before  # the failed build left the site as it was


def test_the_next_build_reads_the_records_back_from_the_cache(tmp_path: Path) -> None:
    """Every class a record holds must be on the unpickler's allowlist, or each build quietly
    reads every record file again (as it did when the call-in stage became a package)."""
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    records = len(list((project / "decisions").rglob("*.yaml")))
    load.remember_records({})
    gc.unfreeze()
    assert records > 10 and cache.restore_records(project) == records
    # Frozen for the cycle collector, which would otherwise walk every restored object on its
    # next pass over the youngest generation (0.9 s at 20,000 decisions).
    assert gc.get_freeze_count() > records * 10
    folder = project / cache.CACHE_DIR / cache.RECORDS
    assert len(list(folder.glob("part-*.pickle"))) == cache.PARTS
    # Each is made again by a call of its classes (pickling.reducers): the same records, the
    # same problems, and nothing that pickle's default for a class would write.
    restored = load.remembered_records()
    load.remember_records({})
    load._RECORD_CACHE.clear()
    fresh = load.load_project(project, remember=True)
    assert fresh.project is not None
    again = load.remembered_records()
    assert sorted(again) == sorted(restored)
    assert all(again[k][1:] == restored[k][1:] for k in again)
    assert {d.path: d for d in fresh.project.decisions} == {
        k: v[1] for k, v in restored.items() if v[1] is not None}
    assert pickle.BUILD not in _opcodes(folder)


def _opcodes(folder: Path) -> set[bytes]:
    import pickletools

    found: set[bytes] = set()
    for path in folder.glob("part-*.pickle"):
        with path.open("rb") as f:
            f.readline()
            f.readline()
            found.update(op.code.encode("latin-1") for op, _, _ in pickletools.genops(f))
    return found


def test_a_build_after_one_edit_rewrites_only_that_records_part_of_the_cache(
        tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    folder = project / cache.CACHE_DIR / cache.RECORDS

    def written() -> dict[str, tuple[int, int]]:  # a file written again is a new inode
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}

    before = written()
    assert build(project)[0] == 0  # nothing changed: nothing written
    assert written() == before
    record = project / "decisions" / "2025" / "library-opening-hours.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "title: Library opening hours from September 2025",
        "title: Library opening hours from October 2025"), encoding="utf-8")
    assert build(project)[0] == 0
    after = written()
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == [cache._part_name(cache._part_of("decisions/2025/library-opening-hours.yaml"))]
    cache._RESTORED.clear()  # as a new process starts
    load.remember_records({})
    assert cache.restore_records(project) == len(list((project / "decisions").rglob("*.yaml")))


def test_the_records_cache_is_saved_by_a_child_as_this_process_would_save_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "leaks", "private")  # exempt text: the guard's forms
    folder = project / cache.CACHE_DIR / cache.RECORDS
    savers = tmp_path / "savers"
    save = cache._save_records

    def noted(*args, **kwargs):
        with savers.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return save(*args, **kwargs)

    monkeypatch.setattr(cache, "_save_records", noted)
    guard.FORMS.clear()  # as in a new process: the child starts before the guard is built
    assert build(project)[0] == 0
    assert savers.read_text().split() != [str(os.getpid())]  # another process saved them
    by_child = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(by_child) == cache.PARTS + 1
    assert len(pickle.loads(by_child[cache.FORMS_FILE].split(b"\n", 2)[2])["forms"]) > 10
    inodes = {p.name: p.stat().st_ino for p in folder.iterdir()}
    prepared = pipeline.prepare(project, datetime.fromisoformat(AS_OF), remember=True)
    # This process was told what the child wrote (as `serve`, which builds again without
    # reading the cache back, must be): saving the same records writes nothing.
    cache.save_records(project, prepared.secrets)
    assert {p.name: p.stat().st_ino for p in folder.iterdir()} == inodes
    shutil.rmtree(folder)
    cache._RESTORED.clear()
    cache.save_records(project, prepared.secrets)  # in this process, after the guard ran
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == by_child


def test_a_failure_saving_the_records_cache_fails_the_build_and_quotes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    before = site_bytes(project / "site")
    record = project / "decisions" / "2025" / "library-opening-hours.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "title: Library opening hours from September 2025",
        "title: Library opening hours from October 2025"), encoding="utf-8")

    def fails(*args, **kwargs):
        raise ValueError("the price was 410,117")  # as a record's own text might be

    monkeypatch.setattr(cache, "_save_records", fails)
    with pytest.raises(RuntimeError, match="could not be saved: ValueError$"):
        build(project)
    assert site_bytes(project / "site") == before
    assert not list(project.glob(".site-new-*"))


def test_a_cache_holding_code_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    folder = project / cache.CACHE_DIR / cache.RECORDS

    class Payload:
        def __reduce__(self):  # what a poisoned cache would carry
            return (os.system, ("touch " + str(tmp_path / "ran"),))

    # The header names this code (and a signature), so the poisoned pickle after it is read:
    # as the guard's forms, or as a part of the records.
    head = cache.code_digest().encode() + b"\n" + b"0" * 40 + b"\n"
    for name, poisoned in ((cache.FORMS_FILE, {"forms": Payload()}),
                           (cache._part_name(3), {"records": {"x": Payload()}, "checked": {},
                                                  "redacted": {}})):
        clean = (folder / name).read_bytes()
        (folder / name).write_bytes(head + pickle.dumps(poisoned))
        assert cache.restore_records(project) == 0
        assert not (tmp_path / "ran").exists()
        (folder / name).write_bytes(clean)
    (folder / cache.FORMS_FILE).write_bytes(head + pickle.dumps({"forms": Payload()}))
    status, out, err = build(project)
    assert status == 0, err
    assert not (tmp_path / "ran").exists()


def test_the_cache_is_under_build_and_never_published(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    assert (project / "build" / "cache" / "outputs.json").is_file()
    assert not any("cache" in p.parts for p in (project / "site").rglob("*"))


def test_another_moment_remakes_the_pages_that_show_it(tmp_path: Path) -> None:
    # The incremental tests above build at the sample's moment; a second build at another
    # moment must not reuse pages that show the time left.
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    status, out, err = build(project, as_of="2026-11-22T11:00:00+00:00")
    assert status == 0, err
    assert AS_OF != "2026-11-22T11:00:00+00:00"
    pages = project / "site" / "decisions"
    page = (pages / "riverside-park-play-area-refurbishment" / "index.html").read_text()
    assert "as of 11am on Sunday 22 November 2026" in page  # open for call-in
    # In force long since: a final status shows no moment (callin.status).
    assert "as of" not in (pages / "library-opening-hours" / "index.html").read_text()


def later(minutes: int) -> str:
    return (datetime.fromisoformat(AS_OF) + timedelta(minutes=minutes)).isoformat()


def built_afresh(project: Path, tmp_path: Path, as_of: str) -> Path:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(project, clean, symlinks=True,
                    ignore=shutil.ignore_patterns("site", "build"))
    status, _, err = build(clean, "--no-cache", as_of=as_of)
    assert status == 0, err
    return clean / "site"


def test_a_new_moment_keeps_every_page_of_a_settled_decision(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A deploy builds for "now". A decision whose call-in status is final shows no moment, so
    # a build a minute later keeps its page and its calendar file; and the engine's Markdown
    # holds no moment (the moment is in slots), so the engine does not run (cache.engine_key).
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    site = project / "site"
    inodes = {p.relative_to(site).as_posix(): p.stat().st_ino
              for p in site.rglob("*") if p.is_file()}
    doc = json.loads((site / "decisions.json").read_text())
    final = [d["id"] for d in doc["decisions"] if d["call_in"]["as_of"] is None]
    moving = [d["id"] for d in doc["decisions"] if d["call_in"]["as_of"] is not None]
    assert len(final) >= 15 and moving  # the sample has both
    with monkeypatch.context() as m:
        m.setattr(engines, "build", no_engine)
        status, out, err = build(project, as_of=later(1))
    assert status == 0, err
    kept = set(kept_files(site, inodes))
    pages = {f"decisions/{i}/index.html" for i in final}
    calendars = {n for n in inodes if n.startswith("calendar/") and n[9:-4] in final}
    assert calendars and (pages | calendars) <= kept
    # A page of an open decision shows its time left and the moment, which moved on.
    assert not {f"decisions/{i}/index.html" for i in moving} & kept
    assert "browse/status/in-force/index.html" in kept
    assert "decisions.json" not in kept  # it says when it was made
    assert reused(out) == len(kept) > len(inodes) * 3 // 4
    assert_same_sites(site, built_afresh(project, tmp_path, later(1)))


def test_a_week_on_every_status_that_moved_is_shown_as_a_clean_build_shows_it(
        tmp_path: Path) -> None:
    # Call-in periods open at the sample's moment end within the week, and pages with a final
    # status are kept: the kept and the remade pages together are the clean build's site.
    project = copy_project(tmp_path / "p")
    assert build(project)[0] == 0
    before = json.loads((project / "site" / "decisions.json").read_text())
    status, out, err = build(project, as_of=later(7 * 24 * 60))
    assert status == 0, err
    after = json.loads((project / "site" / "decisions.json").read_text())
    states = {d["id"]: d["call_in"]["status"] for d in before["decisions"]}
    assert any(states[d["id"]] != d["call_in"]["status"] for d in after["decisions"])
    assert reused(out) > 0
    assert_same_sites(project / "site", built_afresh(project, tmp_path, later(7 * 24 * 60)))


def test_remembered_slices_of_a_large_export_never_hide_a_pasted_passage(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from generator import guard

    # The leak fixture's exports, read as large files are: in slices, by content.
    monkeypatch.setattr(guard, "_SLICE", 256)
    monkeypatch.setattr(guard, "_PIECE", 1024)
    monkeypatch.setattr(guard, "_PIECE_MIN", 128)
    monkeypatch.setattr(guard, "_PIECE_MAX", 8192)
    project = make_project(tmp_path / "leaks", "private")
    status, _, err = build(project)
    assert status == 0, err

    def windows() -> set[str]:
        saved = json.loads((project / cache.CACHE_DIR / cache.WINDOWS).read_text())["windows"]
        return {key for entries in saved.values() for key in entries}

    first = windows()
    assert len(first) > 20
    control = project / "decisions" / "2026" / "leak-control-public.yaml"
    edit(control, "title: Library opening hours review", "title: Library opening hours review 2")
    status, _, err = build(project)
    assert status == 0, err
    second = windows()
    # Only the windows around the edit are new; those of files not made again are kept.
    assert len(second - first) <= 12 and len(first - second) <= 12
    before = site_bytes(project / "site")
    edit(control, "To review opening hours (qzx7pubpurposek9).",
         "To review opening hours (qzx7pubpurposek9). The agreed price is qzx7expurposek9 pounds.")
    status, out, err = build(project)
    assert status == 1
    for export in ("decisions.json", "decisions.csv"):
        assert f"site/{export}: leak-canary-cabinet:" in err, err.splitlines()
    assert "qzx7expurposek9" not in err and "qzx7expurposek9" not in out
    assert site_bytes(project / "site") == before


def test_a_kept_files_stamp_is_the_one_checked_and_a_made_files_is_looked_up(
        tmp_path: Path) -> None:
    (tmp_path / "made.html").write_bytes(b"new")
    previous = {"kept.html": ["old key", 11, 22], "made.html": ["old key", 1, 2]}
    files = cache.stamps(tmp_path, {"kept.html": "k1", "made.html": "k2", "gone.html": "k3"},
                         frozenset({"kept.html"}), previous)
    st = os.stat(tmp_path / "made.html")
    # kept.html is not on disk here: its stamp cannot have come from a lookup.
    assert files == {"kept.html": ("k1", 11, 22), "made.html": ("k2", 3, st.st_mtime_ns)}


def test_an_upgraded_package_makes_every_page_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are made by Jinja, Markdown, nh3 and the rest, and deadlines by the holidays
    package: the build's key holds every installed package's version, so an upgrade cannot
    leave a page made by the old one in the site."""
    import importlib.metadata

    real = list(importlib.metadata.distributions())
    cache.code_digest.cache_clear()
    try:
        before = cache.code_digest()

        class Upgraded:
            name, version = "holidays", "9999.1"

        others = [d for d in real if d.name != "holidays"]
        monkeypatch.setattr(importlib.metadata, "distributions", lambda: [*others, Upgraded()])
        cache.code_digest.cache_clear()
        assert cache.code_digest() != before
        monkeypatch.setattr(importlib.metadata, "distributions", lambda: real)
        cache.code_digest.cache_clear()
        assert cache.code_digest() == before
    finally:
        cache.code_digest.cache_clear()

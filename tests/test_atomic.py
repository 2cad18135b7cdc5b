# This module tests the write stage's two promises about the published folder. Atomic: a build
# that fails for any reason (a bad record, exempt text found in the output, a MkDocs error)
# leaves the previous site/ byte for byte as it was. Reproducible: the same records and the
# same --as-of give the same bytes, whatever the day, the folder or Python's hash seed.
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sample_project import AS_OF, REPO, build, copy_project

pytestmark = pytest.mark.slow

# An inline exempt passage, allowed because the test project's repository is private. The
# passage is redacted from every page; the leak test pastes it into a public field.
PASSAGE = "a tender price of GBP 412,000 a year from Northgate Library Services"
RECORD = f"""\
title: Library self-service kiosks
decision_maker: Cabinet Member for Culture, Leisure and Libraries
decision_type: cabinet-member
status: approved
key_decision: false
portfolio: Culture, Leisure and Libraries
wards: [all]
dates:
  decision: 2025-12-04
  published: 2025-12-04
decision:
  - To buy self-service kiosks for the borough's libraries.
reasons:
  - The preferred bidder offered [[exempt 3]]{PASSAGE}[[/exempt]], within the budget.
alternatives:
  - title: Keep staffed counters only
    outcome: rejected
implementation: Kiosks are installed from April 2026.
"""
KIOSKS = "decisions/2025/library-self-service-kiosks.yaml"


def hashes(folder: Path) -> dict[str, str]:
    """Every file under `folder`, by relative path, with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def private_project(root: Path) -> Path:
    project = copy_project(root)
    authority = project / "site-data" / "authority.yml"
    text = authority.read_text(encoding="utf-8")
    assert text.count("source_repository: public") == 1
    authority.write_text(text.replace("source_repository: public", "source_repository: private"),
                         encoding="utf-8")
    (project / KIOSKS).write_text(RECORD, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plus the kiosks record, in a private repository, built once."""
    project = private_project(tmp_path_factory.mktemp("atomic") / "project")
    status, out, err = build(project)
    assert status == 0, err
    page = (project / "site" / "decisions" / "library-self-service-kiosks" / "index.html")
    assert "exempt information withheld under paragraph 3" in page.read_text(encoding="utf-8")
    return project


def copy_built(built: Path, dest: Path) -> Path:
    shutil.copytree(built, dest, symlinks=True)
    return dest


def break_a_record(project: Path) -> None:
    path = project / KIOSKS
    path.write_text(path.read_text(encoding="utf-8").replace("reasons:", "reasns:"),
                    encoding="utf-8")


def paste_the_passage_into_a_public_field(project: Path) -> None:
    path = project / KIOSKS
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Kiosks are installed from April 2026.",
                                 f"Kiosks are installed from April 2026, at {PASSAGE}."),
                    encoding="utf-8")


def break_the_navigation(project: Path) -> None:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count("  - Home: index.md\n") == 1
    path.write_text(text.replace("  - Home: index.md\n",
                                 "  - Home: index.md\n  - Minutes: minutes-2025.md\n"),
                    encoding="utf-8")


def drop_the_content_block(project: Path) -> None:
    """A council theme whose pages lose the content block the generator fills."""
    main = project / "overrides" / "main.html"
    main.parent.mkdir(parents=True, exist_ok=True)
    main.write_text('{% extends "base.html" %}\n{% block content %}{% endblock %}\n',
                    encoding="utf-8")


@pytest.mark.parametrize(("breakage", "said"), [
    (break_a_record, "reasns: unknown field 'reasns'; did you mean 'reasons'?"),
    (drop_the_content_block, "the engine's shell page cannot be used"),
    (paste_the_passage_into_a_public_field,
     "library-self-service-kiosks: reasons[1]: exempt information from this field appears in "
     "this output"),
    (break_the_navigation, "minutes-2025.md"),
], ids=["bad record", "theme without content", "leak", "mkdocs error"])
def test_a_failed_build_leaves_the_site_as_it_was(built: Path, tmp_path: Path,
                                                  breakage: Callable[[Path], None],
                                                  said: str) -> None:
    project = copy_built(built, tmp_path / "project")
    before = hashes(project / "site")
    assert before
    breakage(project)
    status, out, err = build(project)
    assert status == 1
    assert said in err
    assert PASSAGE not in out + err
    assert hashes(project / "site") == before
    assert not list(project.glob(".site-*")), "no temporary folder is left beside the site"


def test_a_good_build_replaces_the_whole_site(built: Path, tmp_path: Path) -> None:
    project = copy_built(built, tmp_path / "project")
    stray = project / "site" / "left-over.html"
    stray.write_text("<p>from an older build</p>\n", encoding="utf-8")
    status, _, err = build(project)
    assert status == 0, err
    assert not stray.exists()
    assert hashes(project / "site") == hashes(built / "site")


# ---------------------------------------------------------------------------------------------
# Reproducible


def build_in_subprocess(project: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "build", "--as-of", AS_OF],
        cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_same_inputs_give_the_same_bytes(built: Path, tmp_path: Path) -> None:
    # Another folder, another hash seed (set iteration order), and a SOURCE_DATE_EPOCH naming
    # another day, as a CI system might export: none may change a byte.
    other = private_project(tmp_path / "elsewhere" / "project")
    build_in_subprocess(other, {"PYTHONHASHSEED": "4242", "SOURCE_DATE_EPOCH": "1700000000"})
    assert hashes(other / "site") == hashes(built / "site")


def test_the_day_of_the_build_does_not_date_the_site(built: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import mkdocs.utils

    class FortyDaysLater(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> FortyDaysLater:  # type: ignore[override]
            return super().now(tz) + dt.timedelta(days=40)

    monkeypatch.setattr(mkdocs.utils, "datetime", FortyDaysLater)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = private_project(tmp_path / "project")
    status, _, err = build(project)
    assert status == 0, err
    assert hashes(project / "site") == hashes(built / "site")
    assert "SOURCE_DATE_EPOCH" not in os.environ, "the build restores the environment"


def test_the_sitemap_is_dated_by_as_of(built: Path) -> None:
    site = built / "site"
    index = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<sitemapindex" in index
    pages = (site / "sitemaps" / "pages-1.xml").read_text(encoding="utf-8")
    for text in (index, pages):
        assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", text)) == {AS_OF[:10]}
    # Every page is listed, decisions included, and the engine's shells are not.
    locs = re.findall(r"<loc>([^<]+)</loc>", pages)
    assert any("/decisions/" in u for u in locs) and not any("portal-shell" in u for u in locs)
    assert not (site / "sitemap.xml.gz").exists() and not (site / "portal-shell").exists()

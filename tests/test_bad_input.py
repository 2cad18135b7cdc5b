# This module runs the catalogue of bad input in tests/data/invalid/ through the command line,
# exactly as an officer would meet it: each `<case>.yaml` is put into a throwaway project, and
# `check` must print exactly `<case>.expected.txt`, fail, and never show a traceback. A case is
# written to decisions/2025/<case>.yaml unless `<case>.filename` lists where it goes instead
# (one path per line, relative to the project: file-name rules, colliding ids, settings files).
from __future__ import annotations

import hashlib
import io
import re
import shutil
import time
from pathlib import Path

import pytest

from generator import cli

CATALOGUE = Path(__file__).parent / "data" / "invalid"
CASES = sorted(p.stem for p in CATALOGUE.glob("*.yaml"))
AS_OF = "2026-11-22T10:00:00+00:00"
SUMMARY = re.compile(r"^(\d+) error\(s\), (\d+) warning\(s\)\.$", re.MULTILINE)
# Cases also run through `build`: one from each stage that can refuse input (YAML, schema,
# file name, cross-record, content rules, settings). None reaches MkDocs.
BUILD_CASES = ["yaml-tag", "unknown-field", "id-collision", "exempt-body-in-public-repository",
               "key-decision-short-notice", "settings-bad-cutoff"]
# Text of the exempt appendix in the catalogue: no message may repeat any of it.
EXEMPT_BODY = "Jane Example, Library Assistant, grade 4: post deleted."


def targets(case: str) -> list[str]:
    listing = CATALOGUE / f"{case}.filename"
    if listing.exists():
        return listing.read_text(encoding="utf-8").splitlines()
    return [f"decisions/2025/{case}.yaml"]


def make_project(template: Path, root: Path, case: str) -> Path:
    shutil.copytree(template, root)
    (root / "decisions").mkdir()
    raw = (CATALOGUE / f"{case}.yaml").read_bytes()
    for target in targets(case):
        path = root / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    return root


def run(project: Path, *args: str) -> tuple[int, str]:
    """The exit status and everything printed, both streams interleaved as a terminal shows."""
    shown = io.StringIO()
    status = cli.main(["--root", str(project), *args, "--as-of", AS_OF], out=shown, err=shown)
    return status, shown.getvalue()


def expected(case: str) -> str:
    return (CATALOGUE / f"{case}.expected.txt").read_text(encoding="utf-8")


def counts(text: str) -> tuple[int, int]:
    found = SUMMARY.search(text)
    assert found, "every expected output ends with the summary line"
    return int(found.group(1)), int(found.group(2))


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_catalogue_is_complete() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert (CATALOGUE / f"{case}.expected.txt").is_file(), case
    stray = {p.name.split(".")[0] for p in CATALOGUE.iterdir()} - set(CASES) - {"README"}
    assert not stray, f"files without a case: {stray}"


@pytest.mark.parametrize("case", CASES)
def test_check_prints_exactly_the_expected_lines(project_template: Path, tmp_path: Path,
                                                 case: str) -> None:
    project = make_project(project_template, tmp_path / "project", case)
    status, output = run(project, "check")
    want = expected(case)
    n_errors, n_warnings = counts(want)
    if n_errors == 0:  # a warning-only case passes, and says so after the warnings
        want += "1 records checked: no errors.\n"
    assert output == want
    assert "Traceback" not in output
    assert status == (1 if n_errors else 0)
    # Every line names its file, and its line whenever the problem has one.
    for line in output.splitlines()[: n_errors + n_warnings]:
        assert re.match(r"^(decisions|site-data)/[^:]+(:\d+)?: ", line), line


WARNING_ONLY = [c for c in CASES
                if (CATALOGUE / f"{c}.expected.txt").is_file() and counts(expected(c))[0] == 0]


@pytest.mark.parametrize("case", WARNING_ONLY)
def test_strict_turns_a_warning_into_failure(project_template: Path, tmp_path: Path,
                                             case: str) -> None:
    project = make_project(project_template, tmp_path / "project", case)
    status, output = run(project, "check", "--strict")
    assert status == 1
    assert output == expected(case)


def test_the_catalogue_has_warning_only_cases() -> None:
    # Keeps the parametrised test above from silently running nothing.
    assert WARNING_ONLY


@pytest.mark.parametrize("case", BUILD_CASES)
def test_build_refuses_and_publishes_nothing(project_template: Path, tmp_path: Path,
                                             case: str) -> None:
    project = make_project(project_template, tmp_path / "project", case)
    status, output = run(project, "build")
    assert status == 1
    assert output == expected(case) + "Nothing was written.\n"
    assert not (project / "site").exists()
    assert not list(project.glob(".site-*"))


def test_build_leaves_an_earlier_site_as_it_was(project_template: Path, tmp_path: Path) -> None:
    project = make_project(project_template, tmp_path / "project", "missing-reasons")
    site = project / "site"
    (site / "decisions" / "earlier").mkdir(parents=True)
    (site / "index.html").write_text("<p>the site published yesterday</p>\n")
    (site / "decisions" / "earlier" / "index.html").write_text("<p>an earlier decision</p>\n")
    before = tree_hashes(site)
    status, _ = run(project, "build")
    assert status == 1
    assert tree_hashes(site) == before


def test_exempt_text_is_never_repeated_in_a_message(project_template: Path,
                                                    tmp_path: Path) -> None:
    case = "exempt-body-in-public-repository"
    assert EXEMPT_BODY.encode() in (CATALOGUE / f"{case}.yaml").read_bytes()
    _, output = run(make_project(project_template, tmp_path / "project", case), "check")
    assert "appendices[1]" in output
    for words in ("Jane Example", "Library Assistant", "grade 4", "post deleted"):
        assert words not in output


def test_an_alias_bomb_is_refused_before_it_expands(project_template: Path,
                                                    tmp_path: Path) -> None:
    # A correctness bound, not a benchmark: expanded, this file is 387 million strings, which
    # no machine builds in two seconds; refused from the event stream, it takes milliseconds.
    project = make_project(project_template, tmp_path / "project", "alias-bomb")
    started = time.perf_counter()
    status, output = run(project, "check")
    assert time.perf_counter() - started < 2.0
    assert status == 1
    assert "YAML aliases (*a) are not allowed" in output
    assert "and 7 more YAML anchors, aliases or tags" in output  # listed, not one per alias

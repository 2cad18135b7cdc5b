"""The command line: exit codes, and what officers and tools read."""

from __future__ import annotations

import io
import json
from pathlib import Path

from generator.cli import main
from sample_project import REPO, copy_project


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_call_in_dates_prints_the_working_for_the_sample_rule() -> None:
    status, out, _ = run("--root", str(REPO), "call-in-dates", "--published", "2025-12-04")
    assert status == 0
    assert "Deadline:   5pm on Tuesday 9 December 2025" in out
    assert "In force:   Wednesday 10 December 2025 (if not called in)" in out
    assert "Friday 5 December 2025" in out and "Saturday 6 December 2025" in out


def test_call_in_dates_json_has_deadline_and_in_force() -> None:
    status, out, _ = run("--root", str(REPO), "call-in-dates", "--published", "2025-12-04",
                         "--json")
    assert status == 0
    data = json.loads(out)
    assert data["deadline"] == "2025-12-09T17:00:00+00:00"
    assert data["in_force"] == "2025-12-10"


def test_call_in_dates_skips_christmas_closures() -> None:
    status, out, _ = run("--root", str(REPO), "call-in-dates", "--published", "2025-12-23",
                         "--json")
    assert status == 0
    data = json.loads(out)
    assert data["deadline"] == "2026-01-05T17:00:00+00:00"
    skipped = {d["date"]: d["why"] for d in data["days"] if not d["counted"]}
    assert "2025-12-25" in skipped and "2025-12-29" in skipped


def test_check_passes_on_the_sample() -> None:
    status, out, err = run("--root", str(REPO), "check", "--as-of", "2026-11-22T10:00:00+00:00")
    assert status == 0, err
    assert "records checked: no errors." in out


def test_check_strict_fails_on_warnings() -> None:
    # The sample has exemptions past their review date: warnings, which --strict makes fatal.
    status, _, err = run("--root", str(REPO), "check", "--strict",
                         "--as-of", "2026-11-22T10:00:00+00:00")
    assert status == 1
    assert "warning: exemption review was due" in err


def test_github_format_emits_annotations(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", records=False)
    (project / "decisions" / "bad.yaml").write_text("title: x\n")
    status, _, err = run("--root", str(project), "check", "--format", "github")
    assert status == 1
    assert err.startswith("::error file=decisions/bad.yaml,line=1::")


def test_as_of_needs_a_time_zone() -> None:
    status, _, _ = run("--root", str(REPO), "check", "--as-of", "2025-12-05T10:00:00")
    assert status == 2


def test_render_writes_markdown_into_build_docs(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    status, out, err = run("--root", str(project), "render", "--as-of",
                           "2026-11-22T10:00:00+00:00")
    assert status == 0, err
    docs = project / "build" / "docs"
    assert (docs / "call-in" / "index.md").read_text().startswith("---\ntitle: ")
    # Decision pages are the generator's own, filled into the engine's shells after it runs.
    assert not (docs / "decisions").exists()
    assert (docs / "portal-shell" / "s" / "index.md").read_text().startswith("---\n")
    # A second run changes nothing, so a watching engine does not rebuild for nothing.
    status, out, _ = run("--root", str(project), "render", "--as-of", "2026-11-22T10:00:00+00:00")
    assert status == 0 and ", 0 changed." in out


def test_the_module_leaves_with_mains_status_and_everything_it_printed(tmp_path: Path) -> None:
    # `python -m generator` leaves without the interpreter's teardown (cli.run): the status
    # and every line printed, to a pipe, must still reach the caller.
    import os
    import subprocess
    import sys

    # Buffered, as a pipe is unless the environment says otherwise.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    ok = subprocess.run([sys.executable, "-m", "generator", "--root", str(REPO), "check"],
                        cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().endswith("records checked: no errors.")
    bad = subprocess.run([sys.executable, "-m", "generator", "--root", str(tmp_path), "check"],
                         cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert bad.stderr.splitlines()[-1] == "6 error(s), 0 warning(s)."
    assert bad.stderr.count("is missing; see README.md") == 6

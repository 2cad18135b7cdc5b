"""`python -m generator serve`: serves the checked build, rebuilds on an edit, reloads the page,
and keeps the last good site when an edit breaks a record."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.serve import RELOAD_PATH
from sample_project import AS_OF, REPO, copy_project

pytestmark = pytest.mark.slow
RECORD = "decisions/2025/library-opening-hours.yaml"
PAGE = "decisions/library-opening-hours/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(check, what: str, limit: float = 120) -> None:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    project = copy_project(tmp_path / "p")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(project), "serve",
             "--addr", f"127.0.0.1:{port}", "--as-of", AS_OF],
            cwd=REPO, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ})
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_for(lambda: get(base + PAGE) is not None or proc.poll() is not None, "serve")
            assert proc.poll() is None, log.read_text()
            yield project, base, log
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_an_edit_is_rebuilt_and_the_page_told_to_reload(served: tuple[Path, str, Path]) -> None:
    project, base, log = served
    page = get(base + PAGE)
    assert page is not None and f'<script src="{RELOAD_PATH}.js"></script>' in page
    assert "location.reload()" in (get(base + RELOAD_PATH.lstrip("/") + ".js") or "")
    generation = get(base + RELOAD_PATH.lstrip("/"))
    record = project / RECORD
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("title: Library opening hours from September 2025",
                                   "title: Library opening hours from May 2026"), "utf-8")
    wait_for(lambda: "Library opening hours from May 2026" in (get(base + PAGE) or ""), "edit")
    # The new site is in place a moment before the server moves its counter on.
    wait_for(lambda: get(base + RELOAD_PATH.lstrip("/")) != generation, "the reload signal")
    wait_for(lambda: log.read_text().count("Built in ") == 2, "the full rebuild")
    text = log.read_text()
    # The edited record's page was shown before the rest of the site was built.
    assert f"Showing {PAGE} in " in text
    assert text.index(f"Showing {PAGE}") < text.rindex("Built in ")
    assert "kept)" in text  # the rebuild reused unchanged files
    # The script is the server's, never the site's.
    assert RELOAD_PATH.encode() not in (project / "site" / PAGE / "index.html").read_bytes()


def test_a_broken_edit_keeps_the_last_good_site(served: tuple[Path, str, Path]) -> None:
    project, base, log = served
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("status: approved",
                                                                 "status: done", 1), "utf-8")
    wait_for(lambda: "Not rebuilt" in log.read_text(), "the failed build's message")
    text = log.read_text()
    assert f"{RECORD}:" in text and "status" in text
    assert "Library opening hours from September 2025" in (get(base + PAGE) or "")
    # Fixed, with a new title: the inputs are no longer the last good build's plus one change,
    # so the page is not previewed but rebuilt with the rest.
    record.write_text(record.read_text(encoding="utf-8").replace("status: done", "status: approved", 1)
                      .replace("title: Library opening hours from September 2025",
                               "title: Library opening hours from June 2026"), "utf-8")
    wait_for(lambda: log.read_text().count("Built in ") == 2, "the good rebuild")
    assert "Library opening hours from June 2026" in (get(base + PAGE) or "")
    assert "Showing" not in log.read_text()

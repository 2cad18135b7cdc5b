"""Every shell command in README.md runs as written (issue 15).

Blocks fenced ```sh, ```bash or ```console are parsed generically, so sections other helpers add
are covered; a command that is neither run nor in SKIP fails the test.
"""
from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

# Commands that cannot run inside a test, with the reason.
SKIP = {
    "make test": "runs this very suite (and the browser tests) recursively",
}
# Commands that serve until stopped: started, probed for HTTP 200, then stopped.
LONG_RUNNING = {"make serve"}
FENCE = re.compile(r"^```(sh|bash|console|shell)\s*$")


def readme_blocks(text: str) -> list[list[str]]:
    """The commands of each shell block; each block starts in the repository's folder."""
    blocks: list[list[str]] = []
    inside = False
    for line in text.splitlines():
        if not inside:
            inside = bool(FENCE.match(line.strip()))
            if inside:
                blocks.append([])
            continue
        if line.strip().startswith("```"):
            inside = False
            continue
        command = line.strip().removeprefix("$ ").split(" #", 1)[0].strip()
        if command and not command.startswith("#"):
            blocks[-1].append(command)
    return blocks


def readme_commands(text: str) -> list[str]:
    return [c for block in readme_blocks(text) for c in block]


def _scratch(dest: Path) -> Path:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    for name in listed:
        src = REPO / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    # The project's own venv, so `make` finds it installed and commands run offline.
    (dest / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    # README's import example names a saved page; give it one (a seed, as HTML).
    seed = (REPO / "tests/data/import/seeds").glob("*.txt").__next__().read_text()
    (dest / "saved").mkdir()
    (dest / "saved/decision-1234.html").write_text(
        "<html><body>" + "".join(f"<p>{html.escape(p)}</p>" for p in seed.splitlines()
                                 if p.strip()) + "</body></html>", encoding="utf-8")
    # `decision-site` as an installed package provides it: the scratch copy's generator.
    bin_dir = dest / ".readme-bin"
    bin_dir.mkdir()
    shim = bin_dir / "decision-site"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH="{dest}" exec "{sys.executable}" -m generator "$@"\n')
    shim.chmod(0o755)
    return dest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(command: str, cwd: Path, env: dict[str, str]) -> None:
    port = _free_port()
    env = {**env, "ADDR": f"127.0.0.1:{port}"}
    log = cwd / ".readme-serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(shlex.split(command), cwd=cwd, env=env, start_new_session=True,
                                stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"{command} exited: {log.read_text()[-3000:]}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    assert r.status == 200
                    return
            except OSError:
                time.sleep(1)
        pytest.fail(f"{command} never answered on port {port}")
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=60)


def test_readme_parses_to_commands() -> None:
    commands = readme_commands((REPO / "README.md").read_text(encoding="utf-8"))
    assert "make check" in commands and "decision-site check" in commands


def test_every_readme_command_runs(tmp_path: Path) -> None:
    # Each block in its own copy: the import example adds a record that still needs
    # attention, which a later block's `make check` would rightly refuse.
    for n, block in enumerate(readme_blocks((REPO / "README.md").read_text(encoding="utf-8"))):
        root = _scratch(tmp_path / f"repo-{n}")
        env = {**os.environ,
               "PATH": f"{root / '.readme-bin'}:{REPO / '.venv/bin'}:{os.environ['PATH']}"}
        env.pop("VIRTUAL_ENV", None)
        _run_block(block, root, env)


def _run_block(block: list[str], root: Path, env: dict[str, str]) -> None:
    cwd = root
    for command in block:
        if command in SKIP:
            continue
        if command.startswith("cd "):
            cwd = (cwd / command[3:].strip()).resolve()
            assert cwd.is_dir(), command
            continue
        if command in LONG_RUNNING:
            _serve(command, cwd, env)
            continue
        done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=900)
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"


def test_skip_list_names_only_readme_commands() -> None:
    commands = set(readme_commands((REPO / "README.md").read_text(encoding="utf-8")))
    # A stale entry would hide a renamed command from the run.
    assert set(SKIP) <= commands

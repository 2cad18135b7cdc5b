"""Every command in README.md's shell blocks runs as written, in a scratch copy of the
repository: a new user's first commands must work."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from sample_project import REPO

pytestmark = pytest.mark.slow

# Commands a test cannot run, with the reason. Anything else in a shell block is run.
NOT_RUN = {
    "make test": "the command that runs this test",
}
# Commands that keep running: started, checked to answer over HTTP, then stopped.
SERVERS = {"make serve"}
# What the README's commands need that a user has: a page saved from a committee system.
SAVED_PAGE = ("saved/decision-1234.html",
              sorted((REPO / "tests" / "data" / "import" / "seeds").glob("000_*.txt"))[0])


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"(?ms)^```(?:sh|bash|console|shell)\n(.*?)^```", text)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("$ "):
                line = line[2:]
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def test_the_readme_has_commands_and_each_is_run_or_listed() -> None:
    commands = readme_commands()
    assert "make serve" in commands and "make check" in commands
    # Listing a command that is not there any more would hide that the README changed.
    assert set(NOT_RUN) <= set(commands)


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A copy of the repository per command: an import adds a record that needs attention,
    which `make check` would rightly refuse."""
    dest = tmp_path / "repo"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    # The installed environment is shared (its stamp is newer than the locks, so `make` does
    # not reinstall); everything else is the copy's own.
    (dest / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    stamp = (REPO / ".venv" / ".installed").stat().st_mtime
    for lock in dest.glob("requirements*.txt"):
        os.utime(lock, (stamp - 1, stamp - 1))
    saved = dest / SAVED_PAGE[0]
    saved.parent.mkdir(parents=True)
    saved.write_bytes(SAVED_PAGE[1].read_bytes())
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("command", [c for c in readme_commands() if c not in NOT_RUN])
def test_a_readme_command_runs_as_written(scratch: Path, command: str) -> None:
    env = {**os.environ, "PATH": f"{REPO / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    if command not in SERVERS:
        done = subprocess.run(shlex.split(command), cwd=scratch, env=env, capture_output=True,
                              text=True, timeout=900, check=False)
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        return
    port = free_port()
    env["ADDR"] = f"127.0.0.1:{port}"  # the Makefile's own setting, so a busy 8000 is no matter
    proc = subprocess.Popen(shlex.split(command), cwd=scratch, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        start = time.monotonic()
        while time.monotonic() - start < 300:
            assert proc.poll() is None, proc.stdout.read().decode()[-3000:] if proc.stdout else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    assert r.status == 200
                    assert b"<html" in r.read()
                    return
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"{command} never answered on port {port}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()

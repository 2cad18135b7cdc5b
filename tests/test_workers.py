"""The write stage's workers (generator/workers.py): every data task made and scanned, and the
main process's own work done while they run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from jinja2 import Environment

from generator.render import Output
from generator.workers import Work, make_all


def _work(out: Path, scanned: list[str]) -> Work:
    def task(name: str):
        return lambda pieces: (Output(f"{name}/{i}.txt", f"{name} {i}".encode()) for i in range(3))

    def scan(name: str, raw: bytes) -> list:
        scanned.append(name)
        return []

    return Work((), [task("a"), task("b")], Environment(), {}, {}, "https://x.example/", out,
                scan)


@pytest.mark.parametrize("processes", [1, 2])
def test_meanwhile_runs_once_in_this_process_while_the_files_are_made(
        tmp_path: Path, processes: int) -> None:
    ran: list[int] = []
    made = make_all(_work(tmp_path, []), processes, lambda: ran.append(os.getpid()))
    assert ran == [os.getpid()]
    assert sorted(name for name, _ in made.files) == [f"{t}/{i}.txt" for t in "ab" for i in range(3)]
    assert (tmp_path / "b" / "2.txt").read_bytes() == b"b 2"



def test_a_file_is_written_into_a_folder_removed_since_an_earlier_write(tmp_path: Path) -> None:
    """`serve` builds again and again in one process: a folder write_file made for one build
    may be gone by the next (publishing removes the build's folder)."""
    from generator.workers import write_file

    target = tmp_path / "new" / "deep" / "page.html"
    write_file(target, b"one")
    assert target.read_bytes() == b"one"
    shutil.rmtree(tmp_path / "new")
    write_file(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.html"]  # no temporary left
    (tmp_path / "made").mkdir()  # by another process, or an earlier build
    write_file(tmp_path / "made" / "page.html", b"three")
    assert (tmp_path / "made" / "page.html").read_bytes() == b"three"

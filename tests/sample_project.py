"""Throwaway copies of the sample project, so tests never write into the repository."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-22T10:00:00+00:00"


def copy_project(dest: Path, *, records: bool = True) -> Path:
    """A project folder with the sample's settings and (optionally) records; the theme comes
    from the package (generator/overrides/).

    The generator package is linked, not copied, so `python -m generator` run in the folder
    uses this checkout.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "site-data", dest / "site-data")
    if records:
        shutil.copytree(REPO / "decisions", dest / "decisions")
    else:
        (dest / "decisions").mkdir()
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "generator").symlink_to(REPO / "generator", target_is_directory=True)
    (dest / "build" / "docs").mkdir(parents=True)
    return dest


def build(project: Path, *args: str, as_of: str = AS_OF) -> tuple[int, str, str]:
    """Run `python -m generator build` on a project; return (status, stdout, stderr)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    status = main(["--root", str(project), "build", "--as-of", as_of, *args], out=out, err=err)
    return status, out.getvalue(), err.getvalue()

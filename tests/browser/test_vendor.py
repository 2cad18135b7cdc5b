# This module keeps the vendored axe-core honest: the file is the version and the bytes its
# README records (so an accessibility result always means the same rules), its licence travels
# with it, and nothing the site is built from refers to it (it is a test tool, never published).
from __future__ import annotations

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
REPO = Path(__file__).resolve().parents[2]


def recorded(name: str) -> str:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"\| {re.escape(name)} \| `?([^`|]+?)`? \|", readme)
    assert match, f"vendor/README.md records no {name!r}"
    return match.group(1).strip()


def test_axe_is_the_recorded_version_and_bytes() -> None:
    data = (VENDOR / "axe.min.js").read_bytes()
    version = re.search(r"axe-core\]\([^)]+\) (\S+),", recorded("package"))
    assert version, "vendor/README.md: the package row names no version"
    assert data.startswith(f"/*! axe v{version.group(1)}\n".encode())
    assert hashlib.sha256(data).hexdigest() == recorded("axe.min.js sha256")


def test_axe_travels_with_its_licences() -> None:
    assert (VENDOR / "LICENSE").read_text(encoding="utf-8").startswith(
        "Mozilla Public License, version 2.0")
    assert "MIT License" in (VENDOR / "LICENSE-3RD-PARTY.txt").read_text(encoding="utf-8")


def test_nothing_the_site_is_built_from_mentions_axe() -> None:
    sources = [REPO / "mkdocs.yml", *(REPO / "generator" / "overrides").rglob("*"),
               *(REPO / "generator").rglob("*.py"), *(REPO / "generator").rglob("*.j2")]
    mention = re.compile(rb"axe[-.](core|min)|\baxe\.run\b", re.IGNORECASE)
    assert [p for p in sources if p.is_file() and mention.search(p.read_bytes())] == []

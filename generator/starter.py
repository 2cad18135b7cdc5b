"""`decision-site new FOLDER`: lay a starter content repository for a council.

The starter's files are package data (generator/starter/) so that they are the same files the
tests build, and a council edits plain YAML rather than output from Python strings.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from . import __version__

# Dotfiles are stored without the dot: setuptools' package-data globs skip hidden paths.
_RENAMES = {"dot-github": ".github", "dot-gitignore": ".gitignore"}


@dataclass(frozen=True)
class StarterFile:
    path: str
    text: str


def starter_files() -> tuple[StarterFile, ...]:
    root = resources.files("generator") / "starter"
    return tuple(sorted(_walk(root, ""), key=lambda f: f.path))


def _walk(node: Traversable, prefix: str) -> list[StarterFile]:
    found: list[StarterFile] = []
    for child in node.iterdir():
        if child.name == "__pycache__":
            continue
        name = _RENAMES.get(child.name, child.name)
        path = f"{prefix}{name}"
        if child.is_dir():
            found += _walk(child, path + "/")
        else:
            text = child.read_text(encoding="utf-8").replace("@VERSION@", __version__)
            found.append(StarterFile(path, text))
    return found


def refusal(folder: Path) -> str | None:
    """Why FOLDER cannot take a starter, or None. Never overwrite a council's own files."""
    if folder.exists() and not folder.is_dir():
        return f"{folder}: exists and is not a folder; choose a new or empty folder."
    if folder.is_dir() and any(folder.iterdir()):
        return f"{folder}: folder is not empty; choose a new or empty folder so nothing is overwritten."
    return None


def write_starter(folder: Path, files: tuple[StarterFile, ...]) -> None:
    for f in files:
        target = folder / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.text, encoding="utf-8")

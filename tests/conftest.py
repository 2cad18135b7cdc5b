# This module holds the fixtures shared by the tests: throwaway projects made from the sample's
# settings, and a minimal valid record to vary. Tests never write into the repository.
from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from sample_project import REPO

# Import nothing from this module (pytest loads each folder's conftest.py under the same
# name): take the fixtures as arguments, and annotate them with Callable[..., Path | str].
WriteRecords = Callable[..., Path]
RecordYaml = Callable[..., str]

# The smallest record the schema and the validator accept under the sample settings (public
# repository, England): reg 12/13's decision, date, reasons and alternatives, and a publication
# date from which call-in runs (deadline Tue 9 Dec 2025, in force Wed 10 Dec).
MINIMAL_RECORD: dict[str, Any] = {
    "title": "Library opening hours from April 2026",
    "decision_maker": "Cabinet Member for Culture, Leisure and Libraries",
    "decision_type": "cabinet-member",
    "status": "approved",
    "key_decision": False,
    "portfolio": "Culture, Leisure and Libraries",
    "wards": ["all"],
    "dates": {"decision": "2025-12-04", "published": "2025-12-04"},
    "decision": ["To approve the new opening hours for the borough's libraries."],
    "reasons": ["The new hours match the times when most residents visit."],
    "alternatives": [{"title": "Keep the current opening hours", "outcome": "rejected"}],
}


@pytest.fixture(scope="session")
def project_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's site-data/ and mkdocs.yml, copied once per session, with no records."""
    root = tmp_path_factory.mktemp("project-template")
    shutil.copytree(REPO / "site-data", root / "site-data")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture
def write_records(project_template: Path) -> WriteRecords:
    """`write_records(root, {"2025/x.yaml": text}, settings={"authority.yml": text})`.

    Makes `root` a project (the template's settings unless it already has them), writes each
    record under root/decisions/ and each settings file over root/site-data/, and returns root.
    Text may be str (written as UTF-8) or bytes (written as they are).
    """

    def write(root: Path, records: Mapping[str, str | bytes],
              settings: Mapping[str, str | bytes] | None = None) -> Path:
        if not (root / "site-data").exists():
            shutil.copytree(project_template, root, dirs_exist_ok=True)
        (root / "decisions").mkdir(parents=True, exist_ok=True)
        for base, files in ((root / "decisions", records), (root / "site-data", settings or {})):
            for name, content in files.items():
                target = base / name
                target.parent.mkdir(parents=True, exist_ok=True)
                data = content.encode("utf-8") if isinstance(content, str) else content
                target.write_bytes(data)
        return root

    return write


@pytest.fixture(scope="session")
def minimal_record() -> dict[str, Any]:
    """The minimal valid record as data (a copy: change it freely)."""
    return copy.deepcopy(MINIMAL_RECORD)


@pytest.fixture
def record_yaml() -> RecordYaml:
    """`record_yaml({"dates.published": "2025-12-01", "purpose": None})`: the minimal record as
    YAML text, with fields set by dotted path (`a.b`, `items[1].c`) or removed (None)."""

    def make(changes: Mapping[str, Any] | None = None) -> str:
        data = copy.deepcopy(MINIMAL_RECORD)
        for dotted, value in (changes or {}).items():
            *parents, last = _steps(dotted)
            node: Any = data
            for step in parents:
                if isinstance(step, str) and isinstance(node, dict):
                    node = node.setdefault(step, {})
                else:
                    node = node[step]
            if value is None:
                del node[last]
            else:
                node[last] = value
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)

    return make


def _steps(dotted: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in dotted.split("."):
        name, _, rest = part.partition("[")
        if name:
            steps.append(name)
        while rest:
            index, _, rest = rest.partition("]")
            steps.append(int(index) - 1)
            rest = rest.removeprefix("[")
    return steps

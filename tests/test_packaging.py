"""The package a council installs: the locks, the wheel's contents, and `decision-site build`
run from a content repository that holds only records, settings and mkdocs.yml."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from sample_project import AS_OF, REPO

TEST_ONLY = {"pytest", "pytest-randomly", "hypothesis", "playwright", "zizmor",
             "check-jsonschema"}


def pins(lock: Path) -> dict[str, str]:
    return dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==(\S+)", lock.read_text(encoding="utf-8")))


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(group: str | None = None) -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return {normal(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in deps}


def test_the_runtime_lock_holds_no_test_tools() -> None:
    runtime = {normal(n) for n in pins(REPO / "requirements.txt")}
    assert declared() <= runtime
    assert not (runtime & TEST_ONLY)
    assert declared("test") == TEST_ONLY


def test_the_test_lock_is_the_runtime_lock_plus_the_test_tools() -> None:
    runtime, test = pins(REPO / "requirements.txt"), pins(REPO / "requirements-test.txt")
    assert TEST_ONLY <= {normal(n) for n in test}
    # The same versions where both have a package, so tests test what is deployed.
    differ = {n: (v, test[n]) for n, v in runtime.items() if n in test and test[n] != v}
    assert differ == {}


def test_every_import_in_the_generator_is_declared_or_standard() -> None:
    imports = set()
    for path in (REPO / "generator").rglob("*.py"):
        imports |= set(re.findall(r"(?m)^(?:from|import) ([a-z_][a-z0-9_]*)",
                                  path.read_text(encoding="utf-8")))
    third_party = {m for m in imports if m not in sys.stdlib_module_names
                   and m not in {"generator", "__future__"}}
    names = {"yaml": "pyyaml", "material": "mkdocs-material"}
    assert {normal(names.get(m, m)) for m in third_party} <= declared()


@pytest.mark.slow
def test_an_installed_package_builds_a_content_repository(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(wheels), str(REPO)], check=True)
    (wheel,) = wheels.glob("decision_site-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("generator/templates/decision.html.j2", "generator/schema/decision.schema.json",
                   "generator/overrides/main.html",
                   "generator/overrides/assets/javascripts/callin.js"):
        assert needed in names, needed
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
           "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(REPO / "requirements.txt")], check=True)
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True)
    content = tmp_path / "council"  # outside the repository: no generator/ folder beside it
    content.mkdir()
    shutil.copytree(REPO / "decisions", content / "decisions")
    shutil.copytree(REPO / "site-data", content / "site-data")
    shutil.copy2(REPO / "mkdocs.yml", content / "mkdocs.yml")
    done = subprocess.run([str(venv / "bin" / "decision-site"), "build", "--as-of", AS_OF],
                          cwd=content, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (content / "site" / "decisions" / "library-opening-hours" / "index.html").is_file()
    assert (content / "site" / "decisions.json").is_file()

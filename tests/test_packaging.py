"""The package a council installs: the locks, the wheel's contents, and `decision-site build`
run from a content repository that holds only records, settings and mkdocs.yml."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import venv
import tomllib
import zipfile
from pathlib import Path

import pytest

from sample_project import AS_OF, REPO

TEST_ONLY = {"pytest", "pytest-randomly", "hypothesis", "playwright", "zizmor",
             "check-jsonschema", "ruff", "mypy", "types-pyyaml", "types-jsonschema"}


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


# One wheel and one fresh venv for the module: installing the runtime lock is the slow part.
def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                 "--disable-pip-version-check", "-w", str(out), str(REPO)], REPO)
    assert done.returncode == 0, done.stderr
    (found,) = out.glob("decision_site-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = tmp_path_factory.mktemp("venv") / "v"
    venv.create(env, with_pip=True)
    pip = [str(env / "bin" / "python"), "-m", "pip", "install", "--quiet",
           "--disable-pip-version-check"]
    done = _run(pip + ["--require-hashes", "-r", str(REPO / "requirements.txt")], REPO)
    assert done.returncode == 0, done.stderr
    done = _run(pip + ["--no-deps", str(wheel)], REPO)
    assert done.returncode == 0, done.stderr
    return env / "bin" / "decision-site"


@pytest.mark.slow
def test_wheel_carries_what_a_build_needs(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("generator/schema/decision.schema.json",
                   "generator/templates/decision.html.j2", "generator/overrides/main.html",
                   "generator/overrides/assets/javascripts/callin.js",
                   "generator/starter/mkdocs.yml",
                   "generator/starter/dot-github/workflows/pages.yml"):
        assert any(n.startswith(needed) for n in names), needed


@pytest.mark.slow
def test_new_then_check_and_build_outside_the_repository(
        installed: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    portal = tmp_path_factory.mktemp("council") / "portal"
    done = _run([str(installed), "new", str(portal)], portal.parent)
    assert done.returncode == 0, done.stderr
    done = _run([str(installed), "check", "--strict", "--as-of", AS_OF], portal)
    assert done.returncode == 0, done.stderr
    done = _run([str(installed), "build", "--as-of", AS_OF], portal)
    assert done.returncode == 0, done.stderr + done.stdout
    site = portal / "site"
    assert (site / "decisions.json").is_file()
    pages = list((site / "decisions").glob("*/index.html"))
    assert pages, "no decision page was built"


@pytest.mark.slow
def test_new_refuses_a_non_empty_folder(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("a council's own file")
    done = _run([str(installed), "new", str(tmp_path)], tmp_path)
    assert done.returncode == 1
    assert "not empty" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


@pytest.mark.slow
def test_an_installed_package_builds_a_content_repository(installed: Path, tmp_path: Path) -> None:
    content = tmp_path / "council"  # outside the repository: no generator/ folder beside it
    content.mkdir()
    shutil.copytree(REPO / "decisions", content / "decisions")
    shutil.copytree(REPO / "site-data", content / "site-data")
    shutil.copy2(REPO / "mkdocs.yml", content / "mkdocs.yml")
    done = _run([str(installed), "build", "--as-of", AS_OF], content)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (content / "site" / "decisions" / "library-opening-hours" / "index.html").is_file()
    assert (content / "site" / "decisions.json").is_file()


def test_the_starter_site_config_keeps_up_with_the_samples() -> None:
    # A page that moves (call-in.md became call-in/index.md) must move in the starter too.
    import yaml

    def config(path: Path) -> dict:
        return yaml.safe_load(path.read_text(encoding="utf-8"))

    sample, starter = config(REPO / "mkdocs.yml"), config(REPO / "generator/starter/mkdocs.yml")
    for key in ("nav", "not_in_nav", "theme", "markdown_extensions", "plugins", "docs_dir"):
        assert starter.get(key) == sample.get(key), key

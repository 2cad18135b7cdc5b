"""The engine runner: an engine that fails, or exits 0 having built nothing, stops the build."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from generator import engines
from generator.cli import main
from sample_project import copy_project


def test_an_unknown_engine_is_a_problem(tmp_path: Path) -> None:
    problems, logs = engines.build("jekyll", tmp_path, tmp_path / "out", None)
    assert len(problems) == 1 and "unknown site engine 'jekyll'" in problems[0].message
    assert logs == ()


def test_an_engine_output_without_a_home_page_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "404.html").write_text("<p>Not found</p>", encoding="utf-8")
    problems = engines._empty_output("zensical", tmp_path)
    assert len(problems) == 1 and "built no index.html" in problems[0].message
    (tmp_path / "index.html").write_text("<p>Home</p>", encoding="utf-8")
    assert engines._empty_output("zensical", tmp_path) == ()


def test_the_zensical_config_is_rooted_where_zensical_accepts_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = engines.zensical_config(root, root / "build", root / "build" / "zensical-site")
    assert config["site_dir"] == "zensical-site"
    assert config["docs_dir"] == "docs"
    theme = config["theme"]
    assert isinstance(theme, dict) and theme["custom_dir"] == "overrides"
    assert config["extra"] == {"portal_engine": "zensical"} or isinstance(config["extra"], dict)
    assert config["extra"]["portal_engine"] == "zensical"  # type: ignore[index]
    assert "watch" not in config


def test_the_cli_refuses_an_unknown_engine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--engine", "jekyll"], out=io.StringIO(), err=io.StringIO()) == 2
    assert "invalid choice: 'jekyll'" in capsys.readouterr().err

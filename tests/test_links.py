"""The sample portal under both engines, hosted at the root and under a sub-path: the same
pages exist and every internal link resolves (issue 14)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from generator.cli import main
from linkcheck import broken_links
from sample_project import copy_project

AS_OF = "2026-11-23T10:00:00+00:00"
SITES = {"root": "https://decisions.example.gov.uk/",
         "sub-path": "https://example.github.io/decisions/"}
BASES = {"root": "/", "sub-path": "/decisions/"}


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    built = {}
    for hosting, site_url in SITES.items():
        root = copy_project(tmp_path_factory.mktemp(f"links-{hosting}"))
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace(f"site_url: {SITES['root']}", f"site_url: {site_url}"),
                          encoding="utf-8")
        for engine in ("mkdocs", "zensical"):
            out = root / f"site-{engine}"
            err = io.StringIO()
            status = main(["--root", str(root), "build", "--engine", engine, "--as-of", AS_OF,
                           "--site-dir", str(out)], out=io.StringIO(), err=err)
            assert status == 0, err.getvalue()
            built[(engine, hosting)] = out
    return built


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


@pytest.mark.slow
@pytest.mark.parametrize("hosting", sorted(SITES))
def test_both_engines_build_the_same_pages(sites: dict[tuple[str, str], Path],
                                           hosting: str) -> None:
    mkdocs, zensical = _pages(sites[("mkdocs", hosting)]), _pages(sites[("zensical", hosting)])
    assert "index.html" in mkdocs and "call-in/index.html" in mkdocs
    assert mkdocs == zensical


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("hosting", sorted(SITES))
def test_every_internal_link_resolves(sites: dict[tuple[str, str], Path], engine: str,
                                      hosting: str) -> None:
    assert broken_links(sites[(engine, hosting)], BASES[hosting]) == []


def test_the_link_checker_reports_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">ok</a><a href="b/">gone</a>',
                                         encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text('<a href="../../x.css">up too far</a>',
                                               encoding="utf-8")
    assert broken_links(tmp_path, "/decisions/") == ["a/index.html: ../../x.css",
                                                     "index.html: b/"]

# This module proves that the benchmark runs and reports every figure, without asserting any
# time: benchmarks measure, tests never pass or fail on speed. It also checks what the
# benchmark relies on (synthetic records that pass every check, one record the same at every
# size) and that the short cuts taken for speed give exactly the results of the slow paths
# they replace: the plain-paragraph Markdown short cut, the leak guard's faster normalising,
# and the record cache `mkdocs serve` uses.
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import load, render
from generator.cli import _as_of
from generator.guard import normalise
from generator.pipeline import check
from generator.redact import has_marker_syntax
from sample_project import AS_OF, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


# ---------------------------------------------------------------------------------------------
# The synthetic council


@pytest.fixture(scope="module")
def private_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth.write_project(tmp_path_factory.mktemp("synth") / "private", 150)


def test_synthetic_records_pass_every_check(private_project: Path) -> None:
    project, problems = check(private_project, _as_of(AS_OF))
    assert project is not None and len(project.decisions) == 150
    assert [str(p) for p in problems] == []


def test_synthetic_records_have_what_real_registers_have(private_project: Path) -> None:
    project, _ = check(private_project, _as_of(AS_OF))
    assert project is not None
    ds = project.decisions
    kinds = {
        "commissioning": sum(d.commissioning is not None for d in ds),
        "suppliers": sum(bool(d.commissioning and d.commissioning.suppliers) for d in ds),
        "exempt appendix with its body": sum(any(a.exempt and a.body for a in d.appendices)
                                             for d in ds),
        "public appendix": sum(any(a.exempt is None for a in d.appendices) for d in ds),
        "inline exempt passage": sum(
            any(has_marker_syntax(t) for t in (*d.reasons, *(v for _, v in d.implications)))
            for d in ds),
        "called in": sum(bool(d.call_in.events) for d in ds),
        "officer, not subject to call-in": sum(not d.call_in.applies for d in ds),
        "key decision on the forward plan": sum(d.key_decision and d.forward_plan is not None
                                                for d in ds),
        "options with pros and cons": sum(any(a.pros and a.cons for a in d.alternatives)
                                          for d in ds),
    }
    assert all(kinds.values()), kinds


def test_a_public_repository_council_keeps_only_notices(tmp_path: Path) -> None:
    root = synth.write_project(tmp_path / "public", 60, private=False)
    project, problems = check(root, _as_of(AS_OF))
    assert project is not None and [str(p) for p in problems] == []
    assert any(a.exempt for d in project.decisions for a in d.appendices)
    assert not any(a.body for d in project.decisions for a in d.appendices)


def test_a_record_is_the_same_at_every_size(tmp_path: Path) -> None:
    small = synth.write_project(tmp_path / "small", 12)
    large = synth.write_project(tmp_path / "large", 30)
    small_files = {p.relative_to(small): p.read_bytes()
                   for p in (small / "decisions").rglob("*.yaml")}
    assert len(small_files) == 12
    for rel, content in small_files.items():
        assert (large / rel).read_bytes() == content


# ---------------------------------------------------------------------------------------------
# Short cuts taken for speed give the slow paths' results


_md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
# Letters, the punctuation prose is made of, and every character Markdown treats specially.
_PROSE = st.lists(st.sampled_from(
    list("aZé09 .,;:'\"()-+=#>!?%£/\u00a0\u2028\ue000\t\n\\`*_[]<>&|~")
    + ["  ", "1.", "2)", "---", "http://x.y", "    "]), max_size=30).map("".join)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PROSE)
def test_the_plain_paragraph_short_cut_is_what_python_markdown_gives(text: str) -> None:
    _md.reset()
    assert render.markdown_html(text) == _md.convert(text)


def test_the_short_cut_is_taken_for_plain_prose() -> None:
    # Otherwise it would be a slow path with extra steps.
    plain = "Saves £285,000 a year (from 2027/28); 34 people use the centre."
    assert render._BLOCK_START.match(plain) is None and render._NOT_PLAIN.search(plain) is None


_SPACE = re.compile(r"\s+")


def _normalise_by_regex(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def test_str_split_and_regex_agree_on_every_white_space_character() -> None:
    differ = [cp for cp in range(0x110000)
              if (_SPACE.fullmatch(chr(cp)) is not None) != chr(cp).isspace()]
    assert differ == []


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
       | st.text(alphabet="aB \t\n\u00a0\u2028\u3000ßİﬁ①Å", max_size=60))
def test_the_guards_normalising_is_the_regex_definition(text: str) -> None:
    assert normalise(text) == _normalise_by_regex(text)


def test_a_whole_export_is_normalised_as_one_text() -> None:
    # Long texts lose their white space a slice at a time; runs of it across a slice boundary,
    # and letters that NFKC joins, must come out as from the regex over the whole text.
    piece = "Ab \u00a0\t\n ß ﬁ e\u0301 " * 7
    text = (piece * (3 * (1 << 20) // len(piece) + 1))[: (3 << 20) + 5]
    assert len(text) > 3 << 20
    assert normalise(text) == _normalise_by_regex(text)
    assert normalise(text.encode("ascii", "ignore").decode()) == _normalise_by_regex(
        text.encode("ascii", "ignore").decode())


# ---------------------------------------------------------------------------------------------
# The record cache `mkdocs serve` relies on


def test_an_unchanged_record_is_not_parsed_again(private_project: Path) -> None:
    first = load.load_project(private_project, remember=True)
    second = load.load_project(private_project, remember=True)
    assert first.project is not None and second.project is not None
    assert all(a is b for a, b in zip(first.project.decisions, second.project.decisions,
                                      strict=True))


def test_an_edit_is_seen_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    root = synth.write_project(tmp_path / "p", 3)
    path = sorted((root / "decisions").rglob("*.yaml"))[0]
    before = load.load_project(root, remember=True)
    assert before.project is not None
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.MULTILINE)
    assert title is not None
    new_title = title.group(1)[::-1].replace("-", "x")
    assert len(new_title) == len(title.group(1))
    path.write_text(text.replace(title.group(0), f"title: {new_title}", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    after = load.load_project(root, remember=True)
    assert after.project is not None
    assert new_title in {d.title for d in after.project.decisions}


def test_a_broken_record_stays_broken_when_cached(tmp_path: Path) -> None:
    root = synth.write_project(tmp_path / "p", 2)
    path = sorted((root / "decisions").rglob("*.yaml"))[0]
    path.write_text(path.read_text(encoding="utf-8").replace("status: approved", "status: done"),
                    encoding="utf-8")
    first = load.load_project(root, remember=True)
    second = load.load_project(root, remember=True)
    assert first.project is None and second.project is None
    assert first.problems == second.problems and first.problems


# ---------------------------------------------------------------------------------------------
# The benchmark itself, at a size a test can afford


@pytest.mark.slow
@pytest.mark.browser
def test_the_benchmark_reports_every_figure(tmp_path: Path) -> None:
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(f"No browser at {CHROMIUM}; CI must run the benchmark's search figures.")
        pytest.skip(f"No browser at {CHROMIUM} (the first-search figures need one).")
    results, report = tmp_path / "results.json", tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks/run.py"), "--n", "30", "--serve-n", "30",
         "--results", str(report), "--json", str(results), "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=1200, check=False, cwd=REPO)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    data = json.loads(results.read_text())
    assert data["machine"]["nproc"] and data["machine"]["cpu"] and data["machine"]["ram_gb"] > 0
    assert data["machine"]["versions"]["mkdocs-material"] != "not installed"
    (r,) = data["results"]
    assert r["n"] == 30
    assert 0 < r["speed_s"] < 60
    # Finished outputs are set aside while timing and deleted once every figure is taken.
    assert not (tmp_path / "work" / "set-aside").exists()
    assert not (tmp_path / "work" / "n30-plain").exists()
    build = r["build"]
    assert build["wall"] > 0 and build["maxrss_mb"] > 0 and build["stages"]["status"] == 0
    assert build["stages"]["missing"] == []
    for stage in ("load", "load: YAML", "load: schema", "validate", "redact", "call-in", "plan",
                  "engine pages", "write docs", "engine", "pages, exports and guard",
                  "manifest"):
        assert build["stages"]["stages"][stage] > 0, stage
    assert r["plain"]["wall"] > 0 and r["plain"]["maxrss_mb"] > 0
    assert r["ratio"] == pytest.approx(build["wall"] / r["plain"]["wall"])
    pages = r["pages"]
    assert pages["decision_pages"] == 30 and 0 < pages["decision_median"] <= pages["decision_max"]
    assert pages["reference_bytes"] > 0
    search = r["search"]
    assert search["results_shown"] > 0 and search["gz"] > 0 and search["raw"] >= search["gz"]
    fetched = {q["path"].split("?")[0] for q in search["requests"]}
    assert "search/decisions/index.json" in fetched
    assert "assets/javascripts/search-worker.js" in fetched
    assert not any(p.startswith("assets/javascripts/workers/") for p in fetched)
    find = r["find"]
    assert find["results_shown"] > 0 and find["gz"] > 0
    fetched = {q["path"].split("?")[0] for q in find["requests"]}
    assert {"find/", "search/decisions/index.json", "assets/javascripts/search-core.js",
            "assets/javascripts/decision-search.js"} <= fetched
    assert not any(p.startswith("assets/javascripts/workers/") for p in fetched)
    engines = r["engines"]
    assert engines["mkdocs"]["wall"] > 0 and engines["zensical"]["wall"] > 0
    serve = r["serve"]
    assert serve["startup"] > 0 and len(serve["reload"]) == 2 and min(serve["reload"]) > 0
    assert len(serve["builds"]) == 3  # the first build and one after each edit
    assert len(serve["previews"]) == 2  # each edit's page was shown before its full build
    changed = r["incremental"]["one record changed"]
    assert changed["wall"] > 0 and 30 <= changed["kept"]  # the other 29 pages, at least
    assert r["incremental"]["nothing changed"]["kept"] > changed["kept"]
    # A minute later only the pages that show a status still moving are made again.
    deploy = r["incremental"]["a minute later"]
    assert deploy["wall"] > 0 and deploy["kept"] > r["incremental"]["nothing changed"]["kept"] // 2
    assert "a minute later, nothing else changed (a deploy)" in report.read_text()
    text = report.read_text()
    for heading in ("## Build", "## Where the full build's time goes", "## Pages", "## Search",
                    "## A build after a change", "## Editing a record under `make serve`",
                    "## Targets"):
        assert heading in text
    assert "**ratio full / plain, wall**" in text and "first search" in text
    assert f"a fixed Python loop (`SPEED_LOOP`; lower is faster) | {r['speed_s']:.2f} s |" in text
    assert "## Both engines (30 decisions)" in text and "search page, find/" in text


def test_a_stage_called_inside_another_counts_once() -> None:
    """The stages must add up to the build: a stage run inside another (records redacted as
    they arrive in the load stage) is left out of the outer one's time; a part is not."""
    import time

    sys.path.insert(0, str(REPO / "benchmarks"))
    import instrument

    times: dict[str, float] = {}
    calls: dict[str, int] = {}
    inner = instrument._timed(lambda: time.sleep(0.05), "inner", times, calls)
    part = instrument._timed(lambda: time.sleep(0.05), "outer: part", times, calls)

    def body() -> None:
        time.sleep(0.05)
        inner()
        part()

    instrument._timed(body, "outer", times, calls)()
    assert 0.09 <= times["outer"] < 0.14  # its own 0.05 s and its part's, not inner's
    assert 0.045 <= times["inner"] < 0.09 and 0.045 <= times["outer: part"] < 0.09
    assert calls == {"inner": 1, "outer: part": 1, "outer": 1}

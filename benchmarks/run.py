# This module is the build benchmark (`make bench`). For each size it writes a synthetic
# council (benchmarks/synth.py), builds it the way CI does, times our stages separately,
# builds the same generated Markdown again with plain MkDocs (our hook switched off) for the
# overhead ratio, measures what a browser downloads for its first search, and, at one size,
# how long `mkdocs serve` takes to show an edited record. It writes benchmarks/RESULTS.md.
# Benchmarks measure; they never pass or fail on time (tests/test_benchmarks.py only proves
# that this runs and reports every figure).
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.metadata
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import plain  # noqa: E402
import synth  # noqa: E402

SIZES = (1000, 5000, 20000)
# Hand-written analysis appended to the generated tables: the search design and why any
# target is missed. Kept beside the code so a rerun keeps it.
NOTES = HERE / "NOTES.md"
SERVE_N = 5000
# The size at which both engines are timed for the README (issue 14).
ENGINE_N = 1000
QUERY = "home care"
# Where finished outputs wait, under the work folder, until every timing is done (set_aside).
TRASH = "set-aside"
PYTHON = sys.executable
# What a first search fetches: Material's index and worker, and any search bundle of ours.
SEARCH_PATHS = ("search/", "assets/javascripts/workers/", "assets/javascripts/lunr/",
                "assets/javascripts/search")
TARGETS = {
    "overhead": 1.0,         # full build / plain MkDocs build of the same pages
    "wall_s": 60,            # full build at 20,000, wall, 2 cores
    "incremental_s": 15,     # one record changed at 20,000
    "serve_s": 3,            # edit to page under serve at 5,000
    "view_kb": 120,          # a decision page view (HTML + CSS + JS), gzip
    "linear": 4.4,           # time at 20,000 / time at 5,000
    "page_kb": 60,           # a decision page's HTML at 20,000 decisions
    "search_kb": 500,        # first search, gzip, at 20,000 decisions
    "memory_gb": 1.5,        # peak memory of the full build at 20,000
}
VERSIONS = ("mkdocs", "mkdocs-material", "Markdown", "Jinja2", "PyYAML", "jsonschema", "nh3",
            "playwright")


# ---------------------------------------------------------------------------------------------
# Running children and measuring them


def run_measured(cmd: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None,
                 log: Path) -> dict[str, Any]:
    """Run a child to completion: its wall time, exit status and peak resident memory."""
    start = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        # wait4 gives this child's own rusage; RUSAGE_CHILDREN would mix in earlier children.
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "status": proc.returncode, "maxrss_mb": usage.ru_maxrss / 1024,
            "cpu": usage.ru_utime + usage.ru_stime}


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.update(extra)
    return env


# A fixed amount of pure Python work, timed in a child just before each full build. This
# machine's speed varied by half from hour to hour (benchmarks/NOTES.md): the figure says how
# fast it was when the build ran, so runs on different days can be compared.
SPEED_LOOP = "import time\nt = time.perf_counter()\ns = 0\nfor i in range(5_000_000):\n" \
    "    s += i * i % 7\nprint(time.perf_counter() - t)"


def machine_speed() -> float:
    """Seconds for SPEED_LOOP: the best of three, so a moment's interruption does not count."""
    return min(float(subprocess.run([PYTHON, "-c", SPEED_LOOP], capture_output=True, text=True,
                                    check=True).stdout) for _ in range(3))


def set_aside(path: Path, work: Path) -> None:
    """Move a finished output out of the way instead of deleting it: ext4 allocates new inodes
    slowly for a while after tens of thousands are freed (kernel profile: `recently_deleted`,
    `find_inode_bit`), which made the build timed next run up to 10 s slower (benchmarks/
    NOTES.md). A CI runner builds on a fresh disk, so `main` deletes these after the last timing."""
    if path.exists():
        trash = work / TRASH
        trash.mkdir(exist_ok=True)
        os.replace(path, trash / f"{path.name}-{time.monotonic_ns()}")


def gz(raw: bytes) -> int:
    """Bytes on the wire for a server that gzips (GitHub Pages does, at about level 6)."""
    return min(len(raw), len(gzip.compress(raw, 6, mtime=0)))


# ---------------------------------------------------------------------------------------------
# One size


def measure_size(n: int, work: Path, *, browser: bool, serve: bool) -> dict[str, Any]:
    root = work / f"n{n}"
    t = time.perf_counter()
    synth.write_project(root, n)
    result: dict[str, Any] = {"n": n, "synth_s": time.perf_counter() - t}
    result["records_mb"] = sum(p.stat().st_size for p in (root / "decisions").rglob("*.yaml")) / 1e6
    timings = work / f"n{n}-stages.json"
    result["speed_s"] = machine_speed()
    build = run_measured(
        [PYTHON, str(HERE / "instrument.py"), "--root", str(root), "--as-of", synth.AS_OF,
         "--out", str(timings)], cwd=root, env=child_env(), log=work / f"n{n}-build.log")
    if build["status"] != 0:
        raise SystemExit(f"the build of {n} synthetic decisions failed; see "
                         f"{work / f'n{n}-build.log'}:\n"
                         + (work / f"n{n}-build.log").read_text(errors="replace")[-3000:])
    build["stages"] = json.loads(timings.read_text())
    result["build"] = build
    # The floor: plain mkdocs-material building the same pages, each as Markdown
    # (benchmarks/plain.py). Writing them is not timed.
    plain_config = plain.write_plain(root, synth.AS_OF, work / f"n{n}-plain")
    plain_run = run_measured(
        [PYTHON, "-m", "mkdocs", "build", "--quiet", "--config-file", str(plain_config)],
        cwd=root, env=child_env(), log=work / f"n{n}-plain.log")
    if plain_run["status"] != 0:
        raise SystemExit(f"plain MkDocs failed at {n}; see {work / f'n{n}-plain.log'}")
    result["plain"] = plain_run
    result["ratio"] = build["wall"] / plain_run["wall"]
    set_aside(work / f"n{n}-plain", work)
    result["incremental"] = incremental(root, work, n)
    result["pages"] = page_sizes(root / "site", reference_id(root))
    result["search_files"] = search_files(root / "site")
    if browser:
        result["search"] = first_search(root / "site", result["pages"]["reference_path"])
        result["find"] = first_search(root / "site", result["pages"]["reference_path"],
                                      find_page=True)
    if n <= ENGINE_N:
        result["engines"] = engines(root, work, n)
    if serve:
        result["serve"] = serve_reload(root, work)
    return result


def engines(root: Path, work: Path, n: int) -> dict[str, Any]:
    """A full build by each engine (issue 14), uninstrumented and without the build cache, as
    a web team switching engine would run it."""
    out = {}
    for engine in ("mkdocs", "zensical"):
        run = run_measured(
            [PYTHON, "-m", "generator", "--root", str(root), "build", "--no-cache", "--engine",
             engine, "--as-of", synth.AS_OF, "--site-dir", str(work / f"n{n}-{engine}")],
            cwd=REPO, env=child_env(), log=work / f"n{n}-{engine}.log")
        if run["status"] != 0:
            raise SystemExit(f"the {engine} build of {n} failed; see {work / f'n{n}-{engine}.log'}")
        set_aside(work / f"n{n}-{engine}", work)
        out[engine] = run
    return out


def edit_title(root: Path, k: int) -> tuple[Path, bytes, str]:
    """Record 1's file, its bytes before the edit, and the new title written into it."""
    settings = synth.read_settings(root / "site-data")
    today = datetime.fromisoformat(synth.AS_OF).date()
    year, rid, _ = synth.record(1, settings, today, True)
    record = root / "decisions" / year / f"{rid}.yaml"
    original = record.read_bytes()
    title = f"Amended title number {k} for the benchmark"
    record.write_text(original.decode().replace("title: ", f"title: {title} - ", 1),
                      encoding="utf-8")
    return record, original, title


DEPLOY = "a minute later"
"""A deploy: the Pages workflow builds for "now", a moment after the last build."""


def incremental(root: Path, work: Path, n: int) -> dict[str, Any]:
    """After the full build: one record's title edited, `python -m generator build` again
    (with the build cache the full build left), then the same with nothing changed, then for a
    moment a minute later with nothing else changed."""
    out: dict[str, Any] = {}
    record, original, _ = edit_title(root, 1)
    later = (datetime.fromisoformat(synth.AS_OF) + timedelta(minutes=1)).isoformat()
    try:
        for label, as_of in (("one record changed", synth.AS_OF),
                             ("nothing changed", synth.AS_OF), (DEPLOY, later)):
            log = work / f"n{n}-incremental.log"
            r = run_measured([PYTHON, "-m", "generator", "--root", str(root), "build",
                              "--as-of", as_of], cwd=REPO, env=child_env(), log=log)
            if r["status"] != 0:
                raise SystemExit(f"the incremental build failed; see {log}")
            kept = re.search(r"\((\d+) unchanged files kept", log.read_text(errors="replace"))
            r["kept"] = int(kept.group(1)) if kept else 0
            out[label] = r
    finally:
        record.write_bytes(original)
    return out


def reference_id(root: Path) -> str:
    """Record 0 is the same record at every size, so its page shows whether pages grow with N."""
    settings = synth.read_settings(root / "site-data")
    today = datetime.fromisoformat(synth.AS_OF).date()
    return synth.record(0, settings, today, True)[1]


def page_sizes(site: Path, ref: str) -> dict[str, Any]:
    decisions = sorted((p.stat().st_size, p) for p in (site / "decisions").glob("*/index.html"))
    sizes = [s for s, _ in decisions]
    pages = [(p.stat().st_size, p) for p in site.rglob("*.html")]
    largest = max(pages)
    ref_page = site / "decisions" / ref / "index.html"
    raw = ref_page.read_bytes()
    files = [p for p in site.rglob("*") if p.is_file()]
    return {
        "decision_pages": len(sizes),
        "decision_median": statistics.median(sizes),
        "decision_max": sizes[-1],
        "decision_max_path": decisions[-1][1].relative_to(site).as_posix(),
        "reference_path": f"decisions/{ref}/",
        "reference_bytes": len(raw),
        "reference_gz": gz(raw),
        "largest_page": largest[1].relative_to(site).as_posix(),
        "largest_page_bytes": largest[0],
        "site_files": len(files),
        "site_mb": sum(p.stat().st_size for p in files) / 1e6,
    }


def search_files(site: Path) -> dict[str, Any]:
    """The search files on disk: Material's index and anything else under search/."""
    index = site / "search" / "search_index.json"
    out: dict[str, Any] = {"material_index_raw": 0, "material_index_gz": 0}
    if index.is_file():
        raw = index.read_bytes()
        out["material_index_raw"] = len(raw)
        out["material_index_gz"] = gz(raw)
    others = [p for p in (site / "search").rglob("*") if p.is_file() and p != index]
    out["other_files"] = len(others)
    out["other_bytes"] = sum(p.stat().st_size for p in others)
    return out


# ---------------------------------------------------------------------------------------------
# The first search, in a real browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None
    return path if os.access(path, os.X_OK) else None


FIND_SELECTORS = ("#find-q", "#find-results li", "#find-status")
BOX_SELECTORS = ("input[data-md-component=search-query]", ".md-search-result__item",
                 ".md-search-result__meta")


def first_search(site: Path, page_path: str, *, find_page: bool = False) -> dict[str, Any]:
    """Open a decision page, search for QUERY, and count every byte the search fetched: in the
    theme's search box, or (`find_page`) on the site's own search page, find/, which a reader
    reaches from the decision page and which counts in full, its HTML included."""
    from playwright.sync_api import sync_playwright

    path = chromium()
    assert path is not None
    responses: list[tuple[str, bytes, float]] = []
    started: dict[Any, float] = {}
    with static_server(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            # A phone's screen: residents search on phones, where the header shows a search
            # button that opens the search dialog.
            context = browser.new_context(service_workers="block",
                                          viewport={"width": 390, "height": 844})
            page = context.new_page()

            def record(response: Any) -> None:
                # A large body arrives after small ones, so requests are ordered by when they
                # were made, not by when their bodies came in.
                when = started.get(response.request, time.perf_counter())
                try:
                    responses.append((response.url, response.body(), when))
                except Exception:  # a redirect or an aborted request has no body
                    responses.append((response.url, b"", when))

            page.on("request", lambda request: started.setdefault(request, time.perf_counter()))
            page.on("response", record)
            page.goto(base + page_path, wait_until="networkidle")
            page.wait_for_timeout(1000)
            clicked = time.perf_counter()
            # (the box, each result, the line that counts them) on find/ or in the theme's box
            box, result, meta_line = FIND_SELECTORS if find_page else BOX_SELECTORS
            if find_page:
                page.goto(base + "find/", wait_until="load")
            else:
                page.click("header label.md-header__button[for=__search]")
            # Typed key by key, as a resident types: the theme searches on every key, so the
            # shards fetched for "h", "ho", "hom"... count towards the first search too.
            page.locator(box).press_sequentially(QUERY, delay=120)
            typed = time.perf_counter()
            page.wait_for_selector(result, timeout=600_000)
            page.wait_for_load_state("networkidle")
            seconds = time.perf_counter() - typed
            results = page.locator(result).count()
            meta = page.locator(meta_line).inner_text()
        finally:
            browser.close()
    rows = []
    for url, body, when in sorted(responses, key=lambda r: r[2]):
        rel = url.removeprefix(base)
        rows.append({"path": rel, "raw": len(body), "gz": gz(body),
                     "search": rel.startswith(SEARCH_PATHS), "after_load": when >= clicked})
    # The first search is everything fetched once the reader opened search, and the search
    # files the page fetched before that (the theme loads its index with the page).
    searched = [r for r in rows if r["search"] or r["after_load"]]
    page_load = [r for r in rows if not (r["search"] or r["after_load"])]
    return {
        "query": QUERY,
        "results_shown": results,
        "result_meta": meta,
        "seconds_to_results": seconds,
        "raw": sum(r["raw"] for r in searched),
        "gz": sum(r["gz"] for r in searched),
        "requests": searched,
        "page_load_raw": sum(r["raw"] for r in page_load),
        "page_load_gz": sum(r["gz"] for r in page_load),
        "page_load": page_load,
    }


# ---------------------------------------------------------------------------------------------
# Editing a record under `mkdocs serve`


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return None


def _builds_logged(log: Path, proc: subprocess.Popen[bytes], count: int, limit: float) -> bool:
    """Wait until the server has logged `count` finished builds; False if it stopped or
    `limit` seconds passed first."""
    deadline = time.perf_counter() + limit
    while log.read_text(errors="replace").count("Built in ") < count:
        if proc.poll() is not None or time.perf_counter() > deadline:
            return False
        time.sleep(0.2)
    return True


def serve_reload(root: Path, work: Path, edits: int = 2) -> dict[str, Any]:
    """Start `python -m generator serve` as `make serve` does, edit a record's title, and time
    until the served page shows the new title (the moment the page script reloads it)."""
    settings = synth.read_settings(root / "site-data")
    today = datetime.fromisoformat(synth.AS_OF).date()
    _, rid, _ = synth.record(1, settings, today, True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/decisions/{rid}/"
    log = work / "serve.log"
    out: dict[str, Any] = {}
    with log.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [PYTHON, "-m", "generator", "--root", str(root), "serve", "--addr",
             f"127.0.0.1:{port}", "--as-of", synth.AS_OF],
            cwd=REPO, env=child_env(), stdout=sink, stderr=subprocess.STDOUT)
        originals: list[tuple[Path, bytes]] = []
        try:
            while _get(base) is None:
                if proc.poll() is not None:
                    raise SystemExit(f"serve stopped; see {log}")
                time.sleep(0.2)
            out["startup"] = time.perf_counter() - start
            latencies = []
            for k in range(edits):
                # An idle server: the last edit's full build is done (its page showed earlier).
                if not _builds_logged(log, proc, k + 1, 1800 - (time.perf_counter() - start)):
                    raise SystemExit(f"serve never finished a build; see {log}")
                time.sleep(1.5)
                edited = time.perf_counter()
                record, original, title = edit_title(root, k + 2)
                originals.append((record, original))
                while title not in (_get(base) or ""):
                    if time.perf_counter() - edited > 900:
                        raise SystemExit(f"the edit never reached the page; see {log}")
                    time.sleep(0.05)
                latencies.append(time.perf_counter() - edited)
            out["reload"] = latencies
            # A full rebuild's line can come after the page showed the edit (the preview's).
            _builds_logged(log, proc, edits + 1, 900)
            text = log.read_text(errors="replace")
            out["builds"] = re.findall(r"Built in ([\d.]+) s \((\d+) files made, (\d+) kept\)",
                                       text)
            out["previews"] = re.findall(r"Showing \S+ in ([\d.]+) s", text)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if originals:
                originals[0][0].write_bytes(originals[0][1])
    return out


# ---------------------------------------------------------------------------------------------
# The report


def machine() -> dict[str, Any]:
    cpu = ""
    mem_gb = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
                break
    except OSError:
        pass
    versions = {}
    for name in VERSIONS:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {"nproc": os.cpu_count(), "cpu": cpu or platform.processor(), "ram_gb": mem_gb,
            "python": platform.python_version(), "system": platform.platform(),
            "versions": versions, "date": datetime.now(UTC).strftime("%Y-%m-%d")}


def _kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.1f} MB"


def _stage(r: dict[str, Any], label: str) -> float:
    return float(r["build"]["stages"]["stages"].get(label, 0.0))


def _ours(r: dict[str, Any]) -> float:
    """Seconds of the full build that are not MkDocs: our stages, imports and the swap."""
    return float(r["build"]["wall"] - _stage(r, "engine"))


def stage_rows(results: Sequence[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    labels: list[str] = []
    for r in results:
        for label in r["build"]["stages"]["stages"]:
            if label not in labels:
                labels.append(label)
    rows = [(label, [f"{_stage(r, label):.2f} s" for r in results]) for label in labels]
    top = [lb for lb in labels if ":" not in lb]
    rows.append(("other (interpreter, imports, CLI, swap)", [
        f"{r['build']['wall'] - sum(_stage(r, lb) for lb in top):.2f} s" for r in results]))
    rows.append(("**all but the engine**", [f"**{_ours(r):.1f} s**" for r in results]))
    return rows


def report(results: Sequence[dict[str, Any]], info: dict[str, Any], notes: str = "") -> str:
    heads = [f"{r['n']:,}" for r in results]
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    lines = [
        "# Build benchmark results", "",
        "Written by `make bench` (`benchmarks/run.py`); the tables are regenerated on every run.",
        "",
        f"Machine: {info['nproc']} cores, {info['cpu']}, {info['ram_gb']:.1f} GB RAM; Python "
        f"{info['python']}; {info['system']}; run on {info['date']}. Versions: {versions}.", "",
        "Synthetic records from `benchmarks/synth.py`, seeded, about 1,000 a year back from "
        f"{synth.AS_OF[:10]}: a private-repository council, so exempt appendix bodies and inline "
        "exempt passages are in the records and the leak guard has real work. Wall times on a "
        "shared machine vary with its load; CPU times (user + system) vary less.", ""]

    def table(title: str, rows: list[tuple[str, list[str]]]) -> None:
        lines.extend([f"## {title}", "", "| | " + " | ".join(heads) + " |",
                      "|---|" + "---:|" * len(heads)])
        lines.extend(f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows)
        lines.append("")

    def col(fn: Any) -> list[str]:
        return [fn(r) for r in results]

    table("Build", [
        ("records (YAML)", col(lambda r: f"{r['records_mb']:.1f} MB")),
        ("full build (`python -m generator build`), wall",
         col(lambda r: f"{r['build']['wall']:.1f} s")),
        ("plain `mkdocs build` of the same pages as Markdown, wall",
         col(lambda r: f"{r['plain']['wall']:.1f} s")),
        ("**ratio full / plain, wall** (target at most 1.0)",
         col(lambda r: f"**{r['ratio']:.2f}**")),
        ("full build, CPU", col(lambda r: f"{r['build']['cpu']:.1f} s")),
        ("plain MkDocs, CPU", col(lambda r: f"{r['plain']['cpu']:.1f} s")),
        ("ratio full / plain, CPU", col(lambda r: f"{r['build']['cpu'] / r['plain']['cpu']:.2f}")),
        ("peak memory, full build", col(lambda r: f"{r['build']['maxrss_mb']:,.0f} MB")),
        ("peak memory, plain MkDocs", col(lambda r: f"{r['plain']['maxrss_mb']:,.0f} MB")),
        ("full build per decision", col(lambda r: f"{1000 * r['build']['wall'] / r['n']:.1f} ms")),
        ("machine speed just before: a fixed Python loop (`SPEED_LOOP`; lower is faster)",
         col(lambda r: f"{r['speed_s']:.2f} s" if "speed_s" in r else "not measured")),
    ])
    table("Where the full build's time goes (wall)", stage_rows(results))
    table("Pages", [
        ("decision pages built", col(lambda r: f"{r['pages']['decision_pages']:,}")),
        ("decision page HTML, median", col(lambda r: _kb(r["pages"]["decision_median"]))),
        ("decision page HTML, largest", col(lambda r: _kb(r["pages"]["decision_max"]))),
        ("the same decision (record 0) at each size",
         col(lambda r: _kb(r["pages"]["reference_bytes"]))),
        ("largest page of any kind", col(lambda r: f"{_kb(r['pages']['largest_page_bytes'])} "
                                                   f"(`{r['pages']['largest_page']}`)")),
        ("site: files / size", col(lambda r: f"{r['pages']['site_files']:,} / "
                                             f"{r['pages']['site_mb']:,.0f} MB")),
    ])
    rows = [
        ("the theme's `search/search_index.json` (pages other than decisions), raw",
         col(lambda r: _kb(r["search_files"]["material_index_raw"]))),
        ("the same, gzip", col(lambda r: _kb(r["search_files"]["material_index_gz"]))),
        ("the decision index under `search/decisions/`: files / size",
         col(lambda r: f"{r['search_files']['other_files']:,} / "
                       f"{_mb(r['search_files']['other_bytes'])}")),
    ]
    if all("search" in r for r in results):
        rows += [
            (f"**first search (\"{QUERY}\", typed key by key), downloaded, gzip** "
             "(target at most 500 KB at 20,000)", col(lambda r: f"**{_kb(r['search']['gz'])}**")),
            ("first search, downloaded, raw", col(lambda r: _kb(r["search"]["raw"]))),
            ("first search, requests", col(lambda r: str(len(r["search"]["requests"])))),
            ("first search, from the last key to the results (local server)",
             col(lambda r: f"{r['search']['seconds_to_results']:.2f} s")),
            ("results listed", col(lambda r: r["search"]["result_meta"])),
            ("the decision page itself (HTML, CSS, JS), gzip",
             col(lambda r: _kb(r["search"]["page_load_gz"]))),
        ]
    if all("find" in r for r in results):
        rows += [
            (f"**first search on the search page, find/ (\"{QUERY}\"), downloaded, gzip**, the "
             "page included (target at most 500 KB at 20,000)",
             col(lambda r: f"**{_kb(r['find']['gz'])}**")),
            ("the same, requests", col(lambda r: str(len(r["find"]["requests"])))),
            ("the same, from the last key to the results (local server)",
             col(lambda r: f"{r['find']['seconds_to_results']:.2f} s")),
            ("the same, results listed", col(lambda r: r["find"]["result_meta"])),
        ]
    table("Search", rows)
    for r in (r for r in results if "engines" in r):
        e = r["engines"]
        lines += [f"## Both engines ({r['n']:,} decisions)", "",
                  "`python -m generator build --no-cache --engine X`: a full build, "
                  "uninstrumented.", "",
                  "| engine | wall | CPU | peak memory |", "|---|---:|---:|---:|"]
        for name, label in (("mkdocs", "MkDocs + Material"), ("zensical", "Zensical")):
            lines.append(f"| {label} | {e[name]['wall']:.1f} s | {e[name]['cpu']:.1f} s | "
                         f"{e[name]['maxrss_mb']:,.0f} MB |")
        lines.append("")
    table("A build after a change (the build cache, generator/cache.py)", [
        ("one record's title changed: wall",
         col(lambda r: f"{r['incremental']['one record changed']['wall']:.1f} s")),
        ("one record's title changed: files kept from the last build",
         col(lambda r: f"{r['incremental']['one record changed']['kept']:,}")),
        ("nothing changed: wall",
         col(lambda r: f"{r['incremental']['nothing changed']['wall']:.1f} s")),
        ("nothing changed: peak memory",
         col(lambda r: f"{r['incremental']['nothing changed']['maxrss_mb']:,.0f} MB")),
        ("a minute later, nothing else changed (a deploy): wall",
         col(lambda r: f"{r['incremental'][DEPLOY]['wall']:.1f} s")),
        ("a minute later: files kept from the last build",
         col(lambda r: f"{r['incremental'][DEPLOY]['kept']:,}")),
    ])
    for r in (r for r in results if "serve" in r):
        s = r["serve"]
        lines += [f"## Editing a record under `make serve` ({r['n']:,} decisions)", "",
                  "`python -m generator serve`: the title of record 1 is edited twice, each "
                  "time on an idle server; the time is from saving the file to the served page "
                  "showing the new title. The server first writes the edited record's own page "
                  "(the preview, generator/preview.py), then builds the rest of the site; the "
                  "last two columns are what it logged for each.", "",
                  "| start-up (first build) | edit 1 | edit 2 | previews | full builds after "
                  "each edit (time, made, kept) |",
                  "|---:|---:|---:|---|---|"]
        cells = " | ".join(f"{x:.1f} s" for x in s["reload"])
        builds = "; ".join(f"{t} s, {m}, {k}" for t, m, k in s.get("builds", [])[1:])
        previews = "; ".join(f"{t} s" for t in s.get("previews", [])) or "none"
        lines += [f"| {s['startup']:.1f} s | {cells} | {previews} | {builds} |", ""]
    lines += targets(results)
    if notes:
        lines += [notes.rstrip(), ""]
    return "\n".join(lines) + "\n"


def targets(results: Sequence[dict[str, Any]]) -> list[str]:
    by_n = {r["n"]: r for r in results}
    big, mid = by_n.get(20000), by_n.get(5000)
    out = ["## Targets", "", "| target | measured | |", "|---|---|---|"]

    def row(name: str, measured: str, ok: bool) -> None:
        out.append(f"| {name} | {measured} | {'met' if ok else '**missed**'} |")

    worst = max(results, key=lambda r: r["ratio"])
    row("full build at most 1.0 x plain MkDocs of the same pages", ", ".join(
        f"{r['ratio']:.2f} at {r['n']:,} (CPU {r['build']['cpu'] / r['plain']['cpu']:.2f})"
        for r in results), worst["ratio"] <= TARGETS["overhead"])
    views = [(r["n"], r["search"]["page_load_gz"] / 1024) for r in results if "search" in r]
    if views:
        row("a decision page view (HTML, CSS, JS) at most 120 KB gzip at every size",
            ", ".join(f"{kb:,.1f} KB at {n:,}" for n, kb in views),
            all(kb <= TARGETS["view_kb"] for _, kb in views))
    if big and mid:
        k = big["build"]["wall"] / mid["build"]["wall"]
        row("20,000 at most 4.4 x the time of 5,000", f"{k:.2f} x", k <= TARGETS["linear"])
    if big:
        row("full build at 20,000 at most 60 s wall", f"{big['build']['wall']:.1f} s",
            big["build"]["wall"] <= TARGETS["wall_s"])
        inc = big["incremental"]["one record changed"]["wall"]
        row("one record changed at 20,000 at most 15 s", f"{inc:.1f} s",
            inc <= TARGETS["incremental_s"])
        if "search" in big:
            kb = big["search"]["page_load_gz"] / 1024
            row("a decision page view (HTML, CSS, JS) at most 120 KB gzip at 20,000",
                f"{kb:,.1f} KB", kb <= TARGETS["view_kb"])
        kb = big["pages"]["decision_max"] / 1024
        row("a decision page at most 60 KB at 20,000", f"{kb:.1f} KB (largest)",
            kb <= TARGETS["page_kb"])
        if "search" in big:
            kb = big["search"]["gz"] / 1024
            row("first search at most 500 KB gzip at 20,000 (theme's search box)",
                f"{kb:,.1f} KB", kb <= TARGETS["search_kb"])
        if "find" in big:
            kb = big["find"]["gz"] / 1024
            row("first search at most 500 KB gzip at 20,000 (find/, page included)",
                f"{kb:,.1f} KB", kb <= TARGETS["search_kb"])
        gb = big["build"]["maxrss_mb"] / 1024
        row("peak memory at most 1.5 GB at 20,000",
            f"{gb:.2f} GB (plain MkDocs alone {big['plain']['maxrss_mb'] / 1024:.2f} GB)",
            gb <= TARGETS["memory_gb"])
    for r in (r for r in results if "serve" in r):
        worst_edit = max(r["serve"]["reload"])
        row(f"an edit shown under serve at {r['n']:,} within 3 s", f"{worst_edit:.1f} s (worst)",
            worst_edit <= TARGETS["serve_s"])
    out.append("")
    if worst["ratio"] > TARGETS["overhead"]:
        r = worst
        parts = sorted(((lb, _stage(r, lb)) for lb in r["build"]["stages"]["stages"]
                        if ":" not in lb and lb != "engine"), key=lambda x: -x[1])
        allowed = (TARGETS["overhead"] - 1) * r["plain"]["wall"]
        out += [f"Overhead at {r['n']:,} decisions: the full build took "
                f"{r['build']['wall'] - r['plain']['wall']:.1f} s more than plain MkDocs, "
                f"where the target allows {allowed:.1f} s. Outside MkDocs it spent "
                + ", ".join(f"{lb} {t:.1f} s" for lb, t in parts[:6]) + ".", ""]
    return out


# ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the build at N synthetic decisions.")
    parser.add_argument("--n", default=",".join(map(str, SIZES)),
                        help="sizes, comma-separated (default: 1000,5000,20000)")
    parser.add_argument("--serve-n", type=int, default=SERVE_N,
                        help="the size at which to time an edit under `make serve` (0: skip)")
    parser.add_argument("--results", type=Path, default=None,
                        help="write the Markdown report here (default: benchmarks/RESULTS.md "
                             "when all three standard sizes run)")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the synthetic projects (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic projects")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip the first-search measurement in Chromium")
    parser.add_argument("--reuse", type=Path, default=None,
                        help="take the sizes already in this --json file from it instead of "
                             "measuring them again")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in str(args.n).split(",") if x.strip()]
    browser = not args.no_browser
    if browser and chromium() is None:
        print("Chromium or Playwright is missing: the first-search figures need them "
              "(`make browser`). Rerun with --no-browser to skip them.", file=sys.stderr)
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="decision-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    reused = {}
    if args.reuse and args.reuse.is_file():
        reused = {r["n"]: r for r in json.loads(args.reuse.read_text())["results"]}
    results = []
    try:
        for n in sizes:
            if n in reused:
                print(f"{n:,} decisions: taken from {args.reuse}", flush=True)
                results.append(reused[n])
                continue
            print(f"{n:,} decisions ...", flush=True)
            r = measure_size(n, work, browser=browser, serve=n == args.serve_n)
            results.append(r)
            if args.json:  # kept as it goes, so a long run that fails later loses nothing
                args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1),
                                     encoding="utf-8")
            print(f"  full build {r['build']['wall']:.1f} s, plain MkDocs "
                  f"{r['plain']['wall']:.1f} s (ratio {r['ratio']:.2f}), peak "
                  f"{r['build']['maxrss_mb']:,.0f} MB, decision page "
                  f"{_kb(r['pages']['decision_max'])}"
                  + (f", first search {_kb(r['search']['gz'])} gzip" if "search" in r else ""),
                  flush=True)
            if not args.keep:
                set_aside(work / f"n{n}", work)
    finally:
        shutil.rmtree(work / TRASH, ignore_errors=True)
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    notes = NOTES.read_text(encoding="utf-8") if NOTES.is_file() else ""
    text = report(results, info, notes)
    results_path = args.results
    if results_path is None and sorted(sizes) == sorted(SIZES):
        results_path = HERE / "RESULTS.md"
    if results_path is not None:
        results_path.write_text(text, encoding="utf-8")
        print(f"Wrote {results_path}")
    else:
        print(text)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

# This module gives the browser tests what they share: one build of the sample portal per
# session, served from a background thread at the same sub-path as on GitHub Pages (so the
# 404 page's absolute links resolve), and Debian's Chromium driven by Playwright. Playwright
# is always pointed at an installed browser and never downloads one. A machine without a
# browser skips these tests and says so in the terminal summary; in CI (env CI set) a missing
# browser fails the run instead, so the accessibility checks can never quietly stop running.
from __future__ import annotations

import functools
import http.server
import json
import os
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest

from sample_project import build, copy_project

if TYPE_CHECKING:
    from playwright.sync_api import (Browser, BrowserContext, ConsoleMessage, Locator, Page,
                                     Request, Route)

HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe.min.js"
AXE_PATH = "/.test-only/axe.min.js"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
# The moment the sample is built for and the pages' clocks start from: fixed, so statuses,
# time-left words and screenshots are the same on every run.
AS_OF = "2026-11-22T10:00:00+00:00"
CLOCK_LEAD = timedelta(seconds=30)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_missing_browser: list[str] = []


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _missing_browser:
        return
    terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
    terminalreporter.write_line(
        f"{_missing_browser[0]} The WCAG 2.2 AA, keyboard, reflow and no-JavaScript checks "
        "did not run. Install Debian's chromium (`sudo apt-get install chromium`, or `make "
        "test` as root) or set CHROMIUM_PATH.", red=True)


# ---------------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "Playwright is not installed (it is in the `test` extra)."
    if problem is None and not os.access(path, os.X_OK):
        problem = f"No browser at {path}."
    if problem is not None:
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"{problem} CI must run the browser tests; install chromium or set "
                        "CHROMIUM_PATH.", pytrace=False)
        _missing_browser.append(problem)
        pytest.skip(problem)
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# ---------------------------------------------------------------------------------------------
# The built sample portal


@dataclass(frozen=True)
class Site:
    """The built sample site and where it is served."""

    root: Path
    base: str
    """The served URL of the home page, ending in the site's sub-path, e.g. /decisions/."""
    origin: str
    decisions: tuple[dict[str, Any], ...]
    sitemap: tuple[str, ...]
    """Every page the sitemap lists, as paths relative to the site root ("" is home)."""
    as_of: datetime = field(default_factory=lambda: datetime.fromisoformat(AS_OF))

    def url(self, path: str) -> str:
        return self.base + path

    def page_types(self) -> list[str]:
        """One page of each kind the sitemap lists, and every decision (their content, unlike
        an index's, is written by hand): pages are grouped by their path with the last part
        dropped, and the page with the most HTML stands for its group."""
        groups: dict[str, list[str]] = {}
        for path in self.sitemap:
            if path.startswith("decisions/"):
                groups[path] = [path]
                continue
            parts = path.rstrip("/").split("/")
            key = "/".join(parts[:-1]) + "/*" if len(parts) > 1 else path
            groups.setdefault(key, []).append(path)
        return [max(paths, key=lambda p: ((self.root / p / "index.html").stat().st_size, p))
                for paths in groups.values()]

    def decision(self, decision_id: str) -> dict[str, Any]:
        return next(d for d in self.decisions if d["id"] == decision_id)

    def by_status(self) -> dict[str, dict[str, Any]]:
        """One decision for each call-in status in the sample (the first by id)."""
        out: dict[str, dict[str, Any]] = {}
        for d in sorted(self.decisions, key=lambda d: d["id"]):
            out.setdefault(d["call_in"]["status"], d)
        return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under its sub-path and answers anything else with 404.html and a 404,
    as GitHub Pages does."""

    prefix = "/"
    # Keep-alive, and no 40 ms wait for a delayed ACK between headers and body (Nagle):
    # without these each file takes ~40 ms and a page visit a third of a second.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def translate_path(self, path: str) -> str:
        clean = unquote(urlsplit(path).path)
        if clean == AXE_PATH:
            # axe-core for the tests, beside the site and never in it: served rather than
            # evaluated so the browser parses and caches it once, not on every page.
            return str(AXE)
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / ".outside-the-site" / "missing")
        rest = clean[len(self.prefix):]
        target = (Path(self.directory) / rest).resolve()
        if not target.is_relative_to(Path(self.directory).resolve()):
            return str(Path(self.directory) / ".outside-the-site" / "missing")
        return str(target) + ("/" if clean.endswith("/") else "")

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass  # the test output is for failures, not for every request


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A page that navigates away drops its pending requests; that is not a server fault.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _served(project: Path, *args: str) -> Iterator[Site]:
    """Build the sample portal in `project` (with extra build arguments) and serve it."""
    code, _, err = build(project, *args, as_of=AS_OF)
    if code != 0:
        pytest.fail(f"the sample portal did not build:\n{err}", pytrace=False)
    root = project / "site"
    # sitemap.xml is an index of sitemaps/pages-N.xml (generator/write.py): read each.
    index = [el.text or "" for el in ET.parse(root / "sitemap.xml").getroot().iter()
             if el.tag.endswith("}loc")]
    locs = [el.text or "" for part in index
            for el in ET.parse(root / "sitemaps" / part.rsplit("/", 1)[-1]).getroot().iter()
            if el.tag.endswith("}loc")]
    site_url = locs[0]
    prefix = urlsplit(site_url).path
    handler = type("Handler", (_Handler,), {"prefix": prefix})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    data = json.loads((root / "decisions.json").read_text(encoding="utf-8"))
    try:
        yield Site(root=root, base=origin + prefix, origin=origin,
                   decisions=tuple(data["decisions"]),
                   sitemap=tuple(loc[len(site_url):] for loc in locs))
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The sample portal built by the default engine, MkDocs."""
    yield from _served(copy_project(tmp_path_factory.mktemp("browser") / "project"))


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The same sample portal built by Zensical (issue 14)."""
    yield from _served(copy_project(tmp_path_factory.mktemp("browser-zensical") / "project"),
                       "--engine", "zensical")


# ---------------------------------------------------------------------------------------------
# Pages, watched


@dataclass
class Watch:
    """What went wrong in a browser context: console errors, script errors and requests to
    any host but the local server (the site must work offline, from its own folder)."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    allowed_console: list[str] = field(default_factory=list)
    """Console errors a test expects (the 404 page's own 404), matched by substring."""
    inflight: set[Request] = field(default_factory=set)

    def on_console(self, msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        where = msg.location.get("url", "") if msg.location else ""
        text = f"{msg.text} ({where})"
        if not any(a in text for a in self.allowed_console):
            self.console_errors.append(text)

    def on_route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort("blockedbyclient")

    def watch_requests(self, page: Page) -> None:
        page.on("request", lambda r: self.inflight.add(r))
        page.on("requestfinished", lambda r: self.inflight.discard(r))
        page.on("requestfailed", lambda r: self.inflight.discard(r))

    def problems(self) -> list[str]:
        return ([f"console error: {c}" for c in self.console_errors]
                + [f"request to another host: {u}" for u in self.foreign])

    def take(self) -> list[str]:
        """The problems so far, cleared: a test visiting many pages names each one's own."""
        found = self.problems()
        self.console_errors.clear()
        self.foreign.clear()
        return found


@dataclass
class Pages:
    """Opens watched pages; each test gets its own contexts, closed and checked at the end."""

    browser: Browser
    site: Site
    watch: Watch
    contexts: list[BrowserContext] = field(default_factory=list)

    def new(self, *, width: int = 1280, height: int = 800, javascript: bool = True,
            clock: datetime | None = None, install_clock: bool = True) -> Page:
        """A page in a new context whose clock reads `clock` (default: the build's moment)
        when it opens, so status words never depend on when the tests run.
        `install_clock=False` leaves the clock to the test."""
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            locale="en-GB",
            timezone_id="Europe/London",
            reduced_motion="reduce",
            service_workers="block",
        )
        self.contexts.append(context)
        context.route("**/*", self.watch.on_route)
        page = context.new_page()
        page.on("console", self.watch.on_console)
        self.watch.watch_requests(page)
        page.on("pageerror", lambda exc: self.watch.console_errors.append(f"script error: {exc}"))
        if install_clock and javascript:
            # The clock runs, because a frozen Date.now() stalls the theme's debounced search
            # (RxJS reschedules forever). It starts half a minute early: deadlines fall on
            # whole minutes and time left is rounded down to the minute, so the words are
            # exactly those for `clock` for the first 30 seconds the page is open.
            page.clock.install(time=(clock or self.site.as_of) - CLOCK_LEAD)
        return page

    def settle(self, page: Page, timeout: float = 10.0) -> None:
        """Wait until the page has no request in flight (the theme fetches its search index
        and sitemap after the load event), so each page's errors are caught on that page.
        Faster than Playwright's "networkidle", which always waits half a second."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < 2:
            page.wait_for_timeout(25)
            quiet = quiet + 1 if not self.watch.inflight else 0
            if time.monotonic() > deadline:
                pending = ", ".join(sorted(r.url for r in self.watch.inflight))
                raise AssertionError(f"requests still pending after {timeout}s: {pending}")

    def search_results(self, page: Page) -> Locator:
        """The result links once the theme's search has finished redrawing them (it redraws
        after every key, so results for a half-typed word can flash up first)."""
        page.wait_for_function("""() => {
          const list = document.querySelector('.md-search-result__list');
          const meta = document.querySelector('.md-search-result__meta');
          if (!list || !meta || list.hidden) return false;
          const now = list.innerHTML.length + '|' + meta.textContent;
          const same = window.__searchSeen === now && list.children.length > 0;
          window.__searchSeen = now;
          return same;
        }""", polling=250)
        return page.locator("a.md-search-result__link:visible")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def _watched(browser: Browser, site: Site) -> Iterator[Pages]:
    made = Pages(browser, site, Watch(site.origin))
    yield made
    made.close()
    problems = made.watch.problems()
    assert not problems, "\n".join(problems)


@pytest.fixture
def pages(browser: Browser, site: Site) -> Iterator[Pages]:
    yield from _watched(browser, site)


@pytest.fixture
def zensical_pages(browser: Browser, zensical_site: Site) -> Iterator[Pages]:
    """Watched pages on the site Zensical built."""
    yield from _watched(browser, zensical_site)


@pytest.fixture
def engine_pages(request: pytest.FixtureRequest) -> Pages:
    """Watched pages on the site built by the engine a test is parametrised with
    (`@pytest.mark.parametrize("engine_pages", ["mkdocs", "zensical"], indirect=True)`)."""
    name = "pages" if request.param == "mkdocs" else "zensical_pages"
    made: Pages = request.getfixturevalue(name)
    return made


# ---------------------------------------------------------------------------------------------
# axe-core


AxeCheck = Callable[["Page", str], list[str]]


@pytest.fixture(scope="session")
def axe() -> AxeCheck:
    """Run axe-core in a page with the WCAG 2.0/2.1/2.2 A and AA rules; return one line per
    violation (rule id, impact, help URL) and per failing element (target, why), or []."""

    def check(page: Page, where: str) -> list[str]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=urlsplit(page.url)._replace(path=AXE_PATH, query="",
                                                                fragment="").geturl())
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
            "resultTypes: ['violations']})", WCAG_TAGS)
        lines = []
        for v in result["violations"]:
            lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            for node in v["nodes"][:10]:
                summary = " ".join(node.get("failureSummary", "").split())
                lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
        return lines

    return check

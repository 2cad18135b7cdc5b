# This module is `python -m generator serve`: the checked build (write.build_site, with the
# build cache) served on a local address, rebuilt when a record, a setting, mkdocs.yml or the
# council's theme files change, and reloaded in the browser when the new site is in place. It
# replaces `mkdocs serve`, which no other engine shares and which rebuilt every page the
# generator wrote; here a change remakes only the files it touches (cache.py), and a build
# that fails leaves the last good site being served, with its problems printed.
#
# The watcher polls file sizes and times twice a second rather than using inotify: it needs
# nothing beyond the standard library and sees edits on every platform and file system.
from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RELOAD_PATH = "/__serve/reload"
# Served only by this command, never written into the site: the page asks whether a newer
# build is in place and reloads when it is. It is a file from the same host, so a page's
# Content-Security-Policy (script-src 'self') allows it.
RELOAD_SCRIPT = f"""(function () {{
  var seen = null;
  function ask() {{
    fetch("{RELOAD_PATH}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (n) {{
        if (seen !== null && n !== seen) {{ location.reload(); }}
        seen = n;
      }}).catch(function () {{}}).finally(function () {{ setTimeout(ask, 500); }});
  }}
  ask();
}})();
""".encode()
_TAG = f'<script src="{RELOAD_PATH}.js"></script>'.encode()


@dataclass
class State:
    """The build the server shows: a counter the pages poll, moved on by each good build."""

    generation: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bump(self) -> None:
        with self.lock:
            self.generation += 1


def watched(root: Path) -> Iterator[Path]:
    """What the site is made from and a council edits."""
    for name in ("decisions", "site-data", "overrides"):
        base = root / name
        if base.is_dir():
            yield from (p for p in base.rglob("*") if p.is_file())
    if (root / "mkdocs.yml").is_file():
        yield root / "mkdocs.yml"


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for path in watched(root):
        try:
            st = path.stat()
        except OSError:
            continue
        out[str(path)] = (st.st_size, st.st_mtime_ns)
    return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: State

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        path = self.path.split("?", 1)[0]
        if path == RELOAD_PATH:
            self._send(str(self.state.generation).encode(), "text/plain")
            return
        if path == RELOAD_PATH + ".js":
            self._send(RELOAD_SCRIPT, "text/javascript")
            return
        if path.endswith("/") or path.endswith(".html"):
            target = Path(self.translate_path(path))
            if target.is_dir():
                target = target / "index.html"
            if target.is_file():
                html = target.read_bytes()
                at = html.rfind(b"</body>")
                html = html[:at] + _TAG + html[at:] if at >= 0 else html + _TAG
                self._send(html, "text/html; charset=utf-8")
                return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass  # a request log would bury the build messages


Rebuild = Callable[[frozenset[Path], Callable[[], None]], bool]


def serve(root: Path, site_dir: Path, host: str, port: int, rebuild: Rebuild,
          say: Callable[[str], None], *, poll: float = 0.5,
          stop: threading.Event | None = None) -> None:
    """Serve `site_dir` and call `rebuild` (which builds and reports) whenever an input changes,
    with the files that changed and a function that tells the open pages to reload (for a
    preview written before the build finishes). Runs until interrupted (or `stop` is set)."""
    state = State()
    handler = type("Handler", (_Handler,), {"state": state})
    server = http.server.ThreadingHTTPServer(
        (host, port), functools.partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    say(f"Serving {site_dir.name}/ on http://{host}:{server.server_address[1]}/ "
        "(Ctrl+C to stop); edits to records and settings rebuild it.")
    stop = stop or threading.Event()
    seen = snapshot(root)
    try:
        while not stop.wait(poll):
            now = snapshot(root)
            if now == seen:
                continue
            # Editors save in several steps (a temporary file, then a rename): wait until the
            # files stop changing, so one save is one build.
            while True:
                time.sleep(poll / 2)
                again = snapshot(root)
                if again == now:
                    break
                now = again
            changed = frozenset(Path(p) for p in seen.keys() | now.keys()
                                if seen.get(p) != now.get(p))
            seen = now
            if rebuild(changed, state.bump):
                state.bump()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()

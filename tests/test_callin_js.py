# This module tests the page script without a browser: Node runs it against a tiny fake DOM, so
# the badge logic and the time-left words can be checked against the Python engine on every
# test run. Browser tests of the real pages come later; skipped where Node is not installed.
from __future__ import annotations

import json
import random
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from generator.callin import LABELS, State, time_left

NODE = shutil.which("node")
SCRIPT = Path(__file__).resolve().parent.parent / "generator/overrides/assets/javascripts/callin.js"
LONDON = ZoneInfo("Europe/London")

pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js to run the page script")

HARNESS = r"""
const fs = require("fs");
const vm = require("vm");
const source = fs.readFileSync(process.argv[2], "utf8");
const input = JSON.parse(fs.readFileSync(0, "utf8"));

class El {
  constructor(attrs, children = [], text = "") {
    this.attrs = Object.assign({}, attrs);
    this.children = children;
    this.textContent = text;
    this.hidden = false;
    const cls = new Set((attrs["class"] || "").split(/\s+/).filter(Boolean));
    this.cls = cls;
    this.classList = { add: (c) => cls.add(c), remove: (c) => cls.delete(c) };
  }
  getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; }
  setAttribute(n, v) { this.attrs[n] = String(v); }
  querySelector(sel) {
    const m = /^\[([\w-]+)\]$/.exec(sel);
    if (!m) throw new Error("unsupported selector " + sel);
    for (const c of this.children) {
      if (m[1] in c.attrs) return c;
      const found = c.querySelector(sel);
      if (found) return found;
    }
    return null;
  }
}

function run(scenario) {
  const els = scenario.elements.map((e) => {
    const attrs = { "class": "callin-status", "data-callin-state": e.state };
    if (e.deadline !== null) attrs["data-callin-deadline"] = e.deadline;
    if (e.in_force) attrs["data-callin-in-force"] = e.in_force;
    return new El(attrs, [
      new El({ "class": "callin-badge callin-badge--" + e.state, "data-callin-badge": "" },
             [], e.label),
      new El({ "data-callin-left": "" }, [], "2 days 3 hours left"),
      new El({ "data-callin-asof": "" }, [], "as of 10:00 on Friday 5 December 2025"),
    ]);
  });
  const listeners = {};
  const intervals = [];
  const subscribed = [];
  const document = {
    readyState: scenario.ready_state,
    addEventListener: (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); },
    querySelectorAll: (sel) => {
      if (sel !== "[data-callin-deadline]") throw new Error("unsupported selector " + sel);
      return els.filter((e) => "data-callin-deadline" in e.attrs);
    },
  };
  const context = { document, setInterval: (fn, ms) => intervals.push(ms) };
  context.window = context;
  if (scenario.document$) context.document$ = { subscribe: (fn) => subscribed.push(fn) };
  vm.createContext(context);
  vm.runInContext("Date.now = function () { return " + scenario.now_ms + "; };", context);
  vm.runInContext(source, context);
  (listeners.DOMContentLoaded || []).forEach((fn) => fn());
  subscribed.forEach((fn) => fn());
  return {
    intervals,
    subscribed: subscribed.length,
    elements: els.map((e) => {
      const [badge, left, asof] = e.children;
      return {
        state: e.getAttribute("data-callin-state"),
        badge: badge.textContent,
        classes: [...badge.cls].sort(),
        left: left.textContent,
        left_hidden: left.hidden,
        asof: asof.textContent,
      };
    }),
  };
}

if (input.mode === "time-left") {
  const context = { document: { readyState: "complete", querySelectorAll: () => [] },
                    setInterval: () => 0 };
  context.window = context;
  vm.createContext(context);
  vm.runInContext(source, context);
  const words = input.pairs.map(([d, n]) => context.decisionsCallin.timeLeft(d, n));
  process.stdout.write(JSON.stringify(words));
} else {
  process.stdout.write(JSON.stringify(input.scenarios.map(run)));
}
"""


def node(payload: dict[str, Any], tmp_path: Path) -> Any:
    assert NODE is not None
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    done = subprocess.run(
        [NODE, str(harness), str(SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def test_time_left_words_match_python(tmp_path: Path) -> None:
    deadline = datetime(2025, 10, 27, 17, 0, tzinfo=LONDON)  # just after the clocks go back
    lefts = [1, 59_999, 60_000, 3_599_999, 3_600_000, 3_660_000, 86_399_999, 86_400_000,
             90_000_000, 183_600_000, 187_199_999]  # fmt: skip
    chance = random.Random(20251209)
    lefts += [chance.randrange(1, 40 * 86_400_000) for _ in range(300)]
    pairs = [(ms(deadline), ms(deadline) - left) for left in lefts]
    words = node({"mode": "time-left", "pairs": pairs}, tmp_path)
    # Step back in UTC: arithmetic on a London datetime moves wall time, not elapsed time.
    utc = deadline.astimezone(UTC)
    expected = [time_left(deadline, utc - timedelta(milliseconds=left)) for left in lefts]
    assert words == expected


SEED_DEADLINE = "2025-12-09T17:00:00+00:00"


def element(state: str, deadline: str | None = SEED_DEADLINE, in_force: str = "2025-12-10",
            label: str = "Open for call-in") -> dict[str, Any]:  # fmt: skip
    return {"state": state, "deadline": deadline, "in_force": in_force, "label": label}


def scenario(now: datetime, *elements: dict[str, Any], ready_state: str = "loading",
             document_: bool = False) -> dict[str, Any]:  # fmt: skip
    return {"now_ms": ms(now), "elements": list(elements), "ready_state": ready_state,
            "document$": document_}  # fmt: skip


def one(tmp_path: Path, scene: dict[str, Any]) -> dict[str, Any]:
    [result] = node({"mode": "dom", "scenarios": [scene]}, tmp_path)
    return result  # type: ignore[no-any-return]


def test_open_badge_counts_down(tmp_path: Path) -> None:
    result = one(tmp_path, scenario(datetime(2025, 12, 7, 14, 0, tzinfo=LONDON), element("open")))
    assert result["intervals"] == [60_000]
    assert result["elements"] == [
        {
            "state": "open",
            "badge": "Open for call-in",
            "classes": ["callin-badge", "callin-badge--open"],
            "left": "2 days 3 hours left",
            "left_hidden": False,
            "asof": "updated when you opened this page",
        }
    ]


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (datetime(2025, 12, 9, 16, 59, 59, tzinfo=UTC), "open"),
        (datetime(2025, 12, 9, 17, 0, 0, tzinfo=UTC), "ended"),  # at the cut-off: ended
        (datetime(2025, 12, 9, 23, 59, 59, tzinfo=UTC), "ended"),
        (datetime(2025, 12, 10, 0, 0, 0, tzinfo=UTC), "in-force"),
    ],
)
def test_badge_moves_on_at_the_cutoff_and_the_in_force_date(
    tmp_path: Path, now: datetime, state: str
) -> None:
    [result] = one(tmp_path, scenario(now, element("open")))["elements"]
    assert result["state"] == state
    assert result["classes"] == ["callin-badge", f"callin-badge--{state}"]
    assert result["badge"] == LABELS[State(state)]
    assert result["left_hidden"] is (state != "open")


@pytest.mark.parametrize(
    ("now", "state"),
    [
        # 23:30 BST on 30 June is still 30 June in London, though 22:30 UTC.
        (datetime(2025, 6, 30, 22, 30, tzinfo=UTC), "ended"),
        # 00:30 BST on 1 July is 23:30 UTC on 30 June: in force by London's date.
        (datetime(2025, 6, 30, 23, 30, tzinfo=UTC), "in-force"),
    ],
)
def test_in_force_uses_the_london_date(tmp_path: Path, now: datetime, state: str) -> None:
    summer = element("ended", "2025-06-30T17:00:00+01:00", "2025-07-01", "Call-in period ended")
    [result] = one(tmp_path, scenario(now, summer))["elements"]
    assert result["state"] == state


def test_other_states_are_left_alone(tmp_path: Path) -> None:
    now = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    called = element("called-in", label="Called in — suspended pending scrutiny")
    result = one(tmp_path, scenario(now, called))["elements"][0]
    assert result["state"] == "called-in"
    assert result["badge"] == "Called in — suspended pending scrutiny"
    assert result["asof"] == "as of 10:00 on Friday 5 December 2025"


def test_never_moves_back(tmp_path: Path) -> None:
    # A reader's clock set before the deadline does not reopen a period the build saw end.
    now = datetime(2025, 12, 8, 12, 0, tzinfo=UTC)
    [result] = one(tmp_path, scenario(now, element("ended", label="Call-in period ended")))[
        "elements"
    ]
    assert (result["state"], result["badge"]) == ("ended", "Call-in period ended")


def test_pages_without_badges_and_bad_data_do_not_throw(tmp_path: Path) -> None:
    now = datetime(2025, 12, 7, 14, 0, tzinfo=UTC)
    assert one(tmp_path, scenario(now))["elements"] == []
    broken = one(tmp_path, scenario(now, element("open", deadline="next Tuesday")))
    assert broken["elements"][0]["left"] == "2 days 3 hours left"


def test_runs_at_once_when_loaded_late_and_on_instant_navigation(tmp_path: Path) -> None:
    result = one(
        tmp_path,
        scenario(datetime(2025, 12, 10, 9, 0, tzinfo=UTC), element("open"),
                 ready_state="complete", document_=True),
    )  # fmt: skip
    assert result["subscribed"] == 1
    assert result["elements"][0]["state"] == "in-force"

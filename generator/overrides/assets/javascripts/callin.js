// This script exists because the portal is a static site: a badge built as "Open for call-in"
// would keep saying so after the deadline. It re-reads the reader's clock when the page opens
// (and every minute) and moves a badge forward: open -> ended -> in force. It never moves a
// badge back and never touches other states (called in, not subject...), which only a new
// build can know. The words match generator/callin.py (time_left, LABELS); keep them in step.
(function () {
  "use strict";

  var MINUTE = 60000;
  var LABELS = { ended: "Call-in period ended", "in-force": "In force" };
  var STATES = ["open", "ended", "in-force"];

  function count(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  // Same rules as Python's time_left: whole minutes rounded down, elapsed time.
  function timeLeft(deadlineMs, nowMs) {
    var minutes = Math.floor((deadlineMs - nowMs) / MINUTE);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    if (days > 0) return count(days, "day") + (hours ? " " + count(hours, "hour") : "");
    if (hours > 0) return count(hours, "hour") + (mins ? " " + count(mins, "minute") : "");
    if (mins > 0) return count(mins, "minute");
    return "less than a minute";
  }

  // In-force dates are London dates, whatever the reader's own time zone.
  function londonDate(nowMs) {
    try {
      var parts = new Intl.DateTimeFormat("en-GB", {
        timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit"
      }).formatToParts(new Date(nowMs));
      var got = {};
      parts.forEach(function (p) { got[p.type] = p.value; });
      return got.year + "-" + got.month + "-" + got.day;
    } catch (e) {
      return null; // no time zone data: never claim "in force" on a guess
    }
  }

  function setText(el, selector, text) {
    var node = el.querySelector(selector);
    if (node) node.textContent = text;
    return node;
  }

  function moveTo(el, state) {
    el.setAttribute("data-callin-state", state);
    var badge = el.querySelector("[data-callin-badge]");
    if (badge) {
      STATES.forEach(function (s) { badge.classList.remove("callin-badge--" + s); });
      badge.classList.add("callin-badge--" + state);
      badge.textContent = LABELS[state];
    }
    var left = setText(el, "[data-callin-left]", "");
    if (left) left.hidden = true;
  }

  function refresh(el, nowMs) {
    var state = el.getAttribute("data-callin-state");
    if (state !== "open" && state !== "ended") return;
    // Date.parse reads ISO 8601 with an offset, as Python's isoformat() writes it.
    var deadline = Date.parse(el.getAttribute("data-callin-deadline") || "");
    if (isNaN(deadline)) return;
    // The as-of text is for readers without JavaScript; this reader sees live words.
    setText(el, "[data-callin-asof]", "updated when you opened this page");
    // At exactly the cut-off the period has ended, as in Python.
    if (nowMs < deadline) {
      if (state === "open") setText(el, "[data-callin-left]", timeLeft(deadline, nowMs) + " left");
      return;
    }
    var inForce = el.getAttribute("data-callin-in-force");
    var today = londonDate(nowMs);
    var next = inForce && today && today >= inForce ? "in-force" : "ended";
    if (next !== state) moveTo(el, next);
  }

  function update() {
    var nowMs = Date.now();
    var els = document.querySelectorAll("[data-callin-deadline]");
    for (var i = 0; i < els.length; i++) refresh(els[i], nowMs);
  }

  window.decisionsCallin = { timeLeft: timeLeft, londonDate: londonDate, update: update };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  // mkdocs-material's instant navigation swaps pages without a new DOMContentLoaded.
  if (window.document$) window.document$.subscribe(update);
  setInterval(update, MINUTE);
})();

// The site's own search page (find/). It reads the decision index through search-core.js and
// draws the results itself, with no theme script, so search behaves the same whichever engine
// built the site (issue 14). The query lives in the address (?q=), so a search can be shared,
// bookmarked and reached from the plain search forms on other pages; the count of matches is
// announced through a polite live region (WCAG 4.1.3) and "Show more results" moves focus to
// the first new result, so keyboard and screen reader users do not lose their place.
(function () {
  "use strict";
  var STEP = DecisionSearch.MAX_RESULTS;

  function start() {
    var out = document.querySelector("[data-decision-search]");
    var input = document.getElementById("find-q");
    if (!out || !input) return;
    var form = input.form;
    var status = document.getElementById("find-status");
    var list = document.getElementById("find-results");
    var more = document.getElementById("find-more");
    var root = new URL(out.getAttribute("data-root"), document.baseURI).href;
    var browse = out.getAttribute("data-browse");
    var engine = DecisionSearch.createSearch(
      new URL(out.getAttribute("data-index"), document.baseURI).href,
      function (url, revalidate) {
        return fetch(url, revalidate ? { cache: "no-cache" } : {}).then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        });
      });
    var latest = 0;
    var limit = STEP;
    var timer = 0;

    function say(text, link) {
      status.textContent = text;
      if (link) {
        status.appendChild(document.createTextNode(" "));
        var a = document.createElement("a");
        a.href = browse;
        a.textContent = link;
        status.appendChild(a);
      }
    }

    function draw(result, query, focusFrom) {
      list.textContent = "";
      var everyWord = result.results.every(function (r) {
        return Object.keys(r.terms).every(function (t) { return r.terms[t]; });
      });
      if (!result.total) {
        say("No decision matches \u201c" + query + "\u201d. Check the spelling or try fewer words, or",
          "browse decisions.");
      } else {
        var n = result.total.toLocaleString("en-GB");
        var noun = result.total === 1 ? "decision" : "decisions";
        var shown = result.results.length;
        say((everyWord ? n + " " + noun + " match \u201c" + query + "\u201d."
          : "No decision has every word of \u201c" + query + "\u201d; " + n + " " + noun +
            " have some of them.") +
          (shown < result.total ? " Showing the best " + shown + "." : ""));
      }
      result.results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.className = "portal-find__result";
        var title = document.createElement("a");
        title.className = "portal-find__link";
        title.href = new URL(r.location, root).href;
        title.innerHTML = r.title;  // escaped by search-core.js, matched words in <mark>
        li.appendChild(title);
        var meta = document.createElement("p");
        meta.className = "portal-find__meta";
        meta.textContent = r.when + " \u00b7 " + r.maker;
        li.appendChild(meta);
        if (r.snippet) {
          var p = document.createElement("p");
          p.className = "portal-find__snippet";
          p.innerHTML = r.snippet;
          li.appendChild(p);
        }
        var missing = Object.keys(r.terms).filter(function (t) { return !r.terms[t]; });
        if (missing.length) {
          var m = document.createElement("p");
          m.className = "portal-find__missing";
          m.textContent = "Does not contain: ";
          missing.forEach(function (t, j) {
            var s = document.createElement("s");
            s.textContent = t;
            if (j) m.appendChild(document.createTextNode(", "));
            m.appendChild(s);
          });
          li.appendChild(m);
        }
        list.appendChild(li);
        if (focusFrom !== undefined && i === focusFrom) title.focus();
      });
      more.hidden = result.results.length >= result.total;
    }

    // No results on show, and `text` (or nothing) in the status line.
    function clear(text) {
      list.textContent = "";
      more.hidden = true;
      say(text);
    }

    function run(focusFrom) {
      var query = input.value.trim();
      var id = ++latest;
      if (!query) {
        clear("");
        return;
      }
      engine.search(query, limit).then(function (result) {
        if (id !== latest) return;
        if (!result.terms.length) {
          clear("\u201c" + query + "\u201d has no words to search for: try a longer word.");
          return;
        }
        draw(result, query, focusFrom);
      }, function () {
        if (id === latest) say("Search could not load. Check the connection and try again, or", "browse decisions.");
      });
    }

    function remember() {
      var query = input.value.trim();
      var url = new URL(location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      history.replaceState(null, "", url.href);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      limit = STEP;
      // Looked up once typing pauses, so each word's shard is fetched once, not per letter.
      timer = setTimeout(function () { remember(); run(); }, DecisionSearch.TYPING_PAUSE);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      limit = STEP;
      remember();
      run();
    });
    more.addEventListener("click", function () {
      var from = list.children.length;
      limit += STEP;
      run(from);
    });
    var initial = new URLSearchParams(location.search).get("q");
    if (initial) {
      input.value = initial;
      run();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

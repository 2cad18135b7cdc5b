// This script is the worker behind the theme's search box under MkDocs. Material for MkDocs runs
// search in a web worker and lets a site name its own (overrides/main.html points the theme's
// "search" setting here); this one answers the theme's messages, so the box, results list and
// keyboard use stay as residents know them, and finds decisions through search-core.js. Pages
// other than decisions (glossary, data, accessibility) still come from the theme's small index,
// which the theme hands over at setup. The site's own search page (find/) uses the same core
// without any theme script, so it is what Zensical's sites use (issue 14).
"use strict";

var SETUP = 0;
var READY = 1;
var QUERY = 2;
var RESULT = 3;

var core = typeof module !== "undefined" && module.exports
  ? require("./search-core.js")
  : (importScripts("search-core.js"), self.DecisionSearch);

// The theme draws each result group from {location, title, text, score, terms}; a last group
// says how many more matched and points to the browse pages.
function themeItems(result) {
  var items = result.results.map(function (r) {
    var text = r.page ? "" : "<p>" + core.escapeHtml(r.when + " · " + r.maker) + "</p>" +
      (r.snippet ? "<p>" + r.snippet + "</p>" : "");
    return [{ location: r.location, title: r.title, text: text, score: r.score, terms: r.terms }];
  });
  if (result.total > result.results.length) {
    var all = {};
    result.terms.forEach(function (t) { all[t] = true; });
    items.push([{
      location: result.more,
      title: core.escapeHtml("Showing the best " + result.results.length + " of " +
        result.total.toLocaleString("en-GB") + " matches"),
      text: "<p>Add words to narrow the search, or browse decisions by ward, service or date.</p>",
      score: 0,
      terms: all
    }]);
  }
  return items;
}

if (typeof module !== "undefined" && module.exports) {
  // Node, for tests/test_search.py: the drawing, without the worker wiring.
  module.exports = { themeItems: themeItems };
} else {
  (function () {
    var base = new URL("../../search/decisions/", self.location.href).href;
    var engine = core.createSearch(base, function (url, revalidate) {
      return fetch(url, revalidate ? { cache: "no-cache" } : {}).then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.json();
      });
    });
    var latest = 0;
    self.addEventListener("message", function (ev) {
      var message = ev.data;
      if (message.type === SETUP) {
        engine.setup(message.data.docs);
        self.postMessage({ type: READY });
      } else if (message.type === QUERY) {
        // The theme asks on every key. A query is only looked up once no key has followed it
        // for a moment, so typing "home care" fetches the shards and cards of "home care",
        // not of "hom", "home c" and the rest; and a reply overtaken by newer words is dropped.
        var id = ++latest;
        setTimeout(function () {
          if (id !== latest) return;
          engine.search(message.data).then(function (result) {
            if (id === latest) self.postMessage({ type: RESULT, data: { items: themeItems(result) } });
          }, function (err) {
            console.warn("Search failed: " + err);
            if (id === latest) self.postMessage({ type: RESULT, data: { items: [] } });
          });
        }, core.TYPING_PAUSE);
      }
    });
  })();
}

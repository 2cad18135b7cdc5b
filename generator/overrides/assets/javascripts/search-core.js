// The decision search shared by the theme's search box (search-worker.js, which answers the
// theme's messages) and the site's own search page (decision-search.js on find/, which needs
// no theme script at all, so it works the same under MkDocs and Zensical: issue 14). It reads
// the chunked index that generator/search.py writes and fetches only the shard of each word
// typed and the cards of the results it shows; Material's own index needs every page's full
// text first (126 MB at 20,000 decisions). The tokeniser, stop words and plural folding match
// generator/search.py; tests/test_search.py runs both over the same text.
// One global, DecisionSearch, in a page or a worker; module.exports under Node.
(function (root) {
  "use strict";

  var MAX_RESULTS = 20;
  // Milliseconds without a key before a query is looked up (people type a key every 100-300 ms).
  var TYPING_PAUSE = 250;
  // Prefix matches count for less than the word itself, and need three letters to start.
  var PREFIX_FACTOR = 0.5;
  var PREFIX_MIN = 3;
  // A short prefix can begin hundreds of words; beyond this many shards it matches whole words.
  var MAX_EXPANSION = 4;
  var WEIGHT_TITLE = 8;
  var MAX_WEIGHT = 35;
  var STOP_WORDS = new Set(("a an and are as at be been by for from has have in into is it its of " +
    "on or that the their this to was were which will with").split(" "));
  var WORD = /[\p{L}\p{N}]+/gu;
  var WORD_SPLIT = /([\p{L}\p{N}]+)/u;

  function fold(word) {
    if (word.length > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
    if (word.length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function plain(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function tokens(text) {
    var out = [];
    var words = plain(text).match(WORD) || [];
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (STOP_WORDS.has(w) || (w.length < 2 && !/^\p{N}$/u.test(w))) continue;
      out.push(fold(w));
    }
    return out;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Escaped text with the words a query matched in <mark>, as the theme's own results show.
  function highlight(text, terms) {
    var parts = String(text).split(WORD_SPLIT);
    var out = "";
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 0) {
        out += escapeHtml(parts[i]);
        continue;
      }
      var t = tokens(parts[i]);
      var hit = t.length > 0 && terms.some(function (q) {
        return t[0] === q || (q.length >= PREFIX_MIN && t[0].startsWith(q));
      });
      out += hit ? "<mark>" + escapeHtml(parts[i]) + "</mark>" : escapeHtml(parts[i]);
    }
    return out;
  }

  function keyFile(key) {
    return Array.from(key).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  function createSearch(base, fetchJson) {
    var manifest = null;
    var shards = new Map();
    var chunks = new Map();
    var pages = [];

    function getManifest() {
      if (!manifest) {
        // Revalidated on every page view, so a new build's shards are never mixed with an old
        // manifest; shards and cards carry the build id and are cached like any file.
        manifest = fetchJson(base + "index.json", true).catch(function (err) {
          manifest = null;
          throw err;
        });
      }
      return manifest;
    }

    function cached(map, url) {
      if (!map.has(url)) {
        map.set(url, fetchJson(url, false).catch(function (err) {
          map.delete(url);
          throw err;
        }));
      }
      return map.get(url);
    }

    function shardKeys(m, term) {
      var keys = [];
      for (var j = Math.min(term.length, m.maxKey); j > 0; j--) {
        if (m.keySet.has(term.slice(0, j))) {
          keys.push(term.slice(0, j));
          break;
        }
      }
      if (term.length >= PREFIX_MIN) {
        var longer = m.shards.filter(function (k) {
          return k.length > term.length && k.startsWith(term);
        });
        if (longer.length <= MAX_EXPANSION) keys = keys.concat(longer);
      }
      return keys;
    }

    // doc number -> best weight of any indexed word matching `term`
    function matchTerm(m, term) {
      var urls = shardKeys(m, term).map(function (k) {
        return base + "t/" + keyFile(k) + ".json?v=" + m.build;
      });
      return Promise.all(urls.map(function (u) { return cached(shards, u); })).then(function (list) {
        var scores = new Map();
        list.forEach(function (shard) {
          Object.keys(shard).forEach(function (word) {
            var factor = word === term ? 1 : (term.length >= PREFIX_MIN && word.startsWith(term)
              ? PREFIX_FACTOR : 0);
            if (!factor) return;
            var doc = 0;
            shard[word].split(",").forEach(function (posting) {
              doc += parseInt(posting.slice(0, -1), 36);
              var score = parseInt(posting.slice(-1), 36) * factor;
              if (!(scores.get(doc) >= score)) scores.set(doc, score);
            });
          });
        });
        return scores;
      });
    }

    function matchPages(terms) {
      return pages.map(function (page) {
        var score = 0;
        var found = terms.map(function (q) {
          var best = 0;
          page.words.forEach(function (weight, word) {
            var f = word === q ? 1 : (q.length >= PREFIX_MIN && word.startsWith(q) ? PREFIX_FACTOR : 0);
            best = Math.max(best, Math.min(MAX_WEIGHT, weight) * f);
          });
          score += best;
          return best > 0;
        });
        return { page: page, score: score, found: found };
      }).filter(function (r) { return r.score > 0; });
    }

    // The theme's index splits each page into sections; their words count for the page.
    function setup(docs) {
      var byPage = new Map();
      (docs || []).forEach(function (doc) {
        var path = doc.location.split("#")[0];
        var page = byPage.get(path);
        if (!page) {
          page = { location: path, title: "", words: new Map() };
          byPage.set(path, page);
        }
        var weight = 1;
        if (doc.location.indexOf("#") === -1) {
          page.title = doc.title || "";
          weight = WEIGHT_TITLE;
        }
        tokens(doc.title || "").forEach(function (w) { page.words.set(w, (page.words.get(w) || 0) + weight); });
        tokens(String(doc.text || "").replace(/<[^>]*>/g, " ")).forEach(function (w) {
          page.words.set(w, (page.words.get(w) || 0) + 1);
        });
      });
      pages = Array.from(byPage.values()).filter(function (p) { return p.title; });
    }

    // The best `limit` matches (MAX_RESULTS unless asked for more), as plain data that the
    // theme's worker (search-worker.js) and the site's own search page (decision-search.js) each
    // draw in their own way: titles and snippets are escaped HTML with the matched words marked.
    function search(query, limit) {
      var terms = Array.from(new Set(tokens(query)));
      var wanted = limit || MAX_RESULTS;
      if (!terms.length) return Promise.resolve({ terms: terms, total: 0, more: "", results: [] });
      return getManifest().then(function (m) {
        if (!m.keySet) {
          m.keySet = new Set(m.shards);
          m.maxKey = m.shards.reduce(function (n, k) { return Math.max(n, k.length); }, 1);
        }
        return Promise.all(terms.map(function (t) { return matchTerm(m, t); })).then(function (maps) {
          var docs = new Map();
          maps.forEach(function (scores, i) {
            scores.forEach(function (score, doc) {
              var entry = docs.get(doc) || { score: 0, found: terms.map(function () { return false; }) };
              entry.score += score;
              entry.found[i] = true;
              docs.set(doc, entry);
            });
          });
          var hits = [];
          docs.forEach(function (entry, doc) { hits.push({ doc: doc, score: entry.score, found: entry.found }); });
          matchPages(terms).forEach(function (r) { hits.push(r); });
          // Every word must match; only when nothing matches them all are partial matches shown,
          // each with the words it lacks struck through.
          var all = hits.filter(function (h) { return h.found.every(Boolean); });
          if (all.length) hits = all;
          hits.sort(function (a, b) {
            if (b.found.filter(Boolean).length !== a.found.filter(Boolean).length)
              return b.found.filter(Boolean).length - a.found.filter(Boolean).length;
            if (b.score !== a.score) return b.score - a.score;
            if (a.page || b.page) return a.page ? -1 : 1;
            return a.doc - b.doc;
          });
          var shown = hits.slice(0, wanted);
          var urls = new Set();
          shown.forEach(function (h) {
            if (!h.page) urls.add(base + "d/" + Math.floor(h.doc / m.chunk) + ".json?v=" + m.build);
          });
          var files = Array.from(urls);
          return Promise.all(files.map(function (u) { return cached(chunks, u); })).then(function (loaded) {
            var byUrl = new Map();
            files.forEach(function (u, i) { byUrl.set(u, loaded[i]); });
            var results = shown.map(function (h) {
              var termsFound = {};
              terms.forEach(function (t, i) { termsFound[t] = h.found[i]; });
              if (h.page) {
                return { location: h.page.location, title: escapeHtml(h.page.title), when: "",
                  maker: "", snippet: "", score: h.score, terms: termsFound, page: true };
              }
              var card = byUrl.get(base + "d/" + Math.floor(h.doc / m.chunk) + ".json?v=" + m.build)[h.doc % m.chunk];
              return {
                location: "decisions/" + card[0] + "/",
                title: highlight(card[1], terms),
                when: new Date(card[2] + "T12:00:00Z").toLocaleDateString("en-GB",
                  { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }),
                maker: card[3],
                snippet: card[4] ? highlight(card[4], terms) : "",
                score: h.score,
                terms: termsFound,
                page: false
              };
            });
            return { terms: terms, total: hits.length, more: m.more, results: results };
          });
        });
      });
    }

    return { setup: setup, search: search };
  }

  var api = { tokens: tokens, fold: fold, highlight: highlight, keyFile: keyFile,
    escapeHtml: escapeHtml, createSearch: createSearch, MAX_RESULTS: MAX_RESULTS,
    TYPING_PAUSE: TYPING_PAUSE };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;  // Node, for tests/test_search.py
  } else {
    root.DecisionSearch = api;
  }
})(typeof self !== "undefined" ? self : this);

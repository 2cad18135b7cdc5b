# This module tests the decision search: the chunked index generator/search.py writes and the
# search (generator/overrides/assets/javascripts/search-core.js) that the theme's search box
# (search-worker.js) and the site's own search page (find/, decision-search.js) share. Node runs
# the scripts' own functions against index files Python built, so the two halves are checked
# together without a browser: the same words on both sides, every indexed word findable however
# the shards were split, results in order, and no exempt text anywhere. tests/browser/
# test_search.py checks both in a browser under both engines.
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from generator import search
from generator.cli import _as_of
from generator.guard import normalise
from generator.pipeline import Generated, generate
from generator.redact import marker_text
from generator.site import Entry, newest_first
from sample_project import AS_OF, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # noqa: E402

NODE = shutil.which("node")
SCRIPTS = REPO / "generator/overrides/assets/javascripts"
CORE = SCRIPTS / "search-core.js"
WORKER = SCRIPTS / "search-worker.js"

pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js to run the search worker")

HARNESS = r"""
const fs = require("fs");
const path = require("path");
const worker = require(process.argv[1]);
const core = require(process.argv[2]);
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const reads = [];
const engine = core.createSearch("", (url) => {
  reads.push(url);
  const file = path.join(input.dir, url.split("?")[0]);
  return Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8")));
});
engine.setup(input.pages || []);
(async () => {
  const out = { tokens: input.texts.map(core.tokens), highlight: [], results: [] };
  for (const [text, terms] of input.highlight || []) {
    out.highlight.push(core.highlight(text, terms));
  }
  for (const q of input.queries) {
    reads.length = 0;
    const r = await engine.search(q, input.limit);
    out.results.push({ items: worker.themeItems(r).map((g) => g[0]), found: r,
                       reads: reads.slice() });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def run_worker(dir_: Path | None, *, texts: Sequence[str] = (), queries: Sequence[str] = (),
               highlight: Sequence[tuple[str, list[str]]] = (),
               pages: Sequence[dict[str, str]] = (), limit: int | None = None) -> dict[str, Any]:
    payload = {"dir": str(dir_ or ""), "texts": list(texts), "queries": list(queries),
               "highlight": [list(h) for h in highlight], "pages": list(pages), "limit": limit}
    done = subprocess.run([NODE, "-e", HARNESS, str(WORKER), str(CORE)], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def entries(generated: Generated) -> tuple[Entry, ...]:
    assert generated.plan is not None
    return generated.plan.entries


def write_outputs(generated: Generated, dest: Path) -> Path:
    for o in generated.outputs:
        if o.path.startswith("search/"):
            target = dest / o.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(o.content)
    return dest / search.BASE


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """A private-repository council of 120 synthetic decisions, generated (no MkDocs)."""
    root = synth.write_project(tmp_path_factory.mktemp("search") / "project", 120)
    generated = generate(root, _as_of(AS_OF))
    assert generated.ok, [str(p) for p in generated.problems]
    return generated


@pytest.fixture(scope="session")
def index_dir(synthetic: Generated, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_outputs(synthetic, tmp_path_factory.mktemp("index"))


TEXTS = [
    "Home care contracts: the Council's LIBRARIES and policies",
    "Café réouverture naïve Ærø straße",
    "5 councillors and 2024/25 fees; 1,234,500 a year",
    "Bus, gas, thesis, process, crisis; services and buses",
    "Ελληνικά κείμενα και русский текст 東京",
    "a I of to the in x",
    "   tabs\tand\nnew lines   ",
]


def test_python_and_worker_split_text_into_the_same_words() -> None:
    out = run_worker(None, texts=TEXTS)
    assert out["tokens"] == [search.tokens(t) for t in TEXTS]
    # and the words are what a reader would expect to be able to find
    assert search.tokens(TEXTS[0]) == ["home", "care", "contract", "council", "library", "policy"]
    assert search.tokens(TEXTS[1])[0] == "cafe"


def test_a_title_word_finds_its_decision_first(synthetic: Generated, index_dir: Path) -> None:
    target = newest_first(entries(synthetic))[7]
    assert target.d.reference
    out = run_worker(index_dir, queries=[target.d.title, target.d.reference])
    first = out["results"][0]["items"][0]
    assert first["location"] == f"decisions/{target.d.id}/"
    assert all(first["terms"].values())
    # a reference is as exact as a search gets
    assert out["results"][1]["items"][0]["location"] == f"decisions/{target.d.id}/"


def test_every_word_must_match_and_ties_go_to_the_newer_decision(
        synthetic: Generated, index_dir: Path) -> None:
    out = run_worker(index_dir, queries=["home care", "home"])
    both, home = out["results"]
    assert both["items"] and all(all(i["terms"].values()) for i in both["items"]
                                 if not i["title"].startswith("Showing"))
    numbers = {f"decisions/{e.d.id}/": n for n, e in enumerate(newest_first(entries(synthetic)))}
    scores = [(i["score"], numbers[i["location"]]) for i in home["items"] if i["score"] > 0]
    assert scores == sorted(scores, key=lambda s: (-s[0], s[1]))


def test_a_search_fetches_only_the_manifest_its_shards_and_its_cards(index_dir: Path) -> None:
    out = run_worker(index_dir, queries=["care"])
    reads = out["results"][0]["reads"]
    assert reads[0] == "index.json"
    shards = [r for r in reads if r.startswith("t/")]
    cards = [r for r in reads if r.startswith("d/")]
    assert 1 <= len(shards) <= 1 + 4 and len(cards) <= 20
    assert len(reads) == 1 + len(shards) + len(cards)
    build = json.loads((index_dir / "index.json").read_text())["build"]
    assert all(r.endswith(f"?v={build}") for r in shards + cards)


def test_more_matches_than_shown_say_so_and_point_to_browse(index_dir: Path) -> None:
    items = run_worker(index_dir, queries=["council"])["results"][0]["items"]
    assert len(items) == 21
    assert items[-1]["title"].startswith("Showing the best 20 of ")
    assert items[-1]["location"] == "browse/"


def words_of(e: Entry) -> set[str]:
    return set(search.tokens(" ".join(t for _, t in search._fields(e))))


def test_prefixes_find_words_as_they_are_typed(synthetic: Generated, index_dir: Path) -> None:
    out = run_worker(index_dir, queries=["procu", "pr", "zzzzqq"])
    procu, two_letters, nothing = out["results"]
    having = {f"decisions/{e.d.id}/" for e in entries(synthetic)
              if any(w.startswith("procu") for w in words_of(e))}
    shown = {i["location"] for i in procu["items"] if not i["title"].startswith("Showing")}
    assert shown and shown <= having and len(shown) == min(20, len(having))
    # two letters match whole words only, or "pr" would fetch and match half the index
    assert two_letters["items"] == []
    assert nothing["items"] == []


def test_every_indexed_word_is_found_however_the_shards_split(
        synthetic: Generated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_BYTES", 400)
    outputs = search.build_search_index(entries(synthetic))
    for o in outputs:
        (tmp_path / o.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / o.path).write_bytes(o.content)
    base = tmp_path / search.BASE
    manifest = json.loads((base / "index.json").read_text())
    assert max(len(k) for k in manifest["shards"]) >= 3  # the split really went deep
    words: set[str] = set()
    for shard in (base / "t").glob("*.json"):
        words |= set(json.loads(shard.read_text()))
    sample = sorted(words)[::7]
    out = run_worker(base, queries=sample)
    missing = [w for w, r in zip(sample, out["results"], strict=True) if not r["items"]]
    assert missing == []


def test_results_are_escaped_and_matches_marked() -> None:
    out = run_worker(None, highlight=[("Care <script>alert(1)</script> & homes", ["care", "home"])])
    assert out["highlight"] == ["<mark>Care</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                                "<mark>homes</mark>"]


def test_the_themes_own_pages_are_searched_too(index_dir: Path) -> None:
    pages = [{"location": "glossary/", "title": "Glossary", "text": "<p>Words we use</p>"},
             {"location": "glossary/#call-in", "title": "Call-in", "text": "<p>Scrutiny may "
              "review a decision before it takes effect.</p>"}]
    items = run_worker(index_dir, queries=["glossary", "scrutiny"], pages=pages)["results"]
    assert items[0]["items"][0]["location"] == "glossary/"
    assert any(i["location"] == "glossary/" for i in items[1]["items"])


def test_no_exempt_text_reaches_the_index(synthetic: Generated) -> None:
    assert synthetic.secrets, "the synthetic council must hold exempt text to test this"
    index = b"".join(o.content for o in synthetic.outputs if o.path.startswith("search/"))
    text = normalise(index.decode())
    words: set[str] = set()
    for o in synthetic.outputs:
        if o.path.startswith(f"{search.BASE}/t/"):
            words |= set(json.loads(o.content))
    public_words = set(search.tokens(" ".join(
        marker_text(t) for e in entries(synthetic) for _, t in search._fields(e))))
    for s in synthetic.secrets:
        assert normalise(s.text) not in text
        # nor word by word: a word of a passage that appears nowhere public stays out
        assert not (set(search.tokens(s.text)) - public_words) & words
    # a withheld passage is indexed as the words the page shows instead
    assert "withheld" in words


def test_index_is_the_same_for_the_same_records(synthetic: Generated) -> None:
    again = search.build_search_index(entries(synthetic), "browse/")
    first = tuple(o for o in synthetic.outputs if o.path.startswith(f"{search.BASE}/"))
    assert again == first


def test_scores_kept_between_builds_give_the_same_index(synthetic: Generated,
                                                        tmp_path: Path) -> None:
    # Each decision's scores may be kept between builds (pieces.py): the index made from kept
    # scores, and from a mix of kept and new ones, is the index made afresh.
    from generator.pieces import Pieces

    first = tuple(o for o in synthetic.outputs if o.path.startswith(f"{search.BASE}/"))
    listed = entries(synthetic)
    keys = {e.d.id: f"k-{e.d.id}" for e in listed}
    path = tmp_path / "search.bin"
    made = Pieces(path, keys)
    assert search.build_search_index(listed, "browse/", made) == first
    made.save()
    keys[listed[3].d.id] = "changed"
    again = Pieces(path, keys)
    assert search.build_search_index(listed, "browse/", again) == first
    assert again.made == 1


def test_snippets_are_short_plain_lines() -> None:
    long = "To decide **how** the [council](https://example.org) will " + "extend care " * 40
    s = search.snippet(long)
    assert len(s) <= search.SNIPPET + 1 and s.endswith("…")
    assert "**" not in s and "](" not in s and s.startswith("To decide how the council will")


def test_asking_for_more_results_keeps_the_first_ones_in_order(index_dir: Path) -> None:
    first = run_worker(index_dir, queries=["council"])["results"][0]["found"]
    more = run_worker(index_dir, queries=["council"], limit=45)["results"][0]["found"]
    assert first["total"] == more["total"] > 40
    assert len(first["results"]) == 20 and len(more["results"]) == 45
    assert [r["location"] for r in more["results"][:20]] == [r["location"] for r in first["results"]]
    card = more["results"][0]
    assert card["when"] and card["maker"] and card["location"].startswith("decisions/")


def test_the_search_page_is_planned_with_its_script_and_plain_form() -> None:
    """find/ (issue 14): a plain GET form that works from any page, and the page script."""
    generated = generate(REPO, _as_of(AS_OF))
    pages = {o.path: o.content.decode() for o in generated.outputs}
    find = pages[search.FIND_PATH]
    assert "decision_search: true" in find
    assert 'action="../find/" method="get"' in find and 'name="q"' in find
    assert 'data-index="../search/decisions/"' in find
    assert 'action="find/" method="get"' in pages["index.md"]

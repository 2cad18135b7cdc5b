# This module tests the exemptions review list: `generator check` warns officers of exemptions
# past their review date, and the "exemptions due for review" page lists the same ones (and
# those coming up) by title, paragraphs and date, never with anything from the appendix.
from __future__ import annotations

import dataclasses
import io
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import Generated, generate
from generator.planners import PLANNERS
from generator.review import LOOKAHEAD, REVIEW_PATH, plan_review, review_list
from generator.site import Entry

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "data" / "leaks"
AS_OF = datetime.fromisoformat("2026-11-22T10:00:00+00:00")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The leak fixture's records (three exempt appendices) in private mode."""
    dest = tmp_path_factory.mktemp("review")
    shutil.copytree(REPO / "site-data", dest / "site-data")
    shutil.copytree(FIXTURE / "decisions", dest / "decisions")
    authority = dest / "site-data" / "authority.yml"
    text, n = re.subn(r"(?m)^source_repository:\s*\w+", "source_repository: private",
                      authority.read_text(encoding="utf-8"))
    assert n == 1
    authority.write_text(text, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def generated(root: Path) -> Generated:
    g = generate(root, AS_OF)
    assert g.ok, [str(p) for p in g.problems]
    return g


@pytest.fixture(scope="module")
def entries(generated: Generated) -> tuple[Entry, ...]:
    assert generated.plan is not None
    return generated.plan.entries


def rows(items: tuple) -> list[tuple[str, str, str | None]]:
    return [(i.entry.d.id, i.notice.title, i.review_date.isoformat() if i.review_date else None)
            for i in items]


def test_reviews_are_sorted_into_overdue_due_soon_and_later(entries: tuple[Entry, ...]) -> None:
    review = review_list(entries, AS_OF)
    assert review.today == date(2026, 11, 22)
    assert review.horizon == date(2026, 11, 22) + LOOKAHEAD
    assert rows(review.overdue) == [
        ("leak-canary-officer", "Appendix A - Household assessment", "2026-09-30"),
        ("leak-canary-cabinet", "Appendix 2 - Offers received", "2026-10-31"),
    ]
    assert review.due_soon == ()
    assert rows(review.later) == [
        ("leak-canary-cabinet", "Appendix 3 - Legal advice", "2027-06-30")]
    assert review.undated == ()
    assert review.count == 3
    assert review.overdue[0].paragraphs == ("1", "2")


def test_a_review_due_today_is_due_not_overdue(entries: tuple[Entry, ...]) -> None:
    review = review_list(entries, datetime.fromisoformat("2026-10-31T09:00:00+00:00"))
    assert rows(review.overdue) == [
        ("leak-canary-officer", "Appendix A - Household assessment", "2026-09-30")]
    assert rows(review.due_soon) == [
        ("leak-canary-cabinet", "Appendix 2 - Offers received", "2026-10-31")]


def test_reviews_within_the_lookahead_are_due_soon(entries: tuple[Entry, ...]) -> None:
    review = review_list(entries, datetime.fromisoformat("2027-04-15T09:00:00+01:00"))
    assert [i.notice.title for i in review.due_soon] == ["Appendix 3 - Legal advice"]
    assert len(review.overdue) == 2 and review.later == ()


def test_an_exemption_without_a_review_date_is_listed_as_needing_one(
        entries: tuple[Entry, ...]) -> None:
    cabinet = next(e for e in entries if e.d.id == "leak-canary-cabinet")
    undated = dataclasses.replace(cabinet, public=dataclasses.replace(
        cabinet.public, notices=tuple(dataclasses.replace(n, review_date=None)
                                      for n in cabinet.public.notices)))
    review = review_list((undated,), AS_OF)
    assert rows(review.undated) == [
        ("leak-canary-cabinet", "Appendix 2 - Offers received", None),
        ("leak-canary-cabinet", "Appendix 3 - Legal advice", None)]
    assert review.overdue == review.due_soon == review.later == ()


@pytest.mark.parametrize("moment", ["2026-11-21T00:30:00+00:00", "2026-11-22T10:00:00+00:00",
                                    "2027-06-30T23:30:00+01:00", "2027-07-01T00:30:00+01:00"])
def test_the_page_and_generator_check_agree_on_what_is_overdue(
        root: Path, entries: tuple[Entry, ...], generated: Generated, moment: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(root), "check", "--as-of", moment], out=out, err=err)
    assert code == 0, err.getvalue()  # a review overdue is a warning, not an error
    warned = set()
    for line in err.getvalue().splitlines():
        m = re.match(r"decisions/\d{4}/([a-z0-9-]+)\.yaml:\d+: appendices\[(\d+)\]\.exempt\."
                     r"review_date: warning: exemption review was due on (\d{4}-\d{2}-\d{2});",
                     line)
        if m:
            assert generated.project is not None
            d = next(d for d in generated.project.decisions if d.id == m.group(1))
            warned.add((d.id, d.appendices[int(m.group(2)) - 1].title, m.group(3)))
    listed = set(rows(review_list(entries, datetime.fromisoformat(moment)).overdue))
    assert listed and warned == listed


def test_check_strict_fails_on_an_overdue_review(root: Path) -> None:
    err = io.StringIO()
    code = main(["--root", str(root), "check", "--strict", "--as-of", AS_OF.isoformat()],
                out=io.StringIO(), err=err)
    assert code == 1
    assert "0 error(s), 2 warning(s)." in err.getvalue()


def test_the_page_is_planned_and_shows_no_exempt_content(generated: Generated) -> None:
    assert plan_review in PLANNERS
    page = next(o for o in generated.outputs if o.path == REVIEW_PATH).content.decode("utf-8")
    assert page.startswith('---\ntitle: "Exemptions due for review"\nsearch:\n  exclude: true\n')
    assert "## Overdue for review" in page
    assert ('<tr><td><time datetime="2026-10-31">Saturday 31 October 2026</time></td><td>'
            '<a href="../decisions/leak-canary-cabinet/">Sale of the Eastfield depot site to the '
            'preferred bidder</a></td><td>Appendix 2 - Offers received</td><td>3, 5</td></tr>'
            in page)
    assert "Appendix 3 - Legal advice" in page.split("## Due later")[1]
    # Nothing from the appendices themselves: not their content, not even the public interest
    # reasons, which the decision page carries.
    assert "qzx7" not in page
    assert "weaken the council" not in page and "Legal professional privilege" not in page


def test_the_call_in_board_links_the_page(generated: Generated) -> None:
    board = next(o for o in generated.outputs if o.path == "call-in/index.md").content.decode()
    assert '<a href="../exemptions-review/">exemptions due for review</a>' in board

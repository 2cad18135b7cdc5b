# This module plans the list of exemptions due for review. Schedule 12A para 10 lets a council
# withhold exempt information only while the public interest in withholding it outweighs the
# public interest in disclosure, and that balance changes (a contract is signed, a sale
# completes), so each exempt appendix carries a review date. `python -m generator check` warns
# officers of reviews that are overdue; this page shows them, and those coming up, in one place
# that anyone can see. It is built from public decisions only and shows nothing of the exempt
# content: the decision, the appendix title, the paragraphs and the review date.
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from generator.model import Project
from generator.redact import ExemptNotice
from generator.site import Entry, Page

REVIEW_PATH = "exemptions-review/index.md"
REVIEW_TEMPLATE = "exemptions-review.md.j2"
# How far ahead the page looks: long enough for a report to the next cycle of meetings.
LOOKAHEAD = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One exempt appendix of one public decision, with its review date."""

    entry: Entry
    notice: ExemptNotice

    @property
    def review_date(self) -> date | None:
        return self.notice.review_date

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p, _ in self.notice.paragraphs)


@dataclass(frozen=True, slots=True)
class ReviewList:
    """The exempt appendices by review date: overdue, due soon, later, and never set."""

    today: date
    horizon: date
    overdue: tuple[ReviewItem, ...]
    due_soon: tuple[ReviewItem, ...]
    later: tuple[ReviewItem, ...]
    undated: tuple[ReviewItem, ...]

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.later) + len(self.undated)


def review_day(as_of: datetime) -> date:
    """The day reviews are judged against: as_of's own date, as `generator check` does, so the
    page and the check's warnings always list the same appendices as overdue."""
    return as_of.date()


def review_list(entries: Iterable[Entry], as_of: datetime) -> ReviewList:
    today = review_day(as_of)
    horizon = today + LOOKAHEAD
    items = [ReviewItem(e, n) for e in entries for n in e.public.notices]

    def by_date(item: ReviewItem) -> tuple[date, str, str]:
        return (item.review_date or date.max, item.entry.d.id, item.notice.title)

    dated = sorted((i for i in items if i.review_date is not None), key=by_date)
    undated = sorted((i for i in items if i.review_date is None),
                     key=lambda i: (i.entry.d.dates.decision, i.entry.d.id, i.notice.title))
    return ReviewList(
        today=today,
        horizon=horizon,
        # Overdue means the review date has passed: a review due today is not late yet.
        overdue=tuple(i for i in dated if i.review_date and i.review_date < today),
        due_soon=tuple(i for i in dated if i.review_date and today <= i.review_date <= horizon),
        later=tuple(i for i in dated if i.review_date and i.review_date > horizon),
        undated=tuple(undated),
    )


def plan_review(project: Project, entries: tuple[Entry, ...], as_of: datetime) -> Iterable[Page]:
    """The exemptions review page, always planned so that its address never disappears."""
    yield Page(REVIEW_PATH, REVIEW_TEMPLATE, {"review": review_list(entries, as_of)})

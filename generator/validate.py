# This module holds the rules a single JSON Schema cannot express: rules across records (unique
# ids), against the council's lookup tables (wards, portfolios, decision makers, Schedule 12A
# paragraphs), against the law's timetable (reg 9's 28 clear days for key decisions) and against
# the ways exempt or unsafe text could reach the public. It reads nothing from disk.
from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime

from generator.callin import call_in_dates, working_lines
from generator.guard import MIN_SECRET, normalise
from generator.model import Decision, Project, SourceRepository, Status, Urgency
from generator.messages import rules as say
from generator.problems import Problem, SourceRef
from generator.redact import exempt_paragraphs_used, has_marker_syntax, parse_markers, \
    plain_fields, prose_fields

# Raw HTML in a record would reach pages unescaped (Python-Markdown passes it through), so it
# is refused at the source; Markdown covers everything a record needs.
# A tag starts with its name right after "<" (HTML's tag-open state): "x < y" is prose.
# Comments, declarations and processing instructions are refused too.
RAW_HTML = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)|<(!--|![A-Za-z\[]|\?[A-Za-z])")
# Browsers ignore white space inside a scheme and decode entities before reading it, so both are
# undone before matching. `data:` is refused only as a URL (no space after the colon): "Key
# data: ..." is ordinary prose in a council report.
BAD_URL = re.compile(r"\b(?:java|vb)\s*script\s*:|\bdata:(?=\S)", re.IGNORECASE)
WORD = re.compile(r"\w+", re.UNICODE)
# Reg 9 of SI 2012/2089: notice of a key decision 28 clear days before it is taken.
FORWARD_PLAN_CLEAR_DAYS = 28
# Reg 10: a general-exception notice 5 clear days before.
GENERAL_EXCEPTION_CLEAR_DAYS = 5
DECIDED = {Status.APPROVED, Status.CALLED_IN, Status.REFERRED_BACK}


def validate(project: Project, *, as_of: datetime, available_files: frozenset[str],
             record_keys: Mapping[str, str] | None = None) -> tuple[Problem, ...]:
    """Every cross-record and content problem, errors and warnings, in file order.

    With `record_keys` (each record's path and the digest of its bytes), a record's own
    problems are remembered and reused while its bytes, the settings, the moment and the
    files beside the records are unchanged (for `serve` and the build cache). Of the moment,
    a record's problems read only its day (a publication still to come, a review overdue), so
    a build later the same day (a deploy) checks no record again."""
    out: list[Problem] = []
    out.extend(_unique_ids(project.decisions))
    today = as_of.date()
    context = record_context(project, today, available_files) if record_keys is not None else ""
    for d in project.decisions:
        key = record_keys.get(d.path) if record_keys is not None else None
        if key is None:
            out.extend(_record_problems(project, d, today, available_files))
            continue
        out.extend(remembered_problems(project, d, key, context, today, available_files))
    return tuple(sorted(out, key=lambda p: (p.where.path, p.where.line, p.field)))


def record_context(project: Project, today: date, available_files: frozenset[str]) -> str:
    """What a record's own problems are read against, besides the record: the settings, the
    day and the files beside the records."""
    return hashlib.blake2b(repr((project.authority, today, sorted(available_files))).encode(),
                           digest_size=20).hexdigest()


def remembered_problems(project: Project, d: Decision, key: str, context: str, today: date,
                        available_files: frozenset[str],
                        made: tuple[Problem, ...] | None = None) -> tuple[Problem, ...]:
    """A record's own problems, remembered under the digest of its bytes (`key`) and
    `context` (record_context); `made` is what `own_problems` gave for it, if it ran
    already (in the worker process that parsed the record)."""
    found = MEMO.get(d.path)
    if found is None or found[0] != key or found[1] != context:
        if made is None:
            made = own_problems(project, d, today, available_files)
        found = MEMO[d.path] = (key, context, made)
    return found[2]


def own_problems(project: Project, d: Decision, today: date,
                 available_files: frozenset[str]) -> tuple[Problem, ...]:
    """One record's own problems on `today`: every rule but the one across records."""
    return tuple(_record_problems(project, d, today, available_files))


# A record's own problems, by path: (its bytes' digest, the context's digest, the problems).
MEMO: dict[str, tuple[str, str, tuple[Problem, ...]]] = {}


def _at(d: Decision, field: str) -> SourceRef:
    return SourceRef(d.path, d.line(field))


def id_key(decision_id: str) -> str:
    """What two ids must not share: ids differing only in case or Unicode form would be one
    folder on Windows and macOS, and one address to a reader."""
    return unicodedata.normalize("NFC", decision_id).casefold()


def _unique_ids(decisions: Iterable[Decision]) -> Iterator[Problem]:
    by_key: dict[str, list[Decision]] = defaultdict(list)
    for d in decisions:
        by_key[id_key(d.id)].append(d)
    for group in by_key.values():
        if len(group) > 1:
            for d in group:
                others = ", ".join(o.path for o in group if o is not d)
                yield say.duplicate_id(SourceRef(d.path), d.id, others)


def _record_problems(project: Project, d: Decision, today: date,
                     available_files: frozenset[str]) -> Iterator[Problem]:
    # Given the day, not the moment: the build cache keys a record's problems by the day.
    auth = project.authority
    makers = {m.name: m for m in auth.decision_makers}
    if d.decision_maker not in makers:
        yield say.unknown_decision_maker(_at(d, "decision_maker"), "decision_maker",
                                         d.decision_maker, makers)
    wards = set(auth.wards)
    for i, w in enumerate(d.wards, 1):
        if w != "all" and w not in wards:
            yield say.unknown_ward(_at(d, f"wards[{i}]"), f"wards[{i}]", w, wards)
    if "all" in d.wards and len(d.wards) > 1:
        yield say.all_and_named_wards(_at(d, "wards"), "wards")
    portfolios = {p.name for p in auth.portfolios}
    for i, name in enumerate(d.portfolios, 1):
        if name not in portfolios:
            field = f"portfolio[{i}]" if len(d.portfolios) > 1 else "portfolio"
            yield say.unknown_portfolio(_at(d, field), field, name, portfolios)
    yield from _date_order(d, today)
    yield from _call_in(project, d)
    yield from _key_decision(d)
    yield from _exempt(project, d, today)
    yield from _text(d)
    yield from _files(d, available_files)
    if d.import_notes:
        yield say.import_notes_left(_at(d, "import_report"), "import_report", d.import_notes)
    if auth.country == "wales" and not d.consultation:
        yield say.consultation_missing_in_wales(_at(d, "consultation"), "consultation")


def _date_order(d: Decision, today: date) -> Iterator[Problem]:
    dates = d.dates
    if dates.published and dates.published < dates.decision:
        yield say.published_before_decision(_at(d, "dates.published"), "dates.published",
                                            dates.published, dates.decision)
    if dates.published and dates.published > today:
        yield say.published_in_future(_at(d, "dates.published"), "dates.published", dates.published)
    if d.status in DECIDED and dates.published is None:
        yield say.publication_date_missing(_at(d, "dates.published"), "dates.published")
    if d.forward_plan and d.forward_plan.published and d.forward_plan.published > dates.decision:
        yield say.forward_plan_after_decision(_at(d, "forward_plan.published"),
                                              "forward_plan.published")
    for i, e in enumerate(d.call_in.events, 1):
        if dates.published and e.date < dates.published:
            field = f"call_in.events[{i}].date"
            yield say.event_before_publication(_at(d, field), field, e.date, dates.published)


def _call_in(project: Project, d: Decision) -> Iterator[Problem]:
    ci = d.call_in
    rule = project.authority.call_in
    if not ci.applies and (ci.events or ci.count):
        yield say.call_in_events_without_call_in(_at(d, "call_in.events"), "call_in.events")
    if ci.applies and d.decision_type.value not in rule.applies_to:
        # Without a `call_in` block the type is what makes call-in wrong, so point at it.
        line = d.line("call_in.applies") or d.line("decision_type")
        yield say.not_subject_to_call_in(SourceRef(d.path, line), "call_in.applies",
                                         d.decision_type.value)
    if not ci.applies or d.dates.published is None:
        if d.dates.call_in_deadline and not ci.applies:
            yield say.deadline_without_call_in(_at(d, "dates.call_in_deadline"),
                                               "dates.call_in_deadline")
        return
    computed = call_in_dates(d.dates.published, rule)
    mismatch = []
    if d.dates.call_in_deadline and d.dates.call_in_deadline != computed.deadline.date():
        mismatch.append(("dates.call_in_deadline", d.dates.call_in_deadline,
                         computed.deadline.date()))
    if d.dates.in_force and d.dates.in_force != computed.in_force:
        mismatch.append(("dates.in_force", d.dates.in_force, computed.in_force))
    if mismatch and not ci.override_reason:
        working = "; ".join(working_lines(computed))
        for field, recorded, expected in mismatch:
            yield say.date_differs_from_rule(_at(d, field), field, recorded, expected,
                                             d.dates.published, working)


def _clear_days(before: date, after: date) -> int:
    # "Clear days" exclude both the day of notice and the day of the decision.
    return (after - before).days - 1


def _key_decision(d: Decision) -> Iterator[Problem]:
    if not d.key_decision or d.status is Status.WITHDRAWN:
        return
    fp = d.forward_plan
    if fp is None:
        yield say.key_decision_without_forward_plan(_at(d, "key_decision"), "key_decision")
        return
    if fp.urgency is Urgency.NONE:
        if not fp.included or fp.published is None:
            yield say.not_on_forward_plan(_at(d, "forward_plan"), "forward_plan")
        elif _clear_days(fp.published, d.dates.decision) < FORWARD_PLAN_CLEAR_DAYS:
            yield say.too_few_clear_days(_at(d, "forward_plan.published"), "forward_plan.published",
                                         _clear_days(fp.published, d.dates.decision),
                                         FORWARD_PLAN_CLEAR_DAYS)
        return
    for key in ("urgency_reason", "agreed_by", "notice_date"):
        if getattr(fp, key) is None:
            who = ("the scrutiny chair notified" if fp.urgency is Urgency.GENERAL_EXCEPTION
                   else "the scrutiny chair (or Chair/Vice-Chair of the council) who agreed")
            yield say.urgency_detail_missing(_at(d, f"forward_plan.{key}"), f"forward_plan.{key}",
                                             fp.urgency.value, who)
    if (fp.urgency is Urgency.GENERAL_EXCEPTION and fp.notice_date
            and _clear_days(fp.notice_date, d.dates.decision) < GENERAL_EXCEPTION_CLEAR_DAYS):
        yield say.general_exception_too_late(_at(d, "forward_plan.notice_date"),
                                             "forward_plan.notice_date")


def _exempt(project: Project, d: Decision, today: date) -> Iterator[Problem]:
    auth = project.authority
    table = dict(auth.exempt_table)
    public_repo = auth.source_repository is SourceRepository.PUBLIC
    for field, paragraph in exempt_paragraphs_used(d):
        if paragraph not in table:
            yield say.paragraph_not_in_table(_at(d, field), field, paragraph, auth.country, table)
    for i, ap in enumerate(d.appendices, 1):
        if ap.exempt is None:
            continue
        carried = [k for k in ("body", "description", "file", "url") if getattr(ap, k)]
        if carried and public_repo:
            yield say.exempt_appendix_carries(_at(d, f"appendices[{i}]"), f"appendices[{i}]",
                                              ap.exempt.paragraphs, carried)
        if ap.exempt.review_date and ap.exempt.review_date < today:
            field = f"appendices[{i}].exempt.review_date"
            yield say.exemption_review_due(_at(d, field), field, ap.exempt.review_date)
    for field, text in prose_fields(d):
        spans, error = parse_markers(text)
        if error:
            yield say.bad_exempt_markers(_at(d, field), field, error)
        elif any(len(normalise(text[s.inner_start:s.inner_end])) < MIN_SECRET for s in spans):
            yield say.exempt_passage_too_short(_at(d, field), field, MIN_SECRET)
        elif spans and public_repo:
            yield say.exempt_passage_in_public_repository(_at(d, field), field)
    for field, text in plain_fields(d):
        if has_marker_syntax(text):
            yield say.exempt_markers_not_allowed(_at(d, field), field)


def _text(d: Decision) -> Iterator[Problem]:
    for field, text in (*prose_fields(d), *plain_fields(d)):
        # Every match of RAW_HTML starts with "<" and every match of BAD_URL holds a ":":
        # testing for those first skips most fields (with parse_markers' test for a bracket,
        # a record's own checks took 0.75 s at 5,000 decisions instead of 1.31 s).
        m = RAW_HTML.search(text) if "<" in text else None
        if m:
            line_in = text.count("\n", 0, m.start()) + 1
            where = f" (line {line_in} of the text)" if "\n" in text else ""
            tag = f"<{m.group(1)}>" if m.group(1) else f"<{m.group(2)}"
            spans, _ = parse_markers(text)
            if any(s.inner_start <= m.start() < s.inner_end for s in spans):
                tag = "inside an exempt passage"  # the tag's name is exempt text: never quote it
            yield say.raw_html(_at(d, field), field, where, tag)
        unescaped = html.unescape(text)
        if ":" in unescaped and BAD_URL.search(unescaped):
            yield say.unsafe_link(_at(d, field), field)
    for word in WORD.findall(d.title):
        scripts = {_script(ch) for ch in word if ch.isalpha()}
        scripts.discard("COMMON")
        if len(scripts) > 1:
            yield say.mixed_scripts(_at(d, "title"), "title", word, scripts)


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"):
        if name.startswith(script):
            return script
    return "OTHER" if name else "COMMON"


def _files(d: Decision, available: frozenset[str]) -> Iterator[Problem]:
    links = [(f"documents[{i}].file", x.file) for i, x in enumerate(d.documents, 1)]
    links += [(f"background_papers[{i}].file", x.file) for i, x in enumerate(d.background_papers, 1)]
    links += [(f"appendices[{i}].file", a.file) for i, a in enumerate(d.appendices, 1)
              if a.exempt is None]
    for field, path in links:
        if not path:
            continue
        if ".." in path.split("/") or path.startswith("/"):
            yield say.file_outside_decisions(_at(d, field), field)
        elif path not in available:
            yield say.file_missing(_at(d, field), field, path)

# This module holds the rules a single JSON Schema cannot express: rules across records (unique
# ids), against the council's lookup tables (wards, portfolios, decision makers, Schedule 12A
# paragraphs), against the law's timetable (reg 9's 28 clear days for key decisions) and against
# the ways exempt or unsafe text could reach the public. It reads nothing from disk.
from __future__ import annotations

import difflib
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
from generator.problems import Problem, Severity, SourceRef
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
    files beside the records are unchanged (for `serve` and the build cache)."""
    out: list[Problem] = []
    out.extend(_unique_ids(project.decisions))
    context = ""
    if record_keys is not None:
        context = hashlib.blake2b(repr((project.authority, as_of, sorted(available_files)))
                                  .encode(), digest_size=20).hexdigest()
    for d in project.decisions:
        key = record_keys.get(d.path) if record_keys is not None else None
        if key is None:
            out.extend(_record_problems(project, d, as_of, available_files))
            continue
        found = MEMO.get(d.path)
        if found is None or found[0] != key or found[1] != context:
            found = (key, context, tuple(_record_problems(project, d, as_of, available_files)))
            MEMO[d.path] = found
        out.extend(found[2])
    return tuple(sorted(out, key=lambda p: (p.where.path, p.where.line, p.field)))


# A record's own problems, by path: (its bytes' digest, the context's digest, the problems).
MEMO: dict[str, tuple[str, str, tuple[Problem, ...]]] = {}


def _p(d: Decision, field: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(SourceRef(d.path, d.line(field)), field, message, severity)


def _unique_ids(decisions: Iterable[Decision]) -> Iterator[Problem]:
    by_key: dict[str, list[Decision]] = defaultdict(list)
    for d in decisions:
        by_key[unicodedata.normalize("NFC", d.id).casefold()].append(d)
    for group in by_key.values():
        if len(group) > 1:
            for d in group:
                others = ", ".join(o.path for o in group if o is not d)
                yield Problem(SourceRef(d.path), "id", f"record id '{d.id}' is also used by "
                              f"{others}; ids are URLs and must be unique, so rename one file.")


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _record_problems(project: Project, d: Decision, as_of: datetime,
                     available_files: frozenset[str]) -> Iterator[Problem]:
    auth = project.authority
    makers = {m.name: m for m in auth.decision_makers}
    if d.decision_maker not in makers:
        yield _p(d, "decision_maker", f"'{d.decision_maker}' is not in "
                 f"site-data/decision-makers.yml; add it there or use a listed name."
                 + _suggest(d.decision_maker, makers))
    wards = set(auth.wards)
    for i, w in enumerate(d.wards, 1):
        if w != "all" and w not in wards:
            yield _p(d, f"wards[{i}]", f"'{w}' is not a ward in site-data/wards.yml (use `all` "
                     "for the whole area)." + _suggest(w, wards))
    if "all" in d.wards and len(d.wards) > 1:
        yield _p(d, "wards", "`all` already covers every ward; list either `all` or named wards.")
    portfolios = {p.name for p in auth.portfolios}
    for i, name in enumerate(d.portfolios, 1):
        if name not in portfolios:
            field = f"portfolio[{i}]" if len(d.portfolios) > 1 else "portfolio"
            yield _p(d, field, f"'{name}' is not in site-data/portfolios.yml; add it there or "
                     "use a listed name." + _suggest(name, portfolios))
    yield from _date_order(d, as_of)
    yield from _call_in(project, d)
    yield from _key_decision(d)
    yield from _exempt(project, d, as_of)
    yield from _text(d)
    yield from _files(d, available_files)
    if d.import_notes:
        yield _p(d, "import_report", f"{d.import_notes} note(s) from the import are still here; "
                 "act on each, then delete `import_report`.", Severity.WARNING)
    if auth.country == "wales" and not d.consultation:
        yield _p(d, "consultation", "missing: in Wales the record must state the consultation "
                 "undertaken (SI 2001/2290 reg 7); add `consultation`.")


def _date_order(d: Decision, as_of: datetime) -> Iterator[Problem]:
    dates = d.dates
    if dates.published and dates.published < dates.decision:
        yield _p(d, "dates.published", f"publication ({dates.published}) is before the decision "
                 f"({dates.decision}); a record is published after the decision is taken, so "
                 "correct whichever date is wrong.")
    if dates.published and dates.published > as_of.date():
        yield _p(d, "dates.published", f"{dates.published} is in the future; set it when the "
                 "record is published.")
    if d.status in DECIDED and dates.published is None:
        yield _p(d, "dates.published", "missing: a decision that has been taken needs its "
                 "publication date, from which call-in is counted.")
    if d.forward_plan and d.forward_plan.published and d.forward_plan.published > dates.decision:
        yield _p(d, "forward_plan.published", "the forward plan notice is after the decision; "
                 "check both dates.")
    for i, e in enumerate(d.call_in.events, 1):
        if dates.published and e.date < dates.published:
            yield _p(d, f"call_in.events[{i}].date", f"{e.date} is before the decision was "
                     f"published ({dates.published}); call-in follows publication.")


def _call_in(project: Project, d: Decision) -> Iterator[Problem]:
    ci = d.call_in
    rule = project.authority.call_in
    if not ci.applies and (ci.events or ci.count):
        yield _p(d, "call_in.events", "call-in does not apply to this decision, so it cannot have "
                 "call-in requests or events; remove them or set `applies: true`.")
    if ci.applies and d.decision_type.value not in rule.applies_to:
        # Without a `call_in` block the type is what makes call-in wrong, so point at it.
        line = d.line("call_in.applies") or d.line("decision_type")
        yield Problem(SourceRef(d.path, line), "call_in.applies", f"{d.decision_type.value} "
                      "decisions are not subject to call-in under site-data/authority.yml; set "
                      "`applies: false` with the reason.")
    if not ci.applies or d.dates.published is None:
        if d.dates.call_in_deadline and not ci.applies:
            yield _p(d, "dates.call_in_deadline", "call-in does not apply, so there is no "
                     "deadline; remove it.")
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
            yield _p(d, field, f"recorded as {recorded}, but the council's rule gives {expected} "
                     f"(published {d.dates.published}: {working}). Correct the date, remove it "
                     "to use the computed one, or give `call_in.override_reason`.")


def _clear_days(before: date, after: date) -> int:
    # "Clear days" exclude both the day of notice and the day of the decision.
    return (after - before).days - 1


def _key_decision(d: Decision) -> Iterator[Problem]:
    if not d.key_decision or d.status is Status.WITHDRAWN:
        return
    fp = d.forward_plan
    if fp is None:
        yield _p(d, "key_decision", "a key decision needs `forward_plan` (reg 9: notice 28 clear "
                 "days before), or urgency under reg 10 or 11 recorded there.")
        return
    if fp.urgency is Urgency.NONE:
        if not fp.included or fp.published is None:
            yield _p(d, "forward_plan", "a key decision must be on the forward plan with its "
                     "`published` date (reg 9), or record `urgency: general-exception` or "
                     "`special-urgency` with its details (regs 10-11).")
        elif _clear_days(fp.published, d.dates.decision) < FORWARD_PLAN_CLEAR_DAYS:
            yield _p(d, "forward_plan.published", f"only {_clear_days(fp.published, d.dates.decision)} "
                     f"clear days before the decision; reg 9 needs {FORWARD_PLAN_CLEAR_DAYS}. "
                     "Record `urgency: general-exception` (reg 10) or `special-urgency` (reg 11).")
        return
    for key in ("urgency_reason", "agreed_by", "notice_date"):
        if getattr(fp, key) is None:
            who = ("the scrutiny chair notified" if fp.urgency is Urgency.GENERAL_EXCEPTION
                   else "the scrutiny chair (or Chair/Vice-Chair of the council) who agreed")
            yield _p(d, f"forward_plan.{key}", f"missing: {fp.urgency.value} needs "
                     f"`urgency_reason`, `agreed_by` ({who}) and `notice_date`.")
    if (fp.urgency is Urgency.GENERAL_EXCEPTION and fp.notice_date
            and _clear_days(fp.notice_date, d.dates.decision) < GENERAL_EXCEPTION_CLEAR_DAYS):
        yield _p(d, "forward_plan.notice_date", "a general-exception notice must be published 5 "
                 "clear days before the decision (reg 10); otherwise use special-urgency (reg 11).")


def _exempt(project: Project, d: Decision, as_of: datetime) -> Iterator[Problem]:
    auth = project.authority
    table = dict(auth.exempt_table)
    public_repo = auth.source_repository is SourceRepository.PUBLIC
    for field, paragraph in exempt_paragraphs_used(d):
        if paragraph not in table:
            yield _p(d, field, f"paragraph '{paragraph}' is not in the {auth.country} table in "
                     f"site-data/exempt-information.yml; use one of {', '.join(table)}.")
    for i, ap in enumerate(d.appendices, 1):
        if ap.exempt is None:
            continue
        carried = [k for k in ("body", "description", "file", "url") if getattr(ap, k)]
        if carried and public_repo:
            names = ", ".join(f"`{k}`" for k in carried)
            yield _p(d, f"appendices[{i}]", f"is exempt (paragraph "
                     f"{', '.join(ap.exempt.paragraphs)}) but carries {names}, which this "
                     "public repository would itself publish. Keep exempt documents in the "
                     "council's private document system and leave only `title` and `exempt` here "
                     "(or set `source_repository: private` in site-data/authority.yml if the "
                     "repository is private).")
        if ap.exempt.review_date and ap.exempt.review_date < as_of.date():
            yield _p(d, f"appendices[{i}].exempt.review_date", f"exemption review was due on "
                     f"{ap.exempt.review_date}; review whether the public interest still "
                     "favours withholding it (Sch 12A para 10).", Severity.WARNING)
    for field, text in prose_fields(d):
        spans, error = parse_markers(text)
        if error:
            yield _p(d, field, error)
        elif any(len(normalise(text[s.inner_start:s.inner_end])) < MIN_SECRET for s in spans):
            yield _p(d, field, f"an exempt passage is shorter than {MIN_SECRET} letters, too short "
                     "for the build to prove it was not published; mark the whole phrase.")
        elif spans and public_repo:
            yield _p(d, field, "marks a passage exempt, but this repository is public, so the "
                     "passage itself would be published. Remove the passage and keep it in the "
                     "council's private document system (or set `source_repository: private` "
                     "in site-data/authority.yml if the repository is private).")
    for field, text in plain_fields(d):
        if has_marker_syntax(text):
            yield _p(d, field, "exempt markers are not allowed here: titles and names appear in "
                     "navigation, search and feeds. Reword it without the exempt information.")


def _text(d: Decision) -> Iterator[Problem]:
    for field, text in (*prose_fields(d), *plain_fields(d)):
        m = RAW_HTML.search(text)
        if m:
            line_in = text.count("\n", 0, m.start()) + 1
            where = f" (line {line_in} of the text)" if "\n" in text else ""
            tag = f"<{m.group(1)}>" if m.group(1) else f"<{m.group(2)}"
            spans, _ = parse_markers(text)
            if any(s.inner_start <= m.start() < s.inner_end for s in spans):
                tag = "inside an exempt passage"  # the tag's name is exempt text: never quote it
            yield _p(d, field, f"raw HTML is not allowed{where} ({tag}); use Markdown: "
                     "**bold**, *italic*, - lists, [text](https://...) links.")
        if BAD_URL.search(html.unescape(text)):
            yield _p(d, field, "links must be web addresses (https://...); "
                     "javascript:, vbscript: and data: links are refused.")
    for word in WORD.findall(d.title):
        scripts = {_script(ch) for ch in word if ch.isalpha()}
        scripts.discard("COMMON")
        if len(scripts) > 1:
            yield _p(d, "title", f"'{word}' mixes {' and '.join(sorted(scripts))} letters, which "
                     "look alike but differ; retype the word.", Severity.WARNING)


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
            yield _p(d, field, "must be a path inside decisions/ without '..'.")
        elif path not in available:
            yield _p(d, field, f"no file decisions/{path}; add the file or correct the path.")

# This module turns a loaded decision into the only thing later stages may see: a public
# decision. Schedule 12A of the Local Government Act 1972 lets a council withhold exempt
# information while the public interest in withholding it outweighs disclosure (para 10), but
# the rest of the record must still be published. So exempt appendices become notices (title,
# paragraph, statutory wording, public interest reasons, review date) and inline
# `[[exempt N]]...[[/exempt]]` passages become visible markers. The exempt text itself is
# returned separately, as `Secret`s, only so the leak guard can prove it reached no output.
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

from generator.model import Appendix, Decision

OPEN = re.compile(r"\[\[\s*exempt\b([^\]]*)\]\]", re.IGNORECASE)
CLOSE = re.compile(r"\[\[\s*/\s*exempt\s*\]\]", re.IGNORECASE)
TOKEN = re.compile(r"\[\[\s*/?\s*exempt\b[^\]]*\]\]", re.IGNORECASE)
# Double brackets outside a marker, or a marker with single brackets: see parse_markers.
NEAR_MISS = re.compile(r"\[\[|\]\]|\[\s*/?\s*exempt(?-i:[0-9A-Z,\s]*)\]", re.IGNORECASE)
PARAGRAPHS = re.compile(r"^\s*([0-9]{1,2}[A-Z]?)(?:\s*,\s*([0-9]{1,2}[A-Z]?))*\s*$")
# The marker is built by us, not by the record, so it is the one piece of HTML in prose.
MARKER_CLASS = "exempt-redaction"
# What a withheld passage becomes in redacted text. NUL cannot come from a record (the loader
# refuses control characters), so only redaction can have written one.
REDACTED = re.compile("\x00EXEMPT:([^\x00]+)\x00")


@dataclass(frozen=True, slots=True)
class Span:
    """An inline exempt passage: where it is in the text, and under which paragraph(s)."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Secret:
    """Exempt text that must appear in no output. Never printed, never logged."""

    record_id: str
    field: str
    text: str

    def __repr__(self) -> str:  # a traceback or debug print must not leak the text
        return f"Secret(record_id={self.record_id!r}, field={self.field!r}, text=<withheld>)"


@dataclass(frozen=True, slots=True)
class ExemptNotice:
    """What is published about an exempt appendix."""

    title: str
    paragraphs: tuple[tuple[str, str], ...]  # (paragraph, statutory description)
    public_interest: str
    review_date: date | None


@dataclass(frozen=True, slots=True)
class PublicDecision:
    """A decision with every exempt part replaced; the only input to page planning."""

    decision: Decision
    notices: tuple[ExemptNotice, ...]
    public_appendices: tuple[Appendix, ...]
    redactions: int


def _bracketless(text: str) -> bool:
    """Whether `text` has no bracket, so neither TOKEN nor NEAR_MISS can match it: each of
    their matches holds one. Most prose has none, and the two expressions tried at every
    character were 5 s of CPU in a profile of a build at 20,000 decisions."""
    return "[" not in text and "]" not in text


def parse_markers(text: str) -> tuple[tuple[Span, ...], str | None]:
    """Find inline exempt passages, or say what is wrong with the markers (no text quoted)."""
    if _bracketless(text):
        return (), None
    spans: list[Span] = []
    # (start, end, paragraph list as written) of the [[exempt N]] awaiting its [[/exempt]]
    opened: tuple[int, int, str] | None = None
    for m in TOKEN.finditer(text):
        if CLOSE.fullmatch(m.group()):
            if opened is None:
                return (), "an [[/exempt]] marker has no [[exempt N]] before it."
            start, inner_start, raw = opened
            paras = _paragraphs(raw)
            if paras is None:
                return (), ("an exempt marker must name its Schedule 12A paragraph, as "
                            "[[exempt 3]] or [[exempt 3, 5]].")
            if m.start() == inner_start:
                return (), "an exempt passage is empty; remove the markers."
            spans.append(Span(start, m.end(), inner_start, m.start(), paras))
            opened = None
            continue
        if opened is not None:
            return (), ("exempt markers cannot be nested; close the first passage with "
                        "[[/exempt]] before starting another.")
        head = OPEN.fullmatch(m.group())
        opened = (m.start(), m.end(), head.group(1) if head else "")
    if opened is not None:
        return (), "an [[exempt N]] marker is not closed; add [[/exempt]] after the passage."
    # A mistyped marker ("[[exmept 3]]", "[exempt 3]", "[[exempt 3]") is no marker at all, so
    # the passage it meant to withhold would be published: refuse anything that looks like one.
    if NEAR_MISS.search(TOKEN.sub(" ", text)):
        return (), ("looks like a mistyped exempt marker (brackets that are not [[exempt N]] or "
                    "[[/exempt]]); write the passage as [[exempt 3]]...[[/exempt]], or remove "
                    "the brackets.")
    return tuple(spans), None


def _paragraphs(raw: str) -> tuple[str, ...] | None:
    if not PARAGRAPHS.match(raw):
        return None
    return tuple(p.strip() for p in raw.split(",") if p.strip())


def has_marker_syntax(text: str) -> bool:
    """Whether text holds a marker or something that looks like a mistyped one."""
    if _bracketless(text):
        return False
    return bool(TOKEN.search(text) or NEAR_MISS.search(text))


def _which(paragraphs: tuple[str, ...]) -> str:
    word = "paragraphs" if len(paragraphs) > 1 else "paragraph"
    return f"{word} {' and '.join(paragraphs)}"


def marker_html(paragraphs: tuple[str, ...]) -> str:
    """The visible, screen-reader-readable placeholder for a withheld passage."""
    return (f'<span class="{MARKER_CLASS}">[exempt information withheld under '
            f"{_which(paragraphs)}]</span>")


def marker_text(text: str) -> str:
    """Redacted text with each placeholder in words, for plain-text outputs (CSV, JSON, feeds,
    status lines), which must say that something was withheld just as the page does."""
    return REDACTED.sub(
        lambda m: f"[exempt information withheld under {_which(tuple(m.group(1).split(',')))}]",
        text)


def redact_text(text: str) -> str:
    """Replace each exempt passage by a marker token that the renderer turns into HTML."""
    spans, error = parse_markers(text)
    if error:  # validate refuses these; failing closed here keeps a bug from publishing text
        raise ValueError("unbalanced exempt markers reached redaction")
    out = []
    pos = 0
    for s in spans:
        out.append(text[pos:s.start])
        out.append(f"\x00EXEMPT:{','.join(s.paragraphs)}\x00")  # matches REDACTED
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Which fields hold prose (markers allowed) and which hold names (markers refused)


def prose_fields(d: Decision) -> Iterator[tuple[str, str]]:
    """Every Markdown field of a record, with its YAML field path."""
    if d.purpose:
        yield "purpose", d.purpose
    for i, t in enumerate(d.decision, 1):
        yield f"decision[{i}]", t
    for i, t in enumerate(d.reasons, 1):
        yield f"reasons[{i}]", t
    if d.alternatives_statement:
        yield "alternatives", d.alternatives_statement
    for i, a in enumerate(d.alternatives, 1):
        base = f"alternatives[{i}]"
        if a.description:
            yield f"{base}.description", a.description
        for key, items in (("reasons", a.reasons), ("pros", a.pros), ("cons", a.cons)):
            for j, t in enumerate(items, 1):
                yield f"{base}.{key}[{j}]", t
        if a.financial_assessment:
            yield f"{base}.financial_assessment", a.financial_assessment
    ci = d.call_in
    for key, value in (("reason", ci.reason), ("override_reason", ci.override_reason)):
        if value:
            yield f"call_in.{key}", value
    for i, e in enumerate(ci.events, 1):
        if e.details:
            yield f"call_in.events[{i}].details", e.details
    if d.forward_plan and d.forward_plan.urgency_reason:
        yield "forward_plan.urgency_reason", d.forward_plan.urgency_reason
    for i, ap in enumerate(d.appendices, 1):
        if ap.description:
            yield f"appendices[{i}].description", ap.description
        if ap.exempt:
            yield f"appendices[{i}].exempt.public_interest", ap.exempt.public_interest
    if d.report and d.report.summary:
        yield "report.summary", d.report.summary
    for key, value in d.implications:
        yield f"implications.{key}", value
    for key, value in d.consultation:
        yield ("consultation" if key == "consultation" else f"consultation.{key}"), value
    for key in ("implementation", "interests_declared", "dispensations"):
        value = getattr(d, key)
        if value:
            yield key, value


def plain_fields(d: Decision) -> Iterator[tuple[str, str]]:
    """Names and titles: shown in headings, lists, feeds and the navigation, never marked up."""
    yield "title", d.title
    yield "decision_maker", d.decision_maker
    if d.reference:
        yield "reference", d.reference
    for i, w in enumerate(d.wards, 1):
        yield f"wards[{i}]", w
    for i, p in enumerate(d.portfolios, 1):
        yield f"portfolio[{i}]" if len(d.portfolios) > 1 else "portfolio", p
    for i, a in enumerate(d.alternatives, 1):
        yield f"alternatives[{i}].title", a.title
    for i, ap in enumerate(d.appendices, 1):
        yield f"appendices[{i}].title", ap.title
    if d.commissioning:
        yield "commissioning.service", d.commissioning.service
        for i, s in enumerate(d.commissioning.suppliers, 1):
            yield f"commissioning.suppliers[{i}].name", s.name
            if s.lot:
                yield f"commissioning.suppliers[{i}].lot", s.lot
        for i, lot in enumerate(d.commissioning.lots, 1):
            yield f"commissioning.lots[{i}].title", lot.title
            if lot.description:
                yield f"commissioning.lots[{i}].description", lot.description
    if d.report:
        for key in ("title", "report_of", "report_to"):
            value = getattr(d.report, key)
            if value:
                yield f"report.{key}", value
    if d.meeting:
        yield "meeting.title", d.meeting.title
        if d.meeting.item:
            yield "meeting.item", d.meeting.item
    if d.contact:
        for key in ("name", "role"):
            value = getattr(d.contact, key)
            if value:
                yield f"contact.{key}", value
    for key, links in (("documents", d.documents), ("background_papers", d.background_papers)):
        for i, link in enumerate(links, 1):
            yield f"{key}[{i}].title" if link.file or link.url else f"{key}[{i}]", link.title
    for i, e in enumerate(d.call_in.events, 1):
        if e.by:
            yield f"call_in.events[{i}].by", e.by
    if d.call_in.waived_by:
        yield "call_in.waived_by", d.call_in.waived_by
    if d.forward_plan:
        if d.forward_plan.agreed_by:
            yield "forward_plan.agreed_by", d.forward_plan.agreed_by
        if d.forward_plan.reference:
            yield "forward_plan.reference", d.forward_plan.reference


# ---------------------------------------------------------------------------------------------
# The stage


def secrets_of(d: Decision) -> tuple[Secret, ...]:
    """Every exempt value in a record, for the leak guard."""
    out: list[Secret] = []
    for i, ap in enumerate(d.appendices, 1):
        if ap.exempt:
            for key in ("body", "description", "file", "url"):
                value = getattr(ap, key)
                if value:
                    out.append(Secret(d.id, f"appendices[{i}].{key}", value))
    for field, text in prose_fields(d):
        spans, _ = parse_markers(text)
        for s in spans:
            out.append(Secret(d.id, field, text[s.inner_start:s.inner_end]))
    return tuple(out)


def redact(d: Decision, exempt_table: dict[str, str]) -> PublicDecision:
    """The public form of a decision: nothing exempt survives in it."""
    count = 0

    def r(text: str | None) -> str | None:
        nonlocal count
        if text is None:
            return None
        out = redact_text(text)
        count += out.count("\x00EXEMPT:")
        return out

    def rs(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(r(t) or "" for t in items)

    notices = []
    public = []
    for ap in d.appendices:
        if ap.exempt is None:
            # A public appendix's description is prose like any other and may mark a passage.
            public.append(_kept(ap, description=r(ap.description)))
            continue
        # Only the title, the paragraphs and the public interest reasons go on; body,
        # description, file and url stay behind with the record.
        notices.append(ExemptNotice(
            title=ap.title,
            paragraphs=tuple((p, exempt_table.get(p, "")) for p in ap.exempt.paragraphs),
            public_interest=r(ap.exempt.public_interest) or "",
            review_date=ap.exempt.review_date,
        ))
    alternatives = tuple(
        _kept(a, description=r(a.description), reasons=rs(a.reasons), pros=rs(a.pros),
                cons=rs(a.cons), financial_assessment=r(a.financial_assessment))
        for a in d.alternatives
    )
    ci = d.call_in
    events = tuple(_kept(e, details=r(e.details)) for e in ci.events)
    public_decision = _kept(
        d,
        purpose=r(d.purpose),
        decision=rs(d.decision),
        reasons=rs(d.reasons),
        alternatives=alternatives,
        alternatives_statement=r(d.alternatives_statement),
        call_in=_kept(ci, reason=r(ci.reason), override_reason=r(ci.override_reason),
                        events=events),
        forward_plan=_kept(d.forward_plan, urgency_reason=r(d.forward_plan.urgency_reason))
        if d.forward_plan else None,
        # Exempt appendices leave the record entirely; only their notices go on.
        appendices=tuple(public),
        report=_kept(d.report, summary=r(d.report.summary)) if d.report else None,
        implications=tuple((k, r(v) or "") for k, v in d.implications),
        consultation=tuple((k, r(v) or "") for k, v in d.consultation),
        implementation=r(d.implementation),
        interests_declared=r(d.interests_declared),
        dispensations=r(d.dispensations),
    )
    result = PublicDecision(public_decision, tuple(notices), tuple(public), count)
    _check_redacted(result)
    return result


_T = TypeVar("_T")


def _kept(value: _T, **changes: Any) -> _T:
    """`replace(value, **changes)`, or `value` itself where no change changes it: most
    records mark nothing, and copying each of their objects with its own values was a fifth
    of redacting them (dataclasses.replace checks and sets every field)."""
    for name, new in changes.items():
        if getattr(value, name) != new:
            return replace(value, **changes)  # type: ignore[type-var]
    return value


def _check_redacted(p: PublicDecision) -> None:
    # A field added to the model but not to the replace() above would keep its markers and
    # its exempt text: fail closed here rather than trust the leak guard to catch it later.
    texts = [*prose_fields(p.decision), *plain_fields(p.decision),
             *((f"notice {n.title}", n.public_interest) for n in p.notices)]
    for field, text in texts:
        if TOKEN.search(text):
            raise ValueError(f"{p.decision.id}: {field} still holds an exempt marker after "
                             "redaction")


def exempt_paragraphs_used(d: Decision) -> Iterator[tuple[str, str]]:
    """(field, paragraph) for every paragraph a record cites, appendix or inline."""
    for i, ap in enumerate(d.appendices, 1):
        if ap.exempt:
            for p in ap.exempt.paragraphs:
                yield f"appendices[{i}].exempt.paragraph", p
    for field, text in prose_fields(d):
        spans, _ = parse_markers(text)
        for s in spans:
            for p in s.paragraphs:
                yield field, p


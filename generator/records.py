# This module turns a record that passed its schema (a LineDict from yamlsource.py) into the
# immutable Decision of generator/model.py. The schema has already said everything wrong with
# it, so nothing here can fail on a record that reaches it.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from generator.callin import CallInEvent, EventKind
from generator.model import (
    Alternative,
    Appendix,
    CallIn,
    Commissioning,
    Contact,
    Dates,
    Decision,
    DecisionType,
    Exemption,
    ForwardPlan,
    Link,
    Lot,
    Meeting,
    Money,
    Outcome,
    Report,
    Status,
    Supplier,
    Term,
    Urgency,
)
from generator.yamlsource import LineDict



def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _t(items: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(items or ())


def _money(m: Mapping[str, Any] | None) -> Money | None:
    if not m:
        return None
    return Money(float(m["amount"]), m["basis"], m.get("currency", "GBP"))


def _link(item: Any) -> Link:
    if isinstance(item, str):
        return Link(item)
    return Link(item["title"], item.get("file"), item.get("url"))


def record_decision(stem: str, shown: str, r: LineDict,
                    fields: tuple[tuple[str, int], ...]) -> Decision:
    """The Decision of a record's LineDicts, which passed the schema; `fields` is every
    field and its line (yamlsource.Parsed.fields)."""
    dates = r["dates"]
    fp = r.get("forward_plan")
    ci = r.get("call_in") or {}
    com = r.get("commissioning")
    rep = r.get("report")
    contact = r.get("contact")
    meeting = r.get("meeting")
    alternatives = r["alternatives"]
    portfolio = r.get("portfolio")
    consultation = r.get("consultation")
    return Decision(
        id=stem,
        path=shown,
        lines=fields,
        title=r["title"],
        reference=r.get("reference"),
        decision_maker=r["decision_maker"],
        decision_type=DecisionType(r["decision_type"]),
        status=Status(r["status"]),
        key_decision=r["key_decision"],
        forward_plan=ForwardPlan(
            included=fp["included"],
            reference=fp.get("reference"),
            published=_d(fp.get("published")),
            urgency=Urgency(fp.get("urgency", "none")),
            urgency_reason=fp.get("urgency_reason"),
            agreed_by=fp.get("agreed_by"),
            notice_date=_d(fp.get("notice_date")),
        ) if fp else None,
        portfolios=(portfolio,) if isinstance(portfolio, str) else _t(portfolio),
        wards=_t(r["wards"]),
        dates=Dates(
            decision=date.fromisoformat(dates["decision"]),
            published=_d(dates.get("published")),
            call_in_deadline=_d(dates.get("call_in_deadline")),
            in_force=_d(dates.get("in_force")),
        ),
        call_in=CallIn(
            applies=ci.get("applies", True),
            reason=ci.get("reason"),
            waived_by=ci.get("waived_by"),
            count=ci.get("count"),
            override_reason=ci.get("override_reason"),
            events=tuple(
                CallInEvent(date=date.fromisoformat(e["date"]), what=EventKind(e["what"]),
                            by=e.get("by"), details=e.get("details"))
                for e in ci.get("events") or ()
            ),
        ),
        purpose=r.get("purpose"),
        decision=_t(r["decision"]),
        reasons=_t(r["reasons"]),
        alternatives=tuple(
            Alternative(
                title=a["title"],
                outcome=Outcome(a["outcome"]),
                description=a.get("description"),
                reasons=_t(a.get("reasons")),
                pros=_t(a.get("pros")),
                cons=_t(a.get("cons")),
                financial_assessment=a.get("financial_assessment"),
            )
            for a in alternatives
        ) if isinstance(alternatives, list) else (),
        alternatives_statement=alternatives if isinstance(alternatives, str) else None,
        commissioning=Commissioning(
            service=com["service"],
            route=com["route"],
            value=_money(com.get("value")),
            term=Term(
                start=date.fromisoformat(com["term"]["start"]),
                initial_years=float(com["term"]["initial_years"]),
                extensions_years=tuple(float(x) for x in com["term"].get("extensions_years") or ()),
            ) if com.get("term") else None,
            current_contract_ends=_d(com.get("current_contract_ends")),
            suppliers=tuple(Supplier(s["name"], s.get("lot"), _money(s.get("value")))
                            for s in com.get("suppliers") or ()),
            lots=tuple(Lot(lot["title"], lot.get("description"), _money(lot.get("value")))
                       for lot in com.get("lots") or ()),
            ocids=_t(com.get("ocids")),
        ) if com else None,
        appendices=tuple(
            Appendix(
                title=a["title"],
                exempt=Exemption(
                    paragraphs=tuple(str(p) for p in (
                        a["exempt"]["paragraph"] if isinstance(a["exempt"]["paragraph"], list)
                        else [a["exempt"]["paragraph"]])),
                    public_interest=a["exempt"]["public_interest"],
                    review_date=_d(a["exempt"].get("review_date")),
                ) if a.get("exempt") else None,
                description=a.get("description"),
                body=a.get("body"),
                file=a.get("file"),
                url=a.get("url"),
            )
            for a in r.get("appendices") or ()
        ),
        report=Report(
            title=rep["title"],
            report_of=rep.get("report_of"),
            report_to=rep.get("report_to"),
            date=_d(rep.get("date")),
            summary=rep.get("summary"),
        ) if rep else None,
        implications=tuple((k, v) for k, v in (r.get("implications") or {}).items()),
        consultation=(
            (("consultation", consultation),) if isinstance(consultation, str)
            else tuple((k, v) for k, v in (consultation or {}).items())
        ),
        implementation=r.get("implementation"),
        background_papers=tuple(_link(x) for x in r.get("background_papers") or ()),
        interests_declared=r.get("interests_declared"),
        dispensations=r.get("dispensations"),
        contact=Contact(**{k: contact.get(k) for k in ("name", "role", "email", "phone")})
        if contact else None,
        meeting=Meeting(meeting["title"], date.fromisoformat(meeting["date"]), meeting.get("item"),
                        meeting.get("url")) if meeting else None,
        documents=tuple(_link(x) for x in r.get("documents") or ()),
        import_notes=len(r.get("import_report") or ()),
    )

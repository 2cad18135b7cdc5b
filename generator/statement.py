# This module plans the accessibility statement. A council's website must publish one (Public
# Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018,
# reg 8) saying how far it meets WCAG 2.2 AA, what is not accessible, how to report a problem
# and what to do if the reply is not good enough. The facts come from the `accessibility:`
# block of site-data/authority.yml (the schema requires it); the words follow the GOV.UK model
# statement, so residents meet the same headings as on every other public sector site.
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from generator.model import Authority, Project
from generator.site import Entry, Page

STATEMENT_PATH = "accessibility/index.md"
REGULATIONS = ("the Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
               "Accessibility Regulations 2018")
REGULATIONS_URL = "https://www.legislation.gov.uk/uksi/2018/952/contents/made"
WCAG_URL = "https://www.w3.org/TR/WCAG22/"


class Compliance(StrEnum):
    """`accessibility.compliance`: the three statuses the model statement allows."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Enforcer:
    """Who a resident turns to when the council's answer to a complaint is not good enough."""

    name: str
    url: str
    role: str


# Great Britain: the EHRC enforces the regulations and EASS takes residents' complaints.
# Northern Ireland: the Equality Commission for Northern Ireland does both.
GREAT_BRITAIN = (
    Enforcer("Equality and Human Rights Commission (EHRC)",
             "https://www.equalityhumanrights.com/",
             f"is responsible for enforcing {REGULATIONS} (the \u2018accessibility "
             "regulations\u2019)"),
    Enforcer("Equality Advisory and Support Service (EASS)",
             "https://www.equalityadvisoryservice.com/",
             "advises people who are not happy with how a public body has responded to a "
             "complaint about accessibility"),
)
NORTHERN_IRELAND = (
    Enforcer("Equality Commission for Northern Ireland (ECNI)",
             "https://www.equalityni.org/Home",
             f"is responsible for enforcing {REGULATIONS} in Northern Ireland and takes "
             "complaints from people who are not happy with how a public body has responded"),
)


@dataclass(frozen=True, slots=True)
class AccessibilityStatement:
    """Everything the statement says, checked and typed."""

    council: str
    site_url: str
    compliance: Compliance
    non_accessible: str | None
    """`non_accessible`: Markdown; the schema requires it unless compliance is full."""
    prepared: date
    reviewed: date
    tested: str
    """`tested`: Markdown saying how, when and by whom the site was tested."""
    contact_email: str
    """`contact_email`, or the council's `contact.email` when not given."""
    contact_phone: str | None
    response_days: int
    enforcers: tuple[Enforcer, ...]
    regulations: str = REGULATIONS
    regulations_url: str = REGULATIONS_URL
    wcag_url: str = WCAG_URL


def statement_of(authority: Authority) -> AccessibilityStatement | None:
    """The statement's facts, or None for an Authority built in code without them (records on
    disk cannot get here without the block: generator/schema/authority.schema.json requires
    it)."""
    facts = dict(authority.accessibility)
    contact = dict(authority.contact)
    if not facts:
        return None
    email = facts.get("contact_email") or contact.get("email")
    if not email:
        raise ValueError("accessibility.contact_email or contact.email is needed")
    return AccessibilityStatement(
        council=authority.name,
        site_url=authority.site_url,
        compliance=Compliance(facts["compliance"]),
        non_accessible=facts.get("non_accessible") or None,
        prepared=date.fromisoformat(facts["prepared"]),
        reviewed=date.fromisoformat(facts["reviewed"]),
        tested=facts["tested"],
        contact_email=email,
        contact_phone=contact.get("phone"),
        response_days=int(facts["response_days"]),
        # authority.country names the exempt-information table; a Northern Ireland council
        # also counts its working days by the Northern Ireland bank holidays.
        enforcers=NORTHERN_IRELAND if "northern-ireland" in (
            authority.country, authority.call_in.bank_holidays) else GREAT_BRITAIN,
    )


def plan_statement(project: Project, entries: tuple[Entry, ...],
                   as_of: datetime) -> Iterable[Page]:
    """The accessibility statement, linked from every page's footer."""
    statement = statement_of(project.authority)
    if statement is not None:
        yield Page(STATEMENT_PATH, "accessibility.md.j2", {"s": statement})

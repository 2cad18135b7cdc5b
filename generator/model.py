# This module holds the typed, immutable shape of a decision record and of the council's
# settings. Every stage after `load` works on these values, never on raw YAML, so a field
# misspelt in code fails in the type checker rather than silently publishing nothing.
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from generator.callin import CallInEvent, CallInRule


class DecisionType(StrEnum):
    CABINET = "cabinet"
    CABINET_MEMBER = "cabinet-member"
    COMMITTEE = "committee"
    OFFICER = "officer"


class Status(StrEnum):
    PROPOSED = "proposed"
    FOR_DETERMINATION = "for-determination"
    APPROVED = "approved"
    CALLED_IN = "called-in"
    REFERRED_BACK = "referred-back"
    WITHDRAWN = "withdrawn"
    DEFERRED = "deferred"


class Outcome(StrEnum):
    REJECTED = "rejected"
    RECOMMENDED = "recommended"
    CHOSEN = "chosen"


class Urgency(StrEnum):
    NONE = "none"
    GENERAL_EXCEPTION = "general-exception"  # reg 10: notice to scrutiny chair, 5 clear days
    SPECIAL_URGENCY = "special-urgency"  # reg 11: scrutiny chair agrees it cannot wait


class SourceRepository(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


@dataclass(frozen=True, slots=True)
class Link:
    """A document or background paper: `{title, file|url}` (or a bare title)."""

    title: str
    file: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ForwardPlan:
    """`forward_plan`: notice of a key decision (reg 9) and any urgency used (regs 10-11)."""

    included: bool
    reference: str | None = None
    published: date | None = None
    urgency: Urgency = Urgency.NONE
    urgency_reason: str | None = None
    agreed_by: str | None = None
    notice_date: date | None = None


@dataclass(frozen=True, slots=True)
class Dates:
    """`dates`: when decided and published; recorded call-in dates, if the record states them."""

    decision: date
    published: date | None = None
    call_in_deadline: date | None = None
    in_force: date | None = None


@dataclass(frozen=True, slots=True)
class CallIn:
    """`call_in`: whether call-in applies, and what happened."""

    applies: bool = True
    reason: str | None = None
    waived_by: str | None = None
    count: int | None = None
    """Call-in requests received, where the record states it."""
    override_reason: str | None = None
    events: tuple[CallInEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class Alternative:
    """An item of `alternatives`: an option considered, with its outcome."""

    title: str
    outcome: Outcome
    description: str | None = None
    reasons: tuple[str, ...] = ()
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()
    financial_assessment: str | None = None


@dataclass(frozen=True, slots=True)
class Money:
    amount: float
    basis: str  # annual | total
    currency: str = "GBP"


@dataclass(frozen=True, slots=True)
class Term:
    start: date
    initial_years: float
    extensions_years: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Supplier:
    name: str
    lot: str | None = None
    value: Money | None = None


@dataclass(frozen=True, slots=True)
class Lot:
    title: str
    description: str | None = None
    value: Money | None = None


@dataclass(frozen=True, slots=True)
class Commissioning:
    """`commissioning`: what is bought, how, for how much and how long."""

    service: str
    route: str
    value: Money | None = None
    term: Term | None = None
    current_contract_ends: date | None = None
    suppliers: tuple[Supplier, ...] = ()
    lots: tuple[Lot, ...] = ()
    ocids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Exemption:
    """`appendices[].exempt`: the Schedule 12A paragraph(s) and the public interest test."""

    paragraphs: tuple[str, ...]
    public_interest: str
    review_date: date | None = None


@dataclass(frozen=True, slots=True)
class Appendix:
    """An item of `appendices`. `body` and `file` of an exempt appendix are never published."""

    title: str
    exempt: Exemption | None = None
    description: str | None = None
    body: str | None = None
    file: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    report_of: str | None = None
    report_to: str | None = None
    date: date | None = None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Meeting:
    title: str
    date: date
    item: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision record, as loaded from `decisions/**/<id>.yaml`."""

    id: str
    path: str
    lines: tuple[tuple[str, int], ...]
    """Field path -> 1-based line in the file, for messages from later stages."""
    title: str
    decision_maker: str
    decision_type: DecisionType
    status: Status
    key_decision: bool
    wards: tuple[str, ...]
    dates: Dates
    decision: tuple[str, ...]
    reasons: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    alternatives_statement: str | None = None
    reference: str | None = None
    forward_plan: ForwardPlan | None = None
    portfolios: tuple[str, ...] = ()
    call_in: CallIn = field(default_factory=CallIn)
    purpose: str | None = None
    commissioning: Commissioning | None = None
    appendices: tuple[Appendix, ...] = ()
    report: Report | None = None
    implications: tuple[tuple[str, str], ...] = ()
    consultation: tuple[tuple[str, str], ...] = ()
    implementation: str | None = None
    background_papers: tuple[Link, ...] = ()
    interests_declared: str | None = None
    dispensations: str | None = None
    contact: Contact | None = None
    meeting: Meeting | None = None
    documents: tuple[Link, ...] = ()
    import_notes: int = 0
    """How many notes `generator import` left in `import_report` (never published)."""

    def line(self, field_path: str) -> int:
        """The line of a field, or of its nearest recorded parent, or 0."""
        table = dict(self.lines)
        probe = field_path
        while probe:
            if probe in table:
                return table[probe]
            probe = probe.rpartition(".")[0] if "." in probe else ""
        return 0


@dataclass(frozen=True, slots=True)
class Ward:
    name: str


@dataclass(frozen=True, slots=True)
class Portfolio:
    name: str
    cabinet_member: str | None = None


@dataclass(frozen=True, slots=True)
class DecisionMaker:
    name: str
    type: DecisionType


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """An item of `site-data/glossary.yml`: a word residents meet on the portal, explained."""

    id: str
    """`id`: the anchor on the glossary page (glossary/#id)."""
    term: str
    definition: str
    """Plain text: it is also shown as the tooltip where a page first uses the term."""


@dataclass(frozen=True, slots=True)
class Authority:
    """`site-data/`: the council's settings and lookup tables."""

    name: str
    short_name: str
    country: str
    site_url: str
    description: str
    source_repository: SourceRepository
    key_decision_threshold: float | None
    contact: tuple[tuple[str, str], ...]
    call_in: CallInRule
    exempt_table: tuple[tuple[str, str], ...]
    """Paragraph -> statutory description, for this authority's country."""
    exempt_table_version: str
    exempt_table_source: str
    wards: tuple[str, ...]
    portfolios: tuple[Portfolio, ...]
    decision_makers: tuple[DecisionMaker, ...]
    sample: bool = False
    accessibility: tuple[tuple[str, str], ...] = ()
    ocds_prefix: str | None = None
    """`ocds_prefix`: the council's own OCDS publisher prefix, for OCIDs of its contracting
    processes that have no Find a Tender notice."""
    glossary: tuple[GlossaryTerm, ...] = ()


@dataclass(frozen=True, slots=True)
class Project:
    """Everything read from disk: the settings and every record, in id order."""

    root: str
    authority: Authority
    decisions: tuple[Decision, ...]

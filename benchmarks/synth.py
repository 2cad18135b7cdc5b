# This module writes a synthetic council: N realistic decision records, seeded and
# deterministic, in a temporary project folder beside copies of the real settings, theme and
# site configuration. Record i depends only on (seed, i), so the first 1,000 records of a
# 20,000-record project are byte for byte those of a 1,000-record one and a page's size can be
# compared across sizes. Every record passes `python -m generator check`: a benchmark of a
# site that would not build measures nothing.
from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-22T10:00:00+00:00"
# About 1,000 decisions a year, newest first: 20,000 records reach back twenty years.
PER_YEAR = 1000
SEED = 20261122
# Shares of records with an exempt appendix (of commissioning records) and with an inline
# exempt passage (private mode only), close to what councils' registers show.
EXEMPT_APPENDIX_SHARE = 0.5
INLINE_SHARE = 0.08

try:  # libyaml writes 20,000 records several times faster than the pure-Python dumper
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - pure-Python fallback
    _Dumper = yaml.SafeDumper

SERVICES = (
    "Home care", "Supported living", "Residential care placements", "Day opportunities",
    "Carers support", "Advocacy", "Domiciliary care", "Reablement", "Extra care housing",
    "Community equipment", "Home to school transport", "Special educational needs support",
    "Early help", "Youth services", "Foster care", "Children's residential care",
    "School meals", "Library services", "Leisure management", "Parks maintenance",
    "Street cleansing", "Refuse collection", "Recycling processing", "Highways maintenance",
    "Street lighting", "Winter gritting", "Parking enforcement", "Bus subsidies",
    "Temporary accommodation", "Homelessness prevention", "Housing repairs",
    "Disabled facilities grants", "Energy efficiency retrofit", "Public health nursing",
    "Drug and alcohol treatment", "Sexual health services", "Stop smoking services",
    "IT managed services", "Software licensing", "Facilities management", "Cleaning services",
    "Security services", "Legal services", "Insurance", "Banking services", "Payroll",
    "Building maintenance", "Grounds maintenance", "Cemeteries and crematoria",
    "Pest control", "Trading standards", "Environmental health", "CCTV monitoring",
)
PLACES = (
    "Town Hall", "Civic Centre", "Westgate Depot", "Riverside Park", "Northfield Library",
    "Market Square", "Castle Street car park", "Abbey Road", "Beacon Hill Community Centre",
    "Millbrook Resource Centre", "Southgate Leisure Centre", "Priory Gardens",
    "Stonebridge Primary School", "Oakwood Lane", "Kingsmead Estate", "Brookside Close",
)
SUPPLIERS = (
    "Northern Care Partnership Ltd", "Evergreen Support CIC", "Harbour Facilities plc",
    "Brightpath Transport Ltd", "Civic Digital Services Ltd", "Greenway Environmental Ltd",
    "Meridian Highways Ltd", "Oak Tree Homes Housing Association", "Lumen Lighting Ltd",
    "Castle Legal LLP", "Willow Advocacy Trust", "Summit Leisure Trust",
    "Carers First Network", "Riverside Community Interest Company", "Atlas Maintenance Ltd",
)
PEOPLE = (
    "Amira Hassan", "Ben Oduya", "Catherine Hughes", "Daniel Price", "Elena Rossi",
    "Farid Khan", "Grace Mensah", "Harry Doyle", "Imogen Clarke", "James Whitaker",
    "Kiran Bhatt", "Lucy Morgan", "Mohammed Ali", "Nina Kowalski", "Owen Jenkins",
)
ROLES = (
    "Commissioning Manager", "Head of Procurement", "Service Manager", "Assistant Director",
    "Senior Commissioning Officer", "Head of Service", "Strategic Lead",
)
VERBS = ("improve", "protect", "maintain", "modernise", "secure", "stabilise", "extend")
OUTCOME_WORDS = (
    "residents receive the service without interruption",
    "the council meets its statutory duties",
    "the service stays within the approved budget",
    "quality is monitored against clear standards",
    "people who use the service are involved in its design",
    "the market has time to respond to the tender",
    "carbon emissions from the service fall each year",
    "local organisations can bid for smaller lots",
)
RISKS = (
    "a gap in provision if the current contract ends before a new one starts",
    "higher prices because of inflation in the care market",
    "a challenge from an unsuccessful bidder",
    "too few providers bidding in a stretched market",
    "delay if the consultation raises new issues",
    "staff transferring under TUPE",
)
ROUTES = ("open-procedure", "restricted-procedure", "competitive-flexible", "framework", "dps",
          "direct-award", "extension", "grant")


@dataclass(frozen=True, slots=True)
class Settings:
    """The bits of the real site-data the records must agree with."""

    makers: tuple[tuple[str, str], ...]  # (name, type)
    portfolios: tuple[str, ...]
    wards: tuple[str, ...]
    paragraphs: tuple[str, ...]


def read_settings(site_data: Path) -> Settings:
    def load(name: str) -> Any:
        return yaml.load((site_data / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    makers = tuple((m["name"], m["type"]) for m in load("decision-makers.yml")["decision_makers"])
    portfolios = tuple(p["name"] for p in load("portfolios.yml")["portfolios"])
    wards = tuple(load("wards.yml")["wards"])
    country = load("authority.yml")["country"]
    paragraphs = tuple(str(p) for p in load("exempt-information.yml")["tables"][country])
    return Settings(makers, portfolios, wards, paragraphs)


def _sentence(rng: random.Random, service: str) -> str:
    return (f"{rng.choice(VERBS).capitalize()} the {service.lower()} service so that "
            f"{rng.choice(OUTCOME_WORDS)}, and so that {rng.choice(OUTCOME_WORDS)}.")


def _money(rng: random.Random, low: int, high: int) -> int:
    return rng.randrange(low, high) // 500 * 500


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def record(i: int, settings: Settings, today: date, private: bool,
           seed: int = SEED) -> tuple[str, str, dict[str, Any]]:
    """Record number i: (year folder, id, fields). Depends on (seed, i) only."""
    rng = random.Random(f"{seed}:{i}")
    service = rng.choice(SERVICES)
    place = rng.choice(PLACES)
    # Newest first: record 0 is the latest, and each year back holds about PER_YEAR records.
    published = today - timedelta(days=i * 365 // PER_YEAR + rng.randrange(0, 2))
    decided = published - timedelta(days=rng.randrange(0, 3))
    commissioning = rng.random() < 0.45
    route = rng.choice(ROUTES)
    maker, kind = rng.choice(settings.makers)
    portfolio = rng.choice(settings.portfolios)
    wards = (["all"] if rng.random() < 0.6
             else sorted(rng.sample(settings.wards, rng.randrange(1, 4))))
    value = _money(rng, 50_000, 12_000_000)
    key = value >= 500_000 and kind != "officer"
    years_initial = rng.choice((2, 3, 4, 5))
    if commissioning:
        title = rng.choice((
            f"{service} - procurement strategy",
            f"{service} - contract award",
            f"{service} - contract extension",
            f"{service} - dynamic purchasing system",
            f"{service} - recommissioning",
        ))
    else:
        title = rng.choice((
            f"{place} - "
            f"{rng.choice(('refurbishment', 'disposal', 'lease renewal', 'closure consultation'))}",
            f"{service} - fees and charges {published.year}/{(published.year + 1) % 100:02d}",
            f"{service} - policy review",
            f"{place} - capital programme allocation",
            f"{service} - service redesign",
        ))
    rid = f"{_slug(title)[:44].strip('-')}-{published.year}-{i:05d}"
    money_text = f"£{value:,}"
    fields: dict[str, Any] = {
        "title": title,
        "reference": f"{kind[:3].upper()}-{published.year}-{i:05d}",
        "decision_maker": maker,
        "decision_type": kind,
        "status": "approved",
        "key_decision": key,
    }
    if key or rng.random() < 0.3:
        fields["forward_plan"] = {
            "included": True,
            "reference": f"FP-{published.year}-{i % 997:03d}",
            "published": (decided - timedelta(days=rng.randrange(35, 90))).isoformat(),
            "urgency": "none",
        }
    fields["portfolio"] = portfolio
    fields["wards"] = wards
    fields["dates"] = {"decision": decided.isoformat(), "published": published.isoformat()}
    if kind == "officer":
        fields["call_in"] = {
            "applies": False,
            "reason": "Officer decisions under delegated powers are not subject to call-in "
                      "under the council's constitution.",
        }
    else:
        fields["call_in"] = {"applies": True, "count": 0}
        roll = rng.random()
        if roll < 0.03 and published + timedelta(days=16) < today:
            # Called in: some still suspended, some confirmed, some referred back.
            outcome = rng.choice(("suspended", "confirmed", "referred-back"))
            events: list[dict[str, Any]] = [
                {"date": (published + timedelta(days=2)).isoformat(), "what": "called-in",
                 "by": f"Councillor {rng.choice(PEOPLE)} and {rng.randrange(4, 9)} other members",
                 "details": f"The members asked the committee to look again at the effect on "
                            f"{rng.choice(settings.wards)} and at the {service.lower()} budget."},
                {"date": (published + timedelta(days=14)).isoformat(), "what": "scrutiny-meeting",
                 "by": "Overview and Scrutiny Committee"},
            ]
            if outcome != "suspended":
                events.append({"date": (published + timedelta(days=14)).isoformat(),
                               "what": outcome, "by": "Overview and Scrutiny Committee"})
            fields["status"] = {"suspended": "called-in", "confirmed": "approved",
                                "referred-back": "referred-back"}[outcome]
            fields["call_in"] = {"applies": True, "count": rng.randrange(5, 12), "events": events}
    fields["purpose"] = (
        f"To decide how the council will {rng.choice(VERBS)} {service.lower()} "
        f"{'across the borough' if wards == ['all'] else 'in ' + ', '.join(wards)}. "
        f"{_sentence(rng, service)} The current arrangements at {place} were last reviewed "
        f"in {published.year - rng.randrange(2, 6)}."
    )
    fields["decision"] = [
        f"To approve the {'procurement of' if commissioning else 'proposals for'} "
        f"{service.lower()} set out in the report, at an estimated cost of {money_text}.",
        f"To delegate to the {rng.choice(ROLES)}, in consultation with the Cabinet Member for "
        f"{portfolio}, authority to finalise the arrangements and award any resulting contract.",
    ] + [f"To note {rng.choice(RISKS)}, and the steps in the report to manage it."
         for _ in range(rng.randrange(0, 3))]
    fields["reasons"] = [_sentence(rng, service) for _ in range(rng.randrange(2, 5))] + [
        f"Doing nothing would leave {rng.choice(RISKS)}."]
    options = [
        {"title": "Do nothing", "outcome": "rejected",
         "reasons": [f"Would leave {rng.choice(RISKS)}."],
         "pros": ["No procurement or change costs."],
         "cons": [f"Does not address {rng.choice(RISKS)}.",
                  "Leaves the council open to challenge."]},
        {"title": f"Bring {service.lower()} in-house", "outcome": "rejected",
         "description": f"The council would employ the staff and run {service.lower()} directly "
                        f"from {place}.",
         "pros": ["Direct control over quality.", "No supplier profit margin."],
         "cons": [f"Set-up costs of about £{_money(rng, 100_000, 900_000):,}.",
                  "The council has no current capacity to manage the service."],
         "financial_assessment": f"Estimated at {rng.randrange(5, 25)}% more than the "
                                 f"recommended option over {years_initial} years."},
        {"title": f"{'Procure' if commissioning else 'Implement'} as set out in the report",
         "outcome": "chosen",
         "reasons": [_sentence(rng, service)],
         "pros": [f"Ensures {rng.choice(OUTCOME_WORDS)}.", f"Ensures {rng.choice(OUTCOME_WORDS)}."],
         "cons": [f"Carries a risk of {rng.choice(RISKS)}."]},
    ]
    fields["alternatives"] = options[rng.randrange(0, 2):]
    if commissioning:
        start = decided + timedelta(days=rng.randrange(60, 240))
        com: dict[str, Any] = {
            "service": service,
            "route": route,
            "value": {"amount": value, "currency": "GBP", "basis": rng.choice(("annual", "total"))},
            "term": {"start": start.isoformat(), "initial_years": years_initial,
                     "extensions_years": [1] * rng.randrange(0, 3)},
            "current_contract_ends": (start - timedelta(days=1)).isoformat(),
        }
        if title.endswith("contract award"):
            com["suppliers"] = [{"name": s, "value": {"amount": _money(rng, 20_000, 2_000_000),
                                                      "basis": "annual"}}
                                for s in rng.sample(SUPPLIERS, rng.randrange(1, 4))]
        fields["commissioning"] = com
    appendices: list[dict[str, Any]] = [
        {"title": f"Appendix {chr(65 + n)} - {name}", "url":
         f"https://democracy.example.gov.uk/documents/s{i:05d}{n}/appendix-{chr(97 + n)}.pdf"}
        for n, name in enumerate(rng.sample(("Equality impact assessment", "Consultation report",
                                             "Service specification", "Options appraisal"),
                                            rng.randrange(0, 3)))
    ]
    if commissioning and rng.random() < EXEMPT_APPENDIX_SHARE:
        exempt: dict[str, Any] = {
            "title": f"Appendix {chr(65 + len(appendices))} - Financial evaluation",
            "exempt": {
                "paragraph": "3" if "3" in settings.paragraphs else settings.paragraphs[0],
                "public_interest": "The appendix holds bidders' prices and the council's "
                                   "evaluation. Publishing them while the contract is let would "
                                   "harm the council's commercial position, which outweighs the "
                                   "public interest in disclosure.",
            },
        }
        if private:
            # Only a private repository may hold exempt text; the guard must prove it stays out.
            exempt["body"] = (f"Evaluation EV-{i:05d}: {rng.choice(SUPPLIERS)} scored "
                              f"{rng.randrange(55, 95)} with a price of "
                              f"£{_money(rng, 100_000, 5_000_000):,}; evaluation panel "
                              f"note {rng.getrandbits(40):010x}.")
        appendices.append(exempt)
    if appendices:
        fields["appendices"] = appendices
    financial = (f"The estimated cost is {money_text}, met from the {portfolio} budget. "
                 f"{_sentence(rng, service)}")
    if private and rng.random() < INLINE_SHARE:
        passage = (f"[[exempt 3]]reference PB-{i:05d}-{rng.getrandbits(32):08x}[[/exempt]]")
        if rng.random() < 0.5:
            financial += f" The preferred bidder's price breakdown {passage} is in the appendix."
        else:
            fields["reasons"].append(f"The preferred bidder's offer {passage} was the best value.")
    fields["implications"] = {
        "financial": financial,
        "legal": "The council has the power to make this decision under the Local Government "
                 "Act 2000 and the Care Act 2014; the Procurement Act 2023 applies to any "
                 "contract let.",
        "equality": "An equality impact assessment found "
                    f"{rng.choice(('no', 'a positive', 'a small negative'))} "
                    "impact on people who share protected characteristics; the report sets out "
                    "how any negative impact will be mitigated.",
    }
    if rng.random() < 0.5:
        fields["implications"]["risk"] = f"The main risk is {rng.choice(RISKS)}."
    fields["consultation"] = {
        "internal": "The Chief Finance Officer and the Monitoring Officer were consulted.",
        "external": f"{rng.randrange(40, 900)} people responded to a public consultation.",
    }
    fields["implementation"] = "Following the expiry of the call-in period."
    fields["contact"] = {
        "name": rng.choice(PEOPLE), "role": rng.choice(ROLES),
        "email": "democratic.services@example.gov.uk",
        "phone": f"0345 140 {rng.randrange(1000, 9999)}",
    }
    return str(published.year), rid, fields


def write_project(dest: Path, n: int, *, private: bool = True, as_of: str = AS_OF,
                  seed: int = SEED) -> Path:
    """A complete project folder with n synthetic records; returns `dest`."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "site-data", dest / "site-data")
    authority = dest / "site-data" / "authority.yml"
    text = authority.read_text(encoding="utf-8")
    if private:
        text = text.replace("source_repository: public", "source_repository: private", 1)
    authority.write_text(text, encoding="utf-8")
    settings = read_settings(dest / "site-data")
    today = datetime.fromisoformat(as_of).date()
    base = dest / "decisions"
    for i in range(n):
        year, rid, fields = record(i, settings, today, private, seed)
        folder = base / year
        folder.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(fields, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        (folder / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic project of N decisions.")
    parser.add_argument("dest", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--public", action="store_true",
                        help="a public-repository project: exempt appendices as notices only")
    args = parser.parse_args()
    write_project(args.dest, args.n, private=not args.public)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

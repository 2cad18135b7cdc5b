# This module reads the council's settings in site-data/ (authority.yml and the lookup tables:
# wards, portfolios, decision makers, Schedule 12A paragraphs, glossary) into the Authority
# that every other stage reads. Like the records, every problem in every file is collected.
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.callin import rule_from_settings
from generator.formats import AUTHORITY_SCHEMA, GLOSSARY_SCHEMA
from generator.messages import reading
from generator.model import Authority, DecisionMaker, DecisionType, GlossaryTerm, Portfolio, \
    SourceRepository
from generator.problems import Problem, Severity, SourceRef
from generator.schemacheck import schema_problems_for, validator_for
from generator.yamlsource import LineDict, parse_yaml


def _line(data: LineDict | None) -> int:
    return data.line if data is not None else 0


def _read_settings(root: Path, name: str, problems: list[Problem]) -> LineDict | None:
    path = root / "site-data" / name
    shown = f"site-data/{name}"
    if not path.is_file():
        problems.append(reading.settings_missing(SourceRef(shown)))
        return None
    parsed = parse_yaml(path.read_bytes(), shown, record=False)
    problems.extend(parsed.problems)
    return parsed.data


def load_authority(root: Path, problems: list[Problem]) -> Authority | None:
    settings = _read_settings(root, "authority.yml", problems)
    table = _read_settings(root, "exempt-information.yml", problems)
    wards = _read_settings(root, "wards.yml", problems)
    portfolios = _read_settings(root, "portfolios.yml", problems)
    makers = _read_settings(root, "decision-makers.yml", problems)
    glossary = _load_glossary(root, problems)
    if settings is None:
        return None
    before = len(problems)
    settings_problems = schema_problems_for(
        settings, "site-data/authority.yml",
        validator_for(str(AUTHORITY_SCHEMA)))
    problems.extend(settings_problems)
    country = settings.get("country", "england")
    exempt_rows: tuple[tuple[str, str], ...] = ()
    version = source = ""
    # A country that is not one word has already been reported by the schema; looking it up
    # would only add a second, confusing message (or fail on a list, which cannot be a key).
    if table is not None and isinstance(country, str) and \
            not any(p.field == "country" for p in settings_problems):
        tables = table.get("tables") or {}
        chosen = tables.get(country) if isinstance(tables, Mapping) else None
        if not isinstance(chosen, Mapping) or not chosen:
            problems.append(reading.no_exempt_table(
                SourceRef("site-data/exempt-information.yml", table.line), country))
        else:
            exempt_rows = tuple((str(k), str(v)) for k, v in chosen.items())
        version = str(table.get("version", ""))
        sources = table.get("sources")
        source = str(sources.get(country, "")) if isinstance(sources, Mapping) else ""
    ward_names = _names(wards, "wards", "site-data/wards.yml", problems)
    portfolio_rows = []
    for item in _items(portfolios, "portfolios", "site-data/portfolios.yml", problems):
        if isinstance(item, Mapping) and isinstance(item.get("name"), str) and item["name"]:
            portfolio_rows.append(Portfolio(item["name"], item.get("cabinet_member")))
        elif isinstance(item, str) and item:
            portfolio_rows.append(Portfolio(item))
        else:
            problems.append(reading.portfolio_entry(
                SourceRef("site-data/portfolios.yml", getattr(item, "line", _line(portfolios)))))
    maker_rows = []
    for item in _items(makers, "decision_makers", "site-data/decision-makers.yml", problems):
        if isinstance(item, Mapping) and isinstance(item.get("name"), str) and \
                item.get("type") in {t.value for t in DecisionType}:
            maker_rows.append(DecisionMaker(item["name"], DecisionType(item["type"])))
        else:
            problems.append(reading.decision_maker_entry(
                SourceRef("site-data/decision-makers.yml", getattr(item, "line", 0))))
    rule = None
    try:
        if not settings_problems:  # each schema problem is reported once, by the schema
            rule = rule_from_settings(settings["call_in"])
    except ValueError as exc:  # what the schema cannot say, such as a missing `members_needed`
        problems.append(reading.call_in_rule(
            SourceRef("site-data/authority.yml", settings.lines["call_in"]), str(exc)))
    if len(problems) > before and any(p.severity is Severity.ERROR for p in problems[before:]):
        return None
    assert rule is not None  # the schema requires `call_in`, so no error means a rule
    contact = settings.get("contact") or {}
    return Authority(
        name=settings["name"],
        short_name=settings.get("short_name") or settings["name"],
        country=country,
        site_url=settings["site_url"],
        description=settings.get("description") or f"Decisions of {settings['name']}.",
        source_repository=SourceRepository(settings.get("source_repository", "public")),
        key_decision_threshold=settings.get("key_decision_threshold"),
        contact=tuple((k, str(v)) for k, v in contact.items()),
        call_in=rule,
        exempt_table=exempt_rows,
        exempt_table_version=version,
        exempt_table_source=source,
        wards=ward_names,
        portfolios=tuple(portfolio_rows),
        decision_makers=tuple(maker_rows),
        sample=bool(settings.get("sample", False)),
        accessibility=tuple((k, str(v)) for k, v in (settings.get("accessibility") or {}).items()),
        ocds_prefix=settings.get("ocds_prefix"),
        glossary=glossary,
    )


def _load_glossary(root: Path, problems: list[Problem]) -> tuple[GlossaryTerm, ...]:
    shown = "site-data/glossary.yml"
    data = _read_settings(root, "glossary.yml", problems)
    if data is None:
        return ()
    found = schema_problems_for(data, shown,
                                validator_for(str(GLOSSARY_SCHEMA)))
    problems.extend(found)
    if found:
        return ()
    terms: list[GlossaryTerm] = []
    first: dict[str, int] = {}
    for i, (item, line) in enumerate(zip(data["terms"], data["terms"].lines, strict=True), 1):
        if item["id"] in first:
            problems.append(reading.duplicate_term_id(SourceRef(shown, line), f"terms[{i}].id",
                                                      item["id"], first[item["id"]]))
            continue
        first[item["id"]] = i
        terms.append(GlossaryTerm(item["id"], item["term"], item["definition"]))
    return tuple(terms)


def _items(data: LineDict | None, key: str, shown: str, problems: list[Problem]) -> list[Any]:
    if data is None:
        return []
    items = data.get(key)
    if not isinstance(items, list):
        problems.append(reading.not_a_list(SourceRef(shown, data.line), key))
        return []
    return list(items)


def _names(data: LineDict | None, key: str, shown: str, problems: list[Problem]) -> tuple[str, ...]:
    out = []
    items = _items(data, key, shown, problems)
    lines = getattr(data.get(key) if data else None, "lines", [0] * len(items))
    for i, (item, line) in enumerate(zip(items, lines, strict=True), 1):
        name = item.get("name") if isinstance(item, Mapping) else item
        if isinstance(name, str) and name:
            out.append(name)
        else:
            problems.append(reading.not_a_name(SourceRef(shown, line), f"{key}[{i}]"))
    return tuple(out)

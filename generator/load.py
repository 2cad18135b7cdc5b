# This module is the input edge of the pipeline: it reads `site-data/` and every record under
# `decisions/`, checks each against its JSON Schema (the same file editors use), and turns what
# passes into the immutable model. It collects every problem in every file before giving up, so
# an officer sees all of them in one run.
from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from generator.callin import CallInEvent, EventKind, rule_from_settings
from generator.formats import AUTHORITY_SCHEMA, DECISION_SCHEMA, GLOSSARY_SCHEMA
from generator.model import (
    Alternative,
    Appendix,
    Authority,
    CallIn,
    Commissioning,
    Contact,
    Dates,
    Decision,
    DecisionMaker,
    DecisionType,
    Exemption,
    ForwardPlan,
    GlossaryTerm,
    Link,
    Lot,
    Meeting,
    Money,
    Outcome,
    Portfolio,
    Project,
    Report,
    SourceRepository,
    Status,
    Supplier,
    Term,
    Urgency,
)
from generator.messages import reading, schema as say
from generator.problems import Problem, Severity, SourceRef, rel
from generator.yamlsource import LineDict, LineList, parse_yaml

RECORD_SUFFIXES = (".yaml", ".yml")
# Ids become URL paths and file names: refuse anything that could traverse, hide (leading dot)
# or collide on case-insensitive file systems, and the device names Windows reserves.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 64
RESERVED_IDS = frozenset(
    {"con", "prn", "aux", "nul", "index", "search", "assets"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)


@dataclass(frozen=True, slots=True)
class Loaded:
    project: Project | None
    problems: tuple[Problem, ...]


@lru_cache(maxsize=4)
def _validator(schema_path: str) -> jsonschema.Draft7Validator:
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


@lru_cache(maxsize=4)
def _fast_check(schema_path: str) -> Callable[[Any], Any]:
    # Why: jsonschema walks every keyword in Python, 2 ms a record (40 s at 20,000 records);
    # fastjsonschema compiles the same schema to Python code. It only answers "valid or not":
    # a record it rejects goes through jsonschema, whose errors the messages are made from.
    # Formats are checked with jsonschema's own checkers, so the two cannot disagree on a
    # date such as 2026-02-30 (tests/test_load.py runs both over every bad-input example).
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    formats = {name: (lambda value, name=name: checker.conforms(value, name))
               for name in checker.checkers}
    return fastjsonschema.compile(schema, formats=formats)


def schema_valid(data: Any, schema_path: Path) -> bool:
    """Whether `data` meets the schema, quickly (see `_fast_check`)."""
    try:
        _fast_check(str(schema_path))(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def load_project(root: Path, *, remember: bool = False) -> Loaded:
    """Read settings and records under `root`; nothing is returned unless everything parsed.

    `remember` keeps each record's result for the next call (for `serve`, and the build cache
    in cache.py)."""
    problems: list[Problem] = []
    authority = _load_authority(root, problems)
    decisions: list[Decision] = []
    record_dir = root / "decisions"
    schema_path = DECISION_SCHEMA
    try:
        schema_digest = _digest(schema_path.read_bytes())
    except OSError:
        schema_digest = b""
    paths = sorted(_record_files(record_dir))
    for path in paths:
        decision = _load_record(root, path, problems, schema_digest, remember)
        if decision is not None:
            decisions.append(decision)
    if remember:  # a deleted or renamed record is forgotten
        seen = {rel(p.relative_to(root)) for p in paths}
        for gone in [k for k in _RECORD_CACHE if k not in seen]:
            del _RECORD_CACHE[gone]
    if authority is None or any(p.severity is Severity.ERROR for p in problems):
        return Loaded(None, tuple(problems))
    decisions.sort(key=lambda d: d.id)
    return Loaded(Project(str(root), authority, tuple(decisions)), tuple(problems))


def _record_files(record_dir: Path) -> Iterator[Path]:
    if not record_dir.is_dir():
        return
    for path in record_dir.rglob("*"):
        if path.suffix.lower() in RECORD_SUFFIXES and path.is_file():
            yield path


def load_record_bytes(raw: bytes, path: str, schema_path: Path) -> tuple[Decision | None, tuple[Problem, ...]]:
    """Load one record from bytes (the fuzzing and property-test entry point)."""
    problems: list[Problem] = []
    decision = _record_from_bytes(raw, path, Path(path).stem, schema_path, problems)
    return decision, tuple(problems)


# `serve` runs the whole pipeline again on every change (and the build cache keeps this between
# runs, cache.py), and parsing and schema-checking
# every record is most of the load stage. A record's model and problems depend only on its
# bytes, its path and the schema, so they are remembered under exactly those (the bytes by
# digest, because file times can be too coarse to see two quick edits): an unchanged record is
# not parsed again, and any change to it or to the schema is. One entry per record path.
_RECORD_CACHE: dict[str, tuple[tuple[str, bytes, bytes], Decision | None, tuple[Problem, ...]]] = {}


def remember_records(records: Mapping[str, Any]) -> None:
    """Records from the build cache (cache.py), checked against each file as it is read."""
    _RECORD_CACHE.update(records)


def remembered_records() -> dict[str, Any]:
    return dict(_RECORD_CACHE)


def record_digests() -> dict[str, str]:
    """Each remembered record's path and the digest of its bytes."""
    return {shown: key[1].hex() for shown, (key, _, _) in _RECORD_CACHE.items()}


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=20).digest()


def _load_record(root: Path, path: Path, problems: list[Problem], schema_digest: bytes,
                 remember: bool) -> Decision | None:
    shown = rel(path.relative_to(root))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(reading.unreadable_file(SourceRef(shown), str(exc.strerror)))
        return None
    stem = path.name.rsplit(".", 1)[0]
    schema_path = DECISION_SCHEMA
    key = (stem, _digest(raw), schema_digest)
    cached = _RECORD_CACHE.get(shown) if remember else None
    if cached is not None and cached[0] == key:
        problems.extend(cached[2])
        return cached[1]
    found: list[Problem] = []
    decision = _record_from_bytes(raw, shown, stem, schema_path, found)
    if remember:
        _RECORD_CACHE[shown] = (key, decision, tuple(found))
    problems.extend(found)
    return decision


def _record_from_bytes(
    raw: bytes, shown: str, stem: str, schema_path: Path, problems: list[Problem]
) -> Decision | None:
    id_problem = _check_id(SourceRef(shown), stem)
    if id_problem:
        problems.append(id_problem)
    parsed = parse_yaml(raw, shown)
    problems.extend(parsed.problems)
    if parsed.data is None:
        return None
    schema_problems = [] if schema_valid(parsed.data, schema_path) else schema_problems_for(
        parsed.data, shown, _validator(str(schema_path)))
    problems.extend(schema_problems)
    if schema_problems or id_problem:
        return None
    return _decision(stem, shown, parsed.data)


def _check_id(where: SourceRef, stem: str) -> Problem | None:
    if stem.lower() in RESERVED_IDS:
        return reading.reserved_id(where, stem)
    if len(stem) > ID_MAX or not ID_PATTERN.match(stem):
        suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:ID_MAX] or "decision"
        return reading.bad_id(where, stem, suggestion, ID_MAX)
    return None


# ---------------------------------------------------------------------------------------------
# Schema errors, in words an officer can act on


def _line(data: LineDict | None) -> int:
    return data.line if data is not None else 0


# jsonschema types these as "a value or Unset"; for a reported error they are always set.
def _value(error: jsonschema.ValidationError) -> Any:
    return error.validator_value


def _schema_of(error: jsonschema.ValidationError) -> Any:
    return error.schema


def _instance(error: jsonschema.ValidationError) -> Any:
    return error.instance


def schema_problems_for(
    data: LineDict, shown: str, validator: jsonschema.Draft7Validator
) -> list[Problem]:
    out: list[Problem] = []
    found = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    # A misspelt required field (`reasns:`) is one mistake: the unknown field's "did you mean"
    # says how to fix it, so "missing required field 'reasons'" is not said as well.
    renamed = {
        _field_name([*e.absolute_path, close])
        for e in found if e.validator == "additionalProperties" and isinstance(e.instance, Mapping)
        for key in e.instance
        if (close := _closest(str(key), sorted(e.schema.get("properties", {}))))
    }
    for error in found:
        if error.validator == "required":
            path = list(error.absolute_path)
            names = re.findall(r"'([^']+)' is a required property", error.message)
            if names and all(_field_name([*path, n]) in renamed for n in names):
                continue
        out.extend(_explain(error, data, shown))
    # One fact, one message: oneOf branches can repeat what a required-field error says.
    seen: set[tuple[str, str]] = set()
    unique = []
    for p in out:
        key = (p.field, p.message)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    unique.sort(key=lambda p: p.where.line)  # in file order, as an editor shows them
    return unique


def _closest(key: str, allowed: list[str]) -> str | None:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _field_name(path: Sequence[Any]) -> str:
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part + 1}]"
        else:
            name += f".{part}" if name else str(part)
    return name


def _line_of(data: Any, path: Sequence[Any]) -> int:
    """The line of the deepest key on `path` that the loader recorded."""
    line = getattr(data, "line", 1)
    node = data
    for part in path:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.lines[part]
            node = node[part]
        else:
            break
    return line


def _explain(error: jsonschema.ValidationError, data: LineDict, shown: str) -> list[Problem]:
    path = list(error.absolute_path)
    field = _field_name(path)
    ref = SourceRef(shown, _line_of(data, path))
    v = error.validator
    inst: Any = error.instance
    if v == "additionalProperties" and isinstance(inst, Mapping):
        allowed = sorted(_schema_of(error).get("properties", {}))
        out = []
        for key in inst:
            if key in allowed:
                continue
            kpath = [*path, key]
            out.append(say.unknown_field(SourceRef(shown, _line_of(data, kpath)), _field_name(kpath),
                                         str(key), _closest(str(key), allowed), allowed))
        return out
    if v == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        out = []
        for name in missing:
            full = _field_name([*path, name])
            why = say.LEGAL_MINIMUM.get(full) if not path else (
                say.LEGAL_MINIMUM["dates"] if full == "dates.decision" else None)
            if full == "call_in.reason":
                out.append(say.missing_call_in_reason(ref, full))
            else:
                out.append(say.missing_field(ref, full, name, why))
        return out
    if v == "type" or (v == "oneOf" and _branch_types(error)):
        want = _value(error) if v == "type" else _branch_types(error)
        return [say.wrong_type(ref, field, [want] if isinstance(want, str) else list(want), inst)]
    if v == "enum":
        return [say.not_one_of(ref, field, list(_value(error)), inst)]
    if v in ("pattern", "format") and _schema_of(error).get("format") == "date" or (
        v == "format" and _value(error) == "date"
    ):
        if isinstance(inst, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", inst):
            return [say.not_a_real_date(ref, field, inst)]
        return [say.not_a_date(ref, field, inst)]
    if v == "pattern":
        return [_pattern_problem(ref, field, _value(error))]
    if v == "minItems":
        return [say.too_few_items(ref, field)]
    if v == "minLength":
        return [say.empty_value(ref, field)]
    if v == "maxLength":
        return [say.too_long(ref, field, len(inst), _value(error))]
    if v in ("minimum", "exclusiveMinimum"):
        return [say.below_minimum(ref, field, v == "minimum", _value(error), inst)]
    if v == "maximum":
        return [say.above_maximum(ref, field, _value(error), inst)]
    if v == "oneOf" and isinstance(inst, Mapping) and "file" in inst and "url" in inst:
        # Both branches match, so jsonschema gives no context to explain.
        return [say.file_and_url(ref, field)]
    if v == "oneOf" and re.search(r"exempt\.paragraph(\[\d+\])?$", field) \
            and not isinstance(inst, list):  # a list is explained item by item
        return [say.bad_paragraph(ref, field)]
    if v == "oneOf" and error.context:
        if field == "alternatives":
            if isinstance(inst, list) and inst == []:
                return [say.no_alternatives(ref, field)]
            if isinstance(inst, str):
                return [say.empty_value(ref, field)]
            if isinstance(inst, list):
                # A list was meant: explain what is wrong inside it, not the text alternative.
                inner = [e for e in error.context if e.schema_path and e.schema_path[0] == 0]
                return [p for e in inner for p in _explain(e, data, shown)]
        if field.endswith("file") is False and {"file", "url"} & set(
            inst if isinstance(inst, Mapping) else ()
        ) and isinstance(inst, Mapping) and "file" in inst and "url" in inst:
            return [say.file_and_url(ref, field)]
        # The branch written for this kind of value says what is wrong inside it: a mapping
        # given where text or a mapping is allowed is explained as a mapping.
        branch = _branch_for(error)
        if branch:
            return [p for e in branch for p in _explain(e, data, shown)]
        # Report the branch that got furthest: errors in a matching-type branch beat type errors.
        best = jsonschema.exceptions.best_match(error.context)
        if best is not None:
            sub = list(best.absolute_path)
            if sub == path and best.validator == "required" and isinstance(inst, Mapping) \
                    and "title" in inst:
                return [say.file_or_url(ref, field)]
            return _explain(best, data, shown)
    return [say.not_valid(ref, field, str(v), _value(error))]


def _pattern_problem(ref: SourceRef, field: str, pattern: Any) -> Problem:
    # A pattern is a regular expression, which tells an officer nothing: say what the field holds.
    if field.endswith("ocids") or re.search(r"ocids\[\d+\]$", field):
        return say.bad_ocid(ref, field)
    if field.endswith("url") or field.endswith(".url"):
        return say.bad_url(ref, field)
    if field.endswith("email"):
        return say.bad_email(ref, field)
    if field.endswith("phone"):
        return say.bad_phone(ref, field)
    if field.endswith("file"):
        return say.bad_file_path(ref, field)
    if field.endswith("cutoff"):
        return say.bad_time(ref, field)
    if field == "ocds_prefix":
        return say.bad_ocds_prefix(ref, field)
    if re.fullmatch(r"terms\[\d+\]\.id", field):
        return say.bad_term_id(ref, field)
    return say.bad_form(ref, field, pattern)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, Mapping) else "null"


def _branch_types(error: jsonschema.ValidationError) -> list[str]:
    """For a oneOf whose every branch declares a type none of which fits: those types."""
    types: list[str] = []
    for branch in _value(error):
        declared = branch.get("type") if isinstance(branch, Mapping) else None
        if not isinstance(declared, str):
            return []
        types.append(declared)
    kind = _json_type(_instance(error))
    if kind in types or (kind == "integer" and "number" in types):
        return []
    return types


def _branch_for(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """The errors of the one oneOf branch whose `type` is the instance's type, if there is one."""
    kind = _json_type(_instance(error))
    for i, branch in enumerate(_value(error)):
        declared = branch.get("type") if isinstance(branch, Mapping) else None
        types = [declared] if isinstance(declared, str) else list(declared or ())
        if kind in types or (kind == "integer" and "number" in types):
            return [e for e in error.context
                    if e.relative_schema_path and e.relative_schema_path[0] == i]
    return []


# ---------------------------------------------------------------------------------------------
# Settings


def _read_settings(root: Path, name: str, problems: list[Problem]) -> LineDict | None:
    path = root / "site-data" / name
    shown = f"site-data/{name}"
    if not path.is_file():
        problems.append(reading.settings_missing(SourceRef(shown)))
        return None
    parsed = parse_yaml(path.read_bytes(), shown, record=False)
    problems.extend(parsed.problems)
    return parsed.data


def _load_authority(root: Path, problems: list[Problem]) -> Authority | None:
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
        _validator(str(AUTHORITY_SCHEMA)))
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
                                _validator(str(GLOSSARY_SCHEMA)))
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


# ---------------------------------------------------------------------------------------------
# Validated dicts -> model


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _t(items: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(items or ())


def _lines(data: Any, prefix: str = "") -> Iterator[tuple[str, int]]:
    if isinstance(data, LineDict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else key
            yield name, data.lines[key]
            yield from _lines(value, name)
    elif isinstance(data, LineList):
        for i, (value, line) in enumerate(zip(data, data.lines, strict=True), start=1):
            name = f"{prefix}[{i}]"
            yield name, line
            yield from _lines(value, name)


def _money(m: Mapping[str, Any] | None) -> Money | None:
    if not m:
        return None
    return Money(float(m["amount"]), m["basis"], m.get("currency", "GBP"))


def _link(item: Any) -> Link:
    if isinstance(item, str):
        return Link(item)
    return Link(item["title"], item.get("file"), item.get("url"))


def _decision(stem: str, shown: str, r: LineDict) -> Decision:
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
        lines=tuple(_lines(r)),
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

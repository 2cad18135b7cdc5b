# This module checks a parsed file against its JSON Schema (generator/schema/, the same files
# editors use) and says what is wrong in words an officer can act on: it decides which message
# (generator/messages/schema.py) each schema error gets, at the line of the field it concerns.
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from generator.messages import schema as say
from generator.problems import Problem, SourceRef
from generator.yamlsource import LineDict, LineList


@lru_cache(maxsize=4)
def validator_for(schema_path: str) -> jsonschema.Draft7Validator:
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


# ---------------------------------------------------------------------------------------------
# Schema errors, in words an officer can act on


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
            out.append(say.unknown_field(SourceRef(shown, _line_of(data, kpath)),
                                         _field_name(kpath), str(key),
                                         _closest(str(key), allowed), allowed))
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

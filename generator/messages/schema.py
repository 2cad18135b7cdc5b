# Messages for what the JSON Schema refuses (generator/schema/), in words an officer can act
# on. jsonschema's own messages quote the value, which may be exempt text, so none of them is
# shown: a value is described by its kind ("text", "a list"), and quoted only where it can be
# nothing but a short word, date or number.
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.messages import did_you_mean
from generator.problems import Problem, SourceRef

# Regs 12 and 13 of SI 2012/2089 name what a record of an executive decision must state.
LEGAL_MINIMUM = {
    "decision": "reg 12/13(a): the record must state the decision",
    "reasons": "reg 12/13(b): the record must state the reasons for the decision",
    "alternatives": "reg 12/13(c): the record must state the alternative options considered "
    "and rejected, or say in words that none were",
    "dates": "reg 12/13(a): the record must state the date of the decision",
}
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "nothing",
}
# How to write each kind of value, for "expected X, got Y" messages.
_TYPE_FIX = {
    "string": "write it as text",
    "integer": "write a whole number in digits",
    "number": "write digits only, without £, commas or words (for example 990930)",
    "boolean": "write true or false",
    "array": "write each item on its own line, starting with '- '",
    "object": "write its fields on the lines below it, indented",
}


def describe(value: Any) -> str:
    """What kind of value this is, in words, without quoting it."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and not value.is_integer():
        return "a number with decimals"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


def _short(value: Any, limit: int) -> str:
    return f"'{value}'" if isinstance(value, str) and len(value) < limit else describe(value)


def unknown_field(where: SourceRef, field: str, key: str, close: str | None,
                  allowed: Iterable[str]) -> Problem:
    hint = (f"did you mean '{close}'?" if close
            else "remove it, or use one of: " + ", ".join(allowed) + ".")
    return Problem(where, field, f"unknown field '{key}'; {hint}")


def missing_field(where: SourceRef, field: str, name: str, why: str | None) -> Problem:
    return Problem(where, field, f"missing required field '{name}'; add it" + (
        f" ({why})." if why else "."))


def missing_call_in_reason(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "missing: say why call-in does not apply (for example 'Urgent: "
                   "delay would harm residents; the Chair of Overview and Scrutiny agreed') or set "
                   "`applies: true`.")


def wrong_type(where: SourceRef, field: str, wants: list[str], value: Any) -> Problem:
    words = " or ".join(_TYPE_WORDS.get(w, w) for w in wants)
    if "string" in wants and isinstance(value, (bool, int, float)):
        fix = "put it in quotes"
    else:
        fix = _TYPE_FIX.get(wants[0], "see the format in generator/schema/")
    return Problem(where, field, f"expected {words}, got {describe(value)}; {fix}.")


def not_one_of(where: SourceRef, field: str, options: list[Any], value: Any) -> Problem:
    hint = did_you_mean(str(value), [str(o) for o in options])
    return Problem(where, field, f"must be one of: {', '.join(str(o) for o in options)} "
                   f"(got {_short(value, 60)}).{hint}")


def not_a_real_date(where: SourceRef, field: str, value: str) -> Problem:
    return Problem(where, field, f"'{value}' is not a real date; check the day and month.")


def not_a_date(where: SourceRef, field: str, value: Any) -> Problem:
    return Problem(where, field, "expected a date written YYYY-MM-DD (for example 2025-12-04), "
                   f"got {_short(value, 40)}.")


def bad_ocid(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "an OCID looks like 'ocds-h6vhtk-0a1b2c' (the publisher prefix, "
                   "then the identifier).")


def bad_url(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "must be a web address starting https:// or http://.")


def bad_email(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "expected an email address such as name@council.gov.uk.")


def bad_phone(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "expected a phone number of digits, spaces and + ( ) -.")


def bad_file_path(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "a file path relative to decisions/, of letters, digits, '.', "
                   "'_', '-', '/' and spaces.")


def bad_time(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "expected a 24-hour time in quotes, such as \"17:00\".")


def bad_ocds_prefix(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "an OCDS publisher prefix looks like 'ocds-a1b2c3': 'ocds-', then "
                   "the 6 letters and digits the Open Contracting Partnership gave the council.")


def bad_term_id(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "use lower-case a-z, 0-9 and single hyphens; the id becomes the "
                   "link glossary/#id.")


def bad_form(where: SourceRef, field: str, pattern: Any) -> Problem:
    return Problem(where, field, f"does not have the expected form ({pattern}).")


def too_few_items(where: SourceRef, field: str) -> Problem:
    why = LEGAL_MINIMUM.get(field)
    return Problem(where, field, "needs at least one item" + (f" ({why})." if why else "."))


def empty_value(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "must not be empty.")


def too_long(where: SourceRef, field: str, length: int, limit: Any) -> Problem:
    return Problem(where, field, f"is too long ({length} characters; at most {limit}).")


def below_minimum(where: SourceRef, field: str, inclusive: bool, bound: Any, value: Any) -> Problem:
    word = "at least" if inclusive else "more than"
    got = value if isinstance(value, (int, float)) else describe(value)
    return Problem(where, field, f"must be {word} {bound} (got {got}).")


def above_maximum(where: SourceRef, field: str, bound: Any, value: Any) -> Problem:
    return Problem(where, field, f"must be at most {bound} (got {value}).")


def file_and_url(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "give either `file` or `url`, not both.")


def file_or_url(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "give `file` (a document beside the records) or `url` (a web "
                   "address).")


def bad_paragraph(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "expected a Schedule 12A paragraph number such as 3 (or 7A), or a "
                   "list of them such as [3, 5].")


def no_alternatives(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "needs at least one option, or a sentence saying why none were "
                   f"considered ({LEGAL_MINIMUM['alternatives']}).")


def not_valid(where: SourceRef, field: str, keyword: str, rule: Any) -> Problem:
    # jsonschema's default message quotes the instance, which may be exempt: only the rule is shown.
    return Problem(where, field, f"is not valid here ({keyword} {rule!r})."[:200])

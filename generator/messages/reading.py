# Messages for a file that cannot be read as a record or a setting: its bytes, its YAML, its
# name (a record's id), and the settings files' own structure. `record` is False for the
# settings in site-data/, which only changes the advice.
from __future__ import annotations

from generator.problems import Problem, SourceRef


# ---------------------------------------------------------------------------------------------
# The file


def unreadable_file(where: SourceRef, reason: str) -> Problem:
    return Problem(where, "", f"cannot be read ({reason}).")


def too_large(where: SourceRef, size: int, limit: int, record: bool) -> Problem:
    fix = ("Move long text into a document and link it under `documents`." if record
           else "Split it or remove what is not needed.")
    return Problem(where, "", f"file is {size:,} bytes; a file may be at most {limit:,} bytes. "
                   + fix)


def empty_file(where: SourceRef, record: bool) -> Problem:
    fix = ("a record needs at least `title`, `decision_maker`, `dates`, `decision`, `reasons` "
           "and `alternatives`." if record else "restore it from the sample in site-data/.")
    return Problem(where, "", f"file is empty; {fix}")


def invalid_utf8(where: SourceRef, byte: int) -> Problem:
    return Problem(where, "", f"invalid UTF-8 at byte {byte}; save the file as UTF-8.")


def reserved_id(where: SourceRef, stem: str) -> Problem:
    return Problem(where, "id", f"'{stem}' is a reserved name; rename the file (for example "
                   f"'{stem}-decision.yaml').")


def bad_id(where: SourceRef, stem: str, suggestion: str, limit: int) -> Problem:
    return Problem(where, "id", f"file name '{stem}' cannot be a record id: use lower-case a-z, "
                   f"0-9 and single hyphens, at most {limit} characters (for example "
                   f"'{suggestion}.yaml').")


# ---------------------------------------------------------------------------------------------
# YAML


def yaml_syntax(where: SourceRef, what: str) -> Problem:
    return Problem(where, "", f"YAML syntax error: {what}. Check the indentation (spaces, not "
                   "tabs) and put text containing ': ' or ' #' in quotes.")


def character_not_allowed(where: SourceRef, name: str) -> Problem:
    return Problem(where, "", f"{name} is not allowed in YAML; delete it and retype the text.")


def not_yaml(where: SourceRef, kind: str) -> Problem:
    return Problem(where, "", f"not readable as YAML ({kind}); remove control characters and "
                   "save as UTF-8.")


def not_a_mapping(where: SourceRef, record: bool) -> Problem:
    what = ("a record must be a mapping of `field: value` lines, starting with `title:`."
            if record else "the file must be a mapping of `field: value` lines, as in the "
            "sample in site-data/.")
    return Problem(where, "", what)


def several_documents(where: SourceRef, record: bool) -> Problem:
    what = "decision" if record else "setting"
    return Problem(where, "", f"several YAML documents in one file; keep one {what} per file and "
                   "remove the `---` line.")


def alias(where: SourceRef, anchor: str) -> Problem:
    return Problem(where, "", f"YAML aliases (*{anchor}) are not allowed; write the value out in "
                   "full.")


def anchor(where: SourceRef, anchor: str) -> Problem:
    return Problem(where, "", f"YAML anchors (&{anchor}) are not allowed; write each value out "
                   "in full.")


def tag(where: SourceRef, tag: str) -> Problem:
    return Problem(where, "", f"YAML tags ({tag}) are not allowed; remove the tag and write a "
                   "plain value.")


def more_structure(where: SourceRef, extra: int) -> Problem:
    return Problem(where, "", f"and {extra:,} more YAML anchors, aliases or tags; remove every "
                   "one of them.")


def too_deep(where: SourceRef, field: str, limit: int) -> Problem:
    return Problem(where, field, f"nested more than {limit} levels deep; flatten it.")


def key_not_plain(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "a key must be a plain word such as `title`.")


def merge_key(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "YAML merge keys (<<) are not allowed; write the fields out in "
                   "full.")


def duplicate_key(where: SourceRef, field: str, key: str, first: int) -> Problem:
    return Problem(where, field, f"duplicate key '{key}' (first on line {first}); keep one of "
                   "them.")


def invisible_character(where: SourceRef, field: str, name: str, at: int) -> Problem:
    # The character is named, never the text around it, which may be exempt.
    return Problem(where, field, f"invisible or bidi control character {name} at character {at} "
                   "of the value; delete it and retype the text.")


def ambiguous_boolean(where: SourceRef, field: str, word: str) -> Problem:
    return Problem(where, field, f"'{word}' is ambiguous in YAML; write true or false (or put it "
                   "in quotes if you mean the word).")


def long_number(where: SourceRef, field: str, limit: int) -> Problem:
    return Problem(where, field, f"a number of more than {limit} digits; check it, or put it in "
                   "quotes if it is a reference rather than a number.")


def number_too_large(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "a number too large to be real; check it, or put it in quotes if "
                   "it is text.")


# ---------------------------------------------------------------------------------------------
# Settings files (site-data/)


def settings_missing(where: SourceRef) -> Problem:
    return Problem(where, "", "is missing; see README.md, 'Settings'.")


def no_exempt_table(where: SourceRef, country: str) -> Problem:
    return Problem(where, "tables", f"has no table for '{country}'; add `tables.{country}` with "
                   "each paragraph's wording.")


def portfolio_entry(where: SourceRef) -> Problem:
    return Problem(where, "portfolios", "each entry needs a `name` (and may give "
                   "`cabinet_member`).")


def decision_maker_entry(where: SourceRef) -> Problem:
    return Problem(where, "decision_makers", "each entry needs `name` and `type` (cabinet, "
                   "cabinet-member, committee or officer).")


def call_in_rule(where: SourceRef, detail: str) -> Problem:
    return Problem(where, "call_in", f"{detail}; correct the call-in rule, as in the sample "
                   "authority.yml.")


def duplicate_term_id(where: SourceRef, field: str, term_id: str, first: int) -> Problem:
    # Each id is a link target (glossary/#id): a second one would be unreachable.
    return Problem(where, field, f"'{term_id}' is also the id of terms[{first}]; ids must be "
                   "unique, so rename one.")


def not_a_list(where: SourceRef, key: str) -> Problem:
    return Problem(where, key, f"expected `{key}:` followed by a list.")


def not_a_name(where: SourceRef, field: str) -> Problem:
    return Problem(where, field, "expected a name, written as text on its own `- ` line.")

# Writing a record as YAML that the strict loader reads back unchanged: keys in the schema's
# order at every level, and every string some YAML reader could take for another type quoted.
# `_write_new` is the one function that puts a record on disk; it never replaces a file, so an
# import cannot overwrite a record an officer has already edited.
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from generator.importer.result import SLUG_MAX

# The record's field order, as in generator/schema/decision.schema.json (a test keeps them equal),
# so imported files read the same way as hand-written ones.
FIELD_ORDER: tuple[str, ...] = (
    "title", "reference", "decision_maker", "decision_type", "status", "key_decision",
    "forward_plan", "portfolio", "wards", "dates", "call_in", "purpose", "decision", "reasons",
    "alternatives", "commissioning", "appendices", "report", "implications", "consultation",
    "implementation", "background_papers", "interests_declared", "dispensations", "contact",
    "meeting", "documents", "import_report",
)
_NESTED_ORDER: dict[str, tuple[str, ...]] = {
    "forward_plan": ("included", "reference", "published", "urgency", "urgency_reason",
                     "agreed_by", "notice_date"),
    "dates": ("decision", "published", "call_in_deadline", "in_force"),
    "call_in": ("applies", "reason", "waived_by", "count", "override_reason", "events"),
    "report": ("title", "report_of", "report_to", "date", "summary"),
    "implications": ("financial", "legal", "risk", "staffing", "equality", "children", "climate",
                     "health", "procurement", "property", "other"),
    "consultation": ("internal", "external"),
    "contact": ("name", "role", "email", "phone"),
    "meeting": ("title", "date", "item", "url"),
}
_ITEM_ORDER: dict[str, tuple[str, ...]] = {
    "alternatives": ("title", "outcome", "description", "reasons", "pros", "cons",
                     "financial_assessment"),
    "appendices": ("title", "exempt", "description", "body", "file", "url"),
    "documents": ("title", "file", "url"),
}
_EXEMPT_ORDER = ("paragraph", "public_interest", "review_date")


def to_yaml(record: dict[str, Any], *, schema_ref: str) -> str:
    """Write a record as YAML that the strict loader reads back unchanged.

    Arguments:
        record: a record as `import_text` makes it (str, bool, int, list and dict values).
        schema_ref: the path from the record's folder to decision.schema.json, for editors.
    """
    body = yaml.dump(record, Dumper=_RecordDumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return f"# yaml-language-server: $schema={schema_ref}\n{body}"


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    """The record with keys in the schema's order, at every level."""
    out: dict[str, Any] = {}
    for key in FIELD_ORDER:
        if key not in record:
            continue
        value = record[key]
        if key in _NESTED_ORDER and isinstance(value, dict):
            value = {k: value[k] for k in _NESTED_ORDER[key] if k in value}
        elif key in _ITEM_ORDER and isinstance(value, list):
            value = [_order_item(key, v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


def _order_item(key: str, item: dict[str, Any]) -> dict[str, Any]:
    ordered = {k: item[k] for k in _ITEM_ORDER[key] if k in item}
    if isinstance(ordered.get("exempt"), dict):
        ordered["exempt"] = {k: ordered["exempt"][k] for k in _EXEMPT_ORDER
                             if k in ordered["exempt"]}
    return ordered


# Plain scalars that some YAML reader would take for something other than text: YAML 1.1
# booleans (including y/n, which PyYAML's dumper leaves bare but our strict loader refuses),
# nulls, numbers in any base or with exponents, sexagesimals ("12:30") and dates.
_AMBIGUOUS = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|"
    r"~|null|Null|NULL|\.inf|\.Inf|\.INF|[-+]\.inf|\.nan|\.NaN|\.NAN|"
    r"[-+]?[0-9][0-9_:.,eE+-]*|[-+]?\.[0-9][0-9_eE+-]*|0[xXoObB][0-9A-Fa-f_]+)$")


class _RecordDumper(yaml.SafeDumper):
    """SafeDumper that never writes anchors or aliases and quotes every ambiguous string."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    tag = "tag:yaml.org,2002:str"
    if "\n" in value:
        return dumper.represent_scalar(tag, value, style="|")
    if not value or _AMBIGUOUS.match(value):
        return dumper.represent_scalar(tag, value, style="'")
    return dumper.represent_scalar(tag, value)


_RecordDumper.add_representer(str, _represent_str)


def _write_new(folder: Path, slug: str, content: str) -> Path:
    """Write to `<slug>.yaml`, or `<slug>-2.yaml`, ... : an existing record is never replaced."""
    n = 1
    while True:
        suffix = "" if n == 1 else f"-{n}"
        base = slug[:SLUG_MAX - len(suffix)].rstrip("-")
        target = folder / f"{base}{suffix}.yaml"
        try:
            with target.open("x", encoding="utf-8", newline="\n") as fh:
                fh.write(content)
            return target
        except FileExistsError:
            n += 1

# This module plans data/, the page documenting the open data: every download, each field of
# the JSON export as its schema (generator/schema/) describes it, the CSV columns, the licence
# and the feeds. The field list is read from the export's schema, so the page cannot fall
# behind what exports.py writes.
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.browse import SITE_FEEDS, browse_kinds
from generator.formats import CSV_COLUMNS, EXPORT_SCHEMA, PUBLISHED_SCHEMA
from generator.labels import ROUTE_WORDS
from generator.model import Project
from generator.ocds import OGL_URL, releasable
from generator.site import Entry, Page

DATA_PATH = "data/index.md"
CSV_COLUMN_WORDS: Mapping[str, str] = {
    "id": "The record's id; the decision's page is decisions/<id>/.",
    "url": "The decision's page.",
    "title": "The decision's title.",
    "reference": "The council's own reference, if any.",
    "decision_maker": "Who took the decision.",
    "decision_type": "cabinet, cabinet-member, committee or officer.",
    "status": "The record's status: proposed, for-determination, approved, called-in, "
              "referred-back, withdrawn or deferred.",
    "key_decision": "yes or no.",
    "portfolios": "Cabinet portfolios, separated by '; '.",
    "wards": "Wards, separated by '; ', or 'all'.",
    "decision_date": "The date of the decision (YYYY-MM-DD).",
    "published": "The date it was published (YYYY-MM-DD), from which call-in is counted.",
    "call_in_status": "The call-in status when the file was built: pending, withdrawn, "
                      "not-subject, open, ended, in-force, called-in, confirmed, referred-back or "
                      "referred-to-council.",
    "call_in_deadline": "The last moment to call it in (ISO 8601 date and time with offset).",
    "in_force": "The day it takes effect if not called in (YYYY-MM-DD).",
    "purpose": "What the decision is for.",
    "decision": "The resolutions, separated by ' | '.",
    "reasons": "The reasons, separated by ' | '.",
    "service": "Commissioning decisions: what is bought or provided.",
    "route": "Commissioning decisions: the procurement route (" + ", ".join(ROUTE_WORDS) + ").",
    "value_amount": "Commissioning decisions: the value in pounds, two decimal places.",
    "value_basis": "annual (a year's value) or total (over the whole term).",
    "contract_start": "Commissioning decisions: when the contract starts (YYYY-MM-DD).",
    "exempt_appendices": "Appendices withheld as exempt information, each with its Schedule 12A "
                         "paragraph, separated by '; '.",
}


@dataclass(frozen=True, slots=True)
class Field:
    """One field of the JSON export, as the data page documents it."""

    path: str
    kind: str
    description: str


def load_export_schema(root: str | Path) -> dict[str, Any]:
    """The JSON Schema of decisions.json, kept beside the record schema in generator/schema/."""
    data: dict[str, Any] = json.loads((Path(root) / EXPORT_SCHEMA).read_text(encoding="utf-8"))
    return data


def schema_fields(schema: Mapping[str, Any], node: Mapping[str, Any] | None = None,
                  prefix: str = "") -> list[Field]:
    """Every field below `node` (default: the whole file), depth first, with dotted paths."""
    node = schema if node is None else node
    out: list[Field] = []
    for name, sub in (node.get("properties") or {}).items():
        path = f"{prefix}{name}"
        target, nullable = _resolve(schema, sub)
        out.append(Field(path, _kind(schema, target, nullable),
                         sub.get("description") or target.get("description", "")))
        if target.get("type") == "object" or "object" in (target.get("type") or ()):
            out.extend(schema_fields(schema, target, f"{path}."))
        elif _is_array(target):
            item, _ = _resolve(schema, target.get("items") or {})
            if item.get("properties") and not (name == "decisions" and not prefix):
                out.extend(schema_fields(schema, item, f"{path}[]."))
    return out


def _is_array(node: Mapping[str, Any]) -> bool:
    t = node.get("type")
    return t == "array" or (isinstance(t, list) and "array" in t)


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> tuple[Mapping[str, Any], bool]:
    """Follow a local $ref and unwrap `anyOf: [X, null]`; say whether null is allowed."""
    nullable = False
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        nullable = len(options) < len(node["anyOf"])
        node = options[0] if len(options) == 1 else node
    if "$ref" in node:
        ref = node["$ref"]
        target: Any = schema
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        node = target
    t = node.get("type")
    if isinstance(t, list) and "null" in t:
        nullable = True
    if "enum" in node and None in node["enum"]:
        nullable = True
    return node, nullable


_TYPE_WORDS = {"string": "text", "integer": "whole number", "number": "number",
               "boolean": "true or false", "object": "object", "array": "list"}


def _kind(schema: Mapping[str, Any], node: Mapping[str, Any], nullable: bool) -> str:
    if "enum" in node:
        words = "one of " + ", ".join(str(v) for v in node["enum"] if v is not None)
    else:
        types = node.get("type")
        t = next((x for x in ([types] if isinstance(types, str) else types or ()) if x != "null"),
                 "object")
        words = {"date": "date (YYYY-MM-DD)",
                 "date-time": "date and time (ISO 8601, with offset)",
                 "uri": "web address"}.get(node.get("format", ""), _TYPE_WORDS.get(t, t))
        if t == "array":
            item, _ = _resolve(schema, node.get("items") or {})
            words = "list of " + ("objects" if item.get("properties") else
                                  _kind(schema, item, False))
        elif t == "object" and isinstance(node.get("additionalProperties"), Mapping):
            words = "object: text by kind"
    return f"{words}, or null" if nullable else words


def plan_data(project: Project, entries: tuple[Entry, ...], as_of: datetime) -> Iterator[Page]:
    """data/: the downloads, their fields and formats, the licence and the feeds."""
    schema = load_export_schema(project.root)
    decision = schema["definitions"]["decision"]
    kinds = browse_kinds(project, entries)
    yield Page(DATA_PATH, "data.md.j2", {
        "file_fields": schema_fields(schema),
        "decision_fields": schema_fields(schema, decision),
        "csv_columns": [(c, CSV_COLUMN_WORDS.get(c, "")) for c in CSV_COLUMNS],
        "site_feeds": SITE_FEEDS,
        "kinds": [k for k in kinds if any(g.feed for g in k.groups)],
        "count": len(entries),
        "releases": sum(1 for _ in releasable(entries, project.authority)),
        "ocds_prefix": project.authority.ocds_prefix,
        "schema_path": PUBLISHED_SCHEMA,
        "licence_url": OGL_URL,
    })

# This module names the data formats that more than one stage needs: the JSON Schemas of
# records, settings and decisions.json, and the columns of decisions.csv (exports.py writes
# them, the "Data and feeds" page describes them). It imports
# nothing from the pipeline, so the exports and the pages that document them can both use it
# without importing each other.
from __future__ import annotations

from pathlib import Path

CSV_COLUMNS = (
    "id", "url", "title", "reference", "decision_maker", "decision_type", "status",
    "key_decision", "portfolios", "wards", "decision_date", "published", "call_in_status",
    "call_in_deadline", "in_force", "purpose", "decision", "reasons", "service", "route",
    "value_amount", "value_basis", "contract_start", "exempt_appendices",
)

# The JSON Schemas ship inside the package, so a council's content repository needs no copy:
# records and settings are checked against the installed generator's own format, and the
# published decisions.json schema is the one the exports were written for.
SCHEMA_DIR = Path(__file__).parent / "schema"
DECISION_SCHEMA = SCHEMA_DIR / "decision.schema.json"
AUTHORITY_SCHEMA = SCHEMA_DIR / "authority.schema.json"
GLOSSARY_SCHEMA = SCHEMA_DIR / "glossary.schema.json"
EXPORT_SCHEMA = SCHEMA_DIR / "decision-export.schema.json"
PUBLISHED_SCHEMA = "schema/decision-export.schema.json"

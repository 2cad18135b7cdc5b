# This module names the published data formats that more than one stage needs: the columns of
# decisions.csv (exports.py writes them, the "Data and feeds" page describes them). It imports
# nothing from the pipeline, so the exports and the pages that document them can both use it
# without importing each other.
from __future__ import annotations

CSV_COLUMNS = (
    "id", "url", "title", "reference", "decision_maker", "decision_type", "status",
    "key_decision", "portfolios", "wards", "decision_date", "published", "call_in_status",
    "call_in_deadline", "in_force", "purpose", "decision", "reasons", "service", "route",
    "value_amount", "value_basis", "contract_start", "exempt_appendices",
)

# This module lists every page planner, in the order their pages are planned. A feature that
# adds pages (browse indexes, registers, review lists) adds its planner here and nowhere else.
from __future__ import annotations

from generator.browse import plan_browse, plan_glossary, plan_register
from generator.datapage import plan_data
from generator.review import plan_review
from generator.search import plan_find
from generator.site import PagePlanner, plan_core
from generator.statement import plan_statement

PLANNERS: tuple[PagePlanner, ...] = (
    plan_core,
    plan_statement,
    plan_review,
    plan_browse,
    plan_register,
    plan_glossary,
    plan_data,
    plan_find,
)

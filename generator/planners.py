# This module lists every page planner, in the order their pages are planned. A feature that
# adds pages (browse indexes, registers, review lists) adds its planner here and nowhere else.
from __future__ import annotations

from generator.site import PagePlanner, plan_core

PLANNERS: tuple[PagePlanner, ...] = (
    plan_core,
)

"""Weights with round numbers and no ageing, so the tests of the recommendation and the exit
report can work their figures out by hand."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from offboard.domain.models import Archetype, Category, RepairOutcome
from offboard.domain.weights import Weights

PLAIN = Weights(
    repair_from=25,
    offboard_from=50,
    severity={1: 2, 2: 6, 3: 12},
    category=dict.fromkeys(Category, 1.0),
    half_life_days=1e12,  # no ageing to speak of: a flag counts its full points
    same_week=0.5,
    pattern_weeks=3,
    pattern_window_days=180,
    pattern_factor=1.5,
    cool_off_days=3,
    rate_per_percent_under=0.5,
    rate_max_percent_under=60,
    rate_per_percent_over=0.25,
    rate_max_percent_over=40,
    unbilled_per_hour=0.2,
    unbilled_max=15,
    repair_outcome={RepairOutcome.IMPROVED: -15, RepairOutcome.NO_CHANGE: 8,
                    RepairOutcome.WORSE: 12},
    repairs_give_up_after=2,
    repairs_give_up=10,
    overdue_grace_days=7,
    overdue_per_invoice=5,
    overdue_per_month=3,
    overdue_max=30,
    archetype={a: 4.0 for a in Archetype if a is not Archetype.ABUSIVE},
    trouble_per_unpaid_hour=0.5,
    trouble_per_unbilled_hour=0.5,
    trouble_per_unpaid_invoice=5,
)  # fmt: skip


def weights(**changes: Any) -> Weights:
    return replace(PLAIN, **changes)

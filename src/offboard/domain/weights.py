"""The weights of the computed recommendation and of the trouble score, as plain values.

They are data, not code: templates/recommendation.toml ships them, each with a comment saying
why, and the user can override any of them (offboard/weights.py reads the files and checks
every value). There are no defaults here on purpose: a second copy of the numbers would drift
from the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .models import Archetype, Category, RepairOutcome


@dataclass(frozen=True)
class Weights:
    # Score thresholds: keep below repair_from, repair below offboard_from, else offboard.
    repair_from: float
    offboard_from: float

    # Red flags. Points per flag by severity (1 minor, 2 serious, 3 severe), times the
    # category's factor, halved every half_life_days of age.
    severity: Mapping[int, float]
    category: Mapping[Category, float]
    half_life_days: float
    # Several flags of one category in one week: the first counts fully, the others this share.
    same_week: float
    # Flags of one category in at least pattern_weeks different weeks within
    # pattern_window_days are a pattern and count pattern_factor times.
    pattern_weeks: int
    pattern_window_days: int
    pattern_factor: float
    # A flag younger than this many days: decide calmly, wait a few days (a note, no points).
    cool_off_days: int

    # The effective rate against the target rate, per percent of the target.
    rate_per_percent_under: float
    rate_max_percent_under: float
    rate_per_percent_over: float
    rate_max_percent_over: float

    # Hours worked beyond what the revenue pays for at the agreed hourly rate.
    unbilled_per_hour: float
    unbilled_max: float

    # Repair attempts, by outcome; and once give_up_after attempts have failed, give_up more.
    repair_outcome: Mapping[RepairOutcome, float]
    repairs_give_up_after: int
    repairs_give_up: float

    # Money overdue by more than overdue_grace_days: per invoice, per full month overdue.
    overdue_grace_days: int
    overdue_per_invoice: float
    overdue_per_month: float
    overdue_max: float

    archetype: Mapping[Archetype, float]

    # The trouble score of the exit report's Pareto view: flag points (severity and
    # category, no ageing: the period is the frame) plus these.
    trouble_per_unpaid_hour: float
    trouble_per_unbilled_hour: float
    trouble_per_unpaid_invoice: float

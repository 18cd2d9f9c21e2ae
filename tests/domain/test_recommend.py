"""The computed recommendation: hand-built cases whose score is worked out in the comments, and
the properties that must hold for any client and any weights the loader accepts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
from insightkit import PLAIN, weights

from offboard.domain.figures import Money
from offboard.domain.fixes import Fix
from offboard.domain.models import (
    Archetype,
    Category,
    Client,
    Contract,
    Decision,
    Invoice,
    RedFlag,
    RepairAttempt,
    RepairOutcome,
)
from offboard.domain.recommend import Recommendation, recommend
from offboard.domain.weights import Weights
from offboard.weights import RULES, build_weights

TODAY = dt.date(2026, 11, 22)
GBP65 = Money(Decimal("65"), "GBP")


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def client(**fields: Any) -> Client:
    fields.setdefault("currency", "GBP")
    return Client("Juniper & Vale", **fields)


def assessed(c: Client, revenue: str | None, hours: str | None) -> Client:
    c.assessment.revenue = None if revenue is None else Decimal(revenue)
    c.assessment.hours = None if hours is None else Decimal(hours)
    return c


def flag(category: Category, severity: int, days_ago: int) -> RedFlag:
    return RedFlag(category, "something happened", ago(days_ago), severity)


def texts(rec: Recommendation) -> dict[str, str]:
    return {r.kind: r.sentence.plain() for r in rec.reasons}


# --- hand-built cases ----------------------------------------------------------------------------


def test_rate_under_target_is_a_sentence_with_its_figures() -> None:
    c = assessed(client(), "4200", "96")  # 43.75 an hour
    rec = recommend(c, TODAY, GBP65, PLAIN)
    # (65 - 43.75) / 65 = 32.69 % under; 0.5 points a percent: 16.35, shown as 16.3
    assert texts(rec)["rate"] == "effective rate 43.75 GBP/h is 33 % under your target of 65 GBP/h"
    assert rec.reasons[0].points == 16.3
    assert rec.score == 16.3
    assert rec.decision is Decision.KEEP
    # No agreed rate in the contract: the unbilled hours cannot be told, and it says so.
    assert [m.kind for m in rec.missing] == ["agreed-rate"]
    assert rec.missing[0].fix is Fix.CONTRACT


def test_a_rate_over_target_takes_points_off_up_to_a_cap() -> None:
    c = assessed(client(), "10000", "100")  # 100 an hour: 53.8 % over, capped at 40
    rec = recommend(c, TODAY, GBP65, PLAIN)
    assert texts(rec)["rate"] == "effective rate 100.00 GBP/h is 54 % over your target of 65 GBP/h"
    assert rec.score == -10.0  # 40 * 0.25


def test_missing_figures_are_said_with_what_to_fill_in_not_guessed() -> None:
    rec = recommend(assessed(client(), "4200", None), TODAY, None, PLAIN)
    kinds = {m.kind: m for m in rec.missing}
    assert set(kinds) == {"assessment", "target-rate"}
    assert "no hours" in kinds["assessment"].sentence.plain()
    assert kinds["assessment"].fix is Fix.ASSESSMENT
    assert "defaults.target_rate" in kinds["target-rate"].sentence.plain()
    assert rec.reasons == () and rec.score == 0 and rec.decision is Decision.KEEP


def test_a_target_in_another_currency_is_not_compared() -> None:
    c = assessed(client(currency="EUR"), "4200", "96")
    rec = recommend(c, TODAY, GBP65, PLAIN)
    assert "rate" not in texts(rec)
    assert rec.missing[0].kind == "target-currency"
    assert rec.missing[0].sentence.plain().startswith("your target rate is set in GBP and this")


def test_unbilled_hours_at_the_agreed_rate() -> None:
    c = assessed(client(contract=Contract(hourly_rate=Decimal("50"))), "2000", "50")
    rec = recommend(c, TODAY, None, PLAIN)
    # 50 hours worked, 2000 pays for 40 at 50 an hour: 10 unbilled, 0.2 points each
    assert texts(rec)["unbilled"] == (
        "10.0 hours unbilled: 50.0 worked, the revenue pays for 40.0 at the agreed 50 GBP/h"
    )
    assert rec.score == 2.0


def test_a_pattern_counts_more_than_one_bad_week() -> None:
    # Three serious payment flags: 6 points each.
    spread = client(flags=[flag(Category.PAYMENT, 2, d) for d in (60, 30, 2)])
    rec = recommend(spread, TODAY, None, PLAIN)
    # Three different weeks within 180 days: a pattern, 18 * 1.5 = 27: repair.
    assert texts(rec)["flags-payment"] == (
        "3 serious payment flags in the last 60 days, in 3 different weeks: "
        "a pattern, not one bad week"
    )
    assert rec.score == 27.0 and rec.decision is Decision.REPAIR

    # 2026-11-16 to 18 (Monday to Wednesday): one week, 6 + 0.5 * (6 + 6) = 12: keep.
    one_week = client(flags=[flag(Category.PAYMENT, 2, d) for d in (6, 5, 4)])
    rec = recommend(one_week, TODAY, None, PLAIN)
    assert (
        texts(rec)["flags-payment"] == "3 serious payment flags in the last 6 days, all in one week"
    )
    assert rec.score == 12.0 and rec.decision is Decision.KEEP


def test_mixed_severities_and_a_single_flag() -> None:
    c = client(flags=[flag(Category.SCOPE, 3, 40), flag(Category.SCOPE, 1, 20),
                      flag(Category.TIME, 2, 9)])  # fmt: skip
    found = texts(recommend(c, TODAY, None, PLAIN))
    assert found["flags-scope"] == "2 scope flags (1 severe, 1 minor) in the last 40 days"
    assert found["flags-time"] == "1 serious time flag 9 days ago"


def test_failed_repairs_say_so_and_point_to_moving_on() -> None:
    attempts = [
        RepairAttempt("weekly call", ago(90), ago(60), RepairOutcome.NO_CHANGE),
        RepairAttempt("deposit first", ago(50), ago(20), RepairOutcome.NO_CHANGE),
    ]
    rec = recommend(client(repairs=attempts), TODAY, None, PLAIN)
    assert texts(rec)["repairs"] == (
        "2 repair attempts, both no change; after 2 failed attempts, time to move on"
    )
    assert rec.score == 26.0  # 8 + 8, and 10 for giving up


def test_a_repair_that_worked_takes_points_off_and_a_running_one_is_a_note() -> None:
    attempts = [
        RepairAttempt("weekly call", ago(90), ago(60), RepairOutcome.IMPROVED),
        RepairAttempt("deposit first", ago(10), ago(-4)),
    ]
    rec = recommend(client(repairs=attempts), TODAY, None, PLAIN)
    assert texts(rec)["repairs"] == "1 repair attempt ended: improved"
    assert rec.score == -15.0
    assert [n.plain() for n in rec.notes] == [
        "1 repair attempt still running, the next review on 2026-11-26"
    ]


def test_overdue_money_after_the_grace_days() -> None:
    late = Invoice("A-1", Decimal("1000.00"), ago(71), ago(41))
    fresh = Invoice("A-2", Decimal("500.00"), ago(20), ago(5))  # within the 7 grace days
    rec = recommend(client(currency="EUR", invoices=[late, fresh]), TODAY, None, PLAIN)
    assert texts(rec)["overdue"] == "1 invoice overdue, 1000.00 EUR in all, by 41 days"
    assert rec.score == 8.0  # 5 for the invoice, 3 for its one full month


def test_everything_together_ranks_the_reasons_and_offboards() -> None:
    c = assessed(client(), "4200", "96")
    c.flags = [flag(Category.PAYMENT, 2, d) for d in (60, 30, 2)]
    c.repairs = [
        RepairAttempt("weekly call", ago(90), ago(60), RepairOutcome.NO_CHANGE),
        RepairAttempt("deposit first", ago(50), ago(20), RepairOutcome.NO_CHANGE),
    ]
    c.archetype = Archetype.NON_PAYER
    rec = recommend(c, TODAY, GBP65, PLAIN)
    # 27 (flags) + 26 (repairs) + 16.3 (rate) + 4 (archetype)
    assert [r.kind for r in rec.reasons] == ["flags-payment", "repairs", "rate", "archetype"]
    assert rec.score == 73.3 and rec.decision is Decision.OFFBOARD and not rec.abuse
    assert rec.notes[0].plain().startswith("the latest flag was logged 2 days ago: decide calmly")


def test_abuse_overrides_the_score() -> None:
    rec = recommend(client(flags=[flag(Category.ABUSE, 1, 10)]), TODAY, None, PLAIN)
    assert rec.score == 2.0 < PLAIN.repair_from
    assert rec.decision is Decision.OFFBOARD and rec.abuse
    assert rec.reasons[0].kind == "abuse"
    assert rec.reasons[0].sentence.plain() == (
        "abuse logged (1 flag, the latest on 2026-11-12): end it quickly, without a referral"
    )
    marked = recommend(client(archetype=Archetype.ABUSIVE), TODAY, None, PLAIN)
    assert marked.decision is Decision.OFFBOARD and marked.abuse
    assert texts(marked)["abuse"] == "marked as abusive: end it quickly, without a referral"


def test_older_flags_count_less() -> None:
    halving = weights(half_life_days=180)
    fresh = recommend(client(flags=[flag(Category.TIME, 2, 0)]), TODAY, None, halving)
    old = recommend(client(flags=[flag(Category.TIME, 2, 180)]), TODAY, None, halving)
    assert (fresh.score, old.score) == (6.0, 3.0)


def test_figures_are_kept_for_scripts() -> None:
    rec = recommend(assessed(client(), "4200", "96"), TODAY, GBP65, PLAIN)
    assert rec.reasons[0].sentence.data() == {
        "rate": "43.75", "rate_currency": "GBP", "percent": "33",
        "target": "65", "target_currency": "GBP",
    }  # fmt: skip


# --- properties ----------------------------------------------------------------------------------

RANK = {Decision.KEEP: 0, Decision.REPAIR: 1, Decision.OFFBOARD: 2}

flags = st.builds(
    flag,
    st.sampled_from(list(Category)),
    st.integers(1, 3),
    st.integers(0, 500),
)
outcomes = st.sampled_from([None, *RepairOutcome])
invoices = st.builds(
    lambda amount, due, paid: Invoice("X", amount, ago(due + 30), ago(due), [], paid),
    st.decimals(Decimal("1"), Decimal("9999"), places=2),
    st.integers(-30, 300),
    st.booleans(),
)


@st.composite
def clients(draw: st.DrawFn, *, with_numbers: bool = False) -> Client:
    c = client(
        currency=draw(st.sampled_from(["GBP", "EUR"])),
        archetype=draw(st.sampled_from([None, *Archetype])),
        flags=draw(st.lists(flags, max_size=8)),
        invoices=draw(st.lists(invoices, max_size=3)),
        repairs=[
            RepairAttempt("x", ago(60), ago(30), o) for o in draw(st.lists(outcomes, max_size=4))
        ],
        contract=Contract(
            hourly_rate=draw(st.none() | st.decimals(Decimal("10"), Decimal("200"), places=2))
        ),
    )
    numbers = st.decimals(Decimal("1"), Decimal("20000"), places=2)
    c.assessment.revenue = draw(numbers if with_numbers else st.none() | numbers)
    c.assessment.hours = draw(st.decimals(Decimal("1"), Decimal("500"), places=1))
    return c


def _value(rule: Any) -> st.SearchStrategy[Any]:
    if rule.whole:
        return st.integers(int(rule.low), int(rule.high))
    return st.floats(rule.low, rule.high, allow_nan=False)


@st.composite
def any_weights(draw: st.DrawFn) -> Weights:
    """The shipped-like weights, or any the loader accepts."""
    if draw(st.booleans()):
        return PLAIN
    values = {key: draw(_value(rule)) for key, rule in RULES.items()}
    low = values["thresholds.repair_from"]
    values["thresholds.offboard_from"] = low + draw(st.floats(0.1, 500, allow_nan=False))
    return build_weights(values, "(test)")


targets = st.none() | st.builds(
    Money, st.decimals(Decimal("10"), Decimal("200"), places=2), st.sampled_from(["GBP", "EUR"])
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(clients(), any_weights(), targets, st.integers(0, 500), st.sampled_from(list(Category)))
def test_a_further_severe_flag_never_makes_keep_more_likely(
    c: Client, w: Weights, target: Money | None, days: int, category: Category
) -> None:
    before = recommend(c, TODAY, target, w)
    c.flags.append(flag(category, 3, days))
    after = recommend(c, TODAY, target, w)
    assert after.score >= before.score
    assert RANK[after.decision] >= RANK[before.decision]


@SETTINGS
@given(
    clients(with_numbers=True),
    any_weights(),
    targets,
    st.decimals(Decimal("0.01"), Decimal("20000"), places=2),
)
def test_a_better_rate_never_makes_offboard_more_likely(
    c: Client, w: Weights, target: Money | None, more: Decimal
) -> None:
    before = recommend(c, TODAY, target, w)
    assert c.assessment.revenue is not None
    c.assessment.revenue += more
    after = recommend(c, TODAY, target, w)
    assert after.score <= before.score
    assert RANK[after.decision] <= RANK[before.decision]


@SETTINGS
@given(clients(), any_weights(), targets, st.integers(1, 3), st.integers(0, 500))
def test_abuse_always_gives_offboard(
    c: Client, w: Weights, target: Money | None, severity: int, days: int
) -> None:
    c.flags.append(flag(Category.ABUSE, severity, days))
    rec = recommend(c, TODAY, target, w)
    assert rec.decision is Decision.OFFBOARD and rec.abuse
    assert rec.reasons[0].kind == "abuse"

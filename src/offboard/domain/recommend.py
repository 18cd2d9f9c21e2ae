"""The computed recommendation: keep, repair or offboard, with the reasons that produced it.

Each input that says something about the account adds points (or, for a good rate or a repair
that worked, takes some off); the points add up to a score, and two thresholds turn the score
into a recommendation. Every reason is a sentence with its figures, so the user can check the
arithmetic and disagree with it. Abuse is the exception: it does not add up, it ends the
account (DOMAIN.md section 5: safety first, no referral).

Where data is missing (no hours, no target rate, no agreed rate) the recommendation says what
to fill in instead of guessing; those inputs then add nothing.

The weights are a `Weights` (templates/recommendation.toml). Two properties hold for any
weights the loader accepts, and the tests check them: a further flag never lowers the score,
and a better rate never raises it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .figures import Figure, Money, Number, Sentence
from .fixes import Fix
from .models import Archetype, Category, Client, Decision, RedFlag, RepairOutcome
from .weights import Weights
from .wording import counted, plural_of

SEVERITY_WORDS = {1: "minor", 2: "serious", 3: "severe"}

# Why an archetype weighs on its own, in a few words (DOMAIN.md section 5).
ARCHETYPE_WHY = {
    Archetype.MICROMANAGER: "working styles this far apart rarely come together",
    Archetype.SCOPE_CREEPER: "extra work without extra pay keeps coming back",
    Archetype.NON_PAYER: "late payment tends to repeat",
    Archetype.ABUSIVE: "end it quickly, without a referral",
    Archetype.OUTGROWN: "the work they need has moved away from yours",
    Archetype.TIME_SINK: "the account eats more hours than it pays for",
}
QUICK_EXIT = "end it quickly, without a referral"


@dataclass(frozen=True)
class Reason:
    """One input's share of the score: `kind` is a stable id for scripts ("rate",
    "flags-payment", "repairs", ...), `points` what it added (negative: took off)."""

    kind: str
    points: float
    sentence: Sentence


@dataclass(frozen=True)
class Missing:
    """Data the recommendation would use but does not have, and where it goes."""

    kind: str
    sentence: Sentence
    fix: Fix | None = None


@dataclass(frozen=True)
class Recommendation:
    decision: Decision
    score: float
    reasons: tuple[Reason, ...]  # what produced the score, biggest share first
    notes: tuple[Sentence, ...]  # context that adds no points (a repair still running)
    missing: tuple[Missing, ...]
    abuse: bool  # abuse decided it, whatever the score
    repair_from: float
    offboard_from: float


def decision_for(score: float, weights: Weights) -> Decision:
    if score >= weights.offboard_from:
        return Decision.OFFBOARD
    if score >= weights.repair_from:
        return Decision.REPAIR
    return Decision.KEEP


def recommend(
    client: Client, today: dt.date, target_rate: Money | None, weights: Weights
) -> Recommendation:
    """The recommendation for `client` on `today`. `target_rate`: the hourly rate the user
    aims for, in the currency it is set in; compared only with a client paying in it."""
    reasons: list[Reason] = []
    notes: list[Sentence] = []
    missing: list[Missing] = []

    abuse = _abuse(client)
    if abuse is not None:
        reasons.append(Reason("abuse", 0.0, abuse))
    reasons.extend(_flag_reasons(client.flags, today, weights))
    notes.extend(_cool_off(client.flags, today, weights))
    reasons.extend(_rate(client, target_rate, weights, missing))
    reasons.extend(_unbilled(client, weights, missing))
    reasons.extend(_repairs(client, weights, notes))
    reasons.extend(_overdue(client, today, weights))
    reasons.extend(_archetype(client, weights))

    score = round(sum(r.points for r in reasons), 1)
    decision = Decision.OFFBOARD if abuse is not None else decision_for(score, weights)
    ordered = sorted(reasons, key=lambda r: (r.kind != "abuse", -abs(r.points)))
    return Recommendation(
        decision,
        score,
        tuple(r for r in ordered if r.points or r.kind in _SHOWN_AT_ZERO),
        tuple(notes),
        tuple(missing),
        abuse is not None,
        weights.repair_from,
        weights.offboard_from,
    )


# Reasons worth showing even when they add nothing: abuse decides without points, and a rate
# exactly on target is worth knowing.
_SHOWN_AT_ZERO = frozenset({"abuse", "rate"})


# --- red flags ---------------------------------------------------------------------------------


def flag_points(flag: RedFlag, weights: Weights) -> float:
    """A flag's weight before ageing and patterns: its severity times its category's factor.
    The exit report's trouble score counts flags with this."""
    return weights.severity.get(flag.severity, 0.0) * weights.category.get(flag.category, 1.0)


def _week(day: dt.date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def category_points(flags: Iterable[RedFlag], today: dt.date, weights: Weights) -> float:
    """The points of one category's flags: each aged (halved every half_life_days), one bad
    week counted as one incident and a bit, and a pattern over several weeks counted more
    (DOMAIN.md section 2: if the same frustration recurs, trust it)."""
    by_week: dict[tuple[int, int], list[float]] = defaultdict(list)
    pattern_weeks: set[tuple[int, int]] = set()
    for f in flags:
        age = max((today - f.on).days, 0)
        aged = flag_points(f, weights) * 0.5 ** (age / weights.half_life_days)
        by_week[_week(f.on)].append(aged)
        if age <= weights.pattern_window_days:
            pattern_weeks.add(_week(f.on))
    total = 0.0
    for points in by_week.values():
        points.sort(reverse=True)
        # The worst flag of the week counts fully, the rest at a share: adding a flag to a
        # week can only add to it, whichever it is.
        total += points[0] + weights.same_week * sum(points[1:])
    if len(pattern_weeks) >= weights.pattern_weeks:
        total *= weights.pattern_factor
    return total


def _flag_reasons(flags: list[RedFlag], today: dt.date, weights: Weights) -> list[Reason]:
    by_category: dict[Category, list[RedFlag]] = defaultdict(list)
    for f in flags:
        by_category[f.category].append(f)
    found = []
    for category, group in by_category.items():
        points = category_points(group, today, weights)
        found.append(Reason(f"flags-{category.value}", round(points, 1), _flags_sentence(
            category, group, today, weights)))  # fmt: skip
    return found


def _flags_sentence(
    category: Category, flags: list[RedFlag], today: dt.date, weights: Weights
) -> Sentence:
    n = len(flags)
    severities = sorted({f.severity for f in flags}, reverse=True)
    if len(severities) == 1:
        what = f"{counted(n, SEVERITY_WORDS[severities[0]] + ' ' + category.value + ' flag')}"
    else:
        parts = ", ".join(
            f"{sum(1 for f in flags if f.severity == s)} {SEVERITY_WORDS[s]}" for s in severities
        )
        what = f"{n} {category.value} flags ({parts})"
    first = min(f.on for f in flags)
    days = max((today - first).days, 0)
    if n == 1:
        when = "today" if days == 0 else f"{counted(days, 'day')} ago"
    else:
        when = f"in the last {counted(max(days, 1), 'day')}"
    weeks = {_week(f.on) for f in flags if (today - f.on).days <= weights.pattern_window_days}
    tail = ""
    if len(weeks) >= weights.pattern_weeks:
        tail = f", in {len(weeks)} different weeks: a pattern, not one bad week"
    elif n > 1 and len({_week(f.on) for f in flags}) == 1:
        tail = ", all in one week"
    return Sentence(f"{what} {when}{tail}", {})


def _cool_off(flags: list[RedFlag], today: dt.date, weights: Weights) -> list[Sentence]:
    if not flags:
        return []
    latest = max(f.on for f in flags)
    days = (today - latest).days
    if days >= weights.cool_off_days:
        return []
    when = "today" if days <= 0 else f"{counted(days, 'day')} ago"
    return [
        Sentence(
            f"the latest flag was logged {when}: decide calmly, after a few days, "
            "not in the heat of one bad meeting"
        )
    ]


def _abuse(client: Client) -> Sentence | None:
    logged = [f for f in client.flags if f.category is Category.ABUSE]
    if logged:
        latest = max(f.on for f in logged)
        return Sentence(
            f"abuse logged ({counted(len(logged), 'flag')}, the latest on {{latest}}): "
            f"{QUICK_EXIT}",
            {"latest": latest},
        )
    if client.archetype is Archetype.ABUSIVE:
        return Sentence(f"marked as abusive: {QUICK_EXIT}")
    return None


# --- money and hours ---------------------------------------------------------------------------


def unbilled_hours(client: Client) -> Decimal | None:
    """Hours worked beyond what the revenue pays for at the agreed hourly rate, from the
    assessment; None when the assessment's hours or revenue or the contract's rate is
    missing."""
    a = client.assessment
    rate = client.contract.hourly_rate
    if a.hours is None or a.revenue is None or not rate:
        return None
    return max(a.hours - a.revenue / rate, Decimal(0)).quantize(Decimal("0.1"))


def _rate(
    client: Client, target: Money | None, weights: Weights, missing: list[Missing]
) -> list[Reason]:
    a = client.assessment
    rate = a.effective_rate()
    if rate is None:
        gaps = [w for w, v in (("revenue", a.revenue), ("hours", a.hours)) if v is None]
        missing.append(
            Missing(
                "assessment",
                Sentence(
                    f"the assessment has no {' or '.join(gaps) or 'hours above zero'}: fill in "
                    "the revenue and the hours spent to weigh the effective rate and the "
                    "unbilled hours"
                ),
                Fix.ASSESSMENT,
            )
        )
    # Said even while the assessment has no figures, so both gaps show at once.
    if target is None or not target.amount:
        missing.append(
            Missing(
                "target-rate",
                Sentence(
                    "no target rate set: set defaults.target_rate in the settings (the hourly "
                    "rate you aim for) to compare the effective rate with it"
                ),
            )
        )
        return []
    if target.currency != client.currency:
        missing.append(
            Missing(
                "target-currency",
                Sentence(
                    "your target rate is set in {target_currency} and this client pays in "
                    "{currency}: the effective rate is not compared with it",
                    {"target_currency": target.currency, "currency": client.currency},
                ),
            )
        )
        return []
    if rate is None:
        return []
    shown_rate = Money(rate, client.currency, per_hour=True)
    shown_target = Money(target.amount, target.currency, per_hour=True)
    percent = (target.amount - rate) / target.amount * 100
    if percent > 0:
        points = (
            min(float(percent), weights.rate_max_percent_under) * weights.rate_per_percent_under
        )
        template = "effective rate {rate} is {percent} % under your target of {target}"
    elif percent < 0:
        over = min(float(-percent), weights.rate_max_percent_over)
        points = -over * weights.rate_per_percent_over
        template = "effective rate {rate} is {percent} % over your target of {target}"
    else:
        points = 0.0
        template = "effective rate {rate} is exactly your target"
    figures: dict[str, Figure] = {
        "rate": shown_rate,
        "percent": Number(abs(percent)),
        "target": shown_target,
    }
    return [Reason("rate", round(points, 1), Sentence(template, figures))]


def _unbilled(client: Client, weights: Weights, missing: list[Missing]) -> list[Reason]:
    a = client.assessment
    if a.hours is None or a.revenue is None:
        return []  # the rate's gap already says so
    if not client.contract.hourly_rate:
        missing.append(
            Missing(
                "agreed-rate",
                Sentence(
                    "no agreed hourly rate in the contract: fill it in to count the hours the "
                    "revenue does not pay for"
                ),
                Fix.CONTRACT,
            )
        )
        return []
    hours = unbilled_hours(client)
    if not hours:
        return []
    points = min(float(hours) * weights.unbilled_per_hour, weights.unbilled_max)
    agreed = Money(client.contract.hourly_rate, client.currency, per_hour=True)
    sentence = Sentence(
        "{unbilled} hours unbilled: {hours} worked, the revenue pays for {paid} at the agreed "
        "{agreed}",
        {
            "unbilled": Number(hours, 1),
            "hours": Number(a.hours, 1),
            "paid": Number(a.hours - hours, 1),
            "agreed": agreed,
        },
    )
    return [Reason("unbilled", round(points, 1), sentence)]


def _overdue(client: Client, today: dt.date, weights: Weights) -> list[Reason]:
    late = [
        (i, (today - i.due).days)
        for i in client.invoices
        if i.outstanding > 0 and (today - i.due).days > weights.overdue_grace_days
    ]
    if not late:
        return []
    raw = sum(weights.overdue_per_invoice + weights.overdue_per_month * (d // 30) for _, d in late)
    total = sum((i.outstanding for i, _ in late), Decimal("0.00"))
    oldest = max(d for _, d in late)
    n = len(late)
    text = (
        f"{counted(n, 'invoice')} overdue, {{total}} in all, "
        + ("by " if n == 1 else "the oldest by ")
        + counted(oldest, "day")
    )
    sentence = Sentence(text, {"total": Money(total, client.currency)})
    return [Reason("overdue", round(min(raw, weights.overdue_max), 1), sentence)]


# --- repairs and archetype ---------------------------------------------------------------------


def _repairs(client: Client, weights: Weights, notes: list[Sentence]) -> list[Reason]:
    running = [r for r in client.repairs if r.open]
    if running:
        soonest = min(r.review for r in running)
        notes.append(
            Sentence(
                f"{counted(len(running), 'repair attempt')} still running, "
                "the next review on {review}",
                {"review": soonest},
            )
        )
    done = [r for r in client.repairs if r.outcome is not None]
    if not done:
        return []
    counts = {o: sum(1 for r in done if r.outcome is o) for o in RepairOutcome}
    points = sum(weights.repair_outcome[o] * n for o, n in counts.items())
    failed = counts[RepairOutcome.NO_CHANGE] + counts[RepairOutcome.WORSE]
    # DOMAIN.md section 3: when attempts keep failing, move on.
    give_up = failed >= weights.repairs_give_up_after
    if give_up:
        points += weights.repairs_give_up
    n = len(done)
    words = {o: o.value.replace("-", " ") for o in RepairOutcome}
    if n == 1:
        outcome = next(o for o in RepairOutcome if counts[o])
        text = f"1 repair attempt ended: {words[outcome]}"
    elif any(counts[o] == n for o in RepairOutcome):
        outcome = next(o for o in RepairOutcome if counts[o] == n)
        every = "both" if n == 2 else "all"
        text = f"{n} repair attempts, {every} {words[outcome]}"
    else:
        text = f"{n} repair attempts: " + ", ".join(
            f"{counts[o]} {words[o]}" for o in RepairOutcome if counts[o]
        )
    if give_up:
        text += f"; after {failed} failed {plural_of(failed, 'attempt')}, time to move on"
    return [Reason("repairs", round(points, 1), Sentence(text))]


def _archetype(client: Client, weights: Weights) -> list[Reason]:
    kind = client.archetype
    if kind is None or kind is Archetype.ABUSIVE:  # abuse is not a matter of points
        return []
    sentence = Sentence(f"marked as {kind.value}: {ARCHETYPE_WHY[kind]}")
    return [Reason("archetype", round(weights.archetype.get(kind, 0.0), 1), sentence)]

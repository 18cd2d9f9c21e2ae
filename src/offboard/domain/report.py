"""The exit report: what happened to the clients over a period, and who caused the trouble.

What counts where (from..to, both days included):
- in scope: clients that existed during the period (came in on or before its last day, and
  were not closed before its first);
- assessed: an assessment saved in the period; repaired: a repair attempt started in it;
  retained and offboarded: closed in the period with that outcome. The day a client closed,
  and the days spent in each stage, come from its history (the moves it records);
- money, per currency and never summed across currencies: earned is the payments dated in the
  period; written off is the unpaid part of written-off invoices issued in the period (the
  model keeps no date of a write-off); still owed is what was open at the period's end;
  refunded is the refunds paid out in the period, in the currency each was agreed in;
- the Pareto view ranks the clients in scope by trouble (domain/trouble.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .models import Category, Client, Decision, Outcome, RepairOutcome, Stage
from .recommend import unbilled_hours
from .trouble import (
    Pareto,
    Trouble,
    category_pareto,
    client_pareto,
    owed_at,
    trouble,
    written_off_in as lost_in,
)
from .weights import Weights

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Counts:
    in_scope: int
    assessed: int
    repaired: int
    retained: int
    offboarded: int


@dataclass(frozen=True)
class Leaver:
    """A client offboarded in the period."""

    client_id: str
    name: str
    archetype: str | None
    reason: str  # the decision's reason, "" when none was recorded
    closed: dt.date
    decided: dt.date  # the day of the decision to offboard, else the day it closed
    flags: dict[Category, int]  # flags logged up to the day it closed, by category
    first_flag: dt.date | None
    lead_days: int | None  # from the first flag to the decision


@dataclass(frozen=True)
class StrategyResult:
    strategy: str  # as first written; attempts are grouped ignoring case and spacing
    tried: int
    improved: int
    no_change: int
    worse: int
    running: int

    @property
    def success_rate(self) -> float | None:
        """Improved out of those with an outcome; None before any has one."""
        ended = self.improved + self.no_change + self.worse
        return self.improved / ended if ended else None


@dataclass(frozen=True)
class StageTime:
    stage: Stage
    stays: int  # stays in the stage that ended in the period
    median_days: float


@dataclass(frozen=True)
class MoneyLine:
    currency: str
    earned: Decimal
    written_off: Decimal
    owed: Decimal
    refunded: Decimal = ZERO  # refunds paid out in the period


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    counts: Counts
    leavers: tuple[Leaver, ...]  # by the day they closed
    archetypes: dict[str, int]  # of the leavers ("none" when not set), most first
    flags_before_exit: dict[Category, int]  # the leavers' flags up to closing, most first
    median_lead_days: float | None
    repairs: tuple[StrategyResult, ...]  # most tried first
    stages: tuple[StageTime, ...]  # in stage order, only stages with a stay
    money: tuple[MoneyLine, ...]  # by currency code
    refunds_recorded: bool  # True: refunds are records (before, the report said "not recorded")
    unbilled_hours: Decimal
    unbilled_unknown: int  # clients in scope whose unbilled hours cannot be told
    troubles: tuple[Trouble, ...]  # the clients in scope, as the Pareto view counts them
    clients: Pareto
    categories: Pareto


# --- the stages a client went through, from its history ----------------------------------------


def stage_path(client: Client) -> list[tuple[dt.date, Stage]]:
    """Each day the client entered a stage, in order: from its history's create and move
    events, and the decision to keep (which closes the case as retained)."""
    path: list[tuple[dt.date, Stage]] = []
    for event in client.history:
        entered: Stage | None = None
        if event.action in ("create", "move"):
            entered = _stage(event.new)
        elif _kept(event.action, event.new):
            entered = Stage.CLOSED
        if entered is not None and (not path or path[-1][1] is not entered):
            path.append((event.at.date(), entered))
    return path


def _kept(action: str, new: object) -> bool:
    """A decision to keep the client: it closes the case as retained."""
    return action == "decide" and isinstance(new, dict) and new.get("decision") == "keep"


def _stage(value: object) -> Stage | None:
    try:
        return Stage(value) if isinstance(value, str) else None
    except ValueError:
        return None


def closed_on(client: Client, path: Sequence[tuple[dt.date, Stage]]) -> dt.date | None:
    """The day a closed client closed: the last time its history shows it entering closed,
    else the decision's day for one retained (imported records may have no history)."""
    if client.stage is not Stage.CLOSED:
        return None
    for day, stage in reversed(path):
        if stage is Stage.CLOSED:
            return day
    if client.decision is not None:
        return client.decision.on
    return None


def _started_on(client: Client, path: Sequence[tuple[dt.date, Stage]]) -> dt.date | None:
    days = [d for d in (client.created, path[0][0] if path else None) if d is not None]
    return min(days) if days else None


# --- the report --------------------------------------------------------------------------------


def exit_report(
    clients: Iterable[Client], start: dt.date, end: dt.date, today: dt.date, weights: Weights
) -> Report:
    """The report over `start`..`end` (both included). `today` bounds the period: a period
    running past today is reported up to today."""
    end = min(end, today)
    in_period = _Period(start, end)
    scope: list[Client] = []
    leavers: list[Leaver] = []
    counts = Counter[str]()
    stays: dict[Stage, list[int]] = defaultdict(list)
    money: dict[str, list[Decimal]] = {}
    for c in clients:
        path = stage_path(c)
        _money(c, in_period, money)
        began, closed = _started_on(c, path), closed_on(c, path)
        if (began is not None and began > end) or (closed is not None and closed < start):
            continue
        scope.append(c)
        for (entered, stage), (left, _) in itertools.pairwise(path):
            if stage is not Stage.CLOSED and in_period(left):
                stays[stage].append((left - entered).days)
        if in_period(c.assessment.on) or any(
            e.action == "assess" and in_period(e.at.date()) for e in c.history
        ):
            counts["assessed"] += 1
        if any(in_period(r.started) for r in c.repairs):
            counts["repaired"] += 1
        if closed is not None and in_period(closed) and c.outcome is not None:
            counts[c.outcome.value] += 1
            if c.outcome is Outcome.OFFBOARDED:
                leavers.append(_leaver(c, closed))

    troubles = tuple(trouble(c, start, end, weights) for c in scope)
    unbilled = [unbilled_hours(c) for c in scope]
    leavers.sort(key=lambda x: (x.closed, x.name.casefold()))
    flags_before: Counter[Category] = Counter()
    for leaver in leavers:
        flags_before.update(leaver.flags)
    leads = [x.lead_days for x in leavers if x.lead_days is not None]
    return Report(
        start=start,
        end=end,
        counts=Counts(
            len(scope),
            counts["assessed"],
            counts["repaired"],
            counts[Outcome.RETAINED.value],
            counts[Outcome.OFFBOARDED.value],
        ),
        leavers=tuple(leavers),
        archetypes=dict(Counter(x.archetype or "none" for x in leavers).most_common()),
        flags_before_exit=dict(flags_before.most_common()),
        median_lead_days=float(statistics.median(leads)) if leads else None,
        repairs=_strategies(scope, in_period),
        stages=tuple(
            StageTime(s, len(stays[s]), float(statistics.median(stays[s])))
            for s in Stage
            if stays.get(s)
        ),
        money=tuple(MoneyLine(cur, *money[cur]) for cur in sorted(money)),
        refunds_recorded=True,
        unbilled_hours=sum((u for u in unbilled if u is not None), Decimal("0.0")),
        unbilled_unknown=sum(1 for u in unbilled if u is None),
        troubles=troubles,
        clients=client_pareto(troubles),
        categories=category_pareto(troubles),
    )


class _Period:
    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start, self.end = start, end

    def __call__(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def _money(client: Client, in_period: _Period, money: dict[str, list[Decimal]]) -> None:
    """Add the client's earned, written off and owed to its currency's line, and each refund
    paid out in the period to the line of the refund's currency."""
    for refund in client.refunds:
        if in_period(refund.paid_out):
            money.setdefault(refund.currency, [ZERO, ZERO, ZERO, ZERO])[3] += refund.amount
    if not client.invoices:
        return
    earned = sum((p.amount for i in client.invoices for p in i.payments if in_period(p.on)), ZERO)
    lost = sum((lost_in(i, in_period.start, in_period.end) for i in client.invoices), ZERO)
    owed = sum((owed_at(i, in_period.end) for i in client.invoices), ZERO)
    if not (earned or lost or owed):
        return
    line = money.setdefault(client.currency, [ZERO, ZERO, ZERO, ZERO])
    line[0] += earned
    line[1] += lost
    line[2] += owed


def _leaver(client: Client, closed: dt.date) -> Leaver:
    d = client.decision
    decided = d.on if d is not None and d.decision is Decision.OFFBOARD else closed
    before = [f for f in client.flags if f.on <= closed]
    first = min((f.on for f in before), default=None)
    return Leaver(
        client.id,
        client.name,
        client.archetype.value if client.archetype else None,
        d.reason if d is not None and d.decision is Decision.OFFBOARD else "",
        closed,
        decided,
        dict(Counter(f.category for f in before)),
        first,
        max((decided - first).days, 0) if first is not None else None,
    )


def _strategies(clients: Sequence[Client], in_period: _Period) -> tuple[StrategyResult, ...]:
    groups: dict[str, list[RepairOutcome | None]] = defaultdict(list)
    names: dict[str, str] = {}
    for c in clients:
        for r in c.repairs:
            if in_period(r.started):
                key = " ".join(r.strategy.split()).casefold()
                names.setdefault(key, " ".join(r.strategy.split()))
                groups[key].append(r.outcome)
    results = [
        StrategyResult(
            names[key],
            len(outcomes),
            outcomes.count(RepairOutcome.IMPROVED),
            outcomes.count(RepairOutcome.NO_CHANGE),
            outcomes.count(RepairOutcome.WORSE),
            outcomes.count(None),
        )
        for key, outcomes in groups.items()
    ]
    return tuple(sorted(results, key=lambda r: (-r.tried, r.strategy.casefold())))

"""The trouble score and the Pareto view of the exit report (DOMAIN.md section 1: a small share
of clients causes most of the trouble and unpaid hours; make that share visible).

A client's trouble over a period, in points (the weights are templates/recommendation.toml's):
- its red flags dated in the period: severity points times the category's factor, not aged
  (the period is the frame) and without the recommendation's patterns;
- the money it left unpaid (still owed and past its due date at the period's end, or written
  off on invoices of the period; money owed but not yet due is no trouble), as the hours of
  work that money stands for at the client's agreed hourly rate, else its effective rate; an
  unpaid invoice with no rate to weigh it by counts a flat amount;
- the hours it took beyond what its revenue pays for.
Money becomes hours so that clients paying in different currencies can be ranked together
without an exchange rate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .models import Category, Client, Invoice
from .recommend import flag_points, unbilled_hours
from .weights import Weights

VITAL_SHARE = 0.8  # "80 % of the trouble"


@dataclass(frozen=True)
class Trouble:
    client_id: str
    name: str
    flags: int  # how many flags in the period
    flag_points: float
    by_category: dict[Category, float]
    unpaid: dict[str, Decimal]  # currency -> amount overdue at the end or written off
    unpaid_hours: Decimal  # the unpaid money in hours of work
    unweighed_invoices: int  # unpaid invoices with no rate to turn into hours
    unbilled_hours: Decimal
    points: float


@dataclass(frozen=True)
class Ranked:
    """One row of a Pareto table: a client or a category, by its share of the whole."""

    key: str  # client id, or category value
    label: str
    points: float
    share: float  # of all the trouble, 0-1
    cumulative: float  # this row's and every row above it, 0-1
    vital: bool  # among the few that make VITAL_SHARE of it


@dataclass(frozen=True)
class Pareto:
    rows: tuple[Ranked, ...]  # only those with any trouble, most first
    total: float
    vital_few: int  # how many rows make VITAL_SHARE of the total
    out_of: int  # how many there are in all, troubled or not
    share: float | None  # vital_few / out_of; None when there is no trouble at all


def owed_at(invoice: Invoice, day: dt.date) -> Decimal:
    """What was still open on `invoice` at the end of `day` (nothing if it was written off:
    the model keeps no date for a write-off, so a written-off invoice counts as lost, not
    owed)."""
    if invoice.issued > day or invoice.written_off:
        return Decimal("0.00")
    paid = sum((p.amount for p in invoice.payments if p.on <= day), Decimal("0.00"))
    return max(invoice.amount - paid, Decimal("0.00"))


def written_off_in(invoice: Invoice, start: dt.date, end: dt.date) -> Decimal:
    """The unpaid part of a written-off invoice issued in the period (dated by its issue:
    the model keeps no date for the write-off itself)."""
    if not invoice.written_off or not start <= invoice.issued <= end:
        return Decimal("0.00")
    return max(invoice.amount - invoice.paid, Decimal("0.00"))


def _hourly(client: Client) -> Decimal | None:
    return client.contract.hourly_rate or client.assessment.effective_rate() or None


def trouble(client: Client, start: dt.date, end: dt.date, weights: Weights) -> Trouble:
    by_category: dict[Category, float] = defaultdict(float)
    count = 0
    for f in client.flags:
        if start <= f.on <= end:
            by_category[f.category] += flag_points(f, weights)
            count += 1
    flag_total = sum(by_category.values())

    unpaid = Decimal("0.00")
    unpaid_invoices = 0
    for inv in client.invoices:
        late = owed_at(inv, end) if inv.due < end else Decimal("0.00")
        lost = late + written_off_in(inv, start, end)
        if lost:
            unpaid += lost
            unpaid_invoices += 1
    rate = _hourly(client)
    hours = (unpaid / rate).quantize(Decimal("0.1")) if rate and unpaid else Decimal("0.0")
    unweighed = unpaid_invoices if unpaid and not rate else 0
    unbilled = unbilled_hours(client) or Decimal("0.0")

    points = (
        flag_total
        + float(hours) * weights.trouble_per_unpaid_hour
        + unweighed * weights.trouble_per_unpaid_invoice
        + float(unbilled) * weights.trouble_per_unbilled_hour
    )
    return Trouble(
        client.id,
        client.name,
        count,
        round(flag_total, 1),
        dict(by_category),
        {client.currency: unpaid} if unpaid else {},
        hours,
        unweighed,
        unbilled,
        round(points, 1),
    )


def pareto(items: Iterable[tuple[str, str, float]], out_of: int) -> Pareto:
    """Rank (key, label, points) by points, most first (ties by label), with each row's
    share and running share, and how few rows make VITAL_SHARE of the whole."""
    troubled = sorted((i for i in items if i[2] > 0), key=lambda i: (-i[2], i[1].casefold()))
    total = sum(p for _, _, p in troubled)
    rows: list[Ranked] = []
    running = 0.0
    vital_few = 0
    for key, label, points in troubled:
        before = running
        running += points
        # A row is vital while the rows above it have not reached the share yet.
        vital = before < VITAL_SHARE * total - 1e-9
        vital_few += vital
        rows.append(Ranked(key, label, round(points, 1), points / total,
                           min(running / total, 1.0), vital))  # fmt: skip
    share = vital_few / out_of if total and out_of else None
    return Pareto(tuple(rows), round(total, 1), vital_few, out_of, share)


def client_pareto(troubles: Sequence[Trouble]) -> Pareto:
    return pareto(((t.client_id, t.name, t.points) for t in troubles), len(troubles))


def category_pareto(troubles: Sequence[Trouble]) -> Pareto:
    """The same by red-flag category: which few categories make most of the flag points."""
    points: dict[Category, float] = defaultdict(float)
    for t in troubles:
        for category, p in t.by_category.items():
            points[category] += p
    return pareto(((c.value, c.value, p) for c, p in points.items()), len(points))

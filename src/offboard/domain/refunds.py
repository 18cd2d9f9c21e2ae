"""Refunds: the amount a refund could fairly be, the day one is due, and reading one back.

The suggestion is the paid work not delivered: what the client paid (payments on invoices not
written off) times the share, by value, of the deliverables still open. It is only offered
when the records say it: with no payment, no deliverable, or a deliverable without a value,
it says what to fill in rather than guessing. Money in different currencies is never mixed:
payments and deliverable values are in the client's currency, so a refund in any other
currency gets no suggestion.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import reader as rules, validate
from .errors import InvalidInput
from .figures import Money, Sentence
from .fixes import Fix
from .ids import new_id
from .models import Client, Refund
from .reader import Reader
from .wording import counted, plural_of

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# A contract without its own payment terms: the two weeks offboard ships as its default
# (the domain does not read the user's config, see `due`).
DEFAULT_TERMS_DAYS = 14


@dataclass(frozen=True)
class Suggestion:
    """A refund amount worked out from the records, or why there is none.

    `amount` is None when the records cannot say (then `fix` points at what to fill in);
    0.00 when they say nothing is owed back. `why` explains the figure either way."""

    amount: Decimal | None
    currency: str
    why: Sentence
    fix: Fix | None = None


def paid_total(client: Client) -> Decimal:
    """What the client paid, on invoices not written off (in the client's currency)."""
    return sum((p.amount for i in client.invoices if not i.written_off for p in i.payments), ZERO)


def suggest(client: Client, currency: str | None = None, excluding: str = "") -> Suggestion:
    """The refund the records suggest, in `currency` (default the client's). Refunds already
    recorded in that currency are taken off, except the one with id `excluding` (the refund
    being edited)."""
    cur = currency or client.currency
    if cur != client.currency:
        text = (
            f"payments and deliverable values are in {client.currency}: a refund in {cur} "
            "cannot be worked out from them"
        )
        return Suggestion(None, cur, Sentence(text))
    paid = paid_total(client)
    if not paid:
        text = "nothing has been paid on the invoices, so there is nothing to refund"
        return Suggestion(None, cur, Sentence(text))
    items = client.deliverables
    if not items:
        text = (
            "no deliverables are recorded: record what was promised, with its value, to "
            "work out the share not delivered"
        )
        return Suggestion(None, cur, Sentence(text), Fix.DELIVERABLE_VALUE)
    unvalued = [d.title for d in items if d.value is None]
    if unvalued:
        noun = plural_of(len(unvalued), "deliverable")
        text = f"give the value of every deliverable first; no value yet for the {noun} " + (
            ", ".join(f"'{_literal(t)}'" for t in unvalued)
        )
        return Suggestion(None, cur, Sentence(text), Fix.DELIVERABLE_VALUE)
    total = sum((d.value for d in items if d.value is not None), ZERO)
    if not total:
        text = "the deliverables' values add up to nothing: give each what it is worth"
        return Suggestion(None, cur, Sentence(text), Fix.DELIVERABLE_VALUE)
    open_items = [d for d in items if not d.done]
    undelivered = sum((d.value for d in open_items if d.value is not None), ZERO)
    share = (paid * undelivered / total).quantize(CENT, rounding=ROUND_HALF_UP)
    already = sum(
        (r.amount for r in client.refunds if r.currency == cur and r.id != excluding), ZERO
    )
    figures: dict[str, Any] = {
        "paid": Money(paid, cur),
        "open": Money(undelivered, cur),
        "total": Money(total, cur),
        "share": Money(share, cur),
    }
    if not open_items:
        text = f"every deliverable is delivered ({counted(len(items), 'deliverable')}): nothing"
        return Suggestion(ZERO, cur, Sentence(text + " to refund", figures))
    text = (
        "{paid} paid × {open} not delivered of {total} in "
        f"{counted(len(items), 'deliverable')} = {{share}}"
    )
    if not already:
        return Suggestion(share, cur, Sentence(text, figures))
    figures["already"] = Money(already, cur)
    amount = max(share - already, ZERO)
    figures["amount"] = Money(amount, cur)
    return Suggestion(amount, cur, Sentence(text + ", less {already} already agreed", figures))


def _literal(text: str) -> str:
    """User text inside a Sentence's template, which str.format reads: braces kept as typed."""
    return text.replace("{", "{{").replace("}", "}}")


def due(refund: Refund, client: Client) -> dt.date:
    """The day a refund should be paid out by: the day it was agreed plus the client's
    payment terms. Money owed back is held to the terms the client is held to; the agenda
    counts down to this day and the refund letter promises it, so the two never disagree.
    A contract without its own terms counts DEFAULT_TERMS_DAYS."""
    terms = client.contract.payment_terms_days
    days = DEFAULT_TERMS_DAYS if terms is None else terms
    return refund.on + dt.timedelta(days=days)


def open_refunds(client: Client) -> list[Refund]:
    """Refunds agreed and not paid out yet, in the order they were recorded."""
    return [r for r in client.refunds if r.open]


def for_letter(client: Client) -> Refund | None:
    """The refund a letter is about: the latest agreed one not paid out yet, else the latest."""
    pool = open_refunds(client) or client.refunds
    if not pool:
        return None
    # The latest agreed; of two agreed the same day, the one recorded last.
    return max(enumerate(pool), key=lambda pair: (pair[1].on, pair[0]))[1]


# --- reading a stored refund (codec.py reads every other record with the same Reader) ---------

_AMOUNT = rules.positive_amount("the refund")
_CURRENCY = rules.named(lambda v, what: validate.currency(v), "the refund's currency")
_AGREED = rules.date("the refund date")
_REASON = rules.line("the refund's reason")
_PAID_OUT = rules.opt_date("the payout date")
_ID = rules.named(validate.record_id, "id")


def read_refund(r: Reader, d: dict[str, Any], client_currency: str = "EUR") -> Refund:
    """A stored or imported refund, read with the Reader's tolerance: one without an amount
    or an agreed day is left out (Drop); anything else wrong is noted and the money kept."""
    refund = Refund(
        amount=r.field(d, "amount", _AMOUNT, required=True),
        # Absent only in a hand-written file: the client's own currency is what it meant.
        currency=r.field(d, "currency", _CURRENCY, client_currency),
        on=r.field(d, "on", _AGREED, required=True),
        # An unreadable reason keeps its readable part; the money is what must not be lost.
        reason=r.field(d, "reason", _REASON, "", salvage=True),
        paid_out=r.field(d, "paid_out", _PAID_OUT),
    )
    if not refund.reason and d.get("reason") is None:
        r.note("reason", "a refund needs its reason")
    if d.get("id") is None:
        r.note("id", "is missing")
    refund.id = r.field(d, "id", _ID) or new_id()
    if refund.paid_out is not None:
        paid_out = refund.paid_out
        r.check("paid_out", lambda: validate.paid_after_agreed(refund.on, paid_out))
    return refund


def read_refunds(r: Reader, client: dict[str, Any]) -> list[Refund]:
    """A stored client's refunds: none in files from before they were kept; one without a
    currency meant the client's."""
    try:
        currency = validate.currency(client.get("currency", "EUR"))
    except InvalidInput:
        currency = "EUR"
    return r.records(client, "refunds", functools.partial(read_refund, client_currency=currency))

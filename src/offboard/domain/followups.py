"""Follow-ups: a dated reminder to chase something still owed, most often an unpaid invoice.

The collection procedure DOMAIN.md asks for is a reminder and then, if nothing happens, a
chase: when a payment reminder goes out for an invoice already overdue, a follow-up a fixed
number of working days later is added for it (`chases`). Whether a follow-up is still a
deadline is computed, never stored: one that is done, or that chases an invoice since paid in
full or written off, is not (`pending`). Nothing changes on the record when the money comes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import reader as rules, validate
from .errors import InvalidInput, NotFound
from .ids import new_id
from .models import Client, FollowUp, Invoice
from .notice import add_business_days
from .reader import Reader
from .workdays import Holidays

# How many working days after a payment reminder the invoice is chased if still unpaid.
CHASE_WORKING_DAYS = 7
# The letter that starts the chase: the friendly reminder about open invoices.
CHASE_AFTER_TEMPLATE = "payment-reminder"
WHAT = "the follow-up's subject"
WHEN = "the follow-up date"


def chase_text(number: str) -> str:
    """What an automatic follow-up says it is about."""
    return f"Chase invoice {number} if still unpaid"


def invoice_of(item: FollowUp, client: Client) -> Invoice | None:
    """The invoice a follow-up chases; None when it chases none or the invoice is gone."""
    if item.invoice is None:
        return None
    return next((i for i in client.invoices if i.id == item.invoice), None)


def chased_invoice(client: Client, ref: str) -> Invoice:
    """The invoice a new follow-up is to chase: `ref` is its number (any case) or its id.
    Raises NotFound (no such invoice) and InvalidInput (one settled: nothing to chase)."""
    text = ref.strip()
    found = next(
        (i for i in client.invoices if text.casefold() in (i.number.casefold(), i.id)), None
    )
    if found is None:
        owed = [i.number for i in client.invoices if not i.settled]
        hint = f"unpaid: {', '.join(owed)}" if owed else "none of its invoices is unpaid"
        raise NotFound(f"no invoice matches {text!r}", hint)
    if found.settled:
        raise InvalidInput(
            f"invoice {found.number} is settled: there is nothing to chase",
            "leave out the invoice to follow up on something else",
        )
    return found


def open_follow_ups(client: Client) -> list[FollowUp]:
    """Follow-ups not done yet, in the order they were recorded."""
    return [f for f in client.follow_ups if f.open]


def pending(item: FollowUp, client: Client) -> bool:
    """Whether a follow-up is still a deadline: not done, and not chasing an invoice that is
    settled now (paid in full or written off). One whose invoice was deleted stays pending:
    the reminder is the user's until they say it is done."""
    if not item.open:
        return False
    invoice = invoice_of(item, client)
    return invoice is None or not invoice.settled


def chases(client: Client, sent_on: dt.date, holidays: Holidays = ()) -> list[FollowUp]:
    """The follow-ups a payment reminder sent on `sent_on` starts: one for each invoice
    overdue and unpaid that day with no open follow-up chasing it yet, CHASE_WORKING_DAYS
    working days later (counted with `holidays`). Not added to the client."""
    chased = {f.invoice for f in open_follow_ups(client) if f.invoice is not None}
    when = add_business_days(sent_on, CHASE_WORKING_DAYS, holidays)
    return [
        FollowUp(when, chase_text(i.number), i.id)
        for i in client.invoices
        if i.outstanding > 0 and i.due < sent_on and i.id not in chased
    ]


def added(before: Client, after: Client) -> list[FollowUp]:
    """The follow-ups `after` holds that `before` (the same client, earlier) did not: what a
    change such as recording a payment reminder added, for the front ends to say."""
    known = {f.id for f in before.follow_ups}
    return [f for f in after.follow_ups if f.id not in known]


# --- reading a stored follow-up (codec.py reads every other record with the same Reader) -----

_ON = rules.date(WHEN)
_ABOUT = rules.required_line(WHAT)
_INVOICE = rules.named(
    lambda v, what: None if v is None else validate.record_id(v, what), "the invoice it chases"
)
_DONE = rules.opt_date("the day it was done")
_ID = rules.named(validate.record_id, "id")


def read_follow_up(r: Reader, d: dict[str, Any]) -> FollowUp:
    """A stored or imported follow-up, read as a deliverable is: one without a date or a
    readable subject is left out (Drop) and named; anything else wrong is noted."""
    item = FollowUp(
        on=r.field(d, "on", _ON, required=True),
        about=r.field(d, "about", _ABOUT, required=True),
        invoice=r.field(d, "invoice", _INVOICE),
        done_on=r.field(d, "done_on", _DONE),
    )
    if d.get("id") is None:
        r.note("id", "is missing")
    item.id = r.field(d, "id", _ID) or new_id()
    return item


def read_follow_ups(r: Reader, client: dict[str, Any]) -> list[FollowUp]:
    """A stored client's follow-ups: none in files from before they were kept."""
    return r.records(client, "follow_ups", read_follow_up)

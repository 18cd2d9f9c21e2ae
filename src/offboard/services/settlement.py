"""What is handed over and what is owed: deliverables, handover items, invoices, payments,
refunds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .. import formats
from ..domain import refunds, validate as v
from ..domain.errors import (
    InvalidInput,
)
from ..domain.fixes import Fix
from ..domain.models import (
    Client,
    Deliverable,
    HandoverItem,
    HandoverKind,
    HandoverStatus,
    Invoice,
    Payment,
    Refund,
)
from ..domain.refunds import Suggestion
from ..domain.validate import choice
from .core import Change, ServiceCore, find_item, the_open_one


class SettlementServices(ServiceCore):
    """What is handed over and what is owed: deliverables, handover, invoices."""

    def add_deliverable(
        self,
        ref: str,
        title: str,
        due: dt.date | None = None,
        expected_rev: int | None = None,
        *,
        value: str | Decimal | None = None,
    ) -> Client:
        """Add something still owed to the client; `value`, what it is worth in the client's
        currency, lets a refund be suggested. Raises InvalidInput, NotFound, StaleEdit."""
        text = v.one_line(title, "the title")
        if not text:
            raise InvalidInput("a deliverable needs a title")
        typed_due = due
        due = self._opt_day(due, "the due date")
        item = Deliverable(text, due)

        def change(c: Client) -> Change:
            item.due = self._for_client(typed_due, due, "the due date", c)
            item.value = self._opt_amount(value, "the deliverable's value", c.locale)
            c.deliverables.append(item)
            worth = f", worth {item.value} {c.currency}" if item.value is not None else ""
            return (
                f"deliverable: {item.title}" + (f", due {item.due}" if item.due else "") + worth,
                None,
                item.to_dict(),
            )

        return self._change(ref, "deliverable", change, expected_rev)

    def set_deliverable_done(
        self, ref: str, which: str, done: bool = True, expected_rev: int | None = None
    ) -> Client:
        def change(c: Client) -> Change:
            item = find_item(c.deliverables, which, lambda d: d.title, "deliverable")
            old, item.done = item.done, done
            if done != old:  # ticking it again keeps the day it was first done
                item.done_on = self.clock.today() if done else None
            return f"deliverable '{item.title}' {'done' if done else 'reopened'}", old, done

        return self._change(ref, "deliverable-done", change, expected_rev)

    def add_handover_item(
        self,
        ref: str,
        kind: str,
        label: str,
        status: str = "pending",
        expected_rev: int | None = None,
    ) -> Client:
        if not isinstance(label, str) or not label.strip():
            raise InvalidInput("a handover item needs a label", "name it, never paste a secret")
        item = HandoverItem(
            kind=choice(HandoverKind, kind, "handover kind"),
            label=v.handover_label(label),
            status=choice(HandoverStatus, status, "handover status"),
        )
        if item.settled:
            item.on = self.clock.today()

        def change(c: Client) -> Change:
            c.handover.append(item)
            return f"handover item ({item.kind.value}): {item.label}", None, item.to_dict()

        return self._change(ref, "handover", change, expected_rev)

    def set_handover_status(
        self, ref: str, which: str, status: str, expected_rev: int | None = None
    ) -> Client:
        new_status = choice(HandoverStatus, status, "handover status")

        def change(c: Client) -> Change:
            item = find_item(c.handover, which, lambda h: h.label, "handover item")
            old = item.status.value
            item.status = new_status
            item.on = self.clock.today() if item.settled else None
            return f"handover '{item.label}': {new_status.value}", old, new_status.value

        return self._change(ref, "handover-status", change, expected_rev)

    def add_invoice(
        self,
        ref: str,
        number: str,
        amount: str | Decimal,
        *,
        issued: dt.date | None = None,
        due: dt.date | None = None,
        final: bool = False,
        expected_rev: int | None = None,
    ) -> Client:
        label = v.one_line(number, "the invoice number", max_len=64)
        if not label:
            raise InvalidInput("an invoice needs a number")
        issue_day = self._day(issued, "the invoice date")
        due_given = self._opt_day(due, "the due date")

        def change(c: Client) -> Change:
            value = self._amount(amount, "the invoice amount", c.locale, positive=True)
            v.new_invoice_number(label, c)
            terms = c.contract.payment_terms_days
            days = self.config.payment_terms_days if terms is None else terms
            given = self._for_client(due, due_given, "the due date", c)
            due_day = given or issue_day + dt.timedelta(days=days)
            v.due_after_issue(issue_day, due_day)
            inv = Invoice(label, value, issue_day, due_day, final=final)
            c.invoices.append(inv)
            return f"invoice {inv.number}: {value} {c.currency}, due {due_day}", None, inv.to_dict()

        return self._change(ref, "invoice", change, expected_rev)

    def record_payment(
        self,
        ref: str,
        invoice: str,
        amount: str | Decimal | None = None,
        *,
        on: dt.date | None = None,
        expected_rev: int | None = None,
    ) -> Client:
        day = self._not_future(on, "payment date")

        def change(c: Client) -> Change:
            inv = find_item(c.invoices, invoice, lambda i: i.number, "invoice")
            if inv.settled:
                raise InvalidInput(f"invoice {inv.number} is already settled")
            value = (
                inv.outstanding if amount is None else self._amount(amount, "the payment", c.locale)
            )
            v.payment_fits(value, inv)
            inv.payments.append(Payment(value, day))
            return (
                f"payment of {value} {c.currency} on invoice {inv.number}",
                str(inv.outstanding + value),
                str(inv.outstanding),
            )

        return self._change(ref, "payment", change, expected_rev)

    def write_off(self, ref: str, invoice: str, expected_rev: int | None = None) -> Client:
        def change(c: Client) -> Change:
            inv = find_item(c.invoices, invoice, lambda i: i.number, "invoice")
            if inv.settled:
                raise InvalidInput(f"invoice {inv.number} has nothing open to write off")
            owed = inv.outstanding
            inv.written_off = True
            return f"wrote off {owed} {c.currency} on invoice {inv.number}", str(owed), "0.00"

        return self._change(ref, "write-off", change, expected_rev)

    # --- refunds -----------------------------------------------------------------------------

    def suggest_refund(
        self, ref: str, currency: str | None = None, excluding: str = ""
    ) -> Suggestion:
        """The refund the client's records suggest (domain/refunds.py), or why there is none.
        Raises NotFound, InvalidInput (a currency that is not a code)."""
        client = self.resolve(ref)
        cur = v.currency(currency) if currency else None
        return refunds.suggest(client, cur, excluding)

    def add_refund(
        self,
        ref: str,
        amount: str | Decimal | None,
        reason: str,
        *,
        on: dt.date | str | None = None,
        currency: str | None = None,
        paid_out: dt.date | str | None = None,
        expected_rev: int | None = None,
    ) -> Client:
        """Record a refund agreed with the client on `on` (default today); `paid_out`, when it
        has already left your account. `amount` None takes the suggested amount, and is
        refused when the records cannot suggest one. `currency` defaults to the client's.
        Raises InvalidInput, NotFound, StaleEdit."""
        why = v.one_line(reason, "the refund's reason", required=True)
        day = self._not_future(on, "the refund date")
        given = v.currency(currency) if currency else None
        paid = self._opt_day(paid_out, "the payout date")
        if paid is not None:
            v.not_future(paid, "the payout date", self.clock.today())
            v.paid_after_agreed(day, paid)

        def change(c: Client) -> Change:
            cur = given or c.currency
            if amount is None:
                value = self._suggested(c, cur)
            else:
                value = self._amount(amount, "the refund", c.locale, positive=True)
            refund = Refund(value, cur, day, why, paid)
            c.refunds.append(refund)
            return f"refund of {value} {cur} agreed: {why}", None, refund.to_dict()

        return self._change(ref, "refund", change, expected_rev)

    @staticmethod
    def _suggested(c: Client, currency: str) -> Decimal:
        found = refunds.suggest(c, currency)
        why = formats.sentence(found.why, c.locale)
        if found.amount is None:
            raise InvalidInput(f"no refund can be suggested: {why}", fix=found.fix)
        if not found.amount:
            raise InvalidInput(f"the suggested refund is nothing: {why}")
        return found.amount

    def mark_refund_paid(
        self,
        ref: str,
        which: str | None = None,
        *,
        on: dt.date | str | None = None,
        expected_rev: int | None = None,
    ) -> Client:
        """Record that a refund left your account on `on` (default today). `which` (its id,
        an id prefix, its number or its reason) may be left out when one refund is open.
        Raises InvalidInput (none open, several open, already paid out, a day before it was
        agreed), NotFound, StaleEdit."""
        day = self._not_future(on, "the payout date")

        def change(c: Client) -> Change:
            refund = _refund_to_pay(c, which)
            if not refund.open:
                raise InvalidInput(
                    f"the refund of {refund.amount} {refund.currency} ({refund.reason}) was "
                    f"already paid out on {refund.paid_out}",
                    "correct the day with edit-refund if it is wrong",
                )
            v.paid_after_agreed(refund.on, day)
            refund.paid_out = day
            summary = f"refund of {refund.amount} {refund.currency} paid out on {day}"
            return summary, None, day.isoformat()

        return self._change(ref, "refund-paid", change, expected_rev)


def _refund_to_pay(client: Client, which: str | None) -> Refund:
    return the_open_one(
        client.refunds,
        which,
        refunds.open_refunds(client),
        label=lambda r: r.reason,
        what="refund",
        named=lambda r: f"{r.amount} {r.currency}: {r.reason}",
        none=InvalidInput(
            f"{client.name} has no refund waiting to be paid out",
            fix=None if client.refunds else Fix.REFUND,
        ),
        several=lambda n, names: InvalidInput(
            f"{client.name} has {n} refunds to pay out: {names}",
            "name the one that was paid out",
        ),
    )

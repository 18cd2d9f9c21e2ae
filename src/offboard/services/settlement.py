"""What is handed over and what is owed: deliverables, handover items, invoices, payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from ..domain import validate as v
from ..domain.errors import (
    InvalidInput,
)
from ..domain.models import (
    Client,
    Deliverable,
    HandoverItem,
    HandoverKind,
    HandoverStatus,
    Invoice,
    Payment,
)
from ..domain.validate import choice

if TYPE_CHECKING:
    pass

from .core import Change, ServiceCore, find_item


class SettlementServices(ServiceCore):
    """What is handed over and what is owed: deliverables, handover, invoices."""

    def add_deliverable(
        self, ref: str, title: str, due: dt.date | None = None, expected_rev: int | None = None
    ) -> Client:
        text = v.one_line(title, "the title")
        if not text:
            raise InvalidInput("a deliverable needs a title")
        due = self._opt_day(due, "the due date")
        item = Deliverable(text, due)

        def change(c: Client) -> Change:
            c.deliverables.append(item)
            return (
                f"deliverable: {item.title}" + (f", due {due}" if due else ""),
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
            due_day = due_given or issue_day + dt.timedelta(days=days)
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

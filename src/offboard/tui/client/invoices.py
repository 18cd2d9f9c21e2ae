"""The Invoices tab: invoices, payments and what is still open, refunds going back to the
client, and follow-ups to chase what is owed. Each payment has a row of its own under its
invoice, and each refund and follow-up a row after the invoices, so they can be highlighted,
edited and deleted like any record."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.text import Text

from ...domain import followups, refunds
from ...domain.models import Client, FollowUp, Invoice, Payment, Refund
from ...domain.timers import countdown, urgency
from ...formats import counted, money
from ..actions import bindings, key_text
from ..dialogs import ConfirmScreen
from ..forms import (
    FollowUpEditForm,
    FollowUpForm,
    FormScreen,
    InvoiceForm,
    PaymentForm,
    RefundForm,
)
from .flags import DATE
from .record_tab import RECORDS_SCOPE, RecordTab, quoted
from .tab import URGENCY_STYLE, when
from .table_tab import Row

if TYPE_CHECKING:
    from ...services import Services

AMOUNT = 13  # width of a money column: "66 500,00 Kč", "€123,456.78"
# A payment's row key: its id after this, so it never equals an invoice's.
PAYMENT_ROW = "payment:"
REFUND_ROW = "refund:"
FOLLOW_UP_ROW = "follow-up:"


def invoice_state(inv: Invoice, today: dt.date) -> Text:
    if inv.written_off:
        return Text("written off", style="dim")
    if inv.settled:
        return Text("paid", style="green")
    left = countdown(inv.due, today)
    text = left if left.endswith("overdue") else f"due {left}"
    return Text(text, style=URGENCY_STYLE[urgency(inv.due, today)])


def invoice_of(client: Client, payment_id: str) -> Invoice | None:
    return next((i for i in client.invoices if any(p.id == payment_id for p in i.payments)), None)


class InvoicesTab(RecordTab):
    TAB_ID, LABEL, SHORT = "invoices", "Invoices", "Invoices"
    ACTION_SCOPE = "client.invoices"
    BINDINGS = [*bindings(ACTION_SCOPE), *bindings(RECORDS_SCOPE)]
    KIND, ADD = "invoice", "client.add_invoice"
    FORMS = {
        "invoice": InvoiceForm,
        "payment": PaymentForm,
        "refund": RefundForm,
        "follow-up": FollowUpEditForm,
    }

    def action_add_invoice(self) -> None:
        self.open_form(InvoiceForm(self.state.client_id, chain=self.state.chain))

    def action_add_refund(self) -> None:
        self.open_form(RefundForm(self.state.client_id, chain=self.state.chain))

    def action_refund_paid(self) -> None:
        client, key = self.client, self.highlighted()
        refund = None
        if client is not None and key is not None and key.startswith(REFUND_ROW):
            wanted = key.removeprefix(REFUND_ROW)
            refund = next((r for r in client.refunds if r.id == wanted), None)
        if client is None or refund is None:
            add = key_text(self, "client.add_refund")
            self.say(f"No refund is highlighted. Record one with {add}.")
            return
        if refund.paid_out is not None:
            self.say(f"That refund was already paid out {when(refund.paid_out, client.locale)}.")
            return
        cid, refund_id = client.id, refund.id
        amount = money(refund.amount, refund.currency, client.locale)

        def call(s: Services, rev: int | None) -> Client:
            return s.mark_refund_paid(cid, refund_id, expected_rev=rev)

        def done(_: Client) -> None:
            self.say(f"Refund of {amount} recorded as paid out today.")

        self.change("refund paid out", call, on_done=done)

    def action_add_follow_up(self) -> None:
        self.open_form(FollowUpForm(self.state.client_id, chain=self.state.chain))

    def action_follow_up_done(self) -> None:
        client, key = self.client, self.highlighted()
        item = None
        if client is not None and key is not None and key.startswith(FOLLOW_UP_ROW):
            wanted = key.removeprefix(FOLLOW_UP_ROW)
            item = next((f for f in client.follow_ups if f.id == wanted), None)
        if client is None or item is None:
            add = key_text(self, "client.add_follow_up")
            self.say(f"No follow-up is highlighted. Record one with {add}.")
            return
        if item.done_on is not None:
            self.say(f"That follow-up was already done {when(item.done_on, client.locale)}.")
            return
        cid, item_id, about = client.id, item.id, item.about

        def call(s: Services, rev: int | None) -> Client:
            return s.mark_follow_up_done(cid, item_id, expected_rev=rev)

        def done(_: Client) -> None:
            self.say(f"Follow-up done today: {about}")

        self.change("follow-up done", call, on_done=done)

    # --- payments, refunds and follow-ups are records too -------------------------------------

    def row_record(self, client: Client, key: str) -> tuple[str, Any] | None:
        if key.startswith(FOLLOW_UP_ROW):
            wanted = key.removeprefix(FOLLOW_UP_ROW)
            item = next((f for f in client.follow_ups if f.id == wanted), None)
            return None if item is None else ("follow-up", item)
        if key.startswith(REFUND_ROW):
            wanted = key.removeprefix(REFUND_ROW)
            refund = next((r for r in client.refunds if r.id == wanted), None)
            return None if refund is None else ("refund", refund)
        if not key.startswith(PAYMENT_ROW):
            return super().row_record(client, key)
        payment_id = key.removeprefix(PAYMENT_ROW)
        invoice = invoice_of(client, payment_id)
        if invoice is None:
            return None
        return "payment", next(p for p in invoice.payments if p.id == payment_id)

    def edit_form(self, kind: str, record: Any) -> FormScreen:
        client = self.client
        invoice = invoice_of(client, record.id) if kind == "payment" and client else None
        if invoice is None:
            return super().edit_form(kind, record)
        cid, chain = self.state.client_id, self.state.chain
        return PaymentForm(cid, invoice.id, chain=chain, record_id=record.id)

    def record_name(self, kind: str, record: Any, client: Client) -> str:
        loc = client.locale
        if isinstance(record, FollowUp):
            return f"the follow-up {quoted(record.about)} for {when(record.on, loc)}"
        if isinstance(record, Refund):
            amount = money(record.amount, record.currency, loc)
            return f"the refund of {amount} agreed {when(record.on, loc)}"
        if isinstance(record, Payment):
            invoice = invoice_of(client, record.id)
            on = f" on invoice {invoice.number}" if invoice else ""
            paid = money(record.amount, client.currency, loc)
            return f"the payment of {paid} received {when(record.on, loc)}{on}"
        amount = money(record.amount, client.currency, loc)
        return f"invoice {record.number} of {amount}, issued {when(record.issued, loc)}"

    def _highlighted_invoice(self) -> Invoice | None:
        """The highlighted invoice, or the invoice of the highlighted payment."""
        client, key = self.client, self.highlighted()
        if client is not None and key is not None and key.startswith(PAYMENT_ROW):
            key = getattr(invoice_of(client, key.removeprefix(PAYMENT_ROW)), "id", None)
        inv = next((i for i in client.invoices if i.id == key), None) if client else None
        if inv is None:
            self.say(
                f"No invoice is highlighted. Add one with {key_text(self, 'client.add_invoice')}."
            )
        return inv

    def action_record_payment(self) -> None:
        inv = self._highlighted_invoice()
        if inv is None:
            return
        if inv.settled:
            state = "written off" if inv.written_off else "paid in full"
            self.say(f"Invoice {inv.number} is already {state}.")
            return
        form = PaymentForm(self.state.client_id, inv.id, chain=self.state.chain)
        self.app.push_screen(form)

    def action_write_off(self) -> None:
        inv = self._highlighted_invoice()
        client = self.client
        if inv is None or client is None:
            return
        if inv.settled:
            self.say(f"Invoice {inv.number} has nothing open to write off.")
            return
        owed = money(inv.outstanding, client.currency, client.locale)
        lines = [f"{owed} is still open on invoice {inv.number}."]
        question = (
            "Write it off? It stops counting as owed and the history records that you let "
            f"it go. {key_text(self, 'undo')} undoes it."
        )
        cid, invoice_id = client.id, inv.id

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            def call(s: Services, rev: int | None) -> Client:
                return s.write_off(cid, invoice_id, expected_rev=rev)

            self.change(f"write off invoice {inv.number}", call)

        self.app.push_screen(ConfirmScreen("Write off", lines, question, "Write off"), answered)

    def _payment_row(self, c: Client, inv: Invoice, p: Payment, wide: bool) -> Row:
        """A payment under its invoice: when it arrived, and how much."""
        on = when(p.on, c.locale)
        paid = money(p.amount, c.currency, c.locale)
        cells: list[Any] = [Text(f"↳ {on}", style="dim")]
        if wide:
            cells.append("")
        cells += ["", Text(paid.rjust(AMOUNT), style="green"), "", Text("payment", style="dim")]
        detail = Text(f"Payment of {paid} on invoice {inv.number}, received {on}.", style="dim")
        return PAYMENT_ROW + p.id, cells, detail

    def _refund_row(self, c: Client, r: Refund, today: dt.date, wide: bool) -> Row:
        """A refund after the invoices: agreed when, due by when, and whether it went out."""
        loc = c.locale
        amount = money(r.amount, r.currency, loc)
        due = refunds.due(r, c)
        cells: list[Any] = [Text(f"↺ refund: {r.reason}", style="magenta")]
        if wide:
            cells.append(when(r.on, loc))
        cells.append(when(due, loc))
        cells.append(Text(amount.rjust(AMOUNT)))
        if r.paid_out is None:
            left = countdown(due, today)
            state = Text(
                "to pay out" if not left.endswith("overdue") else left,
                style=URGENCY_STYLE[urgency(due, today)],
            )
            cells += [Text(amount.rjust(AMOUNT), style="bold"), state]
            detail = f"Refund agreed {when(r.on, loc)}: {r.reason}. Pay it out by {when(due, loc)}."
        else:
            cells += [Text("–".rjust(AMOUNT), style="dim"), Text("paid out", style="green")]
            paid = when(r.paid_out, loc)
            detail = f"Refund agreed {when(r.on, loc)}: {r.reason}. Paid out {paid}."
        return REFUND_ROW + r.id, cells, Text(detail, style="dim")

    def _follow_up_row(self, c: Client, f: FollowUp, today: dt.date, wide: bool) -> Row:
        """A follow-up after the refunds: when, what, and whether it is still to do (one
        whose invoice was settled meanwhile is not, though nobody marked it done)."""
        loc = c.locale
        cells: list[Any] = [Text(f"⟳ follow up: {f.about}", style="cyan")]
        if wide:
            cells.append("")
        cells += [when(f.on, loc), "", ""]
        invoice = followups.invoice_of(f, c)
        chases = f" It chases invoice {invoice.number}." if invoice else ""
        detail = f"Follow up {when(f.on, loc)}: {f.about}.{chases}"
        if f.done_on is not None:
            cells.append(Text("done", style="green"))
            detail += f" Done {when(f.done_on, loc)}."
        elif not followups.pending(f, c):
            cells.append(Text("settled", style="dim"))
            detail += " That invoice is settled: nothing left to chase."
        else:
            left = countdown(f.on, today)
            cells.append(Text(left, style=URGENCY_STYLE[urgency(f.on, today)]))
        return FOLLOW_UP_ROW + f.id, cells, Text(detail, style="dim")

    def draw(self, c: Client, today: dt.date) -> None:
        loc, currency = c.locale, c.currency
        owed = c.outstanding()
        open_count = sum(1 for i in c.invoices if i.outstanding)
        if c.invoices:
            summary = Text(f"{counted(len(c.invoices), 'invoice')}; open: ")
            summary.append(money(owed, currency, loc), style="bold yellow" if owed else "green")
            if open_count:
                summary.append(f" on {open_count}")
            summary.append(".")
        else:
            add = key_text(self, "client.add_invoice")
            summary = Text(f"No invoices recorded. Press {add} to add one.", style="dim")
        owed_back = refunds.open_refunds(c)
        if owed_back:
            summary.append(f" {counted(len(owed_back), 'refund')} to pay out.", style="magenta")
        to_chase = [f for f in c.follow_ups if followups.pending(f, c)]
        if to_chase:
            summary.append(f" {counted(len(to_chase), 'follow-up')} to do.", style="cyan")
        self.summary(summary)
        wide = self.wide
        rows: list[Row] = []
        for inv in c.invoices:
            number = inv.number + (" (final)" if inv.final else "")
            paid = ", ".join(
                f"{money(p.amount, currency, loc)} on {when(p.on, loc)}" for p in inv.payments
            )
            issued, due = when(inv.issued, loc), when(inv.due, loc)
            detail = Text(
                f"Issued {issued}, due {due}. Payments: {paid or 'none yet'}.", style="dim"
            )
            cells: list[Any] = [number]
            if wide:
                cells.append(issued)
            cells += [
                due,
                Text(money(inv.amount, currency, loc).rjust(AMOUNT)),
                Text(
                    money(inv.outstanding, currency, loc).rjust(AMOUNT),
                    style="bold" if inv.outstanding else "dim",
                ),
                invoice_state(inv, today),
            ]
            rows.append((inv.id, cells, detail))
            rows += [self._payment_row(c, inv, p, wide) for p in inv.payments]
        rows += [self._refund_row(c, r, today, wide) for r in c.refunds]
        rows += [self._follow_up_row(c, f, today, wide) for f in c.follow_ups]
        fixed = [DATE, AMOUNT, AMOUNT, 12] + ([DATE] if wide else [])
        columns: list[tuple[str, int | None]] = [("Invoice", self.flex(fixed, minimum=8))]
        if wide:
            columns.append(("Issued", DATE))
        columns += [
            ("Due", DATE),
            ("Amount".rjust(AMOUNT), AMOUNT),
            ("Open".rjust(AMOUNT), AMOUNT),
            ("State", 12),
        ]
        self.fill(columns, rows)

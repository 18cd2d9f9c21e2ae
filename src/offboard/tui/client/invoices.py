"""The Invoices tab: invoices, payments and what is still open."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.text import Text

from ...domain.models import Client, Invoice
from ...domain.timers import countdown, urgency
from ...formats import money
from ..actions import bindings, key_text
from ..dialogs import ConfirmScreen
from ..forms import InvoiceForm, PaymentForm
from .flags import DATE
from .tab import URGENCY_STYLE, when
from .table_tab import Row, TableTab

if TYPE_CHECKING:
    from ...services import Services

AMOUNT = 13  # width of a money column: "66 500,00 Kč", "€123,456.78"


def invoice_state(inv: Invoice, today: dt.date) -> Text:
    if inv.written_off:
        return Text("written off", style="dim")
    if inv.settled:
        return Text("paid", style="green")
    left = countdown(inv.due, today)
    text = left if left.endswith("overdue") else f"due {left}"
    return Text(text, style=URGENCY_STYLE[urgency(inv.due, today)])


class InvoicesTab(TableTab):
    TAB_ID, LABEL, SHORT = "invoices", "Invoices", "Invoices"
    ACTION_SCOPE = "client.invoices"
    BINDINGS = bindings(ACTION_SCOPE)

    def action_add_invoice(self) -> None:
        self.open_form(InvoiceForm(self.state.client_id, chain=self.state.chain))

    def _highlighted_invoice(self) -> Invoice | None:
        client, key = self.client, self.highlighted()
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

    def draw(self, c: Client, today: dt.date) -> None:
        loc, currency = c.locale, c.currency
        owed = c.outstanding()
        open_count = sum(1 for i in c.invoices if i.outstanding)
        if c.invoices:
            summary = Text(f"{len(c.invoices)} invoice(s); open: ")
            summary.append(money(owed, currency, loc), style="bold yellow" if owed else "green")
            if open_count:
                summary.append(f" on {open_count}")
            summary.append(".")
        else:
            add = key_text(self, "client.add_invoice")
            summary = Text(f"No invoices recorded. Press {add} to add one.", style="dim")
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

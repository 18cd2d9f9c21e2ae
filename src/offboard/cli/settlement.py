"""Winding down: what is still owed to the client (deliverables, handover items) and what
the client still owes (invoices, payments, write-offs)."""

from __future__ import annotations

from ..domain.models import HandoverKind, HandoverStatus
from ..formats import money
from .registry import Context, arg, client_arg, command, date_arg, values


@command(
    "deliverable",
    "add a remaining deliverable",
    client_arg(),
    arg("title"),
    date_arg("--due", "when it is due"),
)
def deliverable(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_deliverable(a.client, a.title, a.due)
    ctx.report(client, f"Deliverable added for {client.name}: {a.title}.")


@command(
    "done",
    "mark a deliverable done",
    client_arg(),
    arg("deliverable", help="number, id or title"),
    arg("--undo", action="store_true", help="reopen it"),
)
def done(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.set_deliverable_done(a.client, a.deliverable, not a.undo)
    ctx.report(client, f"Deliverable {'reopened' if a.undo else 'done'} for {client.name}.")


@command(
    "handover",
    "add a handover item (never a secret)",
    client_arg(),
    arg("kind", help=values(HandoverKind)),
    arg("label", help="e.g. 'Hosting admin login'"),
    arg("--status", default="pending", help=values(HandoverStatus)),
)
def handover(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_handover_item(a.client, a.kind, a.label, a.status)
    ctx.report(client, f"Handover item added for {client.name}: {a.label} [{a.status}].")


@command(
    "handed",
    "set a handover item's status",
    client_arg(),
    arg("item", help="number, id or label"),
    arg("status", help=values(HandoverStatus)),
)
def handed(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.set_handover_status(a.client, a.item, a.status)
    ctx.report(client, f"Handover item of {client.name} is now {a.status}.")


@command(
    "invoice",
    "add an invoice",
    client_arg(),
    arg("number"),
    arg("amount"),
    date_arg("--issued", "the invoice's date, default today"),
    date_arg("--due", "when it is due, default the invoice's date + payment terms"),
    arg("--final", action="store_true", help="this is the final invoice"),
)
def invoice(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_invoice(
        a.client, a.number, a.amount, issued=a.issued, due=a.due, final=a.final
    )
    inv = client.invoices[-1]
    ctx.report(
        client,
        f"Invoice {inv.number} for {client.name}: "
        f"{money(inv.amount, client.currency, client.locale)}, due {inv.due}.",
    )


@command(
    "pay",
    "record a payment",
    client_arg(),
    arg("invoice", help="invoice number"),
    arg("amount", nargs="?", help="default: everything open"),
    date_arg("--on", "when it was paid, default today", past=True),
)
def pay(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.record_payment(a.client, a.invoice, a.amount, on=a.on)
    ctx.report(
        client,
        f"Payment recorded; {client.name} has "
        f"{money(client.outstanding(), client.currency, client.locale)} open.",
    )


@command(
    "write-off",
    "write off what is open on an invoice",
    client_arg(),
    arg("invoice", help="invoice number"),
)
def write_off(ctx: Context) -> None:
    client = ctx.services.write_off(ctx.args.client, ctx.args.invoice)
    ctx.report(client, f"Wrote off invoice {ctx.args.invoice} of {client.name}.")

"""Winding down: what is still owed to the client (deliverables, handover items, refunds) and
what the client still owes (invoices, payments, write-offs, follow-ups to chase it)."""

from __future__ import annotations

from ..domain import followups, refunds
from ..domain.models import HandoverKind, HandoverStatus
from ..formats import money, sentence
from .registry import (
    Context,
    UsageError,
    arg,
    client_arg,
    command,
    date_arg,
    values,
)


@command(
    "deliverable",
    "add a remaining deliverable",
    client_arg(),
    arg("title"),
    date_arg("--due", "when it is due"),
    arg(
        "--value",
        metavar="AMOUNT",
        help="what it is worth, in the client's currency (a refund is suggested from it)",
    ),
)
def deliverable(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_deliverable(a.client, a.title, a.due, value=a.value)
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


@command(
    "refund",
    "record a refund agreed with the client",
    client_arg(),
    arg("amount", nargs="?", help="how much goes back; or --suggested"),
    arg(
        "--suggested",
        action="store_true",
        help="the amount worked out from the records: paid x share of undelivered work by value",
    ),
    arg("--reason", required=True, help="why the money goes back, in a line"),
    date_arg("--on", "when it was agreed, default today", past=True),
    arg("--currency", help="default: the client's currency"),
    date_arg("--paid-out", "when it was paid out, if it already was", past=True),
)
def refund(ctx: Context) -> None:
    a = ctx.args
    if (a.amount is None) == (not a.suggested):
        raise UsageError(
            "give the refund's amount or --suggested, not both"
            if a.suggested
            else "give the refund's amount or --suggested",
            "see `offboard refund --help`",
        )
    client = ctx.services.add_refund(
        a.client, a.amount, a.reason, on=a.on, currency=a.currency, paid_out=a.paid_out
    )
    r = client.refunds[-1]
    amount = money(r.amount, r.currency, client.locale)
    how = ""
    if a.suggested:
        how = f" ({sentence(refunds.suggest(client, r.currency, r.id).why, client.locale)})"
    if r.paid_out is not None:
        ctx.report(client, f"Refund of {amount}{how} to {client.name}, paid out {r.paid_out}.")
        return
    by = refunds.due(r, client)
    ctx.report(client, f"Refund of {amount}{how} agreed with {client.name}; pay it out by {by}.")


@command(
    "refund-paid",
    "record that a refund was paid out",
    client_arg(),
    arg("refund", nargs="?", help="its id, number or reason; may be left out when one is open"),
    date_arg("--on", "when it was paid out, default today", past=True),
)
def refund_paid(ctx: Context) -> None:
    a = ctx.args
    waiting = {r.id for r in ctx.services.resolve(a.client).refunds if r.open}
    client = ctx.services.mark_refund_paid(a.client, a.refund, on=a.on)
    paid = next(r for r in client.refunds if r.id in waiting and not r.open)
    shown = money(paid.amount, paid.currency, client.locale)
    ctx.report(client, f"Refund of {shown} to {client.name} recorded as paid out {paid.paid_out}.")


@command(
    "follow-up",
    "record a day to chase something still owed",
    client_arg(),
    arg("about", help="what to chase, in a line"),
    date_arg("--on", "when to follow up", required=True),
    arg("--invoice", metavar="NUMBER", help="the invoice it chases: it stops once that is paid"),
)
def follow_up(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_follow_up(a.client, a.about, a.on, invoice=a.invoice)
    item = client.follow_ups[-1]
    ctx.report(client, f"Follow-up for {client.name} on {item.on}: {item.about}.")


@command(
    "follow-up-done",
    "record that a follow-up was done",
    client_arg(),
    arg("follow_up", nargs="?", help="its id, number or subject; may be left out when one is open"),
    date_arg("--on", "when it was done, default today", past=True),
)
def follow_up_done(ctx: Context) -> None:
    a = ctx.args
    waiting = {f.id for f in followups.open_follow_ups(ctx.services.resolve(a.client))}
    client = ctx.services.mark_follow_up_done(a.client, a.follow_up, on=a.on)
    done = next(f for f in client.follow_ups if f.id in waiting and not f.open)
    ctx.report(client, f"Follow-up for {client.name} done on {done.done_on}: {done.about}.")

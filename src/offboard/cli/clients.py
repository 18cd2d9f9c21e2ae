"""Clients themselves: add, list, show, edit, delete."""

from __future__ import annotations

from ..domain.models import Archetype, Stage
from .output import client_detail, client_summary, emit_json, print_client, print_list
from .registry import (
    Context,
    UsageError,
    arg,
    client_arg,
    command,
    date_arg,
    values,
)

NOTICE_HELP = 'notice period, e.g. "30 days", "1 month", "10 business days", "end of month"'


@command(
    "add",
    "add a client",
    arg("name"),
    arg("--email"),
    arg("--company"),
    arg("--notice", metavar="PERIOD", help=NOTICE_HELP),
    arg("--archetype", help=values(Archetype)),
    arg("--stage", help=values(Stage)),
    arg("--locale", help="letter language: en, tr, fi, cs"),
    arg("--currency", help="three-letter code, e.g. EUR"),
    arg("--force", action="store_true", help="override soft gates of --stage"),
)
def add(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_client(
        a.name,
        email=a.email or "",
        company=a.company or "",
        notice_period=a.notice,
        archetype=a.archetype,
        stage=a.stage,
        locale=a.locale,
        currency=a.currency,
        force=a.force,
    )
    ctx.report(client, f"Added {client.name} ({client.id[:8]}) in {client.stage.value}.")


@command(
    "list",
    "list clients",
    arg("--stage", help=values(Stage)),
    arg("--active", action="store_true", help="leave out closed clients"),
)
def list_clients(ctx: Context) -> None:
    clients = ctx.services.clients(stage=ctx.args.stage, include_closed=not ctx.args.active)
    if ctx.args.json:
        emit_json([client_summary(c, ctx.today) for c in clients])
    else:
        print_list(clients, ctx.today)


@command("show", "show everything about one client", client_arg())
def show(ctx: Context) -> None:
    client = ctx.services.resolve(ctx.args.client)
    if ctx.args.json:
        emit_json(client_detail(client, ctx.today))
    else:
        print_client(client, ctx.today)


@command(
    "edit",
    "change a client's details or contract",
    client_arg(),
    *(arg(f"--{name}") for name in ("name", "email", "company", "locale", "currency")),
    arg("--archetype", help=values(Archetype)),
    arg("--notice", metavar="PERIOD", help=NOTICE_HELP),
    arg("--clause", help="termination clause text"),
    date_arg("--contract-end", 'when the contract ends ("" clears it)'),
    arg("--terms", metavar="DAYS", help="payment terms in days"),
    arg("--rate", metavar="AMOUNT", help="hourly rate"),
)
def edit(ctx: Context) -> None:
    a = ctx.args
    fields = {
        k: v
        for k, v in {
            "name": a.name,
            "email": a.email,
            "company": a.company,
            "locale": a.locale,
            "currency": a.currency,
            "archetype": a.archetype,
            "notice_period": a.notice,
            "termination_clause": a.clause,
            "contract_end": a.contract_end,
            "payment_terms_days": a.terms,
            "hourly_rate": a.rate,
        }.items()
        if v is not None
    }
    if not fields:
        raise UsageError("nothing to change", "give at least one option, e.g. --email")
    client = ctx.services.edit_client(a.client, **fields)
    ctx.report(client, f"Updated {client.name}: {', '.join(sorted(fields))}.")


@command(
    "delete",
    "delete a client (undoable)",
    client_arg(),
    arg("--yes", action="store_true", help="really delete"),
)
def delete(ctx: Context) -> None:
    if not ctx.args.yes:
        raise UsageError("deleting a client needs --yes", "`offboard undo` can bring it back")
    client = ctx.services.delete_client(ctx.args.client)
    ctx.report(client, f"Deleted {client.name}. `offboard undo` brings it back.")

"""Clients themselves: add, list, show, edit, delete."""

from __future__ import annotations

import shlex

from ..domain.models import Archetype, Client, Stage
from ..domain.notice import parse_period
from ..formats import counted, known_locales
from .output import client_detail, emit_json, listed_summary, print_client, print_list
from .registry import (
    Context,
    UsageError,
    arg,
    client_arg,
    command,
    date_arg,
    values,
)

NOTICE_HELP = (
    'notice period, e.g. "30 days", "1 month", "10 business days", "end of the following month",'
    " or the termination clause as the contract words it (English, Turkish, Finnish, Czech)"
)
COUNTRY_HELP = "whose public holidays count for business days, e.g. FI, GB, DE-BY (default: config)"


def read_as(client: Client) -> str:
    """The line that shows how a notice period given on the command line was understood."""
    period = client.contract.notice_period
    if not period:
        return "No notice period of its own: the default applies when notice is given."
    return f"Notice period read as {parse_period(period).explain()}."


@command(
    "add",
    "add a client",
    arg("name"),
    arg("--email"),
    arg("--company"),
    arg("--notice", metavar="PERIOD", help=NOTICE_HELP),
    arg("--archetype", help=values(Archetype)),
    arg("--stage", help=values(Stage)),
    arg("--locale", help="language of letters, dates and money: en, en-GB, tr, fi, cs..."),
    arg("--currency", help="three-letter code, e.g. EUR"),
    arg("--country", help=COUNTRY_HELP),
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
        country=a.country,
        force=a.force,
    )
    added = f"Added {client.name} ({client.id[:8]}) in {client.stage.value}."
    ctx.report(client, f"{added}\n{read_as(client)}" if a.notice is not None else added)


@command(
    "list",
    "list clients",
    arg("--stage", help=values(Stage)),
    arg("--active", action="store_true", help="leave out closed clients"),
)
def list_clients(ctx: Context) -> None:
    a = ctx.args
    clients = ctx.services.listing(stage=a.stage, include_closed=not a.active)
    if a.json:
        emit_json([listed_summary(entry, ctx.today) for entry in clients])
        return
    empty = None
    if not clients and (a.stage or a.active):
        # The filter left nothing: say so, not "no clients yet" to someone who has some.
        total = len(ctx.services.listing())
        if a.stage and total:
            empty = f"No clients in {Stage(a.stage).value}: {counted(total, 'client')} elsewhere."
        elif total:
            empty = f"No active clients: {total} closed. `offboard list` shows them."
    print_list(clients, ctx.today, empty)


@command("show", "show everything about one client", client_arg())
def show(ctx: Context) -> None:
    client = ctx.services.resolve(ctx.args.client)
    # A recorded last day that the calendar now says is a day off is told, never moved.
    off = ctx.services.last_day_check(client)
    if ctx.args.json:
        detail = client_detail(client, ctx.today)
        if off is not None:
            detail["last_day_not_working"] = {
                "day": off.day.isoformat(),
                "why": off.why,
                "next_working_day": off.next_working.isoformat(),
                "recounted": off.recounted.isoformat() if off.recounted else None,
            }
        emit_json(detail)
    else:
        print_client(client, ctx.today, ctx.services.checklists.get(client.stage))
        if off is not None and client.conversation is not None:
            cv = client.conversation
            name = shlex.quote(client.name)
            again = f"offboard notice {name} --on {cv.on} --channel {cv.channel.value}"
            print(f"  ! {off.message()}")
            print(f"    nothing was changed; `{again}` records it counted anew")


@command(
    "edit",
    "change a client's details or contract",
    client_arg(),
    *(arg(f"--{name}") for name in ("name", "email", "company", "locale", "currency")),
    arg("--country", help=COUNTRY_HELP + '; "" clears it'),
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
            "country": a.country,
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
    updated = f"Updated {client.name}: {', '.join(sorted(fields))}."
    ctx.report(client, f"{updated}\n{read_as(client)}" if a.notice is not None else updated)


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


@command(
    "locales",
    "list the language codes a client or the config can use",
    arg("language", nargs="?", help="only the variants of this language, e.g. en"),
)
def locales(ctx: Context) -> None:
    tags = sorted(known_locales(), key=str.lower)
    wanted = ctx.args.language
    if wanted:
        language = wanted.replace("_", "-").split("-")[0].lower()
        tags = [t for t in tags if t.split("-")[0].lower() == language]
        if not tags:
            raise UsageError(f"no language codes start with {language!r}", "e.g. en, fi, de")
    if ctx.args.json:
        emit_json(tags)
    else:
        print("\n".join(tags))

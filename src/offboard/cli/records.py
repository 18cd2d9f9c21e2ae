"""Correcting records: `offboard edit-KIND CLIENT ID --FIELD VALUE...` and
`offboard delete-KIND CLIENT ID` for every kind of record (flag, repair, deliverable,
handover, invoice, payment, letter). The commands are made from the services' one table of
record kinds, so a new kind or field shows up here without a line of CLI code."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.records import KINDS, PAYMENT_RULES
from .registry import Context, arg, client_arg, command

WHICH_HELP = "the record: its id or an id prefix (see `offboard show CLIENT`), or its number"


def _edit(kind: str, fields: tuple[str, ...]) -> Callable[[Context], None]:
    def handler(ctx: Context) -> None:
        a = ctx.args
        values = {f: getattr(a, f) for f in fields if getattr(a, f) is not None}
        client = ctx.services.edit_record(a.client, kind, a.which, **values)
        ctx.report(client, f"Updated the {kind} of {client.name}: {', '.join(values)}.")

    return handler


def _delete(kind: str) -> Callable[[Context], None]:
    def handler(ctx: Context) -> None:
        client = ctx.services.delete_record(ctx.args.client, kind, ctx.args.which)
        ctx.report(client, f"Deleted the {kind} of {client.name}. `offboard undo` brings it back.")

    return handler


def _a(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _register() -> None:
    rules = {name: (spec.rules, spec.editable) for name, spec in KINDS.items()}
    rules["payment"] = (PAYMENT_RULES, True)
    for kind, (fields, editable) in rules.items():
        if editable:
            options = tuple(
                arg(f"--{f.replace('_', '-')}", dest=f, metavar="VALUE") for f in fields
            )
            command(
                f"edit-{kind}",
                f"correct {_a(kind)} {kind}",
                client_arg(),
                arg("which", help=WHICH_HELP),
                *options,
            )(_edit(kind, tuple(fields)))
        command(
            f"delete-{kind}",
            f"delete {_a(kind)} {kind} (undoable)",
            client_arg(),
            arg("which", help=WHICH_HELP),
        )(_delete(kind))


_register()

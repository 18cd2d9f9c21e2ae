"""The agenda: every open deadline of every client, soonest first."""

from __future__ import annotations

from .output import deadline_dict, emit_json, print_timers
from .registry import Context, arg, command


@command(
    "timers",
    "list open deadlines, soonest first",
    arg("--within", type=int, metavar="DAYS", help="only those due within DAYS"),
)
def timers(ctx: Context) -> None:
    items = ctx.services.timers()
    if ctx.args.within is not None:
        items = [d for d in items if d.days(ctx.today) <= ctx.args.within]
    if ctx.args.json:
        emit_json([deadline_dict(d, ctx.today) for d in items])
    else:
        print_timers(items, ctx.today)

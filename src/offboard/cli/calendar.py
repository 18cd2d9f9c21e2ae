"""`offboard ics`: the open deadlines as a calendar file (.ics) with alarms, for a calendar app
to import; importing a newer export again updates the events instead of adding copies."""

from __future__ import annotations

import sys
from pathlib import Path

from ..formats import counted
from .registry import CLIENT_HELP, Context, arg, command


@command(
    "ics",
    "write open deadlines as a calendar (.ics) with alarms",
    arg("client", nargs="?", help=f"only this client's deadlines: {CLIENT_HELP}"),
    arg(
        "--out",
        metavar="FILE",
        help="the file to write (default: standard output); a calendar offboard wrote there "
        "before is updated: changed events count up, deadlines that are gone are cancelled",
    ),
    json=False,
)
def ics(ctx: Context) -> None:
    out = None if ctx.args.out in (None, "-") else Path(ctx.args.out).expanduser()
    made = ctx.services.export_calendar(ctx.args.client, out)
    if out is None:
        sys.stdout.buffer.write(made.payload)
        return
    done = made.rendered
    whose = f" of {made.client.name}" if made.client is not None else ""
    parts = [f"{done.new} new", f"{done.changed} changed"]
    if done.cancelled:
        parts.append(f"{done.cancelled} cancelled")
    print(
        f"Wrote {counted(done.events, 'deadline')}{whose} to {out} ({', '.join(parts)}).",
        file=sys.stderr,
    )

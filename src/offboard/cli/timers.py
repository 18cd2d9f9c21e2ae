"""The agenda: every open deadline of every client, soonest first; and `due`, what of it needs
the user now, for cron or a systemd timer."""

from __future__ import annotations

import os
import sys

from ..config import DB_ENV
from ..domain.due import DEFAULT_WITHIN, DUE, NOTHING, OVERDUE, Due, due, window, within
from ..domain.timers import countdown
from ..formats import deadline_text
from .output import deadline_dict, due_dict, emit_json, print_timers
from .registry import EXIT_OK, Context, UsageError, arg, command

# `due`'s exit status says what it found; 1 and 2 keep their meaning (an error, a bug).
EXIT_DUE, EXIT_OVERDUE = 3, 4
STATUS_EXIT = {NOTHING: EXIT_OK, DUE: EXIT_DUE, OVERDUE: EXIT_OVERDUE}

WITHIN_HELP = "only those due within DAYS days (overdue ones always count)"


@command(
    "timers",
    "list open deadlines, soonest first",
    arg("--within", metavar="DAYS", help=WITHIN_HELP),
)
def timers(ctx: Context) -> None:
    items = ctx.services.timers()
    if ctx.args.within is not None:
        items = within(items, ctx.today, window(ctx.args.within))
    if ctx.args.json:
        emit_json([deadline_dict(d, ctx.today) for d in items])
    else:
        print_timers(items, ctx.today)


# A crontab line: cron starts jobs with neither the session bus nor the user's PATH.
CRON_LINE = (
    "0 9 * * *  DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$(id -u)/bus "
    "/path/to/offboard due --notify >/dev/null"
)

DUE_EPILOG = f"""\
exit status:
  0  nothing is overdue or due within the window
  1  an error (a message on stderr says what to do)
  2  an unexpected error (a bug: please report it)
  3  something is due within the window, nothing is overdue
  4  something is overdue

--notify shows one desktop notification: how many deadlines are overdue or due, and the most
urgent one. When nothing is due it shows none. When no notification can be shown (no session
bus, no notification service), a line on stderr says why and the exit status is as above.

For a daily reminder, `offboard due --systemd` prints a systemd user service and timer.
With cron, name the session bus and offboard's full path (cron's PATH is short):
  {CRON_LINE}
"""


@command(
    "due",
    "list what is overdue or due soon (exit status 0, 3 or 4)",
    arg(
        "--within",
        metavar="DAYS",
        help=f"the window: deadlines due within DAYS days from today (default {DEFAULT_WITHIN})",
    ),
    arg("--notify", action="store_true", help="also show a desktop notification"),
    arg(
        "--systemd",
        action="store_true",
        help="print a systemd user service and timer that run `due --notify` daily, and how "
        "to install them",
    ),
    epilog=DUE_EPILOG,
)
def due_command(ctx: Context) -> int:
    days = DEFAULT_WITHIN if ctx.args.within is None else window(ctx.args.within)
    if ctx.args.systemd:
        return systemd(ctx, days)
    found = due(ctx.services.timers(), ctx.today, days)
    if ctx.args.json:
        emit_json(due_dict(found))
    else:
        print(found.summary() + ".")
        if found.items:
            print_timers(list(found.items), ctx.today)
    if ctx.args.notify and found.items:
        notify(found)
    return STATUS_EXIT[found.status]


def notify(found: Due) -> None:
    """One notification for the run. Not being able to show it does not change what `due`
    found, so it is reported on stderr and the exit status stays."""
    from ..notify import Notification, NotifyError, Urgency, send

    first = found.most_urgent
    assert first is not None  # only called when something is due
    note = Notification(
        found.summary(),
        (
            f"Most urgent: {first.client_name}, {deadline_text(first)} "
            f"({countdown(first.due, found.today)})",
            "offboard due lists them all.",
        ),
        Urgency.CRITICAL if found.status == OVERDUE else Urgency.NORMAL,
    )
    try:
        send(note)
    except NotifyError as exc:
        print(f"offboard: {exc.one_line()}", file=sys.stderr)


def systemd(ctx: Context, days: int) -> int:
    from .reminders import own_command, units

    if ctx.args.json or ctx.args.notify:
        raise UsageError(
            "--systemd prints unit files; it takes no --json or --notify",
            "run `offboard due --systemd` alone",
        )
    command = own_command()
    db = ctx.args.db or os.environ.get(DB_ENV)
    if db:
        command += ["--db", db if "://" in db else os.path.abspath(os.path.expanduser(db))]
    command += ["due", "--notify"]
    if days != DEFAULT_WITHIN:
        command += ["--within", str(days)]
    print(units(command))
    return EXIT_OK

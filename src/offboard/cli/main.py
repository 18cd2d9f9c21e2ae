"""Parse, dispatch, and the one way errors leave the CLI: a single line on stderr and exit 1
for anything the user can put right (OffboardError, OSError), 2 only for a bug, 130 on
Ctrl-C, and nothing at all when the reader of our output went away."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import NoReturn

from .. import __version__
from ..bootstrap import DEFAULT_LOCK_TIMEOUT, LOCK_TIMEOUT_ENV
from ..collector import paused_gc
from ..config import CONFIG_ENV, DB_ENV, TODAY_ENV, config_path as config_file, default_db_path
from ..domain.errors import OffboardError
from . import (
    calendar,
    case,
    clients,
    data,
    database,
    insight,
    letters,
    records,
    screening,
    settings,
    settlement,
    timers,
)
from .fixes import fix_command
from .registry import (
    COMMANDS,
    DATE_FORMS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USER_ERROR,
    Context,
    Parser,
)

# The areas, in the order `offboard --help` lists their commands (importing them above is
# what registers the commands).
AREAS = (
    clients, case, settlement, records, insight, screening, letters, timers, calendar, data,
    database, settings,
)  # fmt: skip


def config_path() -> str:
    return str(config_file())


def epilog() -> str:
    return "\n".join(
        [
            f"config file: {config_path()}",
            f"database:    {os.environ.get(DB_ENV) or default_db_path()}",
            "",
            "environment:",
            f"  {DB_ENV:<22} the database file or postgresql:// address (--db wins over it)",
            f"  {TODAY_ENV:<22} pretend today is this YYYY-MM-DD date (--today wins over it)",
            f"  {CONFIG_ENV:<22} the config file to read instead of the default one",
            f"  {LOCK_TIMEOUT_ENV:<22} seconds to wait for a busy database "
            f"(default {DEFAULT_LOCK_TIMEOUT:g})",
            "",
            f"Dates (--on, --due, --review, ...): {DATE_FORMS}.",
            "`offboard COMMAND --help` shows a command's options.",
        ]
    )


@contextlib.contextmanager
def one_command(exiting: bool = False) -> Iterator[None]:
    """A command runs for a moment and makes almost no reference cycles, while the database
    it reads is a million small objects: the cyclic collector's passes over them (a third of
    `show` at 10,000 clients) would find nothing. Paused for the command; the board, which
    runs for hours, keeps it. When the process ends right after (`exiting`), it stays
    paused: switched back on, it would start one full pass over all of them first."""
    with paused_gc(resume=not exiting):
        yield


def tui(ctx: Context) -> int:
    """`offboard` without a command: the board."""
    from ..bootstrap import make_parent
    from ..tui.launch import run_tui

    make_parent(ctx.db_path)
    return run_tui(ctx.db_path, ctx.clock, demo=ctx.args.demo)


def named_command(argv: Sequence[str]) -> str | None:
    """The command `argv` names, if it names one: the first word that is not an option or
    the value of --db or --today."""
    words = iter(argv)
    for word in words:
        if word in ("--db", "--today"):
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> Parser:
    """The parser of every command, or, with `only`, of that one command alone: a command
    line that names its command need not build the other sixty (argparse makes a parser
    for each, which costs more than many a command's own work)."""
    p = Parser(
        prog="offboard",
        description="Track clients through assessment, repair and offboarding.\n"
        "Without a command, opens the board.",
        epilog=epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"offboard {__version__}")
    p.add_argument(
        "--db",
        metavar="PATH|URL",
        help=f"database file, or a team's board as postgresql://USER@HOST/DB (default: {DB_ENV}, "
        "storage.database in the config, or the platform's data folder)",
    )
    p.add_argument(
        "--today", metavar="YYYY-MM-DD", help=f"pretend today is this date (also {TODAY_ENV})"
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="open the board on a temporary copy of demo data; your data is not touched",
    )
    p.set_defaults(func=tui, json=False)
    sub = p.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    order = {area.__name__: i for i, area in enumerate(AREAS)}
    for cmd in sorted(COMMANDS.values(), key=lambda c: order.get(c.area, len(order))):
        if only is None or cmd.name == only:
            cmd.add_to(sub)
    return p


def main(argv: Sequence[str] | None = None, *, exiting: bool = False) -> int:
    """Run one command line; returns the exit status. `exiting`: the process ends right
    after (the console script), so nothing needs to be put back as it was."""
    try:
        words = sys.argv[1:] if argv is None else list(argv)
        args = build_parser(named_command(words)).parse_args(words)
        ctx = Context(args)
        with contextlib.nullcontext() if args.func is tui else one_command(exiting):
            code = args.func(ctx)
        sys.stdout.flush()
        return code or EXIT_OK
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OffboardError as exc:
        line = exc.one_line()
        command = fix_command(exc.fix)
        if command is not None:
            line += f" (run: {command})"
        print(f"offboard: {line}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"offboard: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("offboard: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        print(
            f"offboard: unexpected error: {type(exc).__name__}: {exc} (please report this)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The console script. Once output is flushed and every save is already fsynced, skip
    the interpreter's teardown: freeing 10,000 decoded clients one by one costs ~0.2 s."""
    code = main(exiting=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)

"""The command registry: each command declares its name, help, arguments and handler in one
place, the declaration sitting right on top of the handler:

    @command(
        "deliverable",
        "add a remaining deliverable",
        client_arg(),
        arg("title"),
        date_arg("--due", "when it is due"),
    )
    def deliverable(ctx: Context) -> None:
        ...

A new command goes into the module of its area (clients, case, settlement, letters, timers,
data); main.py turns the registry into the parser and lists the areas in the order
`offboard --help` shows them. Handlers get a Context, call the services and print; they
return nothing (exit 0) or an exit status.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..bootstrap import make_clock
from ..config import DbLocation, resolve_db_path
from ..domain.errors import OffboardError
from ..domain.models import Client
from ..domain.validate import DATE_FORMS, PAST_DATE_FORMS
from .output import client_summary, emit_json

if TYPE_CHECKING:
    from ..services import Services

EXIT_OK, EXIT_USER_ERROR, EXIT_INTERNAL = 0, 1, 2

CLIENT_HELP = "name, part of a name that matches one client, id or id prefix"


class UsageError(OffboardError):
    """A mistake in how the command was called: a one-line error with exit 1 like any other."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is a one-line error with exit 1 like every other."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}", f"see `{self.prog} --help`")


class Context:
    """What every handler needs, built lazily so `--help` touches no file."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.clock = make_clock(args.today)
        self._db_path: DbLocation | None = None
        self._services: Services | None = None

    @property
    def db_path(self) -> DbLocation:
        """The database (a file, or a PostgreSQL address): read on first use, since the
        config that may name it must not stand in the way of `offboard config` fixing it."""
        if self._db_path is None:
            self._db_path = resolve_db_path(self.args.db)
        return self._db_path

    def db_file(self, what: str) -> Path:
        """The database as a file, for what only a file has (backups, demo data). Raises
        OffboardError for a board on a server."""
        where = self.db_path
        if isinstance(where, Path):
            return where
        raise OffboardError(
            f"{what} works on a database file, and {where} is a PostgreSQL database",
            "the server keeps its own backups (pg_dump); `offboard export` / `offboard import` "
            "move a board between a file and the server",
        )

    @functools.cached_property
    def today(self) -> dt.date:
        """The day the command runs on, asked of the clock once: every row of its output
        counts from the same day, even if midnight passes while it writes them."""
        return self.clock.today()

    @property
    def services(self) -> Services:
        if self._services is None:
            from ..bootstrap import open_services

            self._services = open_services(self.db_path, self.clock, interface="cli")
        return self._services

    def report(self, client: Client, message: str) -> None:
        """What a command that changed a client prints: its `list` entry with --json, else
        `message`."""
        if self.args.json:
            emit_json(client_summary(client, self.today))
        else:
            print(message)


Handler = Callable[[Context], int | None]


@dataclass(frozen=True)
class Arg:
    """One argument, as `argparse.add_argument(*names, **options)` takes it."""

    names: tuple[str, ...]
    options: dict[str, Any]

    def add_to(self, target: argparse._ActionsContainer) -> None:
        target.add_argument(*self.names, **self.options)


@dataclass(frozen=True)
class OneOf:
    """Options that exclude each other."""

    args: tuple[Arg, ...]

    def add_to(self, target: argparse.ArgumentParser) -> None:
        group = target.add_mutually_exclusive_group()
        for a in self.args:
            a.add_to(group)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    handler: Handler
    args: tuple[Arg | OneOf, ...]
    json: bool  # takes --json
    area: str  # the module that declares it (main.AREAS orders them)
    epilog: str | None = None  # shown under the options, line breaks kept

    def add_to(self, sub: Any) -> None:
        extra = {"epilog": self.epilog, "formatter_class": argparse.RawDescriptionHelpFormatter}
        parser = sub.add_parser(
            self.name, help=self.help, description=self.help, **(extra if self.epilog else {})
        )
        parser.set_defaults(func=self.handler)
        if self.json:
            parser.add_argument("--json", action="store_true", help="print JSON")
        for a in self.args:
            a.add_to(parser)


COMMANDS: dict[str, Command] = {}


def command(
    name: str, help: str, *args: Arg | OneOf, json: bool = True, epilog: str | None = None
) -> Callable[[Any], Any]:
    """Register the decorated function as the handler of `offboard NAME`; `epilog`, if
    given, is printed below its options in `--help` as written."""

    def register(handler: Handler) -> Handler:
        if name in COMMANDS:
            raise ValueError(f"two commands are called {name!r}")
        COMMANDS[name] = Command(name, help, handler, args, json, handler.__module__, epilog)
        return handler

    return register


def arg(*names: str, **options: Any) -> Arg:
    return Arg(names, options)


def one_of(*args: Arg) -> OneOf:
    return OneOf(args)


def client_arg() -> Arg:
    return arg("client", help=CLIENT_HELP)


def date_arg(flag: str, what: str, *, required: bool = False, past: bool = False) -> Arg:
    """A date option. Its text goes to the services as typed; the help lists the forms
    (`past`: the date of something that happened)."""
    forms = PAST_DATE_FORMS if past else DATE_FORMS
    return arg(flag, metavar="DATE", required=required, help=f"{what}: {forms}")


def values(enum: type[Enum]) -> str:
    """The values of an enum, for a help text."""
    return ", ".join(str(m.value) for m in enum)

"""The address of a board on a PostgreSQL server, connecting to it, and what the server's
and libpq's errors mean for the user.

The address is a libpq connection URL (`postgresql://USER@HOST:PORT/DBNAME?sslmode=require`);
everything libpq reads besides it (PGHOST, PGPORT, PGPASSWORD, ~/.pgpass, a service file,
PGSSLMODE) works as it does for psql. A password written into the address is refused: it would
sit in offboard's config, in shell history or in `ps` for anyone to read.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from ..errors import DatabaseError
from .errors import (
    PASSWORD_SOURCES,
    AuthFailed,
    BadAddress,
    ConnectionLost,
    DatabaseMissing,
    NotAllowed,
    ServerBusy,
    ServerRefused,
    ServerUnreachable,
)

Connection = psycopg.Connection[Any]

# How long to wait for a server that does not answer, unless the address says otherwise.
CONNECT_TIMEOUT = 10
APPLICATION = "offboard"

_AUTH = re.compile(
    r"password authentication failed|no password supplied|authentication failed|"
    r"role \"[^\"]*\" does not exist|no pg_hba\.conf entry|password is required",
    re.IGNORECASE,
)
_NO_DATABASE = re.compile(r"database \"([^\"]*)\" does not exist")


@dataclass(frozen=True)
class Address:
    """A board's address: the URL as given (`where`, for messages) and what libpq reads of it."""

    where: str
    params: dict[str, str]

    @property
    def dbname(self) -> str:
        return self.params.get("dbname") or os.environ.get("PGDATABASE") or self.user

    @property
    def user(self) -> str:
        found = self.params.get("user") or os.environ.get("PGUSER")
        if found:
            return found
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "?"

    @property
    def server(self) -> str:
        """Host and port as libpq will use them (a socket folder for a local server)."""
        host = self.params.get("host") or os.environ.get("PGHOST") or "local socket"
        port = self.params.get("port") or os.environ.get("PGPORT") or "5432"
        return f"{host}:{port}"

    def with_dbname(self, dbname: str) -> Address:
        return Address(self.where, {**self.params, "dbname": dbname})


def parse_address(url: str) -> Address:
    """Read a PostgreSQL URL. Raises BadAddress for one libpq cannot read or that holds a
    password."""
    try:
        params = {k: str(v) for k, v in conninfo_to_dict(url).items() if v is not None}
    except psycopg.Error as exc:
        raise BadAddress(
            url,
            f"{url!r} is not a PostgreSQL address libpq can read ({_first_line(exc)})",
            "write it as postgresql://USER@HOST:PORT/DATABASE",
        ) from None
    if "password" in params:
        shown = _without_password(url)
        raise BadAddress(
            shown,
            f"the database address {shown} holds a password; offboard refuses to take one "
            "from its command line or config, where others can read it",
            f"remove it from the address; {PASSWORD_SOURCES}",
        )
    return Address(url, params)


def _without_password(url: str) -> str:
    shown = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", shown)


def connect(address: Address, *, dbname: str | None = None) -> Connection:
    """An autocommit connection (transactions are opened explicitly). Raises the errors of
    `translate`: ServerUnreachable, AuthFailed, DatabaseMissing, ..."""
    params: dict[str, Any] = dict(address.params)
    if dbname is not None:
        params["dbname"] = dbname
    params.setdefault("application_name", APPLICATION)
    if "connect_timeout" not in params and not os.environ.get("PGCONNECT_TIMEOUT"):
        params["connect_timeout"] = CONNECT_TIMEOUT
    try:
        return psycopg.connect(**params, autocommit=True)
    except psycopg.Error as exc:
        raise translate(exc, address, connecting=True) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text


def _reason(exc: BaseException) -> str:
    """libpq's own words, without the "connection to server ... failed:" preamble."""
    text = _first_line(exc)
    if "failed: " in text:
        text = text.rsplit("failed: ", 1)[1]
    return re.sub(r"^(FATAL|ERROR):\s+", "", text).strip() or type(exc).__name__


def translate(
    exc: psycopg.Error, address: Address, *, connecting: bool = False, committing: bool = False
) -> DatabaseError:
    """The DatabaseError that says what `exc` means for the user."""
    where = address.where
    reason = _reason(exc)
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return NotAllowed(where, reason)
    if isinstance(exc, pg_errors.LockNotAvailable | pg_errors.DeadlockDetected):
        return ServerBusy(where, reason)
    if isinstance(exc, pg_errors.SerializationFailure):
        return ServerBusy(where, reason)
    if isinstance(exc, pg_errors.InvalidCatalogName):
        return DatabaseMissing(where, address.dbname)
    if isinstance(exc, pg_errors.InvalidSchemaName):
        return BadAddress(
            where,
            f"the address {where} names a schema the server does not have ({reason})",
            "create the schema, or correct search_path in the address",
        )
    if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
        missing = _NO_DATABASE.search(str(exc))
        if missing:
            return DatabaseMissing(where, missing.group(1))
        if _AUTH.search(str(exc)):
            return AuthFailed(where, address.user, reason)
        if connecting:
            return ServerUnreachable(where, reason)
        return ConnectionLost(where, reason, unknown=committing)
    if isinstance(exc, pg_errors.AdminShutdown | pg_errors.CrashShutdown):
        return ConnectionLost(where, reason, unknown=committing)
    if isinstance(exc, pg_errors.CannotConnectNow):
        return ServerUnreachable(where, reason)
    return ServerRefused(where, reason)

"""What goes wrong with a database server, each said so the user knows what to do.

All are DatabaseError (offboard.storage.errors), so every front end already reports them as a
one-line error with a hint. Those worth retrying as they are (the server went away, the
connection dropped mid-change) are ServerGone (a WriteFailed): the TUI shows itself offline,
keeps the changes as unsaved and retries them once the server answers. This module does not
import psycopg: it also says that psycopg is missing.
"""

from __future__ import annotations

from ..errors import DatabaseError, DatabaseLocked, ServerGone

EXTRA = "pip install 'offboard[postgres]'"
PASSWORD_SOURCES = (
    "offboard never keeps passwords: put it in ~/.pgpass, in PGPASSWORD, or in a service "
    "file (pg_service.conf)"
)


class DriverMissing(DatabaseError):
    def __init__(self, where: str) -> None:
        super().__init__(
            where,
            f"{where} is a PostgreSQL database, and the PostgreSQL driver (psycopg) is not "
            "installed",
            f"install it with: {EXTRA}",
        )


class BadAddress(DatabaseError):
    """The address cannot be used as it is written (a password in it, a syntax error)."""


class ServerUnreachable(ServerGone):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(
            where,
            reason,
            f"cannot reach the PostgreSQL server of {where} ({reason}); nothing was changed",
            "check that the server is running and the address (host, port) is right, then "
            "try again",
        )


class ConnectionLost(ServerGone):
    """The connection broke during a change; `unknown` when it broke during the commit itself,
    so the server may or may not have kept the change."""

    def __init__(self, where: str, reason: str, *, unknown: bool = False) -> None:
        if unknown:
            message = (
                f"the connection to {where} broke while the change was being committed "
                f"({reason}); the server may or may not have kept it"
            )
            hint = "look at the client before making the change again"
        else:
            message = (
                f"the connection to {where} was lost during the change ({reason}); "
                "nothing of it was saved"
            )
            hint = "try again: offboard connects anew"
        super().__init__(where, reason, message, hint, unknown=unknown)


class AuthFailed(DatabaseError):
    def __init__(self, where: str, user: str, reason: str) -> None:
        super().__init__(
            where,
            f"the PostgreSQL server of {where} refused user {user!r} ({reason})",
            f"{PASSWORD_SOURCES}; the server's administrator can check the role and pg_hba.conf",
        )


class DatabaseMissing(DatabaseError):
    def __init__(self, where: str, dbname: str) -> None:
        super().__init__(
            where,
            f"the PostgreSQL server has no database {dbname!r}",
            f"create it with `offboard --db {where} db init` (or `createdb {dbname}`)",
        )


class NotAllowed(DatabaseError):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(
            where,
            f"the PostgreSQL server of {where} did not allow it ({reason}); nothing was changed",
            "ask the database's administrator to grant your role its rights on the board's "
            "tables, or to run `offboard db init` / `offboard db migrate` as the owner",
        )


class SchemaTooNew(DatabaseError):
    def __init__(self, where: str, found: int, known: int) -> None:
        super().__init__(
            where,
            f"the board at {where} has schema version {found}, newer than this offboard "
            f"understands ({known}); it was left untouched",
            "upgrade offboard on this machine (the others already run a newer one)",
        )
        self.found = found


class ServerBusy(DatabaseLocked):
    """A lock stayed taken too long, or two changes waited for each other."""

    def __init__(self, where: str, reason: str) -> None:
        DatabaseError.__init__(
            self,
            where,
            f"the board at {where} is busy ({reason}); nothing was changed",
            "try again in a moment",
        )


class ServerRefused(DatabaseError):
    """Anything else the server said no to, in its own words."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(
            where,
            f"the PostgreSQL server of {where} refused the request ({reason}); nothing was changed",
            "check the server's log, or run `offboard db status`",
        )

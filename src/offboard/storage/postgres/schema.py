"""The board's tables on the server, and the numbered steps that build and upgrade them.

`offboard_schema` holds one row per step applied. A board is created on first use and moved
forward by whichever offboard meets it first (under an advisory lock, so two starting at once
do not both try); a board whose newest step is one this offboard does not know is refused,
untouched. A step is only ever added at the end, never edited once released.

The tables live in the first schema of the connection's search_path (`public` unless the
address says otherwise), so one database can hold several boards, one per schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

from .connect import Address, Connection
from .errors import SchemaTooNew

# pg_advisory_xact_lock's first key: "offboard" as a number, paired with the schema's hash.
_LOCK_KEY = 0x0FFB0A7D


@dataclass(frozen=True)
class Step:
    version: int
    description: str
    statements: tuple[LiteralString, ...]


STEPS: tuple[Step, ...] = (
    Step(
        1,
        "clients as JSONB documents, their history, the undo journal",
        (
            # A client's record as `Client.to_dict()` writes it, without its history; `rev`
            # is what a stale edit is caught by. name and stage are what the board sorts by.
            """CREATE TABLE clients (
                id text PRIMARY KEY,
                rev integer NOT NULL,
                doc jsonb NOT NULL,
                name text GENERATED ALWAYS AS (doc ->> 'name') STORED,
                stage text GENERATED ALWAYS AS (doc ->> 'stage') STORED,
                changed_at timestamptz NOT NULL DEFAULT now()
            )""",
            # The board lists clients by stage and name; the agenda reads the active stages.
            "CREATE INDEX clients_by_stage ON clients (stage, lower(name))",
            # Who did what and when, one row per event, in the client's order (pos).
            """CREATE TABLE history (
                client_id text NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
                pos integer NOT NULL,
                at text NOT NULL,
                actor text NOT NULL,
                action text NOT NULL,
                event jsonb NOT NULL,
                PRIMARY KEY (client_id, pos)
            )""",
            "CREATE INDEX history_by_actor ON history (actor, at)",
            # Undo and redo entries; each person (actor) undoes only their own.
            """CREATE TABLE journal (
                id bigserial PRIMARY KEY,
                actor text NOT NULL,
                session text,
                kind text NOT NULL,
                seq integer NOT NULL,
                at timestamptz NOT NULL DEFAULT now(),
                entry jsonb NOT NULL
            )""",
            "CREATE INDEX journal_newest ON journal (actor, kind, id)",
        ),
    ),
    Step(
        2,
        "each client's whole record (its history included) kept as text for reading",
        (
            # JSON text as written, returned as it is: turning 10,000 JSONB documents back
            # into text and grouping their history made a board's first paint 1.5x the
            # file's. `doc` and `history` stay what queries and the history are read from.
            "ALTER TABLE clients ADD COLUMN record json",
            """UPDATE clients c SET record = (c.doc || jsonb_build_object('history',
                coalesce((SELECT jsonb_agg(h.event ORDER BY h.pos) FROM history h
                          WHERE h.client_id = c.id), '[]'::jsonb)))::json""",
            "ALTER TABLE clients ALTER COLUMN record SET NOT NULL",
        ),
    ),
)
LATEST = STEPS[-1].version

_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS offboard_schema (
    version integer PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT current_user
)"""


def version_of(conn: Connection) -> int:
    """The board's schema version: 0 where there is none yet."""
    row = conn.execute("SELECT to_regclass('offboard_schema') IS NOT NULL").fetchone()
    if row is None or not row[0]:
        return 0
    found = conn.execute("SELECT coalesce(max(version), 0) FROM offboard_schema").fetchone()
    return int(found[0]) if found is not None else 0


def check(conn: Connection, address: Address) -> int:
    """The version, refusing one newer than this offboard knows. Raises SchemaTooNew."""
    version = version_of(conn)
    if version > LATEST:
        raise SchemaTooNew(address.where, version, LATEST)
    return version


def migrate(conn: Connection, address: Address) -> list[Step]:
    """Apply every step the board lacks, all in one transaction; returns those applied.

    Raises SchemaTooNew, and the server's refusals (no right to create tables: NotAllowed,
    once translated by the caller)."""
    if check(conn, address) == LATEST:
        return []
    with conn.transaction():
        conn.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(coalesce(current_schema(), '')))",
            (_LOCK_KEY,),
        )
        version = check(conn, address)  # another process may have done it meanwhile
        conn.execute(_VERSION_TABLE)
        applied = [step for step in STEPS if step.version > version]
        for step in applied:
            for statement in step.statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO offboard_schema (version, description) VALUES (%s, %s)",
                (step.version, step.description),
            )
    return applied

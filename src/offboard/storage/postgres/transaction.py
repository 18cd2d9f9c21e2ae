"""One change on the server: the Transaction protocol (storage/repository.py) in SQL.

It runs inside one server transaction at READ COMMITTED. A client is read with SELECT ... FOR
UPDATE before it is saved, and the UPDATE names the revision it replaces, so two writers
never lose an update: the second waits for the first, then sees the new revision and is
refused as a stale edit (the same rule and message as the file, `next_revision`). The undo
journal is each actor's own: `journal_pop` and `journal_drop` see only the entries of the
person this repository works for, and the journal limit counts per person.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from psycopg import sql

from ...collector import paused_gc
from ...domain.errors import NotFound, OffboardError
from ...domain.models import Client
from ..repository import (
    JOURNAL_LIMIT,
    UNDO,
    ClientRef,
    Decoder,
    next_revision,
    ref_name,
    refuse_nul,
)
from ..snapshot import Record
from .connect import Connection

# A client's stored record: its revision, and its whole record (history included) as the
# JSON text it was written as (schema step 2), which the server hands back as it is.
_RECORDS = sql.SQL("SELECT c.id, c.rev, c.record::text FROM clients c")
# A client's events (a JSON array) from position `start` on, one row each.
_ADD_EVENTS = (
    "INSERT INTO history (client_id, pos, at, actor, action, event) "
    "SELECT %s, %s + e.ord - 1, coalesce(e.event ->> 'at', ''), "
    "coalesce(e.event ->> 'actor', ''), coalesce(e.event ->> 'action', ''), e.event "
    "FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS e(event, ord)"
)
_LOCK = sql.SQL("SELECT 1 FROM clients c")
_SOME = sql.SQL(" WHERE c.id = ANY(%s)")
_FOR_UPDATE = sql.SQL(" FOR UPDATE")


def record_of(rev: int, text: str) -> Record:
    record: Record = orjson.loads(text)
    record["rev"] = rev
    return record


def fetch_records(
    conn: Connection, ids: list[str] | None, *, lock: bool = False
) -> dict[str, Record]:
    """The stored records of `ids` (every client for None), by id; `lock` locks them for the
    rest of the transaction first.

    Locking is its own statement: the read after the lock begins after the commit of any
    writer it waited for, and sees all of that change.
    """
    params: tuple[Any, ...] = ()
    where = sql.SQL("")
    if ids is not None:
        where = _SOME
        params = (ids,)
    query = _RECORDS + where
    if lock:
        # Both in one round trip: the server still runs them one after the other.
        with conn.pipeline():
            conn.execute(_LOCK + where + _FOR_UPDATE, params)
            cursor = conn.execute(query, params)
    else:
        cursor = conn.execute(query, params)
    # Many small objects and no cycle: the collector's passes over a whole board found
    # nothing and tripled the time it took.
    with paused_gc():
        return {row[0]: record_of(row[1], row[2]) for row in cursor.fetchall()}


def dumps(value: Any, name: str) -> str:
    """JSON text for the server, refusing NUL (JSONB cannot hold it). Raises InvalidInput."""
    payload = orjson.dumps(value)
    refuse_nul(value, name, payload)
    return payload.decode()


class PgTransaction:
    """The Transaction protocol over an open server transaction on `conn`."""

    def __init__(self, conn: Connection, decode: Decoder, actor: str) -> None:
        self._conn = conn
        # New clients put but not sent yet: id, revision, document, whole record, events.
        self._new: list[tuple[str, int, str, str, str]] = []
        self._decode = decode
        self._actor = actor
        # Records read under lock (or written) in this transaction; None: known not to exist.
        self._held: dict[str, Record | None] = {}
        # What was written, for the notification and the repository's idea of what it saw:
        # id -> new revision (None: deleted).
        self.written: dict[str, int | None] = {}

    # --- reading -----------------------------------------------------------------------------

    def _locked(self, client_id: str) -> Record | None:
        if client_id not in self._held:
            found = fetch_records(self._sql(), [client_id], lock=True)
            self._held[client_id] = found.get(client_id)
        return self._held[client_id]

    def get(self, client_id: str) -> Client:
        record = self._locked(client_id)
        if record is None:
            raise NotFound(f"no client with id {client_id}")
        return self._decode(record)

    def exists(self, client_id: str) -> bool:
        # Asked just before a get or a put of the same client, nearly always: read it under
        # lock now, once.
        return self._locked(client_id) is not None

    def all_refs(self) -> list[ClientRef]:
        rows = self._sql().execute("SELECT id, doc -> 'name' FROM clients").fetchall()
        return [ClientRef(cid, ref_name({"name": name})) for cid, name in rows]

    def all(self) -> list[Client]:
        return [self._decode(record) for record in fetch_records(self._sql(), None).values()]

    # --- writing -----------------------------------------------------------------------------

    def put(self, client: Client, expected_rev: int | None) -> Client:
        """Store a client (rules and errors: repository.next_revision; InvalidInput for text
        holding NUL)."""
        current = self._locked(client.id)
        new_rev = next_revision(client, expected_rev, current)
        client.rev = new_rev
        record = client.to_dict()
        whole = dumps(record, client.name)
        history: list[Record] = record.pop("history")
        doc = orjson.dumps(record).decode()  # what `whole` holds, checked there
        events = orjson.dumps(history).decode()
        if current is None:
            # Sent with the next statement or the commit, together with any others: an
            # import of 10,000 clients is then a few round trips, not 20,000.
            self._new.append((client.id, new_rev, doc, whole, events))
        else:
            conn = self._sql()
            with conn.pipeline():
                conn.execute(
                    "UPDATE clients SET doc = %s::jsonb, record = %s::json, rev = %s, "
                    "changed_at = now() WHERE id = %s AND rev = %s",
                    (doc, whole, new_rev, client.id, current.get("rev")),
                )
                self._rewrite_history(client.id, current.get("history", []), history, events)
        self._held[client.id] = {**record, "rev": new_rev, "history": history}
        self.written[client.id] = new_rev
        return client

    def _rewrite_history(
        self, client_id: str, old: list[Record], new: list[Record], new_text: str
    ) -> None:
        """Keep the events both share (usually all but the new one), replace the rest: an
        undo cuts the history back before adding its own event."""
        same = 0
        for before, after in zip(old, new, strict=False):
            if before != after:
                break
            same += 1
        if same < len(old):
            self._sql().execute(
                "DELETE FROM history WHERE client_id = %s AND pos >= %s", (client_id, same)
            )
        if same < len(new):
            tail = new_text if same == 0 else orjson.dumps(new[same:]).decode()
            self._add_events(client_id, same, tail)

    def _add_events(self, client_id: str, start: int, events: str) -> None:
        self._sql().execute(_ADD_EVENTS, (client_id, start, events))

    def delete(self, client_id: str) -> None:
        """Remove a client and its history. Raises NotFound."""
        if self._locked(client_id) is None:
            raise NotFound(f"no client with id {client_id}")
        self._sql().execute("DELETE FROM clients WHERE id = %s", (client_id,))
        self._held[client_id] = None
        self.written[client_id] = None

    def add_records(self, records: Iterable[Record]) -> int:
        """New clients in their stored form, each at revision 1 (see DocTransaction): looked
        up in one statement and sent in one batch. Raises OffboardError for an id that
        exists (or comes twice), InvalidInput for text with NUL."""
        clients = [self._decode({**doc, "rev": 0}) for doc in records]
        unknown = [client.id for client in clients if client.id not in self._held]
        if unknown:
            found = fetch_records(self._sql(), unknown, lock=True)
            for cid in unknown:
                self._held[cid] = found.get(cid)
        for client in clients:
            self.put(client, None)
        return len(clients)

    # --- new clients, sent in batches ---------------------------------------------------------

    def _sql(self) -> Connection:
        """The connection, once the new clients waiting to be sent are sent: every statement
        after them must see them."""
        self.flush()
        return self._conn

    def flush(self) -> None:
        """Send the new clients `put` holds back, in one batch. Raises OffboardError for an
        id another writer added since it was looked up."""
        new, self._new = self._new, []
        if not new:
            return
        with self._conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO clients (id, rev, doc, record) "
                "VALUES (%s, %s, %s::jsonb, %s::json) ON CONFLICT (id) DO NOTHING RETURNING id",
                [(cid, rev, doc, whole) for cid, rev, doc, whole, _ in new],
                returning=True,
            )
            inserted: set[str] = set()
            while True:
                inserted.update(row[0] for row in cursor.fetchall())
                if not cursor.nextset():
                    break
            for cid, *_ in new:
                if cid not in inserted:  # added by another writer since we looked
                    raise OffboardError(f"a client with id {cid} already exists")
            cursor.executemany(_ADD_EVENTS, [(item[0], 0, item[4]) for item in new])

    # --- the undo journal, per actor ----------------------------------------------------------

    def journal_push(self, entry: dict[str, Any]) -> None:
        text = dumps(entry, str(entry.get("summary", "an undo entry")))
        params = {
            "actor": self._actor,
            "session": entry.get("session"),
            "kind": entry.get("kind", UNDO),
            "entry": text,
        }
        row = (
            self._sql()
            .execute(
                "WITH n AS (SELECT coalesce(max(seq), 0) + 1 AS seq, count(*) AS held FROM journal "
                "WHERE actor = %(actor)s), added AS (INSERT INTO journal "
                "(actor, session, kind, seq, entry) SELECT %(actor)s, %(session)s, %(kind)s, "
                "n.seq, jsonb_set(%(entry)s::jsonb, '{seq}', to_jsonb(n.seq)) FROM n) "
                "SELECT held FROM n",
                params,
            )
            .fetchone()
        )
        if row is not None and row[0] + 1 > JOURNAL_LIMIT:
            self._sql().execute(
                "DELETE FROM journal WHERE id IN (SELECT id FROM journal WHERE actor = %s "
                "ORDER BY id DESC OFFSET %s)",
                (self._actor, JOURNAL_LIMIT),
            )

    def journal_rebase(self, client_id: str, old_rev: int, new_rev: int) -> None:
        """After an undo, older entries (anyone's) about that state carry the new revision."""
        probe = orjson.dumps([{"client_id": client_id, "after_rev": old_rev}]).decode()
        rows = (
            self._sql()
            .execute(
                "SELECT id, entry::text FROM journal "
                "WHERE entry -> 'changes' @> %s::jsonb FOR UPDATE",
                (probe,),
            )
            .fetchall()
        )
        for row_id, text in rows:
            entry = orjson.loads(text)
            entry["changes"] = [
                {**c, "after_rev": new_rev}
                if c.get("client_id") == client_id and c.get("after_rev") == old_rev
                else c
                for c in entry["changes"]
            ]
            self._sql().execute(
                "UPDATE journal SET entry = %s::jsonb WHERE id = %s",
                (orjson.dumps(entry).decode(), row_id),
            )

    def journal_pop(self, session: str | None, kind: str = UNDO) -> dict[str, Any] | None:
        """Take this actor's newest entry of `kind` (of one session, if given) off."""
        row = (
            self._sql()
            .execute(
                "DELETE FROM journal WHERE id = (SELECT id FROM journal WHERE actor = %s "
                "AND kind = %s AND (%s::text IS NULL OR session = %s) ORDER BY id DESC LIMIT 1 "
                "FOR UPDATE) RETURNING entry::text",
                (self._actor, kind, session, session),
            )
            .fetchone()
        )
        if row is None:
            return None
        popped: dict[str, Any] = orjson.loads(row[0])
        return popped

    def journal_drop(self, kind: str) -> None:
        """Remove this actor's entries of `kind` (a colleague's redo is theirs to keep)."""
        self._sql().execute(
            "DELETE FROM journal WHERE actor = %s AND kind = %s", (self._actor, kind)
        )

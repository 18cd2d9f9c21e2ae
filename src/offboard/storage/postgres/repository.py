"""The Repository on a PostgreSQL server: a team's shared board.

One connection serves reads and changes, one at a time (a lock, as the in-memory backend
has: the TUI reads on its own thread while its writer thread saves). A dropped connection is
noticed on its next use; reads then retry once on a new one, and a change is refused with a
clear error (nothing of it saved) and works again on the next try. Snapshots are cheap after
the first: the revisions of every client are compared with the last snapshot's, and only
records that changed are fetched again.

A second connection, opened the first time someone asks `changed_on_disk()` (the TUI's poll;
a CLI command never does), LISTENs for the notification every change sends on commit with
the ids it changed, so a colleague's change reaches an open board within a poll. When it
drops, the poll hears of it: `changed_on_disk()` listens again at once, and raises the
connecting error when the server cannot be reached (the TUI then shows itself offline).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any, TypeVar

import orjson
import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus

from ...domain.codec import client_from_stored
from ...domain.errors import NotFound, OffboardError
from ...domain.models import Client
from ..errors import CorruptDatabase
from ..repository import ClientRef, cached_decode, ref_name
from ..snapshot import ClientSnapshot, Record
from . import schema
from .connect import Address, Connection, connect, parse_address, translate
from .errors import DatabaseMissing
from .transaction import PgTransaction, fetch_records

T = TypeVar("T")

# Up to this many changed clients a snapshot fetches them by id, past it (and past a quarter
# of the board) all of them in one pass.
_FEW_STALE = 200
# A NOTIFY payload must stay under 8000 bytes: a bigger change says "everything".
_MAX_NOTIFY_IDS = 150
# Waiting between attempts to get the change notifications back after they stopped: from half
# a second, doubling, to ten (a server back after a restart is heard from within seconds).
_LISTEN_FIRST_PAUSE = 0.5
_LISTEN_LONGEST_PAUSE = 10.0


class PgRepository:
    """The Repository on a PostgreSQL server (see offboard.storage.repository).

    `url` is the board's address; `path` a local folder name for what stays on this machine
    (letter drafts, beside it); `actor` whose undo journal this repository works with (the
    config's `user`, else the login name). `lock_timeout` is how long a change waits for a
    client someone else is changing.

    Raises, besides what the protocol lists: BadAddress for an address it cannot use (at
    once); on first use ServerUnreachable, AuthFailed, DatabaseMissing, NotAllowed and
    SchemaTooNew; ConnectionLost when the server goes away during a change; ServerBusy when a
    lock stays taken longer than `lock_timeout`.
    """

    def __init__(self, url: str, path: Path, *, actor: str, lock_timeout: float = 5.0) -> None:
        self.address: Address = parse_address(url)
        self.path = path
        self.actor = actor
        self.lock_timeout = lock_timeout
        self._lock = threading.RLock()
        self._conn: Connection | None = None
        self._in_transaction = False
        self._channel = ""
        self._own_pids: set[int] = set()
        # The last snapshot's records, never changed in place (snapshots share them).
        self._docs: dict[str, Record] = {}
        # Revisions as this repository last saw them (read, or written by itself).
        self._seen: dict[str, int] = {}
        self._decoded: dict[str, tuple[int, Client]] = {}
        self._listener: Connection | None = None
        self._listen_failures = 0
        self._listen_next_try = 0.0
        self._outside_change = False

    @property
    def where(self) -> str:
        return self.address.where

    # --- the connection ----------------------------------------------------------------------

    def _connection(self) -> Connection:
        conn = self._conn
        if conn is not None and not conn.closed and not conn.broken:
            return conn
        self._drop()
        conn = connect(self.address)
        try:
            conn.execute(
                "SELECT set_config('lock_timeout', %s, false)",
                (f"{int(self.lock_timeout * 1000)}",),
            )
            schema.migrate(conn, self.address)
            row = conn.execute("SELECT coalesce(current_schema(), '')").fetchone()
        except psycopg.Error as exc:
            conn.close()
            raise translate(exc, self.address, connecting=True) from None
        except BaseException:
            conn.close()
            raise
        self._channel = f"offboard.{row[0] if row else ''}"[:63]
        self._own_pids.add(conn.info.backend_pid)
        self._conn = conn
        # The server answers again: listening again need not wait for its pause to run out.
        self._listen_failures = 0
        self._listen_next_try = 0.0
        return conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def _read(self, work: Callable[[Connection], T]) -> T:
        """`work` on the connection; a connection found dropped is replaced once (a read can
        safely be done again), then the trouble is reported."""
        with self._lock:
            for attempt in (1, 2):
                conn = self._connection()
                try:
                    return work(conn)
                except psycopg.Error as exc:
                    broken = self._forget_if_broken(conn)
                    if not broken and conn.info.transaction_status != TransactionStatus.IDLE:
                        self._rollback(conn)
                    if not (broken and attempt == 1):
                        raise translate(exc, self.address) from None
            raise AssertionError("unreachable")

    # --- reading -------------------------------------------------------------------------------

    def _decode(self, record: Record) -> Client:
        try:
            return client_from_stored(record)
        except OffboardError as exc:
            raise CorruptDatabase(
                self.path,
                f"(the board at {self.where}) holds a damaged client record: {exc.message}",
                "correct the record on the server, or ask its administrator",
            ) from None

    def _decode_cached(self, key: str, record: Record) -> Client:
        return cached_decode(self._decoded, key, record, self._decode)

    def fields_view(self, fields: Collection[str]) -> ClientSnapshot:
        """Every whole record: the snapshot, which fetches only the records changed since
        the last one."""
        return self.snapshot()

    def snapshot(self) -> ClientSnapshot:
        """The clients as stored now: only what changed since the last snapshot is fetched."""
        with self._lock:
            self._poll_notifications()
            self._outside_change = False
            old = self._docs
            revs, fetched = self._read(lambda conn: _changed_since(conn, old))
            docs = {cid: fetched.get(cid) or old[cid] for cid in revs}
            self._docs = docs
            self._seen = revs
        for cid in set(self._decoded) - set(docs):
            self._decoded.pop(cid, None)
        return ClientSnapshot(docs, self._decode_cached)

    def clients(self) -> list[Client]:
        """Every client (shared, read-only), decoded once per revision."""
        return [self._decode_cached(cid, record) for cid, record in self.snapshot().docs()]

    def refs(self) -> list[ClientRef]:
        rows = self._read(
            lambda conn: conn.execute("SELECT id, doc -> 'name' FROM clients").fetchall()
        )
        return [ClientRef(cid, ref_name({"name": name})) for cid, name in rows]

    def get(self, client_id: str) -> Client:
        """The client, decoded afresh. Raises NotFound."""
        found = self._read(lambda conn: fetch_records(conn, [client_id]))
        record = found.get(client_id)
        if record is None:
            raise NotFound(f"no client with id {client_id}")
        return self._decode(record)

    # --- changing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PgTransaction]:
        """One change, one server transaction, committed when the body finishes (and then
        announced to the other offboards on this board). Raises RuntimeError when nested,
        ConnectionLost, ServerBusy, NotAllowed."""
        with self._lock:
            if self._in_transaction:
                raise RuntimeError("transactions do not nest")
            self._in_transaction = True
            try:
                yield from self._run_transaction()
            finally:
                self._in_transaction = False

    def _run_transaction(self) -> Iterator[PgTransaction]:
        conn = self._begin()
        tx = PgTransaction(conn, self._decode, self.actor)
        try:
            try:
                yield tx
                tx.flush()  # the new clients it holds back, before the commit
            except BaseException:
                self._rollback(conn)
                raise
            try:
                self._commit(conn, tx.written)
            except psycopg.Error as exc:
                self._forget_if_broken(conn)
                raise translate(exc, self.address, committing=True) from None
        except psycopg.Error as exc:  # from the body's statements: rolled back above
            self._forget_if_broken(conn)
            raise translate(exc, self.address) from None
        for cid, rev in tx.written.items():
            if rev is None:
                self._seen.pop(cid, None)
            else:
                self._seen[cid] = rev

    def _begin(self) -> Connection:
        """A connection with a transaction begun. A connection found dropped here, before
        anything was done, is replaced once (the server restarted, a firewall timed it out)."""
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.execute("BEGIN")
                return conn
            except psycopg.Error as exc:
                broken = self._forget_if_broken(conn)
                if not (broken and attempt == 1):
                    raise translate(exc, self.address, connecting=broken) from None
        raise AssertionError("unreachable")

    def _rollback(self, conn: Connection) -> None:
        try:
            conn.execute("ROLLBACK")
        except psycopg.Error:
            self._drop()  # its server process ends the transaction with the connection

    def _forget_if_broken(self, conn: Connection) -> bool:
        if conn.broken or conn.closed:
            if conn is self._conn:
                self._drop()
            return True
        return False

    def _commit(self, conn: Connection, written: dict[str, int | None]) -> None:
        """Commit, telling the others on the board which clients changed (delivered by the
        server with the commit, never before and never for a change rolled back)."""
        if not written:
            conn.execute("COMMIT")
            return
        ids = sorted(written)
        payload = {"ids": ids} if len(ids) <= _MAX_NOTIFY_IDS else {"all": True}
        with conn.pipeline():
            conn.execute(
                "SELECT pg_notify(%s, %s)", (self._channel, orjson.dumps(payload).decode())
            )
            conn.execute("COMMIT")

    # --- noticing a colleague's change ------------------------------------------------------

    def changed_on_disk(self) -> bool:
        """Whether someone else changed the board since this repository last read it.

        Checks for notifications without waiting. The first call starts listening and
        compares the stored revisions with the ones last read; so does the first call after
        the listening connection dropped, at once. Raises ServerUnreachable (a ServerGone)
        when the server cannot be reached to listen again, and the other connecting errors;
        after a failed attempt the next waits half a second, doubling to ten, and the calls
        meanwhile say False."""
        with self._lock:
            if self._listening():
                self._poll_notifications()
            if self._listening():
                return self._outside_change
            return self._start_listening()

    def _listening(self) -> bool:
        listener = self._listener
        return listener is not None and not listener.closed and not listener.broken

    def _poll_notifications(self) -> None:
        listener = self._listener
        if listener is None:
            return
        try:
            for note in listener.notifies(timeout=0):
                if note.pid not in self._own_pids:
                    self._outside_change = True
        except psycopg.Error:
            self._stop_listening()

    def _start_listening(self) -> bool:
        now = time.monotonic()
        if now < self._listen_next_try:
            return False
        self._stop_listening()
        listener = None
        try:
            self._connection()  # the channel's name, and a board that is usable
            listener = connect(self.address)
            try:
                listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
            except psycopg.Error as exc:
                raise translate(exc, self.address, connecting=True) from None
            revs = self._read(_revisions)
        except OffboardError:
            if listener is not None:
                listener.close()
            doubled = _LISTEN_FIRST_PAUSE * 2 ** min(self._listen_failures, 8)
            pause = min(doubled, _LISTEN_LONGEST_PAUSE)
            self._listen_failures += 1
            self._listen_next_try = time.monotonic() + pause
            raise
        self._listener = listener
        self._listen_failures = 0
        self._listen_next_try = 0.0
        self._outside_change = self._outside_change or revs != self._seen
        return self._outside_change

    def _stop_listening(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(Exception):
                listener.close()

    def close(self) -> None:
        with self._lock:
            self._stop_listening()
            self._drop()

    # --- administration: `offboard db init|status|migrate` ------------------------------------

    def create_database(self) -> bool:
        """Create the address's database if the server lacks it; True if it was created.
        Raises NotAllowed when the role may not create databases, and the connecting errors."""
        with self._lock:
            try:
                connect(self.address).close()
                return False
            except DatabaseMissing:
                pass
            dbname = self.address.dbname
            admin = None
            for maintenance in ("postgres", "template1"):
                try:
                    admin = connect(self.address, dbname=maintenance)
                    break
                except DatabaseMissing:
                    continue
            if admin is None:
                raise DatabaseMissing(self.where, dbname)
            try:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
            except psycopg.Error as exc:
                raise translate(exc, self.address) from None
            finally:
                admin.close()
            return True

    def migrate(self) -> list[tuple[int, str]]:
        """Bring the board's tables up to this offboard's version; returns the steps applied
        (version, description). Raises SchemaTooNew, NotAllowed, the connecting errors."""
        with self._lock:
            conn = connect(self.address)
            try:
                applied = schema.migrate(conn, self.address)
            except psycopg.Error as exc:
                raise translate(exc, self.address) from None
            finally:
                conn.close()
        return [(step.version, step.description) for step in applied]

    # --- for `offboard db status` and the tests -------------------------------------------------

    def backend_pid(self) -> int | None:
        """The server process of the current connection, if there is one."""
        conn = self._conn
        return None if conn is None or conn.closed else conn.info.backend_pid

    def status(self) -> dict[str, Any]:
        """What `offboard db status` shows, read without changing anything."""
        with self._lock:
            conn = connect(self.address)
            try:
                version = schema.version_of(conn)
                row = conn.execute(
                    "SELECT current_database(), current_user, coalesce(current_schema(), ''), "
                    "current_setting('server_version')"
                ).fetchone()
                assert row is not None
                count = None
                if version > 0:
                    found = conn.execute("SELECT count(*) FROM clients").fetchone()
                    count = int(found[0]) if found is not None else None
            except psycopg.Error as exc:
                raise translate(exc, self.address) from None
            finally:
                conn.close()
        return {
            "address": self.where,
            "server": self.address.server,
            "server_version": row[3],
            "database": row[0],
            "role": row[1],
            "schema": row[2],
            "schema_version": version,
            "app_schema_version": schema.LATEST,
            "clients": count,
            "migrate_needed": version < schema.LATEST,
            "too_new": version > schema.LATEST,
            "local_folder": str(self.path.parent),
        }


def _revisions(conn: Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT id, rev FROM clients").fetchall())


def _changed_since(
    conn: Connection, old: dict[str, Record]
) -> tuple[dict[str, int], dict[str, Record]]:
    """Every client's revision, and the records of those whose revision is not the one in
    `old`, read as of one moment."""
    if not old:  # the first: every record, and the revisions from them
        records = fetch_records(conn, None)
        return {cid: record["rev"] for cid, record in records.items()}, records
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        revs = _revisions(conn)
        stale = [cid for cid, rev in revs.items() if old.get(cid, {}).get("rev") != rev]
        if len(stale) > _FEW_STALE and len(stale) > len(revs) // 4:
            # Most of the board (the first snapshot, a reload after a long absence): read it
            # all in one pass rather than look up so many one by one.
            return revs, fetch_records(conn, None)
        return revs, (fetch_records(conn, stale) if stale else {})

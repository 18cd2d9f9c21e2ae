"""The repository in one local file: a TinyDB-compatible JSON document saved atomically.

The file's layout is `{"_meta": {...}, "clients": {id: record}, "journal": {seq: entry}}`, so
the undo journal is saved by the same atomic write as the change it undoes. Changes work on
the storage's loaded data directly (DocTransaction), not through TinyDB's Table API, which
rebuilds the whole table on every insert or update: at 10,000 clients that alone cost
milliseconds per change. `db` (a TinyDB over the same storage) stays for tools and tests that
use TinyDB's own table methods.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from ..collector import paused_gc
from ..domain.errors import NotFound
from ..domain.models import Client
from .errors import CorruptDatabase
from .jsonfile import AtomicJSONStorage
from .loading import CLIENTS, Data
from .repository import (
    ClientRef,
    DocTransaction,
    RecordsView,
    cached_decode,
    decode_client,
    ref_name,
)
from .snapshot import ClientSnapshot, Record

JOURNAL = "journal"

__all__ = ["CLIENTS", "JOURNAL", "TinyRepository", "check_clients", "decode_client"]


class _StrIdTable(Table):
    # Client ids are UUIDs, never TinyDB's integers (whose type TinyDB's stubs insist on).
    document_id_class = str  # type: ignore[assignment]


class _StrIdDB(TinyDB):
    table_class = _StrIdTable


def _check_key(key: str, doc: Record, path: Path) -> None:
    if doc.get("id") != key:
        raise CorruptDatabase(
            path, f"files a client record under {key!r} but its id is {doc.get('id')!r}"
        )


def check_clients(data: Data, path: Path) -> int:
    """Decode every client record of loaded data (CorruptDatabase names the first damaged
    one); returns how many there are."""
    table = data.get(CLIENTS, {})
    for key, doc in table.items():
        _check_key(key, doc, path)
        decode_client(doc, path)
    return len(table)


class TinyRepository:
    """The Repository over one database file (see offboard.storage.repository).

    Raises, besides what the protocol lists: DatabaseError when `path` cannot be a database
    (a link to nothing); CorruptDatabase and UnsupportedVersion from any read of a file it
    cannot use, which is then left untouched.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        backups: int = 10,
        lock_timeout: float = 5.0,
        long_lived: bool = False,
    ) -> None:
        self.path = Path(path)
        self._decoded: dict[str, tuple[int, Client]] = {}
        # The records the last snapshots share (see `snapshot`): the table they were copied
        # from, the copy, and the ids written since.
        self._shared: tuple[dict[str, Record], dict[str, Record], set[str]] | None = None
        self.db = _StrIdDB(
            self.path,
            storage=AtomicJSONStorage,
            backups=backups,
            lock_timeout=lock_timeout,
            validate=self._validate,
            keep_read_bytes=not long_lived,
        )
        self.storage: AtomicJSONStorage = self.db.storage  # type: ignore[assignment]

    def decode(self, doc: Record) -> Client:
        return decode_client(doc, self.path)

    def _validate(self, data: Data) -> None:
        """Runs whenever the file is (re)loaded: every client record must decode, so a damaged
        record stops reads and writes alike, and no save rewrites a file we cannot read.
        Records are decoded once per revision; clients() reuses the result."""
        cache = self._decoded
        fresh: dict[str, tuple[int, Client]] = {}
        with paused_gc():
            for key, doc in data.get(CLIENTS, {}).items():
                rev = doc.get("rev", 0)
                hit = cache.get(key)
                if hit is None or hit[0] != rev:
                    _check_key(key, doc, self.path)
                    fresh[key] = (rev, self.decode(doc))
        cache.update(fresh)  # only once the whole file passed

    def _table(self) -> dict[str, Record]:
        data = self.storage.read()
        return {} if data is None else data.get(CLIENTS, {})

    def clients(self) -> list[Client]:
        """Every client, as shared read-only snapshots (decoded once per revision)."""
        table = self._table()
        cache = self._decoded
        decode = self.decode
        with paused_gc():
            result = [cached_decode(cache, key, doc, decode) for key, doc in table.items()]
        if len(cache) > len(table):
            for key in set(cache) - set(table):
                del cache[key]
        return result

    def snapshot(self) -> ClientSnapshot:
        """The clients as stored now, decoded only when looked at.

        Cheap at any size (a copy of the table's index, not of the records): records are
        replaced, never edited in place, so the snapshot stays as it was while later saves
        go on. Safe to read from another thread than the one that took it.
        """
        table = self._table()
        shared = self._shared
        if shared is not None and shared[0] is table and len(shared[2]) <= _layer_limit(table):
            # Saves since the copy went through `transaction`, which noted their ids; the
            # same table object means no reload replaced it meanwhile.
            over = {cid: table.get(cid) for cid in shared[2]}
            return ClientSnapshot(shared[1], self._decode_cached, over=over)
        copy = dict(table)
        self._shared = (table, copy, set())
        return ClientSnapshot(copy, self._decode_cached)

    def fields_view(self, fields: Collection[str]) -> RecordsView:
        """The records cut to `fields` (storage/fields.py) when this repository has not read
        the file yet and its version is vouched for; else the snapshot."""
        if not self.storage.loaded:
            from .fields import read_fields  # msgspec: only a list of every client needs it

            view = read_fields(self.storage.path, fields)
            if view is not None:
                return view
        return self.snapshot()

    def _decode_cached(self, key: str, doc: Record) -> Client:
        return cached_decode(self._decoded, key, doc, self.decode)

    def refs(self) -> list[ClientRef]:
        return [ClientRef(key, ref_name(doc)) for key, doc in self._table().items()]

    def get(self, client_id: str) -> Client:
        """The client, decoded afresh. Raises NotFound."""
        doc = self._table().get(client_id)
        if doc is None:
            raise NotFound(f"no client with id {client_id}")
        return self.decode(doc)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[DocTransaction]:
        """One change, one atomic save under the lock (errors: AtomicJSONStorage.transaction).
        If the body raises, nothing is saved and the loaded data is dropped, to be read
        again from the unchanged file."""
        with self.storage.transaction() as data:
            tx = DocTransaction(_table_of(data, CLIENTS), _table_of(data, JOURNAL), self.decode)
            yield tx
            if tx.changed:
                clients, entries = tx.touched()
                if self._shared is not None:
                    self._shared[2].update(clients)  # before the save: it may fail half-way
                self.storage.mark_changed(
                    {CLIENTS: clients, JOURNAL: entries}, before={CLIENTS: tx.clients_before()}
                )

    def changed_on_disk(self) -> bool:
        return self.storage.changed_on_disk()

    def close(self) -> None:
        self.db.close()


def _layer_limit(table: dict[str, Record]) -> int:
    """How many clients snapshots may hold over the shared copy before a new copy is made:
    one copy per this many changes costs less than carrying the layer."""
    return max(64, len(table) // 32)


def _table_of(data: Data, name: str) -> dict[str, Any]:
    table = data.get(name)
    if table is None:
        table = data[name] = {}
    return table

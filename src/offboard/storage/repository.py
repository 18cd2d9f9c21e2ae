"""The repository: what the services need from storage, and its TinyDB implementation.

Clients are TinyDB documents keyed by their UUID. The undo journal lives in the same file so
a change and the means to undo it are saved by one atomic write.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from tinydb import TinyDB
from tinydb.table import Document, Table

from ..domain.codec import NO_NAME, client_from_stored
from ..domain.errors import NotFound, OffboardError, StaleEdit
from ..domain.models import Client
from .errors import CorruptDatabase
from .jsonfile import AtomicJSONStorage, Data, paused_gc

CLIENTS = "clients"
JOURNAL = "journal"
JOURNAL_LIMIT = 200


class ClientRef(NamedTuple):
    """Just enough of a client to resolve what the user typed, without decoding it."""

    id: str
    name: str


class Transaction(Protocol):
    def all_refs(self) -> list[ClientRef]: ...
    def get(self, client_id: str) -> Client: ...
    def exists(self, client_id: str) -> bool: ...
    def all(self) -> list[Client]: ...
    def put(self, client: Client, expected_rev: int | None) -> Client: ...
    def delete(self, client_id: str) -> None: ...
    def journal_push(self, entry: dict[str, Any]) -> None: ...
    def journal_rebase(self, client_id: str, old_rev: int, new_rev: int) -> None: ...
    def journal_pop(self, session: str | None) -> dict[str, Any] | None: ...


class Repository(Protocol):
    path: Path

    def clients(self) -> list[Client]: ...
    def refs(self) -> list[ClientRef]: ...
    def get(self, client_id: str) -> Client: ...
    def transaction(self) -> contextlib.AbstractContextManager[Transaction]: ...
    def changed_on_disk(self) -> bool: ...


class _StrIdTable(Table):
    document_id_class = str


class _StrIdDB(TinyDB):
    table_class = _StrIdTable


def decode_client(doc: dict[str, Any], path: Path) -> Client:
    """A stored record as a Client; fields that break a rule are listed in `client.damage`
    (shown to the user) instead of making the whole file unreadable."""
    try:
        return client_from_stored(doc)
    except OffboardError as exc:
        raise CorruptDatabase(path, f"holds a damaged client record: {exc.message}") from None


def _check_key(key: str, doc: dict[str, Any], path: Path) -> None:
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


def _ref_name(doc: dict[str, Any]) -> str:
    name = doc.get("name", "")
    # A damaged name is shown as the decoder shows it, so both find the same client.
    return name if isinstance(name, str) and name.strip() else NO_NAME


def _refs(table: Table) -> list[ClientRef]:
    return [ClientRef(key, _ref_name(doc)) for key, doc in table._read_table().items()]


class ClientSnapshot(Mapping[str, Client]):
    """Stored client records by id; each becomes a Client the first time it is asked for.

    Showing a board of 10,000 clients needs the names and stages of all of them but the
    full record of only the few dozen on screen: `doc()` gives the raw record for the
    former. Raw records are shared and must be treated as read-only.
    """

    __slots__ = ("_decode", "_docs")

    def __init__(
        self, docs: dict[str, dict[str, Any]], decode: Callable[[str, dict[str, Any]], Client]
    ) -> None:
        self._docs = docs
        self._decode = decode

    def __getitem__(self, client_id: str) -> Client:
        return self._decode(client_id, self._docs[client_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, client_id: object) -> bool:
        return client_id in self._docs

    def doc(self, client_id: str) -> dict[str, Any]:
        return self._docs[client_id]

    def docs(self) -> Iterator[tuple[str, dict[str, Any]]]:
        return iter(self._docs.items())


class TinyTransaction:
    def __init__(self, repo: TinyRepository) -> None:
        self._repo = repo
        self._clients = repo.db.table(CLIENTS, cache_size=0)
        self._journal = repo.db.table(JOURNAL, cache_size=0)

    def _raw(self, client_id: str) -> dict[str, Any]:
        doc = self._clients.get(doc_id=client_id)
        if doc is None:
            raise NotFound(f"no client with id {client_id}")
        return doc

    def get(self, client_id: str) -> Client:
        # Decoded afresh: callers edit it, and the cached documents must stay untouched.
        return self._repo.decode(self._raw(client_id))

    def exists(self, client_id: str) -> bool:
        return self._clients.contains(doc_id=client_id)

    def all_refs(self) -> list[ClientRef]:
        return _refs(self._clients)

    def all(self) -> list[Client]:
        return [self._repo.decode(doc) for doc in self._clients.all()]

    def put(self, client: Client, expected_rev: int | None) -> Client:
        """Store a client. `expected_rev` is the revision the edit started from; None for new.

        The stored revision must still be that one, else someone else saved in between and
        this edit would silently overwrite their change.
        """
        current = self._clients.get(doc_id=client.id)
        if expected_rev is None:
            if current is not None:
                raise OffboardError(f"a client with id {client.id} already exists")
            # Continue from any revision it carries (an import, an undone delete) so a
            # revision number never comes back with different content.
            client.rev = max(client.rev, 0) + 1
            self._clients.insert(Document(client.to_dict(), doc_id=client.id))
            return client
        if current is None:
            raise NotFound(f"client {client.name!r} no longer exists")
        if current.get("rev") != expected_rev:
            raise StaleEdit(
                f"{client.name} was changed elsewhere since you opened it",
                "reload the client and make the change again",
            )
        client.rev = expected_rev + 1
        new = client.to_dict()
        # A new record object rather than an edit of the old one: snapshots handed to the UI
        # thread share the stored records, and a record must never change under a reader.
        self._clients._update_table(lambda table: table.__setitem__(client.id, new))
        return client

    def delete(self, client_id: str) -> None:
        self._clients.remove(doc_ids=[client_id])

    def journal_push(self, entry: dict[str, Any]) -> None:
        ids = [int(k) for k in self._journal._read_table()]
        seq = max(ids, default=0) + 1
        self._journal.insert(Document({**entry, "seq": seq}, doc_id=str(seq)))
        stale = sorted(ids)[: max(0, len(ids) + 1 - JOURNAL_LIMIT)]
        if stale:
            self._journal.remove(doc_ids=[str(i) for i in stale])

    def journal_rebase(self, client_id: str, old_rev: int, new_rev: int) -> None:
        """After an undo, the state an older entry produced now carries a new revision."""

        def rebase(entry: dict[str, Any]) -> None:
            for change in entry["changes"]:
                if change["client_id"] == client_id and change["after_rev"] == old_rev:
                    change["after_rev"] = new_rev

        keys = [
            key
            for key, entry in self._journal._read_table().items()
            if any(c["client_id"] == client_id for c in entry["changes"])
        ]
        if keys:
            self._journal.update(rebase, doc_ids=keys)

    def journal_pop(self, session: str | None) -> dict[str, Any] | None:
        """Take the newest journal entry (of one session, if given) off the journal."""
        table = self._journal._read_table()
        for key in sorted(table, key=int, reverse=True):
            entry = table[key]
            if session is None or entry.get("session") == session:
                self._journal.remove(doc_ids=[key])
                return dict(entry)
        return None


class TinyRepository:
    def __init__(self, path: str | os.PathLike[str], *, backups: int = 10, lock_timeout=5.0):
        self.path = Path(path)
        self._decoded: dict[str, tuple[int, Client]] = {}
        self.db = _StrIdDB(
            self.path,
            storage=AtomicJSONStorage,
            backups=backups,
            lock_timeout=lock_timeout,
            validate=self._validate,
        )
        self.storage: AtomicJSONStorage = self.db.storage  # type: ignore[assignment]

    def decode(self, doc: dict[str, Any]) -> Client:
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

    def clients(self) -> list[Client]:
        """Every client, as shared read-only snapshots (decoded once per revision)."""
        table = self.db.table(CLIENTS, cache_size=0)._read_table()
        cache = self._decoded
        result = []
        with paused_gc():
            for key, doc in table.items():
                hit = cache.get(key)
                rev = doc.get("rev", 0)
                if hit is None or hit[0] != rev:
                    hit = (rev, self.decode(doc))
                    cache[key] = hit
                result.append(hit[1])
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
        table = self.db.table(CLIENTS, cache_size=0)._read_table()
        return ClientSnapshot(dict(table), self._decode_cached)

    def _decode_cached(self, key: str, doc: dict[str, Any]) -> Client:
        cache = self._decoded
        rev = doc.get("rev", 0)
        hit = cache.get(key)
        if hit is None or hit[0] != rev:
            hit = (rev, self.decode(doc))
            cache[key] = hit
        return hit[1]

    def refs(self) -> list[ClientRef]:
        return _refs(self.db.table(CLIENTS, cache_size=0))

    def get(self, client_id: str) -> Client:
        doc = self.db.table(CLIENTS, cache_size=0).get(doc_id=client_id)
        if doc is None:
            raise NotFound(f"no client with id {client_id}")
        return self.decode(doc)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[TinyTransaction]:
        with self.storage.transaction():
            yield TinyTransaction(self)

    def changed_on_disk(self) -> bool:
        return self.storage.changed_on_disk()

    def close(self) -> None:
        self.db.close()

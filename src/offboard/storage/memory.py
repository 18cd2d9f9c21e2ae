"""A repository held in memory: the same contract as the database file, without the file.

The contract tests run against it (tests/storage/test_contract.py), and generators build
boards in it through the services before writing them to a file in one go (`documents()`).
Records are stored in their dict form, exactly as the file holds them, and changed by the
same DocTransaction, so what one backend accepts and returns the other does too.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Collection, Iterator
from pathlib import Path

from ..domain.errors import NotFound
from ..domain.models import Client
from .repository import (
    ClientRef,
    DocTransaction,
    cached_decode,
    decode_client,
    ref_name,
)
from .snapshot import ClientSnapshot, Record

# Nowhere real: companions of the data (letter drafts) cannot be saved beside it by mistake.
NO_PATH = Path("/nonexistent/offboard-memory.json")


class MemoryRepository:
    """The Repository in memory (see offboard.storage.repository). Nobody else can change
    it, so `changed_on_disk()` is always False, and nothing it does touches a disk.

    A transaction changes the live records and keeps what each touched key held before:
    an exception puts those back, so the body's changes are kept all together or not at
    all, without copying every record per change (which would make building a large board
    quadratic). Reads on other threads wait for a running transaction to finish.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or NO_PATH
        self._clients: dict[str, Record] = {}
        self._journal: dict[str, Record] = {}
        self._decoded: dict[str, tuple[int, Client]] = {}
        self._seqs: list[int] | None = None  # the journal's, kept from one change to the next
        self._lock = threading.RLock()
        self._in_transaction = False

    def _decode(self, doc: Record) -> Client:
        return decode_client(doc, self.path)

    def _decode_cached(self, key: str, doc: Record) -> Client:
        return cached_decode(self._decoded, key, doc, self._decode)

    def clients(self) -> list[Client]:
        """Every client, as shared read-only snapshots (decoded once per revision)."""
        with self._lock:
            items = list(self._clients.items())
        cache = self._decoded
        result = [self._decode_cached(key, doc) for key, doc in items]
        if len(cache) > len(items):
            for key in set(cache) - {key for key, _ in items}:
                cache.pop(key, None)
        return result

    def refs(self) -> list[ClientRef]:
        with self._lock:
            items = list(self._clients.items())
        return [ClientRef(key, ref_name(doc)) for key, doc in items]

    def get(self, client_id: str) -> Client:
        """The client, decoded afresh. Raises NotFound."""
        with self._lock:
            doc = self._clients.get(client_id)
        if doc is None:
            raise NotFound(f"no client with id {client_id}")
        return self._decode(doc)

    def fields_view(self, fields: Collection[str]) -> ClientSnapshot:
        """Every whole record: they are in memory already."""
        return self.snapshot()

    def snapshot(self) -> ClientSnapshot:
        with self._lock:
            docs = dict(self._clients)
        return ClientSnapshot(docs, self._decode_cached)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[DocTransaction]:
        """One change, kept only if the body finishes. Raises RuntimeError when nested."""
        with self._lock:
            if self._in_transaction:
                raise RuntimeError("transactions do not nest")
            self._in_transaction = True
            tx = DocTransaction(self._clients, self._journal, self._decode, seqs=self._seqs)
            try:
                yield tx
            except BaseException:
                tx.rollback()
                self._seqs = None
                raise
            else:
                self._seqs = tx.seqs
            finally:
                self._in_transaction = False

    def changed_on_disk(self) -> bool:
        return False  # nothing else can change it

    def close(self) -> None:
        pass  # nothing to let go of; the data stays

    def documents(self) -> dict[str, Record]:
        """The stored records by id (shared: read-only), e.g. to write them to a file in one
        go. A copy of the index, so later changes do not show in it."""
        with self._lock:
            return dict(self._clients)

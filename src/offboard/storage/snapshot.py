"""A snapshot of the stored clients: their records by id, each decoded the first time it is
asked for, and which clients differ from the snapshot before it."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..domain.models import Client
from ..domain.rows import ClientRow, record_rev

Record = dict[str, Any]
_BASE = object()  # looked up in the shared records, not in the layer over them


class ClientSnapshot(Mapping[str, Client]):
    """Stored client records by id; each becomes a Client the first time it is asked for.

    Showing a board of 10,000 clients needs the names and stages of all of them but the
    full record of only the few dozen on screen: `rows()` gives that small projection
    (domain/rows.py) for the former. `doc()` gives a raw record; raw records are shared and
    must be treated as read-only.
    """

    __slots__ = ("__weakref__", "_base", "_changed", "_decode", "_docs", "_len", "_over")

    def __init__(
        self,
        docs: dict[str, Record],
        decode: Callable[[str, Record], Client],
        *,
        over: dict[str, Record | None] | None = None,
    ) -> None:
        """`docs`: the records by id, never changed afterwards. `over`: the records that
        replace or add to them, or (None) remove one, so that snapshots taken one after
        another can share `docs` and each hold only what changed since it was copied (a copy
        of 50,000 records per save was itself work for the cyclic collector)."""
        self._base = docs
        self._over = over or {}
        self._docs: dict[str, Record] | None = None if self._over else docs
        self._decode = decode
        self._changed: tuple[weakref.ref[ClientSnapshot], frozenset[str]] | None = None
        size = len(docs)
        for cid, record in self._over.items():
            size += (record is not None) - (cid in docs)
        self._len = size

    def _all(self) -> dict[str, Record]:
        """Every record, the layer applied (made the first time the whole set is read; a
        record replaced keeps its place, one added comes last)."""
        docs = self._docs
        if docs is None:
            docs = dict(self._base)
            for cid, record in self._over.items():
                if record is None:
                    docs.pop(cid, None)
                else:
                    docs[cid] = record
            self._docs = docs
        return docs

    def _find(self, client_id: str) -> Record | None:
        record = self._over.get(client_id, _BASE)
        if record is _BASE:
            return self._base.get(client_id)
        return record  # type: ignore[return-value]

    def _record(self, client_id: str) -> Record:
        record = self._find(client_id)
        if record is None:
            raise KeyError(client_id)
        return record

    def following(self, older: ClientSnapshot | None) -> ClientSnapshot:
        """Note which clients differ from `older` (added, removed, or a record replaced; records
        are never edited in place), so whoever holds `older` can update only those
        (`changed_since`). Meant for the thread that takes the snapshot, not the UI's."""
        if older is not None:
            if older._base is self._base:
                # Both layered over the same records: only their layers can differ.
                find, older_find = self._find, older._find
                keys = older._over.keys() | self._over.keys()
                ids = {cid for cid in keys if find(cid) is not older_find(cid)}
            else:
                old, new = older._all(), self._all()
                ids = {cid for cid, record in new.items() if old.get(cid) is not record}
                ids.update(old.keys() - new.keys())
            self._changed = (weakref.ref(older), frozenset(ids))
        return self

    def changed_since(self, older: ClientSnapshot) -> frozenset[str] | None:
        """The ids that differ from `older`, if `following` was told of it; else None."""
        changed = self._changed
        if changed is None or changed[0]() is not older:
            return None
        return changed[1]

    def __getitem__(self, client_id: str) -> Client:
        return self._decode(client_id, self._record(client_id))

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return self._len

    def __contains__(self, client_id: object) -> bool:
        return isinstance(client_id, str) and self._find(client_id) is not None

    def doc(self, client_id: str) -> Record:
        """The stored record (read-only). Raises KeyError."""
        return self._record(client_id)

    def docs(self) -> Iterator[tuple[str, Record]]:
        return iter(self._all().items())

    def rows(self) -> Iterator[ClientRow]:
        """Every client's row (name, stage, revision), read without decoding the records."""
        of_record, decode = ClientRow.of_record, self._decode
        for client_id, record in self._all().items():
            yield of_record(client_id, record, decode)

    def row(self, client_id: str) -> ClientRow:
        """One client's row. Raises KeyError."""
        return ClientRow.of_record(client_id, self._record(client_id), self._decode)

    def revision(self, client_id: str) -> int:
        """The stored revision (-1 for a record whose revision is unreadable). Raises
        KeyError."""
        return record_rev(self._record(client_id))

    def keep(self, row: ClientRow) -> bool:
        """Keep a row of an older snapshot if its record has not changed since, pointing it
        at this snapshot's record; False when it has (make a new row)."""
        record = self._record(row.id)
        if not row.same_record(record_rev(record)):
            return False
        row.rebind(record, self._decode)
        return True

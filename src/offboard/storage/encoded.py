"""The database file's bytes, built from each record's encoded form kept between saves.

The file is one JSON object of tables, each an object of records (see tinyfile.py). Encoding
all of it for every change costs a sizeable share of writing it at 10,000 clients, while a
change touches one client and a journal entry or two. So each table keeps its records'
`,"key":{...}` texts in the table's order, and a save told which keys changed encodes only
those; the file is the kept pieces written one after another. The bytes are exactly what
`orjson.dumps` of the whole data gives (compact, keys in insertion order): a file written
either way is the same file.

The caller's word on what changed is trusted: a record changed and not named would keep its
old text. Saying nothing (None) makes the save encode everything afresh. A table whose keys
are no longer in the order kept (a key removed and added back moves to the end) is rebuilt.

The first save after a load has nothing kept yet. When the bytes read are known to be
`orjson.dumps` of the data (`loaded`), it copies them and encodes only what changed
(spliced.py); otherwise it encodes the whole data in one call.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import orjson

from .spliced import splice

_MISSING = object()


class _Table:
    """One table's keys and their pieces, in the table's order."""

    __slots__ = ("index", "keys", "pieces")

    def __init__(self, table: dict[str, Any]) -> None:
        dumps = orjson.dumps
        self.keys: list[str] = list(table)
        if not all(type(key) is str for key in self.keys):
            raise TypeError("Dict key must be str")  # what orjson says of the whole data
        self.pieces = [b"," + dumps(key) + b":" + dumps(record) for key, record in table.items()]
        self.index = {key: i for i, key in enumerate(self.keys)}

    def update(self, table: dict[str, Any], changed: Collection[str]) -> bool:
        """Encode the records of `changed` keys again; False when the kept order no longer
        matches the table's (rebuild it then)."""
        dumps = orjson.dumps
        keys, pieces, index = self.keys, self.pieces, self.index
        removed = False
        for key in changed:
            record = table.get(key, _MISSING)
            at = index.get(key)
            if record is _MISSING:
                if at is not None:
                    del index[key]
                    keys[at] = pieces[at] = None  # type: ignore[call-overload]
                    removed = True
                continue
            if type(key) is not str:
                raise TypeError("Dict key must be str")
            piece = b"," + dumps(key) + b":" + dumps(record)
            if at is None:
                index[key] = len(keys)
                keys.append(key)
                pieces.append(piece)
            else:
                pieces[at] = piece
        if removed:
            self.keys = keys = [key for key in keys if key is not None]
            self.pieces = [piece for piece in pieces if piece is not None]
            self.index = {key: i for i, key in enumerate(keys)}
        # A list compare in C, far cheaper than encoding: it catches a key that moved.
        return keys == list(table)


class EncodedTables:
    """Each record's encoded bytes, kept from one save to the next.

    The first save after a load keeps nothing: it is made from the bytes read when they are
    known (`loaded`), else by encoding the whole data in one call, so a process that saves
    once (a CLI command) pays no more than that. The second builds the pieces, and every
    later one encodes only what changed.
    """

    __slots__ = ("_raw", "_saved", "_tables")

    def __init__(self) -> None:
        self._tables: dict[str, _Table] = {}
        self._saved = False  # a save was made since the data was loaded
        self._raw: bytes | None = None

    def forget(self) -> None:
        """Drop every kept piece (the data was reloaded, dropped, or changed unseen)."""
        self._tables = {}
        self._saved = False
        self._raw = None

    def loaded(self, raw: bytes | None) -> None:
        """The data was (re)loaded from `raw`, which is exactly `orjson.dumps` of it (a file
        our own writer laid out), or None when that is not known. Kept until the next save."""
        self.forget()
        self._raw = raw

    def encode(
        self,
        data: Mapping[str, Any],
        changed: Mapping[str, Collection[str]] | None,
        before: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> list[bytes] | list[bytes | memoryview]:
        """The bytes of `data`, as `orjson.dumps(data)` writes them, in pieces to be written
        one after another (joining them would copy the whole file once more in memory).

        `changed` names, per table, every key whose record was added, replaced, edited in
        place or removed since the last call; a table it does not name is unchanged. None
        means it is not known, and everything is encoded afresh. `before` may give, for one
        table, each changed key's record as it was loaded (None for a key added): the first
        save after `loaded` then copies the rest from the bytes read. Raises TypeError (from
        orjson) for data JSON cannot hold; nothing kept is trusted after that.
        """
        if changed is None:
            self.forget()
        if not self._saved:
            raw, self._raw = self._raw, None
            self._saved = changed is not None
            if raw is not None and changed is not None and before:
                try:
                    pieces = splice(raw, data, changed, before)
                except TypeError:
                    self.forget()
                    raise
                if pieces is not None:
                    return pieces
            return [orjson.dumps(data)]
        try:
            return self._encode(data, changed or {})
        except TypeError:
            self.forget()
            raise

    def _encode(
        self, data: Mapping[str, Any], changed: Mapping[str, Collection[str]]
    ) -> list[bytes]:
        kept = self._tables
        tables: dict[str, _Table] = {}
        parts: list[bytes] = [b"{"]
        for name, table in data.items():
            if type(name) is not str or type(table) is not dict:
                # Not the layout kept here (TinyDB's API may write anything): encode it
                # whole, which also raises what orjson raises for it.
                self.forget()
                return [orjson.dumps(data)]
            state = kept.get(name)
            if state is None or (name in changed and not state.update(table, changed[name])):
                state = _Table(table)
            tables[name] = state
            parts.append((b"" if len(parts) == 1 else b",") + orjson.dumps(name) + b":{")
            if state.pieces:
                parts.append(state.pieces[0][1:])  # the first record has no comma before it
                parts.extend(state.pieces[1:])
            parts.append(b"}")
        parts.append(b"}")
        self._tables = tables
        return parts

"""Every client's record cut to a few named fields, read from the file's bytes without
building the rest of it.

`offboard list` reads sixteen fields of a record; its history, letters, assessment, checklist
and the journal are most of the file. Parsing a whole 50,000-client file into dicts took 0.6 s
and 700 MB before the list could begin; msgspec reads the named fields and passes over the
rest in half that (bench/README.md). A client needed whole (a record the list reader declines)
is parsed from the same bytes, so one list never mixes two versions of the file.

Only a version the repository has vouched for is read this way (loading.read_vouched), as for
the board's preview: every record in it is known to decode. Anything else gives None, and the
caller reads the repository as before, which checks the file and then vouches for it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import msgspec

from ..domain.models import Client
from .loading import CLIENTS, parse_record, read_vouched
from .repository import decode_client
from .snapshot import Record

# An object's values as their bytes, found but not built: a file's tables, a table's records.
read_pieces = msgspec.json.Decoder(dict[str, msgspec.Raw]).decode
_UNSET = msgspec.UNSET
_READERS: dict[frozenset[str], msgspec.json.Decoder[Any]] = {}


def _reader(fields: frozenset[str]) -> msgspec.json.Decoder[Any]:
    """A decoder of the file that builds the clients' named fields only (a field missing
    from a record is left unset: the record is then given without it)."""
    reader = _READERS.get(fields)
    if reader is None:
        cut = msgspec.defstruct("Cut", [(name, Any, _UNSET) for name in sorted(fields)], gc=False)
        tables = msgspec.defstruct("Tables", [(CLIENTS, dict[str, cut], {})])  # type: ignore[valid-type]
        reader = _READERS[fields] = msgspec.json.Decoder(tables)
    return reader


class FieldsView:
    """The clients of one file version: `docs()` each record cut to the fields asked for,
    `view[id]` the whole client. Records are shared: treat them as read-only."""

    __slots__ = ("_cuts", "_path", "_raw", "_whole")

    def __init__(self, path: Path, raw: bytes, cuts: dict[str, Any]) -> None:
        self._path = path
        self._raw = raw
        self._cuts = cuts
        self._whole: dict[str, msgspec.Raw] | None = None

    def docs(self) -> Iterator[tuple[str, Record]]:
        asdict = msgspec.structs.asdict
        for client_id, cut in self._cuts.items():
            record = asdict(cut)
            if _UNSET in record.values():
                record = {key: value for key, value in record.items() if value is not _UNSET}
            yield client_id, record

    def __getitem__(self, client_id: str) -> Client:
        """The whole client, from the same bytes. Raises KeyError."""
        whole = self._whole
        if whole is None:
            tables = read_pieces(self._raw)
            whole = self._whole = read_pieces(tables[CLIENTS]) if CLIENTS in tables else {}
        record = parse_record(memoryview(whole[client_id]), self._path, CLIENTS, client_id)
        return decode_client(record, self._path)

    def __len__(self) -> int:
        return len(self._cuts)


def read_fields(path: Path, fields: Collection[str]) -> FieldsView | None:
    """The clients of the database file at `path` with only `fields` of each record built,
    or None when the file's version is not vouched for, or is not there (the caller reads
    the repository instead, which reports any problem in its own words). Raises
    CorruptDatabase for a path that is not a readable file."""
    vouched = read_vouched(path)
    if vouched is None:
        return None
    raw, _ = vouched
    try:
        tables = _reader(frozenset(fields)).decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError):
        return None  # what the repository's own read would report
    return FieldsView(path, raw, getattr(tables, CLIENTS))

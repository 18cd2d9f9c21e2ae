"""A board's first frame before its file is parsed: every client's name, stage and revision,
read from the file's bytes in a fraction of a full parse.

Parsing a 10,000-client file into dicts takes about 100 ms, most of the time before a board
can show anything. msgspec finds where each record's bytes begin and end without building
them (`Raw`) and reads the few fields a card is placed by, in about a quarter of that time;
the few dozen records on screen are parsed when drawn. The repository is then opened as
before, right after the first frame, from the same bytes, each record parsed on its own from
the pieces found here (`Known`, loading.parse), and the board's rows are pointed at its
records (`ClientSnapshot.keep`): the preview serves that one frame.

Only a version of the file the repository has vouched for is previewed: one whose valid mark
(loading.valid_mark) is in the lock file, so every record in it is known to decode. Anything
else (no mark, another version, a field of an unexpected type, bytes that are not JSON or
nest past the recursion limit) gives None, and the caller opens the repository before the
first frame, which checks and reports as it always did.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import msgspec
import orjson

from ..collector import paused_gc
from ..domain.models import Client, Stage
from ..domain.rows import ClientRow
from .errors import CorruptDatabase, DatabaseError
from .fields import read_pieces
from .jsonfile import resolve_database_path
from .loading import CLIENTS, Known, Pieces, Signature, read_vouched
from .repository import decode_client

_STAGES = {s.value: s for s in Stage}


class _Placed(msgspec.Struct):
    """What a card is placed by, with the defaults ClientRow.of_record reads for a missing
    field; a field of another type fails the whole preview."""

    id: str = ""
    name: str = ""
    stage: str = "assessment"
    rev: int = 0
    company: str = ""


class _Closed(msgspec.Struct):
    # A closed client's card is placed by when it closed: its last event's time.
    history: list[msgspec.Raw] = []


class _Event(msgspec.Struct):
    at: str = ""


_read_placed = msgspec.json.Decoder(_Placed).decode
_read_closed = msgspec.json.Decoder(_Closed).decode
_read_event = msgspec.json.Decoder(_Event).decode


class RawRecord(Mapping[str, Any]):
    """A stored record kept as its bytes in the file and parsed the first time it is read."""

    __slots__ = ("_data", "_raw")

    def __init__(self, raw: msgspec.Raw) -> None:
        self._raw: msgspec.Raw | None = raw
        self._data: dict[str, Any] | None = None

    def loaded(self) -> dict[str, Any]:
        data = self._data
        if data is None:
            raw = self._raw
            assert raw is not None
            try:
                data = orjson.loads(memoryview(raw))
            except orjson.JSONDecodeError:
                # Bytes msgspec passes over but orjson refuses (invalid UTF-8, a number no
                # float holds) in a version the mark calls sound: the open after the first
                # frame parses them too and reports the file. Until then the card shows what
                # the preview read.
                placed = _read_placed(raw)
                data = {
                    "id": placed.id,
                    "name": placed.name,
                    "stage": placed.stage,
                    "rev": placed.rev,
                }
            self._data = data
            self._raw = None  # the file's bytes go once every record is parsed or let go
        return data

    def __getitem__(self, key: str) -> Any:
        return self.loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.loaded())

    def __len__(self) -> int:
        return len(self.loaded())


class Preview(Mapping[str, Client]):
    """The clients of one file version, read for a board's first frame: rows for every
    client (`rows`), a record parsed and decoded when asked for. Never newer than any
    snapshot, so a board given a snapshot after it keeps only the rows that snapshot vouches
    for (`keep` is the snapshot's)."""

    __slots__ = ("_known", "_records", "_rows", "path")

    def __init__(
        self, path: Path, known: Known, records: dict[str, RawRecord], rows: list[ClientRow]
    ) -> None:
        self.path = path
        self._known = known
        self._records = records
        self._rows = rows

    def known(self) -> Known:
        """What was read, for the repository's open: the bytes and, found already, each
        record's (loading.parse parses them one by one)."""
        return self._known

    def _decode(self, client_id: str, record: Mapping[str, Any]) -> Client:
        # Rows of this preview hold its own records (a row kept later is given the
        # snapshot's decoder with the snapshot's record: ClientRow.rebind).
        return decode_client(cast(RawRecord, record).loaded(), self.path)

    def __getitem__(self, client_id: str) -> Client:
        return self._decode(client_id, self._records[client_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, client_id: object) -> bool:
        return client_id in self._records

    def rows(self) -> Iterator[ClientRow]:
        """Every client's row, in the file's order (the same rows each time: made once)."""
        return iter(self._rows)

    def row(self, client_id: str) -> ClientRow:
        """One client's row. Raises KeyError."""
        return ClientRow.of_record(client_id, self._records[client_id], self._decode)

    def keep(self, row: ClientRow) -> bool:
        return False


def read_preview(path: Path) -> Preview | None:
    """The preview of the database file at `path`, or None when it cannot be vouched for
    (see the module's note) or the file cannot be read; the caller then opens the repository,
    which reports any problem in its own words."""
    try:
        path = resolve_database_path(path)
        vouched = read_vouched(path)
    except (CorruptDatabase, DatabaseError):
        return None
    if vouched is None:
        return None
    raw, sig = vouched
    with paused_gc():
        try:
            return _previewed(path, sig, raw)
        except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError):
            return None
        except RecursionError:  # nested deeper than any record of ours: not previewed
            return None


def _previewed(path: Path, sig: Signature, raw: bytes) -> Preview | None:
    pieces: Pieces = []
    clients: dict[str, msgspec.Raw] = {}
    for name, table in read_pieces(raw).items():
        if name == CLIENTS:
            clients = read_pieces(table)
            pieces.append((name, clients))
        else:
            pieces.append((name, table))
    records: dict[str, RawRecord] = {}
    rows: list[ClientRow] = []
    preview = Preview(path, Known(sig, raw, pieces), records, rows)
    decode = preview._decode
    stages, of_fields = _STAGES, ClientRow.of_fields
    for client_id, piece in clients.items():
        placed = _read_placed(piece)
        stage = stages.get(placed.stage)
        if stage is None or placed.id != client_id:
            return None
        closed_at = ""
        if stage is Stage.CLOSED:
            history = _read_closed(piece).history
            closed_at = _read_event(history[-1]).at if history else ""
        record = records[client_id] = RawRecord(piece)
        rows.append(of_fields(client_id, placed.name, stage, placed.rev, closed_at, record, decode))
    return preview

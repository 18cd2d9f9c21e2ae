"""A client as a list shows it: the small projection the board sorts, places and filters.

A board of 10,000 clients needs the name, stage and revision of all of them but the full
record of only the few dozen on screen. A row is read straight from the stored record
(as codec.py writes it), without decoding the rest; the full Client is decoded the first
time `client` is asked for. A record not shaped as offboard writes it is decoded at once,
so the tolerant decoder repairs it and marks what it found.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol, runtime_checkable

from .models import Client, Stage

_STAGES = {s.value: s for s in Stage}
_CLOSED = Stage.CLOSED
_new = object.__new__


class ClientRow:
    """One client's row. Rows are built per snapshot; a row whose revision did not change
    can be kept across snapshots (`rebind`), so a list of 10,000 is updated in a moment."""

    __slots__ = ("_client", "_record", "_source", "closed_at", "id", "key", "name", "rev", "stage")

    id: str
    name: str
    stage: Stage
    rev: int
    key: tuple[str, str]  # the sort key: name as compared without case, then id
    closed_at: str  # when a closed client reached closed (ISO text; "" otherwise)
    _client: Client | None
    _record: Mapping[str, Any] | None
    _source: Mapping[str, Client] | None

    @classmethod
    def of_record(
        cls, client_id: str, record: Mapping[str, Any], source: Mapping[str, Client]
    ) -> ClientRow:
        """The row of a stored record; `source` decodes the client when it is needed."""
        # Slots are set directly: this runs once per client before a board's first paint,
        # and at 10,000 clients a keyword-argument __init__ costs a third more.
        get = record.get
        stage = _STAGES.get(get("stage", "assessment"))
        name = get("name", "")
        rev = get("rev", 0)
        if (
            stage is None
            or type(name) is not str
            or type(get("company", "")) is not str
            or type(rev) is not int
        ):
            return cls.of_client(source[client_id])
        row = _new(cls)
        row.id = client_id
        row.name = name
        row.stage = stage
        row.rev = rev
        row.key = (name.casefold(), client_id)
        row.closed_at = _closed_at(record) if stage is _CLOSED else ""
        row._record = record
        row._client = None
        row._source = source
        return row

    @classmethod
    def of_client(cls, client: Client) -> ClientRow:
        row = _new(cls)
        row.id = client.id
        row.name = client.name
        row.stage = client.stage
        row.rev = client.rev
        row.key = (client.name.casefold(), client.id)
        row.closed_at = client.history[-1].at.isoformat() if client.history else ""
        row._record = None
        row._client = client
        row._source = None
        return row

    @property
    def client(self) -> Client:
        """The full client, decoded on first use."""
        if self._client is None:
            assert self._source is not None
            self._client = self._source[self.id]
            self._source = None
        return self._client

    def shows(self, client: Client) -> bool:
        """Whether this row was made from this very Client object."""
        return self._client is client

    def same_record(self, rev: int) -> bool:
        """Whether this row was read from a stored record of this revision."""
        return self._record is not None and self.rev == rev

    def rebind(self, record: Mapping[str, Any], source: Mapping[str, Client]) -> None:
        """Point at an equal record of a newer snapshot, so the old one can be freed."""
        self._record = record
        if self._client is None:
            self._source = source

    def matches(self, needle: str) -> bool:
        """The list filter: the name, company, archetype or a red-flag category contains
        `needle` (already case-folded). Read from the stored record when there is one."""
        record = self._record
        if record is None:
            return matches(self.client, needle)
        if needle in self.key[0] or needle in _text(record.get("company")).casefold():
            return True
        if needle in _text(record.get("archetype")):
            return True
        flags = record.get("flags") or ()
        return isinstance(flags, list) and any(
            isinstance(f, dict) and needle in _text(f.get("category")) for f in flags
        )


@runtime_checkable
class RowSource(Protocol):
    """What a list reads rows from: a repository's snapshot (storage's ClientSnapshot)."""

    def rows(self) -> Iterator[ClientRow]: ...

    def row(self, client_id: str) -> ClientRow: ...

    def keep(self, row: ClientRow) -> bool: ...


def matches(client: Client, needle: str) -> bool:
    """The list filter on a decoded client (see ClientRow.matches)."""
    if needle in client.name.casefold() or needle in client.company.casefold():
        return True
    if client.archetype and needle in client.archetype.value:
        return True
    return any(needle in f.category.value for f in client.flags)


def record_rev(record: Mapping[str, Any]) -> int:
    rev = record.get("rev", 0)
    return rev if type(rev) is int else -1


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _closed_at(record: Mapping[str, Any]) -> str:
    # The time of the last history event is when the client reached closed; the stored
    # text is what HistoryEvent.to_dict wrote, so it sorts as the parsed time would.
    history = record.get("history") or ()
    last = history[-1] if isinstance(history, list) and history else None
    at = last.get("at", "") if isinstance(last, dict) else ""
    return at if isinstance(at, str) else ""

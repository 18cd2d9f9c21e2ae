"""A client as a list shows it: the small projection the board sorts, places and filters.

A board of 10,000 clients needs the name, stage and revision of all of them but the full
record of only the few dozen on screen. A row is read straight from the stored record
(as codec.py writes it), without decoding the rest; the full Client is decoded the first
time `client` is asked for. A record not shaped as offboard writes it is decoded at once,
so the tolerant decoder repairs it and marks what it found.

What the agenda, the filter and the command palette read of every client is kept with the
row, worked out once per revision: the search text, the palette's title and the deadlines
(their dates only; how many days are left is worked out when shown, from today).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol, runtime_checkable

from .codec import client_from_stored
from .errors import OffboardError
from .models import Client, Outcome, Stage
from .timers import Deadline, deadlines

# How a row gets its full client: the snapshot's decoder, given the id and the stored record.
Decode = Callable[[str, Any], Client]
# Between the fields of the search text: no typed text holds it, so a needle never matches
# across two fields.
SEP = "\x00"
_NO_DEADLINES: tuple[Deadline, ...] = ()

_STAGES = {s.value: s for s in Stage}
_CLOSED = Stage.CLOSED
_new = object.__new__


class ClientRow:
    """One client's row. Rows are built per snapshot; a row whose revision did not change
    can be kept across snapshots (`rebind`), so a list of 10,000 is updated in a moment."""

    __slots__ = (
        "_client",
        "_deadlines",
        "_decode",
        "_record",
        "_search",
        "_title",
        "closed_at",
        "face",
        "id",
        "key",
        "name",
        "rev",
        "stage",
    )

    id: str
    name: str
    stage: Stage
    rev: int
    key: tuple[str, str]  # the sort key: name as compared without case, then id
    closed_at: str  # when a closed client reached closed (ISO text; "" otherwise)
    _client: Client | None
    _record: Mapping[str, Any] | None
    # Not the snapshot itself: a row kept across snapshots must not keep old ones alive.
    _decode: Decode | None
    _search: str | None
    _title: str | None
    _deadlines: tuple[Deadline, ...] | None
    # What a front end drew from this row, kept with it (the board's card text); nothing
    # here reads it. A changed client comes as a new row, so it never outlives its client.
    face: Any

    @classmethod
    def of_record(cls, client_id: str, record: Mapping[str, Any], decode: Decode) -> ClientRow:
        """The row of a stored record; `decode(client_id, record)` gives the client when it
        is needed."""
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
            return cls.of_client(decode(client_id, record))
        closed_at = _closed_at(record) if stage is _CLOSED else ""
        return cls.of_fields(client_id, name, stage, rev, closed_at, record, decode)

    @classmethod
    def of_fields(
        cls,
        client_id: str,
        name: str,
        stage: Stage,
        rev: int,
        closed_at: str,
        record: Mapping[str, Any],
        decode: Decode,
    ) -> ClientRow:
        """The row of a record whose name, stage, revision and time of closing were read
        already (and checked as `of_record` checks them)."""
        row = _new(cls)
        row.id = client_id
        row.name = name
        row.stage = stage
        row.rev = rev
        row.key = (name.casefold(), client_id)
        row.closed_at = closed_at
        row._record = record
        row._client = None
        row._decode = decode
        row._search = row._title = row._deadlines = row.face = None
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
        row._decode = None
        row._search = row._title = row._deadlines = row.face = None
        return row

    @property
    def client(self) -> Client:
        """The full client, decoded on first use."""
        if self._client is None:
            assert self._decode is not None and self._record is not None
            self._client = self._decode(self.id, self._record)
            self._decode = None
        return self._client

    @property
    def decoded(self) -> bool:
        """Whether the full client has been decoded (a board decodes only what it shows)."""
        return self._client is not None

    @property
    def search(self) -> str:
        """What the list filter looks in, case-folded: the name, company, archetype and every
        red flag's category, separated by SEP."""
        text = self._search
        if text is None:
            text = self._search = _search_text(self)
        return text

    @property
    def title(self) -> str:
        """The stage as a list names it: "Closed, retained" for a closed client."""
        text = self._title
        if text is None:
            text = self._title = _stage_title(self)
        return text

    def deadlines(
        self, *, keep: bool = False, decoded: Client | None = None
    ) -> tuple[Deadline, ...]:
        """The client's open deadlines, earliest first (timers.deadlines), kept with the row.

        A client not decoded yet is decoded for them and let go again, unless `keep` (it is
        about to be shown anyway): the agenda needs the deadlines of every client, and keeping
        every decoded client would hold the whole file in memory. `decoded`: this row's client
        as the caller decoded it (see `peek`)."""
        found = self._deadlines
        if found is None:
            client = self._client if self._client is not None else decoded
            if client is None:
                client = self.client if keep else self._decode_once()
            found = tuple(deadlines(client)) or _NO_DEADLINES
            self._deadlines = found
        return found

    @property
    def has_deadlines(self) -> bool:
        """Whether the deadlines are worked out already (see `deadlines`)."""
        return self._deadlines is not None

    def text(self, field: str) -> str:
        """A text field of the record (company, email), "" when absent or not text."""
        record = self._record
        if record is None:
            return _text(getattr(self.client, field, ""))
        return _text(record.get(field))

    def peek(self) -> Client:
        """The full client: the one kept, or decoded for the caller alone and not kept (for
        work on every client, such as the board's warm-up)."""
        client = self._client
        return client if client is not None else self._decode_once()

    def _decode_once(self) -> Client:
        record = self._record
        assert record is not None
        try:
            return client_from_stored(record)
        except OffboardError:
            # Not a client at all: the snapshot's decoder says so, naming the file.
            return self.client

    def shows(self, client: Client) -> bool:
        """Whether this row was made from this very Client object."""
        return self._client is client

    def same_record(self, rev: int) -> bool:
        """Whether this row was read from a stored record of this revision."""
        return self._record is not None and self.rev == rev

    def rebind(self, record: Mapping[str, Any], decode: Decode) -> None:
        """Point at an equal record of a newer snapshot, and at its decoder, so the old
        snapshot can be freed."""
        self._record = record
        if self._client is None:
            self._decode = decode

    def matches(self, needle: str) -> bool:
        """The list filter: the name, company, archetype or a red-flag category contains
        `needle` (already case-folded)."""
        return needle in self.search and SEP not in needle


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


def _search_text(row: ClientRow) -> str:
    record = row._record
    if record is None:
        client = row.client
        archetype = client.archetype.value if client.archetype else ""
        parts = [client.name.casefold(), client.company.casefold(), archetype]
        parts += [f.category.value for f in client.flags]
        return SEP.join(parts)
    parts = [row.key[0], _text(record.get("company")).casefold(), _text(record.get("archetype"))]
    flags = record.get("flags") or ()
    if isinstance(flags, list):
        parts += [_text(f.get("category")) for f in flags if isinstance(f, dict)]
    return SEP.join(parts)


def _stage_title(row: ClientRow) -> str:
    if row.stage is not _CLOSED:
        return row.stage.label
    record = row._record
    outcome = row.client.outcome if record is None else _OUTCOMES.get(_text(record.get("outcome")))
    return row.stage.label if outcome is None else f"{row.stage.label}, {outcome.value}"


_OUTCOMES = {o.value: o for o in Outcome}


def _closed_at(record: Mapping[str, Any]) -> str:
    # The time of the last history event is when the client reached closed; the stored
    # text is what HistoryEvent.to_dict wrote, so it sorts as the parsed time would.
    history = record.get("history") or ()
    last = history[-1] if isinstance(history, list) and history else None
    at = last.get("at", "") if isinstance(last, dict) else ""
    return at if isinstance(at, str) else ""

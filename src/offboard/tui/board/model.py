"""What the board shows: which cards sit in which column, in what order, and which has focus.

Plain Python with no Textual import, so it can be tested (and timed) on its own. A card holds
only what placing it needs (name, stage, revision), read from the stored record; the full
Client is decoded when the card is drawn or acted on, so a board of 10,000 clients decodes
the few dozen on screen rather than all of them. The model keeps itself up to date
incrementally: a card is re-placed only when its client's revision changed.
"""

from __future__ import annotations

import bisect
import dataclasses
import operator
from collections.abc import Iterable, Mapping
from typing import Any

from ...domain.models import Client, Outcome, Stage

ACTIVE_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if s is not Stage.CLOSED)
COLUMNS: tuple[Stage, ...] = (*ACTIVE_STAGES, Stage.CLOSED)
# The closed column shows the most recently closed clients unless archived ones are toggled on.
RECENT_CLOSED = 8
_STAGES = {s.value: s for s in Stage}
_CLOSED = Stage.CLOSED
_new = object.__new__


class Card:
    """One client on the board. `client` is decoded on first use (and cached by revision in
    the repository), so building 10,000 cards costs no more than reading their names."""

    __slots__ = ("_client", "_doc", "_source", "closed_at", "id", "key", "name", "rev", "stage")

    def __init__(
        self,
        client_id: str,
        name: str,
        stage: Stage,
        rev: int,
        closed_at: str,
        *,
        doc: Mapping[str, Any] | None = None,
        client: Client | None = None,
        source: Mapping[str, Client] | None = None,
    ) -> None:
        self.id = client_id
        self.name = name
        self.stage = stage
        self.rev = rev
        self.key = (name.casefold(), client_id)
        self.closed_at = closed_at
        self._doc = doc
        self._client = client
        self._source = source  # where to decode the client from, on first use

    @classmethod
    def from_doc(cls, client_id: str, doc: Mapping[str, Any], source: Mapping[str, Client]) -> Card:
        # Called once per client before the first paint: slots are set directly, which at
        # 10,000 clients saves a third of the keyword-argument call through __init__.
        get = doc.get
        stage = _STAGES.get(get("stage", "assessment"))
        name = get("name", "")
        if stage is None or type(name) is not str or type(get("company", "")) is not str:
            # Not what offboard writes: the tolerant decoder makes it showable and marks it.
            return cls.from_client(source[client_id])
        card = _new(cls)
        card.id = client_id
        card.name = name
        card.stage = stage
        card.rev = get("rev", 0)
        card.key = (name.casefold(), client_id)
        card.closed_at = ""
        if stage is _CLOSED:
            # Only closed cards are sorted by the time of their last event; the stored text
            # is what HistoryEvent.to_dict wrote, so it sorts as the parsed time would.
            history = get("history") or ()
            last = history[-1] if isinstance(history, list) and history else None
            at = last.get("at", "") if isinstance(last, dict) else ""
            card.closed_at = at if isinstance(at, str) else ""
        card._doc = doc
        card._client = None
        card._source = source
        return card

    @classmethod
    def from_client(cls, client: Client) -> Card:
        at = client.history[-1].at.isoformat() if client.history else ""
        return cls(client.id, client.name, client.stage, client.rev, at, client=client)

    @property
    def client(self) -> Client:
        if self._client is None:
            assert self._source is not None
            self._client = self._source[self.id]
            self._source = None
        return self._client

    def matches(self, needle: str) -> bool:
        """The filter, on the stored record when there is one (no decoding needed)."""
        if self._doc is None:
            return matches(self.client, needle)
        doc = self._doc
        if needle in self.name.casefold() or needle in (doc.get("company") or "").casefold():
            return True
        archetype = doc.get("archetype") or ""
        if isinstance(archetype, str) and needle in archetype:
            return True
        flags = doc.get("flags") or ()
        return isinstance(flags, list) and any(
            isinstance(f, dict) and needle in str(f.get("category") or "") for f in flags
        )


def sort_key(card: Card) -> tuple[str, str]:
    return card.key


# The same key read in C: sorting 10,000 cards calls it once per card.
_by_key = operator.attrgetter("key")


def closed_key(card: Card) -> tuple[str, str]:
    # Newest first: the time of the last history event is when the card reached closed.
    return (card.closed_at, card.id)


def matches(client: Client, needle: str) -> bool:
    """The filter: name, company, archetype or a red-flag category contains the text."""
    if needle in client.name.casefold() or needle in client.company.casefold():
        return True
    if client.archetype and needle in client.archetype.value:
        return True
    return any(needle in f.category.value for f in client.flags)


def _cards(clients: Mapping[str, Client]) -> dict[str, Card]:
    """Cards for a snapshot: from raw records when it has them (see ClientSnapshot)."""
    doc_of = getattr(clients, "doc", None)
    if doc_of is None:
        return {cid: Card.from_client(c) for cid, c in clients.items()}
    return {cid: Card.from_doc(cid, doc, clients) for cid, doc in clients.docs()}  # type: ignore[attr-defined]


class BoardModel:
    def __init__(self) -> None:
        self.cards: dict[str, Card] = {}
        self.columns: dict[Stage, list[Card]] = {s: [] for s in COLUMNS}
        self.overlays: dict[str, Client] = {}  # optimistic changes not yet saved
        self.unsaved: set[str] = set()  # overlays whose save failed and waits for a retry
        self.filter = ""
        self.show_archived = False
        self.closed_count = 0
        self.col = 0
        self.rows: dict[Stage, int] = {s: 0 for s in COLUMNS}

    # --- loading ---------------------------------------------------------------------------

    def load(self, clients: Mapping[str, Client]) -> set[Stage]:
        """Take a new snapshot; returns the columns whose content changed."""
        focused = self.focused_id()
        old = self.cards
        changed: set[Stage] = set()
        if not old or self.filter:
            merged = _cards(clients)
            merged.update({cid: Card.from_client(c) for cid, c in self.overlays.items()})
            self.cards = merged
            self._rebuild()
            changed = set(COLUMNS)
        else:
            merged = self._merge(old, clients)
            for cid, card in merged.items():
                before = old.get(cid)
                if before is not card:
                    if before is not None:
                        self._remove(before)
                        changed.add(before.stage)
                    self._insert(card)
                    changed.add(card.stage)
            for cid in old.keys() - merged.keys():
                self._remove(old[cid])
                changed.add(old[cid].stage)
            self.cards = merged
            if Stage.CLOSED in changed:
                self._rebuild_closed()
        self.focus_id(focused)
        return changed

    def _merge(self, old: dict[str, Card], clients: Mapping[str, Client]) -> dict[str, Card]:
        """The new snapshot's cards. A card whose client kept its revision stays the same
        object, so the identity check in load() finds what moved among 10,000 in a moment."""
        overlays = self.overlays
        doc_of = getattr(clients, "doc", None)
        merged: dict[str, Card] = {}
        for cid in clients:
            before = old.get(cid)
            overlay = overlays.get(cid)
            if overlay is not None:
                same = before is not None and before._client is overlay
                merged[cid] = before if same else Card.from_client(overlay)  # type: ignore[assignment]
            elif doc_of is None:
                client = clients[cid]
                same = before is not None and before._client is client
                merged[cid] = before if same else Card.from_client(client)  # type: ignore[assignment]
            else:
                doc = doc_of(cid)
                if (
                    before is not None
                    and before._doc is not None
                    and before.rev == doc.get("rev", 0)
                ):
                    # Same revision, perhaps a re-read record: point at the new one so the old
                    # snapshot's records can be freed.
                    before._doc = doc
                    if before._client is None:
                        before._source = clients
                    merged[cid] = before
                else:
                    merged[cid] = Card.from_doc(cid, doc, clients)
        for cid, overlay in overlays.items():
            if cid not in merged:
                merged[cid] = Card.from_client(overlay)
        return merged

    def _visible(self, card: Card) -> bool:
        return not self.filter or card.matches(self.filter)

    def _rebuild(self) -> None:
        columns = self.columns
        for stage in ACTIVE_STAGES:
            columns[stage] = []
        closed: list[Card] = []
        columns[_CLOSED] = closed
        needle = self.filter
        # One pass over every card, closed ones included, with no method call per card when
        # nothing is filtered: at 10,000 clients this is on the way to the first paint.
        for card in self.cards.values():
            if not needle or card.matches(needle):
                columns[card.stage].append(card)
        for stage in ACTIVE_STAGES:
            columns[stage].sort(key=_by_key)
        self._rebuild_closed(closed)

    def _rebuild_closed(self, closed: list[Card] | None = None) -> None:
        if closed is None:
            needle = self.filter
            closed = [
                c
                for c in self.cards.values()
                if c.stage is _CLOSED and (not needle or c.matches(needle))
            ]
        closed.sort(key=closed_key, reverse=True)
        self.closed_count = len(closed)
        self.columns[Stage.CLOSED] = closed if self.show_archived else closed[:RECENT_CLOSED]

    def _insert(self, card: Card) -> None:
        if card.stage is Stage.CLOSED or not self._visible(card):
            return
        bisect.insort(self.columns[card.stage], card, key=sort_key)

    def _remove(self, card: Card) -> None:
        if card.stage is Stage.CLOSED:
            return
        column = self.columns[card.stage]
        i = bisect.bisect_left(column, card.key, key=sort_key)
        while i < len(column) and column[i].id != card.id:
            i += 1
        if i < len(column):
            del column[i]

    # --- filter and archive ----------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        focused = self.focused_id()
        self.filter = text.strip().casefold()
        self._rebuild()
        if not self.focus_id(focused) and not self.columns[self.stage]:
            self.focus_first()

    def toggle_archived(self) -> None:
        focused = self.focused_id()
        self.show_archived = not self.show_archived
        self._rebuild_closed()
        self.focus_id(focused)

    def closed_total(self) -> int:
        """Closed clients that pass the filter, shown or not (counted when the column is built)."""
        return self.closed_count

    # --- focus -----------------------------------------------------------------------------

    @property
    def stage(self) -> Stage:
        return COLUMNS[self.col]

    def row(self, stage: Stage | None = None) -> int:
        stage = stage or self.stage
        column = self.columns[stage]
        return min(self.rows[stage], max(len(column) - 1, 0))

    def focused_card(self) -> Card | None:
        column = self.columns[self.stage]
        return column[self.row()] if column else None

    def focused(self) -> Client | None:
        card = self.focused_card()
        return card.client if card else None

    def focused_id(self) -> str | None:
        card = self.focused_card()
        return card.id if card else None

    def focus_first(self) -> None:
        """Focus the first card of the first non-empty column."""
        for i, stage in enumerate(COLUMNS):
            if self.columns[stage]:
                self.col, self.rows[stage] = i, 0
                return
        self.col = 0

    def focus_id(self, client_id: str | None) -> bool:
        if client_id is None:
            return False
        card = self.cards.get(client_id)
        if card is None:
            return False
        column = self.columns[card.stage]
        for i, c in self._index_candidates(column, card):
            if c.id == client_id:
                self.col = COLUMNS.index(card.stage)
                self.rows[card.stage] = i
                return True
        return False

    @staticmethod
    def _index_candidates(column: list[Card], card: Card) -> Iterable[tuple[int, Card]]:
        if card.stage is not Stage.CLOSED:
            start = bisect.bisect_left(column, card.key, key=sort_key)
            return ((i, column[i]) for i in range(start, len(column)))
        return enumerate(column)

    def move_focus(self, dcol: int = 0, drow: int = 0) -> None:
        if dcol:
            self.col = max(0, min(len(COLUMNS) - 1, self.col + dcol))
        if drow:
            stage = self.stage
            size = len(self.columns[stage])
            self.rows[stage] = max(0, min(size - 1, self.row() + drow)) if size else 0

    def jump_row(self, where: str) -> None:
        size = len(self.columns[self.stage])
        self.rows[self.stage] = 0 if where == "first" else max(size - 1, 0)

    # --- optimistic changes ----------------------------------------------------------------

    def apply_move(self, client: Client, target: Stage) -> Client:
        """Show a move at once; the save follows on the writer thread."""
        outcome = Outcome.OFFBOARDED if target is Stage.CLOSED else None
        moved = dataclasses.replace(client, stage=target, outcome=outcome)
        self.overlays[client.id] = moved
        self.unsaved.discard(client.id)
        before = self.cards.get(client.id)
        if before is not None:
            self._remove(before)
        card = Card.from_client(moved)
        self.cards[client.id] = card
        self._insert(card)
        if Stage.CLOSED in (client.stage, target):
            self._rebuild_closed()
        self.focus_id(moved.id)
        return moved

    def settle(self, client_id: str, *, failed_retryably: bool = False) -> None:
        """The save of an optimistic change finished: drop the overlay or mark it unsaved."""
        if failed_retryably:
            self.unsaved.add(client_id)
            return
        self.overlays.pop(client_id, None)
        self.unsaved.discard(client_id)

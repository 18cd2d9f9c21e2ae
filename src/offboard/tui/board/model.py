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

from ...domain.models import Client, Outcome, Stage
from ...domain.rows import ClientRow, RowSource

ACTIVE_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if s is not Stage.CLOSED)
COLUMNS: tuple[Stage, ...] = (*ACTIVE_STAGES, Stage.CLOSED)
# The closed column shows the most recently closed clients unless archived ones are toggled on.
RECENT_CLOSED = 8
_CLOSED = Stage.CLOSED


# A card is a client's row (domain/rows.py): name, stage and revision, the client decoded
# when the card is drawn or acted on.
Card = ClientRow


def sort_key(card: Card) -> tuple[str, str]:
    return card.key


# The same key read in C: sorting 10,000 cards calls it once per card.
_by_key = operator.attrgetter("key")


def closed_key(card: Card) -> tuple[str, str]:
    # Newest first: the time of the last history event is when the card reached closed.
    return (card.closed_at, card.id)


def _cards(clients: Mapping[str, Client]) -> dict[str, Card]:
    """Cards for a snapshot: read from the stored records when it has them."""
    if isinstance(clients, RowSource):
        return {row.id: row for row in clients.rows()}
    return {cid: Card.of_client(c) for cid, c in clients.items()}


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
            merged.update({cid: Card.of_client(c) for cid, c in self.overlays.items()})
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
        snapshot = clients if isinstance(clients, RowSource) else None
        merged: dict[str, Card] = {}
        for cid in clients:
            before = old.get(cid)
            overlay = overlays.get(cid)
            if overlay is not None:
                same = before is not None and before.shows(overlay)
                merged[cid] = before if before is not None and same else Card.of_client(overlay)
            elif snapshot is None:
                client = clients[cid]
                same = before is not None and before.shows(client)
                merged[cid] = before if before is not None and same else Card.of_client(client)
            elif before is not None and snapshot.keep(before):
                merged[cid] = before
            else:
                merged[cid] = snapshot.row(cid)
        for cid, overlay in overlays.items():
            if cid not in merged:
                merged[cid] = Card.of_client(overlay)
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
        card = Card.of_client(moved)
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

"""What the board shows: which cards sit in which column, in what order, and which has focus.

Plain Python with no Textual import, so it can be tested (and timed) on its own. A card holds
only what placing it needs (name, stage, revision), read from the stored record; the full
Client is decoded when the card is drawn or acted on, so a board of 10,000 clients decodes
the few dozen on screen rather than all of them. The model keeps itself up to date
incrementally: a card is re-placed only when its client's revision changed, and after a save
only the clients the snapshot names as changed are looked at.

The cards are also the projection the agenda, the filter and the command palette read: each
card keeps its client's deadlines and search text (domain/rows.py), and `deadline_index`
keeps every deadline in the agenda's order, updated per changed card.
"""

from __future__ import annotations

import bisect
import dataclasses
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from ...domain.models import Client, Outcome, Stage
from ...domain.rows import SEP, ClientRow, RowSource
from ..deadline_index import DeadlineIndex
from .needle import Counting, Found, Shown, holding, packed

ACTIVE_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if s is not Stage.CLOSED)
COLUMNS: tuple[Stage, ...] = (*ACTIVE_STAGES, Stage.CLOSED)
# The closed column shows the most recently closed clients unless archived ones are toggled on.
RECENT_CLOSED = 8
KEPT_RESULTS = 16  # needles whose results the filter keeps (see BoardModel._results)
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


def _changed_ids(clients: Mapping[str, Client], loaded: object) -> frozenset[str] | None:
    """The clients that differ from the snapshot loaded before, when the new one knows
    (storage's ClientSnapshot.changed_since); None: look at every client."""
    if loaded is None:
        return None
    changed_since: Callable[[object], frozenset[str] | None] | None
    changed_since = getattr(clients, "changed_since", None)
    return None if changed_since is None else changed_since(loaded)


# Each column's cards in order, with their search texts alongside (see BoardModel._ordered).
Columns = dict[Stage, tuple[list[Card], list[str]]]


def _cards(clients: Mapping[str, Client]) -> dict[str, Card]:
    """Cards for a snapshot: read from the stored records when it has them."""
    if isinstance(clients, RowSource):
        return {row.id: row for row in clients.rows()}
    return {cid: Card.of_client(c) for cid, c in clients.items()}


class BoardModel:
    def __init__(self) -> None:
        self.cards: dict[str, Card] = {}
        self.columns: dict[Stage, Sequence[Card]] = {s: [] for s in COLUMNS}
        self.overlays: dict[str, Client] = {}  # optimistic changes not yet saved
        self.unsaved: set[str] = set()  # overlays whose save failed and waits for a retry
        self.filter = ""
        self.show_archived = False
        self.closed_count = 0
        self.col = 0
        self.rows: dict[Stage, int] = {s: 0 for s in COLUMNS}
        self._loaded: Mapping[str, Client] | None = None  # the snapshot the cards are of
        self._settled: set[str] = set()  # overlays dropped since: their cards are looked at again
        self._index: DeadlineIndex | None = None  # made when the agenda or the warm-up asks
        # The filter's last result, all stages, closed ones not cut short: a longer needle
        # only narrows it.
        self._matched: dict[Stage, Found] | None = None
        # Results of the needles typed lately, until a card changes: a backspace goes back to
        # one of them, so widening costs no more than narrowing did.
        self._results: dict[str, dict[Stage, Found]] = {}
        self._counting = Counting()  # the positions a first needle starts from
        self._order: Columns | None = None  # see _ordered
        self._borrowed: set[Stage] = set()  # columns whose list is the filter's (see _place)
        self._changes = 0  # cards replaced so far (see `warm`)
        self._unshown: set[Stage] = set()  # columns changed by `sync`, for the next `load`
        self.warmed = False  # every card's deadlines and search text are known (see `warm`)

    # --- loading ---------------------------------------------------------------------------

    def load(self, clients: Mapping[str, Client]) -> set[Stage]:
        """Take a new snapshot; returns the columns whose content changed."""
        if clients is self._loaded and not self._settled:
            return set()
        focused = self.focused_id()
        old = self.cards
        changed: set[Stage] = set()
        ids = _changed_ids(clients, self._loaded)
        self._loaded = clients
        if not old:
            merged = _cards(clients)
            merged.update({cid: Card.of_client(c) for cid, c in self.overlays.items()})
            self.cards = merged
            self._changes += 1
            self._index = self._order = None
            self._forget_matches()
            self._rebuild()
            changed = set(COLUMNS)
        elif ids is not None:
            # After a save: only the clients it changed, and cards whose overlay went.
            for cid in ids | self._settled:
                self._replace(old.get(cid), self._card(cid, clients, old.get(cid)), changed)
        else:
            merged = self._merge(old, clients)
            for cid, card in merged.items():
                before = old.get(cid)
                if before is not card:
                    self._replace(before, card, changed)
            for cid in old.keys() - merged.keys():
                self._replace(old[cid], None, changed)
        self._settled.clear()
        if changed:
            self._forget_matches()
        if Stage.CLOSED in changed and old:
            self._rebuild_closed()
        self.focus_id(focused)
        changed |= self._unshown
        self._unshown = set()
        return changed

    def sync(self, clients: Mapping[str, Client]) -> None:
        """Catch up with a snapshot for a reader of the projection (the agenda may hear of a
        save before the board does); the board's next `load` still returns what changed."""
        self._unshown |= self.load(clients)

    def _replace(self, before: Card | None, card: Card | None, changed: set[Stage]) -> None:
        """Put `card` where `before` was (None: a card added or gone), in the columns, the
        cards and the deadline index."""
        if before is card:
            return
        if before is not None:
            self._remove(before)
            changed.add(before.stage)
            if card is None:
                del self.cards[before.id]
        if card is not None:
            # In place: a changed client keeps its place in the snapshot's order.
            self.cards[card.id] = card
            self._insert(card)
            changed.add(card.stage)
        self._reorder(before, card)

    def _reorder(self, before: Card | None, card: Card | None) -> None:
        """A card changed: the deadline index and the filter's ordered cards follow, each
        in a binary search rather than a new sort."""
        self._changes += 1
        if self._index is not None:
            self._index.replace(before, card)
        order = self._order
        if order is None:
            return
        for stage in {c.stage for c in (before, card) if c is not None} & self._borrowed:
            self._own(stage)  # a filtered column reads the order about to change
        if before is not None:
            cards, texts = order[before.stage]
            if before.stage is _CLOSED:
                at = next((i for i, c in enumerate(cards) if c is before), None)
            else:
                at = bisect.bisect_left(cards, before.key, key=sort_key)
                at = at if at < len(cards) and cards[at] is before else None
            if at is not None:
                del cards[at], texts[at]
        if card is not None:
            cards, texts = order[card.stage]
            if card.stage is _CLOSED:
                newest_first = closed_key(card)
                at = next((i for i, c in enumerate(cards) if closed_key(c) < newest_first), None)
                at = len(cards) if at is None else at
            else:
                at = bisect.bisect_left(cards, card.key, key=sort_key)
            cards.insert(at, card)
            texts.insert(at, card.search)

    def _card(self, cid: str, clients: Mapping[str, Client], before: Card | None) -> Card | None:
        """The card of one client in a new snapshot (None: it is gone)."""
        overlay = self.overlays.get(cid)
        if overlay is not None:
            same = before is not None and before.shows(overlay)
            return before if same else Card.of_client(overlay)
        if cid not in clients:
            return None
        if isinstance(clients, RowSource):
            return before if before is not None and clients.keep(before) else clients.row(cid)
        client = clients[cid]
        return before if before is not None and before.shows(client) else Card.of_client(client)

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

    def _rebuild(self, narrowing: bool = False) -> None:
        needle = self.filter
        if needle or self._order is not None:
            # Filtering: per column, the cards already in order (or the last result, when the
            # needle only grew) kept where their search text holds the needle; no sort, and
            # no Python code run per card.
            order = self._ordered()
            if not needle:
                self._matched = None
                self._place({stage: cards for stage, (cards, _) in order.items()})
                return
            found = self._results.get(needle)
            if found is None:
                pool = self._matched if narrowing else None
                if pool is None:
                    counting = self._counting.upto(max(len(cards) for cards, _ in order.values()))
                    pool = {stage: (counting, texts) for stage, (_, texts) in order.items()}
                found = {stage: holding(needle, *pool[stage]) for stage in COLUMNS}
                if len(self._results) >= KEPT_RESULTS:
                    del self._results[next(iter(self._results))]
                self._results[needle] = found
            self._matched = found
            self._place({stage: Shown(order[stage][0], found[stage][0]) for stage in COLUMNS})
            return
        self._borrowed.clear()
        columns: dict[Stage, list[Card]] = {stage: [] for stage in COLUMNS}
        # One pass over every card, closed ones included, with no method call per card: at
        # 10,000 clients this is on the way to the first paint.
        for card in self.cards.values():
            columns[card.stage].append(card)
        for stage in ACTIVE_STAGES:
            columns[stage].sort(key=_by_key)
        self.columns.update(columns)
        self._rebuild_closed(columns[_CLOSED])

    def _forget_matches(self) -> None:
        """A card changed: no earlier result of the filter holds."""
        self._matched = None
        self._results.clear()

    def _ordered(self) -> Columns:
        """Every card of each column, in the order the column shows them (active ones by
        name, closed ones newest first), with their search texts. Kept until a card changes."""
        if self._order is None:
            by_stage: dict[Stage, list[Card]] = {stage: [] for stage in COLUMNS}
            for card in self.cards.values():
                by_stage[card.stage].append(card)
            for stage in ACTIVE_STAGES:
                by_stage[stage].sort(key=_by_key)
            by_stage[_CLOSED].sort(key=closed_key, reverse=True)
            self._order = {s: (cards, packed(cards)) for s, cards in by_stage.items()}
        return self._order

    def _place(self, shown: Mapping[Stage, Sequence[Card]]) -> None:
        """Fill the columns from cards already in their order. They are the filter's own,
        not copies (a copy of 30,000 cards takes milliseconds): a column is copied before it
        is changed in place (`_own`)."""
        columns = self.columns
        for stage in ACTIVE_STAGES:
            columns[stage] = shown[stage]
        self._borrowed = set(ACTIVE_STAGES)
        closed = shown[_CLOSED]
        self.closed_count = len(closed)
        columns[_CLOSED] = list(closed) if self.show_archived else list(closed[:RECENT_CLOSED])

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

    def _own(self, stage: Stage) -> list[Card]:
        """The column's list, to change in place: copied first if it is the filter's."""
        column = self.columns[stage]
        if stage in self._borrowed or not isinstance(column, list):
            self._borrowed.discard(stage)
            column = self.columns[stage] = list(column)
        return column

    def _insert(self, card: Card) -> None:
        if card.stage is Stage.CLOSED or not self._visible(card):
            return
        bisect.insort(self._own(card.stage), card, key=sort_key)

    def _remove(self, card: Card) -> None:
        if card.stage is Stage.CLOSED:
            return
        column = self._own(card.stage)
        i = bisect.bisect_left(column, card.key, key=sort_key)
        while i < len(column) and column[i].id != card.id:
            i += 1
        if i < len(column):
            del column[i]

    # --- filter and archive ----------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        focused = self.focused_id()
        before, self.filter = self.filter, text.strip().casefold()
        if self.filter == before:
            return
        # No typed text holds the separator of the search text (see domain/rows.py).
        narrowing = bool(before) and before in self.filter and SEP not in self.filter
        self._rebuild(narrowing)
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
    def _index_candidates(column: Sequence[Card], card: Card) -> Iterable[tuple[int, Card]]:
        if card.stage is not Stage.CLOSED:
            # Keys are unique (the id is part of each): the card is where the search lands,
            # or not in the column (a filter hides it), with no walk through the cards after.
            at = bisect.bisect_left(column, card.key, key=sort_key)
            return [(at, column[at])] if at < len(column) else []
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
        self._forget_matches()
        self._reorder(before, card)
        if Stage.CLOSED in (client.stage, target):
            self._rebuild_closed()
        self.focus_id(moved.id)
        return moved

    def settle(self, client_id: str, *, failed_retryably: bool = False) -> None:
        """The save of an optimistic change finished: drop the overlay or mark it unsaved."""
        if failed_retryably:
            self.unsaved.add(client_id)
            return
        if self.overlays.pop(client_id, None) is not None:
            self._settled.add(client_id)
        self.unsaved.discard(client_id)

    # --- the projection other screens read -------------------------------------------------

    def deadline_index(self) -> DeadlineIndex:
        """Every card's deadlines in the agenda's order; the first call works out those not
        yet known (see `warm`)."""
        if self._index is None:
            self._index = DeadlineIndex(self.cards.values())
        return self._index

    def warm(
        self, budget: int, prepare: Callable[[Card, Client], object] | None = None
    ) -> Iterator[None]:
        """Work out each card's deadlines and search text ahead of need, and `prepare` it with
        its client (the board works out what the card says), `budget` cards between two pauses
        (each `yield`), then the deadline index and the filter's order, with pauses of their
        own. Each client is decoded once for all of it and let go; a card whose client is kept
        has it all at hand already."""
        done = 0
        for card in list(self.cards.values()):
            if card.has_deadlines and (prepare is None or card.decoded):
                continue
            client = card.peek()
            card.deadlines(decoded=client)
            card.search  # noqa: B018 (worked out and kept with the card)
            if prepare is not None:
                prepare(card, client)
            done += 1
            if done % budget == 0:
                yield
        if self._index is None:
            # A card changed meanwhile is placed by `_reorder` once the index exists; before
            # that, the index is made of the cards as they are when it is set.
            changes = self._changes
            index = yield from DeadlineIndex.gradually(list(self.cards.values()), budget * 64)
            if self._index is None and self._changes == changes:
                self._index = index
        self.deadline_index()
        yield  # the filter's order sorts every card too
        self._ordered()
        self.warmed = True

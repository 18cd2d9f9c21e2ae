"""What the board shows: which cards sit in which column, in what order, and which has focus.

Plain Python with no Textual import, so it can be tested (and timed) on its own. It keeps
itself up to date incrementally: the repository hands out the same Client object until a
client changes, so an identity check finds what moved among 10,000 clients in a millisecond,
and only those cards are re-placed.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Mapping

from ...domain.models import Client, Outcome, Stage

ACTIVE_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if s is not Stage.CLOSED)
COLUMNS: tuple[Stage, ...] = (*ACTIVE_STAGES, Stage.CLOSED)
# The closed column shows the most recently closed clients unless archived ones are toggled on.
RECENT_CLOSED = 8


def sort_key(client: Client) -> tuple[str, str]:
    return (client.name.casefold(), client.id)


def closed_key(client: Client) -> tuple[str, str]:
    # Newest first: the time of the last history event is when the card reached closed.
    at = client.history[-1].at.isoformat() if client.history else ""
    return (at, client.id)


def matches(client: Client, needle: str) -> bool:
    """The filter: name, company, archetype or a red-flag category contains the text."""
    if needle in client.name.casefold() or needle in client.company.casefold():
        return True
    if client.archetype and needle in client.archetype.value:
        return True
    return any(needle in f.category.value for f in client.flags)


class BoardModel:
    def __init__(self) -> None:
        self.clients: dict[str, Client] = {}
        self.columns: dict[Stage, list[Client]] = {s: [] for s in COLUMNS}
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
        merged = dict(clients)
        merged.update(self.overlays)
        changed: set[Stage] = set()
        if not self.clients or self.filter:
            self.clients = merged
            self._rebuild()
            changed = set(COLUMNS)
        else:
            old = self.clients
            for cid, client in merged.items():
                before = old.get(cid)
                if before is not client:
                    if before is not None:
                        self._remove(before)
                        changed.add(before.stage)
                    self._insert(client)
                    changed.add(client.stage)
            for cid in old.keys() - merged.keys():
                self._remove(old[cid])
                changed.add(old[cid].stage)
            self.clients = merged
            if Stage.CLOSED in changed:
                self._rebuild_closed()
        self.focus_id(focused)
        return changed

    def _visible(self, client: Client) -> bool:
        return not self.filter or matches(client, self.filter)

    def _rebuild(self) -> None:
        for stage in ACTIVE_STAGES:
            self.columns[stage] = []
        for client in self.clients.values():
            if client.stage is not Stage.CLOSED and self._visible(client):
                self.columns[client.stage].append(client)
        for stage in ACTIVE_STAGES:
            self.columns[stage].sort(key=sort_key)
        self._rebuild_closed()

    def _rebuild_closed(self) -> None:
        closed = [c for c in self.clients.values() if c.stage is Stage.CLOSED and self._visible(c)]
        closed.sort(key=closed_key, reverse=True)
        self.closed_count = len(closed)
        self.columns[Stage.CLOSED] = closed if self.show_archived else closed[:RECENT_CLOSED]

    def _insert(self, client: Client) -> None:
        if client.stage is Stage.CLOSED or not self._visible(client):
            return
        bisect.insort(self.columns[client.stage], client, key=sort_key)

    def _remove(self, client: Client) -> None:
        if client.stage is Stage.CLOSED:
            return
        column = self.columns[client.stage]
        i = bisect.bisect_left(column, sort_key(client), key=sort_key)
        while i < len(column) and column[i].id != client.id:
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

    def focused(self) -> Client | None:
        column = self.columns[self.stage]
        return column[self.row()] if column else None

    def focused_id(self) -> str | None:
        client = self.focused()
        return client.id if client else None

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
        client = self.clients.get(client_id)
        if client is None:
            return False
        column = self.columns[client.stage]
        for i, c in self._index_candidates(column, client):
            if c.id == client_id:
                self.col = COLUMNS.index(client.stage)
                self.rows[client.stage] = i
                return True
        return False

    @staticmethod
    def _index_candidates(column: list[Client], client: Client) -> Iterable[tuple[int, Client]]:
        if client.stage is not Stage.CLOSED:
            start = bisect.bisect_left(column, sort_key(client), key=sort_key)
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
        self._remove(client)
        self.clients[client.id] = moved
        self._insert(moved)
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

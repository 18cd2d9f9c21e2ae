"""Every client's deadlines in the agenda's order, kept sorted as clients change.

The agenda shows thousands of deadlines; sorting them all again on every open cost more than
drawing the screen. This index takes each client's deadlines (kept with its row, see
domain/rows.py) and places them with a binary search when the client changes, so opening the
agenda only reads what is already in order. Only dates are kept: how many days are left, and
so what is overdue, is worked out from today when it is shown.

Plain Python with no Textual import. The board's model keeps one (tui/board/model.py); the
agenda reads it through `core(self).projection()`, described by `Projection` below, so it
imports nothing of the board's.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from typing import Protocol

from rich.cells import cell_len

from ..domain.rows import ClientRow
from ..domain.timers import Deadline

# The agenda's order (timers.agenda): by date, then client name, then kind; the client's id
# and the deadline's place among its own keep two equal keys apart.
Key = tuple[dt.date, str, str, str, int]
ALL = ""  # the list of every kind


_first, _second = operator.itemgetter(0), operator.itemgetter(1)
_name = operator.attrgetter("client_name")


def _width(name: str) -> int:
    # Most names are printable ASCII, one cell a letter: asking Rich for each of 30,000 took
    # a third of building the index.
    return len(name) if name.isascii() and name.isprintable() else cell_len(name)


def _keys(row: ClientRow, *, shown: bool = False) -> list[tuple[Key, Deadline]]:
    found = row.deadlines(keep=shown)
    return [((d.due, d.client_name.lower(), d.kind, row.id, i), d) for i, d in enumerate(found)]


class _Sorted:
    """One sorted list of deadlines (every kind, or one kind), with its name widths."""

    __slots__ = ("items", "keys", "widths")

    def __init__(self) -> None:
        self.keys: list[Key] = []
        self.items: list[Deadline] = []
        self.widths: Counter[int] = Counter()

    def fill(self, pairs: list[tuple[Key, Deadline]]) -> None:
        pairs.sort(key=_first)
        self.keys = list(map(_first, pairs))
        self.items = list(map(_second, pairs))
        self.widths = Counter(map(_width, map(_name, self.items)))

    def add(self, key: Key, deadline: Deadline) -> None:
        i = bisect.bisect_left(self.keys, key)
        self.keys.insert(i, key)
        self.items.insert(i, deadline)
        self.widths[cell_len(deadline.client_name)] += 1

    def remove(self, key: Key) -> None:
        i = bisect.bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            del self.keys[i]
            deadline = self.items.pop(i)
            width = cell_len(deadline.client_name)
            self.widths[width] -= 1
            if not self.widths[width]:
                del self.widths[width]


class DeadlineIndex:
    """The deadlines of a set of rows, in the agenda's order, as a whole and by kind."""

    def __init__(self, rows: Iterable[ClientRow]) -> None:
        self._lists: dict[str, _Sorted] = {ALL: _Sorted()}
        for _ in self._fill([pair for row in rows for pair in _keys(row)]):
            pass

    @classmethod
    def gradually(
        cls, rows: Iterable[ClientRow], budget: int
    ) -> Generator[None, None, DeadlineIndex]:
        """The index of `rows`, built a little at a time: it yields after each `budget` rows
        and between its sorts (at 50,000 clients, built at once, it held the UI thread a
        quarter of a second). The rows' deadlines should be known already."""
        index = cls.__new__(cls)
        index._lists = {ALL: _Sorted()}
        pairs: list[tuple[Key, Deadline]] = []
        for n, row in enumerate(rows, 1):
            pairs += _keys(row)
            if n % budget == 0:
                yield
        yield from index._fill(pairs)
        return index

    def _fill(self, pairs: list[tuple[Key, Deadline]]) -> Iterator[None]:
        by_kind: dict[str, list[tuple[Key, Deadline]]] = {}
        for pair in pairs:
            by_kind.setdefault(pair[1].kind, []).append(pair)
        self._lists[ALL].fill(pairs)
        for kind, some in by_kind.items():
            yield
            self._list(kind).fill(some)

    def _list(self, kind: str) -> _Sorted:
        found = self._lists.get(kind)
        if found is None:
            found = self._lists[kind] = _Sorted()
        return found

    def replace(self, before: ClientRow | None, after: ClientRow | None) -> None:
        """A client changed (`before` None: added; `after` None: removed)."""
        if before is not None:
            for key, deadline in _keys(before):
                self._lists[ALL].remove(key)
                self._list(deadline.kind).remove(key)
        if after is not None:
            # A changed card is about to be drawn: its client is decoded for both at once.
            for key, deadline in _keys(after, shown=True):
                self._lists[ALL].add(key, deadline)
                self._list(deadline.kind).add(key, deadline)

    # --- what the agenda reads -------------------------------------------------------------

    def deadlines(self, kind: str = ALL) -> list[Deadline]:
        """Every deadline (of one kind), earliest first. The list is the index's own: read it,
        do not change it."""
        found = self._lists.get(kind)
        return found.items if found is not None else []

    def due_before(self, day: dt.date, kind: str = ALL) -> int:
        """How many deadlines (of one kind) fall before `day`."""
        found = self._lists.get(kind)
        if found is None:
            return 0
        return bisect.bisect_left(found.keys, (day,))

    def longest_name(self, kind: str = ALL) -> int:
        """The widest client name among the deadlines (of one kind), in terminal cells."""
        found = self._lists.get(kind)
        return max(found.widths, default=0) if found is not None else 0

    def extremes(self, kind: str = ALL) -> list[Deadline]:
        """The earliest and the latest deadline of each kind (of one kind): among them is the
        longest countdown."""
        kinds = [k for k in self._lists if k != ALL] if kind == ALL else [kind]
        found: list[Deadline] = []
        for k in kinds:
            items = self.deadlines(k)
            if items:
                found += [items[0], items[-1]]
        return found


class Projection(Protocol):
    """What the agenda and the command palette read of the board's cards (BoardModel)."""

    cards: dict[str, ClientRow]
    warmed: bool  # every card's deadlines are known: `deadline_index` decodes no client

    def deadline_index(self) -> DeadlineIndex: ...

    def warm(self, budget: int) -> Iterator[None]:
        """Work out the deadlines not yet known, pausing (a `yield`) every `budget` cards."""
        ...

"""The clients' palette titles, kept from one palette to the next, and where their words start.

Making every title, lowering it and packing them into one text cost about 40 ms at 50,000
clients each time the palette opened; finding the titles where a query starts a word scanned
that whole text (about 2 ms a key at 50,000 whenever few titles had such a word). Here the
lowered titles are made once, by the board's warm-up (`gradually`), kept with the board's
projection, and brought up to date when the palette opens (`titles_of`): a client changed in
place is made again alone; added ones are appended; anything else (a client deleted) makes
all anew. The titles as shown are made when asked for (`Titles`).

`words` is the word-start index: for the first one, two and three characters of each word of
a title's own part (name and stage), the titles holding such a word, in board order. A query
that starts a word somewhere starts with one of those keys, so the titles to look at are few.

Plain Python with no Textual import: the board's warm-up makes the index and the palette
reads it, and neither imports the other (as with deadline_index.py).
"""

from __future__ import annotations

import itertools
import operator
import re
from array import array
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Generator, Sequence
from functools import partial
from typing import Protocol, overload
from weakref import WeakKeyDictionary

from ..domain.rows import ClientRow

PREFIX = "Jump to client: "
OWN = len(PREFIX)  # where a title's own part starts (the prefix is ASCII: lowering keeps it)
KEY_SIZE = 3  # the longest word-start key: a word's first three characters
# At each start of a word, its first three characters (fewer at the end of the title).
_WORD_START = re.compile(r"(?<!\w)(?=(\w.?.?))", re.DOTALL)


def row_title(row: ClientRow) -> str:
    """What the palette calls a client: "Jump to client: Ada (Closed, retained)"."""
    return f"{PREFIX}{row.name} ({row.title})"


def word_keys(lowered: str) -> set[str]:
    """The word-start keys of a lowered title's own part."""
    # (Searched from the own part's start, the look behind still sees the prefix's space.)
    return {
        key for start in _WORD_START.findall(lowered, OWN) for key in (start[:1], start[:2], start)
    }


class Projection(Protocol):
    """What the palette reads of the board (tui/board/model.py): its cards, in board order."""

    cards: dict[str, ClientRow]


class Titles(Sequence[str]):
    """The titles of the rows, made when asked for (a palette shows some fifty a key): kept,
    50,000 of them held 5 MB."""

    def __init__(self, rows: list[ClientRow]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, at: int) -> str: ...
    @overload
    def __getitem__(self, at: slice) -> list[str]: ...
    def __getitem__(self, at: int | slice) -> str | list[str]:
        if isinstance(at, slice):
            return [row_title(row) for row in self._rows[at]]
        return row_title(self._rows[at])


class TitleIndex:
    """Every client's title, lowered, packed into one text, and the word-start index."""

    def __init__(self) -> None:
        self.rows: list[ClientRow] = []
        self.titles = Titles(self.rows)
        self.lowered: list[str] = []
        # Read with .get: a key looked up and not found stays out.
        self.words: defaultdict[str, array[int]] = defaultdict(partial(array, "i"))
        self._own: tuple[str, array[int]] | None = None

    @classmethod
    def of(cls, rows: Sequence[ClientRow]) -> TitleIndex:
        """The index of `rows`, made at once."""
        index = cls()
        index._append(rows)
        return index

    @classmethod
    def gradually(cls, rows: Sequence[ClientRow], budget: int) -> Generator[None, None, TitleIndex]:
        """The index of `rows`, made `budget` rows between two pauses (each `yield`)."""
        index = cls()
        for start in range(0, len(rows), budget):
            index._append(rows[start : start + budget])
            yield
        return index

    def _append(self, rows: Sequence[ClientRow]) -> None:
        first = len(self.rows)
        lowered = [row_title(row).lower() for row in rows]
        self.rows += rows
        self.lowered += lowered
        words = self.words
        for i, text in enumerate(lowered, first):
            for key in word_keys(text):
                words[key].append(i)
        self._own = None

    def _replace(self, i: int, row: ClientRow) -> None:
        lowered = row_title(row).lower()
        before, after = word_keys(self.lowered[i]), word_keys(lowered)
        words = self.words
        for key in before - after:
            found = words[key]
            del found[bisect_left(found, i)]
            if not found:
                del words[key]
        for key in after - before:
            insort(words[key], i)
        self.rows[i], self.lowered[i] = row, lowered
        self._own = None

    def updated(self, rows: Sequence[ClientRow]) -> TitleIndex:
        """This index brought up to date with `rows` (the board's cards now), or a new one."""
        size = len(self.rows)
        changed = list(itertools.compress(itertools.count(), map(operator.is_not, rows, self.rows)))
        if len(rows) < size or len(changed) > size // 8:
            # A client deleted moves every one after it: making all anew costs less.
            return TitleIndex.of(rows)
        for i in changed:
            self._replace(i, rows[i])
        if len(rows) > size:
            self._append(rows[size:])
        return self

    @property
    def own(self) -> tuple[str, array[int]]:
        """The titles' own parts (lowered), each after a line break, and where each starts in
        that text."""
        if self._own is None:
            self._own = packed([text[OWN:] for text in self.lowered])
        return self._own


def packed(texts: list[str]) -> tuple[str, array[int]]:
    """The texts in one, each after a line break, and where each starts in it: a regular
    expression finds a query in all of them at once."""
    starts = itertools.accumulate(map(len, texts), lambda at, size: at + size + 1, initial=1)
    return "\n" + "\n".join(texts), array("l", starts)


# The index kept for each board projection, from one palette to the next.
_KEPT: WeakKeyDictionary[Projection, TitleIndex] = WeakKeyDictionary()


def titles_of(projection: Projection) -> TitleIndex:
    """The titles of the projection's cards now: the kept index brought up to date, or made."""
    rows = list(projection.cards.values())
    kept = _KEPT.get(projection)
    index = TitleIndex.of(rows) if kept is None else kept.updated(rows)
    _KEPT[projection] = index
    index.own  # noqa: B018 (made as the palette opens rather than on a key)
    return index


def keep(projection: Projection, index: TitleIndex) -> None:
    """Keep an index made ahead of need (the board's warm-up) for the next palette."""
    _KEPT[projection] = index


def warm(projection: Projection, budget: int) -> Generator[None, None, None]:
    """Make the projection's index ahead of the first palette, `budget` rows between two
    pauses; a palette opened meanwhile made its own, which is kept instead. A card changed
    meanwhile is caught up when the palette opens."""
    if projection in _KEPT:
        return
    index = yield from TitleIndex.gradually(list(projection.cards.values()), budget)
    yield
    index.own  # noqa: B018
    _KEPT.setdefault(projection, index)

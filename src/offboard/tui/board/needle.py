"""How the board's filter searches: each card's search text (domain/rows.py), read in C.

Plain Python with no Textual import, like the board's model that uses it.

A result is where the matching cards stand in their column's order (positions), not the cards
themselves: putting 30,000 cards in a new list writes to each one (its reference count), and
cards lie scattered among the records they were read from, a cache miss each. At 50,000 clients
that was half of a new needle's time; the positions are small numbers made side by side
(`Counting`), and the few cards on screen are fetched when drawn (`Shown`).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator, Sequence
from typing import overload

from ...domain.rows import SEP, ClientRow

Found = tuple[list[int], list[str]]  # positions in the column's order, and their search texts


def holding(needle: str, positions: Sequence[int], texts: list[str]) -> Found:
    """The positions (and texts) whose search text holds `needle`, in their order; the loop
    runs in C. `positions` may run past `texts`: it is cut to their length."""
    if SEP in needle:  # no text holds it between two fields
        return [], []
    keep = list(map(operator.contains, texts, itertools.repeat(needle)))
    return list(itertools.compress(positions, keep)), list(itertools.compress(texts, keep))


class Counting:
    """0, 1, 2, ... made once, side by side in memory, and reused for every needle."""

    def __init__(self) -> None:
        self._numbers: list[int] = []

    def upto(self, size: int) -> list[int]:
        """At least `size` numbers from 0 (maybe more: `holding` cuts them)."""
        numbers = self._numbers
        if len(numbers) < size:
            numbers.extend(range(len(numbers), size + 1024))
        return numbers


class Shown(Sequence[ClientRow]):
    """A filtered column as the view reads it: the cards of the column's order at `positions`.
    Valid while that order is unchanged: the model copies it into a list first (`_own`)."""

    __slots__ = ("_cards", "_positions")

    def __init__(self, cards: list[ClientRow], positions: list[int]) -> None:
        self._cards = cards
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> ClientRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[ClientRow]: ...
    def __getitem__(self, index: int | slice) -> ClientRow | list[ClientRow]:
        if isinstance(index, slice):
            return list(map(self._cards.__getitem__, self._positions[index]))
        return self._cards[self._positions[index]]

    def __iter__(self) -> Iterator[ClientRow]:
        return map(self._cards.__getitem__, self._positions)


def packed(cards: list[ClientRow]) -> list[str]:
    """The cards' search texts, copied side by side in memory. Made one by one as the cards
    were read, they lie scattered among the records, and reading 50,000 of them took the
    filter four times as long as reading them packed (each one a cache miss)."""
    texts = [card.search for card in cards]
    joined = "\n".join(texts).split("\n")  # a name could hold a line break: then as made
    return joined if len(joined) == len(texts) else texts

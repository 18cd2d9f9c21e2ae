"""How the board's filter searches: each card's search text (domain/rows.py), read in C.

Plain Python with no Textual import, like the board's model that uses it.
"""

from __future__ import annotations

import itertools
import operator

from ...domain.rows import SEP, ClientRow


def holding(
    needle: str, cards: list[ClientRow], texts: list[str]
) -> tuple[list[ClientRow], list[str]]:
    """The cards whose search text holds `needle`, in their order (the loop runs in C)."""
    if SEP in needle:  # no text holds it between two fields
        return [], []
    keep = list(map(operator.contains, texts, itertools.repeat(needle)))
    return list(itertools.compress(cards, keep)), list(itertools.compress(texts, keep))


def packed(cards: list[ClientRow]) -> list[str]:
    """The cards' search texts, copied side by side in memory. Made one by one as the cards
    were read, they lie scattered among the records, and reading 50,000 of them took the
    filter four times as long as reading them packed (each one a cache miss)."""
    texts = [card.search for card in cards]
    joined = "\n".join(texts).split("\n")  # a name could hold a line break: then as made
    return joined if len(joined) == len(texts) else texts

"""Clients found by name in the command palette, scored as Textual's fuzzy matcher scores them,
without running the matcher over every client.

Textual's matcher (textual/fuzzy.py) costs tens of microseconds a candidate: at 10,000 clients a
keystroke would wait a tenth of a second for it. What it gives is predictable, though:

- A query held whole in the title is scored from its first place there alone: the letters
  matched, plus those that start a word, twice, times 1.5 (2 for the whole title). Worked out
  here from the title and where its words start, the same number comes out, far sooner.
- A query held in "Jump to client: " itself is found there in every title, at the same place:
  every client scores the same, and the first ones in board order are the best.
- A query found only as scattered letters scores below (L + L) * (1 + ((L - 1) / L) ** 2) for
  a query of L letters. When the best held-whole titles already score above that, no
  scattered match can be among the best, and the matcher is not asked about them.

Otherwise the matcher scores what is left, among the titles that hold the query's letters in
order (one regular expression each); a longer query looks only among the previous one's finds.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Callable

from ..domain.rows import ClientRow

PREFIX = "Jump to client: "
_PREFIX = PREFIX.lower()
_WORD_CHAR = re.compile(r"\w")


def row_title(row: ClientRow) -> str:
    """What the palette calls a client: "Jump to client: Ada (Closed, retained)"."""
    return f"{PREFIX}{row.name} ({row.title})"


def in_order(query: str) -> re.Pattern[str]:
    """Finds a (lowered) title holding the query's letters in order: the condition for the
    matcher to score it above 0."""
    return re.compile(".*?".join(map(re.escape, query.lower())), re.DOTALL)


def starts_word(text: str, i: int) -> bool:
    """Whether a word (a run of `\\w`, as the matcher finds them) starts at `i`."""
    is_word = _WORD_CHAR.match
    return bool(is_word(text, i)) and (i == 0 or not is_word(text, i - 1))


def whole_score(lowered: str, query: str, at: int) -> float:
    """The matcher's score of a title holding the (lowered) query whole, first at `at`."""
    size = len(query)
    score: float = size + sum(1 for i in range(at, at + size) if starts_word(lowered, i))
    score *= 1 + 1.0 * 1.0  # one group of letters
    return score * (2.0 if lowered == query else 1.5)


def scattered_bound(size: int) -> float:
    """More than the matcher gives any title holding a query of `size` letters only apart."""
    most = (size - 1) / size
    return 2 * size * (1 + most * most)


class ClientTitles:
    """The clients' titles for one palette session, and the last query's finds."""

    def __init__(self, rows: list[ClientRow]) -> None:
        self.rows = rows
        self.titles = [row_title(row) for row in rows]
        self.lowered = [t.lower() for t in self.titles]
        self._query = ""
        self._found: list[int] = []

    def candidates(self, query: str) -> list[int]:
        """Indexes of the titles holding the (lowered) query's letters in order."""
        previous = self._query and self._query in query
        pool = self._found if previous else range(len(self.rows))
        lowered, search = self.lowered, in_order(query).search
        found = list(itertools.compress(pool, map(search, (lowered[i] for i in pool))))
        self._query, self._found = query, found
        return found

    def best(
        self, query: str, score: Callable[[str], float], limit: int
    ) -> list[tuple[float, int]]:
        """The `limit` best (score, index) pairs, best first, the earlier client first among
        equal scores: what scoring every title with `score` (the matcher) would give."""
        query = query.lower()
        if not query or not self.rows:
            return []
        if query in _PREFIX:
            same = score(self.titles[0])
            return [(same, i) for i in range(min(limit, len(self.rows)))]
        whole: list[tuple[float, int]] = []
        scattered: list[int] = []
        lowered = self.lowered
        for i in self.candidates(query):
            at = lowered[i].find(query)
            if at < 0:
                scattered.append(i)
            else:
                whole.append((whole_score(lowered[i], query, at), -i))
        top = heapq.nlargest(limit, whole)
        enough = len(top) == limit and top[-1][0] > scattered_bound(len(query))
        if scattered and not enough:
            for i in scattered:
                value = score(self.titles[i])
                if value > 0:
                    whole.append((value, -i))
            top = heapq.nlargest(limit, whole)
        return [(value, -negative) for value, negative in top]

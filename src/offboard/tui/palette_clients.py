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

The best titles holding the query whole are known in board order: the letters of the query
that start a word, past its first one, are the same wherever it is found, so a title scores
one of two values (three, if it is the query itself), higher when the query's first place
starts a word there. Those of the higher kind are found through the word-start index
(tui/title_index.py): only titles holding a word that starts as the query does are looked
at. If fewer than `limit` are, the first titles of the other kind are found without a loop
over the titles in Python: their own parts (name and stage) are kept in one text, one a line,
and a regular expression finds the query there, stopping at the `limit`th. (A query that
may start in "Jump to client: " and go on past it searches the whole titles that way.)

Otherwise the matcher scores what is left, among the titles that hold the query's letters in
order (one regular expression each); a longer query looks only among the previous one's finds.
It is asked about SCATTERED_SCORED titles at most: letters such as "clnt" are held apart in
"Jump to client: " itself, so every title holds them, and scoring 50,000 took about a second
a key. The titles that hold the letters in their own part (name and stage) are scored first,
then the first others in board order; past that number the result can differ from scoring
every title (the others all hold the letters in the same words of the prefix, and mostly
score alike).
"""

from __future__ import annotations

import heapq
import itertools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence

from ..domain.rows import ClientRow
from .title_index import KEY_SIZE, OWN, PREFIX, TitleIndex, packed

_PREFIX = PREFIX.lower()
# A query starting with one of these may start in the prefix and go on past it.
_OVERLAPS = tuple(_PREFIX[at:] for at in range(len(_PREFIX)))
# The most titles the matcher is asked about for letters found only apart (see above): about
# 20 ms of matcher time.
SCATTERED_SCORED = 1000
# A word-start posting longer than the titles over this is not walked (see _whole).
LONG_POSTING = 16
_WORD_CHAR = re.compile(r"\w")


def in_order(query: str) -> re.Pattern[str]:
    """Finds a (lowered) title holding the query's letters in order: the condition for the
    matcher to score it above 0."""
    return re.compile(".*?".join(map(re.escape, query.lower())), re.DOTALL)


def starts_word(text: str, i: int) -> bool:
    """Whether a word (a run of `\\w`, as the matcher finds them) starts at `i`."""
    is_word = _WORD_CHAR.match
    return bool(is_word(text, i)) and (i == 0 or not is_word(text, i - 1))


def first_starts_word(lowered: str, query: str) -> bool:
    """Whether the (lowered) title holds the query and a word starts at its first place."""
    at = lowered.find(query)
    return at >= 0 and starts_word(lowered, at)


def whole_score(query: str) -> Callable[[str, int], float]:
    """The matcher's score of a (lowered) title holding the query whole, first at `at`. Which
    letters past the first start a word is the query's own, wherever it is found: only
    whether a word starts at its first place depends on the title."""
    size = len(query)
    inner = size + sum(1 for i in range(1, size) if starts_word(query, i))

    def score(lowered: str, at: int) -> float:
        value = (inner + starts_word(lowered, at)) * (1 + 1.0 * 1.0)  # one group of letters
        return value * (2.0 if lowered == query else 1.5)

    return score


def scattered_bound(size: int) -> float:
    """More than the matcher gives any title holding a query of `size` letters only apart."""
    most = (size - 1) / size
    return 2 * size * (1 + most * most)


class ClientTitles:
    """The clients' titles for one palette session, and the last query's finds."""

    def __init__(self, rows: Sequence[ClientRow] | TitleIndex) -> None:
        index = rows if isinstance(rows, TitleIndex) else TitleIndex.of(rows)
        self.index = index
        self.rows, self.titles, self.lowered = index.rows, index.titles, index.lowered
        self._whole_text: tuple[str, Sequence[int]] | None = None
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

    def _holding(
        self, pattern: str, query: str, texts: tuple[str, Sequence[int]], skip: int = 0
    ) -> Iterator[int]:
        """The titles, in board order, whose first place holding the (lowered) query is
        found by `pattern` (the query, perhaps with a condition before it) in `texts` (the
        titles from `skip` on, each after a line break, and where each starts)."""
        text, starts = texts
        lowered = self.lowered
        for found in re.finditer(pattern, text):
            at = found.start()
            i = bisect_right(starts, at) - 1
            if lowered[i].find(query) == at - starts[i] + skip:
                yield i

    def _whole(self, query: str, limit: int) -> list[int]:
        """Titles holding the (lowered) query whole, among them the `limit` best ones."""
        if query.startswith(_OVERLAPS) or "\n" in query:
            return self._whole_anywhere(query, limit)
        # The query's first place is in the titles' own part: the titles where it starts a
        # word are among those holding a word that starts as the query does.
        best: list[int] = []
        starting: Iterator[int]
        if _WORD_CHAR.match(query):
            posting = self.index.words.get(query[:KEY_SIZE], ())
            if len(posting) * LONG_POSTING <= len(self.lowered):
                lowered = self.lowered
                starting = (i for i in posting if first_starts_word(lowered[i], query))
            else:
                # Many titles hold a word starting as the query does ("pre" for "prex"):
                # scanning the own parts costs less than looking at each of them.
                escaped = re.escape(query)
                pattern = rf"{escaped}(?<=\W{escaped})"
                starting = self._holding(pattern, query, self.index.own, OWN)
            best = list(itertools.islice(starting, limit))
        if len(best) < limit:
            higher = set(best)
            found = self._holding(re.escape(query), query, self.index.own, OWN)
            others = (i for i in found if i not in higher)
            best += itertools.islice(others, limit - len(best))
        return best

    def _whole_anywhere(self, query: str, limit: int) -> list[int]:
        """`_whole` for a query that may start in "Jump to client: " and go on past it (rare):
        the whole titles are searched, packed as the own parts are."""
        if self._whole_text is None:
            self._whole_text = packed(self.lowered)
        titles, escaped = self._whole_text, re.escape(query)
        best: list[int] = []
        if _WORD_CHAR.match(query):
            # The higher kind: the query's first place starts a word. The query comes first in
            # the pattern, so the regular expression engine looks for it as plain text.
            starting = rf"{escaped}(?<=\W{escaped})"
            best = list(itertools.islice(self._holding(starting, query, titles), limit))
        if len(best) < limit:
            # Every one of the higher kind is in `best`: the rest are the first ones of the
            # other kind.
            higher = set(best)
            others = (i for i in self._holding(escaped, query, titles) if i not in higher)
            best += itertools.islice(others, limit - len(best))
        if query.startswith(_PREFIX):
            best += itertools.compress(range(len(self.lowered)), map(query.__eq__, self.lowered))
        return best

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
        lowered, scored = self.lowered, whole_score(query)
        whole = [
            (scored(lowered[i], lowered[i].find(query)), -i) for i in set(self._whole(query, limit))
        ]
        top = heapq.nlargest(limit, whole)
        # (One letter is never found apart: what holds it holds it whole.)
        short = len(top) < limit or top[-1][0] <= scattered_bound(len(query))
        if short and len(query) > 1:
            apart = [i for i in self.candidates(query) if lowered[i].find(query) < 0]
            for i in self._likeliest(apart, query):
                if (value := score(self.titles[i])) > 0:
                    whole.append((value, -i))
            top = heapq.nlargest(limit, whole)
        return [(value, -negative) for value, negative in top]

    def _likeliest(self, apart: list[int], query: str) -> list[int]:
        """At most SCATTERED_SCORED of the titles holding the query's letters only apart:
        those holding them in their own part first, in board order."""
        if len(apart) <= SCATTERED_SCORED:
            return apart
        lowered, skip, search = self.lowered, len(_PREFIX), in_order(query).search
        own = [i for i in apart if search(lowered[i], skip)]
        chosen = own[:SCATTERED_SCORED]
        if len(chosen) < SCATTERED_SCORED:
            taken = set(chosen)
            rest = (i for i in apart if i not in taken)
            chosen += itertools.islice(rest, SCATTERED_SCORED - len(chosen))
        return sorted(chosen)

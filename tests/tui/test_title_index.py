"""The palette's kept titles and word-start index (tui/title_index.py): made a little at a
time or at once, brought up to date as clients change, the same as made anew; and the search
that reads them (tui/palette_clients.py) still gives what the fuzzy matcher gives."""

from __future__ import annotations

import random

import pytest
from textual.fuzzy import Matcher

from offboard.domain.rows import ClientRow
from offboard.tui import palette_clients
from offboard.tui.palette_clients import ClientTitles
from offboard.tui.title_index import TitleIndex, titles_of, warm, word_keys

WORDS = ["rowan", "arrow", "river", "brown", "orchid", "row", "r2", "x-ray", "café", "İpek", "a"]
STAGES = ["assessment", "preparation", "repair", "notice", "closed"]
QUERIES = [
    "r", "ro", "row", "ri", "riv", "rivx", "w", "e", "é", "x", "-", "(", "r (", "rw", "a",
    "a ", "a (", "pre", "prex", "ipe", "i̇pe", "rowan r", "t: r", "client: a", "zz", "2",
]  # fmt: skip


def row(n: int, name: str, stage: str = "repair") -> ClientRow:
    record = {"name": name, "stage": stage, "rev": 1}
    return ClientRow.of_record(f"id-{n}", record, lambda *_: None)  # type: ignore[arg-type,return-value]


def rows(count: int, seed: int) -> list[ClientRow]:
    pick = random.Random(seed)
    return [
        row(n, " ".join(pick.choice(WORDS) for _ in range(pick.randint(1, 3))), pick.choice(STAGES))
        for n in range(count)
    ]


def same(a: TitleIndex, b: TitleIndex) -> None:
    assert a.rows == b.rows
    assert list(a.titles) == list(b.titles)
    assert a.lowered == b.lowered
    assert a.own == b.own
    assert {k: list(v) for k, v in a.words.items() if v} == {k: list(v) for k, v in b.words.items()}


def by_the_matcher(titles: list[str], query: str, limit: int) -> list[tuple[float, int]]:
    matcher = Matcher(query)
    scored = [(matcher.match(title), -i) for i, title in enumerate(titles)]
    best = sorted((s for s in scored if s[0] > 0), reverse=True)[:limit]
    return [(score, -negative) for score, negative in best]


class Board:
    """A projection as the palette reads it: cards in board order."""

    def __init__(self, made: list[ClientRow]) -> None:
        self.cards = {r.id: r for r in made}


def test_word_keys_are_the_first_characters_of_each_word_of_the_own_part() -> None:
    title = "jump to client: x-ray a (closed)"
    assert word_keys(title) == {
        "x", "x-", "x-r", "r", "ra", "ray", "a", "a ", "a (", "c", "cl", "clo",
    }  # fmt: skip


def test_made_a_little_at_a_time_it_is_what_is_made_at_once() -> None:
    made = rows(300, 4)
    build = TitleIndex.gradually(made, 64)
    pauses = 0
    while True:
        try:
            next(build)
            pauses += 1
        except StopIteration as done:
            gradual = done.value
            break
    assert pauses == 5  # 300 rows, 64 at a time
    same(gradual, TitleIndex.of(made))


def test_an_index_brought_up_to_date_is_the_one_made_anew() -> None:
    made = rows(200, 5)
    index = TitleIndex.of(made)
    index.own  # noqa: B018 (made, so that it must be made again)
    changed = list(made)
    changed[3] = row(3, "Zebra Crossing", "notice")  # every word different
    changed[50] = row(50, made[50].name, "closed")  # only the stage
    changed += [row(900, "Quill Works"), row(901, "river arrow")]
    updated = index.updated(changed)
    assert updated is index  # caught up in place, not made again
    same(updated, TitleIndex.of(changed))
    titles = ClientTitles(updated)
    for query in ("z", "zeb", "quill", "clo", "river arrow", "row"):
        assert titles.best(query, Matcher(query).match, 40) == by_the_matcher(
            updated.titles, query, 40
        ), query
    gone = changed[:10] + changed[11:]  # one deleted: every later client moves up
    same(index.updated(gone), TitleIndex.of(gone))


@pytest.mark.parametrize("long_posting", [1, 10**9])  # always walk; always scan the text
@pytest.mark.parametrize("seed", [1, 2])
def test_either_way_of_finding_word_starts_gives_what_the_matcher_gives(
    monkeypatch, seed: int, long_posting: int
) -> None:
    monkeypatch.setattr(palette_clients, "LONG_POSTING", long_posting)
    made = rows(400, seed)
    titles = ClientTitles(TitleIndex.of(made))
    for limit in (1, 5, 40):
        for query in QUERIES:
            got = titles.best(query, Matcher(query).match, limit)
            assert got == by_the_matcher(titles.titles, query, limit), (query, limit)


def test_the_palette_keeps_the_index_of_its_board_and_follows_its_changes() -> None:
    board = Board(rows(100, 6))
    first = titles_of(board)
    assert titles_of(board) is first  # kept from one palette to the next
    target = next(iter(board.cards))
    board.cards[target] = row(0, "Renamed Entirely")
    now = titles_of(board)
    assert now.titles[0] == "Jump to client: Renamed Entirely (Repair)"
    same(now, TitleIndex.of(list(board.cards.values())))


def test_the_warm_up_keeps_its_index_unless_a_palette_made_one_first() -> None:
    board = Board(rows(100, 7))
    steps = list(warm(board, 32))
    assert len(steps) == 5  # four slices and the packed text
    kept = titles_of(board)
    same(kept, TitleIndex.of(list(board.cards.values())))
    assert list(warm(board, 32)) == []  # already kept: nothing to make
    assert titles_of(board) is kept

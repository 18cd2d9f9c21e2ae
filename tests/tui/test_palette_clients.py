"""The palette's client search (tui/palette_clients.py) gives what scoring every title with
Textual's fuzzy matcher gives, on titles made to catch each shortcut it takes."""

from __future__ import annotations

import random

import pytest
from textual.fuzzy import Matcher

from offboard.domain.rows import ClientRow
from offboard.tui.palette_clients import ClientTitles

WORDS = ["rowan", "arrow", "river", "brown", "orchid", "row", "r2", "x-ray", "café", "O'Brien"]
STAGES = ["assessment", "preparation", "repair", "notice", "closed"]
QUERIES = [
    "r", "ro", "row", "ri", "w", "e", "é", "x", "-", " ", "(", "o'b", "r (", "w (r", "rw",
    "rowan r", "arrow", "2", "jump", "jump to client: row", "t: r", "zz", "river arrow",
]  # fmt: skip


def rows(count: int, seed: int) -> list[ClientRow]:
    pick = random.Random(seed)
    made = []
    for n in range(count):
        name = " ".join(pick.choice(WORDS) for _ in range(pick.randint(1, 3)))
        record = {"name": name, "stage": pick.choice(STAGES), "rev": 1}
        made.append(ClientRow.of_record(f"id-{n}", record, lambda *_: None))  # type: ignore[arg-type,return-value]
    return made


def by_the_matcher(titles: ClientTitles, query: str, limit: int) -> list[tuple[float, int]]:
    matcher = Matcher(query)
    scored = [(matcher.match(title), -i) for i, title in enumerate(titles.titles)]
    best = sorted((s for s in scored if s[0] > 0), reverse=True)[:limit]
    return [(score, -negative) for score, negative in best]


@pytest.mark.parametrize("limit", [1, 5, 40])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_best_clients_are_those_the_matcher_scores_best(seed: int, limit: int) -> None:
    titles = ClientTitles(rows(400, seed))
    for query in QUERIES:  # one session: a query may narrow from the one before it
        assert titles.best(query, Matcher(query).match, limit) == by_the_matcher(
            titles, query, limit
        ), query


def test_a_title_that_is_the_query_itself_comes_first() -> None:
    made = rows(60, 7)
    titles = ClientTitles(made)
    query = titles.titles[50].upper()
    got = titles.best(query, Matcher(query).match, 3)
    assert got == by_the_matcher(titles, query, 3)
    assert got[0][1] == 50 or titles.lowered[got[0][1]] == query.lower()


def test_the_first_place_decides_even_when_a_later_one_starts_a_word() -> None:
    # "arrow row": "row" is first held inside "arrow", not at the start of a word.
    made = [
        ClientRow.of_record("a", {"name": "arrow row", "stage": "repair"}, lambda *_: None),  # type: ignore[arg-type,return-value]
        ClientRow.of_record("b", {"name": "row", "stage": "repair"}, lambda *_: None),  # type: ignore[arg-type,return-value]
    ]
    titles = ClientTitles(made)
    got = titles.best("row", Matcher("row").match, 2)
    assert got == by_the_matcher(titles, "row", 2)
    assert [i for _score, i in got] == [1, 0]


def test_few_of_the_better_kind_are_followed_by_the_first_of_the_other() -> None:
    # Three titles where "row" starts a word, then many where it does not.
    names = ["row one", "row two", "row three"] + [f"arrow {n}" for n in range(30)]
    made = [
        ClientRow.of_record(f"id-{n}", {"name": name, "stage": "repair"}, lambda *_: None)  # type: ignore[arg-type,return-value]
        for n, name in enumerate(names)
    ]
    titles = ClientTitles(made)
    got = titles.best("row", Matcher("row").match, 10)
    assert got == by_the_matcher(titles, "row", 10)
    assert [i for _score, i in got] == list(range(10))


def test_letters_found_everywhere_apart_score_a_bounded_number_of_titles(monkeypatch) -> None:
    """The letters "clnt" are held apart in "Jump to client: " itself, so every title holds
    them. Scoring them all with the matcher took about 1 s a key at 50,000 clients; it is
    asked about at most SCATTERED_SCORED titles, those holding the letters in their own part
    (name and stage) first, and these are scored as the matcher scores them."""
    from offboard.tui import palette_clients

    monkeypatch.setattr(palette_clients, "SCATTERED_SCORED", 50)
    made = [
        ClientRow.of_record(f"id-{n}", {"name": f"Rowan {n}", "stage": "repair"}, lambda *_: None)  # type: ignore[arg-type,return-value]
        for n in range(400)
    ]
    # Late in board order, and scored higher (two of the letters start words): reached only
    # because their own part holds the letters.
    for n in (120, 333):
        made[n] = ClientRow.of_record(
            f"id-{n}",
            {"name": f"Cl Nt {n}", "stage": "repair"},
            lambda *_: None,  # type: ignore[arg-type,return-value]
        )
    titles = ClientTitles(made)
    asked: list[str] = []
    matcher = Matcher("clnt")

    def score(title: str) -> float:
        asked.append(title)
        return matcher.match(title)

    got = titles.best("clnt", score, 5)
    assert len(asked) <= 50
    full = by_the_matcher(titles, "clnt", 5)
    assert [i for _s, i in got[:2]] == [120, 333] == [i for _s, i in full[:2]]
    assert got == full  # the rest score alike: the first in board order, as the matcher's

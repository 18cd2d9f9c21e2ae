"""The board's filter in its model alone (no app): what it shows while a needle stays typed and
clients change under it, read from a real database file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tuikit import TODAY, decoded_filter, visible

from offboard.domain.clock import FixedClock
from offboard.domain.models import Stage
from offboard.domain.rows import matches
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.board.model import COLUMNS, BoardModel


def warmed_model(path: Path) -> tuple[BoardModel, TinyRepository]:
    repo = TinyRepository(path)
    model = BoardModel()
    model.load(repo.snapshot())
    for _ in model.warm(50):
        pass
    return model, repo


def shown_clients(model: BoardModel, repo: TinyRepository) -> list:
    return [model.overlays.get(c.id, c) for c in repo.snapshot().values()]


def test_changes_saved_while_a_needle_stays_typed_show_at_once(demo_db: Path) -> None:
    """A change re-places its card under the needle with nothing typed again: a card that
    stops matching goes, one that starts matching comes, one moved between columns follows,
    and the other cards of those columns stay where they were."""
    model, repo = warmed_model(demo_db)
    services = Services(repo, FixedClock(TODAY), actor="test")
    model.set_filter("l")
    before = repo.snapshot()
    assert visible(model) == decoded_filter(before.values(), "l")
    active = [c for c in before.values() if c.stage is not Stage.CLOSED]
    hidden = {"name": "Trinket Boutique", "company": ""}
    hiding = next(
        c for c in active if matches(c, "l") and not matches(dataclasses.replace(c, **hidden), "l")
    )
    showing = next(c for c in active if not matches(c, "l"))
    # A card the needle hides, moved into a column the needle filters.
    moving = next(
        c
        for c in active
        if c.stage is not Stage.ASSESSMENT and not matches(c, "l") and c.id != showing.id
    )
    services.edit_client(hiding.id, **hidden)
    services.edit_client(showing.id, name="Amaranth Ltd")
    services.move(moving.id, Stage.ASSESSMENT, reason="back for a second look")
    for step in (1, 2):
        after = repo.snapshot()
        model.load(after.following(before) if step == 1 else after)
        assert visible(model) == decoded_filter(after.values(), "l"), step
        before = after


def test_a_hidden_card_moved_in_among_shown_ones_leaves_them_shown(demo_db: Path) -> None:
    """A card the needle hides, saved into a column the needle filters, ahead of a card it
    shows there: the column still shows exactly the matching cards (the hidden card takes a
    place in the column's order, not on screen)."""
    model, repo = warmed_model(demo_db)
    services = Services(repo, FixedClock(TODAY), actor="test")
    model.set_filter("l")
    before = repo.snapshot()
    stages = list(Stage)
    moving, target = next(
        (c, stage)
        for c in before.values()
        if c.stage is not Stage.CLOSED and not matches(c, "l")
        for stage in stages[: stages.index(c.stage)]
        if any(card.key > model.cards[c.id].key for card in model.columns[stage])
    )
    services.move(moving.id, target, reason="back for a second look")
    after = repo.snapshot()
    model.load(after.following(before))
    assert visible(model) == decoded_filter(after.values(), "l")
    assert moving.id not in visible(model)[target]


def test_a_move_shown_before_its_save_keeps_the_filtered_columns_whole(demo_db: Path) -> None:
    model, repo = warmed_model(demo_db)
    model.set_filter("o")
    for client in list(repo.snapshot().values())[:6]:
        target = Stage.NOTICE if client.stage is not Stage.NOTICE else Stage.HANDOVER
        model.apply_move(client, target)
        assert visible(model) == decoded_filter(shown_clients(model, repo), "o")
    for needle in ("or", "o", "", "e"):
        model.set_filter(needle)
        assert visible(model) == decoded_filter(shown_clients(model, repo), needle), needle


def test_a_filtered_column_reads_like_a_list(demo_db: Path) -> None:
    """The columns the view and the tests read: length, index, slice, iteration and a search by
    key agree with the cards listed one by one."""
    model, _ = warmed_model(demo_db)
    model.set_filter("e")
    for stage in COLUMNS:
        column = model.columns[stage]
        cards = list(column)
        assert len(column) == len(cards)
        assert [column[i] for i in range(len(column))] == cards
        assert list(column[1:3]) == cards[1:3]
        if cards:
            assert column[-1] is cards[-1]
            assert model.focus_id(cards[-1].id)
            assert model.focused_card() is cards[-1]

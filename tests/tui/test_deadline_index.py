"""The deadline index the agenda reads: the same deadlines in the same order as timers.agenda
over every decoded client, kept so as clients change one at a time."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from rich.cells import cell_len
from tuikit import TODAY

from offboard.bootstrap import open_repository
from offboard.config import Config
from offboard.domain.rows import ClientRow
from offboard.domain.timers import agenda
from offboard.tui.deadline_index import DeadlineIndex


def rows_of(path: Path) -> tuple[list[ClientRow], list]:
    snapshot = open_repository(path, Config()).snapshot()
    return list(snapshot.rows()), list(snapshot.values())


def test_the_index_orders_deadlines_as_the_agenda_does(demo_db: Path) -> None:
    rows, clients = rows_of(demo_db)
    index = DeadlineIndex(rows)
    expected = agenda(clients)
    assert index.deadlines() == expected
    for kind in {d.kind for d in expected}:
        assert index.deadlines(kind) == [d for d in expected if d.kind == kind]
    overdue = sum(1 for d in expected if d.due < TODAY)
    assert index.due_before(TODAY) == overdue > 0
    assert index.longest_name() == max(cell_len(d.client_name) for d in expected)
    assert set(index.extremes()) <= set(expected)


def test_replacing_one_row_keeps_the_order(demo_db: Path) -> None:
    rows, clients = rows_of(demo_db)
    index = DeadlineIndex(rows)
    i, client = next((i, c) for i, c in enumerate(clients) if c.invoices)
    later = dataclasses.replace(
        client.invoices[0], due=TODAY + dt.timedelta(days=400), amount=client.invoices[0].amount
    )
    changed = dataclasses.replace(client, invoices=[later, *client.invoices[1:]])
    index.replace(rows[i], ClientRow.of_client(changed))
    clients[i] = changed
    assert index.deadlines() == agenda(clients)
    index.replace(ClientRow.of_client(changed), None)  # the client deleted
    assert index.deadlines() == agenda(clients[:i] + clients[i + 1 :])


def test_the_index_built_a_little_at_a_time_is_the_same(demo_db: Path) -> None:
    rows, clients = rows_of(demo_db)
    for row in rows:
        row.deadlines()
    steps = DeadlineIndex.gradually(rows, budget=3)
    pauses = 0
    try:
        while True:
            next(steps)
            pauses += 1
    except StopIteration as done:
        index = done.value
    assert pauses >= len(rows) // 3  # it paused after every three rows, and between sorts
    expected = agenda(clients)
    assert index.deadlines() == expected
    for kind in {d.kind for d in expected}:
        assert index.deadlines(kind) == [d for d in expected if d.kind == kind]
    assert index.longest_name() == max(cell_len(d.client_name) for d in expected)


def test_name_widths_count_wide_and_combining_letters_as_rich_does() -> None:
    from offboard.tui.deadline_index import _width

    for name in ("Ada Lovelace", "東京デザイン", "Café Ümlaut", "e\u0301clair", "Tab\there"):
        assert _width(name) == cell_len(name), name


def test_a_client_changed_while_the_warm_up_builds_the_index_is_in_it(demo_db: Path) -> None:
    from offboard.domain.clock import FixedClock
    from offboard.services import Services
    from offboard.storage.tinyfile import TinyRepository
    from offboard.tui.board.model import BoardModel

    repo = TinyRepository(demo_db)
    first = repo.snapshot()
    model = BoardModel()
    model.load(first)
    steps = model.warm(1)
    while not all(card.has_deadlines for card in model.cards.values()):
        next(steps)
    next(steps)  # into the index's own steps
    assert model._index is None
    target = next(c for c in first.values() if c.invoices)
    due = TODAY + dt.timedelta(days=300)
    services = Services(repo, FixedClock(TODAY), actor="test")
    services.add_invoice(target.id, "LATE-1", "90", issued=TODAY, due=due)
    model.load(repo.snapshot().following(first))
    for _ in steps:
        pass
    assert model.warmed
    shown = model.deadline_index().deadlines()
    assert any(d.due == due and d.client_id == target.id for d in shown)
    assert shown == agenda(repo.snapshot().values())

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

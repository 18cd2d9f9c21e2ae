"""What is due: the window, the counts, the most urgent, the status and the summary line."""

from __future__ import annotations

import datetime as dt

import pytest

from offboard.domain.due import DEFAULT_WITHIN, DUE, NOTHING, OVERDUE, due, window, within
from offboard.domain.errors import InvalidInput
from offboard.domain.models import Client, Deliverable
from offboard.domain.timers import SOON_DAYS, Deadline, agenda

D = dt.date.fromisoformat
TODAY = D("2026-11-22")


def deadline(days: int, kind: str = "review", name: str = "Acme") -> Deadline:
    return Deadline("id-" + name, name, kind, TODAY + dt.timedelta(days=days), "label")


def test_the_window_reaches_days_ahead_and_keeps_everything_overdue() -> None:
    items = [deadline(d) for d in (-400, -1, 0, 1, 3, 4, 30)]
    assert [d.days(TODAY) for d in within(items, TODAY, 3)] == [-400, -1, 0, 1, 3]
    assert [d.days(TODAY) for d in within(items, TODAY, 0)] == [-400, -1, 0]


def test_the_default_window_is_the_agendas_soon() -> None:
    assert DEFAULT_WITHIN == SOON_DAYS
    assert due([deadline(SOON_DAYS + 1)], TODAY).status == NOTHING
    assert due([deadline(SOON_DAYS)], TODAY).status == DUE


@pytest.mark.parametrize(
    ("days", "status", "counts"),
    [
        ((), NOTHING, (0, 0, 0)),
        ((10,), NOTHING, (0, 0, 0)),
        ((2,), DUE, (0, 0, 1)),
        ((0, 2), DUE, (0, 1, 1)),
        ((-1, 0, 2, 3), OVERDUE, (1, 1, 2)),
        ((-5,), OVERDUE, (1, 0, 0)),
    ],
)
def test_status_and_counts(days: tuple[int, ...], status: str, counts: tuple[int, ...]) -> None:
    found = due([deadline(d) for d in days], TODAY, 3)
    assert found.status == status
    assert (found.overdue, found.due_today, found.upcoming) == counts
    assert found.counts() == {
        "overdue": counts[0],
        "today": counts[1],
        "upcoming": counts[2],
        "total": sum(counts),
    }


def test_any_kind_the_agenda_lists_counts() -> None:
    """`due` knows no kinds: whatever the agenda gives (a kind added later too) is due."""
    found = due([deadline(1, "refund"), deadline(-2, "follow-up")], TODAY)
    assert found.status == OVERDUE and found.most_urgent == deadline(-2, "follow-up")


def test_the_most_urgent_is_the_longest_overdue_then_the_agendas_order() -> None:
    client = Client(
        "Birch",
        deliverables=[
            Deliverable("late", due=D("2026-11-20")),
            Deliverable("later", due=D("2026-11-25")),
        ],
    )
    other = Client("Alder", deliverables=[Deliverable("also late", due=D("2026-11-20"))])
    found = due(agenda([client, other]), TODAY)
    first = found.most_urgent
    assert first is not None and (first.client_name, first.due) == ("Alder", D("2026-11-20"))
    assert due([], TODAY).most_urgent is None


@pytest.mark.parametrize(
    ("days", "window_days", "line"),
    [
        ((), 3, "Nothing overdue or due within 3 days"),
        ((), 1, "Nothing overdue or due within 1 day"),
        ((), 0, "Nothing overdue or due today"),
        ((0,), 0, "1 deadline due today"),
        ((1, 2), 3, "2 deadlines due within 3 days"),
        ((0, 1), 7, "1 deadline due today, 1 due within 7 days"),
        ((-1, -2, 0, 1), 3, "2 deadlines overdue, 1 due today, 1 due within 3 days"),
        ((-1,), 3, "1 deadline overdue"),
    ],
)
def test_summary_line(days: tuple[int, ...], window_days: int, line: str) -> None:
    assert due([deadline(d) for d in days], TODAY, window_days).summary() == line


@pytest.mark.parametrize("value", ["0", "7", " 14 ", 9999, 0])
def test_window_accepts_whole_days(value: object) -> None:
    assert window(value) == int(str(value))


@pytest.mark.parametrize("value", ["-1", "1.5", "a week", "", "10000", True, None, -3])
def test_window_refuses_anything_else(value: object) -> None:
    with pytest.raises(InvalidInput, match="the number of days"):
        window(value)

"""The interim TUI screen, driven by Pilot on a real database file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import DataTable, Static

from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.repository import TinyRepository
from offboard.tui.app import OffboardApp

TODAY = dt.date(2026, 11, 22)


def _services(path: Path) -> Services:
    return Services(TinyRepository(path), FixedClock(TODAY), actor="test")


async def test_lists_clients_by_stage_and_picks_up_outside_changes(tmp_path: Path) -> None:
    path = tmp_path / "offboard.json"
    outside = _services(path)
    outside.add_client("Quarry Design", archetype="micromanager")
    outside.add_repair("quarry", "weekly call", TODAY + dt.timedelta(days=4))
    outside.move("quarry", "repair")
    outside.add_client("Larch Foods")

    app = OffboardApp(path, FixedClock(TODAY))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(DataTable)
        assert table.row_count == 2
        first = table.get_row_at(0)
        assert first[0] == "Assessment" and first[1] == "Larch Foods"
        second = table.get_row_at(1)
        assert second[:2] == ["Repair", "Quarry Design"]
        assert second[5] == "review in 4d"
        summary = str(app.query_one("#summary", Static).render())
        assert "Assessment 1" in summary and "Repair 1" in summary

        # A CLI command in another process would write the same file.
        outside.add_client("Birch Legal")
        app._poll()
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("q")
    assert not app.is_running

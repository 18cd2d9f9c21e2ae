"""The Checklist tab ticks what the client's records answer and says why; the user can still
waive such an item. A form's checkbox looks different ticked and not ticked, and the agenda
counts "1 deadline", not "1 deadlines"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static
from tuikit import TODAY, settle

from offboard.checklists import load_checklists
from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.client.screen import ClientScreen
from offboard.tui.forms.fields import TickBox
from offboard.tui.screens.agenda import AgendaScreen

SIZE = (100, 34)


def rows(screen: ClientScreen) -> dict[str, list[str]]:
    table = screen.query_one("#checklist-table", DataTable)
    return {str(key.value): [str(cell) for cell in table.get_row(key)] for key in table.rows}


def untick(path: Path, name: str, stage: str, item: str) -> None:
    """Clear a tick the demo set by hand, so only the records answer the item."""
    repo = TinyRepository(path)
    try:
        services = Services(repo, FixedClock(TODAY), checklists=load_checklists())
        client = next(c for c in services.clients() if c.name.startswith(name))
        services.set_checklist_item(client.id, stage, item, None)
    finally:
        repo.close()


async def test_answered_items_show_ticked_with_the_reason(demo_db: Path, make_app) -> None:
    untick(demo_db, "Saltmarsh", "handover", "finish-deliverables")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        client = next(c for c in app.clients.values() if c.name.startswith("Saltmarsh"))
        assert client.stage.value == "handover" and all(d.done for d in client.deliverables)
        assert "finish-deliverables" not in client.checklist.get("handover", {})
        screen = ClientScreen(client.id)
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("5")
        shown = rows(screen)
        state, text = shown["finish-deliverables"]
        assert state == "✓ done" and text.endswith("\n✓ the one deliverable is done")
        assert shown["credentials"][0] == "· open"  # an access item is still pending

        # A tick would change nothing: the tab says why instead of storing one.
        await pilot.press("space")
        await settle(app, pilot)
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("Done already: the one deliverable is done.") for n in notes)
        stored = TinyRepository(demo_db).get(client.id)
        assert "finish-deliverables" not in stored.checklist.get("handover", {})

        # Waiving still works, and then the reason is not claimed.
        await pilot.press("x")
        await settle(app, pilot)
        state, text = rows(screen)["finish-deliverables"]
        assert state == "– waived" and "✓" not in text
        stored = TinyRepository(demo_db).get(client.id)
        assert stored.checklist["handover"]["finish-deliverables"] == "waived"


class Boxes(App[None]):
    def compose(self) -> ComposeResult:
        yield TickBox("Final invoice", False, id="off", compact=True)
        yield TickBox("Final invoice", True, id="on", compact=True)


async def test_a_ticked_checkbox_shows_a_different_mark() -> None:
    app = Boxes()
    async with app.run_test() as pilot:
        off, on = app.query_one("#off", TickBox), app.query_one("#on", TickBox)
        assert "✓" in str(on.render()) and "✓" not in str(off.render())
        assert str(on.render()) != str(off.render())
        off.toggle()
        await pilot.pause()
        assert str(off.render()) == str(on.render())


async def test_the_agenda_counts_one_deadline_in_the_singular(empty_db: Path, make_app) -> None:
    repo = TinyRepository(empty_db)
    try:
        services = Services(repo, FixedClock(TODAY))
        ana = services.add_client("Ana")
        services.add_deliverable(ana.id, "Logo", due=TODAY + dt.timedelta(days=2))
    finally:
        repo.close()
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = AgendaScreen()
        await app.push_screen(screen)
        await pilot.pause()
        summary = str(screen.query_one("#agenda-summary", Static).render())
        assert summary.startswith("1 deadline ·") and "deadlines" not in summary

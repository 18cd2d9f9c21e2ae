"""The client screen, driven with the keyboard on a real demo database file. Every change is
checked by reading the file back with a fresh repository."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual import events
from textual.widgets import DataTable, Static, TabbedContent, TextArea
from tuikit import TODAY, settle

from offboard.domain.clock import FixedClock
from offboard.domain.models import Client
from offboard.formats import money
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.client.letter_view import LetterView
from offboard.tui.client.screen import TAB_IDS, ClientScreen
from offboard.tui.forms import FlagForm, FormScreen, OutcomeForm, PaymentForm

SIZE = (100, 34)


def quiet(make_app):
    """Build apps with animations off: a test waits for every animation to finish, and the
    tab underline alone would cost a third of a second per tab."""

    def start(path: Path):
        app = make_app(path)
        app.animation_level = "none"
        return app

    return start


@pytest.fixture
def start(make_app):
    return quiet(make_app)


def demo_client(app, prefix: str) -> Client:
    return next(c for c in app.clients.values() if c.name.startswith(prefix))


def on_disk(path: Path, client_id: str) -> Client:
    return TinyRepository(path).get(client_id)


def cells(screen: ClientScreen, tab: str) -> list[str]:
    table = screen.query_one(f"#{tab}-table", DataTable)
    return [str(cell) for key in table.rows for cell in table.get_row(key)]


def shown_keys(screen: ClientScreen) -> set[str]:
    """The binding ids the footer shows now."""
    return {a.binding.id or "" for a in screen.active_bindings.values() if a.binding.show}


def text_of(widget: Static) -> str:
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get()


async def open_client(app, pilot, prefix: str) -> tuple[ClientScreen, Client]:
    client = demo_client(app, prefix)
    screen = ClientScreen(client.id)
    app.push_screen(screen)
    await pilot.pause()
    return screen, client


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def test_every_tab_shows_the_clients_own_data(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, c = await open_client(app, pilot, "Fenwick")
        header = text_of(screen.query_one("#client-header", Static))
        owed = money(c.outstanding(), c.currency, c.locale)
        assert owed == "€1,500.00"  # the client's language writes the amount
        assert c.name in header and "Settlement" in header and owed in header
        assert "invoice 8d overdue" in header
        overview = text_of(screen.query_one("#overview-body", Static))
        assert c.email in overview and c.contract.notice_period in overview

        # The footer shows the keys of the tab in view; every binding has an id and words.
        assert all(b.id and b.description for b in ClientScreen.BINDINGS)
        footer = shown_keys(screen)
        assert "client.edit" in footer and "client.add_invoice" not in footer

        tabs = screen.query_one(TabbedContent)
        expected = {
            "flags": [f.description for f in c.flags],
            "repair": [r.strategy for r in c.repairs],
            "deliverables": [d.title for d in c.deliverables],
            "handover": [h.label for h in c.handover],
            "invoices": [i.number for i in c.invoices],
            "letters": [x.subject for x in c.letters],
            "history": [h.summary for h in c.history[-3:]],
        }
        seen = []
        for _ in TAB_IDS[1:]:
            await pilot.press("right_square_bracket")
            tab = tabs.active
            seen.append(tab)
            if tab == "invoices":
                footer = shown_keys(screen)
                assert {"client.add_invoice", "client.payment", "client.write_off"} <= footer
                assert "client.edit" not in footer
            if tab in expected:
                shown = cells(screen, tab)
                for text in expected[tab]:
                    assert any(text in cell for cell in shown), (tab, text)
                assert screen.focused is screen.query_one(f"#{tab}-table")
        assert seen == list(TAB_IDS[1:])

        assessment = text_of(screen.query_one("#assessment-body", Static))
        assert "Effective rate" in assessment

        # The checklist shows the client's current stage, with its ticks.
        await pilot.press("5")
        assert tabs.active == "checklist"
        checklist = app.services.checklists[c.stage]
        shown = cells(screen, "checklist")
        # (an item the records answer has the reason on a line under its text)
        assert all(any(cell.startswith(item.text) for cell in shown) for item in checklist.items)
        assert "✓ done" in shown and "– waived" in shown
        await pilot.press("s")
        summary = text_of(screen.query_one("#checklist-summary", Static))
        assert "another stage" in summary and "Closed" in summary

        # History is newest first.
        await pilot.press("0")
        history = screen.query_one("#history-table", DataTable)
        assert str(history.get_row_at(0)[2]) == c.history[-1].summary

        # Enter on a letter shows its full text, read-only.
        await pilot.press("9", "enter")
        assert isinstance(app.screen, LetterView)
        newest = max(c.letters, key=lambda x: x.sent_on)
        assert app.screen.query_one(TextArea).text == newest.body
        assert app.screen.query_one(TextArea).read_only
        await pilot.press("escape")
        assert app.screen is screen

        await pilot.press("escape")
        assert not isinstance(app.screen, ClientScreen)


async def test_f_logs_a_red_flag(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, c = await open_client(app, pilot, "Lakeside")
        await pilot.press("f")
        assert isinstance(app.screen, FlagForm)
        assert screen.query_one(TabbedContent).active == "flags"
        # Category: open the list, type to find "scope", pick it.
        await pilot.press("enter", "s", "c", "enter")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "Unpaid extra")
        await pilot.press("tab")
        app.post_message(events.Paste("Email 'One more thing'"))
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert app.screen is screen
        stored = on_disk(demo_db, c.id)
        flag = stored.flags[-1]
        assert flag.description == "Unpaid extra"
        assert flag.category.value == "scope" and flag.severity == 2 and flag.on == TODAY
        assert flag.evidence == "Email 'One more thing'"
        assert stored.rev == c.rev + 1
        assert flag.description in cells(screen, "flags")
        # The cursor moved to the new flag.
        assert screen.tab("flags").highlighted() == flag.id


async def test_space_toggles_checklist_deliverables_and_handover(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, c = await open_client(app, pilot, "Lakeside")
        assert c.stage.value == "notice"
        assert "hold-the-line" not in c.checklist["notice"]
        await pilot.press("5", "down", "down", "down")
        assert screen.tab("checklist").highlighted() == "hold-the-line"
        await pilot.press("space")
        # Shown at once, before the save comes back.
        assert "✓ done" in str(screen.query_one("#checklist-table", DataTable).get_row_at(3)[0])
        await settle(app, pilot)
        assert on_disk(demo_db, c.id).checklist["notice"]["hold-the-line"] == "done"

        # Quick presses are saved in order, each on top of the one before.
        await pilot.press("space", "x", "up", "x")
        await settle(app, pilot)
        ticks = on_disk(demo_db, c.id).checklist["notice"]
        assert ticks["hold-the-line"] == "waived"
        assert ticks["last-day-shared"] == "waived"
        assert on_disk(demo_db, c.id).rev == c.rev + 4

        # Space marks a deliverable done or open, and moves a handover item on.
        await pilot.press("6")
        first = screen.tab("deliverables").highlighted()
        was = next(d.done for d in c.deliverables if d.id == first)
        await pilot.press("space", "7")
        item = screen.tab("handover").highlighted()
        status = next(h.status for h in c.handover if h.id == item)
        await pilot.press("space")
        await settle(app, pilot)
        stored = on_disk(demo_db, c.id)
        assert next(d.done for d in stored.deliverables if d.id == first) is not was
        assert next(h.status for h in stored.handover if h.id == item) != status
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_o_records_the_outcome_of_the_highlighted_attempt(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, c = await open_client(app, pilot, "Cobalt")
        (attempt,) = c.repairs
        assert attempt.open
        await pilot.press("4", "o")
        assert isinstance(app.screen, OutcomeForm)
        await pilot.press("enter", "i", "enter", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        (stored,) = on_disk(demo_db, c.id).repairs
        assert stored.outcome is not None and stored.outcome.value == "improved"
        # An attempt that has ended cannot get a second outcome.
        await pilot.press("o")
        assert app.screen is screen
        assert "already ended" in list(app._notifications)[-1].message


async def test_payment_and_write_off(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen, c = await open_client(app, pilot, "Kırmızı")
        await pilot.press("8")
        open_invoice = next(i for i in c.invoices if i.outstanding)
        while screen.tab("invoices").highlighted() != open_invoice.id:
            await pilot.press("down")
        await pilot.press("p")
        assert isinstance(app.screen, PaymentForm)
        await pilot.press("ctrl+u")
        await type_text(pilot, "300")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        stored = next(i for i in on_disk(demo_db, c.id).invoices if i.id == open_invoice.id)
        assert len(stored.payments) == len(open_invoice.payments) + 1
        assert (str(stored.payments[-1].amount), stored.payments[-1].on) == ("300.00", TODAY)
        assert stored.outstanding == open_invoice.outstanding - 300

        # W asks first; n keeps it, y writes it off.
        await pilot.press("W")
        await pilot.press("n")
        assert app.screen is screen
        assert not on_disk(demo_db, c.id).invoices[-1].written_off
        await pilot.press("W", "y")
        await settle(app, pilot)
        stored = next(i for i in on_disk(demo_db, c.id).invoices if i.id == open_invoice.id)
        assert stored.written_off and stored.outstanding == 0
        assert "written off" in cells(screen, "invoices")


async def test_a_stale_edit_is_refused_and_keeps_the_other_change(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        _, c = await open_client(app, pilot, "Tupa")
        other = Services(TinyRepository(demo_db), FixedClock(TODAY), actor="other terminal")
        other.edit_client(c.id, email="new@tupa.example.com")

        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-name").focus()
        await pilot.press("end", "space", "O", "y")
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "changed elsewhere" in errors[-1].message
        assert app.screen is form  # still open, with what was typed
        assert form.query_one("#field-name").value == "Tupa Outdoor Oy"
        assert "changed elsewhere" in text_of(form.query_one("#form-status", Static))
        stored = on_disk(demo_db, c.id)
        assert stored.email == "new@tupa.example.com" and stored.name == "Tupa Outdoor"


async def test_the_screen_closes_when_the_client_is_deleted_elsewhere(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        _, c = await open_client(app, pilot, "Tupa")
        Services(TinyRepository(demo_db), FixedClock(TODAY)).delete_client(c.id)
        app.saver.refresh_if_changed()
        await settle(app, pilot)
        assert not isinstance(app.screen, ClientScreen)
        assert any("deleted" in n.message for n in app._notifications)

"""Correcting records from the client screen: `e` edits the highlighted row in the form that
added it, `x` / delete deletes it after a confirmation that names it, undo brings it back and
ctrl+y redoes. Driven with the keyboard on a real demo database file; every change is read
back from the file with a fresh repository."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from formkit import type_into
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TextArea
from tuikit import TODAY, settle

from offboard.domain.clock import FixedClock
from offboard.domain.models import Client
from offboard.formats import day
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.app import OffboardApp
from offboard.tui.client.screen import ClientScreen
from offboard.tui.dialogs import ConfirmScreen
from offboard.tui.forms import (
    DeliverableForm,
    FlagForm,
    FormScreen,
    HandoverForm,
    InvoiceForm,
    PaymentForm,
    RepairForm,
)
from offboard.tui.screens.help import HelpScreen

SIZE = (100, 34)
PAYMENT_ROW = "payment:"  # the invoices tab's row key of a payment, before its id


@pytest.fixture
def start(make_app):
    def build(path: Path) -> OffboardApp:
        app = make_app(path)
        app.animation_level = "none"
        return app

    return build


def demo_client(app: OffboardApp, prefix: str) -> Client:
    return next(c for c in app.clients.values() if c.name.startswith(prefix))


def on_disk(path: Path, client_id: str) -> Client:
    return TinyRepository(path).get(client_id)


def cells(screen: ClientScreen, tab: str) -> list[str]:
    table = screen.query_one(f"#{tab}-table", DataTable)
    return [str(cell) for key in table.rows for cell in table.get_row(key)]


def plain(widget: Static) -> str:
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return " ".join(capture.get().split())


def messages(app: OffboardApp) -> list[str]:
    return [n.message for n in app._notifications]


def raw(form: FormScreen, name: str) -> Any:
    widget = form.query_one(f"#field-{name}")
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    assert isinstance(widget, Select)
    return widget.value


async def open_tab(app: OffboardApp, pilot: Pilot, prefix: str, tab_key: str) -> ClientScreen:
    screen = ClientScreen(demo_client(app, prefix).id)
    app.push_screen(screen)
    await pilot.pause()
    await pilot.press(tab_key)
    await pilot.pause()
    return screen


async def highlight(pilot: Pilot, screen: ClientScreen, tab: str, key: str) -> None:
    """Move the cursor to the row `key` with the arrow keys, as a user would."""
    table = screen.query_one(f"#{tab}-table", DataTable)
    keys = [row.value for row in table.rows]
    assert key in keys, f"no row {key} on the {tab} tab"
    steps = keys.index(key) - table.cursor_row
    await pilot.press(*["down" if steps > 0 else "up"] * abs(steps))
    assert screen.tab(tab).highlighted() == key


async def confirm_delete(app: OffboardApp, pilot: Pilot, key: str = "x") -> ConfirmScreen:
    await pilot.press(key)
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ConfirmScreen)
    return dialog


# --- edit: one case per record kind ---------------------------------------------------------

# (client, tab key, tab, form, how to find the record, field, typed text, what is stored)
EDITS = {
    "flag": ("Juniper", "2", "flags", FlagForm, lambda c: c.flags[0], "description",
             "Paid 40 days late", "Paid 40 days late"),
    "repair": ("Cobalt", "4", "repair", RepairForm, lambda c: c.repairs[0], "strategy",
               "Fortnightly check-in call", "Fortnightly check-in call"),
    "deliverable": ("Lakeside", "6", "deliverables", DeliverableForm,
                    lambda c: c.deliverables[-1], "title", "Class schedule PDF",
                    "Class schedule PDF"),
    "handover": ("Ekin", "7", "handover", HandoverForm, lambda c: c.handover[1], "label",
                 "Shared drive folder", "Shared drive folder"),
    "invoice": ("Fenwick", "8", "invoices", InvoiceForm, lambda c: c.invoices[-1], "number",
                "FD-0499", "FD-0499"),
    "payment": ("Kırmızı", "8", "invoices", PaymentForm,
                lambda c: c.invoices[1].payments[0], "amount", "100,5", Decimal("100.50")),
}  # fmt: skip
LISTS = {"flag": "flags", "repair": "repairs", "deliverable": "deliverables",
         "handover": "handover", "invoice": "invoices"}  # fmt: skip


def find_record(client: Client, kind: str, record_id: str) -> Any:
    if kind == "payment":
        return next(p for i in client.invoices for p in i.payments if p.id == record_id)
    return next(r for r in getattr(client, LISTS[kind]) if r.id == record_id)


@pytest.mark.parametrize("kind", list(EDITS))
async def test_e_edits_the_highlighted_record(demo_db: Path, start, kind: str) -> None:
    prefix, tab_key, tab, form_class, pick, field, typed, stored = EDITS[kind]
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tab(app, pilot, prefix, tab_key)
        client = demo_client(app, prefix)
        record = pick(client)
        row = PAYMENT_ROW + record.id if kind == "payment" else record.id
        await highlight(pilot, screen, tab, row)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, form_class) and form.record_id == record.id
        # Filled in with what is stored, the title saying what is edited.
        before = getattr(record, field)
        if kind == "payment":
            before = str(before).replace(".", ",")  # a Turkish client writes a decimal comma
        assert raw(form, field) == before
        assert plain(form.query_one("#form-title", Static)).startswith(f"Edit {form.NOUN}")

        await type_into(pilot, form, field, typed)
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert app.screen is screen
        saved = on_disk(demo_db, client.id)
        assert saved.rev == client.rev + 1
        now = find_record(saved, kind, record.id)
        assert getattr(now, field) == stored
        # Nothing else of the record changed: only the typed field was sent.
        for other in {"on", "severity", "category", "started", "review", "due", "kind"}:
            if hasattr(record, other) and other != field:
                assert getattr(now, other) == getattr(record, other), other
        assert saved.history[-1].summary.startswith("edited")
        shown_cells = cells(screen, tab)
        expected = "100,50" if kind == "payment" else str(stored)
        assert any(expected in cell for cell in shown_cells), shown_cells
        # The cursor stays on the record.
        assert screen.tab(tab).highlighted() == row


async def test_the_edit_form_shows_every_stored_value(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tab(app, pilot, "Juniper", "2")
        flag = demo_client(app, "Juniper").flags[0]
        await highlight(pilot, screen, "flags", flag.id)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FlagForm)
        assert raw(form, "category") == flag.category.value
        assert raw(form, "severity") == flag.severity
        assert raw(form, "on") == flag.on.isoformat()
        assert raw(form, "evidence") == flag.evidence
        # Saving without a change saves nothing.
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "Nothing was changed" in plain(form.query_one("#form-status", Static))
        await pilot.press("escape")
        assert app.screen is screen


async def test_an_invoice_keeps_its_number_and_a_blank_due_date_follows_the_terms(
    demo_db: Path, start
) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tab(app, pilot, "Fenwick", "8")
        client = demo_client(app, "Fenwick")
        invoice = client.invoices[0]
        await highlight(pilot, screen, "invoices", invoice.id)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, InvoiceForm)
        # Its own number is not "taken"; another invoice's is.
        await type_into(pilot, form, "number", client.invoices[1].number)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "already has an invoice" in plain(form.query_one("#row-number .field-msg"))
        await type_into(pilot, form, "number", invoice.number)
        await type_into(pilot, form, "due", "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        saved = next(i for i in on_disk(demo_db, client.id).invoices if i.id == invoice.id)
        terms = client.contract.payment_terms_days or app.config.payment_terms_days
        assert (saved.number, saved.amount) == (invoice.number, invoice.amount)
        assert (saved.due - saved.issued).days == terms


async def test_a_stale_edit_is_refused(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tab(app, pilot, "Juniper", "2")
        client = demo_client(app, "Juniper")
        flag = client.flags[0]
        await highlight(pilot, screen, "flags", flag.id)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FlagForm)

        # Another process changes the client while the form is open.
        other = Services(TinyRepository(demo_db), FixedClock(TODAY), actor="other terminal")
        other.edit_record(client.id, "flag", flag.id, evidence="Invoice JV-1041")

        await type_into(pilot, form, "description", "Mine")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "changed elsewhere" in plain(form.query_one("#form-status", Static))
        saved = on_disk(demo_db, client.id).flags[0]
        assert saved.evidence == "Invoice JV-1041"
        assert saved.description == flag.description


# --- delete ---------------------------------------------------------------------------------


async def test_delete_asks_first_and_undo_and_redo(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tab(app, pilot, "Juniper", "2")
        client = demo_client(app, "Juniper")
        flag = client.flags[0]
        await highlight(pilot, screen, "flags", flag.id)

        # The dialog names the record; its default (enter) keeps it, and so do n and escape.
        dialog = await confirm_delete(app, pilot)
        question = plain(dialog.query_one(".dialog-question", Static))
        words = flag.description if len(flag.description) <= 60 else flag.description[:59]
        on = day(flag.on, client.locale, "medium")
        assert question.startswith(f'Delete the red flag "{words.rstrip()}')
        assert question.endswith(f'" of {on}?')
        for key in ("enter", "n", "escape"):
            if key != "enter":
                await confirm_delete(app, pilot, "delete")
            await pilot.press(key)
            await settle(app, pilot)
            assert app.screen is screen
            assert len(on_disk(demo_db, client.id).flags) == len(client.flags)

        await confirm_delete(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        saved = on_disk(demo_db, client.id)
        assert flag.id not in {f.id for f in saved.flags}
        assert saved.history[-1].summary.startswith("deleted flag")
        assert flag.description not in cells(screen, "flags")
        assert messages(app)[-1].startswith("Deleted the red flag")
        assert messages(app)[-1].endswith("ctrl+z brings it back.")

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        restored = on_disk(demo_db, client.id).flags
        assert flag in restored
        assert flag.description in cells(screen, "flags")

        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert flag.id not in {f.id for f in on_disk(demo_db, client.id).flags}
        assert messages(app)[-1].startswith("Redone: ")
        assert "deleted flag" in messages(app)[-1]

        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert messages(app)[-1].startswith("Nothing to redo")


DELETES = {
    "repair": ("Cobalt", "4", "repairs", lambda c: c.repairs[0]),
    "deliverable": ("Lakeside", "6", "deliverables", lambda c: c.deliverables[0]),
    "handover": ("Ekin", "7", "handover", lambda c: c.handover[-1]),
    "invoice": ("Juniper", "8", "invoices", lambda c: c.invoices[-1]),  # no payments
}
TABS = {"repairs": "repair"}


@pytest.mark.parametrize("kind", list(DELETES))
async def test_delete_each_kind(demo_db: Path, start, kind: str) -> None:
    prefix, tab_key, attr, pick = DELETES[kind]
    tab = TABS.get(attr, attr)
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tab(app, pilot, prefix, tab_key)
        client = demo_client(app, prefix)
        record = pick(client)
        await highlight(pilot, screen, tab, record.id)
        await confirm_delete(app, pilot, "delete")
        await pilot.press("y")
        await settle(app, pilot)
        saved = getattr(on_disk(demo_db, client.id), attr)
        assert [r.id for r in saved] == [r.id for r in getattr(client, attr) if r is not record]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert record in getattr(on_disk(demo_db, client.id), attr)


async def test_payments_are_rows_and_an_invoice_with_payments_is_refused(
    demo_db: Path, start
) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tab(app, pilot, "Fenwick", "8")
        client = demo_client(app, "Fenwick")
        invoice = client.invoices[0]
        (payment,) = invoice.payments

        # The service refuses: its message is shown and nothing changes.
        await highlight(pilot, screen, "invoices", invoice.id)
        await confirm_delete(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert "has 1 payment" in messages(app)[-1]
        assert "delete its payments first" in messages(app)[-1]
        assert on_disk(demo_db, client.id).rev == client.rev

        # The payment has a row of its own under its invoice.
        await highlight(pilot, screen, "invoices", PAYMENT_ROW + payment.id)
        detail = plain(screen.query_one("#invoices-detail", Static))
        assert detail.startswith(f"Payment of €{payment.amount:,} on invoice {invoice.number}")
        # Keys about an invoice work on its payments' rows too.
        await pilot.press("p")
        await pilot.pause()
        if isinstance(app.screen, PaymentForm):
            assert app.screen.invoice_id == invoice.id and not app.screen.editing
            await pilot.press("escape")
        else:
            assert f"Invoice {invoice.number} is already" in messages(app)[-1]
        dialog = await confirm_delete(app, pilot)
        question = plain(dialog.query_one(".dialog-question", Static))
        assert question.startswith(f"Delete the payment of €{payment.amount:,} received")
        assert question.endswith(f"on invoice {invoice.number}?")
        await pilot.press("y")
        await settle(app, pilot)
        assert on_disk(demo_db, client.id).invoices[0].payments == []

        # Without its payment, the invoice can go.
        await highlight(pilot, screen, "invoices", invoice.id)
        await confirm_delete(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert invoice.id not in {i.id for i in on_disk(demo_db, client.id).invoices}


async def test_a_payment_cannot_be_edited_past_what_its_invoice_is_for(
    demo_db: Path, start
) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tab(app, pilot, "Fenwick", "8")
        client = demo_client(app, "Fenwick")
        invoice = client.invoices[0]
        (payment,) = invoice.payments
        await highlight(pilot, screen, "invoices", PAYMENT_ROW + payment.id)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, PaymentForm)
        # What is open counts without the payment being edited: its own amount fits.
        hint = plain(form.query_one("#row-amount .field-msg", Static))
        assert hint == f"This settles invoice {invoice.number}."
        await type_into(pilot, form, "amount", str(invoice.amount + 1))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "does not fit invoice" in plain(form.query_one("#row-amount .field-msg", Static))
        assert on_disk(demo_db, client.id).rev == client.rev


# --- nothing there, nothing to redo, help -----------------------------------------------------


async def test_an_empty_tab_says_there_is_nothing_to_edit_or_delete(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tab(app, pilot, "Juniper", "4")  # no repair attempts
        assert demo_client(app, "Juniper").repairs == []
        await pilot.press("e")
        assert app.screen is screen
        assert messages(app)[-1] == (
            "There is nothing to edit: no repair attempts are recorded. r adds one."
        )
        await pilot.press("x")
        assert app.screen is screen
        assert messages(app)[-1].startswith("There is nothing to delete:")


async def test_redo_with_nothing_undone_says_so(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        notes = list(app._notifications)
        assert notes[-1].message.startswith("Nothing to redo")
        assert notes[-1].severity == "warning"


async def test_help_lists_redo_edit_and_delete(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot, "Juniper", "2")
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = help_screen.as_text()
        assert "^y  Redo" in text
        assert "e  Edit the highlighted record" in text
        assert "x  del  Delete the highlighted record" in text


# --- snapshots --------------------------------------------------------------------------------


def snapshot_app(path: Path) -> OffboardApp:
    # demo=True keeps the temporary path out of the header, so snapshots are stable.
    app = OffboardApp(path, FixedClock(TODAY), demo=True, watch=False)
    app.animation_level = "none"
    return app


def on_row(prefix: str, tab_key: str, tab: str, *keys: str, payment: bool = False):
    """Open a client's tab, highlight its first record (or first payment) and press keys."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        assert isinstance(app, OffboardApp)
        screen = await open_tab(app, pilot, prefix, tab_key)
        client = demo_client(app, prefix)
        if payment:
            row = PAYMENT_ROW + next(p.id for i in client.invoices for p in i.payments)
            await highlight(pilot, screen, tab, row)
        await pilot.press(*keys)
        await pilot.pause()
        for widget in app.screen.query(Input):
            widget.cursor_blink = False

    return run_before


def test_snapshot_payment_edit_form(snap_compare, demo_db: Path) -> None:
    before = on_row("Pražírna", "8", "invoices", "e", payment=True)  # Czech amounts
    assert snap_compare(snapshot_app(demo_db), run_before=before, terminal_size=SIZE)


def test_snapshot_delete_confirmation(snap_compare, demo_db: Path) -> None:
    before = on_row("Juniper", "2", "flags", "x")
    assert snap_compare(snapshot_app(demo_db), run_before=before, terminal_size=(80, 24))

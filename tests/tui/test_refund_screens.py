"""Refunds in the TUI, driven with the keyboard on a real database file: `R` opens the refund
form from any tab with the suggested amount filled in and the line under it saying how it was
worked out; the refund gets its own row on the Invoices tab, `P` marks it paid out, `e` edits
it in the same form; the deliverable form takes a value; the agenda's `5` shows only refunds.
Every change is read back from the file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from formkit import field_error, field_hint as hint, open_client_screen, outside, type_into
from textual.widgets import DataTable, Input, Static
from tuikit import TODAY, settle

from offboard.domain.models import Client
from offboard.tui.client.screen import ClientScreen
from offboard.tui.forms import DeliverableForm, RefundForm
from offboard.tui.screens.agenda import AgendaScreen

SIZE = (120, 36)
REFUND_ROW = "refund:"


@pytest.fixture
def ana_db(tmp_path: Path) -> Path:
    """Ana paid 600 of 1,000; Logo (400) is delivered, Website (600) is not."""
    path = tmp_path / "refunds.json"
    s = outside(path)
    ana = s.add_client("Ana").id
    s.add_invoice(ana, "F-1", "1000", issued=TODAY - dt.timedelta(days=40))
    s.record_payment(ana, "F-1", "600", on=TODAY - dt.timedelta(days=20))
    s.add_deliverable(ana, "Logo", value="400")
    s.add_deliverable(ana, "Website", value="600")
    s.set_deliverable_done(ana, "Logo")
    return path


def stored(path: Path) -> Client:
    return outside(path).resolve("ana")


def text(widget: Static) -> str:
    return " ".join(str(widget.content).split())


async def open_client(app, pilot, path: Path) -> ClientScreen:
    return await open_client_screen(app, pilot, stored(path).id)


async def test_r_offers_the_suggested_amount_and_says_why(ana_db: Path, make_app) -> None:
    app = make_app(ana_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot, ana_db)
        await pilot.press("2")  # the Red flags tab: R works from any tab
        await pilot.press("R")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RefundForm)
        assert screen.active_tab == "invoices"
        assert form.query_one("#field-amount", Input).value == "360.00"
        assert form.query_one("#field-currency", Input).value == "EUR"
        assert hint(form, "amount") == (
            "Suggested: €360.00. €600.00 paid × €600.00 not delivered of €1,000.00 in 2 "
            "deliverables = €360.00."
        )
        # A different figure is allowed; the line keeps saying what the records suggest.
        await type_into(pilot, form, "amount", "300")
        assert hint(form, "amount").startswith("The records suggest €360.00; €600.00 paid")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field_error(form, "reason") == "Say why the money goes back."
        await type_into(pilot, form, "reason", "Website not built")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        [refund] = stored(ana_db).refunds
        assert (refund.amount, refund.currency, refund.on, refund.reason, refund.paid_out) == (
            Decimal("300.00"), "EUR", TODAY, "Website not built", None,
        )  # fmt: skip
        table = screen.query_one("#invoices-table", DataTable)
        assert REFUND_ROW + refund.id in [row.value for row in table.rows]


async def test_a_payout_before_the_agreement_is_refused_in_the_form(ana_db: Path, make_app) -> None:
    before = ana_db.read_bytes()
    app = make_app(ana_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_client(app, pilot, ana_db)
        await pilot.press("R")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RefundForm)
        await type_into(pilot, form, "reason", "Website")
        await type_into(pilot, form, "on", "-2")
        await type_into(pilot, form, "paid_out", "-5")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "before it was agreed" in (field_error(form, "paid_out") or "")
    assert ana_db.read_bytes() == before


async def test_no_suggestion_leaves_the_amount_blank_and_says_what_to_fill_in(
    ana_db: Path, make_app
) -> None:
    s = outside(ana_db)
    s.add_deliverable("ana", "Menu")  # no value: the share cannot be told
    app = make_app(ana_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_client(app, pilot, ana_db)
        await pilot.press("R")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RefundForm)
        assert form.query_one("#field-amount", Input).value == ""
        assert hint(form, "amount") == (
            "No suggestion: Give the value of every deliverable first; no value yet for the "
            "deliverable 'Menu'. (press e on each deliverable of the Deliverables tab to give "
            "its value)"
        )


async def test_p_marks_the_highlighted_refund_paid_out_and_e_edits_it(
    ana_db: Path, make_app
) -> None:
    s = outside(ana_db)
    s.add_refund("ana", "120", "Website", on=TODAY - dt.timedelta(days=3))
    refund_id = stored(ana_db).refunds[0].id
    app = make_app(ana_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot, ana_db)
        await pilot.press("8")
        await pilot.pause()
        table = screen.query_one("#invoices-table", DataTable)
        keys = [row.value for row in table.rows]
        await pilot.press("p")  # on the invoice row: a payment, not a payout
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(*["down"] * keys.index(REFUND_ROW + refund_id))
        assert screen.tab("invoices").highlighted() == REFUND_ROW + refund_id
        await pilot.press("P")
        await settle(app, pilot)
        assert stored(ana_db).refunds[0].paid_out == TODAY
        await pilot.press("P")
        await pilot.pause()
        assert any("already paid out" in n.message for n in app._notifications)

        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RefundForm) and form.record_id == refund_id
        assert form.query_one("#field-amount", Input).value == "120.00"
        assert form.query_one("#field-paid_out", Input).value == TODAY.isoformat()
        await type_into(pilot, form, "paid_out", "-1")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
    refund = stored(ana_db).refunds[0]
    assert (refund.amount, refund.paid_out) == (Decimal("120.00"), TODAY - dt.timedelta(days=1))
    assert stored(ana_db).history[-1].summary == "edited refund 'Website': paid_out"


async def test_the_deliverable_form_takes_a_value(ana_db: Path, make_app) -> None:
    app = make_app(ana_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_client(app, pilot, ana_db)
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DeliverableForm)
        await type_into(pilot, form, "title", "Menu")
        await type_into(pilot, form, "value", "lots")
        assert field_error(form, "value") == (
            "The deliverable's value 'lots' is not a number (write it like 1250.00)"
        )
        await type_into(pilot, form, "value", "250.50")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert stored(ana_db).deliverables[-1].value == Decimal("250.50")


async def test_the_agenda_shows_only_refunds_on_5(ana_db: Path, make_app) -> None:
    outside(ana_db).add_refund("ana", "120", "Website")
    app = make_app(ana_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        agenda = app.screen
        assert isinstance(agenda, AgendaScreen)
        assert {d.kind for d in agenda._shown} == {"invoice", "refund"}
        await pilot.press("5")
        await pilot.pause()
        assert [(d.kind, d.label) for d in agenda._shown] == [
            ("refund", "refund to pay out: Website")
        ]
        header = " ".join(text(w) for w in agenda.query(Static))
        assert "refunds to pay out only" in header

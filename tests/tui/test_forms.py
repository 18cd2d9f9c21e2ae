"""The modal forms, typed into with Pilot on a real database file: live checks by the fields,
nothing saved while anything is wrong, and what is saved read back from the file."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from formkit import form_verdict
from rich.console import Console
from test_client_screen import quiet, settle
from textual import events
from textual.widgets import Input, Static, TextArea
from tuikit import TODAY

from offboard.config import Config
from offboard.domain import notice
from offboard.domain.clock import FixedClock
from offboard.domain.errors import OffboardError
from offboard.domain.models import Client
from offboard.formats import money
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.forms import (
    AssessmentForm,
    ConversationForm,
    DecisionForm,
    FormScreen,
    HandoverForm,
    InvoiceForm,
    NewClientForm,
    RepairForm,
    friendly_date,
    sentence,
)
from offboard.workcalendar import calendar_for

SIZE = (100, 34)


@pytest.fixture
def start(make_app):
    return quiet(make_app)


def demo_client(app, prefix: str) -> Client:
    return next(c for c in app.clients.values() if c.name.startswith(prefix))


def message(form: FormScreen, name: str) -> str:
    widget = form.query_one(f"#row-{name} .field-msg", Static)
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return " ".join(capture.get().split())


def has_error(form: FormScreen, name: str) -> bool:
    return form.query_one(f"#row-{name}").has_class("-error")


async def type_into(pilot, form: FormScreen, name: str, text: str) -> None:
    """Focus a field, clear it and type into it key by key, as a user would."""
    field = form.query_one(f"#field-{name}", Input)
    field.focus()
    field.value = ""
    if text:
        await pilot.press(*["space" if ch == " " else ch for ch in text])
    else:
        await pilot.pause()


async def paste_into(pilot, form: FormScreen, name: str, text: str) -> None:
    """Focus a field, clear it and paste: one event where typing is not what is tested."""
    field = form.query_one(f"#field-{name}", Input)
    field.focus()
    field.value = ""
    pilot.app.post_message(events.Paste(text))  # as a terminal delivers a paste
    await pilot.pause()


async def open_form(app, pilot, form: FormScreen, results: list | None = None) -> FormScreen:
    app.push_screen(form, results.append if results is not None else None)
    await pilot.pause()
    return form


async def test_notice_period_is_checked_as_it_is_typed(empty_db: Path, start) -> None:
    app = start(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot, NewClientForm())
        first = message(form, "notice_period")
        assert first.startswith("Read as 30 days, calendar days, from the day notice is given.")
        assert "Last working day if notice were given today:" in first

        await type_into(pilot, form, "notice_period", "2 weeks")
        last = notice.last_working_day(TODAY, notice.parse_period("2 weeks"))
        assert message(form, "notice_period") == (
            "Read as 2 weeks, calendar days, from the day notice is given. "
            f"Last working day if notice were given today: {friendly_date(last)}"
        )
        assert message(form, "notice_period") != first

        await pilot.press("backspace", "backspace", "backspace", "backspace", "a", "k", "s")
        assert has_error(form, "notice_period")
        assert "not understood" in message(form, "notice_period")

        await paste_into(pilot, form, "notice_period", "10 business days")
        last = notice.last_working_day(TODAY, notice.parse_period("10 business days"))
        assert friendly_date(last) in message(form, "notice_period")
        assert not has_error(form, "notice_period")


async def test_a_pasted_clause_shows_what_was_understood(empty_db: Path, start) -> None:
    app = start(empty_db)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_form(app, pilot, NewClientForm())
        clause = (
            "Irtisanomisaika on kaksi (2) kuukautta, ja se lasketaan kalenterikuukauden loppuun."
        )
        await paste_into(pilot, form, "notice_period", clause)
        assert not has_error(form, "notice_period")
        assert message(form, "notice_period").startswith(
            "Read as 2 months, calendar days, to the end of a calendar month."
        )
        await paste_into(pilot, form, "notice_period", "30 days' notice, or 60 days' notice")
        assert has_error(form, "notice_period")
        assert "more than one notice period (30 days and 60 days)" in message(form, "notice_period")


async def test_the_country_typed_changes_the_last_day_shown(empty_db: Path, start) -> None:
    # 25 business days from the test's today end on Christmas Day; Finland also takes
    # Christmas Eve off, so there they end after the weekend.
    app = start(empty_db)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_form(app, pilot, NewClientForm())
        await paste_into(pilot, form, "notice_period", "25 business days")
        plain = notice.last_working_day(TODAY, notice.parse_period("25 business days"))
        assert friendly_date(plain) in message(form, "notice_period")
        await paste_into(pilot, form, "country", "fi")
        assert not has_error(form, "country")
        assert "public holidays in FI" in message(form, "country")
        finnish = notice.last_working_day(
            TODAY, notice.parse_period("25 business days"), calendar_for(Config(), "FI")
        )
        assert finnish != plain
        assert friendly_date(finnish) in message(form, "notice_period")
        await paste_into(pilot, form, "country", "Narnia")
        assert has_error(form, "country")


async def test_a_bad_email_blocks_saving_and_keeps_the_typing(empty_db: Path, start) -> None:
    app = start(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        results: list = []
        form = await open_form(app, pilot, NewClientForm(), results)
        await paste_into(pilot, form, "name", "Harbour Yoga")
        await type_into(pilot, form, "email", "ana.example.com")
        assert has_error(form, "email")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and results == []
        assert "email address" in message(form, "email")
        assert form.query_one("#field-name", Input).value == "Harbour Yoga"
        assert form.focused is form.query_one("#field-email")
        assert TinyRepository(empty_db).clients() == []

        # A name is required, but only complained about once saving was tried.
        await type_into(pilot, form, "name", "")
        assert "needs a name" in message(form, "name")


async def test_a_valid_new_client_is_created_on_disk(empty_db: Path, start) -> None:
    app = start(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        results: list = []
        form = await open_form(app, pilot, NewClientForm(), results)
        await paste_into(pilot, form, "name", "Harbour Yoga")
        # Enter moves on to the next field.
        await pilot.press("enter")
        assert form.focused is form.query_one("#field-email")
        await paste_into(pilot, form, "email", "hello@harbour.example.com")
        await paste_into(pilot, form, "notice_period", "2 weeks")
        await type_into(pilot, form, "currency", "usd")
        form.query_one("#field-archetype").focus()
        await pilot.press("enter", "s", "c", "enter")
        await paste_into(pilot, form, "contract_end", "2027-06-30")
        await paste_into(pilot, form, "payment_terms_days", "30")
        await paste_into(pilot, form, "hourly_rate", "90")
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert app.screen is not form
        (stored,) = TinyRepository(empty_db).clients()
        assert results == [stored.id]
        assert (stored.name, stored.email, stored.currency) == (
            "Harbour Yoga",
            "hello@harbour.example.com",
            "USD",
        )
        assert stored.archetype is not None and stored.archetype.value == "scope-creeper"
        k = stored.contract
        assert (k.notice_period, str(k.contract_end), k.payment_terms_days) == (
            "2 weeks",
            "2027-06-30",
            30,
        )
        assert str(k.hourly_rate) == "90.00"


async def test_a_review_date_before_the_start_is_refused(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        client = demo_client(app, "Tupa")
        form = await open_form(app, pilot, RepairForm(client.id))
        await paste_into(pilot, form, "strategy", "Weekly check-in call")
        await paste_into(pilot, form, "review", "2026-13-40")
        assert has_error(form, "review") and "not a valid date" in message(form, "review")
        await paste_into(pilot, form, "review", "2026-11-01")
        assert not has_error(form, "review")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert has_error(form, "review")
        assert "is not after the start" in message(form, "review")
        assert TinyRepository(demo_db).get(client.id).repairs == []

        # +14 means fourteen days from today; then it saves.
        await type_into(pilot, form, "review", "+14")
        assert "in 14 days" in message(form, "review")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        (attempt,) = TinyRepository(demo_db).get(client.id).repairs
        assert attempt.strategy == "Weekly check-in call"
        assert (attempt.started, (attempt.review - TODAY).days) == (TODAY, 14)

        # Escape asks before throwing typing away; an untouched form closes at once.
        form = await open_form(app, pilot, RepairForm(client.id))
        await type_into(pilot, form, "strategy", "Ph")
        await pilot.press("escape")
        assert app.screen is form and "escape again" in " ".join(
            str(form.query_one("#form-status", Static).content).split()
        )
        await pilot.press("escape")
        assert app.screen is not form
        form = await open_form(app, pilot, RepairForm(client.id))
        await pilot.press("escape")
        assert app.screen is not form


async def test_assessment_handover_and_invoice_forms(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        client = demo_client(app, "Fenwick")

        # The assessment shows the effective rate as revenue and hours are typed.
        form = await open_form(app, pilot, AssessmentForm(client.id))
        await type_into(pilot, form, "revenue", "6000")
        await type_into(pilot, form, "hours", "120")
        # Amounts are written as the client's language writes them ("€50.00").
        rate = money(Decimal("50"), client.currency, client.locale)
        assert f"Effective rate: {rate} an hour" in message(form, "hours")
        notes = form.query_one("#field-operational", TextArea)
        notes.focus()
        await pilot.press("f7")  # the text area's "select all"
        app.post_message(events.Paste("Two evening calls a week, unbilled."))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        stored = TinyRepository(demo_db).get(client.id).assessment
        assert (str(stored.revenue), str(stored.hours)) == ("6000.00", "120.00")
        assert stored.operational == "Two evening calls a week, unbilled."
        assert stored.financial == client.assessment.financial

        # A handover label never holds the secret itself.
        form = await open_form(app, pilot, HandoverForm(client.id))
        await paste_into(pilot, form, "label", "Shop admin password: hunter22")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and "secret" in message(form, "label")
        await paste_into(pilot, form, "label", "Shop admin login")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        stored_items = TinyRepository(demo_db).get(client.id).handover
        assert len(stored_items) == len(client.handover) + 1
        assert stored_items[-1].label == "Shop admin login"

        # An invoice suggests the next number, refuses a taken one, and falls due after
        # the payment terms unless a due date is given.
        form = await open_form(app, pilot, InvoiceForm(client.id))
        number = form.query_one("#field-number", Input).value
        assert number == "FD-0461"
        await paste_into(pilot, form, "number", "FD-0460")
        assert "already has an invoice FD-0460" in message(form, "number")
        await paste_into(pilot, form, "number", number)
        await type_into(pilot, form, "amount", "480")
        terms = client.contract.payment_terms_days or app.services.config.payment_terms_days
        assert "payment terms" in message(form, "due")
        form.query_one("#field-final").focus()
        await pilot.press("space", "ctrl+s")
        await settle(app, pilot)
        invoice = TinyRepository(demo_db).get(client.id).invoices[-1]
        assert (invoice.number, str(invoice.amount)) == ("FD-0461", "480.00")
        assert (invoice.due - TODAY).days == terms and invoice.final


async def test_decision_and_conversation_forms_feed_the_letters(demo_db: Path, start) -> None:
    app = start(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        client = demo_client(app, "Juniper")  # assessment: no decision, no conversation yet
        form = await open_form(app, pilot, DecisionForm(client.id))
        form.query_one("#field-decision").value = "offboard"
        await paste_into(pilot, form, "reason", "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and has_error(form, "reason")
        await paste_into(pilot, form, "reason", "The account no longer fits how I work.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        stored = TinyRepository(demo_db).get(client.id)
        assert (stored.decision.decision.value, stored.decision.reason) == (
            "offboard",
            "The account no longer fits how I work.",
        )

        form = await open_form(app, pilot, ConversationForm(client.id))
        # notice cannot be recorded before it happened; the last day follows the period
        await type_into(pilot, form, "on", "+3")
        assert has_error(form, "on") and "is in the future" in message(form, "on")
        await type_into(pilot, form, "on", "today")
        await type_into(pilot, form, "period", "30 days")
        expected = notice.last_working_day(TODAY, notice.parse_period("30 days"), frozenset())
        assert friendly_date(expected) in message(form, "period")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        stored = TinyRepository(demo_db).get(client.id)
        assert stored.conversation is not None
        assert (stored.conversation.on, stored.conversation.last_day) == (TODAY, expected)
        assert stored.conversation.channel.value == "phone"
        # the letters now have what they asked for
        context = app.services.letter_context(stored, "en")
        assert context["reason"] == "The account no longer fits how I work."
        assert context["notice"]["last_day"]


def service_message(call) -> str:
    """What a service says when it refuses, as a form shows it (a sentence)."""
    with pytest.raises(OffboardError) as refused:
        call()
    return sentence(refused.value.one_line())


def test_a_form_refuses_what_the_services_refuse_in_their_words(demo_db: Path) -> None:
    """formkit.form_verdict, as the parity tests across CLI, services and TUI use it."""
    services = Services(TinyRepository(demo_db), FixedClock(TODAY))
    tupa, juniper = (services.resolve(name) for name in ("Tupa", "Juniper"))

    # An email address: the one rule in offboard.domain.validate, whichever front end asks.
    assert form_verdict(NewClientForm, "email", "ana.example.com") == service_message(
        lambda: services.add_client("Ana", email="ana.example.com")
    )

    # An amount for a Finnish client is read with a decimal comma, and "1.250" is refused as
    # ambiguous rather than guessed.
    assert form_verdict(InvoiceForm, "amount", "1 250,50", client="Tupa") is None
    assert form_verdict(InvoiceForm, "amount", "1.250", client="Tupa") == service_message(
        lambda: services.add_invoice(tupa.id, "TO-9999", "1.250")
    )

    # Notice is never given by text message.
    refused = form_verdict(ConversationForm, "channel", "text-message", client="Juniper")
    assert refused == service_message(
        lambda: services.record_conversation(juniper.id, TODAY, "text-message")
    )
    assert refused is not None and refused.startswith("Notice must not be given by text-message")

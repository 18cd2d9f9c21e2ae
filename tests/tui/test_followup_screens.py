"""Follow-ups in the TUI, driven with the keyboard on a real database file: `u` opens the
follow-up form from any tab (dates in every form the CLI takes, "+N wd" included, an invoice
checked as the services check it); the follow-up gets its own row on the Invoices tab, `U`
marks it done, `e` corrects it; the agenda's `6` shows only follow-ups; the help screen lists
the keys; other forms' date fields take working days too. Every change is read back from the
file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from formkit import field_error, field_hint as hint, open_client_screen, outside, type_into
from textual.widgets import DataTable, Input, Static
from tuikit import TODAY, settle

from offboard.domain.models import Client
from offboard.tui.client.screen import ClientScreen
from offboard.tui.forms import DeliverableForm, FollowUpEditForm, FollowUpForm
from offboard.tui.screens.agenda import AgendaScreen

SIZE = (120, 36)
ROW = "follow-up:"


@pytest.fixture
def acme_db(tmp_path: Path) -> Path:
    """Acme owes A-1 (overdue since 1 November) and A-2 (due in December)."""
    path = tmp_path / "followups.json"
    s = outside(path)
    acme = s.add_client("Acme").id
    s.add_invoice(acme, "A-1", "500", issued=dt.date(2026, 10, 1), due=dt.date(2026, 11, 1))
    s.add_invoice(acme, "A-2", "300", issued=dt.date(2026, 11, 20), due=dt.date(2026, 12, 20))
    return path


def stored(path: Path) -> Client:
    return outside(path).resolve("acme")


def text(widget: Static) -> str:
    return " ".join(str(widget.content).split())


async def open_client(app, pilot, path: Path) -> ClientScreen:
    return await open_client_screen(app, pilot, stored(path).id)


async def test_u_records_a_follow_up_in_working_days_for_an_invoice(
    acme_db: Path, make_app
) -> None:
    app = make_app(acme_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot, acme_db)
        await pilot.press("2")  # the Red flags tab: u works from any tab
        await pilot.press("u")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FollowUpForm)
        assert screen.active_tab == "invoices"
        assert form.query_one("#field-invoice", Input).placeholder == "optional; unpaid: A-1, A-2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field_error(form, "on") == "Give the day to follow up."
        # Sunday 22 November + 5 working days: Friday 27th.
        await type_into(pilot, form, "on", "+5 wd")
        assert hint(form, "on") == "Fri 27 Nov 2026, in 5 days."
        await type_into(pilot, form, "about", "Chase A-1")
        await type_into(pilot, form, "invoice", "Z-9")
        assert field_error(form, "invoice") == "No invoice matches 'Z-9' (unpaid: A-1, A-2)"
        await type_into(pilot, form, "invoice", "a-1")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        [item] = stored(acme_db).follow_ups
        a1 = stored(acme_db).invoices[0]
        assert (item.on, item.about, item.invoice) == (dt.date(2026, 11, 27), "Chase A-1", a1.id)
        table = screen.query_one("#invoices-table", DataTable)
        assert ROW + item.id in [row.value for row in table.rows]


async def test_a_bad_date_or_subject_is_refused_in_the_form(acme_db: Path, make_app) -> None:
    before = acme_db.read_bytes()
    app = make_app(acme_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_client(app, pilot, acme_db)
        await pilot.press("u")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FollowUpForm)
        await type_into(pilot, form, "on", "+0 wd")
        assert "at least 1 working day" in (field_error(form, "on") or "")
        await type_into(pilot, form, "on", "soon")
        assert "+N wd" in (field_error(form, "on") or "")
        await type_into(pilot, form, "about", "x" * 600)
        assert "characters long" in (field_error(form, "about") or "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
    assert acme_db.read_bytes() == before


async def test_capital_u_marks_the_highlighted_follow_up_done_and_e_corrects_it(
    acme_db: Path, make_app
) -> None:
    outside(acme_db).add_follow_up("acme", "Call the accounts team", "+2")
    item_id = stored(acme_db).follow_ups[0].id
    app = make_app(acme_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot, acme_db)
        await pilot.press("8")
        await pilot.pause()
        await pilot.press("U")  # on an invoice row: nothing to mark
        await pilot.pause()
        assert any("No follow-up is highlighted" in n.message for n in app._notifications)
        table = screen.query_one("#invoices-table", DataTable)
        keys = [row.value for row in table.rows]
        await pilot.press(*["down"] * keys.index(ROW + item_id))
        assert screen.tab("invoices").highlighted() == ROW + item_id
        await pilot.press("U")
        await settle(app, pilot)
        assert stored(acme_db).follow_ups[0].done_on == TODAY
        await pilot.press("U")
        await pilot.pause()
        assert any("already done" in n.message for n in app._notifications)

        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FollowUpEditForm) and form.record_id == item_id
        assert form.query_one("#field-about", Input).value == "Call the accounts team"
        assert form.query_one("#field-done_on", Input).value == TODAY.isoformat()
        await type_into(pilot, form, "on", "+1 wd")
        await type_into(pilot, form, "done_on", "-1")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
    item = stored(acme_db).follow_ups[0]
    assert (item.on, item.done_on) == (dt.date(2026, 11, 23), TODAY - dt.timedelta(days=1))
    assert stored(acme_db).history[-1].summary == (
        "edited follow-up 'Call the accounts team': on, done_on"
    )


async def test_the_agenda_shows_only_follow_ups_on_6(acme_db: Path, make_app) -> None:
    outside(acme_db).add_follow_up("acme", "Call the accounts team", "+2")
    app = make_app(acme_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        agenda = app.screen
        assert isinstance(agenda, AgendaScreen)
        assert {d.kind for d in agenda._shown} == {"invoice", "follow-up"}
        await pilot.press("6")
        await pilot.pause()
        assert [(d.kind, d.label) for d in agenda._shown] == [
            ("follow-up", "Call the accounts team")
        ]
        header = " ".join(text(w) for w in agenda.query(Static))
        assert "follow-ups only" in header


async def test_help_lists_the_follow_up_keys(acme_db: Path, make_app) -> None:
    app = make_app(acme_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_client(app, pilot, acme_db)
        await pilot.press("8")
        await pilot.press("question_mark")
        await pilot.pause()
        shown = " ".join(text(w) for w in app.screen.query(Static))
        assert "Record a follow-up" in shown
        assert "Mark the highlighted follow-up done" in shown


async def test_other_forms_take_dates_in_working_days(acme_db: Path, make_app) -> None:
    app = make_app(acme_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_client(app, pilot, acme_db)
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DeliverableForm)
        await type_into(pilot, form, "title", "Logo")
        await type_into(pilot, form, "due", "+3 wd")
        assert field_error(form, "due") is None
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert stored(acme_db).deliverables[0].due == dt.date(2026, 11, 25)


async def test_marking_a_payment_reminder_sent_says_which_chase_it_added(
    acme_db: Path, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from textual.widgets import OptionList

    from offboard.tui.screens.letter import LetterEditor
    from offboard.tui.screens.letter_dialogs import MarkSentScreen, TemplatePicker

    config = tmp_path / "config.toml"
    config.write_text(
        '[sender]\nname = "Alex Morgan"\nemail = "alex@morgan.example.com"\n', encoding="utf-8"
    )
    monkeypatch.setenv("OFFBOARD_CONFIG", str(config))

    async def wait_for(condition) -> None:
        deadline = time.monotonic() + 10
        while not condition():
            assert time.monotonic() < deadline, "condition not reached"
            await pilot.pause(0.02)

    app = make_app(acme_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_client(app, pilot, acme_db)
        await pilot.press("w")
        await wait_for(lambda: isinstance(app.screen, TemplatePicker))
        options = app.screen.query_one("#picker-list", OptionList)
        options.highlighted = next(
            i
            for i in range(options.option_count)
            if options.get_option_at_index(i).id == "payment-reminder"
        )
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, LetterEditor))
        editor = app.screen
        await wait_for(lambda: editor.renders > 0)
        await pilot.press("ctrl+l")
        await wait_for(lambda: isinstance(app.screen, MarkSentScreen))
        app.screen.query_one("#channel").value = "email"
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, MarkSentScreen | LetterEditor))
        await settle(app, pilot)
        said = [n.message for n in app._notifications]
    # Sunday 22 November + 7 working days: Tuesday 1 December; A-2 is not due yet.
    assert (
        "Recorded the letter as sent by email. Follow-up added for Dec 1, 2026: "
        "Chase invoice A-1 if still unpaid."
    ) in said
    [chase] = stored(acme_db).follow_ups
    assert (chase.on, chase.invoice) == (dt.date(2026, 12, 1), stored(acme_db).invoices[0].id)


HOSTILE = "[/] [bold]B[/bold] [red on nope]x [@click=app.quit]q[/] [link=file:///etc]l[/link] \\["


async def test_a_follow_ups_words_are_shown_as_written(acme_db: Path, make_app) -> None:
    outside(acme_db).add_follow_up("acme", f"ask {HOSTILE}", "+2")
    item_id = stored(acme_db).follow_ups[0].id
    app = make_app(acme_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot, acme_db)
        await pilot.press("8")
        await pilot.pause()
        table = screen.query_one("#invoices-table", DataTable)
        cell = table.get_row(ROW + item_id)[0]
        assert cell.plain == f"⟳ follow up: ask {HOSTILE}"
        keys = [row.value for row in table.rows]
        await pilot.press(*["down"] * keys.index(ROW + item_id))
        await pilot.press("U")  # the message quotes it
        await settle(app, pilot)
        assert f"Follow-up done today: ask {HOSTILE}" in [n.message for n in app._notifications]
        await pilot.press("escape", "t")  # and the agenda opens after it
        await pilot.pause()
    assert not app.return_code
    assert stored(acme_db).follow_ups[0].done_on == TODAY

"""Lessons learned in the TUI: the closed gate's question offers the key that opens the lesson
form, the form saves a categorised lesson, and the move then goes through; the Lessons tab
lists them (its rows keyed by lesson id) and L adds one from any tab. Snapshots of the form
and the tab."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from formkit import open_form, type_into
from textual.widgets import Input, Static, TextArea
from tuikit import TODAY, settle

from offboard.domain.clock import FixedClock
from offboard.domain.models import LessonCategory, Stage
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.app import OffboardApp
from offboard.tui.board.screen import BoardScreen
from offboard.tui.client.screen import ClientScreen
from offboard.tui.dialogs import ConfirmScreen
from offboard.tui.forms import FormScreen, LessonForm
from offboard.tui.messages import OpenClient


def outside(path: Path) -> Services:
    return Services(TinyRepository(path), FixedClock(TODAY), actor="outside")


@pytest.fixture
def settled_db(tmp_path: Path) -> Path:
    """One client in settlement with nothing open: only the lessons are missing to close."""
    path = tmp_path / "lessons.json"
    s = outside(path)
    s.add_client("Gale Studio")
    s.decide("gale", "offboard", "the account loses money")
    s.assess("gale", revenue="900", hours="40")
    s.move("gale", "preparation", force=True)
    s.record_conversation("gale", TODAY - dt.timedelta(days=20), "phone", "14 days")
    s.move("gale", "settlement", force=True)
    return path


def stored(path: Path):
    return outside(path).resolve("gale")


async def fill_lesson(pilot, form: FormScreen, category: str, text: str) -> None:
    await type_into(pilot, form, "category", category)
    await type_into(pilot, form, "text", text)
    await pilot.press("ctrl+s")


async def test_the_closed_gate_offers_the_lesson_form_then_the_move_goes_through(
    settled_db: Path, make_app
) -> None:
    app = make_app(settled_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        board.action_focus_client(stored(settled_db).id)
        await pilot.pause()
        await pilot.press("greater_than_sign")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        said = " ".join(str(w.content) for w in dialog.query(Static))
        assert "no lessons learned recorded" in said
        assert "Press L to record a lesson learned now" in said
        await pilot.press("L")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, LessonForm)
        await fill_lesson(pilot, form, "payment-terms", "Ask for a deposit")
        await settle(app, pilot)
        assert app.screen is board
        await pilot.press("greater_than_sign")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen)  # nothing left to ask about
    client = stored(settled_db)
    assert client.stage is Stage.CLOSED
    assert [(x.category, x.text, x.on) for x in client.lessons] == [
        (LessonCategory.PAYMENT_TERMS, "Ask for a deposit", TODAY)
    ]
    assert "overriding" not in client.history[-1].summary


async def test_cancelling_the_offered_form_leaves_the_card_and_the_file(
    settled_db: Path, make_app
) -> None:
    before = settled_db.read_bytes()
    app = make_app(settled_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.screen.action_focus_client(stored(settled_db).id)
        await pilot.press("greater_than_sign", "L")
        await pilot.pause()
        assert isinstance(app.screen, LessonForm)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, BoardScreen)
    assert settled_db.read_bytes() == before


async def test_the_form_says_what_is_missing_and_saves_nothing(settled_db: Path, make_app) -> None:
    before = settled_db.read_bytes()
    app = make_app(settled_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(LessonForm(stored(settled_db).id))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, LessonForm)
        errors = [str(w.content) for w in form.query(".-error .field-msg").results(Static)]
        assert any("Choose what the lesson is about" in e for e in errors)
        assert any("Write the lesson" in e for e in errors)
        await type_into(pilot, form, "on", "+2")
        await pilot.pause()
        assert "in the future" in str(form.row("on").query_one(".field-msg", Static).content)
    assert settled_db.read_bytes() == before


async def test_l_adds_a_lesson_from_any_tab_and_shows_it_on_the_lessons_tab(
    settled_db: Path, make_app
) -> None:
    app = make_app(settled_db)
    cid = stored(settled_db).id
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.post_message(OpenClient(cid))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClientScreen) and screen.active_tab == "overview"
        await pilot.press("L")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, LessonForm)
        await fill_lesson(pilot, form, "Communication expectations", "Agree on feedback rounds")
        await settle(app, pilot)
        assert app.screen is screen and screen.active_tab == "lessons"
        table = screen.tab("lessons").table
        (lesson,) = stored(settled_db).lessons
        assert [key.value for key in table.rows] == [lesson.id]
        assert screen.tab("lessons").highlighted() == lesson.id
    assert lesson.category is LessonCategory.COMMUNICATION


# --- snapshots ------------------------------------------------------------------------------


def demo_app(path: Path) -> OffboardApp:
    # demo=True keeps the temporary path out of the header, so snapshots are stable.
    app = OffboardApp(path, FixedClock(TODAY), demo=True, watch=False)
    app.animation_level = "none"
    return app


def test_lesson_form(snap_compare, demo_db: Path) -> None:
    async def run_before(pilot) -> None:
        form = await open_form(pilot.app, pilot, LessonForm, "Greyfield")
        await type_into(pilot, form, "category", "contract-clause")
        for widget in form.query(Input):
            widget.cursor_blink = False
        for area in form.query(TextArea):
            area.cursor_blink = False
        await pilot.pause()

    assert snap_compare(demo_app(demo_db), run_before=run_before, terminal_size=(100, 34))


def test_lessons_tab(snap_compare, demo_db: Path) -> None:
    async def run_before(pilot) -> None:
        app = pilot.app
        greyfield = next(c.id for c in app.clients.values() if c.name.startswith("Greyfield"))
        app.post_message(OpenClient(greyfield, tab="lessons"))
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(demo_app(demo_db), run_before=run_before, terminal_size=(120, 36))

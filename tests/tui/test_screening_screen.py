"""The screening screen, driven with Pilot on a hand-built board of closed clients with
lessons: S opens it, y/n/u answer the highlighted item and the suggestion changes with each
answer, an item of your own is added, the checklist is exported, and "add as client" lands
the prospect on the board with its answers as intake notes. One snapshot of the screen."""

from __future__ import annotations

import datetime as dt
import gc
import time
import weakref
from pathlib import Path

import pytest
from formkit import type_into
from test_report_screen import text_of
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, Input, Static
from tuikit import TODAY, footer_in_step, settle

from offboard.domain.clock import FixedClock
from offboard.domain.models import Answer
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.app import OffboardApp
from offboard.tui.board.screen import BoardScreen
from offboard.tui.client.screen import ClientScreen
from offboard.tui.commands import OffboardCommands
from offboard.tui.messages import OpenClient
from offboard.tui.screens.screening import ScreeningScreen
from offboard.tui.screens.screening_dialogs import AskText, ScreenedClientForm

pytestmark = pytest.mark.tui


def outside(path: Path) -> Services:
    return Services(TinyRepository(path), FixedClock(TODAY), actor="outside")


def close_with(s: Services, name: str, *lessons: tuple[str, str]) -> None:
    client = s.add_client(name)
    for category, text in lessons:
        s.add_lesson(client.id, category, text)
    s.decide(client.id, "offboard", "it did not work out")
    s.record_conversation(client.id, TODAY - dt.timedelta(days=20), "phone", "7 days")
    s.move(client.id, "closed", force=True)


@pytest.fixture
def learned_db(tmp_path: Path) -> Path:
    """Three closed clients whose lessons make a sign two of them taught, a question and a
    clause; and one open client."""
    path = tmp_path / "screening.json"
    s = outside(path)
    close_with(s, "Alder Ltd", ("missed-red-flag", "Haggled over the first quote"),
               ("contract-clause", "A change-order clause with a price per change"))  # fmt: skip
    close_with(s, "Birch & Co", ("missed-red-flag", "haggled over the first quote."),
               ("screening-question", "Who signs off the work, by name?"))  # fmt: skip
    close_with(s, "Cedar", ("payment-terms", "Half the fee before the work starts"))
    s.add_client("Dune Works")
    return path


async def open_screening(app, pilot) -> ScreeningScreen:
    await pilot.press("S")
    screen = app.screen
    assert isinstance(screen, ScreeningScreen)
    deadline = time.monotonic() + 10
    while screen.checklist is None:
        assert time.monotonic() < deadline, "the checklist was not gathered"
        await pilot.pause(0.02)
    await pilot.pause()
    return screen


def verdict_text(screen: ScreeningScreen) -> str:
    return str(screen.query_one("#screening-verdict", Static).render())


async def test_answers_change_the_suggestion_as_they_are_given(learned_db, make_app) -> None:
    app = make_app(learned_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screening(app, pilot)
        assert screen.checklist is not None
        assert [i.kind.value for i in screen.checklist.items] == [
            "warning-sign", "question", "clause", "clause",
        ]  # fmt: skip
        assert screen.query_one("#screening-table", DataTable).row_count == 4
        assert "Suggestion: CAUTION" in verdict_text(screen)
        assert "nothing answered yet (4 items)" in verdict_text(screen)
        await pilot.press("n", "y", "y", "y")  # each answer moves down to the next item
        assert "Suggestion: GO" in verdict_text(screen)
        assert "all 4 answered, none against the prospect" in verdict_text(screen)
        await pilot.press("up", "n")  # a clause: they will not sign it
        assert "Suggestion: CAUTION" in verdict_text(screen)
        assert "1 clause refused that 1 past client taught" in verdict_text(screen)
        screen.query_one("#screening-table", DataTable).move_cursor(row=0)
        await pilot.press("y")  # the sign two clients taught: seen
        text = verdict_text(screen)
        assert "Suggestion: DECLINE" in text
        assert "1 warning sign seen that 2 past clients taught (+4.5)" in text
        first = screen.checklist.items[0]
        assert screen.answers[first.id] is Answer.YES
        await pilot.press("escape")
        assert isinstance(app.screen, BoardScreen)


async def test_add_as_client_lands_on_the_board_with_intake_notes(learned_db, make_app):
    app = make_app(learned_db)
    async with app.run_test(size=(120, 36)) as pilot:
        board = app.screen
        screen = await open_screening(app, pilot)
        await pilot.press("y", "n", "u", "y")
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ScreenedClientForm)
        await type_into(pilot, form, "name", "Elm Studio")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is board
        added = next(c for c in outside(learned_db).clients() if c.name == "Elm Studio")
        assert [(x.answer.value, x.against) for x in added.intake] == [
            ("yes", True), ("no", True), ("unknown", False), ("yes", False),
        ]  # fmt: skip
        assert added.history[-1].summary.startswith("added Elm Studio after screening: caution")
        focused = board.model.focused()
        assert focused is not None and focused.id == added.id
        del screen
        # Its Overview tab shows the intake notes.
        app.post_message(OpenClient(added.id))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        shown = " ".join(text_of(app.screen.query_one("#overview-body", Static)).split())
        assert "Intake notes (screening)" in shown
        assert "Screened Nov 22, 2026: 2 of 4 answers against" in shown
        assert "yes [warning sign] haggled over the first quote." in shown


async def test_an_item_of_your_own_is_added_and_can_be_answered(learned_db, make_app) -> None:
    app = make_app(learned_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screening(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        ask = app.screen
        assert isinstance(ask, AskText)
        await pilot.press("enter")  # empty: refused, the dialog stays
        assert app.screen is ask and "empty" in str(ask.query_one("#ask-error", Static).render())
        ask.query_one("#text", Input).value = "Wants to start before the contract is signed"
        await pilot.press("enter")
        await settle(app, pilot)
        deadline = time.monotonic() + 10
        while screen.checklist is None or len(screen.checklist.items) < 5:
            assert time.monotonic() < deadline
            await pilot.pause(0.02)
        mine = [i for i in screen.checklist.items if i.own]
        assert [i.text for i in mine] == ["Wants to start before the contract is signed"]
        assert mine[0].kind.value == "warning-sign"


async def test_the_checklist_exports_as_markdown(learned_db, make_app, tmp_path) -> None:
    app = make_app(learned_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_screening(app, pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        ask = app.screen
        assert isinstance(ask, AskText)
        target = tmp_path / "out" / "list.md"
        target.parent.mkdir()
        ask.query_one("#text", Input).value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        text = target.read_text()
        assert text.startswith("# Screening checklist") and "Alder Ltd, Birch & Co" in text


async def test_an_empty_checklist_says_how_to_get_one(tmp_path, make_app) -> None:
    path = tmp_path / "empty.json"
    outside(path).add_client("Only Open")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_screening(app, pilot)
        assert "Nothing to screen with yet" in verdict_text(screen)
        await pilot.press("c")  # nothing to add a client from: nothing happens
        await pilot.pause()
        assert app.screen is screen


async def test_the_palette_offers_screening(learned_db, make_app) -> None:
    app = make_app(learned_db)
    app.COMMANDS = App.COMMANDS | {OffboardCommands}
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*"screen a new")
        texts: list[str] = []
        for _ in range(100):
            await pilot.pause(0.02)
            options = app.screen.query_one(CommandList)
            texts = [
                str(options.get_option_at_index(i).hit.text) for i in range(options.option_count)
            ]
            if "Screen a new client" in texts:
                break
        assert "Screen a new client" in texts
        options.highlighted = texts.index("Screen a new client")
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, ScreeningScreen):
                break
        assert isinstance(app.screen, ScreeningScreen)


def test_screening_snapshot(snap_compare, learned_db: Path) -> None:
    async def answer(pilot) -> None:
        await pilot.press("S")
        screen = pilot.app.screen
        while getattr(screen, "checklist", None) is None:
            await pilot.pause(0.02)
        await pilot.press("y", "n")
        await pilot.pause()

    # demo=True keeps the temporary path out of the header, so the snapshot is stable.
    app = OffboardApp(learned_db, FixedClock(TODAY), demo=True, watch=False)
    assert snap_compare(app, run_before=answer, terminal_size=(100, 30))


async def test_the_footer_fits_80x24(learned_db, make_app) -> None:
    from test_footer_fit import footer_problems, footer_words

    app = make_app(learned_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screening(app, pilot)
        assert footer_problems(screen) == []
        assert "Back" in footer_words(screen) and "Help" in footer_words(screen)


async def test_a_closed_screening_screen_is_collected(learned_db, make_app) -> None:
    app = make_app(learned_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        board = app.screen
        await open_screening(app, pilot)
        ref = weakref.ref(app.screen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is board
        for _ in range(5):
            await pilot.pause(0.05)
            gc.collect()
        assert ref() is None, "a closed screening screen is still referenced"


async def wait_items(screen: ScreeningScreen, pilot, count: int) -> None:
    deadline = time.monotonic() + 10
    while screen.checklist is None or len(screen.checklist.items) != count:
        assert time.monotonic() < deadline, "the checklist was not gathered again"
        await pilot.pause(0.02)
    await pilot.pause()


async def test_a_hidden_item_is_shown_again_from_the_screen(learned_db, make_app) -> None:
    # x hides the highlighted item; H lists the hidden ones too, marked, and x on one of them
    # puts it back on the checklist: no trip to the command line.
    app = make_app(learned_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screening(app, pilot)
        first = screen.checklist.items[0]
        count = len(screen.checklist.items)
        await pilot.press("x")
        await settle(app, pilot)
        await wait_items(screen, pilot, count - 1)
        assert first.id not in {i.id for i in screen.checklist.items}
        table = screen.query_one("#screening-table", DataTable)
        assert table.row_count == count - 1
        await pilot.press("H")
        await pilot.pause()
        assert table.row_count == count
        table.move_cursor(row=table.get_row_index(first.id))
        await pilot.pause()
        assert "hidden" in str(table.get_cell(first.id, "Answer"))
        await pilot.press("y")  # a hidden item is not answered
        await pilot.pause()
        assert first.id not in screen.answers
        await pilot.press("x")
        await settle(app, pilot)
        await wait_items(screen, pilot, count)
        assert first.id in {i.id for i in screen.checklist.items}
        assert "Showed" in list(app._notifications)[-1].message
        await pilot.press("H")
        await pilot.pause()
        assert table.row_count == count


async def test_the_footer_follows_the_checklist_and_the_highlighted_item(
    demo_db: Path, make_app
) -> None:
    """Which keys work depends on the checklist (gathered in a worker) and on the item under
    the cursor: the footer greys out exactly those that do not."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screening(app, pilot)
        assert screen.checklist is not None and screen.checklist.items
        assert await footer_in_step(screen, pilot) == []
        for key in ("down", "down", "end", "home"):
            await pilot.press(key)
            assert await footer_in_step(screen, pilot) == [], key

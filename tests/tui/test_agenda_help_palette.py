"""The agenda (`t`), the key help (`?`) and the command palette (ctrl+p), driven by Pilot on a
real database file."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import types
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets import Static
from tuikit import TODAY, open_agenda, settle

from offboard.domain.clock import FixedClock
from offboard.domain.timers import agenda
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.board.screen import BoardScreen
from offboard.tui.client.screen import ClientScreen
from offboard.tui.commands import OffboardCommands, jump_title
from offboard.tui.messages import DayChanged, JumpToClient
from offboard.tui.screens.agenda import AgendaScreen, short_date, week_group
from offboard.tui.screens.help import HelpScreen
from offboard.tui.widgets.deadline_table import DeadlineTable


def outside(path: Path) -> Services:
    """Another process on the same file (a CLI command, a second terminal)."""
    return Services(TinyRepository(path), FixedClock(TODAY), actor="outside")


def column(table: DeadlineTable, key: str) -> list[str]:
    index = [c.key for c in table.columns].index(key)
    return [table.row_text(row)[index] for row in range(table.row_count)]


def with_palette(app):
    app.COMMANDS = App.COMMANDS | {OffboardCommands}
    return app


async def palette_pick(pilot, query: str, expect: str) -> None:
    """Open the real command palette, type `query`, wait for `expect`, pick it."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert CommandPalette.is_open(app)
    await pilot.press(*query)
    options = []
    for _ in range(100):
        await pilot.pause(0.02)
        command_list = app.screen.query_one(CommandList)
        options = [
            str(command_list.get_option_at_index(i).hit.text)
            for i in range(command_list.option_count)
        ]
        if expect in options:
            break
    assert expect in options, options
    command_list = app.screen.query_one(CommandList)
    command_list.highlighted = options.index(expect)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


class Marked(Screen[None]):
    """A screen with keys of its own (not in offboard's action table) that shows clients'
    cards, standing in for the board in tests that must not depend on the board's
    internals."""

    HELP_GROUP = "Testing"
    BINDINGS = [
        Binding("x", "poke", "Poke the test screen", id="test.poke"),
        Binding("y,Y", "other", "Another test key", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.focused_client: str | None = None
        self.poked = 0

    def compose(self):
        yield Static("testing")

    def action_poke(self) -> None:
        self.poked += 1

    def action_other(self) -> None:
        pass

    def on_jump_to_client(self, message: JumpToClient) -> None:
        message.stop()
        self.focused_client = message.client_id


# --- agenda --------------------------------------------------------------------------------


async def test_agenda_lists_every_deadline_by_date(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_agenda(app, pilot)
        expected = agenda(app.clients.values())
        table = screen.table
        assert expected, "the demo data has deadlines"
        assert table.row_count == len(expected)
        assert column(table, "countdown") == [d.countdown(TODAY) for d in expected]
        assert column(table, "due") == [short_date(d.due, TODAY) for d in expected]
        assert [d.due for d in screen._shown] == sorted(d.due for d in expected)
        # The week column names each group once, on its first row.
        weeks = [w for w in column(table, "week") if w]
        assert weeks == list(dict.fromkeys(week_group(d.due, TODAY) for d in expected))
        assert weeks[0] == "Overdue"


async def test_an_agenda_opened_before_the_warm_up_shows_at_once_and_fills_in(
    tmp_path: Path, make_app, monkeypatch
) -> None:
    """Before the board has worked out every client's deadlines, `t` shows the agenda at once
    with a note, its keys answer, and the rows arrive once the deadlines are known."""
    from offboard.demo import generate_clients, write_clients

    path = tmp_path / "many.json"
    write_clients(path, generate_clients(300, TODAY, seed=5))
    monkeypatch.setattr("offboard.tui.board.warmup.WARM_UP_SECONDS", 60.0)
    monkeypatch.setattr("offboard.tui.screens.agenda.WAIT_SLICE", 2)
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        model = app.screen.model
        assert not model.warmed
        app.post_message(events.Key("t", "t"))
        clock = asyncio.get_running_loop().time
        limit = clock() + 10

        def note() -> str:
            screen = app.screen
            if not isinstance(screen, AgendaScreen) or not screen.query("#agenda-empty"):
                return ""
            return str(screen.query_one("#agenda-empty", Static).render())

        while "Working out" not in note() and clock() < limit:
            await pilot.pause(0)
        screen = app.screen
        assert isinstance(screen, AgendaScreen) and not screen._ready and not model.warmed
        assert "Working out the deadlines of 300 clients" in note()
        assert not screen.table.display
        await pilot.press("2")  # a key meanwhile: kept, and applied when the rows come
        while not screen._ready and asyncio.get_running_loop().time() < limit:
            await pilot.pause(0.01)
        assert screen._ready and model.warmed
        expected = [d for d in agenda(app.clients.values()) if d.kind == "review"]
        assert expected, "the generated clients have reviews due"
        assert screen.table.display and screen.table.row_count == len(expected)
        assert [d.due for d in screen._shown] == [d.due for d in expected]


def failing_warm_up(monkeypatch) -> None:
    """A bug in working out the cards ahead of time: the third slice raises."""
    from offboard.tui.board.model import BoardModel

    warm = BoardModel.warm

    def broken(self, budget, prepare=None):
        for n, step in enumerate(warm(self, budget, prepare)):
            if n == 2:
                raise RuntimeError("a card the warm-up cannot prepare")
            yield step

    monkeypatch.setattr(BoardModel, "warm", broken)


async def test_a_warm_up_that_fails_says_so_and_the_board_goes_on(
    tmp_path: Path, make_app, monkeypatch
) -> None:
    """An unexpected error in the board's warm-up (a worker that hides its errors) is told,
    not swallowed, and the board still answers its keys."""
    from offboard.demo import generate_clients, write_clients

    path = tmp_path / "many.json"
    write_clients(path, generate_clients(300, TODAY, seed=5))
    failing_warm_up(monkeypatch)
    monkeypatch.setattr("offboard.tui.board.warmup.WARM_UP_SECONDS", 0.01)
    app = make_app(path)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        limit = asyncio.get_running_loop().time() + 10
        while not board.warm_up.done and asyncio.get_running_loop().time() < limit:
            await pilot.pause(0.01)
        assert board.warm_up.done and not board.model.warmed
        told = [n for n in app._notifications if n.severity == "error"]
        assert told and "a card the warm-up cannot prepare" in told[0].message
        assert "please report this" in told[0].message
        focused = board.model.focused_id()
        await pilot.press("j")
        assert board.model.focused_id() != focused  # the board still answers


async def test_an_agenda_whose_deadlines_cannot_be_worked_out_says_so(
    tmp_path: Path, make_app, monkeypatch
) -> None:
    """Opened before the warm-up ends, the agenda helps it along; an unexpected error there
    is shown on the agenda, in place of a note that would say it is still working."""
    from offboard.demo import generate_clients, write_clients

    path = tmp_path / "many.json"
    write_clients(path, generate_clients(300, TODAY, seed=5))
    failing_warm_up(monkeypatch)
    monkeypatch.setattr("offboard.tui.board.warmup.WARM_UP_SECONDS", 60.0)
    monkeypatch.setattr("offboard.tui.screens.agenda.WAIT_SLICE", 2)
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        app.post_message(events.Key("t", "t"))
        limit = asyncio.get_running_loop().time() + 10

        def note() -> str:
            screen = app.screen
            if not isinstance(screen, AgendaScreen) or not screen.query("#agenda-empty"):
                return ""
            return str(screen.query_one("#agenda-empty", Static).render())

        while "could not be worked out" not in note():
            assert asyncio.get_running_loop().time() < limit, note()
            await pilot.pause(0.01)
        assert "a card the warm-up cannot prepare" in note()
        assert "Working out" not in note()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


async def test_agenda_marks_overdue_rows(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_agenda(app, pilot)
        table = screen.table
        overdue = [d for d in agenda(app.clients.values()) if d.days(TODAY) < 0]
        assert overdue
        countdowns = column(table, "countdown")
        for deadline in overdue:
            assert f"{-deadline.days(TODAY)}d overdue" in deadline.countdown(TODAY)
            assert deadline.countdown(TODAY) in countdowns
        assert "invoice 48d overdue" in countdowns
        first = table.cells(0)[2]
        assert str(first.style.color.name).lower() == app.theme_variables["text-error"].lower()
        summary = str(screen.query_one("#agenda-summary", Static).render())
        assert f"{len(overdue)} overdue" in summary


async def test_agenda_fits_80x24(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_agenda(app, pilot)
        table = screen.table
        # Narrow: no week column, and nothing needs a sideways scroll.
        assert "week" not in [c.key for c in table.columns]
        assert sum(c.width + 2 for c in table.columns) <= table.scrollable_content_region.width
        assert table.row_count == len(agenda(app.clients.values()))


async def test_agenda_draws_the_rows_in_view_and_follows_the_cursor(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_agenda(app, pilot)
        table = screen.table
        expected = agenda(app.clients.values())
        height = table.scrollable_content_region.height
        assert "Countdown" in table.render_line(0).text
        assert expected[0].countdown(TODAY) in table.render_line(1).text
        assert len(expected) > height, "the demo agenda is longer than the screen"
        await pilot.press("end")
        assert screen.highlighted == expected[-1]
        assert table.scroll_offset.y > 0
        assert expected[-1].countdown(TODAY) in table.render_line(height - 1).text
        await pilot.press("home")
        assert screen.highlighted == expected[0]
        assert table.scroll_offset.y == 0
        await pilot.press("pagedown")
        assert screen.highlighted == expected[height - 1]
        await pilot.press("k", "up", "j")
        assert screen.highlighted == expected[height - 2]


async def test_agenda_filters_by_kind(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_agenda(app, pilot)
        invoices = [d for d in agenda(app.clients.values()) if d.kind == "invoice"]
        await pilot.press("3")
        assert screen.table.row_count == len(invoices)
        assert all("invoice" in c for c in column(screen.table, "countdown"))
        await pilot.press("3")
        assert screen.table.row_count == len(agenda(app.clients.values()))
        await pilot.press("1", "0")
        assert screen.table.row_count == len(agenda(app.clients.values()))


async def test_agenda_enter_opens_the_client(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_agenda(app, pilot)
        await pilot.press("down", "down")
        wanted = agenda(app.clients.values())[2]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        assert app.screen.client_id == wanted.client_id
        app.pop_screen()
        await pilot.pause()
        assert app.screen is screen


async def test_agenda_closes_with_escape_and_t(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        under = app.screen
        await open_agenda(app, pilot)
        await pilot.press("escape")
        assert app.screen is under
        await open_agenda(app, pilot)
        await pilot.press("t")
        assert app.screen is under


async def test_agenda_shows_an_outside_change_and_keeps_the_cursor(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_agenda(app, pilot)
        before = agenda(app.clients.values())
        # Put the cursor on a deadline after the one that is about to appear.
        target = before[-1]
        for _ in range(len(before)):
            await pilot.press("down")
        assert screen.highlighted == target

        juniper = outside(demo_db).resolve("Juniper")
        outside(demo_db).add_invoice(juniper.id, "JV-2000", "900", due=TODAY + dt.timedelta(days=1))
        app.saver.refresh_if_changed()
        await settle(app, pilot)

        assert screen.table.row_count == len(before) + 1
        countdowns = column(screen.table, "countdown")
        assert "invoice in 1d" in countdowns
        whats = column(screen.table, "what")
        assert any("JV-2000" in w for w in whats)
        assert screen.highlighted == target


async def test_agenda_redraws_countdowns_when_the_day_changes(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_agenda(app, pilot)
        assert "invoice 48d overdue" in column(screen.table, "countdown")
        app.today = TODAY + dt.timedelta(days=1)
        screen.post_message(DayChanged())
        await pilot.pause()
        assert "invoice 49d overdue" in column(screen.table, "countdown")


async def test_agenda_redraws_when_it_comes_back(demo_db: Path, make_app) -> None:
    """A change while another screen covers the agenda shows when the agenda is back."""
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_agenda(app, pilot)
        before = screen.table.row_count
        await app.push_screen(Marked())
        outside(demo_db).add_invoice("Juniper", "JV-3000", "10", due=TODAY)
        app.saver.refresh_if_changed()
        await settle(app, pilot)
        app.pop_screen()
        await pilot.pause()
        assert app.screen is screen
        assert screen.table.row_count == before + 1
        assert "invoice today" in column(screen.table, "countdown")


async def test_agenda_without_deadlines_says_so(empty_db: Path, make_app) -> None:
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_agenda(app, pilot)
        assert screen.table.row_count == 0
        assert not screen.table.display
        empty = screen.query_one("#agenda-empty", Static)
        assert empty.display
        assert "Nothing is due" in str(empty.render())
        await pilot.press("enter")  # nothing to open; no error
        assert app.screen is screen


# --- help ----------------------------------------------------------------------------------


async def test_help_lists_every_app_key(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        sections = {s.title: s for s in help_screen.sections}
        assert "App" in sections
        app_keys = {k for line in sections["App"].lines for k in line.keys}
        for key, binding in app._bindings:
            if binding.system:
                continue
            assert app.get_key_display(binding) in app_keys, key
        text = help_screen.as_text()
        for words in ("Undo", "Quit", "Command palette", "Show help"):
            assert words in text
        assert "Stages and gates" in str(help_screen.query_one(".help-heading", Static).render())


async def test_help_lists_the_keys_of_the_screen_below(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(Marked())
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        first = help_screen.sections[0]
        assert first.title == "Testing"
        lines = {line.description: line.keys for line in first.lines}
        assert lines["Poke the test screen"] == ["x"]
        assert lines["Another test key"] == ["y", "Y"]
        # Textual's own screen keys (tab, copy) are not offboard's to explain.
        assert not any("Focus" in d for d in lines)


async def test_help_shows_remapped_keys(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_keymap({"undo": "ctrl+u", "test.poke": "p"})
        await app.push_screen(Marked())
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        sections = {s.title: s for s in help_screen.sections}
        undo = [line.keys for line in sections["App"].lines if line.description == "Undo"]
        assert undo == [["^u"]]
        poke = [line for line in sections["Testing"].lines if "Poke" in line.description]
        assert poke[0].keys == ["p"]


async def test_help_over_the_agenda_and_board(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        await open_agenda(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        titles = [s.title for s in help_screen.sections]
        assert titles[0] == "Agenda"
        assert titles[-1] == "App"
        agenda_keys = {k for line in help_screen.sections[0].lines for k in line.keys}
        assert {"esc", "t", "1", "2", "3", "4", "0"} <= agenda_keys
        assert isinstance(board, BoardScreen)
        assert titles == ["Agenda", "Board", "App"]


async def test_help_closes_with_escape_question_mark_and_q(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        under = app.screen
        for key in ("escape", "question_mark", "q"):
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is under
        assert app.is_running  # q closed the help, not the app


# --- command palette -----------------------------------------------------------------------


async def test_palette_jumps_to_a_client(demo_db: Path, make_app) -> None:
    app = with_palette(make_app(demo_db))
    async with app.run_test(size=(80, 24)) as pilot:
        marked = Marked()
        await app.push_screen(marked)
        client = next(c for c in app.clients.values() if c.name.startswith("Brightmoss"))
        await palette_pick(pilot, "brightmoss", jump_title(client))
        assert app.screen is marked
        assert marked.focused_client == client.id


async def test_palette_jump_opens_the_client_where_there_is_no_card(
    demo_db: Path, make_app
) -> None:
    app = with_palette(make_app(demo_db))
    async with app.run_test(size=(160, 48)) as pilot:
        await open_agenda(app, pilot)
        client = next(c for c in app.clients.values() if c.name.startswith("Saltmarsh"))
        await palette_pick(pilot, "saltmarsh", jump_title(client))
        assert isinstance(app.screen, ClientScreen)
        assert app.screen.client_id == client.id


async def test_palette_lists_actions_when_empty(demo_db: Path, make_app) -> None:
    app = with_palette(make_app(demo_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        texts: list[str] = []
        for _ in range(100):
            await pilot.pause(0.02)
            command_list = app.screen.query_one(CommandList)
            texts = [
                str(command_list.get_option_at_index(i).hit.text)
                for i in range(command_list.option_count)
            ]
            if "Undo" in texts and "Show help" in texts:
                break
        assert {"Undo", "Show help"} <= set(texts)
        assert {
            "New client",
            "Log a red flag",
            "Start a repair attempt",
            "Show the agenda",
            "Filter the board",
            "Toggle archived clients",
        } <= set(texts)
        assert not any(t.startswith("Jump to client") for t in texts)


async def test_palette_runs_app_actions(demo_db: Path, make_app) -> None:
    app = with_palette(make_app(demo_db))
    async with app.run_test(size=(80, 24)) as pilot:
        marked = Marked()
        await app.push_screen(marked)
        await palette_pick(pilot, "show help", "Show help")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.sections[0].title == "Testing"


async def test_palette_runs_the_screens_own_footer_keys(demo_db: Path, make_app) -> None:
    app = with_palette(make_app(demo_db))
    async with app.run_test(size=(80, 24)) as pilot:
        marked = Marked()
        await app.push_screen(marked)
        await palette_pick(pilot, "poke", "Testing: Poke the test screen")
        assert marked.poked == 1


async def test_palette_board_action_goes_back_to_the_board(demo_db: Path, make_app) -> None:
    app = with_palette(make_app(demo_db))
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        await app.push_screen(Marked())
        await palette_pick(pilot, "agenda", "Show the agenda")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        assert app.screen_stack[-2] is board
        # From the agenda itself, "Show the agenda" is not offered again.
        await pilot.press("ctrl+p")
        await pilot.press(*"show the agenda")
        for _ in range(20):
            await pilot.pause(0.02)
        command_list = app.screen.query_one(CommandList)
        # (The "No matches found" line, shown at once, is no hit.)
        texts = [str(option.hit.text) for option in command_list.options if hasattr(option, "hit")]
        assert "Show the agenda" not in texts


async def test_palette_shows_names_as_typed(tmp_path: Path, make_app) -> None:
    """A client name that looks like markup is shown as text and can still be found."""
    path = tmp_path / "odd.json"
    created = outside(path).add_client("[b]Bold[/b] & Co")
    app = with_palette(make_app(path))
    async with app.run_test(size=(80, 24)) as pilot:
        marked = Marked()
        await app.push_screen(marked)
        client = app.clients[created.id]
        await palette_pick(pilot, "bold", jump_title(client))
        assert marked.focused_client == client.id


# --- opening a client, with a stand-in client screen ---------------------------------------


class FakeClientScreen(Screen[None]):
    def __init__(self, client_id: str, *, tab: str | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.tab = tab

    def compose(self):
        yield Static(self.client_id)


@pytest.fixture
def fake_client_screen(monkeypatch: pytest.MonkeyPatch) -> type[FakeClientScreen]:
    """The app opens ClientScreen when asked (OpenClient), importing it then; this stands in
    for it, so the agenda's and the palette's asking is tested on its own."""
    module = types.ModuleType("offboard.tui.client.screen")
    module.ClientScreen = FakeClientScreen  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "offboard.tui.client.screen", module)
    return FakeClientScreen


async def test_agenda_enter_pushes_the_client_screen(
    demo_db: Path, make_app, fake_client_screen
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_agenda(app, pilot)
        await pilot.press("j", "j", "j", "k")
        wanted = agenda(app.clients.values())[2]
        assert screen.highlighted == wanted
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, fake_client_screen)
        assert app.screen.client_id == wanted.client_id


async def test_palette_jump_from_the_agenda_opens_the_client(
    demo_db: Path, make_app, fake_client_screen
) -> None:
    app = with_palette(make_app(demo_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agenda(app, pilot)
        client = next(c for c in app.clients.values() if c.name.startswith("Kahvila"))
        await palette_pick(pilot, "kahvila", jump_title(client))
        assert isinstance(app.screen, fake_client_screen)
        assert app.screen.client_id == client.id


async def test_agenda_click_moves_the_cursor_and_a_second_click_opens(
    demo_db: Path, make_app, fake_client_screen
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_agenda(app, pilot)
        wanted = agenda(app.clients.values())[3]
        await pilot.click("#agenda-table", offset=(20, 4))  # line 0 is the header
        assert screen.highlighted == wanted
        assert app.screen is screen
        await pilot.click("#agenda-table", offset=(20, 4))
        await pilot.pause()
        assert isinstance(app.screen, fake_client_screen)
        assert app.screen.client_id == wanted.client_id


async def test_help_puts_stages_beside_the_keys_when_wide(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.query_one("#help-side").display
        inline = help_screen.query(".help-heading.-inline").first()
        assert not inline.display
        dialog = help_screen.query_one("#help-dialog")
        assert dialog.region.height <= 48
        assert "Stages and gates" in str(help_screen.query_one(".-side", Static).render())


async def test_agenda_adds_the_week_column_when_the_terminal_grows(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_agenda(app, pilot)
        await pilot.press("j", "j")
        wanted = screen.highlighted
        assert "week" not in [c.key for c in screen.table.columns]
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        assert screen.table.columns[0].key == "week"
        assert screen.highlighted == wanted
        width = screen.table.scrollable_content_region.width
        assert sum(c.width + 2 for c in screen.table.columns) <= width

"""The rough edges a new user meets on the board, driven by Pilot on a real database file:
the first run, a filter that hides everything, card keys on an empty column, focus that stays
in view, the soft gate's list of open items and the decision form's missing default. Ends
with snapshots of the first-run board and of the soft-gate dialog."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static
from tuikit import TODAY, settle

from offboard.checklists import load_checklists
from offboard.domain.clock import FixedClock
from offboard.domain.models import Stage
from offboard.domain.stages import check_move
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.app import OffboardApp
from offboard.tui.board.empty import EmptyBoard
from offboard.tui.board.model import COLUMNS
from offboard.tui.board.screen import BoardScreen
from offboard.tui.dialogs import LISTED, ConfirmScreen
from offboard.tui.forms import DecisionForm

PREPARATION_ITEMS = (
    "termination-clause",
    "obligations",
    "documentation",
    "collect-first",
    "legal-advice",
    "timing",
    "channel",
    "talking-points",
    "referrals",
)


def outside(path: Path) -> Services:
    """Another process on the same file (a CLI command, a second terminal)."""
    return Services(
        TinyRepository(path), FixedClock(TODAY), actor="outside", checklists=load_checklists()
    )


def board(app) -> BoardScreen:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return screen


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def texts(screen, selector: str) -> list[str]:
    return [str(w.render()) for w in screen.query(selector).results(Static)]


def empty_note(app) -> EmptyBoard | None:
    found = list(board(app).query(EmptyBoard))
    return found[0] if found and found[0].display else None


def note_text(note: EmptyBoard) -> str:
    title = str(note.query_one("#board-empty-title", Static).render())
    return title + "\n" + str(note.query_one("#board-empty-text", Static).render())


def to_notice(s: Services, name: str, ticked: tuple[str, ...] = ()) -> None:
    """A client with notice given, and these preparation checklist items done."""
    client = s.add_client(name)
    s.decide(client.id, "offboard", "the work no longer fits")
    s.assess(client.id, revenue="1000", hours="40")
    s.move(client.id, "preparation")
    for item in ticked:
        s.set_checklist_item(client.id, "preparation", item, "done")
    s.record_conversation(client.id, TODAY - dt.timedelta(days=2), "phone", "14 days")
    s.move(client.id, "notice", force=True)  # no letter recorded as sent: a soft gate


@pytest.fixture
def notice_db(tmp_path: Path) -> Path:
    """Two clients in notice: one with three preparation items open, one with all nine."""
    path = tmp_path / "notice.json"
    s = outside(path)
    to_notice(s, "Echo Three Open", PREPARATION_ITEMS[:6])
    to_notice(s, "Foxtrot All Open")
    return path


@pytest.fixture
def late_db(tmp_path: Path) -> Path:
    """Clients only in settlement, a column off screen at 80 columns."""
    path = tmp_path / "late.json"
    s = outside(path)
    to_notice(s, "Golf Late")
    s.move("golf", "settlement", force=True)
    return path


def column_in_view(screen: BoardScreen, stage: Stage) -> bool:
    view = screen.view
    region = view.column_region(stage)
    return region.x >= 0 and region.right <= view.scrollable_content_region.width


# --- the first run and a filter that hides everything ------------------------------------------


async def test_first_run_says_what_to_do_first(empty_db, make_app) -> None:
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        note = empty_note(app)
        assert note is not None and not board(app).view.display
        text = note_text(note)
        assert "No clients yet" in text
        assert "Press n to add your first client" in text
        # The sender a letter needs: the settings screen's key, or the command.
        assert "Settings (press ,)" in text and "offboard config init" in text

        # Once a client exists, the columns appear.
        outside(empty_db).add_client("Hotel First")
        app.saver.refresh_if_changed()
        await settle(app, pilot)
        assert empty_note(app) is None and board(app).view.display
        assert board(app).model.focused().name == "Hotel First"


async def test_first_run_names_the_key_as_remapped(empty_db, make_app) -> None:
    app = make_app(empty_db)
    app.set_keymap({"board.new": "plus"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        note = empty_note(app)
        assert note is not None
        assert "Press + to add your first client" in note_text(note)


async def test_first_run_leaves_out_the_sender_once_it_is_set(empty_db, make_app) -> None:
    config = Path(os.environ["OFFBOARD_CONFIG"])
    config.write_text('[sender]\nname = "Ada Lane"\nemail = "ada@example.com"\n')
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        note = empty_note(app)
        assert note is not None
        text = note_text(note)
        assert "Press n to add your first client" in text
        assert "offboard config init" not in text


async def test_a_filter_that_hides_everything_says_so(demo_db, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zzqx", "enter")
        await pilot.pause()
        note = empty_note(app)
        assert note is not None and not board(app).view.display
        text = note_text(note)
        assert "No client matches “zzqx”" in text and "escape" in text
        assert "No clients yet" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert empty_note(app) is None and board(app).view.display


# --- card keys where there is no card ----------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("w", "to write to"),
        ("f", "to log a red flag for"),
        ("r", "to start a repair attempt for"),
        ("enter", "to open"),
        ("shift+right", "to move"),
        ("less_than_sign", "to move"),
    ],
)
async def test_card_keys_on_an_empty_column_say_why(key, words, notice_db, make_app) -> None:
    app = make_app(notice_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        assert screen.model.stage is Stage.NOTICE
        await pilot.press("h")  # preparation: empty
        assert screen.model.stage is Stage.PREPARATION
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is screen  # nothing opened
        assert f"No client in Preparation {words}." in notices(app)


async def test_card_keys_on_an_empty_board_point_to_adding_a_client(empty_db, make_app) -> None:
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert "No client to write to yet: press n to add one." in notices(app)


# --- focus: where it starts, and in view after a resize ----------------------------------------


async def test_focus_starts_on_the_first_non_empty_column_in_view(late_db, make_app) -> None:
    app = make_app(late_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = board(app)
        assert screen.model.stage is Stage.SETTLEMENT
        assert screen.model.focused().name == "Golf Late"
        assert column_in_view(screen, Stage.SETTLEMENT)


async def test_after_a_resize_the_focused_column_stays_in_view(demo_db, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        screen = board(app)
        for _ in COLUMNS:
            await pilot.press("l")
        assert screen.model.stage is Stage.CLOSED
        for size in ((80, 24), (100, 30), (60, 20), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            assert column_in_view(screen, Stage.CLOSED), size
        # And back at the first column after a resize the other way.
        for _ in COLUMNS:
            await pilot.press("h")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.pause()
        assert column_in_view(screen, COLUMNS[0])
        assert screen.view.scroll_x == 0


# --- the soft gate lists what is open ----------------------------------------------------------


async def soft_gate(app, pilot, name: str) -> ConfirmScreen:
    screen = board(app)
    client = next(c for c in app.clients.values() if c.name == name)
    screen.action_focus_client(client.id)
    await pilot.press("shift+right")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ConfirmScreen)
    return dialog


async def test_soft_gate_dialog_lists_the_open_items(notice_db, make_app) -> None:
    app = make_app(notice_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        dialog = await soft_gate(app, pilot, "Echo Three Open")
        (line,) = texts(dialog, ".dialog-line")
        assert line.startswith("• 3 preparation checklist item") and line.endswith("still open")
        # The three items themselves, in the checklist's order.
        client = next(c for c in app.clients.values() if c.name == "Echo Three Open")
        (warning,) = check_move(client, Stage.HANDOVER, app.services.checklists).warnings
        assert len(warning.items) == 3
        assert texts(dialog, ".dialog-item") == [f"– {item}" for item in warning.items]
        assert "– Have two or three other providers ready to suggest" in texts(
            dialog, ".dialog-item"
        )
        await pilot.press("n")
        await pilot.pause()


async def test_a_long_list_shows_the_first_items_and_how_many_more(notice_db, make_app) -> None:
    app = make_app(notice_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = await soft_gate(app, pilot, "Foxtrot All Open")
        client = next(c for c in app.clients.values() if c.name == "Foxtrot All Open")
        (warning,) = check_move(client, Stage.HANDOVER, app.services.checklists).warnings
        items = texts(dialog, ".dialog-item")
        assert items[:LISTED] == [f"– {item}" for item in warning.items[:LISTED]]
        assert items[LISTED:] == [f"– and {len(warning.items) - LISTED} more"]
        # Readable at 80x24: the question and both buttons are on screen.
        for button in ("#yes", "#no"):
            region = dialog.query_one(button).region
            assert region.height and region.bottom <= 24
        await pilot.press("y")
        await settle(app, pilot)
        assert TinyRepository(notice_db).get(client.id).stage is Stage.HANDOVER


# --- the decision form: no default choice ------------------------------------------------------


async def test_decision_form_makes_the_user_choose(tmp_path, make_app) -> None:
    path = tmp_path / "undecided.json"
    outside(path).add_client("India Undecided")
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "D")  # the client screen, then its decision key
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionForm)
        assert form.query_one("#field-decision", Select).value is Select.NULL
        reason = form.query_one("#field-reason", Input)
        reason.value = "Payments arrive later every month."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        row = form.query_one("#row-decision")
        assert row.has_class("-error")
        assert "Choose keep, repair or offboard." in str(row.query_one(".field-msg").render())
    assert path.read_bytes() == before  # nothing saved, the card not closed as retained


# --- snapshots ---------------------------------------------------------------------------------


def snapshot_app(path: Path) -> OffboardApp:
    app = OffboardApp(path, FixedClock(TODAY), watch=False)
    app.animation_level = "none"
    app.sub_title = "offboard.json"  # not the temporary folder, which changes every run
    return app


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_first_run_board_snapshot(snap_compare, empty_db: Path, size) -> None:
    assert snap_compare(snapshot_app(empty_db), terminal_size=size)


def test_soft_gate_dialog_with_listed_items_snapshot(snap_compare, notice_db: Path) -> None:
    async def run_before(pilot) -> None:
        await pilot.pause()
        await soft_gate(pilot.app, pilot, "Foxtrot All Open")

    assert snap_compare(snapshot_app(notice_db), run_before=run_before, terminal_size=(80, 24))

"""The board, driven by Pilot on a real database file: focus, every kind of gate, undo,
filter, outside changes, and what happens when a save fails."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from textual.widgets import Input
from tuikit import TODAY, settle

from offboard.domain.clock import FixedClock
from offboard.domain.models import Stage
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.board.model import COLUMNS
from offboard.tui.board.screen import BoardScreen
from offboard.tui.dialogs import ConfirmScreen, ReasonScreen


def outside(path: Path) -> Services:
    """Another process on the same file (a CLI command, a second terminal)."""
    return Services(TinyRepository(path), FixedClock(TODAY), actor="outside")


def stored(path: Path, name: str):
    return outside(path).resolve(name)


def board(app) -> BoardScreen:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return screen


@pytest.fixture
def gates_db(tmp_path: Path) -> Path:
    """Clients set up so that each kind of gate is met once."""
    path = tmp_path / "gates.json"
    s = outside(path)
    s.add_client("Alpha Blocked")  # no decision: the preparation gate is hard
    s.add_client("Bravo Unassessed")
    s.decide("bravo", "offboard", "the work no longer fits")  # soft: no assessment
    s.add_client("Charlie Ready")
    s.decide("charlie", "offboard", "the account loses money")
    s.assess("charlie", revenue="2000", hours="80")  # clean move
    s.add_client("Delta Notified")
    s.decide("delta", "offboard", "payments keep arriving late")
    s.assess("delta", revenue="900", hours="40")
    s.move("delta", "preparation")
    s.record_conversation("delta", TODAY - dt.timedelta(days=2), "phone", "14 days")
    s.move("delta", "notice", force=True)  # backward from here needs a reason
    return path


async def test_first_card_of_first_non_empty_column_has_focus(demo_db, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        model = board(app).model
        first = next(s for s in COLUMNS if model.columns[s])
        assert model.stage is first and model.row() == 0
        assert model.focused_card() is model.columns[first][0]


async def test_keys_move_focus_and_stop_at_the_edges(demo_db, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        model = board(app).model
        await pilot.press("l", "l")
        assert model.stage is COLUMNS[2]
        await pilot.press("right", "h")
        assert model.stage is COLUMNS[2]
        await pilot.press("j")
        assert model.row() == 1
        await pilot.press("down", "down", "down")
        assert model.row() == len(model.columns[model.stage]) - 1
        await pilot.press("k", "up", "up", "up")
        assert model.row() == 0
        for _ in range(10):
            await pilot.press("left")
        assert model.col == 0
        for _ in range(10):
            await pilot.press("l")
        assert model.stage is Stage.CLOSED
        # At 80 columns the board scrolls sideways so the focused column stays in view.
        view = board(app).view
        column = view.column_region(Stage.CLOSED)
        assert column.right <= view.size.width
        assert column.x >= 0


async def test_hard_gate_shows_what_is_missing_and_does_not_move(gates_db, make_app) -> None:
    before = gates_db.read_bytes()
    app = make_app(gates_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        screen.action_focus_client(stored(gates_db, "alpha").id)
        await pilot.press("shift+right")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("decision to offboard" in m for m in messages)
        assert screen.model.focused().stage is Stage.ASSESSMENT
    assert gates_db.read_bytes() == before


async def test_soft_gate_asks_and_records_the_override(gates_db, make_app) -> None:
    app = make_app(gates_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        screen.action_focus_client(stored(gates_db, "bravo").id)
        await pilot.press("greater_than_sign")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert stored(gates_db, "bravo").stage is Stage.ASSESSMENT
        await pilot.press("greater_than_sign")
        await pilot.press("y")
        await settle(app, pilot)
    client = stored(gates_db, "bravo")
    assert client.stage is Stage.PREPARATION
    assert "overriding: the cost-benefit assessment is not filled in" in client.history[-1].summary


async def test_clean_move_goes_through_without_a_question(gates_db, make_app) -> None:
    app = make_app(gates_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        charlie = stored(gates_db, "charlie")
        screen.action_focus_client(charlie.id)
        await pilot.press("shift+right")
        # The card moves before the save: focus follows it into the next column at once.
        assert screen.model.stage is Stage.PREPARATION
        assert screen.model.focused_id() == charlie.id
        await settle(app, pilot)
        assert not screen.model.overlays
    assert stored(gates_db, "charlie").stage is Stage.PREPARATION


async def test_moving_back_from_notice_needs_a_reason(gates_db, make_app) -> None:
    app = make_app(gates_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        board(app).action_focus_client(stored(gates_db, "delta").id)
        await pilot.press("shift+left")
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert stored(gates_db, "delta").stage is Stage.NOTICE
        await pilot.press("shift+left")
        await pilot.press("enter")  # empty reason: refused, the dialog stays
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press(*"they signed a new contract")
        await pilot.press("enter")
        await settle(app, pilot)
    client = stored(gates_db, "delta")
    assert client.stage is Stage.PREPARATION
    assert "because: they signed a new contract" in client.history[-1].summary


async def test_undo_takes_back_a_move(gates_db, make_app) -> None:
    app = make_app(gates_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        charlie = stored(gates_db, "charlie")
        screen.action_focus_client(charlie.id)
        await pilot.press("shift+right")
        await settle(app, pilot)
        assert stored(gates_db, "charlie").stage is Stage.PREPARATION
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert stored(gates_db, "charlie").stage is Stage.ASSESSMENT
        assert screen.model.focused_id() == charlie.id
        assert screen.model.stage is Stage.ASSESSMENT


async def test_filter_narrows_the_board_as_you_type(demo_db, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        model = board(app).model
        total = sum(len(c) for c in model.columns.values())
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"non-payer")
        shown = [c for col in model.columns.values() for c in col]
        assert shown and len(shown) < total
        # The focused card was filtered out: focus goes to the first card that matches.
        assert model.focused() is not None and model.focused().archetype.value == "non-payer"
        assert all(c.client.archetype and c.client.archetype.value == "non-payer" for c in shown)
        await pilot.press("enter")  # keep the filter, give the keys back to the board
        assert app.focused is None
        await pilot.press("escape")
        assert sum(len(c) for c in model.columns.values()) == total


async def test_outside_change_is_picked_up_without_losing_focus(demo_db, make_app) -> None:
    app = make_app(demo_db, watch=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        model = board(app).model
        await pilot.press("l", "j")
        focused = model.focused_id()
        outside(demo_db).add_client("Aardvark Outside Ltd")
        # The app looks every 2 seconds; give it a little longer than that.
        await pilot.pause(2.6)
        await settle(app, pilot)
        names = [c.name for c in model.columns[Stage.ASSESSMENT]]
        assert "Aardvark Outside Ltd" in names
        assert model.focused_id() == focused


async def test_stale_move_is_refused_and_the_board_shows_the_stored_state(
    gates_db, make_app
) -> None:
    app = make_app(gates_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        charlie = stored(gates_db, "charlie")
        screen.action_focus_client(charlie.id)
        # Another process changes Charlie after the board loaded it.
        outside(gates_db).log_flag("charlie", "time", "Cancelled the review call again")
        await pilot.press("shift+right")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("changed elsewhere" in m for m in messages)
        assert screen.model.focused().stage is Stage.ASSESSMENT
        assert len(screen.model.focused().flags) == 1
    assert stored(gates_db, "charlie").stage is Stage.ASSESSMENT


async def test_a_refused_move_is_put_back_with_its_message_not_later(
    gates_db, make_app, monkeypatch
) -> None:
    """The card goes back when the refusal is told, not when the next snapshot (which may
    never come if reading fails too) reaches the board."""
    app = make_app(gates_db)
    charlie = stored(gates_db, "charlie").id
    seen: list[tuple[Stage, bool]] = []
    deliver = app._failed

    def failed(op, error, retry) -> None:
        deliver(op, error, retry)
        seen.append((board(app).model.cards[charlie].stage, charlie in board(app).view.pending))

    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(app.saver, "_on_failed", failed)
        board(app).action_focus_client(charlie)
        outside(gates_db).log_flag("charlie", "time", "Moved the review call once more")
        await pilot.press("shift+right")
        await settle(app, pilot)
        assert seen == [(Stage.ASSESSMENT, False)]


async def test_failed_save_keeps_the_move_as_unsaved_until_retried(gates_db, make_app) -> None:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed, so the folder cannot be made read-only for root")
    app = make_app(gates_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        charlie = stored(gates_db, "charlie")
        screen.action_focus_client(charlie.id)
        done = subprocess.run(["chattr", "+i", str(gates_db.parent)], capture_output=True)
        try:
            if done.returncode != 0:
                pytest.skip("chattr +i is not permitted here")
            await pilot.press("shift+right")
            await settle(app, pilot)
            assert charlie.id in screen.model.unsaved
            assert screen.model.focused().stage is Stage.PREPARATION
            assert any("Not saved" in (n.title or "") for n in app._notifications)
        finally:
            subprocess.run(["chattr", "-i", str(gates_db.parent)], capture_output=True)
        assert stored(gates_db, "charlie").stage is Stage.ASSESSMENT
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not screen.model.unsaved
    assert stored(gates_db, "charlie").stage is Stage.PREPARATION


async def test_closed_column_shows_recent_and_a_toggles_all(tmp_path: Path, make_app) -> None:
    path = tmp_path / "closed.json"
    s = outside(path)
    for n in range(12):
        s.add_client(f"Kept {n:02d}")
        s.decide(f"kept {n:02d}", "keep", "the repair worked")
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        model = board(app).model
        assert 0 < len(model.columns[Stage.CLOSED]) < 12
        await pilot.press("a")
        assert len(model.columns[Stage.CLOSED]) == 12


async def test_clicking_a_card_focuses_it(demo_db, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        model = board(app).model
        target = model.columns[Stage.NOTICE][1]
        column = board(app).view.column_region(Stage.NOTICE)
        # Past the column's gutter cell and its title row, on the second card's second line.
        await pilot.click("#board", offset=(column.x + 1 + 3, 1 + 4 + 1))
        assert model.focused_id() == target.id


async def test_quitting_with_a_save_in_flight_does_not_stall(gates_db, make_app) -> None:
    """Quitting waits for the save, but must not deadlock with the writer thread, which hands
    its result back through the event loop (this stalled for 10 s before the fix)."""
    app = make_app(gates_db)
    charlie = stored(gates_db, "charlie").id

    def slow_save(services: Services):
        time.sleep(0.5)  # a large database: the save is still running when the user quits
        return services.add_lesson(
            charlie, "contract-clause", "Agree on a change-order process up front"
        )

    async def session() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            app.submit("recording lessons", slow_save)
            app.exit()

    # A deadlock blocks the event loop itself, so only the wall clock can see it: a stall
    # lasts the full 10 s wait, a clean quit well under a second after the 0.5 s save.
    started = time.monotonic()
    await session()
    assert time.monotonic() - started < 5
    assert stored(gates_db, "charlie").lessons[0].text.startswith("Agree on a change-order")


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    from offboard.demo import generate_clients, write_clients

    path = tmp_path / "big.json"
    write_clients(path, generate_clients(400, TODAY, seed=3))
    return path


async def test_first_paint_decodes_only_the_cards_on_screen(big_db, make_app) -> None:
    app = make_app(big_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        model = board(app).model
        assert sum(len(c) for c in model.columns.values()) > 300
        # Every card is placed, but only the few dozen drawn were decoded into Clients.
        decoded = [card for card in model.cards.values() if card._client is not None]
        assert 0 < len(decoded) <= 7 * 9
        # Moving focus further down decodes the cards that scroll into view, as they do.
        await pilot.press("pagedown", "pagedown", "pagedown")
        focused = model.focused_card()
        assert focused is not None and focused._client is not None


async def test_services_and_filter_box_wait_until_needed(demo_db, make_app, monkeypatch) -> None:
    monkeypatch.setattr("offboard.tui.app.WARM_UP_SECONDS", 60.0)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        # Nothing the first paint does not show: no writer thread, no filter box yet.
        assert app._saver is None and app._services is None
        assert not screen.query("#filter")
        total = sum(len(c) for c in screen.model.columns.values())
        # The box is made by the first `/`; the keys typed right after it land in it.
        await pilot.press("slash", *"non-payer")
        box = screen.query_one("#filter", Input)
        assert box.value == "non-payer" and app.focused is box
        assert 0 < sum(len(c) for c in screen.model.columns.values()) < total
        await pilot.press("escape")
        assert sum(len(c) for c in screen.model.columns.values()) == total
        assert app._saver is None  # filtering reads; it has nothing to save


async def test_writer_is_readied_after_the_first_paint(demo_db, make_app, monkeypatch) -> None:
    """So that the first change does not pay for importing the services."""
    monkeypatch.setattr("offboard.tui.app.WARM_UP_SECONDS", 0.05)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.3)
        assert app._saver is not None


async def test_board_follows_a_save_without_decoding_everything(big_db, make_app) -> None:
    app = make_app(big_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        model = board(app).model
        before = dict(model.cards)
        outside(big_db).add_client("Aardvark Outside Ltd")
        app.saver.refresh_if_changed()
        await settle(app, pilot)
        names = [c.name for c in model.columns[Stage.ASSESSMENT]]
        assert "Aardvark Outside Ltd" in names
        # Cards of unchanged clients stay the same objects (the file was re-read, so their
        # records are new): only what changed is re-placed.
        assert all(model.cards[cid] is card for cid, card in before.items())
        assert sum(card._client is not None for card in model.cards.values()) <= 7 * 9 + 1


# --- the board is one widget: what it draws and where a click lands are its own arithmetic ----


def screen_lines(app) -> list[str]:
    """The text on screen as the compositor has it: stale lines would show up here."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()


def column_text(app, stage: Stage) -> list[str]:
    view = board(app).view
    column = view.column_region(stage)
    top = view.region.y
    lines = screen_lines(app)[top : top + column.height]
    left = view.region.x + max(column.x, 0)
    return [line[left : left + column.width] for line in lines]


async def test_click_in_a_scrolled_column_focuses_the_card_under_the_mouse(
    big_db, make_app
) -> None:
    app = make_app(big_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        model, view = screen.model, screen.view
        stage = Stage.REPAIR
        view.scroll_column(stage, 4 * 10 + 2)  # card 10 starts two rows above the top
        await pilot.pause()
        column = view.column_region(stage)
        # The first row under the title shows card 10's third line; two rows down is card 11.
        await pilot.click("#board", offset=(column.x + 4, 1 + 2))
        assert model.stage is stage and model.focused_id() == model.columns[stage][11].id
        assert view.offsets[stage] == 4 * 10 + 2  # card 11 was in view: nothing scrolled
        assert any(model.columns[stage][11].name[:10] in line for line in column_text(app, stage))
        await pilot.click("#board", offset=(column.x + 4, 1))
        assert model.focused_id() == model.columns[stage][10].id
        assert view.offsets[stage] == 4 * 10  # scrolled just enough to show all of card 10
        # The gutter and the title are not cards.
        await pilot.click("#board", offset=(column.x, 1 + 2))
        await pilot.click("#board", offset=(column.x + 4, 0))
        assert model.focused_id() == model.columns[stage][10].id


async def test_each_column_scrolls_on_its_own(big_db, make_app) -> None:
    app = make_app(big_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        model, view = screen.model, screen.view
        first = model.stage
        others = [s for s in COLUMNS[1:5] if s is not first and model.columns[s]]
        tops = {s: column_text(app, s)[1] for s in others}
        for _ in range(12):
            await pilot.press("j")
        assert view.offsets[first] > 0
        assert all(view.offsets[s] == 0 for s in COLUMNS if s is not first)
        assert all(column_text(app, s)[1] == tops[s] for s in others)
        focused = model.focused_card()
        assert any(focused.name[:10] in line for line in column_text(app, first))
        # The wheel scrolls the column under the mouse, and only that one.
        from textual import events

        target = others[0]
        column = view.column_region(target)
        view.post_message(
            events.MouseScrollDown(view, column.x + 4, 5, 0, 1, 0, False, False, False)
        )
        await pilot.pause()
        assert view.offsets[target] > 0
        assert column_text(app, target)[1] != tops[target]
        # Moving focus left keeps the scrolled column where it was.
        before = view.offsets[first]
        await pilot.press("l", "h")
        assert view.offsets[first] == before


async def test_sideways_scrolling_at_80x24_keeps_focus_in_view(demo_db, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = board(app)
        view = screen.view
        assert view.scroll_x == 0
        for stage in COLUMNS[1:]:
            await pilot.press("l")
            column = view.column_region(stage)
            assert screen.model.stage is stage
            assert column.x >= 0 and column.right <= view.size.width
            # Whole columns only, so none is cut in half at the left edge, until the last
            # column reaches the right edge.
            assert view.scroll_x % view.column_width == 0 or view.scroll_x == view.max_scroll_x
            assert stage.label in column_text(app, stage)[0]
        for stage in reversed(COLUMNS[:-1]):
            await pilot.press("h")
            column = view.column_region(stage)
            assert column.x >= 0 and column.right <= view.size.width
        assert view.scroll_x == 0


async def test_a_move_repaints_both_columns_at_once(gates_db, make_app) -> None:
    app = make_app(gates_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        charlie = stored(gates_db, "charlie")
        screen.action_focus_client(charlie.id)
        await pilot.pause()
        assert any("Charlie Ready" in line for line in column_text(app, Stage.ASSESSMENT))
        assert column_text(app, Stage.PREPARATION)[0].strip() == "Preparation 0"
        await pilot.press("shift+right")
        await pilot.pause()
        # Drawn in its new column at once (the save may or may not have finished by now).
        source, target = column_text(app, Stage.ASSESSMENT), column_text(app, Stage.PREPARATION)
        assert not any("Charlie Ready" in line for line in source)
        assert any("Charlie Ready" in line for line in target)
        assert target[0].strip() == "Preparation 1"
        await settle(app, pilot)
        target = column_text(app, Stage.PREPARATION)
        assert not any("…" in line for line in target if "Charlie" in line)


async def test_filtering_a_scrolled_column_brings_its_cards_back_into_view(
    big_db, make_app
) -> None:
    app = make_app(big_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = board(app)
        model, view = screen.model, screen.view
        view.scroll_column(Stage.REPAIR, view.max_offset(Stage.REPAIR))
        await pilot.pause()
        name = model.columns[Stage.REPAIR][0].name
        await pilot.press("slash", *name, "enter")
        assert model.columns[Stage.REPAIR][0].name == name
        assert view.offsets[Stage.REPAIR] <= view.max_offset(Stage.REPAIR)
        assert any(name[:10] in line for line in column_text(app, Stage.REPAIR))


async def test_a_second_move_before_the_first_is_saved_builds_on_it(gates_db, make_app) -> None:
    # Both moves start from the revision the card was read at; the second must count the
    # first as the user's own, not as a colleague's change, or it is refused as stale.
    import threading

    app = make_app(gates_db)
    hold = threading.Event()
    async with app.run_test() as pilot:
        screen = board(app)
        charlie = stored(gates_db, "charlie")
        screen.action_focus_client(charlie.id)
        app.submit("hold the writer", lambda _s: hold.wait(10))
        await pilot.press("shift+right")
        await pilot.pause()
        await pilot.press("shift+left")
        await pilot.pause()
        hold.set()
        await settle(app, pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == []
        assert not screen.model.overlays and not screen.model.unsaved
        assert screen.model.focused().stage is Stage.ASSESSMENT
    moves = [e.new for e in stored(gates_db, "charlie").history if e.action == "move"]
    assert moves[-2:] == ["preparation", "assessment"]

"""The board's first frame is drawn from a preview of the file (storage/preview.py); the
database opens right after it, before any key is taken. Whatever happens to the file in
between is shown, or reported, as it would have been had it happened before the start."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from tuikit import TODAY, settle

from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.errors import CorruptDatabase
from offboard.storage.preview import RawRecord
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.board.screen import BoardScreen


def outside(path: Path) -> Services:
    return Services(TinyRepository(path), FixedClock(TODAY), actor="outside")


async def test_the_board_is_drawn_from_the_preview_then_opens_the_database(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    preview = app.board_clients()
    assert app.database.repo is None  # nothing parsed yet: the first frame comes from the preview
    async with app.run_test() as pilot:
        await settle(app, pilot)
        board = app.screen
        assert isinstance(board, BoardScreen) and app.database.repo is not None
        assert app.board_clients() is app.clients is not preview
        # Every card now reads the repository's records: the file's bytes are let go.
        cards = board.model.cards.values()
        assert cards and not any(isinstance(card._record, RawRecord) for card in cards)
        assert {cid: card.client for cid, card in board.model.cards.items()} == dict(
            app.clients.items()
        )


async def test_a_change_made_between_the_preview_and_the_open_is_shown(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    assert app.database.repo is None
    outside(demo_db).add_client("Late Arrival Ltd")  # a CLI command, just as the app starts
    async with app.run_test() as pilot:
        await settle(app, pilot)
        names = {card.name for card in app.screen.model.cards.values()}
        assert "Late Arrival Ltd" in names


@pytest.mark.parametrize(
    ("early_key", "warm_up"),
    [(False, 0.3), (True, 0.3), (False, 0.001)],
    ids=["no key", "a key with the frame", "the warm-up at once"],
)
async def test_a_file_broken_between_the_preview_and_the_open_ends_the_app_with_the_reason(
    demo_db: Path, make_app, monkeypatch, early_key: bool, warm_up: float
) -> None:
    """Reported as a broken file is before the app starts (run_tui raises `fatal`), never as
    a crash of ours; the file is left as it is. A key pressed with the first frame, or the
    app's warm-up timer, makes the database open first, with the same outcome."""
    monkeypatch.setattr("offboard.tui.app.WARM_UP_SECONDS", warm_up)
    app = make_app(demo_db)
    assert app.database.repo is None
    demo_db.write_bytes(b'{"clients": {"truncated')
    if early_key:
        app.post_message(events.Key("enter", None))  # open the card: its client is needed
    async with app.run_test() as pilot:
        await pilot.pause()
    assert isinstance(app.database.fatal, CorruptDatabase)
    assert "not valid JSON" in app.database.fatal.one_line()
    assert not app.return_code  # not the "unexpected error" of a crash
    assert demo_db.read_bytes() == b'{"clients": {"truncated'


async def test_a_key_pressed_with_the_first_frame_is_handled_after_the_open(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    app.post_message(events.Key("down", None))
    async with app.run_test() as pilot:
        await settle(app, pilot)
        board = app.screen
        assert isinstance(board, BoardScreen)
        column = board.model.columns[board.model.stage]
        assert board.model.focused_id() == column[1].id  # the key moved down one card


async def test_a_card_whose_record_only_the_full_parse_refuses_draws_then_the_app_says_why(
    tmp_path: Path, make_app
) -> None:
    """A version whose valid mark does not hold (the lock file forged, or the file edited in
    place with its time put back): the preview passes over a number no float holds, the
    first frame draws the card from the fields it read, and the open reports the file."""
    import os

    import orjson

    from offboard.storage.loading import signature_of, valid_mark
    from offboard.storage.locking import lock_path_of

    db = tmp_path / "offboard.json"
    outside(db).add_client("Ada")
    data = orjson.loads(db.read_bytes())
    next(iter(data["clients"].values()))["notes"] = "__N__"
    db.write_bytes(orjson.dumps(data).replace(b'"__N__"', b"1e999"))
    lock_path_of(db).write_bytes(valid_mark(signature_of(os.stat(db))))
    app = make_app(db)
    assert app.database.repo is None  # previewed
    async with app.run_test() as pilot:
        await pilot.pause()
    assert isinstance(app.database.fatal, CorruptDatabase)
    assert not app.return_code

"""The board's filter box as the user types in it: each key repaints the box and the columns,
without laying the screen out again or passing the stylesheet over the box, and a needle
longer than the box scrolls it as Textual's input does."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from tuikit import record_layouts, record_restyles, type_past_the_box


async def open_filter(app, pilot) -> Input:
    await pilot.press("slash")
    await pilot.pause()
    box = app.screen._filter_box()
    assert box is not None and app.focused is box
    return box


async def test_typing_a_needle_lays_nothing_out(
    demo_db: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen
        await open_filter(app, pilot)
        asked = record_layouts(monkeypatch, board)
        await pilot.press("s")  # shows the status line ("filter "s": ... shown")
        await pilot.pause()
        assert "Input" not in asked
        asked.clear()
        for key in ("c", "o", "p", "backspace"):
            await pilot.press(key)
            await pilot.pause()
        assert board.model.filter == "sco"
        assert asked == []


async def test_the_first_key_typed_in_the_filter_restyles_nothing(
    demo_db: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        box = await open_filter(app, pilot)
        restyled = record_restyles(monkeypatch, app)
        await pilot.press("s")
        await pilot.pause()
        assert box not in restyled
        textuals = Input()  # the classes Textual's own input has once it has validated a key
        textuals.validate("s")
        assert box.classes == textuals.classes == {"-valid"}


async def test_a_needle_longer_than_the_box_keeps_the_cursor_in_view(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(60, 24)) as pilot:
        box = await open_filter(app, pilot)
        await type_past_the_box(
            pilot, box, "a needle far too long for the box of a narrow terminal"
        )

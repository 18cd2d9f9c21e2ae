"""The palette list's scrollbar (tui/palette_scrollbar.py) draws every cell as Textual's own
scrollbar does, at every place the list scrolls to, hovered and grabbed, through the app's line
filters; and it is the drawing used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.filter import Monochrome
from textual.geometry import Offset, Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from offboard.tui.palette import OffboardPalette
from offboard.tui.palette_list import HitList
from offboard.tui.palette_scrollbar import HitScrollBar


def cells(strips: list[Strip]) -> list[list[tuple[str, Any]]]:
    """Every cell: its character and its whole style (colours and the meta a click reads)."""
    return [
        [(char, segment.style) for segment in strip for char in segment.text] for strip in strips
    ]


def by_textual(bar: ScrollBar, crop: Region) -> list[Strip]:
    """The bar's lines as Textual's scrollbar draws them, from the same state."""
    bar._styles_cache.clear()
    bar._dirty_regions.add(bar.size.region)
    return ScrollBar.render_lines(bar, crop)


async def opened(app: Any, pilot: Any, query: str) -> tuple[HitList, HitScrollBar]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = app.screen
    assert isinstance(palette, OffboardPalette)
    palette._show_hits(query)
    await pilot.pause()
    command_list = palette.query_one(HitList)
    bar = command_list.vertical_scrollbar
    assert isinstance(bar, HitScrollBar) and bar.display and bar.size.height > 2
    return command_list, bar


@pytest.mark.parametrize("size", [(120, 40), (44, 20)])
@pytest.mark.parametrize("query", ["ro", "rowan", "r"])
async def test_every_cell_is_the_one_textual_draws(
    many_db: Path, make_app, size: tuple[int, int], query: str
) -> None:
    app = make_app(many_db)
    async with app.run_test(size=size) as pilot:
        command_list, bar = await opened(app, pilot, query)
        width, height = bar.size
        crops = [
            Region(0, 0, width, height),
            Region(0, 1, width, height - 2),
            Region(width - 1, 0, 1, height),
        ]
        compared = 0
        for place in (0.0, 0.3, 0.5, 0.77, 1.0):
            command_list.scroll_to(y=command_list.max_scroll_y * place, animate=False)
            await pilot.pause()
            for state in ("plain", "hover", "grabbed"):
                bar.mouse_over = state == "hover"
                bar.grabbed = Offset(0, 0) if state == "grabbed" else None
                for crop in crops:
                    ours, theirs = bar.render_lines(crop), by_textual(bar, crop)
                    assert cells(ours) == cells(theirs), (place, state, crop)
                    compared += 1
            bar.grabbed = None
        assert compared == 5 * 3 * len(crops)


async def test_the_app_line_filters_are_applied_as_textual_applies_them(
    many_db: Path, make_app
) -> None:
    app = make_app(many_db)
    async with app.run_test(size=(120, 40)) as pilot:
        _command_list, bar = await opened(app, pilot, "ro")
        crop = Region(0, 0, *bar.size)
        plain = cells(bar.render_lines(crop))
        app._filters.append(Monochrome())
        try:
            ours, theirs = bar.render_lines(crop), by_textual(bar, crop)
        finally:
            app._filters.pop()
        assert cells(ours) == cells(theirs)
        assert cells(ours) != plain  # the filter did change the colours


async def test_the_fast_drawing_is_the_one_used(
    many_db: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(many_db)
    async with app.run_test(size=(120, 40)) as pilot:
        _command_list, bar = await opened(app, pilot, "ro")
        through_textual: list[Region] = []
        original = ScrollBar.render_lines

        def counted(self: ScrollBar, crop: Region) -> list[Strip]:
            through_textual.append(crop)
            return original(self, crop)

        monkeypatch.setattr(ScrollBar, "render_lines", counted)
        bar.render_lines(Region(0, 0, *bar.size))
        assert through_textual == []
        # A style the fast drawing does not know is drawn by Textual.
        bar.styles.tint = "red 20%"
        bar.render_lines(Region(0, 0, *bar.size))
        assert len(through_textual) == 1

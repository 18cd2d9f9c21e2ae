"""A screen that was closed is gone: nothing the app keeps (a signal subscription, a timer,
a cache) may hold it, or every open and close grows the app's memory for as long as it runs."""

from __future__ import annotations

import asyncio
import gc
import heapq
import time
import weakref
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual import events
from textual._styles_cache import StylesCache
from textual.app import App
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static
from tuikit import settle

from offboard.tui.board.warmup import CALM_SECONDS
from offboard.tui.commands import OffboardCommands

pytestmark = pytest.mark.tui
SIZE = (120, 40)

Opener = Callable[[object], Awaitable[None]]


async def _keys(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


OPENERS: dict[str, tuple[str, ...]] = {
    "agenda": ("t",),
    "client": ("enter",),
    "help": ("question_mark",),
    "report": ("R",),
    "settings": ("comma",),
    "letter editor": ("w",),
    "screening": ("S",),
}


def _gone(ref: weakref.ref[Screen]) -> bool:
    for _ in range(3):
        gc.collect()
    return ref() is None


@pytest.mark.parametrize("name", list(OPENERS))
async def test_a_closed_screen_is_collected(name: str, demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        board = app.screen
        refs = []
        for _ in range(2):  # the second time too: a cache filled on first use is not a leak
            await _keys(pilot, *OPENERS[name])
            await settle(app, pilot)
            opened = app.screen
            assert opened is not board, f"{name} did not open"
            refs.append(weakref.ref(opened))
            del opened
            while app.screen is not board:
                await pilot.press("escape")
                await pilot.pause()
            await settle(app, pilot)
        for _ in range(3):
            await pilot.pause()
        assert all(_gone(ref) for ref in refs), f"a closed {name} screen is still referenced"


async def test_a_closed_command_palette_is_collected(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    app.COMMANDS = App.COMMANDS | {OffboardCommands}
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        refs = []
        for _ in range(2):
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert CommandPalette.is_open(app)
            await _keys(pilot, "a", "g")
            refs.append(weakref.ref(app.screen))
            await pilot.press("escape")
            await pilot.pause()
            assert not CommandPalette.is_open(app)
        for _ in range(3):
            await pilot.pause()
        assert all(_gone(ref) for ref in refs)


def _live_widgets() -> Counter[str]:
    """Nodes alive by kind, and render caches (a widget's drawn lines, StylesCache): Textual
    kept the last 1,024 widgets' caches, with every line they drew, in a method cache keyed on
    the cache itself (Textualize/textual#6665): a closed help screen's lines stayed, about
    0.6 MiB an opening, until 1,024 widgets had gone (tui/textual_mends.py)."""
    _drop_cancelled_timers()
    gc.collect()
    kept = (DOMNode, StylesCache)
    return Counter(type(o).__name__ for o in gc.get_objects() if isinstance(o, kept))


def _drop_cancelled_timers() -> None:
    """asyncio leaves a cancelled timer's handle in its heap until the handle's time comes,
    and the handle keeps the context it was scheduled in, which names the message pump busy
    then (seen: a closed report screen's progress bar, reached only through such a handle):
    the event loop's bookkeeping until that time, not something the app keeps."""
    loop = asyncio.get_running_loop()
    scheduled = loop._scheduled  # type: ignore[attr-defined]
    kept = [handle for handle in scheduled if not handle.cancelled()]
    if len(kept) != len(scheduled):
        heapq.heapify(kept)
        scheduled[:] = kept
        loop._timer_cancelled_count = 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["agenda", "client", "help", "report", "screening"])
async def test_opening_a_screen_again_and_again_keeps_no_widget(
    name: str, demo_db: Path, make_app
) -> None:
    """Not the screen only: nothing it made (the board's footer keys recomposed when the
    board comes back, say) may pile up with each opening."""
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        board = app.screen

        async def once() -> None:
            await _keys(pilot, *OPENERS[name])
            await settle(app, pilot)
            while app.screen is not board:
                await pilot.press("escape")
                await pilot.pause()
            await settle(app, pilot)

        for _ in range(2):
            await once()
        before = _live_widgets()
        for _ in range(4):
            await once()
        after = _live_widgets()
        grown = {kind: after[kind] - before[kind] for kind in after if after[kind] > before[kind]}
        assert grown == {}


@pytest.mark.parametrize("name", ["agenda", "client", "help"])
async def test_a_screen_closed_as_the_warm_up_ends_is_still_collected(
    name: str, demo_db: Path, make_app
) -> None:
    """When the board has worked out every card, it freezes that work out of the collector's
    reach (gc.freeze), and everything else alive at that moment with it. A screen closed a
    moment before is still being taken down: frozen then, it would stay for good."""
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        board = app.screen
        while not board.model.warmed:
            await pilot.pause(0.05)
        await pilot.pause(2.5)  # the warm-up's own freeze is behind us
        await _keys(pilot, *OPENERS[name])
        opened = weakref.ref(app.screen)
        assert opened() is not board
        app.post_message(events.Key("escape", None))
        while app.screen is not board:  # popped: the board is back, the screen going
            await asyncio.sleep(0)
        board.warm_up.freeze()  # as if the warm-up ended now
        for _ in range(3):
            await pilot.pause()
        assert _gone(opened), f"a {name} screen closed as the board froze its work is kept"
        frozen = gc.get_freeze_count()
        await pilot.pause(1.5)  # and frozen later, once nothing is closing
        assert gc.get_freeze_count() > frozen


class _SlowToGo(Static):
    async def on_unmount(self) -> None:
        await asyncio.sleep(CALM_SECONDS * 1.5)


class _SlowScreen(Screen[None]):
    def compose(self):
        yield _SlowToGo("taken down slowly")


async def test_a_screen_slow_to_be_taken_down_is_not_frozen(
    demo_db: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A screen whose widgets take longer than the board's calm second to unmount (a slow
    machine, a busy handler) is still on its way out when the board would freeze its work:
    frozen then, it would stay for good. The board waits until it is gone."""
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.push_screen(_SlowScreen())  # open as the warm-up ends
        opened = weakref.ref(app.screen)
        await pilot.pause(CALM_SECONDS * 1.2)
        freezes: list[bool] = []  # at each freeze: whether the closed screen was alive
        freeze = gc.freeze

        def watched() -> None:
            freezes.append(opened() is not None)
            freeze()

        monkeypatch.setattr(gc, "freeze", watched)
        app.pop_screen()
        deadline = time.monotonic() + 30
        while not freezes and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert freezes == [False], "a screen slow to be taken down was frozen with the board's work"
        assert _gone(opened)

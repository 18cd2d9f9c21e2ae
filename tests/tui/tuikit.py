"""Helpers for TUI tests (a module of its own so test files can import it by name)."""

from __future__ import annotations

import datetime as dt
import time

TODAY = dt.date(2026, 11, 22)


async def settle(app, pilot, timeout: float = 10.0) -> None:
    """Wait until the writer thread has finished and its results reached the screen.

    Polls instead of blocking: the writer hands results back through the event loop, so
    blocking that loop while waiting for the writer would stall both.
    """
    deadline = time.monotonic() + timeout
    while not app.saver.wait_idle(0):
        if time.monotonic() > deadline:
            raise TimeoutError("the writer thread did not finish")
        await pilot.pause(0.01)
    for _ in range(2):
        await pilot.pause()


async def open_agenda(app, pilot):
    """Push the agenda over the current screen and let it draw; returns the screen."""
    from offboard.tui.screens.agenda import AgendaScreen

    screen = AgendaScreen()
    await app.push_screen(screen)
    await pilot.pause()
    return screen

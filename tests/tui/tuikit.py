"""Helpers for TUI tests (a module of its own so test files can import it by name)."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 11, 22)


async def settle(app, pilot) -> None:
    """Wait until the writer thread has finished and its results reached the screen."""
    for _ in range(3):
        app.saver.wait_idle(timeout=10)
        await pilot.pause()

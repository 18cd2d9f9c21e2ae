"""Helpers for TUI tests (a module of its own so test files can import it by name)."""

from __future__ import annotations

import datetime as dt
import time

from offboard.domain.models import Stage
from offboard.domain.rows import matches
from offboard.tui.board.model import ACTIVE_STAGES, RECENT_CLOSED

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


def visible(model) -> dict[Stage, list[str]]:
    return {stage: [card.id for card in model.columns[stage]] for stage in model.columns}


def decoded_filter(clients, needle: str) -> dict[Stage, list[str]]:
    """The filter as it read every decoded client: matching clients, sorted per column."""
    shown = [c for c in clients if matches(c, needle.strip().casefold())]
    columns: dict[Stage, list[str]] = {}
    for stage in ACTIVE_STAGES:
        here = sorted(
            (c for c in shown if c.stage is stage), key=lambda c: (c.name.casefold(), c.id)
        )
        columns[stage] = [c.id for c in here]
    closed = [c for c in shown if c.stage is Stage.CLOSED]
    closed.sort(
        key=lambda c: (c.history[-1].at.isoformat() if c.history else "", c.id), reverse=True
    )
    columns[Stage.CLOSED] = [c.id for c in closed][:RECENT_CLOSED]
    return columns


def record_layouts(monkeypatch, screen) -> list[str]:
    """The names of the widgets of `screen` that ask for a new layout from now on."""
    from textual.widget import Widget

    asked: list[str] = []
    refresh = Widget.refresh

    def recorded(self, *regions, **options):
        if options.get("layout") and self.screen is screen:
            asked.append(type(self).__name__)
        return refresh(self, *regions, **options)

    monkeypatch.setattr(Widget, "refresh", recorded)
    return asked


def record_restyles(monkeypatch, app) -> list:
    """The nodes the stylesheet is applied to again from now on."""
    restyled: list = []
    update_styles = type(app).update_styles

    def counted(self, node, animate: bool = True) -> None:
        restyled.append(node)
        update_styles(self, node, animate=animate)

    monkeypatch.setattr(type(app), "update_styles", counted)
    return restyled


async def type_past_the_box(pilot, field, typed: str) -> None:
    """Type more than the input box shows: it scrolls to the end, the cursor just past the
    last letter (as Textual's input does), and back to the start with `home`."""
    await pilot.press(*typed)
    await pilot.pause()
    assert field.value == typed
    assert field.scroll_x == field.max_scroll_x > 0
    assert field.cursor_screen_offset.x == field.content_region.right
    await pilot.press("home")
    await pilot.pause()
    assert field.scroll_x == 0


def footer_out_of_step(screen) -> list[str]:
    """The footer keys of `screen` shown enabled when their binding is not, or the reverse."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    active = screen.active_bindings
    wrong = []
    for key in screen.query_one(Footer).query(FooterKey):
        found = active.get(key.key)
        if found is not None and key.has_class("-disabled") == found.enabled:
            wrong.append(key.key)
    return wrong


async def footer_in_step(screen, pilot, timeout: float = 5.0) -> list[str]:
    """Wait (a frame or two: the footer is made again after a refresh) until the footer agrees
    with the screen's bindings; returns the keys still out of step."""
    deadline = time.monotonic() + timeout
    while (wrong := footer_out_of_step(screen)) and time.monotonic() < deadline:
        await pilot.pause(0.02)
    return wrong

"""Undo and redo from any screen: the change goes to the writer thread like any other, and
what was undone or redone is told when it is saved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.errors import NothingToUndo
from .actions import key_text
from .core import core

if TYPE_CHECKING:
    from textual.app import App

    from ..services import Services


def undo(app: App[None]) -> None:
    """Take back this session's last change."""
    core(app).submit(
        "undo",
        lambda s: s.undo(this_session_only=True),
        on_done=lambda summary: app.notify(f"Undone: {summary}", timeout=4),
    )


def redo(app: App[None]) -> None:
    """Bring back what undo took back; nothing undone since the last change is not a failure,
    and says which keys do what."""

    def run(services: Services) -> str | None:
        try:
            return services.redo(this_session_only=True)
        except NothingToUndo:
            return None

    def done(summary: str | None) -> None:
        if summary is not None:
            app.notify(f"Redone: {summary}", timeout=4)
            return
        undo_key, redo_key = key_text(app, "undo"), key_text(app, "redo")
        app.notify(
            f"Nothing to redo: {redo_key} brings back what {undo_key} took back, until the "
            "next new change.",
            severity="warning",
            timeout=4,
        )

    core(app).submit("redo", run, on_done=done)

"""The header every screen shows: Textual's, minus what it leaves behind when it goes."""

from __future__ import annotations

from textual.widgets import Header as TextualHeader

from ..watchers import forget_detached


class Header(TextualHeader):
    """Textual's header watches the app's title; once gone, it must not stay in the app's
    list of watchers (see tui/watchers.py)."""

    def on_unmount(self) -> None:
        app = self.app
        # Still attached while unmounting: look once it has been taken out.
        app.call_later(forget_detached, app)

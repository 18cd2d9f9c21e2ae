"""What the board says in place of its columns when it has no card to show.

Seven empty columns tell a new user nothing. With no client at all the board says what to
do first (add a client, set the sender details letters need); when clients exist but the
filter hides every one, it says that, and how to clear the filter. The keys are written as
they are bound now, so a remapped key is named as the user pressed it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..actions import key_text
from ..core import core


class EmptyBoard(Vertical):
    """A short note in the middle of the board; hidden while there are cards."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._words = ("", "")

    def compose(self) -> ComposeResult:
        # The board mounts this and says what to show at once: composed from what was said.
        title, text = self._words
        with Vertical(id="board-empty-note"):
            yield Static(title, id="board-empty-title", markup=False)
            yield Static(text, id="board-empty-text", markup=False)

    def first_run(self) -> None:
        """No client yet: the first steps."""
        steps = [
            f"• Press {key_text(self, 'board.new')} to add your first client. The card starts "
            "in Assessment and the stage columns appear."
        ]
        if not core(self).config.sender_email:
            # Without it a letter cannot be emailed or sent: better said now than at the end.
            steps.append(
                "• Letters go out under your name: set your name, email and signature in "
                f"Settings (press {key_text(self, 'settings')}), or with `offboard config init` "
                "in a terminal."
            )
        palette = key_text(self, "textual.command_palette")
        steps.append(f"• {key_text(self, 'help')} lists every key; {palette} finds any command.")
        self._say("No clients yet", "\n\n".join(steps))

    def no_match(self, needle: str) -> None:
        """Clients exist, but the filter hides every one."""
        clear = key_text(self, "board.clear_filter")
        self._say(
            f"No client matches “{needle}”",
            "The filter looks at names, companies, archetypes and red-flag categories.\n\n"
            f"Press {clear} to clear it and see every client again.",
        )

    def _say(self, title: str, text: str) -> None:
        if (title, text) == self._words:
            return
        self._words = (title, text)
        if self.children:
            self.query_one("#board-empty-title", Static).update(title)
            self.query_one("#board-empty-text", Static).update(text)

"""Messages: what the app tells every screen, and where a screen asks to go.

Screens never import one another. A screen that wants another one posts one of the
navigation messages below; it bubbles up to the App, the only module that imports screens,
which pushes the screen asked for.
"""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """The stored clients changed (a save here, or another process): re-read `app.clients`."""


class DayChanged(Message):
    """The date moved on: countdowns need redrawing."""


# --- navigation: posted by a screen (or the palette), handled by the App ------------------


class OpenClient(Message):
    """Show one client's screen, on the tab named (its first tab when None)."""

    def __init__(self, client_id: str, tab: str | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.tab = tab


class OpenLetter(Message):
    """Write a letter to a client: their unsent draft when `resume` and there is one, else
    the template picker first."""

    def __init__(self, client_id: str, *, resume: bool = True) -> None:
        super().__init__()
        self.client_id = client_id
        self.resume = resume


class OpenAgenda(Message):
    """Show every deadline of every client."""


class OpenHelp(Message):
    """Show every key of the screen in view."""


class OpenReport(Message):
    """Show the exit report: outcomes, money, and the few clients who cause most trouble."""


class OpenScreening(Message):
    """Screen a prospective client against the checklist learned from past clients."""


class OpenSettings(Message):
    """Show the config file's settings, to change them."""


class OpenNewClient(Message):
    """Ask for a new client; once saved, its card is brought into view (JumpToClient)."""


class JumpToClient(Message):
    """Bring a client into view. A screen that shows cards focuses its card and stops the
    message; anywhere else it reaches the App, which opens the client's screen."""

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id

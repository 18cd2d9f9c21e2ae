"""Messages the app sends to every screen."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """The stored clients changed (a save here, or another process): re-read `app.clients`."""


class DayChanged(Message):
    """The date moved on: countdowns need redrawing."""

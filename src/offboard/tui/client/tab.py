"""What every tab of the client screen is: a TabPane that owns its keys (from the action
table, scope "client.<tab>") and draws itself from the latest snapshot, only when something
it shows has changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.widget import Widget
from textual.widgets import TabPane

from ...domain.errors import OffboardError
from ...domain.models import Client
from ...domain.timers import countdown, urgency
from ...formats import day
from ..core import core
from ..forms import FormScreen
from .state import ClientState

if TYPE_CHECKING:
    from ...services import Services

WIDE = 110  # from this many columns on, tabs show more (long labels, extra columns)

URGENCY_STYLE = {
    "overdue": "bold red",
    "today": "bold yellow",
    "soon": "yellow",
    "near": "cyan",
    "later": "green",
}


def when(value: dt.date, locale: str) -> str:
    """A date in a table or a sentence, as the client's language writes it."""
    return day(value, locale, "medium")


def dated(value: dt.date | None, today: dt.date, locale: str, *, live: bool = True) -> Text:
    """A date, with its countdown when it still matters."""
    if value is None:
        return Text("–", style="dim")
    text = Text(when(value, locale))
    if live:
        text.append(f" {countdown(value, today)}", style=URGENCY_STYLE[urgency(value, today)])
    return text


class ClientTab(TabPane):
    """One tab. A subclass sets TAB_ID, LABEL and SHORT (its label on narrow terminals) and
    its keys (ACTION_SCOPE "client.<TAB_ID>", BINDINGS from the table), composes its widgets
    and draws them in `draw`."""

    TAB_ID: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""
    SHORT: ClassVar[str] = ""

    def __init__(self, state: ClientState) -> None:
        super().__init__(self.LABEL, id=self.TAB_ID)
        self.state = state
        self._drawn: tuple[Any, ...] | None = None

    # --- what it shows --------------------------------------------------------------------

    @property
    def client(self) -> Client | None:
        return core(self).clients.get(self.state.client_id)

    @property
    def wide(self) -> bool:
        return self.app.size.width >= WIDE

    def draw_key(self) -> tuple[Any, ...]:
        """What the drawing depends on beyond the client's record, the day and the size."""
        return ()

    def redraw(self) -> None:
        """Draw from the latest snapshot, unless nothing the tab shows has changed."""
        client = self.client
        if client is None or not self.is_mounted:
            return
        today = core(self).today
        pending = tuple(sorted(self.state.pending.items(), key=str))
        key = (id(client), today, self.app.size, pending, *self.draw_key())
        if key != self._drawn:
            self._drawn = key
            self.draw(client, today)

    def draw(self, client: Client, today: dt.date) -> None:
        raise NotImplementedError

    def focus_target(self) -> Widget:
        """What takes focus when the tab comes into view, so its keys work at once."""
        raise NotImplementedError

    # --- changing things --------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.notify(text, timeout=4)

    def change(
        self,
        label: str,
        call: Callable[[Services, int | None], Client],
        pending: tuple[tuple[str, str], Any] | None = None,
        *,
        on_done: Callable[[Client], None] | None = None,
    ) -> None:
        """Send a quick change; `pending` shows its effect before the save comes back, and
        `on_done` runs once it is saved."""
        state = self.state
        if pending is not None:
            state.pending[pending[0]] = pending[1]
            self.redraw()

        def failed(_: OffboardError) -> None:
            if state.settled():
                state.pending.clear()
                self.redraw()

        state.chain.submit(core(self), label, call, on_done=on_done, on_error=failed)

    def open_form(self, form: FormScreen) -> None:
        self.app.push_screen(form)

"""The History tab: every change, newest first: when, who, what."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from ...domain.models import Client
from ...formats import counted
from ..actions import bindings
from .flags import DATE
from .tab import when
from .table_tab import Row, TableTab

WHEN = DATE + 6  # a date and the time of day


class HistoryTab(TableTab):
    TAB_ID, LABEL, SHORT = "history", "History", "Log"
    ACTION_SCOPE = "client.history"
    BINDINGS = bindings(ACTION_SCOPE)

    def draw(self, c: Client, today: dt.date) -> None:
        self.summary(Text(f"{counted(len(c.history), 'event')}, newest first.", style="dim"))
        rows: list[Row] = []
        for index, event in reversed(list(enumerate(c.history))):
            at = f"{when(event.at.date(), c.locale)} {event.at:%H:%M}"
            actor = Text(event.actor, style="dim")
            rows.append((str(index), [at, actor, Text(event.summary)], ""))
        columns = [("When", WHEN), ("By", 16), ("What", self.flex([WHEN, 16]))]
        self.fill(columns, rows, wrap=True)

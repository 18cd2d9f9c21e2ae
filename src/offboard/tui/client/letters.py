"""The Letters tab: letters sent or marked as sent, read-only; enter shows one in full."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.widgets import DataTable

from ...domain.models import Client
from ...formats import counted
from ..actions import bindings, key_text
from .flags import DATE
from .letter_view import LetterView
from .tab import when
from .table_tab import Row, TableTab


class LettersTab(TableTab):
    TAB_ID, LABEL, SHORT = "letters", "Letters", "Letters"
    ACTION_SCOPE = "client.letters"
    BINDINGS = bindings(ACTION_SCOPE)

    def action_read(self) -> None:
        client, key = self.client, self.highlighted()
        letter = next((x for x in client.letters if x.id == key), None) if client else None
        if letter is None:
            self.say("There is no letter to read yet. Letters appear here once sent.")
            return
        self.app.push_screen(LetterView(letter))

    @on(DataTable.RowSelected)
    def _letter_clicked(self) -> None:
        self.action_read()

    def draw(self, c: Client, today: dt.date) -> None:
        if c.letters:
            summary = Text(f"{counted(len(c.letters), 'letter')} sent. ")
            summary.append(
                f"{key_text(self, 'client.read_letter')} shows the full text.", style="dim"
            )
        else:
            summary = Text("No letters sent yet.", style="dim")
        self.summary(summary)
        rows: list[Row] = []
        for letter in sorted(c.letters, key=lambda x: x.sent_on, reverse=True):
            subject = Text(letter.subject or letter.template)
            sent = when(letter.sent_on, c.locale)
            rows.append((letter.id, [sent, letter.channel.value, subject], ""))
        columns = [("Sent", DATE), ("Channel", 12), ("Subject", self.flex([DATE, 12]))]
        self.fill(columns, rows)

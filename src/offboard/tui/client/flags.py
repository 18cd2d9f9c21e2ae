"""The Red flags tab: every incident with its date, severity and evidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text

from ...domain.models import Client, RedFlag
from ...formats import counted
from ..actions import bindings, key_text
from ..forms import FlagForm
from .record_tab import RECORDS_SCOPE, RecordTab, quoted
from .tab import when
from .table_tab import Row

DATE = 12  # the widest date a language writes ("Sep 30, 2026", "30. 9. 2026")
SEVERITY_STYLES = ("dim", "yellow", "bold red")


class FlagsTab(RecordTab):
    TAB_ID, LABEL, SHORT = "flags", "Red flags", "Flags"
    ACTION_SCOPE = "client.flags"
    BINDINGS = [*bindings(ACTION_SCOPE), *bindings(RECORDS_SCOPE)]
    KIND, FORMS, ADD = "flag", {"flag": FlagForm}, "client.add_flag"

    def action_add_flag(self) -> None:
        self.open_form(FlagForm(self.state.client_id, chain=self.state.chain))

    def record_name(self, kind: str, record: RedFlag, client: Client) -> str:
        return f"the red flag {quoted(record.description)} of {when(record.on, client.locale)}"

    def draw(self, c: Client, today: dt.date) -> None:
        counts = c.flag_counts()
        if c.flags:
            summary = Text(f"{counted(len(c.flags), 'red flag')}: ")
            summary.append(f"{counts[3]} severe", style="bold red" if counts[3] else "dim")
            summary.append(f", {counts[2]} serious, {counts[1]} minor.")
        else:
            add = key_text(self, "client.add_flag")
            summary = Text(
                f"No red flags logged yet. Press {add} to log the first one.", style="dim"
            )
        self.summary(summary)
        wide = self.wide
        fixed = [DATE, 3, 13] + ([28] if wide else [])
        columns: list[tuple[str, int | None]] = [
            ("Date", DATE),
            ("Sev", 3),
            ("Category", 13),
            ("What happened", self.flex(fixed)),
        ]
        if wide:
            columns.append(("Evidence", 28))
        rows: list[Row] = []
        for f in sorted(c.flags, key=lambda f: f.on, reverse=True):
            marks = "●" * f.severity + "○" * (3 - f.severity)
            severity = Text(marks, style=SEVERITY_STYLES[f.severity - 1])
            what = Text(f.description)
            cells: list[Any] = [when(f.on, c.locale), severity, f.category.value, what]
            if wide:
                cells.append(Text(f.evidence or "–", style="dim"))
            detail = Text(
                f"Evidence: {f.evidence}" if f.evidence else "No evidence noted.", style="dim"
            )
            rows.append((f.id, cells, detail))
        self.fill(columns, rows, wrap=True)

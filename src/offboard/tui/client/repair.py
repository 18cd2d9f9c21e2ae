"""The Repair tab: attempts with their review dates and outcomes."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from ...domain.models import Client, RepairAttempt, RepairOutcome
from ...formats import counted
from ..actions import bindings, key_text
from ..forms import OUTCOME_LABELS, OutcomeForm, RepairForm
from .flags import DATE
from .record_tab import RECORDS_SCOPE, RecordTab, quoted
from .tab import dated, when
from .table_tab import Row

OUTCOME_STYLE = {
    RepairOutcome.IMPROVED: "green",
    RepairOutcome.NO_CHANGE: "yellow",
    RepairOutcome.WORSE: "red",
}
REVIEW = DATE + 12  # a date and its countdown ("Dec 1, 2026 12d overdue")


class RepairTab(RecordTab):
    TAB_ID, LABEL, SHORT = "repair", "Repair", "Repair"
    ACTION_SCOPE = "client.repair"
    BINDINGS = [*bindings(ACTION_SCOPE), *bindings(RECORDS_SCOPE)]
    KIND, FORMS, ADD = "repair", {"repair": RepairForm}, "client.add_repair"

    def action_add_repair(self) -> None:
        self.open_form(RepairForm(self.state.client_id, chain=self.state.chain))

    def record_name(self, kind: str, record: RepairAttempt, client: Client) -> str:
        started = when(record.started, client.locale)
        return f"the repair attempt {quoted(record.strategy)} started {started}"

    def action_outcome(self) -> None:
        client, key = self.client, self.highlighted()
        attempt = next((r for r in client.repairs if r.id == key), None) if client else None
        if attempt is None:
            add = key_text(self, "client.add_repair")
            self.say(f"No repair attempt is highlighted. Add one with {add}.")
            return
        if not attempt.open:
            outcome = OUTCOME_LABELS[attempt.outcome].lower() if attempt.outcome else ""
            self.say(f"'{attempt.strategy}' has already ended ({outcome}).")
            return
        form = OutcomeForm(self.state.client_id, attempt.id, chain=self.state.chain)
        self.app.push_screen(form)

    def draw(self, c: Client, today: dt.date) -> None:
        open_count = sum(1 for r in c.repairs if r.open)
        if c.repairs:
            summary = Text(f"{counted(len(c.repairs), 'attempt')}, {open_count} still running.")
        else:
            add = key_text(self, "client.add_repair")
            summary = Text(
                f"No repair attempts yet. Press {add} to try one change with a review date.",
                style="dim",
            )
        self.summary(summary)
        columns = [
            ("Strategy", self.flex([DATE, REVIEW, 10])),
            ("Started", DATE),
            ("Review", REVIEW),
            ("Outcome", 10),
        ]
        rows: list[Row] = []
        for r in c.repairs:
            if r.outcome:
                outcome = Text(OUTCOME_LABELS[r.outcome], style=OUTCOME_STYLE[r.outcome])
            else:
                outcome = Text("running", style="italic")
            review = dated(r.review, today, c.locale, live=r.open and c.active)
            detail = Text(f"Notes: {r.notes}" if r.notes else "No notes.", style="dim")
            cells = [Text(r.strategy), when(r.started, c.locale), review, outcome]
            rows.append((r.id, cells, detail))
        self.fill(columns, rows, wrap=True)

"""The Deliverables tab: what is still owed to the client, with dates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text

from ...domain.models import Client, Deliverable
from ..actions import bindings, key_text
from ..forms import DeliverableForm
from .record_tab import RECORDS_SCOPE, RecordTab, quoted
from .repair import REVIEW
from .tab import dated, when
from .table_tab import Row

if TYPE_CHECKING:
    from ...services import Services


class DeliverablesTab(RecordTab):
    TAB_ID, LABEL, SHORT = "deliverables", "Deliverables", "Deliver"
    ACTION_SCOPE = "client.deliverables"
    BINDINGS = [*bindings(ACTION_SCOPE), *bindings(RECORDS_SCOPE)]
    KIND, FORMS, ADD = "deliverable", {"deliverable": DeliverableForm}, "client.add_deliverable"

    def action_add_deliverable(self) -> None:
        self.open_form(DeliverableForm(self.state.client_id, chain=self.state.chain))

    def record_name(self, kind: str, record: Deliverable, client: Client) -> str:
        due = f" due {when(record.due, client.locale)}" if record.due else ""
        return f"the deliverable {quoted(record.title)}{due}"

    def action_tick(self) -> None:
        client, key = self.client, self.highlighted()
        item = next((d for d in client.deliverables if d.id == key), None) if client else None
        if item is None:
            add = key_text(self, "client.add_deliverable")
            self.say(f"No deliverable is highlighted. Add one with {add}.")
            return
        done = not self.state.pending.get(("deliverable", item.id), item.done)
        cid = self.state.client_id

        def call(s: Services, rev: int | None) -> Client:
            return s.set_deliverable_done(cid, item.id, done, expected_rev=rev)

        label = "deliverable done" if done else "deliverable reopened"
        self.change(label, call, (("deliverable", item.id), done))

    def draw(self, c: Client, today: dt.date) -> None:
        pending = self.state.pending
        states = [pending.get(("deliverable", d.id), d.done) for d in c.deliverables]
        if c.deliverables:
            summary = Text(f"{sum(states)} of {len(c.deliverables)} delivered. ")
            if c.conversation:
                summary.append(f"Last working day: {when(c.conversation.last_day, c.locale)}.")
        else:
            add = key_text(self, "client.add_deliverable")
            summary = Text(
                f"No deliverables recorded. Press {add} to add what you still owe the client.",
                style="dim",
            )
        self.summary(summary)
        rows: list[Row] = []
        for d, done in zip(c.deliverables, states, strict=True):
            mark = Text("✓ done", style="bold green") if done else Text("· open", style="yellow")
            due = dated(d.due, today, c.locale, live=not done and c.active)
            rows.append((d.id, [mark, Text(d.title), due], ""))
        columns = [("State", 8), ("Deliverable", self.flex([8, REVIEW])), ("Due", REVIEW)]
        self.fill(columns, rows, wrap=True)

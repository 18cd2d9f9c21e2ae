"""The Handover tab: files, documents, contacts and credentials (labels only, never secrets)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text

from ...domain.models import Client, HandoverItem, HandoverStatus
from ..actions import bindings, key_text
from ..forms import HANDOVER_KIND_LABELS, HANDOVER_STATUS_LABELS, HandoverForm
from .flags import DATE
from .record_tab import RECORDS_SCOPE, RecordTab, quoted
from .tab import when
from .table_tab import Row

if TYPE_CHECKING:
    from ...services import Services

# What space moves an item on to.
CYCLE = (
    HandoverStatus.PENDING,
    HandoverStatus.HANDED_OVER,
    HandoverStatus.REVOKED,
    HandoverStatus.WAIVED,
)
STYLES = {
    HandoverStatus.PENDING: "yellow",
    HandoverStatus.HANDED_OVER: "bold green",
    HandoverStatus.REVOKED: "green",
    HandoverStatus.WAIVED: "dim",
}


class HandoverTab(RecordTab):
    TAB_ID, LABEL, SHORT = "handover", "Handover", "Handover"
    ACTION_SCOPE = "client.handover"
    BINDINGS = [*bindings(ACTION_SCOPE), *bindings(RECORDS_SCOPE)]
    KIND, FORMS, ADD = "handover", {"handover": HandoverForm}, "client.add_handover"

    def action_add_handover(self) -> None:
        self.open_form(HandoverForm(self.state.client_id, chain=self.state.chain))

    def record_name(self, kind: str, record: HandoverItem, client: Client) -> str:
        return f"the handover item {quoted(record.label)}"

    def action_cycle(self) -> None:
        client, key = self.client, self.highlighted()
        item = next((h for h in client.handover if h.id == key), None) if client else None
        if item is None:
            add = key_text(self, "client.add_handover")
            self.say(f"No handover item is highlighted. Add one with {add}.")
            return
        now = self.state.pending.get(("handover", item.id), item.status)
        new = CYCLE[(CYCLE.index(now) + 1) % len(CYCLE)]
        cid = self.state.client_id

        def call(s: Services, rev: int | None) -> Client:
            return s.set_handover_status(cid, item.id, new.value, expected_rev=rev)

        self.change(f"handover: {new.value}", call, (("handover", item.id), new))

    def draw(self, c: Client, today: dt.date) -> None:
        pending = self.state.pending
        statuses = [pending.get(("handover", h.id), h.status) for h in c.handover]
        settled = sum(1 for s in statuses if s is not HandoverStatus.PENDING)
        summary = Text()
        if c.handover:
            summary.append(f"{settled} of {len(c.handover)} settled. ")
        else:
            summary.append("Nothing to hand over recorded yet. ", style="dim")
        summary.append("Access is recorded as a label, never the secret itself.", style="dim")
        self.summary(summary)
        rows: list[Row] = []
        for h, status in zip(c.handover, statuses, strict=True):
            kind = HANDOVER_KIND_LABELS[h.kind].split(" ")[0]
            state = Text(HANDOVER_STATUS_LABELS[status], style=STYLES[status])
            on = when(h.on, c.locale) if h.on and status is h.status else ""
            rows.append((h.id, [kind, Text(h.label), state, on], ""))
        columns = [
            ("Kind", 9),
            ("Item", self.flex([9, 14, DATE])),
            ("Status", 14),
            ("On", DATE),
        ]
        self.fill(columns, rows, wrap=True)

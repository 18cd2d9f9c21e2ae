"""The Checklist tab: a stage's checklist (the client's current stage first), with hints.
Items the client's records already answer (every deliverable done, the final invoice on record)
show as done with the reason under them; the user can still waive them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.text import Text

from ...domain.checklists import DONE, WAIVED, answered
from ...domain.models import STAGE_ORDER, Client, Stage
from ..actions import bindings, key_text
from ..core import core
from .table_tab import Row, TableTab

if TYPE_CHECKING:
    from ...services import Services

MARKS = {
    DONE: Text("✓ done", style="bold green"),
    WAIVED: Text("– waived", style="dim"),
    None: Text("· open", style="yellow"),
}


class ChecklistTab(TableTab):
    TAB_ID, LABEL, SHORT = "checklist", "Checklist", "Checks"
    ACTION_SCOPE = "client.checklist"
    BINDINGS = bindings(ACTION_SCOPE)

    # The stage whose checklist is shown: the client's own until `s` or `S` picks another.
    _stage: Stage | None = None

    def draw_key(self) -> tuple[Any, ...]:
        return (self._stage,)

    # --- which stage ------------------------------------------------------------------------

    def _stages(self) -> list[Stage]:
        checklists = core(self).services.checklists
        return [s for s in STAGE_ORDER if s in checklists]

    def shown_stage(self) -> Stage | None:
        stages = self._stages()
        if not stages:
            return None
        if self._stage not in stages:
            client = self.client
            current = client.stage if client else stages[0]
            self._stage = current if current in stages else stages[0]
        return self._stage

    def action_stage(self, step: int) -> None:
        """Show the next (1) or previous (-1) stage's checklist."""
        stages = self._stages()
        shown = self.shown_stage()
        if shown is None:
            return
        self._stage = stages[(stages.index(shown) + step) % len(stages)]
        self.redraw()
        if self.table.row_count:
            self.table.move_cursor(row=0)

    # --- ticking ------------------------------------------------------------------------------

    def _state_of(self, client: Client, stage: Stage, item_id: str) -> str | None:
        """What the user set (done, waived or None), saved or still on its way."""
        key = (f"check:{stage.value}", item_id)
        if key in self.state.pending:
            return self.state.pending[key]
        return client.checklist.get(stage.value, {}).get(item_id)

    def _set(self, wanted: str) -> None:
        client, stage, item_id = self.client, self.shown_stage(), self.highlighted()
        if client is None or stage is None or item_id is None:
            return
        own = self._state_of(client, stage, item_id)
        reason = answered(client, stage).get(item_id)
        if wanted == DONE and own is None and reason is not None:
            # Already done by the records: a tick would change nothing the user can see.
            waive = key_text(self, "client.checklist.waive")
            self.say(f"Done already: {reason}. {waive} waives it if it does not apply.")
            return
        state = None if own == wanted else wanted
        cid = client.id

        def call(s: Services, rev: int | None) -> Client:
            return s.set_checklist_item(cid, stage.value, item_id, state, expected_rev=rev)

        key = (f"check:{stage.value}", item_id)
        self.change(f"checklist item {state or 'open'}", call, (key, state))

    def action_tick(self) -> None:
        self._set(DONE)

    def action_waive(self) -> None:
        self._set(WAIVED)

    # --- drawing ------------------------------------------------------------------------------

    def draw(self, c: Client, today: dt.date) -> None:
        stage = self.shown_stage()
        if stage is None:
            self.summary(Text("No checklists are installed.", style="dim"))
            self.fill([("Item", None)], [])
            return
        checklist = core(self).services.checklists[stage]
        answers = answered(c, stage)
        # The user's own state wins (a waiver of an answered item stays a waiver).
        states = {
            item.id: self._state_of(c, stage, item.id) or (DONE if item.id in answers else None)
            for item in checklist.items
        }
        done = sum(1 for s in states.values() if s == DONE)
        waived = sum(1 for s in states.values() if s == WAIVED)
        summary = Text()
        summary.append(f"{checklist.title}", style="bold")
        summary.append(" (current stage)" if stage is c.stage else " (another stage)", style="dim")
        summary.append(f"  {done} of {len(checklist.items)} done")
        if waived:
            summary.append(f", {waived} waived")
        summary.append(".")
        self.summary(summary)
        rows: list[Row] = []
        for item in checklist.items:
            state = states[item.id]
            text = Text(item.text, style="dim" if state == WAIVED else "")
            if state == DONE and item.id in answers:
                text.append(f"\n✓ {answers[item.id]}", style="green")
            detail = Text(item.hint, style="dim") if item.hint else ""
            rows.append((item.id, [MARKS.get(state, MARKS[None]), text], detail))
        self.fill([("State", 8), ("Item", self.flex([8]))], rows, wrap=True)

"""The Assessment tab: revenue, hours, the effective rate against the target rate, notes."""

from __future__ import annotations

import datetime as dt

from rich.table import Table
from rich.text import Text

from ...domain.models import Client
from ...formats import money, number
from ..actions import bindings, key_text
from ..core import core
from ..forms import AssessmentForm
from .tab import when
from .table_tab import PageTab


class AssessmentTab(PageTab):
    TAB_ID, LABEL, SHORT = "assessment", "Assessment", "Assess"
    ACTION_SCOPE = "client.assessment"
    BINDINGS = bindings(ACTION_SCOPE)

    def action_edit_assessment(self) -> None:
        self.open_form(AssessmentForm(self.state.client_id, chain=self.state.chain))

    def draw(self, c: Client, today: dt.date) -> None:
        a = c.assessment
        loc = c.locale
        target = core(self).services.config.target_rate
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
        rate = a.effective_rate()
        revenue = money(a.revenue, c.currency, loc) if a.revenue is not None else "–"
        grid.add_row("Revenue", revenue)
        grid.add_row("Hours", number(a.hours, loc) if a.hours is not None else "–")
        if rate is not None:
            rate_text = Text(money(rate, c.currency, loc) + " an hour")
            if target:
                below = rate < target
                rate_text.append(
                    f"  ({'below' if below else 'at or above'} your target of "
                    f"{number(target, loc)})",
                    style="bold red" if below else "green",
                )
            else:
                rate_text.append("  (set target_rate in the config to compare)", style="dim")
        else:
            rate_text = Text("needs revenue and hours", style="dim")
        grid.add_row("Effective rate", rate_text)
        grid.add_row("", "")
        for label, value in (
            ("Financial", a.financial),
            ("Operational", a.operational),
            ("Long term", a.long_term),
        ):
            grid.add_row(label, Text(value) if value else Text("–", style="dim"))
        grid.add_row("", "")
        rec = a.recommendation.value if a.recommendation else None
        grid.add_row("Recommendation", rec or Text("not decided", style="dim"))
        grid.add_row("Reviewed on", when(a.on, loc) if a.on else Text("never", style="dim"))
        counts = c.flag_counts()
        grid.add_row(
            "Red flags",
            f"{len(c.flags)} ({counts[3]} severe, {counts[2]} serious, {counts[1]} minor)",
        )
        edit = key_text(self, "client.assess")
        intro = (
            f"Press {edit} to edit the assessment."
            if a.filled_in
            else f"Not filled in yet. Press {edit} to weigh revenue and hours against the cost."
        )
        outer = Table.grid()
        outer.add_row(Text(intro + "\n", style="dim"))
        outer.add_row(grid)
        self.show(outer)

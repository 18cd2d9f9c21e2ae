"""The Assessment tab: revenue, hours, the effective rate against the target rate, notes."""

from __future__ import annotations

import datetime as dt

from rich.table import Table
from rich.text import Text

from ...domain.errors import OffboardError
from ...domain.models import Client, Decision
from ...formats import money, number
from ..actions import bindings, key_text
from ..core import core
from ..fixes import error_text, fix_text
from ..forms import AssessmentForm
from .tab import when
from .table_tab import PageTab

# The colour each recommendation is shown in.
DECISION_STYLES = {Decision.KEEP: "green", Decision.REPAIR: "yellow", Decision.OFFBOARD: "bold red"}


class AssessmentTab(PageTab):
    TAB_ID, LABEL, SHORT = "assessment", "Assessment", "Assess"
    ACTION_SCOPE = "client.assessment"
    BINDINGS = bindings(ACTION_SCOPE)

    def action_edit_assessment(self) -> None:
        self.open_form(AssessmentForm(self.state.client_id, chain=self.state.chain))

    def draw(self, c: Client, today: dt.date) -> None:
        a = c.assessment
        loc = c.locale
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
        rate = a.effective_rate()
        revenue = money(a.revenue, c.currency, loc) if a.revenue is not None else "–"
        grid.add_row("Revenue", revenue)
        grid.add_row("Hours", number(a.hours, loc) if a.hours is not None else "–")
        # How the rate compares with the target is one of the computed reasons below.
        if rate is not None:
            rate_text = Text(money(rate, c.currency, loc) + " an hour")
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
        grid.add_row("Your pick", rec or Text("not decided", style="dim"))
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
        outer.add_row(Text(""))
        outer.add_row(self._computed(c))
        self.show(outer)

    def _computed(self, c: Client) -> Text:
        """The computed recommendation, its reasons, and the user's decision beside it."""
        try:
            advice = core(self).services.advise(c)
        except OffboardError as exc:  # a broken weights file: say so, the tab still shows
            return Text(f"No recommendation: {error_text(exc)}", style="red")
        rec = advice.recommendation
        out = Text("Computed: ", style="bold")
        out.append(rec.decision.value, style=DECISION_STYLES[rec.decision])
        if rec.abuse:
            out.append(f"  abuse decides it (score {rec.score:g})", style="dim")
        else:
            out.append(
                f"  score {rec.score:g} (repair from {rec.repair_from:g}, "
                f"offboard from {rec.offboard_from:g})",
                style="dim",
            )
        for reason, text in zip(rec.reasons, advice.reasons, strict=True):
            points = "abuse" if reason.kind == "abuse" else f"{reason.points:+.1f}"
            out.append(f"\n  {points:>6}  ", style="dim")
            out.append(text)
        if not rec.reasons:
            out.append("\n  nothing on record weighs against the account", style="dim")
        for note in advice.notes:
            out.append(f"\n  note    {note}", style="italic")
        for missing, text in zip(rec.missing, advice.missing, strict=True):
            how = fix_text(missing.fix)
            out.append(f"\n  needs   {text}" + (f" ({how})" if how else ""), style="yellow")
        if advice.yours is not None:
            whose = "Your decision" if advice.yours_source == "decision" else "Your pick"
            out.append(f"\n\n{whose}: ", style="bold")
            out.append(advice.yours.value, style=DECISION_STYLES[advice.yours])
            if advice.yours_reason:
                out.append(f": {advice.yours_reason}")
            if advice.differs:
                out.append(
                    f"\nIt differs from the computed {rec.decision.value}; both stay on record.",
                    style="dim",
                )
        return out

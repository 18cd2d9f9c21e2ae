"""One client, everything about them: a header (stage, archetype, next deadline, money still
owed), a box listing the fields of a damaged record that break a rule, and eleven tabs.

Each tab is a widget of its own (tabs listed below): it owns its keys, shown in the footer
while it is in view, and draws itself. This screen switches between them (`]`, `[`, 1-9, 0),
keeps them up to date with the data, and forwards the keys that add something from whichever
tab is in view to the tab that shows the result.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static, TabbedContent

from ...domain.models import Client
from ...domain.timers import deadlines
from ...formats import money
from ..actions import bindings, key_text, reach_from
from ..calendar import export_calendar
from ..core import core
from ..messages import DataChanged, DayChanged, OpenLetter
from ..widgets.footer import Footer
from .assessment import AssessmentTab
from .checklist import ChecklistTab
from .deliverables import DeliverablesTab
from .flags import FlagsTab
from .handover import HandoverTab
from .history import HistoryTab
from .invoices import InvoicesTab
from .lessons import LessonsTab
from .letters import LettersTab
from .overview import OverviewTab
from .repair import RepairTab
from .state import ClientState
from .tab import URGENCY_STYLE, WIDE, ClientTab, when

# In the order of their keys, 1 to 9 and then 0; Lessons has no digit left (`]` and `[` reach
# it, and its key L adds a lesson from any tab).
TABS: tuple[type[ClientTab], ...] = (
    OverviewTab,
    FlagsTab,
    AssessmentTab,
    RepairTab,
    ChecklistTab,
    DeliverablesTab,
    HandoverTab,
    InvoicesTab,
    LettersTab,
    LessonsTab,
    HistoryTab,
)
TAB_IDS = tuple(tab.TAB_ID for tab in TABS)
DAMAGE_LINES = 12  # broken fields listed before "and N more"


class ClientScreen(Screen[None]):
    CSS_PATH = str(Path(__file__).with_name("client.tcss"))
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    ACTION_SCOPE = "client"
    BINDINGS = [*bindings(ACTION_SCOPE), *reach_from(ACTION_SCOPE, "tab_action")]

    def __init__(self, client_id: str, *, tab: str | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.state = ClientState(client_id)
        self._first_tab = tab if tab in TAB_IDS else TAB_IDS[0]
        self._name = "This client"
        self._gone = False
        self._header_drawn: tuple[object, ...] | None = None

    @property
    def client(self) -> Client | None:
        return core(self).clients.get(self.client_id)

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="client-header", markup=False)
        yield Static(id="client-damage", markup=False)
        with TabbedContent(id="client-tabs", initial=self._first_tab):
            for tab in TABS:
                yield tab(self.state)
        yield Footer()

    def on_mount(self) -> None:
        client = self.client
        if client is None:
            self._client_gone()
            return
        self._name = client.name
        self.state.chain.resync(client.rev)
        self._fit_width()
        self.render_client()
        self.call_after_refresh(self._focus_tab_content)

    def on_resize(self) -> None:
        self._fit_width()
        if self.client is not None:
            self.render_client()

    def _fit_width(self) -> None:
        wide = self.app.size.width >= WIDE
        tabs = self.query_one(TabbedContent)
        for tab in TABS:
            tabs.get_tab(tab.TAB_ID).label = tab.LABEL if wide else tab.SHORT
        self.query_one(Footer).compact = not wide

    # --- tabs --------------------------------------------------------------------------------

    def tab(self, tab_id: str) -> ClientTab:
        return self.query_one(f"#{tab_id}", ClientTab)

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active or TAB_IDS[0]

    def action_show_tab(self, tab: str) -> None:
        self.render_client(tab)
        self.query_one(TabbedContent).active = tab

    def action_next_tab(self) -> None:
        index = TAB_IDS.index(self.active_tab)
        self.action_show_tab(TAB_IDS[(index + 1) % len(TAB_IDS)])

    def action_previous_tab(self) -> None:
        index = TAB_IDS.index(self.active_tab)
        self.action_show_tab(TAB_IDS[(index - 1) % len(TAB_IDS)])

    async def action_tab_action(self, tab: str, action: str) -> None:
        """A tab's key pressed on another tab: show that tab, then do it there."""
        if self.active_tab != tab:
            self.action_show_tab(tab)
        await self.app.run_action(action, self.tab(tab))

    def _focus_tab_content(self) -> None:
        """Focus what the tab shows, so its keys (and arrows) work at once. A change of focus
        refreshes the footer; without one it is refreshed here."""
        if not self.is_attached or self._gone:
            return
        target = self.tab(self.active_tab).focus_target()
        if self.focused is target:
            self.refresh_bindings()
        else:
            target.focus()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, _: TabbedContent.TabActivated) -> None:
        self.render_client()
        self._focus_tab_content()

    # --- keeping up with the data ------------------------------------------------------------

    def on_data_changed(self, _: DataChanged) -> None:
        client = self.client
        if client is None:
            self._client_gone()
            return
        if self.state.settled():
            self.state.pending.clear()
            if self.is_active:
                self.state.chain.resync(client.rev)
        self.render_client()

    def on_day_changed(self, _: DayChanged) -> None:
        if self.client is not None:
            self.render_client()

    def on_screen_resume(self) -> None:
        client = self.client
        if client is None or self._gone:
            self._client_gone()
            return
        self.state.chain.resync(client.rev)
        self.render_client()

    def _client_gone(self) -> None:
        if not self._gone:
            self._gone = True
            self.notify(
                f"{self._name} was deleted elsewhere, so there is nothing left to show here.",
                title="Client deleted",
                severity="warning",
                timeout=8,
            )
        # With a form open on top, the form closes itself first; on_screen_resume then
        # comes back here.
        if self.is_active:
            self.dismiss(None)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_write_letter(self) -> None:
        if self.client is not None:
            self.post_message(OpenLetter(self.client_id))

    def action_calendar(self) -> None:
        export_calendar(self, self.client_id)

    # --- drawing -----------------------------------------------------------------------------

    def render_client(self, tab: str | None = None) -> None:
        """Redraw the header and one tab (the one in view unless named) from the snapshot.
        Tabs out of view are drawn when they come into view, and nothing is redrawn when
        nothing it depends on has changed."""
        client = self.client
        if client is None or not self.is_mounted:
            return
        today = core(self).today
        key = (id(client), today, self.app.size)
        if key != self._header_drawn:
            self._header_drawn = key
            self._render_header(client, today)
            self._render_damage(client)
        self.tab(tab or self.active_tab).redraw()

    def _render_header(self, c: Client, today: dt.date) -> None:
        line = Text()
        line.append(c.name, style="bold")
        who = " · ".join(x for x in (c.company, c.email) if x)
        if who:
            line.append(f"  {who}", style="dim")
        line.append("\n")
        line.append(f" {c.stage.label} ", style="bold reverse")
        if c.outcome:
            retained = c.outcome.value == "retained"
            line.append(f"  {c.outcome.value}", style="bold green" if retained else "bold")
        if c.archetype:
            line.append(f"  {c.archetype.value}", style="italic")
        upcoming = deadlines(c)
        if upcoming:
            nxt = upcoming[0]
            line.append("  next: ", style="dim")
            line.append(nxt.countdown(today), style=URGENCY_STYLE[nxt.urgency(today)])
            if self.app.size.width >= WIDE:
                line.append(f" ({nxt.label}, {when(nxt.due, c.locale)})", style="dim")
        else:
            line.append("  no open deadlines", style="dim")
        owed = c.outstanding()
        line.append("  ")
        line.append(money(owed, c.currency, c.locale), style="bold yellow" if owed else "green")
        line.append(" open", style="dim")
        self.query_one("#client-header", Static).update(line)

    def _render_damage(self, c: Client) -> None:
        """A stored record with fields that break a rule opens anyway; say which, plainly."""
        box = self.query_one("#client-damage", Static)
        box.display = bool(c.damage)
        if not c.damage:
            return
        text = Text("⚠ Stored data that breaks a rule", style="bold")
        text.append(
            " (left as it was found or shown empty; correcting it with "
            f"{key_text(self, 'client.edit')} or the tab's keys replaces it, and the old "
            "value is kept in the history):\n",
            style="dim",
        )
        for problem in c.damage[:DAMAGE_LINES]:
            text.append(f"  • {problem.line()}\n")
        if len(c.damage) > DAMAGE_LINES:
            more = len(c.damage) - DAMAGE_LINES
            text.append(f"  … and {more} more (offboard show lists them all)")
        box.update(text)

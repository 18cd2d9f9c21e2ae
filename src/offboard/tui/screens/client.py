"""One client, everything about them: details and contract, red flags, the assessment, repair
attempts, the checklist of a stage, deliverables, handover, invoices, letters and history.

The screen only reads `app.clients` and sends changes through the writer thread; forms do the
typing. Quick changes (space on a checklist item) show at once and are saved in order behind
the scenes; each carries the revision the user was looking at, so a change based on an old
view is refused instead of overwriting someone else's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane, TextArea
from textual.widgets.data_table import CellDoesNotExist

from ...domain import notice
from ...domain.checklists import DONE, WAIVED
from ...domain.errors import OffboardError
from ...domain.models import (
    STAGE_ORDER,
    Archetype,
    Client,
    HandoverStatus,
    Invoice,
    LetterRecord,
    RepairOutcome,
    Stage,
)
from ...domain.timers import NOTICE_RUNNING, deadlines
from ..dialogs import ConfirmScreen
from ..forms import (
    ARCHETYPE_LABELS,
    HANDOVER_KIND_LABELS,
    HANDOVER_STATUS_LABELS,
    OUTCOME_LABELS,
    AssessmentForm,
    ConversationForm,
    DecisionForm,
    DeliverableForm,
    EditClientForm,
    FlagForm,
    FormScreen,
    HandoverForm,
    InvoiceForm,
    OutcomeForm,
    PaymentForm,
    RepairForm,
    RevChain,
    friendly_date,
    money,
)
from ..messages import DataChanged, DayChanged

if TYPE_CHECKING:
    from ...services import Services
    from ..app import OffboardApp

# (pane id, label on wide terminals, label on narrow ones)
TABS: tuple[tuple[str, str, str], ...] = (
    ("overview", "Overview", "Info"),
    ("flags", "Red flags", "Flags"),
    ("assessment", "Assessment", "Assess"),
    ("repair", "Repair", "Repair"),
    ("checklist", "Checklist", "Checks"),
    ("deliverables", "Deliverables", "Deliver"),
    ("handover", "Handover", "Handover"),
    ("invoices", "Invoices", "Invoices"),
    ("letters", "Letters", "Letters"),
    ("history", "History", "Log"),
)
TAB_IDS = tuple(t[0] for t in TABS)
WIDE = 110
AMOUNT = 12  # width of a money column

# Which tab each key's action belongs to. Keys that add something work from every tab (and
# switch to the tab that shows the result); keys that act on a highlighted row work on their
# own tab only. The footer shows the keys of the tab in view.
ADD_ACTIONS = {
    "edit_details": "overview",
    "add_flag": "flags",
    "edit_assessment": "assessment",
    "add_repair": "repair",
    "add_deliverable": "deliverables",
    "add_handover": "handover",
    "add_invoice": "invoices",
}
ROW_ACTIONS = {
    "repair_outcome": "repair",
    "toggle_check": "checklist",
    "waive_check": "checklist",
    "next_checklist": "checklist",
    "previous_checklist": "checklist",
    "toggle_deliverable": "deliverables",
    "cycle_handover": "handover",
    "record_payment": "invoices",
    "write_off": "invoices",
    "read_letter": "letters",
}
TAB_OF_ACTION = {**ADD_ACTIONS, **ROW_ACTIONS}

HANDOVER_CYCLE = (
    HandoverStatus.PENDING,
    HandoverStatus.HANDED_OVER,
    HandoverStatus.REVOKED,
    HandoverStatus.WAIVED,
)

# How to talk to each kind of client (DOMAIN.md section 5), in a line.
APPROACH = {
    Archetype.MICROMANAGER: "Talk about working styles that do not fit, not about them; "
    "suggest someone who works more hands-on.",
    Archetype.SCOPE_CREEPER: "Point to concrete cases of scope growth and what it did to "
    "quality; frame it as a mismatch in how projects are run.",
    Archetype.NON_PAYER: "Be direct about money: dates and amounts; open invoices are paid "
    "before any further work.",
    Archetype.ABUSIVE: "Safety first: short and factual, no discussion, have someone read "
    "the message first, no referral.",
    Archetype.OUTGROWN: "The business has moved on: thank them warmly and refer them to "
    "a better-suited provider.",
    Archetype.TIME_SINK: "The work no longer fits the business: give one reason, no details.",
}

URGENCY_STYLE = {
    "overdue": "bold red",
    "today": "bold yellow",
    "soon": "yellow",
    "near": "cyan",
    "later": "green",
}
STAGE_STYLE = "bold reverse"
OUTCOME_STYLE = {
    RepairOutcome.IMPROVED: "green",
    RepairOutcome.NO_CHANGE: "yellow",
    RepairOutcome.WORSE: "red",
}


def countdown(day: dt.date, today: dt.date) -> str:
    days = (day - today).days
    if days < 0:
        return f"{-days}d overdue"
    if days == 0:
        return "today"
    return f"in {days}d"


def urgency(day: dt.date, today: dt.date) -> str:
    days = (day - today).days
    if days < 0:
        return "overdue"
    if days == 0:
        return "today"
    return "soon" if days <= 3 else "near" if days <= 14 else "later"


def dated(day: dt.date | None, today: dt.date, *, live: bool = True) -> Text:
    """A date, with its countdown when it still matters."""
    if day is None:
        return Text("–", style="dim")
    text = Text(day.isoformat())
    if live:
        text.append(f" {countdown(day, today)}", style=URGENCY_STYLE[urgency(day, today)])
    return text


class LetterView(ModalScreen[None]):
    """A sent letter, read-only: what exactly went out."""

    CSS_PATH = str(Path(__file__).with_name("client.tcss"))
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape,q", "close", "Close", id="letter.close"),
    ]

    def __init__(self, letter: LetterRecord) -> None:
        super().__init__()
        self.letter = letter

    def compose(self) -> ComposeResult:
        letter = self.letter
        with Vertical(id="letter-box"):
            yield Static(letter.subject or "(no subject)", id="letter-subject", markup=False)
            meta = (
                f"Sent {friendly_date(letter.sent_on)} by {letter.channel.value} · "
                f"template {letter.template} · {letter.locale}"
            )
            yield Static(meta, id="letter-meta", markup=False)
            yield TextArea(letter.body, read_only=True, soft_wrap=True, id="letter-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#letter-body", TextArea).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class ClientScreen(Screen[None]):
    CSS_PATH = str(Path(__file__).with_name("client.tcss"))
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (WIDE, "-wide")]
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "back", "Back", id="client.back"),
        Binding(
            "right_square_bracket", "next_tab", "Next tab", key_display="]", id="client.next_tab"
        ),
        Binding(
            "left_square_bracket",
            "previous_tab",
            "Previous tab",
            key_display="[",
            show=False,
            id="client.previous_tab",
        ),
        *[
            Binding(
                str((n + 1) % 10),
                f"show_tab('{tab}')",
                f"Show {label}",
                show=False,
                id=f"client.tab.{tab}",
            )
            for n, (tab, label, _) in enumerate(TABS)
        ],
        Binding("e", "edit_details", "Edit details", id="client.edit"),
        Binding("w", "write_letter", "Write letter", id="client.letter"),
        Binding("D", "decide", "Decision", id="client.decide"),
        Binding("N", "conversation", "Notice talk", id="client.conversation"),
        Binding("f", "add_flag", "Log flag", id="client.add_flag"),
        Binding("a", "edit_assessment", "Edit assessment", id="client.assess"),
        Binding("r", "add_repair", "Add attempt", id="client.add_repair"),
        Binding("o", "repair_outcome", "Outcome", id="client.repair_outcome"),
        Binding("space", "toggle_check", "Done/open", id="client.checklist.toggle"),
        Binding("x", "waive_check", "Waive", id="client.checklist.waive"),
        Binding("s", "next_checklist", "Other stage", id="client.checklist.next"),
        Binding(
            "S",
            "previous_checklist",
            "Previous stage",
            show=False,
            id="client.checklist.previous",
        ),
        Binding("d", "add_deliverable", "Add deliverable", id="client.add_deliverable"),
        Binding("space", "toggle_deliverable", "Done/open", id="client.deliverable.toggle"),
        Binding("h", "add_handover", "Add handover item", id="client.add_handover"),
        Binding("space", "cycle_handover", "Next status", id="client.handover.cycle"),
        Binding("i", "add_invoice", "Add invoice", id="client.add_invoice"),
        Binding("p", "record_payment", "Payment", id="client.payment"),
        Binding("W", "write_off", "Write off", id="client.write_off"),
        Binding("enter", "read_letter", "Read", priority=True, id="client.read_letter"),
    ]

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id
        self._name = "This client"
        # The revision the user is looking at; set from the snapshot when the screen opens.
        self.chain = RevChain(0)
        self._gone = False
        # After a form adds a row, the cursor goes to it: (tab, the row keys before).
        self._follow: tuple[str, set[str]] | None = None
        # What each part (the header, each tab) was last drawn from.
        self._drawn: dict[str, tuple[Any, ...]] = {}
        self._checklist_stage: Stage | None = None
        # What quick changes already show, before the saved snapshot arrives: key -> value.
        self._pending: dict[tuple[str, str], Any] = {}
        self._details: dict[str, dict[str, Text | str]] = {}

    @property
    def oapp(self) -> OffboardApp:
        return self.app  # type: ignore[return-value]

    @property
    def client(self) -> Client | None:
        return self.oapp.clients.get(self.client_id)

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="client-header", markup=False)
        yield Static(id="client-damage", markup=False)
        with TabbedContent(id="client-tabs"):
            with TabPane(TABS[0][1], id="overview"), VerticalScroll(id="overview-scroll"):
                yield Static(id="overview-body", markup=False)
            yield self._table_pane("flags")
            with TabPane(TABS[2][1], id="assessment"), VerticalScroll(id="assessment-scroll"):
                yield Static(id="assessment-body", markup=False)
            for tab in TAB_IDS[3:]:
                yield self._table_pane(tab)
        yield Footer()

    def _table_pane(self, tab: str) -> TabPane:
        label = next(t[1] for t in TABS if t[0] == tab)
        table: DataTable[Any] = DataTable(
            id=f"{tab}-table", cursor_type="row", zebra_stripes=True, classes="pane-table"
        )
        return TabPane(
            label,
            Static(id=f"{tab}-summary", classes="pane-summary", markup=False),
            table,
            Static(id=f"{tab}-detail", classes="pane-detail", markup=False),
            id=tab,
        )

    def on_mount(self) -> None:
        client = self.client
        if client is None:
            self._client_gone()
            return
        self._name = client.name
        self.chain.resync(client.rev)
        self._checklist_stage = client.stage
        self._apply_tab_labels()
        self.query_one(Footer).compact = self.app.size.width < WIDE
        self.render_client()
        self.call_after_refresh(self._focus_tab_content)

    def on_resize(self) -> None:
        self._apply_tab_labels()
        self.query_one(Footer).compact = self.app.size.width < WIDE
        if self.client is not None:
            self.render_client()

    def _apply_tab_labels(self) -> None:
        wide = self.app.size.width >= WIDE
        tabs = self.query_one(TabbedContent)
        for tab, long, short in TABS:
            tabs.get_tab(tab).label = long if wide else short

    # --- tabs --------------------------------------------------------------------------------

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

    def _focus_tab_content(self) -> None:
        """Focus what the tab shows, so arrows and space work on it at once. A change of
        focus refreshes the footer; without one it is refreshed here."""
        if not self.is_attached or self._gone:
            return
        tab = self.active_tab
        scrolls = ("overview", "assessment")
        target = self.query_one(f"#{tab}-scroll" if tab in scrolls else f"#{tab}-table")
        if self.focused is target:
            self.refresh_bindings()
        else:
            target.focus()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.render_client()
        self._focus_tab_content()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = ROW_ACTIONS.get(action)
        if tab is not None:
            return self.is_mounted and self.active_tab == tab
        return True

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer shows the keys of the tab in view (the others still work)."""
        bindings = super().active_bindings
        if not self.is_mounted:
            return bindings
        tab = self.active_tab
        return {
            key: active
            for key, active in bindings.items()
            if TAB_OF_ACTION.get(active.binding.action, tab) == tab
        }

    # --- keeping up with the data ------------------------------------------------------------

    def on_data_changed(self, _: DataChanged) -> None:
        client = self.client
        if client is None:
            self._client_gone()
            return
        if self.chain.inflight == 0:
            self._pending.clear()
            if self.is_active:
                self.chain.resync(client.rev)
        self.render_client()

    def on_day_changed(self, _: DayChanged) -> None:
        if self.client is not None:
            self.render_client()

    def on_screen_resume(self) -> None:
        client = self.client
        if client is None or self._gone:
            self._client_gone()
            return
        self.chain.resync(client.rev)
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

    # --- changes -----------------------------------------------------------------------------

    def change(
        self,
        label: str,
        call: Callable[[Services, int | None], Client],
        pending: tuple[tuple[str, str], Any] | None = None,
    ) -> None:
        """Send a quick change; `pending` shows its effect before the save comes back."""
        if pending is not None:
            self._pending[pending[0]] = pending[1]
            self.render_client()

        def failed(_: OffboardError) -> None:
            if self.chain.inflight == 0:
                self._pending.clear()
                if self.client is not None:
                    self.render_client()

        self.chain.submit(self.oapp, label, call, on_error=failed)

    def open_form(self, form: FormScreen, tab: str) -> None:
        """Show the tab the form's result appears on, and put the cursor on what it adds."""
        if self.active_tab != tab:
            self.action_show_tab(tab)
        table = next(self.query(f"#{tab}-table").results(DataTable), None)
        before = {str(k.value) for k in table.rows} if table is not None else set()

        def closed(result: str | None) -> None:
            if result is not None and table is not None:
                self._follow = (tab, before)

        self.app.push_screen(form, closed)

    def highlighted(self, tab: str) -> str | None:
        table = self.query_one(f"#{tab}-table", DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None
        return key

    def say(self, text: str) -> None:
        self.notify(text, timeout=4)

    # --- actions: overview, flags, assessment, repair ----------------------------------------

    def action_edit_details(self) -> None:
        self.open_form(EditClientForm(self.client_id, chain=self.chain), "overview")

    def action_add_flag(self) -> None:
        self.open_form(FlagForm(self.client_id, chain=self.chain), "flags")

    def action_edit_assessment(self) -> None:
        self.open_form(AssessmentForm(self.client_id, chain=self.chain), "assessment")

    def action_add_repair(self) -> None:
        self.open_form(RepairForm(self.client_id, chain=self.chain), "repair")

    def action_repair_outcome(self) -> None:
        client, key = self.client, self.highlighted("repair")
        attempt = next((r for r in client.repairs if r.id == key), None) if client else None
        if attempt is None:
            self.say("No repair attempt is highlighted. Add one with r.")
            return
        if not attempt.open:
            outcome = OUTCOME_LABELS[attempt.outcome].lower() if attempt.outcome else ""
            self.say(f"'{attempt.strategy}' has already ended ({outcome}).")
            return
        self.app.push_screen(OutcomeForm(self.client_id, attempt.id, chain=self.chain))

    # --- actions: checklist --------------------------------------------------------------------

    def _checklist_stages(self) -> list[Stage]:
        return [s for s in STAGE_ORDER if s in self.oapp.services.checklists]

    def _shown_stage(self) -> Stage | None:
        stages = self._checklist_stages()
        if not stages:
            return None
        if self._checklist_stage not in stages:
            client = self.client
            current = client.stage if client else stages[0]
            self._checklist_stage = current if current in stages else stages[0]
        return self._checklist_stage

    def _step_checklist(self, step: int) -> None:
        stages = self._checklist_stages()
        shown = self._shown_stage()
        if shown is None:
            return
        self._checklist_stage = stages[(stages.index(shown) + step) % len(stages)]
        self.render_client()
        table = self.query_one("#checklist-table", DataTable)
        if table.row_count:
            table.move_cursor(row=0)

    def action_next_checklist(self) -> None:
        self._step_checklist(1)

    def action_previous_checklist(self) -> None:
        self._step_checklist(-1)

    def _check_state(self, client: Client, stage: Stage, item_id: str) -> str | None:
        key = (f"check:{stage.value}", item_id)
        if key in self._pending:
            return self._pending[key]
        return client.checklist.get(stage.value, {}).get(item_id)

    def _set_check(self, wanted: str) -> None:
        client, stage, item_id = self.client, self._shown_stage(), self.highlighted("checklist")
        if client is None or stage is None or item_id is None:
            return
        state = None if self._check_state(client, stage, item_id) == wanted else wanted
        cid = client.id

        def call(s: Services, rev: int | None) -> Client:
            return s.set_checklist_item(cid, stage.value, item_id, state, expected_rev=rev)

        self.change(
            f"checklist item {state or 'open'}",
            call,
            ((f"check:{stage.value}", item_id), state),
        )

    def action_toggle_check(self) -> None:
        self._set_check(DONE)

    def action_waive_check(self) -> None:
        self._set_check(WAIVED)

    # --- actions: deliverables and handover ----------------------------------------------------

    def action_add_deliverable(self) -> None:
        self.open_form(DeliverableForm(self.client_id, chain=self.chain), "deliverables")

    def action_toggle_deliverable(self) -> None:
        client, key = self.client, self.highlighted("deliverables")
        item = next((d for d in client.deliverables if d.id == key), None) if client else None
        if item is None:
            self.say("No deliverable is highlighted. Add one with d.")
            return
        done = not self._pending.get(("deliverable", item.id), item.done)
        cid = self.client_id

        def call(s: Services, rev: int | None) -> Client:
            return s.set_deliverable_done(cid, item.id, done, expected_rev=rev)

        label = "deliverable done" if done else "deliverable reopened"
        self.change(label, call, (("deliverable", item.id), done))

    def action_add_handover(self) -> None:
        self.open_form(HandoverForm(self.client_id, chain=self.chain), "handover")

    def action_cycle_handover(self) -> None:
        client, key = self.client, self.highlighted("handover")
        item = next((h for h in client.handover if h.id == key), None) if client else None
        if item is None:
            self.say("No handover item is highlighted. Add one with h.")
            return
        now = self._pending.get(("handover", item.id), item.status)
        new = HANDOVER_CYCLE[(HANDOVER_CYCLE.index(now) + 1) % len(HANDOVER_CYCLE)]
        cid = self.client_id

        def call(s: Services, rev: int | None) -> Client:
            return s.set_handover_status(cid, item.id, new.value, expected_rev=rev)

        self.change(f"handover: {new.value}", call, (("handover", item.id), new))

    # --- actions: invoices and letters ---------------------------------------------------------

    def _highlighted_invoice(self) -> Invoice | None:
        client, key = self.client, self.highlighted("invoices")
        inv = next((i for i in client.invoices if i.id == key), None) if client else None
        if inv is None:
            self.say("No invoice is highlighted. Add one with i.")
        return inv

    def action_add_invoice(self) -> None:
        self.open_form(InvoiceForm(self.client_id, chain=self.chain), "invoices")

    def action_record_payment(self) -> None:
        inv = self._highlighted_invoice()
        if inv is None:
            return
        if inv.settled:
            state = "written off" if inv.written_off else "paid in full"
            self.say(f"Invoice {inv.number} is already {state}.")
            return
        self.app.push_screen(PaymentForm(self.client_id, inv.id, chain=self.chain))

    def action_write_off(self) -> None:
        inv = self._highlighted_invoice()
        client = self.client
        if inv is None or client is None:
            return
        if inv.settled:
            self.say(f"Invoice {inv.number} has nothing open to write off.")
            return
        owed = money(inv.outstanding, client.currency)
        lines = [f"{owed} is still open on invoice {inv.number}."]
        question = (
            "Write it off? It stops counting as owed and the history records that you let "
            "it go. ctrl+z undoes it."
        )
        cid, invoice_id = client.id, inv.id

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            def call(s: Services, rev: int | None) -> Client:
                return s.write_off(cid, invoice_id, expected_rev=rev)

            self.change(f"write off invoice {inv.number}", call)

        self.app.push_screen(ConfirmScreen("Write off", lines, question, "Write off"), answered)

    def action_decide(self) -> None:
        self.open_form(DecisionForm(self.client_id, chain=self.chain), "overview")

    def action_conversation(self) -> None:
        self.open_form(ConversationForm(self.client_id, chain=self.chain), "overview")

    def action_write_letter(self) -> None:
        from .letter import open_letter_editor

        if self.client is not None:
            open_letter_editor(self.app, self.client_id)

    def action_read_letter(self) -> None:
        client, key = self.client, self.highlighted("letters")
        letter = next((x for x in client.letters if x.id == key), None) if client else None
        if letter is None:
            self.say("There is no letter to read yet. Letters appear here once sent.")
            return
        self.app.push_screen(LetterView(letter))

    @on(DataTable.RowSelected, "#letters-table")
    def _letter_clicked(self) -> None:
        self.action_read_letter()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table_id = event.data_table.id or ""
        tab = table_id.removesuffix("-table")
        detail = self._details.get(tab, {}).get(str(event.row_key.value), "")
        self._show_detail(tab, detail)

    def _show_detail(self, tab: str, detail: Text | str) -> None:
        line = next(self.query(f"#{tab}-detail").results(Static), None)
        if line is None:
            return
        line.update(detail)
        line.display = bool(detail)

    # --- drawing -----------------------------------------------------------------------------

    def render_client(self, tab: str | None = None) -> None:
        """Redraw the header and one tab (the one in view unless named) from the snapshot.
        Tabs out of view are drawn when they come into view, and nothing is redrawn when
        nothing it depends on has changed."""
        client = self.client
        if client is None or not self.is_mounted:
            return
        today = self.oapp.today
        key = (
            id(client),
            today,
            self.app.size,
            self._checklist_stage,
            tuple(sorted(self._pending.items(), key=str)),
        )
        for part in ("header", tab or self.active_tab):
            if self._drawn.get(part) != key:
                self._drawn[part] = key
                getattr(self, f"_render_{part}")(client, today)

    def _flex(self, fixed: Iterable[int], minimum: int = 16) -> int:
        """Width left for the one flexible column after the fixed ones and the padding."""
        widths = list(fixed)
        avail = self.app.size.width - 4 - 2 * (len(widths) + 1)
        return max(minimum, avail - sum(widths))

    def _fill(
        self,
        tab: str,
        columns: list[tuple[str, int | None]],
        rows: list[tuple[str, list[Any], Text | str]],
        *,
        wrap: bool = False,
    ) -> None:
        """Refill a table, keeping the cursor on the same row (or the same position)."""
        table = self.query_one(f"#{tab}-table", DataTable)
        old_key = self.highlighted(tab)
        old_row = table.cursor_row
        table.clear(columns=True)
        for label, width in columns:
            table.add_column(label, width=width)
        keys = []
        for key, cells, _ in rows:
            # A str cell would be read as markup: client data may hold [brackets].
            shown = [Text(cell) if isinstance(cell, str) else cell for cell in cells]
            table.add_row(*shown, key=key, height=None if wrap else 1)
            keys.append(key)
        self._details[tab] = {key: detail for key, _, detail in rows}
        if self._follow is not None and self._follow[0] == tab:
            added = [k for k in keys if k not in self._follow[1]]
            if added:
                old_key = added[0]
                self._follow = None
        if keys:
            row = keys.index(old_key) if old_key in keys else min(max(old_row, 0), len(keys) - 1)
            table.move_cursor(row=row, animate=False)
            self._show_detail(tab, self._details[tab][keys[row]])
        else:
            self._show_detail(tab, "")

    def _summary(self, tab: str, text: Text | str) -> None:
        self.query_one(f"#{tab}-summary", Static).update(text)

    def _render_header(self, c: Client, today: dt.date) -> None:
        line = Text()
        line.append(c.name, style="bold")
        who = " · ".join(x for x in (c.company, c.email) if x)
        if who:
            line.append(f"  {who}", style="dim")
        line.append("\n")
        line.append(f" {c.stage.label} ", style=STAGE_STYLE)
        if c.outcome:
            line.append(
                f"  {c.outcome.value}",
                style="bold green" if c.outcome.value == "retained" else "bold",
            )
        if c.archetype:
            line.append(f"  {c.archetype.value}", style="italic")
        upcoming = deadlines(c)
        if upcoming:
            nxt = upcoming[0]
            line.append("  next: ", style="dim")
            line.append(nxt.countdown(today), style=URGENCY_STYLE[nxt.urgency(today)])
            if self.app.size.width >= WIDE:
                line.append(f" ({nxt.label}, {friendly_date(nxt.due)})", style="dim")
        else:
            line.append("  no open deadlines", style="dim")
        owed = c.outstanding()
        line.append("  ")
        line.append(money(owed, c.currency), style="bold yellow" if owed else "green")
        line.append(" open", style="dim")
        self.query_one("#client-header", Static).update(line)
        self._render_damage(c)

    def _render_damage(self, c: Client) -> None:
        """A stored record with fields that break a rule opens anyway; say which, plainly."""
        box = self.query_one("#client-damage", Static)
        box.display = bool(c.damage)
        if not c.damage:
            return
        text = Text("⚠ Stored data that breaks a rule", style="bold")
        text.append(
            " (left as it was found or shown empty; correcting it with e or the tab's keys "
            "replaces it, and the old value is kept in the history):\n",
            style="dim",
        )
        for problem in c.damage[:12]:
            text.append(f"  • {problem.line()}\n")
        if len(c.damage) > 12:
            text.append(f"  … and {len(c.damage) - 12} more (offboard show lists them all)")
        box.update(text)

    def _render_overview(self, c: Client, today: dt.date) -> None:
        def grid() -> Table:
            table = Table.grid(padding=(0, 2))
            table.add_column(style="dim", no_wrap=True)
            table.add_column(ratio=1)
            return table

        def section(table: Table, title: str) -> None:
            if table.row_count:
                table.add_row("", "")
            table.add_row(Text(title, style="bold"), "")

        def row(table: Table, label: str, value: Text | str | None) -> None:
            if value in (None, ""):
                value = Text("–", style="dim")
            table.add_row(label, Text(value) if isinstance(value, str) else value)

        who, where = grid(), grid()
        section(who, "Client")
        row(who, "Name", c.name)
        row(who, "Company", c.company)
        row(who, "Email", c.email)
        row(who, "Letter language", c.locale)
        row(who, "Currency", c.currency)
        row(who, "Archetype", ARCHETYPE_LABELS[c.archetype] if c.archetype else "not set")
        if c.archetype:
            row(who, "Approach", Text(APPROACH[c.archetype], style="italic"))
        row(who, "Added", c.created.isoformat() if c.created else None)

        k = c.contract
        section(who, "Contract")
        period = k.notice_period
        if period:
            text = Text(period)
            try:
                parsed = notice.parse_period(period)
                holidays = self.oapp.services.config.holidays
                last = notice.last_working_day(today, parsed, holidays)
                text.append(
                    f"  (if given today, the last working day is {friendly_date(last)})",
                    style="dim",
                )
            except OffboardError:
                pass
            row(who, "Notice period", text)
        else:
            row(who, "Notice period", Text("not set; the default applies", style="dim"))
        row(who, "Termination clause", k.termination_clause)
        row(who, "Contract end", dated(k.contract_end, today) if k.contract_end else None)
        terms = k.payment_terms_days
        default_terms = self.oapp.services.config.payment_terms_days
        row(
            who,
            "Payment terms",
            f"{terms} days" if terms is not None else f"{default_terms} days (default)",
        )
        rate = k.hourly_rate
        row(who, "Hourly rate", money(rate, c.currency) if rate is not None else None)

        section(where, "Where things stand")
        row(where, "Stage", c.stage.label + (f" ({c.outcome.value})" if c.outcome else ""))
        if c.decision:
            d = c.decision
            row(where, "Decision", f"{d.decision.value}, on {d.on}: {d.reason}")
        else:
            row(where, "Decision", Text("none recorded yet", style="dim"))
        if c.conversation:
            conv = c.conversation
            row(where, "Notice given", f"{conv.on} by {conv.channel.value}, {conv.period}")
            running = c.stage in NOTICE_RUNNING
            row(where, "Last working day", dated(conv.last_day, today, live=running))
        if c.lessons:
            row(where, "Lessons learned", c.lessons)

        outer = Table.grid(padding=(0, 4))
        hint = Text(
            "e edits the details and the contract; D records the decision, N the notice "
            "conversation.\n",
            style="dim",
        )
        if self.app.size.width >= WIDE:
            outer.add_column(ratio=3)
            outer.add_column(ratio=2)
            outer.add_row(hint, "")
            outer.add_row(who, where)
        else:
            outer.add_row(hint)
            outer.add_row(who)
            outer.add_row(where)
        self.query_one("#overview-body", Static).update(outer)

    def _render_flags(self, c: Client, today: dt.date) -> None:
        counts = c.flag_counts()
        if c.flags:
            summary = Text(f"{len(c.flags)} red flag(s): ")
            summary.append(f"{counts[3]} severe", style="bold red" if counts[3] else "dim")
            summary.append(f", {counts[2]} serious, {counts[1]} minor.")
        else:
            summary = Text("No red flags logged yet. Press f to log the first one.", style="dim")
        self._summary("flags", summary)
        wide = self.app.size.width >= WIDE
        fixed = [10, 3, 13] + ([28] if wide else [])
        columns: list[tuple[str, int | None]] = [
            ("Date", 10),
            ("Sev", 3),
            ("Category", 13),
            ("What happened", self._flex(fixed)),
        ]
        if wide:
            columns.append(("Evidence", 28))
        rows = []
        for f in sorted(c.flags, key=lambda f: f.on, reverse=True):
            sev = Text(
                "●" * f.severity + "○" * (3 - f.severity),
                style=("dim", "yellow", "bold red")[f.severity - 1],
            )
            cells: list[Any] = [f.on.isoformat(), sev, f.category.value, Text(f.description)]
            if wide:
                cells.append(Text(f.evidence or "–", style="dim"))
            detail = Text(
                f"Evidence: {f.evidence}" if f.evidence else "No evidence noted.", style="dim"
            )
            rows.append((f.id, cells, detail))
        self._fill("flags", columns, rows, wrap=True)

    def _render_assessment(self, c: Client, today: dt.date) -> None:
        a = c.assessment
        cfg = self.oapp.services.config
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)
        rate = a.effective_rate()
        grid.add_row("Revenue", money(a.revenue, c.currency) if a.revenue is not None else "–")
        grid.add_row("Hours", f"{a.hours:,.2f}" if a.hours is not None else "–")
        if rate is not None:
            rate_text = Text(money(rate, c.currency) + " an hour")
            if cfg.target_rate:
                below = rate < cfg.target_rate
                rate_text.append(
                    f"  ({'below' if below else 'at or above'} your target of "
                    f"{cfg.target_rate:,.2f})",
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
        grid.add_row("Reviewed on", a.on.isoformat() if a.on else Text("never", style="dim"))
        counts = c.flag_counts()
        grid.add_row(
            "Red flags",
            f"{len(c.flags)} ({counts[3]} severe, {counts[2]} serious, {counts[1]} minor)",
        )
        intro = (
            "Press a to edit the assessment."
            if a.filled_in
            else ("Not filled in yet. Press a to weigh revenue and hours against the cost.")
        )
        outer = Table.grid()
        outer.add_row(Text(intro + "\n", style="dim"))
        outer.add_row(grid)
        self.query_one("#assessment-body", Static).update(outer)

    def _render_repair(self, c: Client, today: dt.date) -> None:
        open_count = sum(1 for r in c.repairs if r.open)
        if c.repairs:
            summary = Text(f"{len(c.repairs)} attempt(s), {open_count} still running.")
        else:
            summary = Text(
                "No repair attempts yet. Press r to try one change with a review date.",
                style="dim",
            )
        self._summary("repair", summary)
        fixed = [10, 22, 10]
        columns = [
            ("Strategy", self._flex(fixed)),
            ("Started", 10),
            ("Review", 22),
            ("Outcome", 10),
        ]
        rows = []
        for r in c.repairs:
            outcome = (
                Text(
                    OUTCOME_LABELS[r.outcome],
                    style=OUTCOME_STYLE[r.outcome],
                )
                if r.outcome
                else Text("running", style="italic")
            )
            detail = Text(f"Notes: {r.notes}" if r.notes else "No notes.", style="dim")
            rows.append(
                (
                    r.id,
                    [
                        Text(r.strategy),
                        r.started.isoformat(),
                        dated(r.review, today, live=r.open and c.active),
                        outcome,
                    ],
                    detail,
                )
            )
        self._fill("repair", columns, rows, wrap=True)

    def _render_checklist(self, c: Client, today: dt.date) -> None:
        stage = self._shown_stage()
        if stage is None:
            self._summary("checklist", Text("No checklists are installed.", style="dim"))
            self._fill("checklist", [("Item", None)], [])
            return
        checklist = self.oapp.services.checklists[stage]
        states = {item.id: self._check_state(c, stage, item.id) for item in checklist.items}
        done = sum(1 for s in states.values() if s == DONE)
        waived = sum(1 for s in states.values() if s == WAIVED)
        summary = Text()
        summary.append(f"{checklist.title}", style="bold")
        summary.append(" (current stage)" if stage is c.stage else " (another stage)", style="dim")
        summary.append(f"  {done} of {len(checklist.items)} done")
        if waived:
            summary.append(f", {waived} waived")
        summary.append(".")
        self._summary("checklist", summary)
        marks = {
            DONE: Text("✓ done", style="bold green"),
            WAIVED: Text("– waived", style="dim"),
            None: Text("· open", style="yellow"),
        }
        rows = []
        for item in checklist.items:
            state = states[item.id]
            text = Text(item.text, style="dim" if state == WAIVED else "")
            detail = Text(item.hint, style="dim") if item.hint else ""
            rows.append((item.id, [marks.get(state, marks[None]), text], detail))
        self._fill("checklist", [("State", 8), ("Item", self._flex([8]))], rows, wrap=True)

    def _render_deliverables(self, c: Client, today: dt.date) -> None:
        states = [self._pending.get(("deliverable", d.id), d.done) for d in c.deliverables]
        if c.deliverables:
            summary = Text(f"{sum(states)} of {len(c.deliverables)} delivered. ")
            if c.conversation:
                summary.append(f"Last working day: {friendly_date(c.conversation.last_day)}.")
        else:
            summary = Text(
                "No deliverables recorded. Press d to add what you still owe the client.",
                style="dim",
            )
        self._summary("deliverables", summary)
        rows = []
        for d, done in zip(c.deliverables, states, strict=True):
            mark = Text("✓ done", style="bold green") if done else Text("· open", style="yellow")
            due = dated(d.due, today, live=not done and c.active)
            rows.append((d.id, [mark, Text(d.title), due], ""))
        columns = [("State", 8), ("Deliverable", self._flex([8, 22])), ("Due", 22)]
        self._fill("deliverables", columns, rows, wrap=True)

    def _render_handover(self, c: Client, today: dt.date) -> None:
        statuses = [self._pending.get(("handover", h.id), h.status) for h in c.handover]
        settled = sum(1 for s in statuses if s is not HandoverStatus.PENDING)
        summary = Text()
        if c.handover:
            summary.append(f"{settled} of {len(c.handover)} settled. ")
        else:
            summary.append("Nothing to hand over recorded yet. ", style="dim")
        summary.append("Access is recorded as a label, never the secret itself.", style="dim")
        self._summary("handover", summary)
        styles = {
            HandoverStatus.PENDING: "yellow",
            HandoverStatus.HANDED_OVER: "bold green",
            HandoverStatus.REVOKED: "green",
            HandoverStatus.WAIVED: "dim",
        }
        rows = []
        for h, status in zip(c.handover, statuses, strict=True):
            kind = HANDOVER_KIND_LABELS[h.kind].split(" ")[0]
            state = Text(HANDOVER_STATUS_LABELS[status], style=styles[status])
            when = h.on.isoformat() if h.on and status is h.status else ""
            rows.append((h.id, [kind, Text(h.label), state, when], ""))
        columns = [
            ("Kind", 9),
            ("Item", self._flex([9, 14, 10])),
            ("Status", 14),
            ("On", 10),
        ]
        self._fill("handover", columns, rows, wrap=True)

    def _render_invoices(self, c: Client, today: dt.date) -> None:
        owed = c.outstanding()
        open_count = sum(1 for i in c.invoices if i.outstanding)
        if c.invoices:
            summary = Text(f"{len(c.invoices)} invoice(s); open: ")
            summary.append(money(owed, c.currency), style="bold yellow" if owed else "green")
            if open_count:
                summary.append(f" on {open_count}")
            summary.append(".")
        else:
            summary = Text("No invoices recorded. Press i to add one.", style="dim")
        self._summary("invoices", summary)
        wide = self.app.size.width >= WIDE
        rows = []
        for inv in c.invoices:
            number = inv.number + (" (final)" if inv.final else "")
            paid = ", ".join(f"{p.amount:,.2f} on {p.on}" for p in inv.payments) or "none yet"
            detail = Text(f"Issued {inv.issued}, due {inv.due}. Payments: {paid}.", style="dim")
            cells: list[Any] = [number]
            if wide:
                cells.append(inv.issued.isoformat())
            cells += [
                inv.due.isoformat(),
                Text(f"{inv.amount:,.2f}".rjust(AMOUNT)),
                Text(
                    f"{inv.outstanding:,.2f}".rjust(AMOUNT),
                    style="bold" if inv.outstanding else "dim",
                ),
                self._invoice_state(inv, today),
            ]
            rows.append((inv.id, cells, detail))
        fixed = [10, AMOUNT, AMOUNT, 12] + ([10] if wide else [])
        columns: list[tuple[str, int | None]] = [("Invoice", self._flex(fixed, minimum=8))]
        if wide:
            columns.append(("Issued", 10))
        columns += [
            ("Due", 10),
            ("Amount".rjust(AMOUNT), AMOUNT),
            ("Open".rjust(AMOUNT), AMOUNT),
            ("State", 12),
        ]
        self._fill("invoices", columns, rows)

    @staticmethod
    def _invoice_state(inv: Invoice, today: dt.date) -> Text:
        if inv.written_off:
            return Text("written off", style="dim")
        if inv.settled:
            return Text("paid", style="green")
        days = (inv.due - today).days
        text = f"{-days}d overdue" if days < 0 else "due today" if days == 0 else f"due in {days}d"
        return Text(text, style=URGENCY_STYLE[urgency(inv.due, today)])

    def _render_letters(self, c: Client, today: dt.date) -> None:
        if c.letters:
            summary = Text(f"{len(c.letters)} letter(s) sent. ")
            summary.append("enter shows the full text.", style="dim")
        else:
            summary = Text("No letters sent yet.", style="dim")
        self._summary("letters", summary)
        rows = []
        for letter in sorted(c.letters, key=lambda x: x.sent_on, reverse=True):
            rows.append(
                (
                    letter.id,
                    [
                        letter.sent_on.isoformat(),
                        letter.channel.value,
                        Text(letter.subject or letter.template),
                    ],
                    "",
                )
            )
        columns = [("Sent", 10), ("Channel", 12), ("Subject", self._flex([10, 12]))]
        self._fill("letters", columns, rows)

    def _render_history(self, c: Client, today: dt.date) -> None:
        self._summary("history", Text(f"{len(c.history)} event(s), newest first.", style="dim"))
        rows = []
        events = list(enumerate(c.history))
        for index, event in reversed(events):
            when = event.at.strftime("%Y-%m-%d %H:%M")
            actor = Text(event.actor, style="dim")
            rows.append((str(index), [when, actor, Text(event.summary)], ""))
        columns = [("When", 16), ("By", 16), ("What", self._flex([16, 16]))]
        self._fill("history", columns, rows, wrap=True)

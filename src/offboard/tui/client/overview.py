"""The Overview tab: who the client is, the contract, how to approach this kind of client,
and where things stand (the decision, the notice conversation)."""

from __future__ import annotations

import datetime as dt

from rich.table import Table
from rich.text import Text

from ...domain import notice
from ...domain.errors import OffboardError
from ...domain.models import Archetype, Client
from ...domain.timers import NOTICE_RUNNING
from ...formats import counted, money
from ..actions import bindings, key_text
from ..core import core
from ..forms import ARCHETYPE_LABELS, ConversationForm, DecisionForm, EditClientForm
from .tab import dated, when
from .table_tab import PageTab

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


def _grid() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(ratio=1)
    return table


def _section(table: Table, title: str) -> None:
    if table.row_count:
        table.add_row("", "")
    table.add_row(Text(title, style="bold"), "")


def _row(table: Table, label: str, value: Text | str | None) -> None:
    if value is None or value == "":
        value = Text("–", style="dim")
    # Client data is never read as markup: a str becomes Text as written.
    table.add_row(label, Text(value) if isinstance(value, str) else value)


def _intake(table: Table, c: Client) -> None:
    """The answers of the screening the client went through as a prospect; those that
    counted against it marked."""
    against = sum(1 for x in c.intake if x.against)
    _section(table, "Intake notes (screening)")
    _row(table, "Screened", f"{when(c.intake[0].on, c.locale)}: {against} of "
         f"{counted(len(c.intake), 'answer')} against")  # fmt: skip
    for x in c.intake:
        line = Text(f"{x.answer.value} ", style="bold red" if x.against else "bold")
        line.append(f"[{x.kind.label}] ", style="dim")
        line.append(" ".join(x.item.split()))
        _row(table, "", line)


class OverviewTab(PageTab):
    TAB_ID, LABEL, SHORT = "overview", "Overview", "Info"
    ACTION_SCOPE = "client.overview"
    BINDINGS = bindings(ACTION_SCOPE)

    def action_edit_details(self) -> None:
        self.open_form(EditClientForm(self.state.client_id, chain=self.state.chain))

    def action_decide(self) -> None:
        self.open_form(DecisionForm(self.state.client_id, chain=self.state.chain))

    def action_conversation(self) -> None:
        self.open_form(ConversationForm(self.state.client_id, chain=self.state.chain))

    def draw(self, client: Client, today: dt.date) -> None:
        who, where = self._who(client, today), self._where(client, today)
        outer = Table.grid(padding=(0, 4))
        edit, decide = key_text(self, "client.edit"), key_text(self, "client.decide")
        hint = Text(
            f"{edit} edits the details and the contract; {decide} records the decision, "
            f"{key_text(self, 'client.conversation')} the notice conversation.\n",
            style="dim",
        )
        if self.wide:
            outer.add_column(ratio=3)
            outer.add_column(ratio=2)
            outer.add_row(hint, "")
            outer.add_row(who, where)
        else:
            outer.add_row(hint)
            outer.add_row(who)
            outer.add_row(where)
        self.show(outer)

    def _who(self, c: Client, today: dt.date) -> Table:
        services = core(self).services
        config = services.config
        loc = c.locale
        who = _grid()
        _section(who, "Client")
        _row(who, "Name", c.name)
        _row(who, "Company", c.company)
        _row(who, "Email", c.email)
        _row(who, "Letter language", c.locale)
        _row(who, "Currency", c.currency)
        if c.country:
            _row(who, "Country", f"{c.country} (its public holidays are not working days)")
        _row(who, "Archetype", ARCHETYPE_LABELS[c.archetype] if c.archetype else "not set")
        if c.archetype:
            _row(who, "Approach", Text(APPROACH[c.archetype], style="italic"))
        _row(who, "Added", when(c.created, loc) if c.created else None)

        k = c.contract
        _section(who, "Contract")
        if k.notice_period:
            text = Text(k.notice_period)
            try:
                parsed = notice.parse_period(k.notice_period)
                last = notice.last_working_day(today, parsed, services.working_days(c))
                text.append(
                    f"  (if given today, the last working day is {when(last, loc)})",
                    style="dim",
                )
            except OffboardError:
                pass
            _row(who, "Notice period", text)
        else:
            _row(who, "Notice period", Text("not set; the default applies", style="dim"))
        _row(who, "Termination clause", k.termination_clause)
        end = dated(k.contract_end, today, loc) if k.contract_end else None
        _row(who, "Contract end", end)
        terms = k.payment_terms_days
        default = f"{counted(config.payment_terms_days, 'day')} (default)"
        _row(who, "Payment terms", counted(terms, "day") if terms is not None else default)
        rate = k.hourly_rate
        _row(who, "Hourly rate", money(rate, c.currency, loc) if rate is not None else None)
        return who

    def _where(self, c: Client, today: dt.date) -> Table:
        where = _grid()
        _section(where, "Where things stand")
        _row(where, "Stage", c.stage.label + (f" ({c.outcome.value})" if c.outcome else ""))
        if c.decision:
            d = c.decision
            decided = f"{d.decision.value}, on {when(d.on, c.locale)}: {d.reason}"
            _row(where, "Decision", decided)
        else:
            _row(where, "Decision", Text("none recorded yet", style="dim"))
        if c.conversation:
            conv = c.conversation
            given = f"{when(conv.on, c.locale)} by {conv.channel.value}, {conv.period}"
            _row(where, "Notice given", given)
            running = c.stage in NOTICE_RUNNING
            _row(where, "Last working day", dated(conv.last_day, today, c.locale, live=running))
            off = core(self).services.last_day_check(c)
            if off is not None:
                # Holidays known now that were not when it was recorded: said, never moved.
                again = key_text(self, "client.conversation")
                recount = (
                    f"; counted anew ({again}), the notice ends on {when(off.recounted, c.locale)}"
                    if off.recounted and off.recounted != off.next_working
                    else ""
                )
                _row(where, "", Text(
                    f"⚠ not a working day ({off.why}); the next working day is "
                    f"{when(off.next_working, c.locale)}{recount}. Nothing was changed.",
                    style="bold yellow",
                ))  # fmt: skip
        if c.lessons:
            count = len(c.lessons)
            _row(where, "Lessons learned", f"{count} recorded (on the Lessons tab)")
        if c.intake:
            _intake(where, c)
        return where

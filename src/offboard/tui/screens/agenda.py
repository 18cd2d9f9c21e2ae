"""The agenda: every open deadline of every client, earliest first, counting down live.

Rows are grouped by week (overdue, today, this week, next week, then "w/c <Monday>") and
coloured by urgency with the current theme's colours, so they stay readable whichever
Textual theme is chosen. Enter opens the client of the highlighted row.

The deadlines come from the board's projection, already in order and worked out once per
client revision (tui/board/deadlines.py): opening the agenda decodes no client. Opened before
the board's warm-up has worked them all out (a second or so after start at 10,000 clients),
the agenda shows at once, says it is working them out, and fills in when they are known; its
keys (escape among them) answer meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from rich.color import ColorParseError
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Static

from ...domain.timers import KIND_NOUNS, SOON_DAYS, Deadline
from ...formats import counted, deadline_text
from ..actions import bindings, key_text
from ..calendar import export_calendar
from ..core import core
from ..messages import DataChanged, DayChanged, OpenClient
from ..widgets.deadline_table import PADDING, Column, DeadlineTable
from ..widgets.footer import Footer
from ..widgets.header import Header

# What one deadline of each kind is called: (one, several).
KIND_PLURALS = {kind: several for kind, (_, several) in KIND_NOUNS.items()}
# Column widths: the week column appears from WIDE columns on; text is clipped with an
# ellipsis rather than scrolling sideways.
WIDE = 110
CLIENT_WIDTH = 30
CLIENT_WIDTH_NARROW = 20
WHAT_WIDTH = 70
MIN_WHAT = 12
SCROLLBAR = 2
# Cards whose deadlines are worked out between two frames while the agenda waits for them
# (about 10 ms at 10,000 clients): the board's own warm-up takes fewer, as it runs unasked.
WAIT_SLICE = 128


@dataclass(frozen=True)
class _Layout:
    week: bool
    columns: tuple[Column, ...]


def deadline_key(deadline: Deadline) -> str:
    """A stable identity for a row, so the cursor can find the same deadline after a redraw."""
    return f"{deadline.client_id}|{deadline.kind}|{deadline.due.isoformat()}|{deadline.label}"


def short_date(day: dt.date, today: dt.date) -> str:
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def week_group(due: dt.date, today: dt.date) -> str:
    """The heading a deadline sits under: overdue, today, this/next week, or its week."""
    days = (due - today).days
    if days < 0:
        return "Overdue"
    if days == 0:
        return "Today"
    monday = today - dt.timedelta(days=today.weekday())
    if due < monday + dt.timedelta(days=7):
        return "This week"
    if due < monday + dt.timedelta(days=14):
        return "Next week"
    start = due - dt.timedelta(days=due.weekday())
    return f"w/c {short_date(start, today)[4:]}"


@dataclass(frozen=True)
class _Measures:
    """What the column widths depend on, read from the deadline index without a pass over
    every deadline."""

    longest_name: int  # in cells
    countdown: int  # the longest countdown text: that of the earliest or latest of a kind
    other_year: bool  # a date not in this year is shown (the first or the last)


class AgendaScreen(Screen[None]):
    """All deadlines sorted by date; `t` or escape goes back."""

    CSS_PATH = "agenda.tcss"
    # On a short terminal the blank line above the summary goes, to show one more deadline.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    ACTION_SCOPE = "agenda"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self, *, kind: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.deadlines: list[Deadline] = []
        self._shown: list[Deadline] = []
        self._stale = False
        self._drawn_layout: _Layout | None = None
        self._measures = _Measures(0, 0, False)
        self._drawn: tuple[object, ...] | None = None
        self._ready = False  # every client's deadlines are known (see _work_out_deadlines)

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="agenda-summary", markup=False)
        yield DeadlineTable(id="agenda-table")
        yield Static(id="agenda-empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Agenda: every deadline, earliest first"
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        if core(self).projection().warmed:
            self._ready = True
            self.rebuild()
        else:
            self._work_out_deadlines()
        self.table.focus()

    @work(group="agenda-deadlines", exclusive=True, exit_on_error=False)
    async def _work_out_deadlines(self) -> None:
        """Show the screen now and the deadlines once the board's warm-up (helped along
        here) knows them all, rather than hold every key until then."""
        projection = core(self).projection()
        many = counted(len(projection.cards), "client")
        self.query_one("#agenda-summary", Static).update(Text("Reading deadlines…", "bold"))
        self.table.display = False
        empty = self.query_one("#agenda-empty", Static)
        empty.display = True
        empty.update(f"Working out the deadlines of {many}…")
        try:
            for _ in projection.warm(WAIT_SLICE):
                await asyncio.sleep(0)
        except Exception as error:  # a bug of ours: the worker would hide it
            self.query_one("#agenda-summary", Static).update(Text("No deadlines", "bold"))
            empty.update(
                f"The deadlines could not be worked out: an unexpected error ({error!r}). "
                "Please report this; your data is unchanged. Close the agenda with escape."
            )
            self.log.error("the agenda's deadlines failed:", repr(error))
            return
        self._ready = True
        self.rebuild(force=True)

    def on_unmount(self) -> None:
        # The signal keys its subscribers weakly, but the callback is a method of this screen
        # and holds it: without this, every agenda ever opened would stay in memory.
        self.app.theme_changed_signal.unsubscribe(self)

    @property
    def table(self) -> DeadlineTable:
        return self.query_one("#agenda-table", DeadlineTable)

    # --- data ------------------------------------------------------------------------------

    def rebuild(self, *, force: bool = False) -> None:
        """Read the latest clients and redraw, keeping the cursor on the same deadline."""
        self._stale = False
        if not self._ready:
            return  # drawn when the deadlines are known
        today = core(self).today
        known = core(self).projection().deadline_index()
        # Copies: the index's own lists change in place when a client changes.
        self.deadlines = list(known.deadlines())
        shown = list(known.deadlines(self.kind)) if self.kind else self.deadlines
        self._measures = _Measures(
            known.longest_name(self.kind),
            max((len(d.countdown(today)) for d in known.extremes(self.kind)), default=0),
            bool(shown) and {shown[0].due.year, shown[-1].due.year} != {today.year},
        )
        layout = self._layout()
        drawn = (today, layout, self.app.theme, shown)
        if drawn == self._drawn and not force:
            # Most saves touch no deadline: nothing to redraw.
            return
        self._drawn = drawn

        table = self.table
        previous_key, previous_row = self._cursor_key(), table.cursor_row
        self._drawn_layout = layout
        # Rows are found by index: `_shown[i]` is the deadline drawn in row i.
        self._shown = shown
        row = previous_row
        if previous_key is not None:
            for index, deadline in enumerate(shown):
                if deadline_key(deadline) == previous_key:
                    row = index
                    break
        table.set_rows(layout.columns, len(shown), self._cell_maker(shown, today, layout), row)
        overdue = known.due_before(today, self.kind)
        soon = known.due_before(today + dt.timedelta(days=SOON_DAYS + 1), self.kind) - overdue
        self._update_summary(shown, overdue, soon)
        self.refresh_bindings()

    def _layout(self) -> _Layout:
        """Column choices for the current width: the week column only where it fits, and the
        client and description clipped so the table never needs a horizontal scrollbar."""
        # Before the first layout the table has no size yet: the screen's width less the
        # table's margins is what it will get.
        width = self.table.size.width or (self.app.size.width - 2) or 80
        wide = width >= WIDE
        measures = self._measures
        # Dates and week names are at most "Wed 30 Sep" long, plus a year when one differs.
        dates = 15 if measures.other_year else 10
        longest_name = measures.longest_name or 6
        client = min(CLIENT_WIDTH if wide else CLIENT_WIDTH_NARROW, longest_name)
        columns = [
            Column("due", "Due", dates),
            Column("countdown", "Countdown", max(9, measures.countdown)),
            Column("client", "Client", max(client, 6)),
        ]
        if wide:
            columns.insert(0, Column("week", "Week", dates))
        used = SCROLLBAR + sum(c.width + 2 * PADDING for c in columns) + 2 * PADDING
        what = max(MIN_WHAT, min(WHAT_WIDTH, width - used))
        columns.append(Column("what", "What", what))
        return _Layout(wide, tuple(columns))

    def _cell_maker(
        self, shown: list[Deadline], today: dt.date, layout: _Layout
    ) -> Callable[[int], list[Text]]:
        """How to draw row i, done only for the rows in view."""
        styles = self._urgency_styles()
        heading = self._heading_style()
        bold = Style(bold=True)

        def cells(index: int) -> list[Text]:
            deadline = shown[index]
            style = styles[deadline.urgency(today)]
            label = deadline_text(deadline, short=not layout.week)
            row = [
                Text(short_date(deadline.due, today), style=style),
                Text(deadline.countdown(today), style=style + bold),
                Text(deadline.client_name, style=style),
                Text(label, style=style),
            ]
            if layout.week:
                group = week_group(deadline.due, today)
                first = index == 0 or week_group(shown[index - 1].due, today) != group
                row.insert(0, Text(group if first else "", style=heading))
            return row

        return cells

    def on_resize(self) -> None:
        if self._drawn_layout is None:
            return
        if self._layout() != self._drawn_layout:
            self.call_after_refresh(self.rebuild)

    def _update_summary(self, shown: list[Deadline], overdue: int, soon: int) -> None:
        summary = self.query_one("#agenda-summary", Static)
        empty = self.query_one("#agenda-empty", Static)
        one, several = KIND_NOUNS[self.kind] if self.kind else ("deadline", "deadlines")
        parts = [counted(len(shown), one, several) if shown else f"No {several}"]
        if overdue:
            parts.append(f"{overdue} overdue")
        if soon:
            parts.append(f"{soon} due within {SOON_DAYS} days")
        text = Text(" · ".join(parts), style="bold")
        if self.kind:
            every = key_text(self, "agenda.kind_all")
            text.append(f"   {KIND_PLURALS[self.kind]} only; {every} shows all", style="dim")
        summary.update(text)

        self.table.display = bool(shown)
        empty.display = not shown
        if shown:
            return
        if self.kind and self.deadlines:
            empty.update(
                f"No {KIND_PLURALS[self.kind]} are due. "
                f"Hidden: {counted(len(self.deadlines), 'other deadline')}; "
                f"press {key_text(self, 'agenda.kind_all')} to see every kind."
            )
        else:
            empty.update(
                "Nothing is due. No notice period is running out, no repair is waiting for "
                "its review, and every invoice and deliverable is settled.\n\n"
                f"Press {key_text(self, 'agenda.close')} to go back."
            )

    def _cursor_key(self) -> str | None:
        deadline = self.highlighted
        return None if deadline is None else deadline_key(deadline)

    @property
    def highlighted(self) -> Deadline | None:
        """The deadline under the cursor, if any."""
        row = self.table.cursor_row
        if 0 <= row < len(self._shown):
            return self._shown[row]
        return None

    # --- colours ---------------------------------------------------------------------------

    def _colour(self, name: str) -> Style:
        """A theme colour as a Rich style; the text-* variants are the ones made to be read
        on the theme's background, light or dark."""
        value = self.app.theme_variables.get(name, "")
        try:
            return Style(color=value) if value else Style()
        except ColorParseError:  # not a colour Rich can read: plain text is still readable
            return Style()

    def _urgency_styles(self) -> dict[str, Style]:
        error = self._colour("text-error")
        warning = self._colour("text-warning")
        return {
            "overdue": error + Style(bold=True),
            "today": warning + Style(bold=True),
            "soon": warning,
            "near": Style(),
            "later": Style(dim=True),
        }

    def _heading_style(self) -> Style:
        return self._colour("text-accent") + Style(bold=True)

    def _theme_changed(self, _theme: Theme) -> None:
        self._refresh_soon()

    # --- keeping up to date ----------------------------------------------------------------

    def _refresh_soon(self) -> None:
        """Redraw now if visible; otherwise when the screen comes back."""
        if self.is_current:
            self.rebuild()
        else:
            self._stale = True

    @on(DataChanged)
    def _data_changed(self) -> None:
        self._refresh_soon()

    @on(DayChanged)
    def _day_changed(self) -> None:
        self._refresh_soon()

    def on_screen_resume(self) -> None:
        if self._stale:
            self.rebuild()

    # --- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            # Greyed out in the footer while there is nothing to open.
            return True if self._shown else None
        return True

    def action_close(self) -> None:
        self.dismiss()

    def action_open(self) -> None:
        deadline = self.highlighted
        if deadline is None:
            return
        if deadline.client_id not in core(self).clients:
            self.notify("That client no longer exists.", severity="warning")
            return
        self.post_message(OpenClient(deadline.client_id))

    def action_cursor(self, delta: int) -> None:
        self.table.move_cursor(delta)

    def action_page(self, direction: int) -> None:
        self.table.page(direction)

    def action_edge(self, last: int) -> None:
        self.table.cursor_row = len(self._shown) - 1 if last else 0

    def action_calendar(self) -> None:
        export_calendar(self)

    def action_kind(self, kind: str) -> None:
        self.kind = "" if kind == self.kind else kind
        self.rebuild()

    @on(DeadlineTable.Selected)
    def _row_clicked(self, event: DeadlineTable.Selected) -> None:
        event.stop()
        self.action_open()

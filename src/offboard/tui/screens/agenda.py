"""The agenda: every open deadline of every client, earliest first, counting down live.

Rows are grouped by week (overdue, today, this week, next week, then "w/c <Monday>") and
coloured by urgency with the current theme's colours, so they stay readable whichever
Textual theme is chosen. Enter opens the client of the highlighted row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.color import ColorParseError
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.theme import Theme
from textual.widgets import Footer, Header, Static

from ...domain.timers import Deadline, agenda
from ...formats import deadline_text
from ..messages import DataChanged, DayChanged

KIND_PLURALS = {
    "last-day": "last working days",
    "review": "repair reviews",
    "invoice": "invoices",
    "deliverable": "deliverables",
}
# Keys 1-4 narrow the agenda to one kind of deadline; 0 shows every kind again.
KIND_GROUP = Binding.Group("Show kind", compact=True)

# Column widths: the week column appears from WIDE columns on; text is clipped with an
# ellipsis rather than scrolling sideways.
WIDE = 110
CLIENT_WIDTH = 30
CLIENT_WIDTH_NARROW = 20
WHAT_WIDTH = 70
MIN_WHAT = 12
PADDING = 1
SCROLLBAR = 2


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


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


# In a narrow table the countdown already names the kind, so the description drops it.
_KIND_PREFIXES = ("invoice ", "deliver: ", "review repair: ")


def short_label(label: str) -> str:
    for prefix in _KIND_PREFIXES:
        if label.startswith(prefix) and len(label) > len(prefix):
            return label[len(prefix) :]
    return label


def _countdown_width(shown: list[Deadline], today: dt.date) -> int:
    """The longest countdown text without writing them all: within one kind the longest is
    the most overdue or the furthest away, so only those are measured."""
    extremes: dict[str, tuple[Deadline, Deadline]] = {}
    for deadline in shown:  # sorted by date: the first of a kind is the earliest
        first, _last = extremes.get(deadline.kind, (deadline, deadline))
        extremes[deadline.kind] = (first, deadline)
    candidates = {d for pair in extremes.values() for d in pair}
    return max((len(d.countdown(today)) for d in candidates), default=0)


class DeadlineTable(ScrollView, can_focus=True, inherit_bindings=False):
    """A table that draws only the rows in view, so thousands of deadlines open and redraw
    as fast as a dozen. Rows are produced on demand by the screen (`cells(index)`); the keys
    that move the cursor are the screen's, so they show in the footer and in help."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "deadline-table--header",
        "deadline-table--cursor",
    }

    cursor_row: reactive[int] = reactive(0, init=False)

    class Selected(Message):
        """A row was clicked twice (or clicked while under the cursor)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: tuple[Column, ...] = ()
        self.row_count = 0
        self._cells: Callable[[int], list[Text]] = lambda _index: []
        self._strips: dict[tuple[int, bool, bool, int], Strip] = {}

    # --- data ------------------------------------------------------------------------------

    def set_rows(
        self,
        columns: tuple[Column, ...],
        count: int,
        cells: Callable[[int], list[Text]],
        cursor: int = 0,
    ) -> None:
        self.columns = columns
        self.row_count = count
        self._cells = cells
        self._strips.clear()
        self.virtual_size = Size(self.virtual_size.width, count + 1)  # +1: the header
        self.set_reactive(DeadlineTable.cursor_row, max(0, min(cursor, count - 1)))
        self.refresh()
        self.call_after_refresh(self.scroll_to_cursor)

    def cells(self, index: int) -> list[Text]:
        """Row `index` as styled text, one per column (before clipping to the column)."""
        return self._cells(index)

    def row_text(self, index: int) -> list[str]:
        """The plain text of a row's cells (tests, copying)."""
        return [cell.plain for cell in self._cells(index)]

    # --- cursor ----------------------------------------------------------------------------

    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self.row_count - 1))

    def watch_cursor_row(self) -> None:
        self.refresh()
        self.scroll_to_cursor()

    def scroll_to_cursor(self) -> None:
        top = round(self.scroll_offset.y)
        visible = self._visible_rows
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def move_cursor(self, delta: int) -> None:
        self.cursor_row = self.cursor_row + delta

    def page(self, direction: int) -> None:
        self.move_cursor(direction * self._visible_rows)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.row_count + 1)
        self.scroll_to_cursor()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = round(self.scroll_offset.y) + offset.y - 1
        if 0 <= index < self.row_count:
            was = self.cursor_row
            self.cursor_row = index
            if event.chain > 1 or was == index:
                self.post_message(self.Selected(index))

    # --- drawing ---------------------------------------------------------------------------

    def _line(self, cells: list[Text], width: int, style: Style | None) -> Strip:
        line = Text(no_wrap=True, end="")
        pad = " " * PADDING
        for column, cell in zip(self.columns, cells, strict=False):
            fitted = cell.copy()
            fitted.truncate(column.width, overflow="ellipsis", pad=True)
            line.append(pad)
            line.append_text(fitted)
            line.append(pad)
        if line.cell_len < width:
            line.append(" " * (width - line.cell_len))
        if style is not None:
            line.stylize(style)
        segments = Segment.apply_style(line.render(self.app.console), self.rich_style)
        return Strip(segments).crop(0, width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            header = self.get_component_rich_style("deadline-table--header")
            labels = [Text(column.label) for column in self.columns]
            return self._line(labels, width, header)
        index = round(self.scroll_offset.y) + y - 1
        if index >= self.row_count:
            return Strip.blank(width, self.rich_style)
        cursor = index == self.cursor_row
        key = (index, cursor, self.has_focus, width)
        strip = self._strips.get(key)
        if strip is None:
            style = self.get_component_rich_style("deadline-table--cursor") if cursor else None
            strip = self._line(self._cells(index), width, style)
            if len(self._strips) > 2000:
                self._strips.clear()
            self._strips[key] = strip
        return strip


class AgendaScreen(Screen[None]):
    """All deadlines sorted by date; `t` or escape goes back."""

    CSS_PATH = "agenda.tcss"
    HELP_GROUP = "Agenda"
    # On a short terminal the blank line above the summary goes, to show one more deadline.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-tall")]

    BINDINGS = [
        Binding("escape,t", "close", "Back", id="agenda.close"),
        Binding("enter", "open", "Open client", id="agenda.open"),
        Binding("down,j", "cursor(1)", "Next deadline", show=False, id="agenda.down"),
        Binding("up,k", "cursor(-1)", "Previous deadline", show=False, id="agenda.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="agenda.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="agenda.page_up"),
        Binding("home", "edge(0)", "First deadline", show=False, id="agenda.first"),
        Binding("end", "edge(1)", "Last deadline", show=False, id="agenda.last"),
        Binding("0", "kind('')", "All kinds", group=KIND_GROUP, id="agenda.kind_all"),
        Binding("1", "kind('last-day')", "Last days only", group=KIND_GROUP, id="agenda.kind_1"),
        Binding("2", "kind('review')", "Reviews only", group=KIND_GROUP, id="agenda.kind_2"),
        Binding("3", "kind('invoice')", "Invoices only", group=KIND_GROUP, id="agenda.kind_3"),
        Binding(
            "4", "kind('deliverable')", "Deliverables only", group=KIND_GROUP, id="agenda.kind_4"
        ),
    ]

    def __init__(self, *, kind: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.deadlines: list[Deadline] = []
        self._shown: list[Deadline] = []
        self._stale = False
        self._drawn_layout: _Layout | None = None
        self._drawn: tuple[object, ...] | None = None

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
        self.rebuild()
        self.table.focus()

    @property
    def table(self) -> DeadlineTable:
        return self.query_one("#agenda-table", DeadlineTable)

    # --- data ------------------------------------------------------------------------------

    def rebuild(self, *, force: bool = False) -> None:
        """Read the latest clients and redraw, keeping the cursor on the same deadline."""
        self._stale = False
        today: dt.date = self.app.today  # type: ignore[attr-defined]
        clients = self.app.clients.values()  # type: ignore[attr-defined]
        self.deadlines = agenda(clients)
        shown = [d for d in self.deadlines if not self.kind or d.kind == self.kind]
        layout = self._layout(shown, today)
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
        self._update_summary(today, shown)
        self.refresh_bindings()

    def _layout(self, shown: list[Deadline], today: dt.date) -> _Layout:
        """Column choices for the current width: the week column only where it fits, and the
        client and description clipped so the table never needs a horizontal scrollbar."""
        # Before the first layout the table has no size yet: the screen's width less the
        # table's margins is what it will get.
        width = self.table.size.width or (self.app.size.width - 2) or 80
        wide = width >= WIDE
        # Dates and week names are at most "Wed 30 Sep" long, plus a year when one differs.
        other_year = bool(shown) and {shown[0].due.year, shown[-1].due.year} != {today.year}
        dates = 15 if other_year else 10
        longest_name = max((cell_len(d.client_name) for d in shown), default=6)
        client = min(CLIENT_WIDTH if wide else CLIENT_WIDTH_NARROW, longest_name)
        columns = [
            Column("due", "Due", dates),
            Column("countdown", "Countdown", max(9, _countdown_width(shown, today))),
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
            text = deadline_text(deadline)
            label = text if layout.week else short_label(text)
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
        today: dt.date = self.app.today  # type: ignore[attr-defined]
        if self._layout(self._shown, today) != self._drawn_layout:
            self.call_after_refresh(self.rebuild)

    def _update_summary(self, today: dt.date, shown: list[Deadline]) -> None:
        summary = self.query_one("#agenda-summary", Static)
        empty = self.query_one("#agenda-empty", Static)
        overdue = sum(1 for d in shown if d.days(today) < 0)
        soon = sum(1 for d in shown if 0 <= d.days(today) <= 3)
        what = KIND_PLURALS[self.kind] if self.kind else "deadlines"
        parts = [f"{len(shown)} {what}" if shown else f"No {what}"]
        if overdue:
            parts.append(f"{overdue} overdue")
        if soon:
            parts.append(f"{soon} due within 3 days")
        text = Text(" · ".join(parts), style="bold")
        if self.kind:
            text.append(f"   {KIND_PLURALS[self.kind]} only; 0 shows all", style="dim")
        summary.update(text)

        self.table.display = bool(shown)
        empty.display = not shown
        if shown:
            return
        if self.kind and self.deadlines:
            empty.update(
                f"No {KIND_PLURALS[self.kind]} are due. "
                f"{len(self.deadlines)} other deadline(s) are hidden: press 0 to see them."
            )
        else:
            empty.update(
                "Nothing is due. No notice period is running out, no repair is waiting for "
                "its review, and every invoice and deliverable is settled.\n\n"
                "Press escape to go back."
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
        if deadline.client_id not in self.app.clients:  # type: ignore[attr-defined]
            self.notify("That client no longer exists.", severity="warning")
            return
        from .client import ClientScreen

        self.app.push_screen(ClientScreen(deadline.client_id))

    def action_cursor(self, delta: int) -> None:
        self.table.move_cursor(delta)

    def action_page(self, direction: int) -> None:
        self.table.page(direction)

    def action_edge(self, last: int) -> None:
        self.table.cursor_row = len(self._shown) - 1 if last else 0

    def action_kind(self, kind: str) -> None:
        self.kind = "" if kind == self.kind else kind
        self.rebuild()

    @on(DeadlineTable.Selected)
    def _row_clicked(self, event: DeadlineTable.Selected) -> None:
        event.stop()
        self.action_open()

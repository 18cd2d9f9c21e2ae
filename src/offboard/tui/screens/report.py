"""The exit report: what happened to the clients over a period, and who caused the trouble.

On the left, the Pareto view drawn with Rich text: one bar per client (its trouble, the
biggest at full width) and beside it the running share as a line of dots that climbs to
100 %, with the 80 % mark; the same by red-flag category; then the outcomes, money, stages
and repairs as text. On the right, the exact figures in a table; `enter` opens the client.

The report is computed in a worker thread from the clients the app has read, with a progress
bar, so the screen never freezes on a large database; a change to the data computes it again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.cells import cell_len, set_cell_size
from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, ProgressBar, Static
from textual.worker import Worker

from ...domain.errors import OffboardError
from ...domain.report import Report
from ...domain.trouble import VITAL_SHARE, Pareto
from ...formats import counted, day, money, number
from ..actions import bindings, key_text
from ..core import core
from ..fixes import error_text
from ..messages import DataChanged, OpenClient
from ..widgets.footer import Footer
from ..widgets.header import Header
from ..workers import thread_work

# The periods `p` steps through: (how the summary names it, days back; None: everything).
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("the last 12 months", 365),
    ("the last 90 days", 90),
    ("all time", None),
)
EARLIEST = dt.date(1900, 1, 1)  # "all time": the first day a date may have
LABEL_WIDTH = 16
# The table's fixed columns: a long name is cut, the figures stay; "#" has room for "10*".
COLUMN_WIDTHS = {"#": 4, "Client": 22}
BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(fraction: float, width: int) -> str:
    """A horizontal bar `fraction` (0-1) of `width` cells long, in eighths of a cell."""
    eighths = round(max(0.0, min(fraction, 1.0)) * width * 8)
    whole, part = divmod(eighths, 8)
    text = "█" * whole + (BLOCKS[part] if part else "")
    return text.ljust(width)


def running_line(cumulative: float, width: int) -> str:
    """The running share as a dot on a track, with ┊ at the 80 % mark: read down the rows,
    the dots draw the cumulative line."""
    cells = [" "] * width
    mark = min(round(VITAL_SHARE * (width - 1)), width - 1)
    cells[mark] = "┊"
    at = min(round(cumulative * (width - 1)), width - 1)
    for i in range(at):
        if cells[i] == " ":
            cells[i] = "─"
    cells[at] = "●"
    return "".join(cells)


def pareto_chart(
    p: Pareto, width: int, rows: int | None = None, vital_style: str | Style = "bold"
) -> Text:
    """The Pareto view as text: label, bar, running share; the vital few in bold (their bars
    in `vital_style`)."""
    out = Text()
    if not p.rows:
        return out.append("No trouble on record in the period.", style="dim")
    # A narrow pane shortens the names first, then the bar and the line share what is left.
    label_width = max(min(LABEL_WIDTH, width // 3), 6)
    room = max(width - label_width - 2, 8)
    bar_width, line_width = room // 2, room - room // 2 - 1
    top = p.rows[0].points or 1.0
    for row in p.rows[: rows or len(p.rows)]:
        label = row.label
        if cell_len(label) > label_width:
            label = set_cell_size(label, label_width - 1) + "…"
        style = "bold" if row.vital else "dim"
        out.append(set_cell_size(label, label_width) + " ", style=style)
        out.append(bar(row.points / top, bar_width), style=vital_style if row.vital else "dim")
        out.append(" ")
        out.append(running_line(row.cumulative, line_width), style="dim")
        out.append("\n")
    shown = len(p.rows) if rows is None else min(rows, len(p.rows))
    if shown < len(p.rows):
        out.append(
            f"… and {counted(len(p.rows) - shown, 'more client', 'more clients')}\n", style="dim"
        )
    return out


class ReportScreen(Screen[None]):
    """The exit report; `R` or escape goes back."""

    CSS_PATH = "report.tcss"
    ACTION_SCOPE = "report"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self) -> None:
        super().__init__()
        self.period = 0
        self.report: Report | None = None
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="report-summary", markup=False)
        yield ProgressBar(id="report-progress", show_eta=False)
        with Horizontal(id="report-body"):
            with VerticalScroll(id="report-charts"):
                yield Static(id="report-text", markup=False)
            yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Exit report"
        table = self.query_one("#report-table", DataTable)
        for label in ("#", "Client", "Trouble", "Share", "Cum.", "Flags", "Unpaid h",
                      "Unbilled h"):  # fmt: skip
            table.add_column(label, key=label, width=COLUMN_WIDTHS.get(label))
        # The arrows move through the clients; the charts scroll with the mouse.
        table.focus()
        self.compute()

    # --- computing -------------------------------------------------------------------------

    def compute(self) -> None:
        """Compute the report for the chosen period in a worker; the progress bar shows."""
        self._stale = False
        progress = self.query_one("#report-progress", ProgressBar)
        progress.display = True
        progress.update(total=None, progress=0)
        self.query_one("#report-summary", Static).update(
            Text(f"Computing the report for {PERIODS[self.period][0]}…", style="dim")
        )
        today = core(self).today
        days = PERIODS[self.period][1]
        start = EARLIEST if days is None else today - dt.timedelta(days=days - 1)
        self._run(start, today)

    @work(thread=True, exclusive=True, group="report")
    def _run(self, start: dt.date, end: dt.date) -> None:
        with thread_work() as worker:
            self._compute(worker, start, end)

    def _compute(self, worker: Worker[None], start: dt.date, end: dt.date) -> None:
        app = core(self)
        clients = app.clients.values()

        def step(done: int, of: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._progress, done, of)

        try:
            found = app.services.report(start, end, clients=clients, progress=step)
        except OffboardError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, exc)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, found)

    def _progress(self, done: int, of: int) -> None:
        self.query_one("#report-progress", ProgressBar).update(total=of, progress=done)

    def _failed(self, exc: OffboardError) -> None:
        self.query_one("#report-progress", ProgressBar).display = False
        self.query_one("#report-summary", Static).update(
            Text(f"The report cannot be computed: {error_text(exc)}", style="red")
        )

    # --- showing ---------------------------------------------------------------------------

    def _show(self, report: Report) -> None:
        self.report = report
        self.query_one("#report-progress", ProgressBar).display = False
        locale = core(self).config.locale
        c = report.counts
        summary = Text(
            f"{PERIODS[self.period][0].capitalize()}, {day(report.start, locale, 'medium')} "
            f"to {day(report.end, locale, 'medium')}: ",
            style="bold",
        )
        summary.append(
            f"{counted(c.in_scope, 'client')}, {c.assessed} assessed, {c.repaired} with a repair "
            f"attempt, {c.retained} retained, {c.offboarded} offboarded"
        )
        summary.append(f"   {key_text(self, 'report.period')} other period", style="dim")
        self.query_one("#report-summary", Static).update(summary)
        self._fill_table(report, locale)
        self.query_one("#report-text", Static).update(self._text(report, locale))

    def _fill_table(self, report: Report, locale: str) -> None:
        table = self.query_one("#report-table", DataTable)
        keep = self.highlighted
        table.clear()
        troubles = {t.client_id: t for t in report.troubles}
        for n, row in enumerate(report.clients.rows, 1):
            t = troubles[row.key]
            table.add_row(
                f"{n}{'*' if row.vital else ''}",
                row.label,
                _figure(row.points, locale),
                f"{row.share * 100:.0f} %",
                f"{row.cumulative * 100:.0f} %",
                str(t.flags),
                number(t.unpaid_hours, locale, decimals=1),
                number(t.unbilled_hours, locale, decimals=1),
                key=row.key,
            )
        if keep is not None and keep in troubles:
            table.move_cursor(row=table.get_row_index(keep))
        # "open" needs a row (check_action): the footer must hear that it changed.
        self.refresh_bindings()

    def _text(self, r: Report, locale: str) -> Text:
        width = max(self.query_one("#report-charts").size.width - 2, 20)
        vital = self._accent()
        out = Text()
        out.append("Who caused the trouble\n", style="bold underline")
        out.append(_vital(r.clients, "client", "clients", "the trouble") + "\n", style="dim")
        out.append_text(pareto_chart(r.clients, width, rows=15, vital_style=vital))
        out.append("\nBy red-flag category\n", style="bold underline")
        out.append(_vital(r.categories, "category", "categories", "the flag points") + "\n",
                   style="dim")  # fmt: skip
        out.append_text(pareto_chart(r.categories, width, vital_style=vital))

        out.append("\nThose who left\n", style="bold underline")
        if not r.leavers:
            out.append("No client was offboarded in the period.\n", style="dim")
        for x in r.leavers:
            lead = "" if x.lead_days is None else f", first flag {x.lead_days} days before"
            out.append(f"{x.name}", style="bold")
            out.append(f" ({x.archetype or 'no archetype'}, closed {x.closed}{lead})")
            out.append(f": {x.reason}\n" if x.reason else "\n")

        out.append("\nMoney\n", style="bold underline")
        if not r.money:
            out.append("Nothing paid, written off, refunded or owed in the period.\n", style="dim")
        for m in r.money:
            out.append(
                f"{m.currency}: earned {money(m.earned, m.currency, locale)}, written off "
                f"{money(m.written_off, m.currency, locale)}, refunded "
                f"{money(m.refunded, m.currency, locale)}, still owed "
                f"{money(m.owed, m.currency, locale)}\n"
            )
        unknown = f" (not known for {r.unbilled_unknown})" if r.unbilled_unknown else ""
        out.append(f"Unbilled hours: {number(r.unbilled_hours, locale, decimals=1)}{unknown}\n")

        out.append("\nMedian days in each stage\n", style="bold underline")
        for stay in r.stages:
            out.append(
                f"{stay.stage.label}: {stay.median_days:g} ({counted(stay.stays, 'stay')})\n"
            )
        if not r.stages:
            out.append("No stay in a stage ended in the period.\n", style="dim")

        out.append("\nRepair strategies\n", style="bold underline")
        for attempt in r.repairs:
            rate = "-" if attempt.success_rate is None else f"{attempt.success_rate * 100:.0f} %"
            out.append(f"{attempt.strategy}: {counted(attempt.tried, 'attempt')}, success {rate}\n")
        if not r.repairs:
            out.append("No repair attempt started in the period.\n", style="dim")
        return out

    def _accent(self) -> str:
        """The theme's accent for the vital few's bars, if Rich can read it."""
        accent = self.app.theme_variables.get("text-accent", "")
        try:
            Style.parse(f"bold {accent}")
        except StyleSyntaxError:
            return "bold"
        return f"bold {accent}"

    @property
    def highlighted(self) -> str | None:
        table = self.query_one("#report-table", DataTable)
        if not table.row_count:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return None if key.value is None else str(key.value)

    # --- keeping up to date ----------------------------------------------------------------

    def on_resize(self) -> None:
        # The charts are drawn for the pane's width: draw them again for the new one.
        if self.report is not None:
            self.call_after_refresh(self._redraw_text)

    def _redraw_text(self) -> None:
        if self.report is not None:
            text = self._text(self.report, core(self).config.locale)
            self.query_one("#report-text", Static).update(text)

    @on(DataChanged)
    def _data_changed(self) -> None:
        if self.is_current:
            self.compute()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self.compute()

    # --- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return True if self.highlighted is not None else None
        return True

    def action_close(self) -> None:
        self.workers.cancel_group(self, "report")
        self.dismiss()

    def action_period(self) -> None:
        self.period = (self.period + 1) % len(PERIODS)
        self.compute()

    def action_open(self) -> None:
        client_id = self.highlighted
        if client_id is None:
            return
        if client_id not in core(self).clients:
            self.notify("That client no longer exists.", severity="warning")
            return
        self.post_message(OpenClient(client_id))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()


def _figure(value: float, locale: str) -> str:
    return number(Decimal(str(value)), locale, decimals=1)


def _vital(p: Pareto, noun: str, plural: str, of: str) -> str:
    if p.share is None:
        return f"No trouble on record for these {plural}."
    return (
        f"{p.vital_few} of the {counted(p.out_of, noun, plural)} ({p.share * 100:.0f} %) "
        f"{'makes' if p.vital_few == 1 else 'make'} {VITAL_SHARE * 100:.0f} % of {of} (in bold)."
    )

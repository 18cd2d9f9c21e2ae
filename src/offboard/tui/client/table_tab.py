"""The two shapes a client tab takes: a list (a summary line, a table and a line of detail
for the highlighted row) or a page of text that scrolls."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.widgets.data_table import CellDoesNotExist

from ..forms import FormScreen
from .state import ClientState
from .tab import ClientTab

# A row: its key, its cells, and the detail line shown while it is highlighted.
Row = tuple[str, list[Any], Text | str]
Columns = Sequence[tuple[str, int | None]]


class TableTab(ClientTab):
    def __init__(self, state: ClientState) -> None:
        super().__init__(state)
        self._details: dict[str, Text | str] = {}
        # After a form adds a row, the cursor goes to it: the row keys before the form.
        self._follow: set[str] | None = None

    def compose(self) -> ComposeResult:
        tab = self.TAB_ID
        yield Static(id=f"{tab}-summary", classes="pane-summary", markup=False)
        yield DataTable(
            id=f"{tab}-table", cursor_type="row", zebra_stripes=True, classes="pane-table"
        )
        yield Static(id=f"{tab}-detail", classes="pane-detail", markup=False)

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one(f"#{self.TAB_ID}-table", DataTable)

    def focus_target(self) -> Widget:
        return self.table

    def highlighted(self) -> str | None:
        """The key of the row under the cursor."""
        table = self.table
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None
        return key

    def open_form(self, form: FormScreen) -> None:
        """Put the cursor on what the form adds, once it is saved."""
        before = {str(k.value) for k in self.table.rows}

        def closed(result: str | None) -> None:
            if result is not None:
                self._follow = before

        self.app.push_screen(form, closed)

    # --- drawing ------------------------------------------------------------------------------

    def flex(self, fixed: Iterable[int], minimum: int = 16) -> int:
        """Width left for the one flexible column after the fixed ones and the padding."""
        widths = list(fixed)
        avail = self.app.size.width - 4 - 2 * (len(widths) + 1)
        return max(minimum, avail - sum(widths))

    def summary(self, text: Text | str) -> None:
        self.query_one(f"#{self.TAB_ID}-summary", Static).update(text)

    def fill(self, columns: Columns, rows: list[Row], *, wrap: bool = False) -> None:
        """Refill the table, keeping the cursor on the same row (or the same position)."""
        table = self.table
        old_key = self.highlighted()
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
        self._details = {key: detail for key, _, detail in rows}
        if self._follow is not None:
            added = [k for k in keys if k not in self._follow]
            if added:
                old_key = added[0]
                self._follow = None
        if keys:
            row = keys.index(old_key) if old_key in keys else min(max(old_row, 0), len(keys) - 1)
            table.move_cursor(row=row, animate=False)
            self._show_detail(self._details[keys[row]])
        else:
            self._show_detail("")

    def _show_detail(self, detail: Text | str) -> None:
        line = self.query_one(f"#{self.TAB_ID}-detail", Static)
        line.update(detail)
        line.display = bool(detail)

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(self._details.get(str(event.row_key.value), ""))


class PageTab(ClientTab):
    """A tab that is one page of text."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id=f"{self.TAB_ID}-scroll"):
            yield Static(id=f"{self.TAB_ID}-body", markup=False)

    def focus_target(self) -> Widget:
        return self.query_one(f"#{self.TAB_ID}-scroll")

    def show(self, page: RenderableType) -> None:
        self.query_one(f"#{self.TAB_ID}-body", Static).update(page)

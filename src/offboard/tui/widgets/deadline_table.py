"""A table that draws only the rows in view, so thousands of rows open and redraw as fast as
a dozen: the agenda's list of deadlines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PADDING = 1  # cells either side of every column


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


class DeadlineTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows are produced on demand by the screen (`cells(index)`); the keys that move the
    cursor are the screen's, so they show in the footer and in help."""

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

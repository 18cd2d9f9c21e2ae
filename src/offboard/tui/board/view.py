"""The whole board as one line-API widget: every column's title, cards and scrollbar.

Seven columns of containers, titles and card lists made 31 widgets, and the first frame
asked each to lay itself out and paint its own background. Here the screen has one widget
that draws only the lines on screen, so the first frame renders one line per row of the
terminal whatever the number of clients or columns.

The board scrolls sideways as a ScrollView (its horizontal scrollbar is Textual's own).
Each column keeps its own vertical offset and draws its own scrollbar cells, as the old
per-column card lists did, so the board looks as it did then.
"""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip

from ...domain.models import Stage
from ..core import core
from .column import CARD_HEIGHT, FaceContext, card_face, face_context, fit
from .model import COLUMNS, BoardModel, Card

MIN_COLUMN_WIDTH = 22
_PARTS = ("name", "unsaved", "meta", "money")


def column_width(screen_width: int) -> int:
    """As many whole columns as fit at 22 cells or more; the rest scroll into view."""
    visible = max(1, min(len(COLUMNS), screen_width // MIN_COLUMN_WIDTH))
    return max(MIN_COLUMN_WIDTH, (screen_width - 1) // visible)


class BoardView(ScrollView, can_focus=False):
    COMPONENT_CLASSES = {
        "column-title",
        "column-title--active",
        "card",
        "card--focused",
        "card--name",
        "card--meta",
        "card--money",
        "card--overdue",
        "card--today",
        "card--soon",
        "card--near",
        "card--later",
        "card--unsaved",
    }

    DEFAULT_CSS = """
    BoardView {
        height: 1fr;
        overflow-x: auto;
        overflow-y: hidden;
    }
    """

    class Clicked(Message):
        def __init__(self, stage: Stage, index: int, double: bool) -> None:
            super().__init__()
            self.stage = stage
            self.index = index
            self.double = double

    def __init__(self, model: BoardModel, **kwargs) -> None:
        super().__init__(**kwargs)
        self.model = model
        self.today = dt.date.min
        # What the cards' faces are worked out in (the day, the settings): asked again whenever
        # lines are redrawn from the model (refresh_columns), not for every line drawn.
        self._faces_in: FaceContext | None = None
        self.pending: set[str] = set()
        self.titles: dict[Stage, str] = {stage: stage.label for stage in COLUMNS}
        self.offsets: dict[Stage, int] = {stage: 0 for stage in COLUMNS}
        self.column_width = MIN_COLUMN_WIDTH
        # Each column's drawn lines by row: a line is redrawn only when its column changed,
        # although Textual asks for whole rows of the widget when any part of them is dirty.
        self._lines: dict[Stage, dict[int, list[Segment]]] = {stage: {} for stage in COLUMNS}
        self._bars: dict[Stage, list[Segment] | None] = {}
        self._grab: tuple[Stage, int, int] | None = None  # dragging a column's scrollbar
        self._base: tuple[Style, Style] | None = None
        self._card_style_cache: dict[tuple[bool, str], tuple[Style, ...]] = {}

    # --- geometry ----------------------------------------------------------------------------

    @property
    def area(self) -> int:
        """Rows for cards in each column: the height below the titles."""
        return max(self.scrollable_content_region.height - 1, 0)

    def max_offset(self, stage: Stage) -> int:
        return max(len(self.model.columns[stage]) * CARD_HEIGHT - self.area, 0)

    def has_bar(self, stage: Stage) -> bool:
        return len(self.model.columns[stage]) * CARD_HEIGHT > self.area

    def column_region(self, stage: Stage) -> Region:
        """Where a column is drawn, in the widget's visible coordinates."""
        width = self.column_width
        x = COLUMNS.index(stage) * width - self.scroll_offset.x
        return Region(x, 0, width, self.scrollable_content_region.height)

    def on_resize(self) -> None:
        self.column_width = column_width(self.screen.size.width)
        # As wide as the columns and no taller than the widget: only sideways scrolling.
        self.virtual_size = Size(self.column_width * len(COLUMNS), 0)
        self._forget()
        for stage in COLUMNS:
            self.offsets[stage] = min(self.offsets[stage], self.max_offset(stage))
        # The old scroll offset counted old column widths: it may now show other columns, so
        # bring the focused one (and its card) back into view. This is also the first layout,
        # where focus may start on a column to the right of the screen.
        model = self.model
        self.scroll_to_column(model.col)
        if model.columns[model.stage]:
            self.scroll_to_card(model.stage, model.row())
        self.refresh()

    def scroll_to_column(self, index: int) -> None:
        """Scroll by whole columns so none is left cut in half at the edge, as little as
        shows column `index`."""
        width = self.column_width
        visible = max(1, self.size.width // width)
        first = round(self.scroll_x / width)
        if index < first:
            first = index
        elif index >= first + visible:
            first = index - visible + 1
        # Always to a column's edge, also when it is in view: after a resize the old offset
        # may fall mid-column. Forced: on the first layout Textual has not yet worked out
        # that the board overflows, and would not scroll at all.
        self.scroll_to(x=first * width, animate=False, force=True)

    # --- what to draw ------------------------------------------------------------------------

    def refresh_columns(self, stages: set[Stage] | None = None) -> None:
        """Redraw these columns (all by default) from the model, and only their cells."""
        everything = stages is None
        self._faces_in = None
        for stage in COLUMNS if stages is None else stages:
            # A column that lost cards (a move, a filter) may now be scrolled past its end.
            self.offsets[stage] = min(self.offsets[stage], self.max_offset(stage))
            if not everything:
                self._lines[stage].clear()
                self._bars.pop(stage, None)
                region = self.column_region(stage)
                if region.right > 0 and region.x < self.size.width:
                    self.refresh(region)
        if everything:
            self._forget()
            self.refresh()

    def scroll_column(self, stage: Stage, offset: int) -> None:
        offset = max(0, min(offset, self.max_offset(stage)))
        if offset != self.offsets[stage]:
            self.offsets[stage] = offset
            self.refresh_columns({stage})

    def scroll_to_card(self, stage: Stage, index: int) -> None:
        """Scroll the column as little as needed to show the whole card."""
        top = index * CARD_HEIGHT
        offset = self.offsets[stage]
        if top < offset or self.area < CARD_HEIGHT:
            offset = top
        elif top + CARD_HEIGHT > offset + self.area:
            offset = top + CARD_HEIGHT - self.area
        self.scroll_column(stage, offset)

    def _forget(self) -> None:
        self._faces_in = None
        for lines in self._lines.values():
            lines.clear()
        self._bars.clear()
        self._base = None
        self._card_style_cache.clear()

    def notify_style_update(self) -> None:
        # A new theme or stylesheet: the cached lines hold the old colours.
        super().notify_style_update()
        self._forget()

    # --- drawing -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        column = self.column_width
        scroll_x = self.scroll_offset.x
        first = min(scroll_x // column, len(COLUMNS) - 1)
        last = min((scroll_x + width - 1) // column, len(COLUMNS) - 1)
        segments: list[Segment] = []
        for index in range(first, last + 1):
            stage = COLUMNS[index]
            lines = self._lines[stage]
            line = lines.get(y)
            if line is None:
                line = lines[y] = self._column_line(stage, y)
            segments += line
        drawn = (last + 1) * column
        if scroll_x + width > drawn:
            segments.append(Segment(" " * (scroll_x + width - drawn), self._styles()[1]))
        start = scroll_x - first * column
        strip = Strip(segments, drawn - first * column + max(scroll_x + width - drawn, 0))
        return strip.crop(start, start + width) if start or strip.cell_length > width else strip

    def _styles(self) -> tuple[Style, Style]:
        """The widget's own style and its background alone: asking Textual walks the DOM."""
        if self._base is None:
            base = self.rich_style
            self._base = (base, Style(bgcolor=base.bgcolor))
        return self._base

    def _column_line(self, stage: Stage, y: int) -> list[Segment]:
        """One row of one column: a blank cell of gutter, then the title or the cards."""
        inner = self.column_width - 1
        base, blank = self._styles()
        line = [Segment(" ", blank)]
        if y == 0:
            return line + self._title(stage, inner)
        bar = self._bar(stage)
        width = inner - 1 if bar else inner
        cards = self.model.columns[stage]
        index, part = divmod(y - 1 + self.offsets[stage], CARD_HEIGHT)
        if index >= len(cards) or part == CARD_HEIGHT - 1:
            line.append(Segment(" " * width, base))
        else:
            model = self.model
            focused = stage is model.stage and index == model.row(stage)
            body = self._card_line(cards[index], part, inner, focused)
            if bar:
                # Cards are laid out for the column's full width and the scrollbar covers the
                # last cell (the card's closing blank), as when each column scrolled itself.
                body.pop()
            line += body
        if bar:
            line.append(bar[y - 1] if y - 1 < len(bar) else Segment(" ", base))
        return line

    def _title(self, stage: Stage, width: int) -> list[Segment]:
        names = ("column-title", "column-title--active") if stage is self.model.stage else ()
        style = self.get_component_rich_style(*(names or ("column-title",)))
        back = Style(bgcolor=style.bgcolor)
        text = self.titles[stage]
        room = max(width - 2, 0)
        if cell_len(text) > room:
            text = set_cell_size(text, room)
        segments = [Segment(" ", back), Segment(text, style)]
        fill = room - cell_len(text)
        if fill:
            segments.append(Segment(" " * fill, back))
        if width > 1:
            segments.append(Segment(" ", back))
        return segments

    def _bar(self, stage: Stage) -> list[Segment] | None:
        """The column's vertical scrollbar, one cell per card row (None: everything fits)."""
        if stage in self._bars:
            return self._bars[stage]
        bar = None
        if self.has_bar(stage):
            styles = self.styles
            background = styles.scrollbar_background
            color = styles.scrollbar_color
            if background.a < 1:
                background = self.background_colors[0] + background
            color = background + color
            area = self.area
            virtual = len(self.model.columns[stage]) * CARD_HEIGHT
            drawn = ScrollBarRender.render_bar(
                size=area,
                virtual_size=virtual,
                window_size=area,
                position=self.offsets[stage],
                thickness=1,
                vertical=True,
                back_color=background.rich_color,
                bar_color=color.rich_color,
            )
            base = self._styles()[0]
            bar = [
                Segment(seg.text, base + seg.style.clear_meta_and_links())
                for seg in drawn.segments
                if seg.text != "\n" and seg.style is not None
            ]
        self._bars[stage] = bar
        return bar

    def _card_styles(self, focused: bool, urgency: str) -> tuple[Style, ...]:
        """A card's styles: plain, urgency, name, unsaved mark, meta, money. A handful of
        combinations, each worked out once rather than on every line drawn."""
        key = (focused, urgency)
        styles = self._card_style_cache.get(key)
        if styles is None:
            style_of = self.get_component_rich_style
            style = style_of("card")
            if focused:
                style = style + style_of("card--focused")
            urgent = style
            if urgency != "none":
                urgent = style + style_of(f"card--{urgency}", partial=True)
            styles = self._card_style_cache[key] = (
                style,
                urgent,
                *(style + style_of(f"card--{part}", partial=True) for part in _PARTS),
            )
        return styles

    def _card_line(self, card: Card, part: int, width: int, focused: bool) -> list[Segment]:
        context = self._faces_in
        if context is None:
            context = self._faces_in = face_context(self.today, core(self).config)
        name, meta, countdown, urgency, owed, mark = card_face(card, context)
        style, urgent, name_style, unsaved, meta_style, money_style = self._card_styles(
            focused, urgency
        )
        segments = [Segment("▌", urgent), Segment(" ", style)]
        inner = width - 3
        if part == 0:
            marker = ""
            if card.id in self.model.unsaved:
                marker = " ● unsaved"
            elif card.id in self.pending:
                marker = " …"
            mark = f" {mark}" if mark else ""
            label = fit(name, max(inner - cell_len(marker) - cell_len(mark), 1))
            segments.append(Segment(label, name_style))
            if marker:
                segments.append(Segment(marker, unsaved))
            if mark:
                segments.append(Segment(mark, name_style))
        elif part == 1:
            segments.append(Segment(fit(countdown, inner), urgent))
        else:
            # Money owed matters more than the archetype: the archetype gives way when narrow.
            right = f" {owed}" if owed else ""
            left_width = max(inner - cell_len(right), 0)
            segments.append(Segment(fit(meta, left_width), meta_style))
            if right:
                segments.append(Segment(fit(right, inner - left_width), money_style))
        segments.append(Segment(" ", style))
        return segments

    # --- mouse -------------------------------------------------------------------------------

    def _hit(self, x: int, y: int) -> tuple[Stage, int, int] | None:
        """The column under a point, the point's x within the column, and its card row."""
        width = self.column_width
        index, cell = divmod(x + self.scroll_offset.x, width)
        if not 0 <= index < len(COLUMNS) or y > self.area:
            return None
        return COLUMNS[index], cell, y - 1

    def on_click(self, event: events.Click) -> None:
        hit = self._hit(event.x, event.y)
        if hit is None:
            return
        stage, cell, row = hit
        if cell == 0 or row < 0 or (cell == self.column_width - 1 and self.has_bar(stage)):
            return  # the gutter, the title or the scrollbar
        index = (row + self.offsets[stage]) // CARD_HEIGHT
        if index < len(self.model.columns[stage]):
            self.post_message(self.Clicked(stage, index, event.chain >= 2))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        hit = self._hit(event.x, event.y)
        if hit is None:
            return
        stage, cell, row = hit
        if row < 0 or cell != self.column_width - 1 or not self.has_bar(stage):
            return
        # The scrollbar: a page up or down beside the thumb, a drag on it.
        area = self.area
        virtual = len(self.model.columns[stage]) * CARD_HEIGHT
        offset = self.offsets[stage]
        thumb_top = offset * area // virtual
        thumb_bottom = (offset + area) * area // virtual
        event.stop()
        if row < thumb_top:
            self.scroll_column(stage, offset - area)
        elif row > thumb_bottom:
            self.scroll_column(stage, offset + area)
        else:
            self._grab = (stage, event.screen_y, offset)
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._grab is None:
            return
        stage, start_y, start_offset = self._grab
        virtual = len(self.model.columns[stage]) * CARD_HEIGHT
        moved = (event.screen_y - start_y) * virtual // max(self.area, 1)
        self.scroll_column(stage, start_offset + moved)

    def on_mouse_up(self, _: events.MouseUp) -> None:
        if self._grab is not None:
            self._grab = None
            self.release_mouse()

    def _wheel(self, event: events.MouseEvent, step: int) -> None:
        # With ctrl or shift the wheel scrolls sideways: Textual's own handler does that.
        if event.ctrl or event.shift:
            return
        hit = self._hit(event.x, event.y)
        if hit is not None:
            stage = hit[0]
            self.scroll_column(
                stage, self.offsets[stage] + step * int(self.app.scroll_sensitivity_y)
            )
        event.prevent_default()
        event.stop()

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheel(event, 1)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheel(event, -1)

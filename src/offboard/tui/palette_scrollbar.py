"""The palette list's scrollbar, its rows drawn straight from the bar's segments.

Each keystroke that changes the number of hits changes the list's height, so its scrollbar is
drawn again: Textual renders the bar through Rich and passes each of its rows through a widget's
line pipeline (borders, padding, tint, opacity, filters), a row at a time, though a bar is
made of three or four kinds of row. That cost as much as drawing the dozen new hits. Here a
scrollbar with none of those styles builds each kind of row once, the segments and styles
Textual's pipeline gives it (the tests compare every cell), and passes them through the app's
line filters as Textual does. Any style the fast path does not know draws through Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.geometry import Region


class HitScrollBar(ScrollBar):
    """A vertical scrollbar that draws each kind of row once."""

    def _plain(self) -> bool:
        """Whether the line pipeline would only add the app's filters to the bar's rows."""
        styles = self.styles
        return (
            self.vertical
            and not self.auto_links
            and self.text_selection is None
            and not any(styles.gutter)
            and not any(edge for edge, _color in styles.outline)
            and not styles.tint.a
            and styles.text_opacity == 1
            and not (styles.has_rule("hatch") and styles.hatch != "none")
            and self.opacity == 1
            and tuple(styles.content_align) == ("left", "top")
        )

    def _rows(self, width: int, height: int) -> list[Segment] | None:
        """The bar's segment on each row, as Rich would lay it out; None when a row is not
        one segment exactly as wide as the bar."""
        renderable = self.render()
        if type(renderable) is not ScrollBarRender or not isinstance(renderable.style, RichStyle):
            return None
        style = renderable.style
        if style.bgcolor is None or style.color is None:
            # Rich's bar has colours of its own for those: Textual draws it.
            return None
        bar = ScrollBarRender.render_bar(
            size=height,
            virtual_size=renderable.virtual_size,
            window_size=renderable.window_size,
            position=renderable.position,
            thickness=width,
            vertical=True,
            back_color=style.bgcolor,
            bar_color=style.color,
        )
        rows = bar.segments
        if len(rows) != height or any(cell_len(row.text) != width for row in set(rows)):
            return None
        return rows

    def render_lines(self, crop: Region) -> list[Strip]:
        width, height = self.size
        rows = self._rows(width, height) if self._plain() and width and height else None
        if rows is None:
            return super().render_lines(crop)
        # As the widget's pipeline would: its own style under each segment (Textual's
        # post_render), then each of the app's line filters over the widget's background.
        base = self.visual_style.rich_style
        _base_background, background = self.background_colors
        filters = self.get_line_filters()
        drawn: dict[Segment, Strip] = {}
        strips: list[Strip] = []
        for y in crop.line_range:
            row = rows[y]
            strip = drawn.get(row)
            if strip is None:
                styled = Segment(row.text, base + row.style if base else row.style)
                strip = Strip([styled], width)
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)
                if crop.column_span != (0, width):
                    strip = strip.crop(*crop.column_span)
                drawn[row] = strip
            strips.append(strip)
        return strips

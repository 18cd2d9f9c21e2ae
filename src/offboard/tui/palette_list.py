"""The palette's list of hits: Textual's `CommandList`, drawing only the hits it shows.

A client search gives some fifty hits, of which a dozen are on screen. Textual's palette styles
the text of every hit when the list is filled, measures each by wrapping it, draws an option
through its general text layout (wrapping, alignment, padding, links, selection: a third of a
millisecond an option), and lays the whole screen out again whenever the list is refilled.
For a keystroke in the palette that was most of its cost. Here:

- A hit's text (its prompt, and its help below in the help style) is styled the first time the
  list draws it (`HitPrompt`); until then its height comes from its plain lines.
- An option whose lines all fit, in a list with no text selected, laid out left and top, is
  drawn straight from its styled runs (`draw`): the same characters with the same styles, the
  same offsets and option index under the mouse, as Textual's layout gives them (the tests
  compare every cell). Anything else is drawn by Textual.
- What the list drew is kept with the hit: a query typed again (the palette keeps the options
  of the last few) shows its lines as they were, and Textual's caches further down the line
  know them too.
- Refilling the list asks for a layout only when the list's height can change: not when the
  hits overflowed it before and still do; and the input's new width asks for none.
- What comes back key after key is kept: a client's plain lines and styled help line, and the
  cell styles the list worked out; its scrollbar draws each kind of row once
  (`palette_scrollbar`).
- Between a key and its frame nothing passes through the screen's queue: the input posts no
  Input.Changed while the palette searches as it changes, and the list tells the app of its
  highlighted option itself, as Textual's palette would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.command import CommandInput, CommandList, CommandPalette, DiscoveryHit, Hit
from textual.content import Content
from textual.dom import NoScreen
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual, VisualType
from textual.widget import Widget
from textual.widgets import Input, OptionList

from .palette_scrollbar import HitScrollBar
from .widgets.steady_input import SteadyInput

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from textual.content import Span
    from textual.css.styles import RulesMap
    from textual.geometry import Region, Spacing
    from textual.message import Message
    from textual.widgets._option_list import OptionListContent
    from textual.widgets.option_list import Option

AnyHit = DiscoveryHit | Hit
start_of = attrgetter("start")

# How many cell styles a list keeps for drawing (a few hundred bytes each).
MADE_STYLES = 4096
# How many styled help lines are kept (a palette lists some fifty hits a key).
HELP_PARTS = 512


@dataclass(eq=False)  # Hit compares by score; so does this
class MatchedHit(Hit):
    """A hit whose prompt, its text with the letters the query matched styled, is worked out
    when first asked for (matching them again costs tens of microseconds a hit). Until then
    `match_display` holds the plain text."""

    matched: Callable[[], Content] | None = None

    @classmethod
    def of(
        cls,
        score: float,
        text: str,
        command: Callable[[], Any],
        help_text: str | None,
        highlight: Callable[[str], Content],
    ) -> MatchedHit:
        """The hit of plain `text`, its matched letters styled later by `highlight(text)`."""
        # The text itself stands in until then: it is never shown, `prompt` replaces it.
        matched = partial(highlight, text)
        return cls(score, text, command, text=text, help=help_text, matched=matched)

    @property
    def prompt(self) -> VisualType:
        if self.matched is not None:
            self.match_display, self.matched = self.matched(), None
        return self.match_display


def styled(hit: AnyHit, help_style: Style) -> list[Content]:
    """A hit's text as Textual's palette builds it, its parts one under the other: its prompt
    (markup, unless it is rich or styled text already) and its help (markup) in the help
    style."""
    prompt = hit.prompt
    if isinstance(prompt, Text):
        parts = [Content.from_rich_text(prompt)]
    else:
        parts = [Content.from_markup(cast("str | Content", prompt))]
    if hit.help:
        parts.append(help_part(hit.help, help_style))
    return parts


@lru_cache(maxsize=HELP_PARTS)
def help_part(help_text: str, help_style: Style) -> Content:
    """The line under a hit's title, styled: the same few come back with every key."""
    return Content.from_markup(help_text).stylize_before(help_style)


@lru_cache(maxsize=HELP_PARTS)
def plain_lines(text: str, help_text: str | None) -> tuple[str, ...]:
    """The lines of a plain title and its help, control characters dropped as the title's
    content and the help's markup drop them (printable text has none)."""
    if not text.isprintable():
        text = Content(text).plain
    if help_text and not help_text.isprintable():
        help_text = Content(help_text).plain
    return tuple((text + "\n" + help_text if help_text else text).split("\n"))


class HitPrompt(Visual):
    """A hit as an option of the list: its text is styled when first drawn."""

    def __init__(self, hit: AnyHit, help_style: Style) -> None:
        self.hit = hit
        self._help_style = help_style
        self._parts: list[Content] | None = None
        self._content: Content | None = None
        self._lines: Sequence[str] | None = None
        # What the list drew: (style, padding, width, index) -> its lines.
        self.drawn: dict[tuple[Style, Spacing, int, int], list[Strip]] = {}

    @property
    def parts(self) -> list[Content]:
        if self._parts is None:
            self._parts = styled(self.hit, self._help_style)
        return self._parts

    @property
    def content(self) -> Content:
        """The whole text, as Textual's palette joins its parts."""
        if self._content is None:
            self._content = Content("\n").join(self.parts)
        return self._content

    @property
    def styled_lines(self) -> list[Content]:
        return [
            line
            for part in self.parts
            for line in (part.split("\n", allow_blank=True) if "\n" in part.plain else [part])
        ]

    @property
    def lines(self) -> Sequence[str]:
        """The plain lines; without styling the text when neither part is markup to read."""
        if self._lines is None:
            hit = self.hit
            help_text = hit.help
            if isinstance(hit, MatchedHit) and not (help_text and "[" in help_text):
                # Its plain text, the matched letters not styled yet: the same lines come
                # back for a client with every key that finds it.
                self._lines = plain_lines(hit.text, help_text)
            else:
                self._lines = self.content.plain.split("\n")
        return self._lines

    @property
    def plain(self) -> str:
        return "\n".join(self.lines)

    @property
    def spans(self) -> Sequence[Span]:
        return self.content.spans

    def get_height(self, rules: RulesMap, width: int) -> int:
        # The list measures every option when it is filled and when it is laid out; a line
        # that fits is one line, without wrapping it to find out.
        if max(map(cell_len, self.lines)) + rules.get("line_pad", 0) * 2 <= width:
            return len(self.lines)
        return self.content.get_height(rules, width)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content.render_strips(width, height, style, options)


def draw(
    lines: list[Content],
    style: Style,
    width: int,
    padding: Spacing,
    get_style: Callable[[str | Style], Style],
    meta: dict[str, Any],
    made: dict[tuple[Style, Any, int, int], RichStyle] | None = None,
) -> list[Strip] | None:
    """An option's lines as Textual lays them out (left, top, padded left and right), or None
    when a line does not fit or holds a tab (Textual's layout wraps it or widens it). `made`
    keeps the cell styles worked out, for the next options drawn with the same meta."""
    top, right, bottom, left = padding
    if top or bottom:
        return None
    # Textual adds the option's index to every cell afterwards (Strip.apply_meta), under
    # each cell's own style: the same sum, in one pass.
    under = RichStyle.from_meta(meta)
    blank = under + style.rich_style
    meta_key = tuple(meta.items())
    strips: list[Strip] = []
    for y, line in enumerate(lines):
        used = line.cell_length
        if used > width - left - right or "\t" in line.plain:
            return None
        segments = [Segment(" " * left, blank)] if left else []
        x = 0
        runs = pieces(line, style)
        parts = runs if runs is not None else line.render(style, end="", parse_style=get_style)
        for text, text_style in parts:
            cell = style + text_style
            key = (cell, meta_key, x, y)
            cell_style = made.get(key) if made is not None else None
            if cell_style is None:
                if cell.meta:
                    cell_style = under + cell.rich_style_with_offset(x, y)
                else:
                    # The same style, without building the cell's colours a second time: its
                    # colours and attributes, then the option and the offset as meta.
                    offset = {**meta, "offset": (x, y)}
                    cell_style = cell.rich_style + RichStyle.from_meta(offset)
                if made is not None:
                    made[key] = cell_style
            segments.append(Segment(text, cell_style))
            x += len(text)
        segments.append(Segment(" " * (width - left - used), blank))
        strips.append(Strip(segments, width))
    return strips


def pieces(line: Content, style: Style) -> list[tuple[str, Style]] | None:
    """The runs of text and their styles that `line.render(style)` gives, worked out directly
    for a line whose styled runs do not overlap and name no style by text (a hit's matched
    letters, the help under it); None for any other line."""
    text, spans = line.plain, line.spans
    if not spans:
        return [(text, style)]
    runs: list[tuple[str, Style]] = []
    at = 0
    for span in sorted(spans, key=start_of):
        start, end, span_style = span
        if not at <= start <= end <= len(text) or not isinstance(span_style, Style):
            return None
        if start > at:
            # Every span's edge divides the text, an empty span's too.
            runs.append((text[at:start], style))
            at = start
        if end > start:
            runs.append((text[start:end], style + span_style))
            at = end
    if at < len(text):
        runs.append((text[at:], style))
    return runs


def linked(lines: list[Content]) -> bool:
    """Whether any of the text is a link or carries actions (Textual styles those itself)."""
    return any(
        "@" in span.style if isinstance(span.style, str) else bool(span.style.meta)
        for line in lines
        for span in line.spans
    )


class PaletteInput(CommandInput, SteadyInput):
    """The palette's input: Textual's, steady as the board's filter box is."""

    # Set by a palette that searches as the value changes: while it says so, Input.Changed
    # is not posted (it would pass through the screen's queue before its next frame, to a
    # handler that would only search again).
    searched: Callable[[], bool] | None = None

    def post_message(self, message: Message) -> bool:
        if isinstance(message, Input.Changed) and self.searched is not None and self.searched():
            return True
        return super().post_message(message)


class HitList(CommandList):
    """The palette's list: draws the hits on screen, lays out only when its height changes."""

    _holding_layout = False
    _layout_asked = False
    # While the list draws its lines: (padding, line width, whether draw() may be used).
    _drawing: tuple[Spacing, int, bool] | None = None
    # The cell styles draw() worked out: the same option place, cell style and offset come
    # back with most keys (the start of a title, the line under it).
    _made: dict[tuple[Style, Any, int, int], RichStyle] | None = None

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        # Textual's property, making a scrollbar that draws each kind of its rows once.
        if self._vertical_scrollbar is None:
            bar = HitScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def _plain_layout(self) -> bool:
        rules = self.styles
        return (
            self.text_selection is None
            and tuple(rules.content_align) == ("left", "top")
            and rules.text_align in ("left", "start")
            and not rules.line_pad
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        # OptionList brings its line map up to date here and again for every line it draws;
        # once is enough, and so is working out how an option is laid out.
        self._update_lines()
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        self._drawing = (padding, width, self._plain_layout())
        try:
            return Widget.render_lines(self, crop)
        finally:
            self._drawing = None

    @property
    def _lines(self) -> Sequence[tuple[int, int]]:
        if self._drawing is None:
            self._update_lines()
        return self._line_cache.lines

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        visual = self._get_visual(option)
        drawing = self._drawing
        if drawing is None or not drawing[2] or not isinstance(visual, HitPrompt):
            return super()._get_option_render(option, style)
        padding, width, _plain = drawing
        key = (option, style, padding)
        if (strips := self._option_render_cache.get(key)) is None:
            index = self._option_to_index[option]
            # Kept with the hit, past the list's refill: a query typed again shows the same
            # options, and the same lines need no new work further down Textual's pipeline.
            if (strips := visual.drawn.get((style, padding, width, index))) is None:
                lines = visual.styled_lines
                if option._divider or linked(lines):
                    return super()._get_option_render(option, style)
                meta = {"option": index}
                made = self._made
                if made is None or len(made) > MADE_STYLES:
                    made = self._made = {}
                strips = draw(lines, style, width, padding, self._get_style, meta, made)
                if strips is None:
                    return super()._get_option_render(option, style)
                visual.drawn[style, padding, width, index] = strips
            self._option_render_cache[key] = strips
        return strips

    def post_message(self, message: Message) -> bool:
        # Textual's palette hears of a highlighted option only to tell the app (and keep
        # the list's own message from reaching it): told here, the message does not pass
        # through the palette screen's queue before its next frame.
        if isinstance(message, OptionList.OptionHighlighted) and self._in_palette():
            told = CommandPalette.OptionHighlighted(highlighted_event=message)
            return self.app.post_message(told)
        return super().post_message(message)

    def _in_palette(self) -> bool:
        try:
            return isinstance(self.screen, CommandPalette)
        except NoScreen:
            return False

    def _overflowing(self) -> bool:
        return self.virtual_size.height > self.scrollable_content_region.height > 0

    def set_options(self, options: Iterable[OptionListContent]) -> HitList:
        return self._in_place(super().set_options, options)

    def add_options(self, new_options: Iterable[OptionListContent]) -> HitList:
        return self._in_place(super().add_options, new_options)

    def _in_place(
        self, change: Callable[[Iterable[OptionListContent]], object], options: Iterable[Any]
    ) -> HitList:
        # Textual asks for a layout whenever options are set or added to a list of automatic
        # height. A list the hits overflowed before and still overflow stays at its greatest
        # height: its scrollbar and lines are redrawn, the screen is not laid out again.
        if self._holding_layout:  # set_options adds them
            change(options)
            return self
        overflowed = self._overflowing()
        self._holding_layout, self._layout_asked = True, False
        try:
            change(options)
        finally:
            self._holding_layout = False
        if self._layout_asked and not (overflowed and self._overflowing()):
            self.refresh(layout=True)
        return self

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> HitList:
        if layout and self._holding_layout:
            self._layout_asked, layout = True, False
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self

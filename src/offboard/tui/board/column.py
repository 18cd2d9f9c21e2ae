"""One board column: a header and a card list drawn line by line.

The card list uses Textual's line API: it draws only the lines on screen, so a column of
2,000 cards costs the same to paint and to scroll as a column of 20.
"""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from ...domain.models import Client, Stage
from ...domain.timers import next_deadline
from .model import Card

CARD_HEIGHT = 4  # three lines of card and one of space

SEVERITY_MARKS = {3: "▲", 2: "■", 1: "·"}


def money(amount, currency: str) -> str:
    """Compact for a card: whole amounts without decimals."""
    if not amount:
        return ""
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{text} {currency}"


_CARD_CACHE: dict[tuple[str, int, Stage, dt.date], tuple[str, str, str, str, str]] = {}


def card_text(client: Client, today: dt.date) -> tuple[str, str, str, str, str]:
    """The words on a card: name, archetype and flags, countdown, urgency, money.

    A stored revision never changes, so the text is cached per (client, revision, stage, day);
    scrolling and repainting do not recompute deadlines.
    """
    key = (client.id, client.rev, client.stage, today)
    hit = _CARD_CACHE.get(key)
    if hit is not None:
        return hit
    counts = client.flag_counts()
    flags = " ".join(f"{SEVERITY_MARKS[s]}{counts[s]}" for s in (3, 2, 1) if counts[s])
    kind = client.archetype.value if client.archetype else ""
    if client.outcome:
        kind = client.outcome.value
    meta = "  ".join(x for x in (kind, flags) if x)
    nxt = next_deadline(client)
    countdown = nxt.countdown(today) if nxt else ""
    urgency = nxt.urgency(today) if nxt else "none"
    text = (client.name, meta, countdown, urgency, money(client.outstanding(), client.currency))
    if len(_CARD_CACHE) > 50_000:
        _CARD_CACHE.clear()
    _CARD_CACHE[key] = text
    return text


def fit(text: str, width: int) -> str:
    """Cut or pad to exactly `width` cells, marking a cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class CardList(ScrollView, can_focus=False):
    COMPONENT_CLASSES = {
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

    class Clicked(Message):
        def __init__(self, stage: Stage, index: int, double: bool) -> None:
            super().__init__()
            self.stage = stage
            self.index = index
            self.double = double

    def __init__(self, stage: Stage, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stage = stage
        self.cards: list[Card] = []
        self.focused_index: int | None = None
        self.active = False
        self.unsaved: set[str] = set()
        self.pending: set[str] = set()
        self.today = dt.date.min

    def show(
        self,
        cards: list[Card],
        focused_index: int | None,
        *,
        active: bool,
        today: dt.date,
        pending: set[str],
        unsaved: set[str],
    ) -> None:
        self.cards = cards
        self.focused_index = focused_index
        self.active = active
        self.today = today
        self.pending = pending
        self.unsaved = unsaved
        self.virtual_size = Size(self.size.width, len(cards) * CARD_HEIGHT)
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.cards) * CARD_HEIGHT)

    def scroll_to_card(self, index: int) -> None:
        self.scroll_to_region(
            Region(0, index * CARD_HEIGHT, 1, CARD_HEIGHT), animate=False, force=True
        )

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.get_component_rich_style("card")
        line = y + self.scroll_offset.y
        index, part = divmod(line, CARD_HEIGHT)
        if index >= len(self.cards) or part == CARD_HEIGHT - 1:
            return Strip.blank(width, self.rich_style)
        card = self.cards[index]
        focused = index == self.focused_index
        style = base
        if focused:
            style = base + self.get_component_rich_style("card--focused")
        return Strip(self._line(card, part, width, style), width)

    def _line(self, card: Card, part: int, width: int, style: Style) -> list[Segment]:
        name, meta, countdown, urgency, owed = card_text(card.client, self.today)
        bar_style = (
            style + self.get_component_rich_style(f"card--{urgency}", partial=True)
            if urgency != "none"
            else style
        )
        segments = [Segment("▌", bar_style), Segment(" ", style)]
        inner = width - 3
        if part == 0:
            marker = ""
            if card.id in self.unsaved:
                marker = " ● unsaved"
            elif card.id in self.pending:
                marker = " …"
            label = fit(name, max(inner - cell_len(marker), 1))
            segments.append(
                Segment(label, style + self.get_component_rich_style("card--name", partial=True))
            )
            if marker:
                segments.append(
                    Segment(
                        marker, style + self.get_component_rich_style("card--unsaved", partial=True)
                    )
                )
        elif part == 1:
            when = (
                style + self.get_component_rich_style(f"card--{urgency}", partial=True)
                if urgency != "none"
                else style
            )
            segments.append(Segment(fit(countdown, inner), when))
        else:
            # Money owed matters more than the archetype: the archetype gives way when narrow.
            right = f" {owed}" if owed else ""
            left_width = max(inner - cell_len(right), 0)
            segments.append(
                Segment(
                    fit(meta, left_width),
                    style + self.get_component_rich_style("card--meta", partial=True),
                )
            )
            if right:
                segments.append(
                    Segment(
                        fit(right, inner - left_width),
                        style + self.get_component_rich_style("card--money", partial=True),
                    )
                )
        segments.append(Segment(" ", style))
        return segments

    def on_click(self, event: events.Click) -> None:
        index = (event.y + self.scroll_offset.y) // CARD_HEIGHT
        if 0 <= index < len(self.cards):
            self.post_message(self.Clicked(self.stage, index, event.chain >= 2))


class ColumnTitle(Widget):
    """The column's name and count. Redrawn in place when the text changes: a plain repaint,
    not the layout pass a Static.update would ask for on every card move."""

    DEFAULT_CSS = """
    ColumnTitle {
        height: 1;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(classes="column-title")
        self.text = text

    def render(self) -> str:
        return self.text

    def set(self, text: str, active: bool) -> None:
        if text != self.text:
            self.text = text
            self.refresh()
        if active != self.has_class("active"):
            self.set_class(active, "active")


class StageColumn(Vertical):
    """A column: its title with the count, then the cards."""

    def __init__(self, stage: Stage) -> None:
        super().__init__(id=f"col-{stage.value}", classes="column")
        self.stage = stage
        self.title = ColumnTitle(stage.label)
        self.cards = CardList(stage, classes="cards")

    def compose(self) -> ComposeResult:
        yield self.title
        yield self.cards

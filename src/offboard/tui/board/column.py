"""What a card says: the words and numbers drawn on each card of the board (see view.py).

Kept apart from the widget so the text is computed, and cached, once per client revision
and day however often the board redraws.
"""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len, set_cell_size

from ...domain.models import Client, Stage
from ...domain.timers import next_deadline

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

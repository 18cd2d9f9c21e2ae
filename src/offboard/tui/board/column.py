"""What a card says: the words and numbers drawn on each card of the board (see view.py).

Kept apart from the widget so the text is computed, and cached, once per client revision
and day however often the board redraws.

Amounts are written by `offboard.formats` in the client's language, and formats loads Babel
on first use, which costs a tenth of the whole start-up. The first frame is drawn without
the amounts; `show_amounts()`, called once it is painted, loads Babel and the cards show
their amounts from the next frame on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from rich.cells import cell_len, set_cell_size

from ...config import Config
from ...domain.models import Client, Decision, Stage
from ...domain.recommend import recommend
from ...domain.timers import next_deadline

CARD_HEIGHT = 4  # three lines of card and one of space

SEVERITY_MARKS = {3: "▲", 2: "■", 1: "·"}

# formats.money_short, once the board has been painted: until then no amount is written.
_money_short: Callable[[Decimal, str, str], str] | None = None


def amounts_loaded() -> bool:
    """Whether cards are drawn with their amounts and marks yet (they are from the frame after
    the first)."""
    return _money_short is not None


def show_amounts() -> bool:
    """Load the amount formatter (and Babel with it); True if the cards drawn so far lack
    their amounts and need drawing again."""
    global _money_short
    if _money_short is not None:
        return False
    from ...formats import money_short

    _money_short = money_short
    _CARD_CACHE.clear()
    return True


def owed_text(client: Client) -> str:
    """What the client still owes, short, in their language ("€1,950", "66 500 Kč")."""
    amount = client.outstanding()
    if not amount or _money_short is None:
        return ""
    return _money_short(amount, client.currency, client.locale)


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
    text = (client.name, meta, countdown, urgency, owed_text(client))
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


# --- the computed recommendation's mark --------------------------------------------------------

# A card's small mark for what the figures recommend (the Assessment tab says why).
RECOMMENDATION_MARKS = {Decision.KEEP: "✓", Decision.REPAIR: "↻", Decision.OFFBOARD: "✗"}

_MARK_CACHE: dict[tuple[object, ...], str] = {}


def recommendation_mark(client: Client, today: dt.date, config: Config) -> str:
    """The mark of the recommendation for an active client ("" for a closed one), worked out
    once per revision, day and setting: redrawing the board recomputes nothing. Like the
    amounts, marks are left out of the first frame (they need the weights file read)."""
    if not client.active or _money_short is None:
        return ""
    from ...weights import session_weights, target_rate

    target = target_rate(config)
    # The counts catch an unsaved change shown on the card before its revision moves on.
    key = (client.id, client.rev, len(client.flags), len(client.repairs), today, target)
    hit = _MARK_CACHE.get(key)
    if hit is None:
        if len(_MARK_CACHE) > 50_000:
            _MARK_CACHE.clear()
        decision = recommend(client, today, target, session_weights()).decision
        hit = _MARK_CACHE[key] = RECOMMENDATION_MARKS[decision]
    return hit

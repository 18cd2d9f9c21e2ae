"""What a card says: the words and numbers drawn on each card of the board (see view.py).

Kept apart from the widget so the text is computed once per card and day, however often the
board redraws, and can be worked out ahead of need: the board's warm-up does it for every
card, so a filter that brings cards into view draws them without decoding their clients.

Amounts are written by `offboard.formats` in the client's language, and formats loads Babel
on first use, which costs a tenth of the whole start-up. The first frame is drawn without
the amounts; `show_amounts()`, called once it is painted, loads Babel and the cards show
their amounts from the next frame on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size

from ...config import Config
from ...domain.errors import OffboardError
from ...domain.figures import Money
from ...domain.models import Client, Decision
from ...domain.recommend import recommend
from ...domain.rows import ClientRow
from ...domain.weights import Weights

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
    return True


def owed_text(client: Client) -> str:
    """What the client still owes, short, in their language ("€1,950", "66 500 Kč")."""
    amount = client.outstanding()
    if not amount or _money_short is None:
        return ""
    return _money_short(amount, client.currency, client.locale)


# What a card says: name, archetype and flags, countdown, urgency, money owed, and the mark of
# the computed recommendation.
Face = tuple[str, str, str, str, str, str]

# A card's small mark for what the figures recommend (the Assessment tab says why).
RECOMMENDATION_MARKS = {Decision.KEEP: "✓", Decision.REPAIR: "↻", Decision.OFFBOARD: "✗"}


class FaceContext(NamedTuple):
    """What a face depends on besides its client (a tuple: compared per card drawn)."""

    today: dt.date  # countdowns and urgency
    amounts: bool  # amounts and marks are drawn (from the frame after the first)
    target: Money | None  # the target rate the recommendation compares rates with
    weights: Weights | None  # None: the weights file is broken; the Assessment tab says why


def face_context(today: dt.date, config: Config) -> FaceContext:
    """The context faces are worked out in now: asked once per line drawn, and by the board's
    warm-up."""
    if _money_short is None:
        return FaceContext(today, False, None, None)
    from ...weights import session_weights, target_rate  # reads the settings' weights file

    try:
        weights: Weights | None = session_weights()
    except OffboardError:
        weights = None
    return FaceContext(today, True, target_rate(config), weights)


def card_face(card: ClientRow, context: FaceContext, client: Client | None = None) -> Face:
    """The card's face in `context`, worked out once and kept with the card: a changed client
    comes as a new card, so redrawing, scrolling or filtering computes nothing twice. `client`:
    the card's client, decoded already by the caller (the warm-up decodes every client once
    and lets it go); otherwise the card decodes and keeps it, as any card drawn does."""
    kept = card.face
    if kept is not None and kept[0] == context:
        face: Face = kept[1]
        return face
    face = _face(card, card.client if client is None else client, context)
    card.face = (context, face)
    return face


def _face(card: ClientRow, client: Client, context: FaceContext) -> Face:
    today = context.today
    counts = client.flag_counts()
    flags = " ".join(f"{SEVERITY_MARKS[s]}{counts[s]}" for s in (3, 2, 1) if counts[s])
    kind = client.archetype.value if client.archetype else ""
    if client.outcome:
        kind = client.outcome.value
    meta = "  ".join(x for x in (kind, flags) if x)
    found = card.deadlines(decoded=client)
    nxt = found[0] if found else None
    countdown = nxt.countdown(today) if nxt else ""
    urgency = nxt.urgency(today) if nxt else "none"
    owed = mark = ""
    if context.amounts:
        owed = owed_text(client)
        if client.active and context.weights is not None:
            decision = recommend(client, today, context.target, context.weights).decision
            mark = RECOMMENDATION_MARKS[decision]
    return (client.name, meta, countdown, urgency, owed, mark)


def fit(text: str, width: int) -> str:
    """Cut or pad to exactly `width` cells, marking a cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)

"""Reading back a client's intake notes: the answers of the screening it went through as a
prospect. Kept apart from codec.py, which reads every other record, only for size; it reads
with the same tolerant Reader and the same input rules."""

from __future__ import annotations

from typing import Any

from . import reader as rules
from .models import Answer, IntakeAnswer, ItemKind
from .reader import Drop, Reader

_ITEM = rules.text("the screening item")
_ITEM_ID = rules.line("the screening item's id", 64)
_KIND = rules.enum(ItemKind, "screening item kind")
_ANSWER = rules.enum(Answer, "screening answer")
_ON = rules.date("the screening date")


def intake_answer(r: Reader, d: dict[str, Any]) -> IntakeAnswer:
    raw = d.get("item")
    item = r.field(d, "item", _ITEM, "", salvage=True)
    if not item:
        # An answer without the item it answers says nothing: leave it out (and say so).
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            r.note("item", "an intake answer needs the item it answers", raw)
        raise Drop
    return IntakeAnswer(
        item_id=r.field(d, "item_id", _ITEM_ID, "", salvage=True),
        item=item,
        kind=r.field(d, "kind", _KIND, required=True),
        # An unreadable answer is the least loss as "unknown": it claims nothing.
        answer=r.field(d, "answer", _ANSWER, Answer.UNKNOWN),
        on=r.field(d, "on", _ON, required=True),
    )

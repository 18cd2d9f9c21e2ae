"""The user's own changes to the screening checklist, as pure operations on `Edits`: an item
of their own, their own words for an item, an item hidden or shown again. Where the edits are
kept is offboard/screening_file.py's business; domain/screening.py applies them."""

from __future__ import annotations

from dataclasses import replace

from .errors import InvalidInput
from .models import ItemKind
from .screening import (
    MAX_OWN_ITEMS,
    OWN_PREFIX,
    Checklist,
    Edits,
    Item,
    OwnItem,
    digest,
    item_text,
    normalised,
)


def add_own(edits: Edits, checklist: Checklist, kind: ItemKind, text: str) -> tuple[Edits, Item]:
    """`edits` with an item of the user's own; refused when the checklist already says it."""
    words = item_text(text)
    if len(edits.own) >= MAX_OWN_ITEMS:
        raise InvalidInput(
            f"the checklist already has {MAX_OWN_ITEMS} items of your own", "hide some first"
        )
    same = _saying(checklist, kind, words)
    if same is not None:
        raise InvalidInput(
            f"the checklist already has this {kind.label} as {same.id}",
            "reword that item instead" if same.id not in edits.hidden else "show it again",
        )
    taken = [i.id for i in checklist.every()] + [o.id for o in edits.own]
    new = OwnItem(digest(OWN_PREFIX, f"{kind.value}|{normalised(words)}", taken), kind, words)
    return replace(edits, own=(*edits.own, new)), Item(new.id, kind, words, own=True)


def _saying(checklist: Checklist, kind: ItemKind, text: str) -> Item | None:
    words = normalised(text)
    for item in checklist.every():
        if item.kind is kind and normalised(item.text) == words:
            return item
    return None


def reword(edits: Edits, item: Item, text: str) -> Edits:
    """`edits` with `item` in new words; a learned item given its lessons' words back loses
    the rewording."""
    words = item_text(text)
    if item.own:
        own = tuple(replace(o, text=words) if o.id == item.id else o for o in edits.own)
        return replace(edits, own=own)
    reworded = dict(edits.reworded)
    original = item.learned or item.text
    if normalised(words) == normalised(original):
        reworded.pop(item.id, None)
    else:
        reworded[item.id] = words
    return replace(edits, reworded=reworded)


def hide(edits: Edits, item: Item, hidden: bool = True) -> Edits:
    """`edits` with `item` hidden from the checklist (or shown again)."""
    ids = edits.hidden | {item.id} if hidden else edits.hidden - {item.id}
    return replace(edits, hidden=frozenset(ids))

"""Stage checklists. The items themselves are data (templates/checklists/*.toml); this module
only knows their shape, how a client's ticks compare against them, and which items the
client's own records already answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .errors import InvalidInput
from .models import Client, HandoverItem, HandoverKind, HandoverStatus, Stage

DONE = "done"
WAIVED = "waived"
ITEM_STATES = (DONE, WAIVED)


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    hint: str = ""


@dataclass(frozen=True)
class Checklist:
    stage: str
    title: str
    items: tuple[ChecklistItem, ...]

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        known = ", ".join(i.id for i in self.items)
        raise InvalidInput(
            f"the {self.stage} checklist has no item {item_id!r}", f"items are: {known}"
        )

    def open_items(self, ticks: Mapping[str, str]) -> list[ChecklistItem]:
        return [i for i in self.items if ticks.get(i.id) not in ITEM_STATES]

    def complete(self, ticks: Mapping[str, str]) -> bool:
        return not self.open_items(ticks)


def checklist_from_data(stage: str, data: Mapping[str, object], source: str) -> Checklist:
    """Build a checklist from parsed TOML, refusing malformed files with their source named."""
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise InvalidInput(f"checklist {source} has no [[item]] entries")
    items = []
    seen: set[str] = set()
    for raw in raw_items:
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("text"):
            raise InvalidInput(f"checklist {source}: every [[item]] needs an id and a text")
        item_id = str(raw["id"])
        if item_id in seen:
            raise InvalidInput(f"checklist {source}: item id {item_id!r} appears twice")
        seen.add(item_id)
        items.append(ChecklistItem(item_id, str(raw["text"]), str(raw.get("hint", ""))))
    return Checklist(stage, str(data.get("title", stage.capitalize())), tuple(items))


# --- items the records answer ------------------------------------------------------------------
# Some checklist items only restate what a register already knows (every deliverable done, the
# final invoice on record). Asking the user to tick them again is busywork, and a tick that
# disagrees with the records is worse, so these follow the records. Each answer is a sentence
# saying why, or None while the records do not answer the item yet.


def _all_delivered(client: Client) -> str | None:
    items = client.deliverables
    if not items or not all(d.done for d in items):
        return None
    return (
        "the one deliverable is done" if len(items) == 1 else f"all {len(items)} deliverables done"
    )


def _handed(items: list[HandoverItem], what: str) -> str | None:
    """`what`: "3 handed over, 1 waived" when every item is settled."""
    if not items or not all(h.settled for h in items):
        return None
    counts = {s: sum(1 for h in items if h.status is s) for s in HandoverStatus}
    parts = [f"{n} {s.value.replace('-', ' ')}" for s, n in counts.items() if n]
    return f"{what}: " + ", ".join(parts)


def _files(client: Client) -> str | None:
    items = [h for h in client.handover if h.kind is not HandoverKind.CREDENTIAL]
    return _handed(items, "files and materials")


def _credentials(client: Client) -> str | None:
    items = [h for h in client.handover if h.kind is HandoverKind.CREDENTIAL]
    return _handed(items, "access")


def _final_invoice(client: Client) -> str | None:
    finals = [i for i in client.invoices if i.final]
    return f"final invoice {finals[-1].number} issued" if finals else None


def _settled(client: Client) -> str | None:
    # Only once the final invoice is out: before it, a zero balance says nothing about the end.
    if not any(i.final for i in client.invoices) or client.outstanding():
        return None
    return "balance settled: every invoice paid or written off"


def _refunded(client: Client) -> str | None:
    # The same rule as the closed gate: a refund agreed counts once it is paid out.
    if not client.refunds or any(r.open for r in client.refunds):
        return None
    n = len(client.refunds)
    return "the refund is paid out" if n == 1 else f"all {n} refunds paid out"


# item id -> (the stage whose checklist holds it, the answer); ids as the shipped lists use them.
_ANSWERS: dict[str, tuple[Stage, Callable[[Client], str | None]]] = {
    "finish-deliverables": (Stage.HANDOVER, _all_delivered),
    "files": (Stage.HANDOVER, _files),
    "credentials": (Stage.HANDOVER, _credentials),
    "final-invoice": (Stage.SETTLEMENT, _final_invoice),
    "follow-up": (Stage.SETTLEMENT, _settled),
    "refund": (Stage.SETTLEMENT, _refunded),
    "escalation": (Stage.SETTLEMENT, _settled),
}


def answered(client: Client, stage: Stage | str | None = None) -> dict[str, str]:
    """The checklist items `client`'s records answer, each with the reason ("all 4
    deliverables done"); only those of `stage`'s checklist when it is given."""
    found: dict[str, str] = {}
    for item_id, (home, answer) in _ANSWERS.items():
        if stage is not None and home.value != stage:
            continue
        reason = answer(client)
        if reason is not None:
            found[item_id] = reason
    return found


def ticks(client: Client, stage: Stage | str) -> dict[str, str]:
    """A stage's item states as the gates count them: what the user ticked or waived, and done
    for an item the records answer that the user left alone (a waiver still wins)."""
    key = stage.value if isinstance(stage, Stage) else stage
    own = client.checklist.get(key, {})
    return {**dict.fromkeys(answered(client, key), DONE), **own}

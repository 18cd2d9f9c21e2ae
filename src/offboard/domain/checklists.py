"""Stage checklists. The items themselves are data (templates/checklists/*.toml); this module
only knows their shape and how a client's ticks compare against them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import InvalidInput

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

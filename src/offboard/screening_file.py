"""The user's own changes to the screening checklist: `<config dir>/screening.toml`.

offboard writes the file whenever an item is added, reworded, hidden or shown again
(atomically, private to the user); the user may also edit it by hand. It is checked on every
read: a value that breaks a rule is refused with the file and the line named, and nothing
is written over a file that does not load. The format:

    hidden = ["w-3fa2c1"]            # items not shown on the checklist

    [reworded]                       # learned item id = your own words for it
    "q-9b04de" = "Ask who else decides on the design."

    [[own]]                          # an item of your own, one table each
    id = "my-51c0aa"
    kind = "warning-sign"            # warning-sign, question or clause
    text = "Wants to start before the contract is signed."
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import config_dir
from .domain import validate
from .domain.errors import InvalidInput
from .domain.models import ItemKind
from .domain.screening import ITEM_ID, MAX_OWN_ITEMS, Edits, OwnItem, item_text
from .files import describe_os_error, read_user_text, write_atomically

FILE_NAME = "screening.toml"
MAX_EDITS_BYTES = 4 * 1024 * 1024
_KEYS = {"hidden", "reworded", "own"}
_OWN_KEYS = {"id", "kind", "text"}
_HEADER = """\
# Your changes to offboard's screening checklist, which is learned from the lessons of your
# closed clients. offboard writes this file when you add, reword, hide or show an item; you
# may edit it by hand too (it is checked when read). `offboard screening --help` tells more.
"""


def edits_path() -> Path:
    return config_dir() / FILE_NAME


def read_edits(path: Path | None = None) -> Edits:
    """The edits in the file (none when there is no file). Raises InvalidInput naming the
    file and the line of a value that breaks a rule."""
    path = edits_path() if path is None else path
    text = read_user_text(path, MAX_EDITS_BYTES, "screening file")
    return Edits() if text is None else parse_edits(text, str(path))


def parse_edits(text: str, source: str) -> Edits:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"screening file {source} is not valid TOML ({exc})") from None
    lines = text.splitlines()

    def refuse(message: str, section: str | None, key: str, index: int = 0) -> InvalidInput:
        line = _line_of(lines, section, key, index)
        where = f"{source} line {line}" if line else source
        return InvalidInput(f"screening file {where}: {message}", "correct or remove that line")

    for key in data:
        if key not in _KEYS:
            raise refuse(f"there is no {key!r} here (only hidden, reworded and own)", None, key)
    hidden = data.get("hidden", [])
    if not isinstance(hidden, list) or not all(isinstance(h, str) for h in hidden):
        raise refuse("hidden must be a list of item ids", None, "hidden")
    for item_id in hidden:
        if not ITEM_ID.fullmatch(item_id):
            raise refuse(f"{item_id!r} is not an item id", None, "hidden")
    reworded_raw = data.get("reworded", {})
    if not isinstance(reworded_raw, dict):
        raise refuse("reworded must be a table of item id = text", None, "reworded")
    reworded: dict[str, str] = {}
    for item_id, words in reworded_raw.items():
        if not ITEM_ID.fullmatch(item_id) or item_id.startswith("my-"):
            raise refuse(f"{item_id!r} is not the id of a learned item", "reworded", item_id)
        try:
            reworded[item_id] = item_text(words, f"the wording of {item_id}")
        except InvalidInput as exc:
            raise refuse(exc.one_line(), "reworded", item_id) from None
    own_raw = data.get("own", [])
    if not isinstance(own_raw, list) or not all(isinstance(o, dict) for o in own_raw):
        raise refuse("own must be tables written [[own]]", None, "own")
    if len(own_raw) > MAX_OWN_ITEMS:
        raise refuse(f"more than {MAX_OWN_ITEMS} items of your own", None, "own")
    own: list[OwnItem] = []
    for n, entry in enumerate(own_raw):
        own.append(_own(entry, n, refuse))
    ids = [o.id for o in own]
    for n, item_id in enumerate(ids):
        if item_id in ids[:n]:
            raise refuse(f"the id {item_id!r} is used twice", "own", "id", n)
    return Edits(tuple(own), reworded, frozenset(hidden))


def _own(entry: Mapping[str, Any], n: int, refuse: Any) -> OwnItem:
    for key in entry:
        if key not in _OWN_KEYS:
            raise refuse(f"an item of your own has no {key!r} (only id, kind, text)", "own", key, n)
    missing = sorted(_OWN_KEYS - set(entry))
    if missing:
        raise refuse(f"an item of your own needs its {missing[0]}", "own", None, n)
    item_id = entry["id"]
    if not isinstance(item_id, str) or not re.fullmatch(r"my-[0-9a-f]{6,64}", item_id):
        raise refuse(f"{item_id!r} is not an id of your own (my- and hex digits)", "own", "id", n)
    try:
        kind = validate.choice(ItemKind, entry["kind"], "item kind")
    except InvalidInput as exc:
        raise refuse(exc.one_line(), "own", "kind", n) from None
    try:
        text = item_text(entry["text"])
    except InvalidInput as exc:
        raise refuse(exc.one_line(), "own", "text", n) from None
    return OwnItem(item_id, kind, text)


_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
_ARRAY = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]")


def _line_of(lines: list[str], section: str | None, key: str | None, index: int) -> int | None:
    """The line (from 1) where `key` is written in `section` (its `index`th table for an
    array of tables; None: top level), or the table's own line when `key` is None or not
    found there; None when the file is laid out some other way."""
    current: str | None = None
    count = -1
    header: int | None = None
    key_line = None
    if key is not None:
        bare = re.escape(key)
        key_line = re.compile(rf"""^\s*(?:{bare}|"{bare}"|'{bare}')\s*=""")
    for n, line in enumerate(lines, 1):
        array = _ARRAY.match(line)
        table = None if array else _TABLE.match(line)
        if array or table:
            found = array or table
            assert found is not None
            current = found.group(1)
            if current == section:
                count = count + 1 if array else 0
                if count == index:
                    header = n
            continue
        in_place = current == section and (section is None or count == index)
        if in_place and key_line is not None and key_line.match(line):
            return n
    return header


def write_edits(edits: Edits, path: Path | None = None) -> Path:
    """Write `edits` as the whole file: atomically, readable by the user only."""
    path = edits_path() if path is None else path
    out = [_HEADER]
    if edits.hidden:
        out.append("hidden = [" + ", ".join(_string(h) for h in sorted(edits.hidden)) + "]\n")
    if edits.reworded:
        out.append("[reworded]")
        out += [f"{_string(k)} = {_string(v)}" for k, v in sorted(edits.reworded.items())]
        out.append("")
    for own in edits.own:
        out += ["[[own]]", f"id = {_string(own.id)}", f"kind = {_string(own.kind.value)}"]
        out += [f"text = {_string(own.text)}", ""]
    try:
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        write_atomically(path, ("\n".join(out).rstrip("\n") + "\n").encode("utf-8"))
    except OSError as exc:
        reason, hint = describe_os_error(exc, path)
        raise InvalidInput(f"cannot write the screening file {path}: {reason}", hint) from None
    return path


def _string(text: str) -> str:
    # A TOML basic string: JSON's escapes are TOML's, and the item rules keep out the control
    # characters JSON would leave as they are.
    return json.dumps(text, ensure_ascii=False)

"""The first save after a load, made from the bytes that were read.

A command that changes one client reads the whole file and writes it back once. Encoding all
of it again costs about as much as writing it, while all but a record or two are exactly the
bytes just read, when the file is one our own writer laid out: `orjson.dumps` of the data,
compact, keys in insertion order (jsonfile.py knows such a file by its mark). `splice` then
copies those bytes, encodes only the records that changed, and re-encodes the (small) tables
after the spliced one.

Each changed record is found by its old text (its key and its encoding before the change),
which must occur exactly once in the file, at a key's place; so must the table's last record
followed by the table's end. Text inside a JSON string cannot pass for either (its quotes are
escaped), and a copy planted elsewhere in the data makes an occurrence ambiguous. In every
case it cannot vouch for (a record removed, a table before the spliced one changed, a key
order it does not expect, an occurrence not found or not unique) `splice` gives None and the
caller encodes everything, so the file written is always exactly `orjson.dumps(data)`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import orjson

_MISSING = object()


def splice(
    raw: bytes,
    data: Mapping[str, Any],
    changed: Mapping[str, Collection[str]],
    before: Mapping[str, Mapping[str, Any]],
) -> list[bytes | memoryview] | None:
    """`orjson.dumps(data)` in pieces, built from `raw`, or None when that cannot be vouched
    for. The unchanged stretches are views of `raw`: copying them would cost more than
    encoding.

    `raw` must be `orjson.dumps` of the data as it was loaded. `changed` names, per table,
    every key added, replaced or removed since; `before` gives, for the one table to splice,
    each changed key's record as it was loaded (None for a key added). Raises TypeError
    (from orjson) for a changed record JSON cannot hold."""
    if len(before) != 1:
        return None
    ((name, old),) = before.items()
    names = list(data)
    if name not in names or any(type(n) is not str for n in names):
        return None
    at = names.index(name)
    table = data[name]
    if type(table) is not dict or any(n in changed for n in names[:at]):
        return None
    dumps = orjson.dumps
    # The tables before this one are unchanged, so the file starts with their text.
    head = b"".join(dumps(n) + b":" + dumps(data[n]) + b"," for n in names[:at])
    head = b"{" + head + dumps(name) + b":{"
    if not raw.startswith(head):
        return None

    keys = list(table)
    replaced: list[str] = []
    added: list[str] = []
    for key in changed.get(name, ()):
        was = old.get(key, _MISSING)
        if type(key) is not str or key not in table or was is _MISSING:
            return None  # removed, or not told what it was: not worth finding its place
        (added if was is None else replaced).append(key)
    kept = len(keys) - len(added)
    # New keys go to the end of a dict; replaced ones keep their place.
    if kept == 0 or set(keys[kept:]) != set(added):
        return None

    # The table's end in the file: just after its last record as it was loaded.
    last = keys[kept - 1]
    last_was = old[last] if last in old else table[last]
    tail = dumps(last) + b":" + dumps(last_was) + b"}"
    at_tail = _only(raw, tail, len(head) - 1, len(raw))
    if at_tail is None:
        return None
    end = at_tail + len(tail) - 1  # the table's closing brace

    spans = []
    for key in replaced:
        text = dumps(key) + b":" + dumps(old[key])
        found = _only(raw, text, len(head) - 1, end + 1)
        if found is None or raw[found + len(text)] not in b",}":
            return None
        spans.append((found + len(text) - len(dumps(old[key])), found + len(text), key))
    spans.sort()

    view = memoryview(raw)
    pieces: list[bytes | memoryview] = []
    done = 0
    for start, stop, key in spans:
        pieces.append(view[done:start])
        pieces.append(dumps(table[key]))
        done = stop
    pieces.append(view[done:end])
    pieces.extend(b"," + dumps(key) + b":" + dumps(table[key]) for key in keys[kept:])
    pieces.append(b"}")
    pieces.extend(b"," + dumps(n) + b":" + dumps(data[n]) for n in names[at + 1 :])
    pieces.append(b"}")
    return pieces


def _only(raw: bytes, text: bytes, start: int, stop: int) -> int | None:
    """Where `text` occurs in raw[start:stop] at a key's place (after "{" or ","), if it
    occurs there exactly once."""
    found = raw.find(text, start, stop)
    if found < 1 or raw.rfind(text, start, stop) != found or raw[found - 1] not in b"{,":
        return None
    return found

"""The config's [keys] table: a key of the user's own for any action, by its binding id
(`"board.flag" = "F"`), applied with Textual's keymap when the TUI starts.

The binding ids and the names of keys belong to the TUI (offboard.tui.userconfig builds a
KeyNames from its action table and Textual's key names). They come in as a parameter so that
reading the settings never loads Textual: the TUI and `offboard config` pass them; a command
that binds no keys reads the file without them, and an entry is then only checked to be one
line of text.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .domain import validate
from .domain.errors import InvalidInput

KEYS = "keys"  # the table's name, and the prefix of its settings: keys.board.flag
KEY_ACCEPTED = (
    "a key: a letter or symbol (F, ?, /), a named key (f5, enter, space, delete, pageup), "
    "with ctrl+, alt+ or shift+ in front if wanted; several separated by commas"
)
KEY_EXAMPLE = '"F"'


@dataclass(frozen=True)
class KeyNames:
    """What a [keys] entry may name: the binding ids (each with a line saying what it does)
    and a check of a key's name that returns the key(s) as they are bound, or raises
    InvalidInput saying what is wrong."""

    ids: Mapping[str, str]
    check: Callable[[str], str]
    # Where each binding works and the keys it has of its own, for the clash check: two
    # bindings of one screen on one key would leave one of them dead. Empty: not checked.
    scopes: Mapping[str, str] = field(default_factory=dict)
    own: Mapping[str, str] = field(default_factory=dict)
    # One key as the bindings compare it ("?" and "question_mark" are one key).
    same: Callable[[str], str] = str


def binding_help(binding_id: str, names: KeyNames | None) -> str:
    """What the binding does; an unknown id is refused with the nearest known one."""
    if names is None:
        return "the key of one action"
    if binding_id not in names.ids:
        near = difflib.get_close_matches(binding_id, list(names.ids), n=1, cutoff=0.5)
        hint = (
            f"did you mean {near[0]}?"
            if near
            else "ids look like board.flag; the settings screen completes them as you type"
        )
        raise InvalidInput(f"there is no key binding {binding_id!r}", hint)
    return names.ids[binding_id]


def key_rule(names: KeyNames | None) -> Callable[[Any], str | None]:
    """The rule of a [keys] value: None (empty) leaves the binding its own key."""

    def parse(raw: Any) -> str | None:
        if not isinstance(raw, str):
            raise InvalidInput("the key must be text, in quotes")
        text = validate.one_line(raw, "the key")
        if not text:
            return None
        return names.check(text) if names is not None else text

    return parse


def key_entries(table: dict[str, Any], path: Path) -> Iterator[tuple[str, Any]]:
    """(binding id, value) for each entry, whether the id is quoted ("board.flag" = ...) or
    dotted (board.flag = ..., which TOML reads as a table in a table)."""
    seen: set[str] = set()
    for binding_id, value in _flatten(table):
        if binding_id in seen:
            raise InvalidInput(
                f"config file {path} sets {KEYS}.{binding_id} twice", "keep one of the two lines"
            )
        seen.add(binding_id)
        yield binding_id, value


def _flatten(table: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value


def check_clashes(keymap: Mapping[str, str], names: KeyNames | None, path: Path) -> None:
    """Refuse a [keys] table that gives one key to two bindings of the same screen (after
    every remap: swapping two keys is fine). Raises InvalidInput naming both bindings."""
    if names is None or not names.scopes:
        return
    taken: dict[tuple[str, str], str] = {}
    # The user's own entries first, so the message names a line of theirs.
    order = [*keymap, *(i for i in names.scopes if i not in keymap)]
    for binding_id in order:
        scope = names.scopes.get(binding_id)
        if scope is None:
            continue
        keys = keymap.get(binding_id) or names.own.get(binding_id, "")
        for key in {names.same(k.strip()) for k in keys.split(",") if k.strip()}:
            other = taken.setdefault((scope, key), binding_id)
            if other == binding_id:
                continue
            mine, theirs = (binding_id, other) if binding_id in keymap else (other, binding_id)
            raise InvalidInput(
                f"config file {path}: {KEYS}.{mine} = {keymap[mine]!r} gives {key!r} to "
                f"{mine} while {theirs} uses it on the same screen ({names.ids.get(theirs, '')})",
                f"choose another key for {mine}, or give {theirs} another key as well",
            )

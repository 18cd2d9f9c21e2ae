"""The user's config file in the running TUI: what its [keys] table may name (the binding ids
of the action table and Textual's names of keys), reading the file with them, and noticing
when the file changes on disk so the app can read it again.

The rule for a [keys] entry is config_keys'; this module only supplies the vocabulary it
checks against, which belongs to the TUI and Textual.
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path

from textual.keys import (
    KEY_NAME_REPLACEMENTS,
    KEY_TO_UNICODE_NAME,
    Keys,
    _character_to_key,
    format_key,
)

from ..config import MAX_CONFIG_BYTES, Config, load_config
from ..config_keys import KeyNames
from ..domain.errors import InvalidInput
from .actions import ACTIONS
from .scopes import scope_title

# Textual writes modifiers in alphabetical order ("ctrl+shift+up"); a binding only matches a
# key written exactly that way, so "shift+ctrl+up" is stored in that order too.
MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
NAMED_KEYS = frozenset(
    key.value for key in Keys if "+" not in key.value and not key.value.startswith("<")
)
# Names a symbol key goes by ("question_mark", "slash"): offered when a name is misspelt.
SYMBOL_NAMES = frozenset(KEY_TO_UNICODE_NAME) | frozenset(KEY_NAME_REPLACEMENTS.values())
ABOUT_MODIFIERS = "use ctrl+, alt+, shift+, meta+, super+ or hyper+"


def check_keys(text: str) -> str:
    """Keys as a [keys] entry writes them ("F", "ctrl+e", "f5, question_mark"), each checked:
    the keys as they are bound, comma-separated. Raises InvalidInput saying what is wrong."""
    keys = [part.strip() for part in text.split(",")]
    if not all(keys):
        raise InvalidInput(f"{text!r} has an empty key", "to bind the comma key, write comma")
    return ",".join(_one_key(key) for key in keys)


def _one_key(key: str) -> str:
    *given, base = key.split("+")
    modifiers = sorted({m.strip().lower() for m in given})
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            raise InvalidInput(f"{modifier!r} in {key!r} is not a modifier", ABOUT_MODIFIERS)
    base = base.strip()
    if not base:
        raise InvalidInput(f"{key!r} has no key after its +", "to bind the + key, write plus")
    if len(base) == 1:
        if not base.isprintable():
            raise InvalidInput(f"{key!r} is not a key that can be typed")
        # With ctrl or alt held, a terminal reports the lower-case letter.
        return "+".join([*modifiers, base.lower() if modifiers else base])
    name = base.lower()
    # A named key (f5, pageup) or a symbol's name (question_mark, which shows as "?").
    if name not in NAMED_KEYS and len(format_key(name)) != 1:
        near = difflib.get_close_matches(name, sorted(NAMED_KEYS | SYMBOL_NAMES), n=1)
        hint = f"did you mean {near[0]}?" if near else "e.g. F, ?, f5, enter, space, pageup"
        raise InvalidInput(f"{base!r} is not the name of a key", hint)
    return "+".join([*modifiers, name])


@cache
def key_names() -> KeyNames:
    """Every binding a [keys] entry may remap (Textual's own ctrl+q and ctrl+p have no id to
    remap them by), each with what it does, where, and its own key."""
    ids = {
        action.id: f"{action.words} ({scope_title(action.scope)}; its own key: {action.keys})"
        for action in ACTIONS
        if not action.builtin
    }
    scopes = {action.id: action.scope for action in ACTIONS}
    own = {action.id: check_keys(action.keys) for action in ACTIONS}
    return KeyNames(ids, check_keys, scopes, own, _as_bound)


def _as_bound(key: str) -> str:
    # As Textual's bindings store a key: a single character by its name.
    return _character_to_key(key) if len(key) == 1 else key


def read_config(path: Path | None = None) -> Config:
    """The config file, its [keys] checked against the TUI's bindings."""
    return load_config(path, names=key_names())


class ConfigWatch:
    """Notices that the config file changed on disk (an editor, `offboard config set`, the
    settings screen), cheaply enough to ask every couple of seconds: the file is read only
    when its size, time or inode moved, and a file saved unchanged does not count."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stat = self._stat_now()
        self._content = self._read()

    def _stat_now(self) -> tuple[int, int, int] | None:
        try:
            found = self.path.stat()
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size, found.st_ino

    def _read(self) -> bytes | None:
        try:
            with self.path.open("rb") as file:
                return file.read(MAX_CONFIG_BYTES + 1)
        except OSError:
            return None

    def changed(self) -> bool:
        """Whether the file differs from when this was last asked (or made)."""
        stat = self._stat_now()
        if stat == self._stat:
            return False
        self._stat = stat
        content = self._read()
        if content == self._content:
            return False
        self._content = content
        return True

"""Writing the config file: `offboard config set|init` and the TUI's settings screen change
it here. A value is checked by its setting's rule (config.SETTINGS) before anything is
written; the file keeps its comments and layout, and is replaced atomically, private to the
user (0600).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import (
    MAX_CONFIG_BYTES,
    SETTINGS,
    Config,
    accepted,
    config_path,
    from_toml,
    load_config,
    setting,
    toml_value,
)
from .config_keys import (
    KEY_EXAMPLE,
    KEYS,
    KeyNames,
)
from .domain.errors import InvalidInput
from .files import FileRefused, read_text_bounded, write_atomically

_SECTION = re.compile(r"^\s*\[([A-Za-z0-9_.-]+)\]\s*(#.*)?$")


def _set_line(text: str, section: str, name: str, literal: str) -> str:
    """`text` with `name = literal` in `[section]`: the line replaced where it is, else added
    at the end of the section (made if missing). Comments and everything else stay."""
    lines = text.splitlines()
    # A binding id has dots, so it is written quoted; the user may have written it either way.
    bare = re.escape(name)
    key_line = re.compile(rf"""^\s*(?:{bare}|"{bare}"|'{bare}')\s*=""")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        name = toml_value(name)
    current, end = None, None
    for i, line in enumerate(lines):
        found = _SECTION.match(line)
        if found:
            if current == section:
                end = i
                break
            current = found.group(1)
            continue
        if current == section and key_line.match(line):
            lines[i] = f"{name} = {literal}"
            return "\n".join(lines) + "\n"
    if current == section and end is None:
        end = len(lines)
    if end is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += [f"[{section}]", f"{name} = {literal}"]
    else:
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        lines.insert(end, f"{name} = {literal}")
    return "\n".join(lines) + "\n"


def check(key: str, raw: Any, *, names: KeyNames | None = None) -> Any:
    """`raw` (typed in a command or the settings screen) read by the rule of setting `key`;
    InvalidInput names the key and what it accepts."""
    spec = setting(key, names)
    try:
        return spec.parse(raw)
    except InvalidInput as exc:
        raise InvalidInput(f"{spec.key}: {exc.message}", accepted(spec, exc)) from None


def set_value(
    key: str, raw: Any, path: Path | None = None, *, names: KeyNames | None = None
) -> Config:
    """Check `raw` with the setting's rule, write it into the config file (atomically, 0600,
    comments kept), and return the config as it now reads.

    Raises InvalidInput for an unknown key or a value the rule refuses (the file is then
    unchanged), or when the file cannot be read or written."""
    return set_values({key: raw}, path, names=names)


def set_values(
    values: Mapping[str, Any], path: Path | None = None, *, names: KeyNames | None = None
) -> Config:
    """set_value for several settings at once: all are checked, then written in one go, so
    either every one is saved or none is."""
    path = path or config_path()
    checked = []
    for key, raw in values.items():
        try:
            checked.append((setting(key, names), check(key, raw, names=names)))
        except InvalidInput as exc:
            raise InvalidInput(f"{exc.message}; nothing was written to {path}", exc.hint) from None
    try:
        text = read_text_bounded(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        text = ""
    except FileRefused as exc:
        raise InvalidInput(f"config file {exc.message}", exc.hint) from None
    for spec, value in checked:
        section, name = spec.key.split(".", 1)
        shown = value if not isinstance(value, frozenset) else sorted(value)
        text = _set_line(text, section, name, toml_value(shown if shown is not None else ""))
    try:
        # The whole file must still load before it is written.
        from_toml(tomllib.loads(text), path, names)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"config file {path} could not be updated ({exc})") from None
    _write(path, text)
    return load_config(path, names=names)


def _write(path: Path, text: str) -> None:
    from .files import describe_os_error

    try:
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        reason, hint = describe_os_error(exc, path)
        raise InvalidInput(f"cannot write the config file {path}: {reason}", hint) from None


def init_text(values: dict[str, Any]) -> str:
    """A whole config file: every setting with its help as a comment, the given ones set (each
    checked), the others left commented out at their example."""
    out = ["# offboard's settings: `offboard config show` lists them, `set` changes one."]
    section = None
    for spec in SETTINGS:
        sec, name = spec.key.split(".")
        if sec != section:
            out += ["", f"[{sec}]"]
            section = sec
        out.append(f"# {spec.help} ({spec.accepted})")
        if values.get(spec.key) not in (None, ""):
            try:
                value = spec.parse(values[spec.key])
            except InvalidInput as exc:
                raise InvalidInput(
                    f"{spec.key}: {exc.message}", f"accepted: {spec.accepted}"
                ) from None
            shown = sorted(value) if isinstance(value, frozenset) else value
            out.append(f"{name} = {toml_value(shown)}")
        else:
            out.append(f"# {name} = {spec.example}")
    out += ["", f"[{KEYS}]", "# a key of your own for any action, by its binding id (README: Keys)",
            f'# "board.flag" = {KEY_EXAMPLE}']  # fmt: skip
    return "\n".join(out) + "\n"


def write_new(values: dict[str, Any], path: Path | None = None, *, overwrite: bool = False) -> Path:
    """Write a whole new config file (see init_text); refuses to replace one unless asked."""
    path = path or config_path()
    text = init_text(values)
    if path.exists() and not overwrite:
        raise InvalidInput(
            f"{path} already exists", "change one setting with `offboard config set`"
        )
    _write(path, text)
    return path

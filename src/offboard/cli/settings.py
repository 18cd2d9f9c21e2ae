"""`offboard config`: where the settings file is, what it holds, and changing it, so nobody has
to find the file to get started. Every key and rule comes from config.SETTINGS."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from ..config import SETTINGS, config_path, describe, load_config, toml_value
from ..config_write import set_value, write_new
from ..domain.errors import InvalidInput
from .output import emit_json
from .registry import Context, UsageError, arg, command

if TYPE_CHECKING:
    from ..config_keys import KeyNames

# What `offboard config init` asks, in this order.
ASKED = (
    "sender.name",
    "sender.email",
    "sender.signature",
    "defaults.currency",
    "defaults.locale",
    "defaults.target_rate",
)


def _shown(value: Any) -> str:
    if value is None or value == "" or value == () or value == frozenset():
        return "(not set)"
    if isinstance(value, tuple | frozenset):
        return toml_value(sorted(value) if isinstance(value, frozenset) else list(value))
    return str(value)


@command(
    "config",
    "settings: path, show, set KEY VALUE, init",
    arg("action", choices=("path", "show", "set", "init"), help="what to do"),
    arg("key", nargs="?", help="with set: the setting, e.g. sender.email or keys.board.flag"),
    arg("value", nargs="?", help="with set: its new value"),
    arg("--force", action="store_true", help="with init: replace an existing file"),
)
def config(ctx: Context) -> None:
    a = ctx.args
    path = config_path()
    if a.action == "path":
        print(path)
        return
    if a.action == "show":
        cfg = load_config(names=_key_names())
        rows = describe(cfg, _key_names())
        if a.json:
            emit_json({"path": str(path), "settings": {k: _plain(v) for k, v, _ in rows}})
            return
        print(f"# {path}{'' if path.exists() else ' (not written yet: these are the defaults)'}")
        width = max(len(k) for k, _, _ in rows)
        for key, value, spec in rows:
            print(f"{key:<{width}}  {_shown(value):<28}  {spec.help}")
        return
    if a.action == "set":
        if a.key is None or a.value is None:
            raise UsageError(
                "set needs a key and a value",
                "e.g. offboard config set sender.email ana@studio.example",
            )
        cfg = set_value(a.key, a.value, names=_key_names())
        print(f"Set {a.key.lower()} in {path}.")
        _ = cfg
        return
    _init(ctx)


def _key_names() -> KeyNames:
    """The TUI's binding ids and key names, which [keys] entries are checked against."""
    from ..tui.launch import key_names

    return key_names()


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(v.isoformat() for v in value)
    if isinstance(value, tuple):
        return list(value)
    return None if value is None else str(value) if not isinstance(value, int) else value


def _init(ctx: Context) -> None:
    """Ask for the settings a first letter needs, check each as it is typed, write the file."""
    path = config_path()
    if path.exists() and not ctx.args.force:
        raise InvalidInput(
            f"{path} already exists", "change a setting with `offboard config set`, or use --force"
        )
    if not sys.stdin.isatty():
        raise UsageError(
            "config init asks questions and needs a terminal",
            "in a script, use `offboard config set KEY VALUE` for each setting",
        )
    specs = {s.key: s for s in SETTINGS}
    values: dict[str, str] = {}
    print(f"Writing {path}. Press enter to leave a setting out.")
    for key in ASKED:
        spec = specs[key]
        while True:
            typed = input(f"{spec.help} [{key}]: ").strip()
            if not typed:
                break
            try:
                spec.parse(typed)
            except InvalidInput as exc:
                print(f"  {exc.one_line()}; accepted: {spec.accepted}")
                continue
            values[key] = typed
            break
    write_new(values, overwrite=ctx.args.force)
    print(f"Wrote {path}. `offboard config show` lists every setting.")

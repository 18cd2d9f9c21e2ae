"""`offboard config` and the [keys] table: a key set like any setting, checked against the
TUI's binding ids and key names, a refusal in one line that leaves the file alone."""

from __future__ import annotations

import json
from pathlib import Path


def test_config_set_remaps_a_key(cli, tmp_path: Path) -> None:
    path = tmp_path / "no-config.toml"
    cli.ok("config", "set", "keys.board.flag", "F")
    assert '[keys]\n"board.flag" = "F"' in path.read_text()
    shown = cli.ok("config", "show")
    assert "keys.board.flag" in shown and "Log a red flag" in shown
    assert json.loads(cli.ok("config", "show", "--json"))["settings"]["keys.board.flag"] == "F"
    before = path.read_bytes()
    assert "did you mean board.flag?" in cli.refused("config", "set", "keys.board.flga", "F")
    assert "not a modifier" in cli.refused("config", "set", "keys.board.flag", "ctlr+f")
    assert path.read_bytes() == before


def test_other_commands_read_a_file_with_keys(cli, tmp_path: Path) -> None:
    (tmp_path / "no-config.toml").write_text('[keys]\n"board.flag" = "F"\n', encoding="utf-8")
    cli.ok("add", "Bo", "--email", "bo@example.com")

"""The command registry and what `offboard --help` says; importing the CLI stays light; and
no message the CLI prints borrows the TUI's language (tabs, keys, the client screen)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import offboard.cli
from offboard.cli import COMMANDS, FIX_COMMANDS, main
from offboard.cli.main import AREAS
from offboard.config import config_dir
from offboard.demo import write_demo
from offboard.domain.fixes import Fix


def help_text(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*args, "--help"])
    assert done.value.code == 0
    out: str = capsys.readouterr().out
    return out


def test_every_command_has_help_and_is_listed(capsys: pytest.CaptureFixture[str]) -> None:
    top = help_text(capsys)
    listed = re.findall(r"^    (\S+)\s+(\S.*)$", top, re.MULTILINE)
    assert [name for name, _ in listed] == list(
        sorted(COMMANDS, key=lambda n: [a.__name__ for a in AREAS].index(COMMANDS[n].area))
    )
    for name, cmd in COMMANDS.items():
        assert cmd.help.strip(), name
        assert (name, cmd.help) in listed
        assert cmd.help in help_text(capsys, name)


def test_every_command_lives_in_an_area() -> None:
    assert {cmd.area for cmd in COMMANDS.values()} == {a.__name__ for a in AREAS}
    # The ones the design names for scripts are all there.
    for name in ("add", "list", "show", "move", "flag", "timers", "letter", "export", "import"):
        assert name in COMMANDS


def test_help_names_the_config_file_and_the_variables(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("OFFBOARD_CONFIG", raising=False)
    top = help_text(capsys)
    assert f"config file: {config_dir() / 'config.toml'}" in top
    for variable in ("OFFBOARD_DB", "OFFBOARD_TODAY", "OFFBOARD_CONFIG", "OFFBOARD_LOCK_TIMEOUT"):
        assert re.search(rf"^  {variable}\s", top, re.MULTILINE), variable
    assert "today, +N or -N" in top
    elsewhere = tmp_path / "mine.toml"
    monkeypatch.setenv("OFFBOARD_CONFIG", str(elsewhere))
    assert f"config file: {elsewhere}" in help_text(capsys)


def loaded_by(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"import json, sys; {code}; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_cli_loads_no_textual_and_no_storage() -> None:
    modules = loaded_by("import offboard.cli")
    tops = {name.split(".")[0] for name in modules}
    assert not tops & {"textual", "rich", "tinydb", "jinja2", "babel"}, tops
    assert not {m for m in modules if m.startswith(("offboard.services", "offboard.storage"))}
    assert not {m for m in modules if m.startswith(("offboard.tui", "offboard.letters"))}


def test_help_loads_no_services() -> None:
    modules = loaded_by(
        "import offboard.cli\ntry:\n    offboard.cli.main(['flag', '--help'])\n"
        "except SystemExit:\n    pass"
    )
    assert not {m for m in modules if m.startswith(("offboard.services", "textual"))}


def test_main_is_the_function_and_the_module_runs() -> None:
    assert callable(offboard.cli.main) and offboard.cli.main is main
    done = subprocess.run(
        [sys.executable, "-m", "offboard.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.startswith("offboard ")


# --- the CLI's language -------------------------------------------------------------------------

TUI_WORDS = re.compile(r"\btabs?\b|\bpress\b|ctrl\+|client screen|\(e\)|\bkey\b", re.IGNORECASE)


def test_fix_commands_cover_every_fix() -> None:
    assert set(FIX_COMMANDS) == set(Fix)


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "offboard.json"
    write_demo(path, dt.date(2026, 11, 22))
    monkeypatch.setenv("OFFBOARD_DB", str(path))
    monkeypatch.setenv("OFFBOARD_TODAY", "2026-11-22")
    monkeypatch.setenv("OFFBOARD_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return path


def test_refusals_name_commands_never_keys(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run every move and every letter check on the demo board: each message that comes up
    from the services, the gates and the letter checks is worded for the command line."""
    said: list[str] = []

    def run(*args: str) -> int:
        code = main(list(args))
        out, err = capsys.readouterr()
        said.extend(line for line in (out + err).splitlines() if line.strip())
        return code

    run("list", "--json")
    clients: list[dict[str, Any]] = json.loads("\n".join(said))
    said.clear()
    stages = ["assessment", "repair", "preparation", "notice", "handover", "settlement", "closed"]
    for c in clients:
        for stage in stages:
            run("move", c["id"], stage)
        for template in ("termination", "confirmation", "final-invoice", "repair-proposal"):
            run("letter", c["id"], template, "--check")
    run("show", "nobody at all")
    run("letter", clients[0]["id"], "no-such-template")
    run("move", clients[0]["id"], "limbo")
    assert any("(run: offboard " in line or "next: `offboard " in line for line in said)
    wrong = [line for line in said if TUI_WORDS.search(line)]
    assert not wrong, "\n".join(wrong)
    assert not [line for line in said if "unexpected error" in line]


def test_a_command_counts_every_row_from_one_day(cli, monkeypatch) -> None:
    """A listing asks the clock for today once: rows written as midnight passes must not
    count from two different days (the bug: `ctx.today` read again for every row)."""

    from offboard.cli import registry

    for name in ("Acme", "Bo Oy", "Cirrus"):
        cli.ok("add", name)
        cli.ok("invoice", name, f"{name[:2].upper()}-1", "100", "--due", "2026-12-10")

    class Turning:
        """A clock on which a day passes each time it is asked."""

        def __init__(self) -> None:
            self.day = dt.date(2026, 11, 22)

        def today(self) -> dt.date:
            self.day += dt.timedelta(days=1)
            return self.day

        def now(self) -> dt.datetime:
            return dt.datetime.combine(self.day, dt.time(9), tzinfo=dt.UTC)

    monkeypatch.setattr(registry, "make_clock", lambda _today: Turning())
    for args in (("list", "--json"), ("timers", "--json")):
        rows = json.loads(cli.ok(*args))
        days = {(row.get("next_deadline") or row)["days"] for row in rows}
        assert len(rows) == 3 and len(days) == 1, (args, days)

"""`offboard due` on a real database file: the exit status for nothing, due, overdue and an
error; its JSON; `timers --within` choosing with the same rule; and `--systemd`'s units."""

from __future__ import annotations

import configparser
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from offboard.cli import main
from offboard.cli.reminders import systemd_arg

Runner = Any  # conftest.Runner: ok(*args), refused(*args), state()

NOTHING, DUE, OVERDUE = 0, 3, 4


@pytest.fixture
def board(cli: Runner) -> Runner:
    """Hazel: a repair review on the 25th. Oak: a deliverable due on the 30th. Today is the
    22nd (conftest), so moving --today walks the deadlines through every status."""
    cli.ok("add", "Hazel Tech")
    cli.ok("repair", "hazel", "fortnightly check-in call", "--review", "2026-11-25")
    cli.ok("add", "Oak & Ivy")
    cli.ok("deliverable", "oak", "Brand guide", "--due", "2026-11-30")
    return cli


@pytest.mark.parametrize(
    ("today", "within", "status", "first_line"),
    [
        ("2026-11-20", [], NOTHING, "Nothing overdue or due within 3 days."),
        ("2026-11-22", [], DUE, "1 deadline due within 3 days."),
        ("2026-11-22", ["--within", "0"], NOTHING, "Nothing overdue or due today."),
        ("2026-11-22", ["--within", "8"], DUE, "2 deadlines due within 8 days."),
        ("2026-11-25", [], DUE, "1 deadline due today."),
        ("2026-11-27", [], OVERDUE, "1 deadline overdue, 1 due within 3 days."),
        ("2026-11-27", ["--within", "0"], OVERDUE, "1 deadline overdue."),
    ],
)
def test_exit_status_says_what_is_due(
    board: Runner, today: str, within: list[str], status: int, first_line: str
) -> None:
    before = board.state()
    code, out, err = board("--today", today, "due", *within)
    assert (code, err) == (status, "")
    assert out.splitlines()[0] == first_line
    assert ("Hazel Tech" in out) is (status != NOTHING)
    assert board.state() == before  # a check writes nothing


def test_errors_keep_exit_status_one(board: Runner, db: Path) -> None:
    for bad in ("-1", "1.5", "soon", "10000"):
        assert "the number of days" in board.refused("due", "--within", bad)
    board.refused("due", "--bogus")
    db.write_text("{not json")
    code, _, err = board("due")
    assert code == 1 and "offboard restore" in err
    assert db.read_text() == "{not json"


def test_json_keys(board: Runner) -> None:
    code, out, _ = board("--today", "2026-11-27", "due", "--json", "--within", "5")
    assert code == OVERDUE
    data = json.loads(out)
    assert set(data) == {"today", "within", "status", "counts", "summary", "most_urgent", "items"}
    assert (data["today"], data["within"], data["status"]) == ("2026-11-27", 5, "overdue")
    assert data["counts"] == {"overdue": 1, "today": 0, "upcoming": 1, "total": 2}
    assert data["summary"] == "1 deadline overdue, 1 due within 5 days"
    # Each item has the shape `timers --json` prints.
    timers = json.loads(board.ok("--today", "2026-11-27", "timers", "--json"))
    assert data["items"] == timers
    assert data["most_urgent"] == timers[0]
    assert timers[0]["kind"] == "review" and timers[0]["days"] == -2


def test_json_when_nothing_is_due(cli: Runner) -> None:
    code, out, _ = cli("due", "--json")
    assert code == NOTHING
    assert json.loads(out) == {
        "today": "2026-11-22",
        "within": 3,
        "status": "nothing",
        "counts": {"overdue": 0, "today": 0, "upcoming": 0, "total": 0},
        "summary": "Nothing overdue or due within 3 days",
        "most_urgent": None,
        "items": [],
    }


def test_timers_within_chooses_with_the_same_rule(board: Runner) -> None:
    """Overdue deadlines are inside every window, as in `due`; a window is whole days."""
    listed = json.loads(board.ok("--today", "2026-11-27", "timers", "--json", "--within", "0"))
    assert [d["client"] for d in listed] == ["Hazel Tech"]
    due = json.loads(board("--today", "2026-11-27", "due", "--json", "--within", "0")[1])
    assert due["items"] == listed
    assert "the number of days" in board.refused("timers", "--within", "-1")


def test_help_documents_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["due", "--help"])
    out = capsys.readouterr().out
    for line in (
        "0  nothing is overdue",
        "1  an error",
        "2  an unexpected error",
        "3  something is due",
        "4  something is overdue",
        "--systemd",
        "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$(id -u)/bus",
    ):
        assert line in out


# --- --systemd -----------------------------------------------------------------------------


def parts(out: str) -> dict[str, str]:
    """The printed text split at its "# Save as PATH" lines (up to "# Then")."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in out.splitlines():
        if line.startswith("# Save as "):
            current = found.setdefault(line.removeprefix("# Save as "), [])
        elif line.startswith("# Then"):
            current = None
        elif current is not None:
            current.append(line)
    return {path: "\n".join(lines) + "\n" for path, lines in found.items()}


def units(out: str) -> dict[str, configparser.ConfigParser]:
    """Each part read as INI."""
    parsed = {}
    for path, text in parts(out).items():
        ini = configparser.ConfigParser(interpolation=None, strict=True)
        ini.optionxform = str  # type: ignore[assignment,method-assign]
        ini.read_string(text)
        parsed[path] = ini
    return parsed


def test_systemd_prints_a_service_and_a_persistent_timer(
    cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OFFBOARD_DB")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    before = cli.state()
    out = cli.ok("due", "--systemd")
    assert cli.state() == before  # nothing opened or created
    found = units(out)
    service = found["~/.config/systemd/user/offboard-due.service"]
    timer = found["~/.config/systemd/user/offboard-due.timer"]
    assert service["Service"]["Type"] == "oneshot"
    start = service["Service"]["ExecStart"]
    assert start.startswith("/") and start.endswith(" due --notify")
    assert "--db" not in start and "--today" not in start
    assert set(service["Service"]["SuccessExitStatus"].split()) == {"3", "4"}
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["OnCalendar"] == "*-*-* 09:00:00"
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert "#   systemctl --user daemon-reload" in out
    assert "#   systemctl --user enable --now offboard-due.timer" in out


def test_systemd_names_the_database_quoted(cli: Runner, tmp_path: Path) -> None:
    odd = tmp_path / 'my "db" 100%$HOME\\x.json'
    out = cli.ok("--db", str(odd), "due", "--systemd", "--within", "7")
    start = next(iter(units(out).values()))["Service"]["ExecStart"]
    quoted = '"' + str(tmp_path) + '/my \\"db\\" 100%%$$HOME\\\\x.json"'
    assert start.endswith(f" --db {quoted} due --notify --within 7")
    assert not odd.exists()


def test_systemd_takes_the_database_from_the_environment_too(cli: Runner, db: Path) -> None:
    out = cli.ok("due", "--systemd")
    assert f"--db {db} due --notify" in out


def test_systemd_alone(cli: Runner) -> None:
    assert "--systemd" in cli.refused("due", "--systemd", "--notify")
    assert "--systemd" in cli.refused("due", "--systemd", "--json")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("/usr/bin/offboard", "/usr/bin/offboard"),
        ("a b", '"a b"'),
        ("50%", '"50%%"'),
        ("$HOME", '"$$HOME"'),
        ('say "hi"\\', '"say \\"hi\\"\\\\"'),
        ("line\nbreak\ttab", '"line\\x0abreak\\x09tab"'),
        ("", '""'),
        ("ünï", '"ünï"'),
    ],
)
def test_systemd_arg(value: str, written: str) -> None:
    assert systemd_arg(value) == written


def test_systemd_accepts_the_units(cli: Runner, tmp_path: Path) -> None:
    """systemd's own reader, where the machine has it: no warning, no error."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian's systemd package)")
    odd = tmp_path / "with space %n $x"
    odd.mkdir()
    out = cli.ok("--db", str(odd / "db.json"), "due", "--systemd")
    paths = []
    for name, text in parts(out).items():
        path = tmp_path / Path(name).name
        path.write_text(text)
        paths.append(str(path))
    done = subprocess.run([analyze, "verify", *paths], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr

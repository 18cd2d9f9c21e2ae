"""The CLI on a real database file: output shapes, exit codes, and refusals that change nothing."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from offboard.cli import main

TODAY = "2026-11-22"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "offboard.json"
    monkeypatch.setenv("OFFBOARD_DB", str(path))
    monkeypatch.setenv("OFFBOARD_TODAY", TODAY)
    monkeypatch.setenv("OFFBOARD_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return path


@pytest.fixture
def run(db: Path, capsys: pytest.CaptureFixture[str]):
    def _run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def ok(run, *args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, err
    return out


def refused(run, db: Path, *args: str) -> str:
    """Run a command that must fail: exit 1, one line on stderr, the file unchanged."""
    before = db.read_bytes() if db.exists() else None
    code, out, err = run(*args)
    assert code == 1, (out, err)
    assert err.count("\n") == 1 and err.startswith("offboard: "), err
    assert "Traceback" not in err
    after = db.read_bytes() if db.exists() else None
    assert before == after
    return err


def test_add_list_show_json_shapes(run) -> None:
    ok(
        run,
        "add",
        "Northwind Bakery",
        "--email",
        "orders@northwind.test",
        "--archetype",
        "non-payer",
        "--notice",
        "30 days",
    )
    listed = json.loads(ok(run, "list", "--json"))
    assert len(listed) == 1
    item = listed[0]
    assert set(item) == {
        "id",
        "name",
        "stage",
        "outcome",
        "archetype",
        "email",
        "flags",
        "outstanding",
        "currency",
        "next_deadline",
        "rev",
    }
    assert item["name"] == "Northwind Bakery"
    assert item["stage"] == "assessment"
    assert item["archetype"] == "non-payer"
    assert item["next_deadline"] is None
    shown = json.loads(ok(run, "show", item["id"][:6], "--json"))
    assert shown["id"] == item["id"]
    assert shown["contract"]["notice_period"] == "30 days"
    assert shown["history"][0]["action"] == "create"


def test_next_deadline_in_list_uses_today(run) -> None:
    ok(run, "add", "Pine & Co")
    ok(run, "invoice", "pine", "INV-7", "1200", "--issued", "2026-11-01", "--due", "2026-11-19")
    item = json.loads(ok(run, "list", "--json"))[0]
    assert item["outstanding"] == "1200.00"
    assert item["next_deadline"]["kind"] == "invoice"
    assert item["next_deadline"]["days"] == -3
    assert item["next_deadline"]["countdown"] == "invoice 3d overdue"
    _code, out, _err = run("--today", "2026-11-19", "list", "--json")
    assert json.loads(out)[0]["next_deadline"]["countdown"] == "invoice today"


def test_db_option_beats_environment(run, tmp_path: Path, db: Path) -> None:
    other = tmp_path / "other.json"
    ok(run, "--db", str(other), "add", "Elsewhere Ltd")
    assert other.exists() and not db.exists()
    assert json.loads(ok(run, "--db", str(other), "list", "--json"))[0]["name"] == "Elsewhere Ltd"


def test_full_path_to_closed_with_gates(run, db: Path) -> None:
    ok(run, "add", "Gale Media", "--archetype", "time-sink")
    ok(run, "flag", "gale", "time", "Missed the third planning call in a row", "--severity", "2")
    err = refused(run, db, "move", "gale", "preparation")
    assert "decision" in err and "offboard decide" in err
    ok(run, "decide", "gale", "offboard", "the account costs more hours than it pays for")
    err = refused(run, db, "move", "gale", "preparation")
    assert "--force" in err and "assessment" in err
    ok(run, "assess", "gale", "--revenue", "3000", "--hours", "100")
    ok(run, "move", "gale", "preparation")
    ok(run, "notice", "gale", "--on", "2026-11-20", "--channel", "video", "--period", "2 weeks")
    ok(run, "mark-sent", "gale", "--subject", "Ending our work together", "--channel", "email")
    ok(run, "move", "gale", "notice")
    err = refused(run, db, "move", "gale", "preparation")
    assert "--reason" in err
    ok(run, "move", "gale", "handover", "--force")
    ok(run, "invoice", "gale", "F-1", "900.50", "--final")
    ok(run, "move", "gale", "settlement", "--force")
    err = refused(run, db, "move", "gale", "closed")
    assert "900.50" in err and "write-off" in err
    ok(run, "pay", "gale", "F-1", "400")
    ok(run, "write-off", "gale", "F-1")
    ok(run, "lessons", "gale", "Ask for a meeting agenda before agreeing to weekly calls")
    ok(run, "move", "gale", "closed")
    shown = json.loads(ok(run, "show", "gale", "--json"))
    assert shown["stage"] == "closed" and shown["outcome"] == "offboarded"
    summaries = [h["summary"] for h in shown["history"]]
    assert any("overriding" in s for s in summaries)


def test_errors_are_one_line_and_change_nothing(run, db: Path) -> None:
    ok(run, "add", "Alder Partners")
    ok(run, "add", "Alder Print")
    assert "no client matches" in refused(run, db, "show", "Birch")
    err = refused(run, db, "flag", "alder", "scope", "x")
    assert "Alder Partners" in err and "Alder Print" in err
    assert "YYYY-MM-DD" in refused(run, db, "flag", "alder partners", "scope", "x", "--on", "22/11")
    assert "not a number" in refused(run, db, "invoice", "alder print", "A1", "12,5x")
    assert "unknown stage" in refused(run, db, "move", "alder print", "limbo")
    assert "unknown flag category" in refused(run, db, "flag", "alder print", "weather", "rain")
    assert "not understood" in refused(run, db, "add", "Cedar", "--notice", "a while")
    assert "YYYY-MM-DD" in refused(run, db, "--today", "tomorrow", "list")
    assert "--help" in refused(run, db, "frobnicate")
    assert "text-message" in refused(
        run, db, "notice", "alder print", "--on", "2026-11-20", "--channel", "text-message"
    )


def test_corrupt_database_is_reported_and_untouched(run, db: Path) -> None:
    ok(run, "add", "Willow Studio")
    db.write_bytes(db.read_bytes()[:40])
    for args in (("list",), ("add", "Another"), ("flag", "willow", "scope", "x")):
        err = refused(run, db, *args)
        assert str(db) in err and "offboard restore" in err


def test_locked_database_is_reported(run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(run, "add", "Rowan Labs")
    monkeypatch.setenv("OFFBOARD_LOCK_TIMEOUT", "0.2")
    fd = os.open(db.with_name(db.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert "busy" in refused(run, db, "flag", "rowan", "time", "late again")
    finally:
        os.close(fd)
    ok(run, "flag", "rowan", "time", "late again")


def test_undo_and_history(run) -> None:
    ok(run, "add", "Maple Goods")
    ok(run, "flag", "maple", "payment", "Invoice 3 paid 30 days late")
    assert "red flag" in ok(run, "undo")
    assert json.loads(ok(run, "show", "maple", "--json"))["flags"] == []
    ok(run, "undo")
    assert json.loads(ok(run, "list", "--json")) == []


def test_export_import_round_trip(run, tmp_path: Path, db: Path) -> None:
    ok(run, "add", "Oak Events", "--email", "hi@oak.test")
    ok(run, "flag", "oak", "respect", "Rewrote the brief after sign-off")
    export = tmp_path / "export.json"
    ok(run, "export", str(export))
    assert export.stat().st_mode & 0o777 == 0o600
    data = json.loads(export.read_text())
    assert data["format"] == "offboard-export"
    other = tmp_path / "other.json"
    ok(run, "--db", str(other), "import", str(export))
    shown = json.loads(ok(run, "--db", str(other), "show", "oak", "--json"))
    assert shown["email"] == "hi@oak.test" and len(shown["flags"]) == 1
    # Importing again collides with the same ids: refused, nothing changes.
    assert "--replace" in refused(run, other, "--db", str(other), "import", str(export))
    ok(run, "--db", str(other), "import", str(export), "--replace")
    # A damaged record anywhere means nothing is imported.
    data["clients"].append({"id": "not-a-uuid", "name": "Broken"})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    refused(run, db, "import", str(bad))


def test_timers_json(run) -> None:
    ok(run, "add", "Hazel Tech")
    ok(run, "repair", "hazel", "fortnightly check-in call", "--review", "2026-11-25")
    timers = json.loads(ok(run, "timers", "--json"))
    assert timers == [
        {
            "client_id": timers[0]["client_id"],
            "client": "Hazel Tech",
            "kind": "review",
            "due": "2026-11-25",
            "days": 3,
            "urgency": "soon",
            "label": "review repair: fortnightly check-in call",
            "countdown": "review in 3d",
            "amount": None,
            "currency": None,
        }
    ]


def test_console_script_runs_without_traceback(db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "OFFBOARD_DB": str(db), "OFFBOARD_TODAY": TODAY}
    done = subprocess.run(
        [sys.executable, "-m", "offboard", "show", "nobody"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("offboard: no client matches")
    assert "Traceback" not in done.stderr
    db.write_text("{not json")
    done = subprocess.run(
        [sys.executable, "-m", "offboard", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "offboard restore" in done.stderr
    assert db.read_text() == "{not json"


def test_read_only_folder_is_reported(run, db: Path) -> None:
    import shutil

    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed, so a folder cannot be made read-only for root")
    ok(run, "add", "Poplar Crafts")
    done = subprocess.run(["chattr", "+i", str(db.parent)], capture_output=True, text=True)
    try:
        if done.returncode != 0:
            pytest.skip(f"chattr +i not permitted here: {done.stderr.strip()}")
        err = refused(run, db, "flag", "poplar", "scope", "Asked for a second logo for free")
        assert "could not save" in err and "unchanged" in err
    finally:
        subprocess.run(["chattr", "-i", str(db.parent)], capture_output=True)
    ok(run, "flag", "poplar", "scope", "Asked for a second logo for free")

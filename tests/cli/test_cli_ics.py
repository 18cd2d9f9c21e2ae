"""`offboard ics [CLIENT] [--out FILE]` in-process on a real database file, its output read
back with the icalendar library."""

from __future__ import annotations

import stat
from pathlib import Path

from icalendar import Calendar


def events(text: str | bytes) -> dict[str, object]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return {str(e["uid"]): e for e in Calendar.from_ical(raw).walk("VEVENT")}


def board(cli) -> None:
    cli.ok("add", "Acme Ltd", "--currency", "GBP", "--locale", "en-GB")
    cli.ok("invoice", "Acme", "A-7", "1250.50", "--due", "+10")
    cli.ok("deliverable", "Acme", "Logo files", "--due", "+5")
    cli.ok("add", "Bo Oy")
    cli.ok("deliverable", "Bo Oy", "Handbook", "--due", "+3")


def test_standard_output_holds_every_open_deadline(cli) -> None:
    board(cli)
    found = events(cli.ok("ics"))
    assert sorted(str(e["summary"]) for e in found.values()) == [
        "Deliverable: Acme Ltd",
        "Deliverable: Bo Oy",
        "Invoice: Acme Ltd",
    ]
    for event in found.values():
        assert event.decoded("sequence") == 0
        assert len(event.walk("VALARM")) == 2
    # The same calendar twice, byte for byte: nothing comes from the wall clock.
    assert cli.ok("ics") == cli.ok("ics")


def test_one_client_only(cli) -> None:
    board(cli)
    found = events(cli.ok("ics", "bo"))
    assert [str(e["summary"]) for e in found.values()] == ["Deliverable: Bo Oy"]


def test_out_writes_privately_and_a_second_export_updates(cli, tmp_path: Path) -> None:
    board(cli)
    out = tmp_path / "deadlines.ics"
    code, stdout, stderr = cli("ics", "--out", str(out))
    assert code == 0 and stdout == ""
    assert "Wrote 3 deadlines" in stderr and str(out) in stderr and "3 new" in stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    first = events(out.read_bytes())

    cli.ok("pay", "Acme", "A-7")
    cli.ok("edit-deliverable", "Bo Oy", "1", "--due", "+8")
    cli.ok("deliverable", "Acme", "Source files", "--due", "+12")
    code, _, stderr = cli("ics", "--out", str(out))
    assert code == 0
    assert "1 new, 1 changed, 1 cancelled" in stderr
    second = events(out.read_bytes())
    assert set(first) < set(second)
    assert sorted(str(e["status"]) for e in second.values()).count("CANCELLED") == 1


def test_an_unknown_client_is_one_line_and_writes_nothing(cli, tmp_path: Path) -> None:
    board(cli)
    out = tmp_path / "deadlines.ics"
    err = cli.refused("ics", "nobody", "--out", str(out))
    assert "no client matches 'nobody'" in err
    assert not out.exists()
    cli.ok("add", "Acme Group")
    err = cli.refused("ics", "acme")
    assert "matches 2 clients" in err


def test_a_foreign_file_is_refused_and_kept(cli, tmp_path: Path) -> None:
    board(cli)
    out = tmp_path / "family.ics"
    mine = b"BEGIN:VCALENDAR\r\nPRODID:-//Family//EN\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    out.write_bytes(mine)
    err = cli.refused("ics", "--out", str(out))
    assert "is not a calendar offboard wrote" in err and "not replaced" in err
    assert out.read_bytes() == mine


def test_a_missing_folder_is_one_line(cli, tmp_path: Path) -> None:
    board(cli)
    err = cli.refused("ics", "--out", str(tmp_path / "no" / "such" / "x.ics"))
    assert "does not exist" in err


def test_the_alarm_setting_is_checked_by_config_set(cli, tmp_path: Path, monkeypatch) -> None:
    cfg = tmp_path / "config.toml"
    monkeypatch.setenv("OFFBOARD_CONFIG", str(cfg))
    board(cli)
    cli.ok("config", "set", "calendar.alarms", "1d 17:00")
    for event in events(cli.ok("ics")).values():
        [alarm] = event.walk("VALARM")
        assert str(alarm["trigger"].to_ical().decode()) == "-PT7H"  # 17:00 the day before
    code, _, err = cli("config", "set", "calendar.alarms", "tomorrow-ish")
    assert code == 1 and "calendar.alarms" in err and "is not an alarm" in err

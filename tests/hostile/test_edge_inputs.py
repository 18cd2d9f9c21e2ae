"""Edge inputs that used to reach the "unexpected error" catch-all (exit 2): dates at the ends
of the calendar after arithmetic, bad environment values, files that are not text, numbers
with thousands of digits, over-long addresses, folders that do not exist. Each must be a
one-line refusal (exit 1) that leaves the database as it was, or simply work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import Runner

EDGE_DAYS = ["0001-01-01", "0001-01-02", "1899-12-31", "3000-01-01", "9999-12-30", "9999-12-31"]


@pytest.mark.parametrize("day", EDGE_DAYS)
def test_today_at_the_ends_of_the_calendar(run: Runner, db: Path, day: str) -> None:
    run.ok("add", "Ana")
    run.refused("--today", day, "invoice", "ana", "F-1", "100")
    run.refused("--today", day, "list")


@pytest.mark.parametrize("day", EDGE_DAYS)
@pytest.mark.parametrize(
    "command",
    [
        ("invoice", "ana", "F-1", "100", "--issued", "{day}"),
        ("invoice", "ana", "F-1", "100", "--due", "{day}"),
        ("repair", "ana", "calls", "--review", "{day}"),
        ("repair", "ana", "calls", "--review", "2026-12-01", "--start", "{day}"),
        ("deliverable", "ana", "logo", "--due", "{day}"),
        ("notice", "ana", "--on", "{day}", "--channel", "phone", "--period", "1 month"),
        ("notice", "ana", "--on", "2026-11-20", "--channel", "phone", "--period", "until {day}"),
        ("flag", "ana", "payment", "late", "--on", "{day}"),
        ("edit", "ana", "--contract-end", "{day}"),
        ("pay", "ana", "F-0", "--on", "{day}"),
    ],
    ids=lambda c: c[0] + ("-" + c[-2] if len(c) > 3 else ""),
)
def test_dates_at_the_ends_of_the_calendar(run: Runner, day: str, command) -> None:
    run.ok("add", "Ana")
    run.ok("invoice", "ana", "F-0", "50")
    args = [part.replace("{day}", day) for part in command]
    run.refused(*args)


@pytest.mark.parametrize(
    "period",
    [
        "9" * 5000 + " days",
        "9" * 5000,
        "1" + "0" * 30 + " months",
        "x" * 100_000,
        "until " + "9" * 5000,
    ],
)
def test_notice_periods_with_thousands_of_digits(run: Runner, period: str) -> None:
    run.ok("add", "Ana")
    run.refused("add", "Bo", "--notice", period)
    run.refused("edit", "ana", "--notice", period)
    run.refused("notice", "ana", "--on", "2026-11-20", "--channel", "phone", "--period", period)


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-1", "1e999", "", " ", "5s", "99999"])
def test_lock_timeout_from_the_environment(
    run: Runner, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    run.ok("add", "Ana")
    monkeypatch.setenv("OFFBOARD_LOCK_TIMEOUT", value)
    if value.strip() == "":
        run.ok("list")  # unset in all but name: the default
        return
    err = run.refused("flag", "ana", "payment", "late")
    assert "OFFBOARD_LOCK_TIMEOUT" in err


def test_body_files_that_are_not_text(run: Runner, tmp_path: Path) -> None:
    run.ok("add", "Ana")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Grüße".encode("latin-1"))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(1 << 30)
    for body in (latin1, fifo, big, tmp_path, tmp_path / "missing.txt", Path("/dev/zero")):
        run.refused("mark-sent", "ana", "--channel", "email", "--body-file", str(body))


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--email", "a" * 5000 + "@example.com"),
        ("--email", "ana@" + "b" * 5000 + ".com"),
        ("--company", "c" * 5000),
        ("--name", "n" * 5000),
        ("--currency", "E" * 5000),
        ("--locale", "l" * 5000),
        ("--rate", "9" * 5000),
        ("--terms", "9" * 5000),
        ("--clause", "\x00"),
    ],
)
def test_over_long_and_broken_values(run: Runner, option: str, value: str) -> None:
    run.ok("add", "Ana")
    run.refused("edit", "ana", option, value)


def test_amounts_with_thousands_of_digits(run: Runner) -> None:
    run.ok("add", "Ana")
    for amount in ("9" * 5000, "0." + "1" * 5000, "1e5000", "-0", "1_000"):
        run.refused("invoice", "ana", "F-1", amount)


def test_demo_into_a_missing_folder_is_made(run: Runner, tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "demo.json"
    out = run.ok("--db", str(target), "demo")
    assert "demo clients" in out and target.exists()


def test_demo_under_a_file_says_so(run: Runner, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    err = run.refused("--db", str(blocker / "demo.json"), "demo")
    assert "disk" not in err  # it is not about free space
    assert "a-file" in err


def test_a_refused_export_is_one_line_even_with_warnings(run: Runner, tmp_path: Path) -> None:
    run.ok("add", "Ana", "--email", "ana@example.com")
    # The termination letter lacks the decision and the conversation (warnings), and the
    # folder does not exist (the refusal): only the refusal is printed.
    err = run.refused("letter", "ana", "termination", "--out", str(tmp_path / "missing" / "x.eml"))
    assert "warning" not in err

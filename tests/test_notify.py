"""`offboard due --notify` end to end: a real dbus-daemon on a private bus, a notification
service on it (notifykit), and offboard started as its own process, as cron or systemd would.
Also the adapter (offboard.notify) against the same service: hostile text, no service, a
service that never answers."""

from __future__ import annotations

import os
import time
from pathlib import Path

import notifykit
import pytest
from notifykit import NotificationService, run_offboard

from offboard.cli import main
from offboard.notify import (
    MAX_LINE,
    MAX_LINES,
    MAX_SUMMARY,
    Notification,
    NotifyError,
    Urgency,
    body_text,
    one_line,
    send,
)

private_bus = notifykit.private_bus
notification_service = notifykit.notification_service

TODAY = "2026-11-22"
HOSTILE = "<b>Acme & Co</b>"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OFFBOARD_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path / "offboard.json"


def offboard(db: Path, *args: str) -> None:
    """Set up records through the real CLI, in this process."""
    assert main(["--db", str(db), "--today", TODAY, *args]) == 0


def env(db: Path, bus: str | None) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    clean.update(OFFBOARD_DB=str(db), OFFBOARD_TODAY=TODAY)
    if bus is not None:
        clean["DBUS_SESSION_BUS_ADDRESS"] = bus
    return clean


@pytest.fixture
def overdue_board(db: Path) -> Path:
    """An invoice a week overdue at a client whose name is markup, and a repair review in two
    days at another client."""
    offboard(db, "add", HOSTILE)
    offboard(db, "invoice", "acme", "F-7", "1250", "--issued", "2026-11-01", "--due", "2026-11-15")
    offboard(db, "add", "Hazel Tech")
    offboard(db, "repair", "hazel", "fortnightly check-in call", "--review", "2026-11-24")
    return db


def test_one_notification_names_the_most_urgent_escaped(
    overdue_board: Path, notification_service: NotificationService
) -> None:
    done = run_offboard("due", "--notify", env=env(overdue_board, notification_service.address))
    assert done.returncode == 4, done.stderr
    assert done.stderr == ""
    assert "1 deadline overdue, 1 due within 3 days." in done.stdout
    [note] = notification_service.received
    assert note.app_name == "offboard"
    assert note.summary == "1 deadline overdue, 1 due within 3 days"
    first, second = note.body.split("\n")
    # The server reads markup in the body, so the client's name is shown as typed.
    assert first == (
        "Most urgent: &lt;b&gt;Acme &amp; Co&lt;/b&gt;, invoice F-7 due: €1,250.00 (7d overdue)"
    )
    assert second == "offboard due lists them all."
    assert note.hints["urgency"] == ("y", int(Urgency.CRITICAL))
    assert note.actions == [] and note.replaces_id == 0


def test_a_server_without_markup_gets_plain_text(overdue_board: Path, private_bus: str) -> None:
    service = NotificationService(private_bus, capabilities=("body",)).start()
    try:
        done = run_offboard("due", "--notify", env=env(overdue_board, private_bus))
    finally:
        service.stop()
    assert done.returncode == 4, done.stderr
    [note] = service.received
    assert note.body.startswith(f"Most urgent: {HOSTILE}, invoice F-7")


def test_due_but_not_overdue_is_a_normal_notification(
    db: Path, notification_service: NotificationService
) -> None:
    offboard(db, "add", "Hazel Tech")
    offboard(db, "deliverable", "hazel", "Logo files", "--due", "today")
    done = run_offboard("due", "--notify", env=env(db, notification_service.address))
    assert done.returncode == 3, done.stderr
    [note] = notification_service.received
    assert note.summary == "1 deadline due today"
    assert note.body.startswith("Most urgent: Hazel Tech, deliver: Logo files (today)")
    assert note.hints["urgency"] == ("y", int(Urgency.NORMAL))


def test_nothing_due_sends_nothing_and_says_nothing_on_stderr(
    db: Path, notification_service: NotificationService
) -> None:
    offboard(db, "add", "Hazel Tech")
    offboard(db, "repair", "hazel", "weekly call", "--review", "2026-12-20")
    done = run_offboard("due", "--notify", env=env(db, notification_service.address))
    assert (done.returncode, done.stderr) == (0, "")
    assert notification_service.received == []


def one_error_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and stderr.startswith("offboard: "), stderr
    assert "Traceback" not in stderr
    return stderr


def test_no_session_bus_is_said_on_stderr_and_the_status_stays(overdue_board: Path) -> None:
    done = run_offboard("due", "--notify", env=env(overdue_board, None))
    assert done.returncode == 4
    err = one_error_line(done.stderr)
    assert "no session bus" in err and "DBUS_SESSION_BUS_ADDRESS" in err
    assert "1 deadline overdue" in done.stdout  # the listing is still printed


def test_a_bus_without_a_notification_service(overdue_board: Path, private_bus: str) -> None:
    done = run_offboard("due", "--notify", "--json", env=env(overdue_board, private_bus))
    assert done.returncode == 4
    assert "no notification service is running" in one_error_line(done.stderr)


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("unix:path=/nonexistent/offboard-due/bus", "No such file or directory"),
        ("tcp:host=localhost,port=1", "an address offboard cannot use: tcp:host"),
        ("garbage", "an address offboard cannot use: garbage"),
        ("unix:", "an address offboard cannot use: unix:"),
        ("unix:tmpdir=/tmp", "an address offboard cannot use: unix:tmpdir=/tmp"),
        # what the variable holds is shown on one line, whatever it holds
        ("unix:path=/x\n\x1b[2J", "cannot reach the session bus at unix:path=/x [2J:"),
        ("unix:path=/dev/null", "cannot reach the session bus"),
    ],
)
def test_a_bus_that_cannot_be_reached(overdue_board: Path, address: str, said: str) -> None:
    done = run_offboard("due", "--notify", env=env(overdue_board, address))
    assert done.returncode == 4
    assert said in one_error_line(done.stderr)


# --- the adapter ---------------------------------------------------------------------------


def test_hostile_text_is_flattened_bounded_and_escaped(
    notification_service: NotificationService,
) -> None:
    lines = (
        "a\nb\r\nc\x00d\x1b[31me\u2028f\u202eg\x85h",
        "<i>x</i> & <a href='u'>y</a>",
        "z" * 10_000,
        *(f"extra {i}" for i in range(10)),
    )
    summary = "two\nlines\x00 " + "s" * 1000
    send(Notification(summary, lines), address=notification_service.address)
    [note] = notification_service.received
    assert note.summary.startswith("two lines s") and len(note.summary) == MAX_SUMMARY
    body = note.body.split("\n")
    assert len(body) == MAX_LINES
    assert body[0] == "a b c d [31me f g h"
    assert body[1] == "&lt;i&gt;x&lt;/i&gt; &amp; &lt;a href='u'&gt;y&lt;/a&gt;"
    assert len(body[2]) == MAX_LINE and body[2].endswith("…")
    assert not any(ord(ch) < 0x20 for ch in note.body.replace("\n", ""))


def test_one_line_and_body_text_guard_every_line() -> None:
    assert one_line("\t tabs\tand\vfeeds\f ", 50) == "tabs and feeds"
    assert one_line("x" * 30, 10) == "x" * 9 + "…"
    assert body_text(["<&>", "", "\n"], markup=True) == "&lt;&amp;&gt;"
    assert body_text(["<&>"], markup=False) == "<&>"


def test_a_service_that_never_answers_times_out(private_bus: str) -> None:
    service = NotificationService(private_bus, silent=True).start()
    try:
        started = time.monotonic()
        with pytest.raises(NotifyError, match=r"did not answer within 0\.5 s"):
            send(Notification("x"), address=private_bus, timeout=0.5)
        assert time.monotonic() - started < 5
    finally:
        service.stop()


def test_a_socket_that_is_not_a_bus_times_out(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "mute.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        server.listen()
        with pytest.raises(NotifyError, match="cannot reach the session bus"):
            send(Notification("x"), address=f"unix:path={path}", timeout=0.5)


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ("error", "refused it: org.example.Full: too many notifications"),
        ("text", "answered with something that is not a notification id"),
    ],
)
def test_a_service_that_refuses_or_talks_nonsense(private_bus: str, answer: str, said: str) -> None:
    service = NotificationService(private_bus, answer=answer).start()
    try:
        with pytest.raises(NotifyError, match=said) as raised:
            send(Notification("x"), address=private_bus)
    finally:
        service.stop()
    assert "\n" not in raised.value.one_line()

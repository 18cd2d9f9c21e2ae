"""The calendar key (c) on the agenda and on the client screen, driven by Pilot on a real
database file: the .ics beside the database, read back with the icalendar library."""

from __future__ import annotations

import stat
from pathlib import Path

from icalendar import Calendar

from offboard.domain.timers import agenda, deadlines
from offboard.tui import calendar
from offboard.tui.client.screen import ClientScreen
from offboard.tui.screens.agenda import AgendaScreen
from offboard.tui.screens.help import HelpScreen

SIZE = (110, 34)


def events(path: Path) -> dict[str, object]:
    return {str(e["uid"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def notes(app) -> list[tuple[str, str, str]]:
    return [(n.title or "", n.message, n.severity) for n in app._notifications]


async def test_c_on_the_agenda_writes_every_deadline_beside_the_database(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    out = demo_db.with_name("offboard.ics")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        found = events(out)
        assert len(found) == len(agenda(app.clients.values())) > 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        [(title, message, severity)] = notes(app)
        assert (title, severity) == ("Calendar exported", "information")
        assert str(out) in message and f"Wrote {len(found)} deadlines" in message

        # Again, with nothing changed: the same events, the same sequences.
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        again = events(out)
        assert set(again) == set(found)
        assert all(again[u].decoded("sequence") == found[u].decoded("sequence") for u in found)
        assert "0 new, 0 changed" in notes(app)[-1][1]


async def test_c_on_the_client_screen_writes_that_clients_deadlines(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        client = next(c for c in app.clients.values() if len(deadlines(c)) >= 2)
        app.push_screen(ClientScreen(client.id))
        await pilot.pause()
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        out = app.services.calendar_path(client)
        assert out.parent == demo_db.parent and client.id[:8] in out.name
        found = events(out)
        assert len(found) == len(deadlines(client))
        assert all(client.name in str(e["summary"]) for e in found.values())
        [(title, message, _)] = notes(app)
        assert title == "Calendar exported" and client.name in message and str(out) in message
        assert not demo_db.with_name("offboard.ics").exists()


async def test_a_file_that_is_not_ours_is_left_alone_and_the_error_shown(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    out = demo_db.with_name("offboard.ics")
    out.write_text("BEGIN:VCALENDAR\r\nPRODID:-//Family//EN\r\nEND:VCALENDAR\r\n")
    before = out.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        [(title, message, severity)] = notes(app)
        assert (title, severity) == ("Calendar not written", "error")
        assert "is not a calendar offboard wrote" in message
    assert out.read_bytes() == before


async def test_the_export_runs_off_the_ui_thread(demo_db: Path, make_app) -> None:
    # Turning every client into events takes a moment on a big board: the keys must not wait.
    # While another export holds the file, ours waits in its thread and the keys still work.
    app = make_app(demo_db)
    out = demo_db.with_name("offboard.ics")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        with calendar._writing:
            await pilot.press("c")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, AgendaScreen)
            assert not out.exists()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.exists()
        assert notes(app)[-1][0] == "Calendar exported"


async def test_help_lists_the_calendar_key_on_both_screens(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Export every deadline as a calendar file" in app.screen.as_text()
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        client = next(iter(app.clients.values()))
        app.push_screen(ClientScreen(client.id))
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Export this client's deadlines as a calendar file" in app.screen.as_text()

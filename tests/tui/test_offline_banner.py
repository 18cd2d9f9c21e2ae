"""The offline banner, as the app shows it when its writer says the server is away: on the
board and on every full screen opened meanwhile, saying why, what waits and when the next
try is; gone once the writer says the server is back. (The server really going away and
coming back is tested in tests/storage/test_postgres_offline.py.)"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from tuikit import TODAY

from offboard.domain.clock import FixedClock
from offboard.storage.postgres.errors import ServerUnreachable
from offboard.tui.app import OffboardApp
from offboard.tui.saving import Offline

WHERE = "postgresql://ana@db.studio.example/agency"
AWAY = Offline(ServerUnreachable(WHERE, "Connection refused"), unsaved=2, retry_every=4.0)


def banner(app: OffboardApp) -> str | None:
    found = list(app.screen.query("#offline-banner"))
    return str(found[0].render()) if found else None


async def go_offline(pilot: Pilot) -> None:
    pilot.app._offline_changed(AWAY)
    await pilot.pause()


def test_the_banner_on_the_board(snap_compare, demo_db: Path) -> None:
    app = OffboardApp(demo_db, FixedClock(TODAY), demo=True, watch=False)
    assert snap_compare(app, run_before=go_offline, terminal_size=(100, 30))


async def test_the_banner_says_why_stays_on_every_screen_and_goes(demo_db, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert banner(app) is None
        await go_offline(pilot)
        text = banner(app)
        assert text == (
            f"Offline: the server of {WHERE} cannot be reached (Connection refused). "
            "2 changes kept unsaved; retrying every 4 s (ctrl+s tries now)."
        )
        await pilot.press("t")  # the agenda, a full screen opened while offline
        await pilot.pause()
        assert type(app.screen).__name__ == "AgendaScreen" and banner(app) == text
        await pilot.press("escape")
        await pilot.press("question_mark")  # help: a dialog over the board, which shows
        await pilot.pause()
        assert banner(app) is None and len(list(app.screen_stack[0].query("#offline-banner")))
        await pilot.press("escape")
        app._offline_changed(Offline(AWAY.error, unsaved=0, retry_every=10.0))
        await pilot.pause()
        assert "Nothing is unsaved; retrying every 10 s" in banner(app)
        app._offline_changed(None)
        await pilot.pause()
        assert all(not list(s.query("#offline-banner")) for s in app.screen_stack)
        assert any("Connected to the server again" in n.message for n in app._notifications)
        await pilot.press("t")
        await pilot.pause()
        assert banner(app) is None  # online: a new screen gets none


async def test_a_file_that_cannot_be_written_is_not_offline(tmp_path, make_app) -> None:
    """On the local file a failed save stays what it was: the change kept as unsaved, the
    toast that says so, no banner, and ctrl+s saving it; and q asks before losing it."""
    import shutil
    import subprocess

    import pytest
    from tuikit import settle

    from offboard.domain.models import Stage
    from offboard.services import Services
    from offboard.storage.tinyfile import TinyRepository

    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed, so the folder cannot be made read-only for root")
    path = tmp_path / "board.json"
    setup = Services(TinyRepository(path), FixedClock(TODAY))
    cid = setup.add_client("Ana").id
    setup.add_repair(cid, "weekly call", "+14")
    setup.repo.close()
    app = make_app(path, watch=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.screen.action_focus_client(cid)
        done = subprocess.run(["chattr", "+i", str(tmp_path)], capture_output=True)
        try:
            if done.returncode != 0:
                pytest.skip("chattr +i is not permitted here")
            await pilot.press("shift+right")
            await settle(app, pilot)
            await pilot.pause(2.5)  # a poll of the file comes and goes meanwhile
            await settle(app, pilot)
            assert cid in app.screen.model.unsaved and len(app.saver.unsaved) == 1
            assert app.offline is None and banner(app) is None
            assert any("Not saved" in (n.title or "") for n in app._notifications)
            await pilot.press("q")
            await pilot.pause()
            assert app.is_running
        finally:
            subprocess.run(["chattr", "-i", str(tmp_path)], capture_output=True)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not app.screen.model.unsaved and not app.saver.unsaved
    reopened = TinyRepository(path)
    assert reopened.get(cid).stage is Stage.REPAIR
    reopened.close()

"""The board on a server that goes away and comes back, and two boards on one server: the
real app driven by Pilot, each with its own repository (as `offboard --db URL` opens it), on
the throwaway cluster, which the tests stop and start with pg_ctl.

While the server is away the board shows a banner (not a passing message), keeps every
change as unsaved and tries the server again with growing pauses; once it answers, the whole
board is read again and the changes are saved, in order, with nothing lost. A change a
colleague made stale meanwhile is refused as any stale edit is, and its card put back.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from pgserver import cluster

from offboard.config import DatabaseUrl
from offboard.domain.clock import FixedClock
from offboard.domain.models import Stage
from offboard.services import Services
from offboard.storage.postgres import open_pg
from offboard.storage.postgres.errors import ServerUnreachable
from offboard.storage.postgres.repository import PgRepository
from offboard.tui.app import OffboardApp

pytestmark = pytest.mark.tui

DAY = dt.date(2026, 3, 2)
SIZE = (120, 36)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tester's own config stays out; letter drafts go to the test's folder."""
    monkeypatch.setenv("OFFBOARD_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def url() -> str:
    return cluster().fresh_url()


@pytest.fixture
def outage() -> Iterator[Callable[[], None]]:
    """Stop the server for the rest of the test (or until it calls `cluster().resume()`);
    it runs again afterwards whatever happened."""
    stopped = []

    def halt() -> None:
        cluster().halt()
        stopped.append(True)

    yield halt
    if stopped:
        try:
            cluster().admin().close()
        except Exception:
            cluster().resume()


@pytest.fixture
def colleague(url: str, tmp_path: Path) -> Iterator[Services]:
    repo = open_pg(url, tmp_path / "bo" / "board", actor="bo")
    yield Services(repo, FixedClock(DAY), actor="bo (cli)")
    repo.close()


def movable(services: Services, name: str) -> str:
    """A client in assessment whose card moves on to repair with no dialog."""
    client = services.add_client(name)
    services.add_repair(client.id, "weekly check-in call", "2026-03-16")
    return client.id


def stored(url: str, client_id: str) -> Stage:
    repo = PgRepository(url, Path("/nonexistent/checker"), actor="checker")
    try:
        return repo.get(client_id).stage
    finally:
        repo.close()


def board_app(url: str, *, watch: bool = True) -> OffboardApp:
    app = OffboardApp(DatabaseUrl(url), FixedClock(DAY), watch=watch)
    app.animation_level = "none"
    return app


async def until(pilot, check: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds until `check()` is true, letting the app run meanwhile; fails after `timeout`."""
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > timeout:
            pytest.fail(f"{what}: not within {timeout} s")
        await pilot.pause(0.02)
    return time.perf_counter() - start


def banner(app: OffboardApp) -> str | None:
    """What the offline banner on the current screen says, or None without one."""
    found = list(app.screen.query("#offline-banner"))
    return str(found[0].render()) if found else None


async def move_card(app: OffboardApp, pilot, client_id: str) -> None:
    app.screen.action_focus_client(client_id)
    await pilot.pause()
    await pilot.press("shift+right")
    await pilot.pause()


# --- two boards on one server ----------------------------------------------------------------


async def test_a_move_on_one_board_shows_on_the_other_within_a_second(url, colleague) -> None:
    ids = [movable(colleague, f"Client {n}") for n in range(3)]
    mine, theirs = board_app(url), board_app(url)
    async with mine.run_test(size=SIZE) as me, theirs.run_test(size=SIZE) as them:
        await me.pause(0.3)
        await them.pause(0.3)
        for cid in ids:
            await move_card(mine, me, cid)
            assert mine.screen.model.cards[cid].stage is Stage.REPAIR  # at once, on mine
            latency = await until(
                them,
                lambda cid=cid: theirs.screen.model.cards[cid].stage is Stage.REPAIR,
                1.0,
                "the move on the other board",
            )
            assert latency < 1.0
        assert not mine.screen.model.unsaved and banner(mine) is None
    assert all(stored(url, cid) is Stage.REPAIR for cid in ids)


# --- the server goes away -------------------------------------------------------------------


@pytest.mark.slow
async def test_a_restart_while_the_board_is_open_loses_no_change(url, colleague, outage) -> None:
    """The server stops while the board sits idle: the banner comes by itself. A change made
    meanwhile waits unsaved; once the server is back it is saved, and what a colleague did in
    the meantime is on the board too."""
    cid = movable(colleague, "Ana")
    app = board_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        outage()
        await until(pilot, lambda: banner(app) is not None, 3.0, "the offline banner")
        assert "Offline: the server of postgresql://" in banner(app)
        assert "Nothing is unsaved" in banner(app)
        await move_card(app, pilot, cid)
        await until(pilot, lambda: "1 change kept unsaved" in (banner(app) or ""), 3, "count")
        model = app.screen.model
        assert cid in model.unsaved and model.cards[cid].stage is Stage.REPAIR
        assert not any("Not saved" in (n.title or "") for n in app._notifications)

        cluster().resume()
        newcomer = colleague.add_client("Added while we were away").id
        await until(pilot, lambda: banner(app) is None, 12.0, "the banner going")
        await until(pilot, lambda: not model.unsaved and not model.overlays, 5.0, "the save")
        await until(pilot, lambda: newcomer in model.cards, 2.0, "the colleague's client")
        assert model.cards[cid].stage is Stage.REPAIR
    assert stored(url, cid) is Stage.REPAIR


@pytest.mark.slow
async def test_a_change_made_just_after_the_server_stopped_is_saved_once_it_starts(
    url, colleague, outage
) -> None:
    """The change itself finds the server gone, before any poll did; one more made while
    offline waits behind it; both are saved in order once it answers again, ctrl+s trying
    at once rather than after the pause."""
    first, second = movable(colleague, "Ana"), movable(colleague, "Bo")
    app = board_app(url, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        model = app.screen.model
        outage()
        await move_card(app, pilot, first)
        await until(pilot, lambda: banner(app) is not None, 3.0, "the offline banner")
        await move_card(app, pilot, second)
        await until(pilot, lambda: "2 changes kept unsaved" in (banner(app) or ""), 3, "count")
        assert model.unsaved == {first, second}
        assert stored_while_down_fails(url)
        await pilot.press("q")  # would lose them: it asks first
        await pilot.pause()
        assert app.is_running and any(
            "2 changes not saved yet" in n.message for n in app._notifications
        )
        cluster().resume()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: banner(app) is None, 3.0, "the banner going")
        await until(pilot, lambda: not model.unsaved and not model.overlays, 5.0, "the saves")
        assert model.cards[first].stage is Stage.REPAIR
        assert model.cards[second].stage is Stage.REPAIR
    assert stored(url, first) is Stage.REPAIR and stored(url, second) is Stage.REPAIR
    with psycopg.connect(url) as conn:
        order = conn.execute(
            "SELECT id FROM clients WHERE id = ANY(%s) ORDER BY changed_at", ([first, second],)
        ).fetchall()
    assert [row[0] for row in order] == [first, second]  # in the order they were made


def stored_while_down_fails(url: str) -> bool:
    try:
        stored(url, "any")
    except ServerUnreachable:
        return True
    return False


@pytest.mark.slow
async def test_a_change_a_colleague_made_stale_meanwhile_is_refused_and_put_back(
    url, colleague, outage
) -> None:
    cid = movable(colleague, "Ana")
    # No poll: this board has not heard of the colleague's note when it moves the card.
    app = board_app(url, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        model = app.screen.model
        colleague.log_flag(cid, "scope", "asked for more again")
        outage()
        await move_card(app, pilot, cid)
        await until(pilot, lambda: cid in model.unsaved, 3.0, "the unsaved mark")
        cluster().resume()
        await until(pilot, lambda: banner(app) is None, 3.0, "the banner going")

        def refused() -> bool:
            return any("changed elsewhere" in n.message for n in app._notifications)

        await until(pilot, refused, 5.0, "the stale edit's message")
        await until(pilot, lambda: not model.overlays, 2.0, "the card put back")
        assert model.cards[cid].stage is Stage.ASSESSMENT and not model.unsaved
        assert len(app.clients[cid].flags) == 1  # the board read the colleague's note
    assert stored(url, cid) is Stage.ASSESSMENT


# --- the repository's part -------------------------------------------------------------------


@pytest.mark.slow
def test_listening_reports_a_server_gone_then_listens_again_when_it_is_back(
    url, colleague, outage, tmp_path
) -> None:
    repo = open_pg(url, tmp_path / "ana" / "board", actor="ana")
    try:
        repo.snapshot()
        assert not repo.changed_on_disk()
        outage()
        with pytest.raises(ServerUnreachable) as caught:
            # The listening connection hears of the shutdown on its first look or the next.
            for _ in range(20):
                assert not repo.changed_on_disk()
                time.sleep(0.05)
        assert caught.value.where == url and caught.value.reason
        assert not repo.changed_on_disk()  # within the pause: no new attempt
        cluster().resume()
        colleague.add_client("Bo")
        repo.snapshot()  # connecting again ends the pause at once
        colleague.add_client("Cy")
        deadline = time.monotonic() + 2
        while not repo.changed_on_disk():
            assert time.monotonic() < deadline, "not listening again"
            time.sleep(0.02)
    finally:
        repo.close()

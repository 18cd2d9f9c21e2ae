"""Shared set-up for TUI tests: the real app on a real database file at a fixed date."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tuikit import TODAY, settle  # noqa: F401 - re-exported for tests that import it here

from offboard.demo import write_demo
from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.app import OffboardApp


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tester's own config and checklists must not change what the app shows."""
    monkeypatch.setenv("OFFBOARD_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "offboard.json"
    write_demo(path, TODAY)
    return path


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    return tmp_path / "empty.json"


@pytest.fixture
def many_db(tmp_path: Path) -> Path:
    """More clients called alike than the palette lists (40)."""
    path = tmp_path / "many.json"
    services = Services(TinyRepository(path), FixedClock(TODAY), actor="test")
    for n in range(60):
        services.add_client(f"Rowan {n:02d}")
    return path


@pytest.fixture
def make_app() -> Iterator[Callable[..., OffboardApp]]:
    """Build the app on a database; `watch=False` keeps the 2 s outside-change poll off so
    tests decide when to look."""

    def make(path: Path, *, watch: bool = False) -> OffboardApp:
        app = OffboardApp(path, FixedClock(TODAY), watch=watch)
        app.animation_level = "none"  # tab underlines would otherwise animate for 0.3 s
        return app

    yield make
    # The app freezes what it loads and builds (gc.freeze: it runs alone in its process);
    # here many apps run one after another, and each finished one must be collectable.
    gc.unfreeze()

"""Fixtures shared by the whole suite: a fixed day, a real database file, real services."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from offboard.checklists import load_checklists
from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository

# The PostgreSQL backend's own tests import psycopg (an optional extra): without it they are
# not collected, except under CI=true, where they must run (and then fail loudly).
try:
    import psycopg  # noqa: F401
except ImportError:
    if os.environ.get("CI", "").lower() != "true":
        collect_ignore_glob = ["storage/test_postgres*.py", "cli/test_database.py"]


@pytest.fixture
def today() -> date:
    """Sunday 22 November 2026: a weekend day, so business-day rules show."""
    return date(2026, 11, 22)


@pytest.fixture
def clock(today: date) -> FixedClock:
    return FixedClock(today)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "offboard.json"


@pytest.fixture
def repo(db_path: Path):
    repository = TinyRepository(db_path)
    yield repository
    repository.close()


@pytest.fixture
def services(repo: TinyRepository, clock: FixedClock, tmp_path: Path) -> Services:
    # The shipped checklists only: an empty user folder keeps the tester's own overrides out.
    checklists = load_checklists(user_dir=tmp_path / "no-user-checklists")
    return Services(repo, clock, checklists=checklists)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `make test-fast` leaves out the tests that drive the real app with Pilot.
    for item in items:
        if "tests/tui/" in item.nodeid or item.nodeid.startswith("tui/"):
            item.add_marker(pytest.mark.tui)

"""Fixtures for the letters tests: the demo board on a real database file, a fixed config, and
the shipped templates with an empty user folder (so the tester's own templates stay out)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from offboard.config import Config
from offboard.demo import STORIES, write_demo
from offboard.domain.models import Client
from offboard.letters.library import Library, shipped_dir
from offboard.storage.tinyfile import TinyRepository

DEMO_DAY = dt.date(2026, 11, 22)


def shipped_locales() -> list[str]:
    return sorted(p.name for p in shipped_dir().iterdir() if p.is_dir())


def shipped_names(locale: str) -> list[str]:
    return sorted(p.stem for p in (shipped_dir() / locale).glob("*.j2"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # `locale` and `locale_template` parameters come from the shipped folder, read when the
    # tests are collected, so a new locale or template is covered without editing the tests.
    if "shipped_locale" in metafunc.fixturenames:
        metafunc.parametrize("shipped_locale", shipped_locales())
    if "shipped_template" in metafunc.fixturenames:
        pairs = [(loc, n) for loc in shipped_locales() for n in shipped_names(loc)]
        metafunc.parametrize(
            "shipped_template", pairs, ids=[f"{loc}-{name}" for loc, name in pairs]
        )


@pytest.fixture(scope="session")
def demo_day() -> dt.date:
    return DEMO_DAY


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "offboard.json"
    assert write_demo(path, DEMO_DAY) == len(STORIES)
    return path


@pytest.fixture(scope="session")
def demo_clients(demo_db: Path) -> list[Client]:
    """The demo clients as read back from the file (fresh objects for every session)."""
    repo = TinyRepository(demo_db)
    try:
        clients = list(repo.clients())
    finally:
        repo.close()
    assert len(clients) == len(STORIES)
    return clients


@pytest.fixture
def demo_client(demo_clients: list[Client]):
    def by_name(name: str) -> Client:
        found = [c for c in demo_clients if c.name == name]
        assert found, f"no demo client {name!r}"
        return found[0]

    return by_name


@pytest.fixture(scope="session")
def letters_config() -> Config:
    return Config(
        sender_name="Alex Morgan",
        sender_email="alex@morgan-studio.example.com",
        signature="Morgan Studio",
        referrals=("Pinewood Digital, a larger agency",),
    )


@pytest.fixture(scope="session")
def shipped_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """Only the shipped templates: the user folder is an empty one of our own."""
    return Library(user=tmp_path_factory.mktemp("no-user-templates"))

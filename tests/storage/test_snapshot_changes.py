"""A snapshot taken after another says which clients differ from it (added, changed, deleted),
so the board updates those alone; asked about any other snapshot it says it does not know."""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from offboard.domain.clock import FixedClock
from offboard.domain.models import Client
from offboard.services import Services
from offboard.storage.memory import MemoryRepository
from offboard.storage.repository import Repository
from offboard.storage.tinyfile import TinyRepository

DAY = dt.date(2026, 3, 2)


@pytest.fixture(params=["memory", "tinydb"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    made: Repository = (
        MemoryRepository() if request.param == "memory" else TinyRepository(tmp_path / "o.json")
    )
    yield made
    made.close()


def add(repo: Repository, name: str) -> str:
    with repo.transaction() as tx:
        return tx.put(Client(name=name, created=DAY), None).id


def test_a_snapshot_names_the_clients_changed_since_the_one_before(repo: Repository) -> None:
    ada, bob, cy = add(repo, "Ada"), add(repo, "Bob"), add(repo, "Cy")
    first = repo.snapshot().following(None)
    assert first.changed_since(first) is None  # it follows nothing it was told of

    services = Services(repo, FixedClock(DAY), actor="test")
    services.edit_client(bob, company="Bob & Co")
    services.delete_client(cy)
    dee = add(repo, "Dee")
    second = repo.snapshot().following(first)
    assert second.changed_since(first) == {bob, cy, dee}
    assert ada not in second.changed_since(first)

    third = repo.snapshot().following(second)
    assert third.changed_since(second) == frozenset()  # nothing saved in between
    assert third.changed_since(first) is None  # not the one it follows


def test_a_snapshot_does_not_keep_the_one_it_follows_alive(repo: Repository) -> None:
    add(repo, "Ada")
    first = repo.snapshot()
    second = repo.snapshot().following(first)
    gone = weakref.ref(first)
    del first
    gc.collect()
    assert gone() is None
    assert len(second) == 1

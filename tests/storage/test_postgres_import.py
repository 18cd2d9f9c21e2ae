"""Many clients at once on the PostgreSQL backend: an import sends its new clients in one
batch with the commit, a board read whole comes back exactly as written, and a batch that
meets an id already stored (or twice in itself) leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgserver import cluster

from offboard.demo import generate_records
from offboard.domain.clock import FixedClock
from offboard.domain.errors import InvalidInput, OffboardError
from offboard.services import EXPORT_FORMAT, EXPORT_VERSION, Services
from offboard.storage.postgres import open_pg
from offboard.storage.postgres.repository import PgRepository

DAY = dt.date(2026, 3, 2)
# More than a snapshot fetches one by one (repository._FEW_STALE): read in one pass.
COUNT = 260


@pytest.fixture
def board(tmp_path: Path) -> Iterator[PgRepository]:
    repo = open_pg(cluster().fresh_url(), tmp_path / "ana" / "board", actor="ana")
    yield repo
    repo.close()


def export_of(records: list[dict]) -> dict:
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "clients": records}


def test_an_import_stores_every_client_with_its_history(board, tmp_path) -> None:
    records = generate_records(COUNT, DAY, seed=7)
    services = Services(board, FixedClock(DAY))
    imported = services.import_data(export_of(records))
    assert len(imported) == COUNT
    fresh = open_pg(board.where, tmp_path / "bo" / "board", actor="bo")
    try:
        stored = {c.id: c for c in fresh.clients()}  # the whole board, in one pass
    finally:
        fresh.close()
    assert len(stored) == COUNT
    for client in imported:
        assert stored[client.id].to_dict() == client.to_dict()
        assert stored[client.id].history[-1].action == "import"
    assert services.undo() == f"imported {COUNT} clients"
    assert board.clients() == []


def test_an_import_meeting_a_stored_id_changes_nothing(board) -> None:
    records = generate_records(5, DAY, seed=8)
    services = Services(board, FixedClock(DAY))
    services.import_data(export_of(records[:1]))
    with pytest.raises(InvalidInput, match="already exist"):
        services.import_data(export_of(records))
    assert [c.id for c in board.clients()] == [records[0]["id"]]


@pytest.mark.parametrize("twice", [False, True])
def test_a_batch_with_an_id_taken_or_repeated_adds_nothing(board, twice) -> None:
    records = generate_records(4, DAY, seed=9)
    if twice:
        batch = [*records, records[2]]
    else:
        with board.transaction() as tx:
            tx.add_records(records[3:])
        batch = records[:3] + records[3:]
    with pytest.raises(OffboardError, match="already exists"), board.transaction() as tx:
        tx.add_records(batch)
    assert len(board.clients()) == (0 if twice else 1)
    with board.transaction() as tx:
        assert tx.add_records(records[:3]) == 3  # the same connection carries on
    assert len(board.clients()) == (3 if twice else 4)


def test_a_board_of_the_first_schema_is_read_the_same_after_the_upgrade(tmp_path) -> None:
    """Step 2 keeps each record whole as text: a board made before it gets it filled in
    from the documents and their history, and reads back exactly as it was stored."""
    import orjson
    import psycopg

    from offboard.storage.postgres import schema

    url = cluster().fresh_url()
    records = generate_records(3, DAY, seed=10)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(schema._VERSION_TABLE)
        for statement in schema.STEPS[0].statements:
            conn.execute(statement)
        conn.execute("INSERT INTO offboard_schema (version, description) VALUES (1, 'first')")
        for rec in records:
            doc = {k: v for k, v in rec.items() if k != "history"}
            conn.execute(
                "INSERT INTO clients (id, rev, doc) VALUES (%s, 4, %s::jsonb)",
                (rec["id"], orjson.dumps(doc).decode()),
            )
            for pos, event in enumerate(rec["history"]):
                conn.execute(
                    "INSERT INTO history (client_id, pos, at, actor, action, event) "
                    "VALUES (%s, %s, '', '', '', %s::jsonb)",
                    (rec["id"], pos, orjson.dumps(event).decode()),
                )
    repo = open_pg(url, tmp_path / "ana" / "board", actor="ana")
    try:
        assert [v for v, _ in repo.migrate()] == [2]
        for rec in records:
            client = repo.get(rec["id"])
            assert client.rev == 4 and len(client.history) == len(rec["history"]) > 0
            assert client.to_dict() == {**client_from(rec).to_dict(), "rev": 4}
        assert sorted(c.id for c in repo.clients()) == sorted(r["id"] for r in records)
    finally:
        repo.close()


def client_from(record: dict):
    from offboard.domain.codec import client_from_stored

    return client_from_stored(record)

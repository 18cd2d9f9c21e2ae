"""Snapshots for the UI thread: cheap to take, decoded on demand, and never changed by a
later save (the writer thread saves while the board reads)."""

from __future__ import annotations

from pathlib import Path

from storagekit import make_services

from offboard.storage.tinyfile import TinyRepository


def test_snapshot_decodes_only_what_is_asked_for(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    services = make_services(db)
    for name in ("Ada", "Bob", "Cy"):
        services.add_client(name)
    repo = TinyRepository(db)
    snapshot = repo.snapshot()
    assert len(snapshot) == 3
    assert not repo._decoded  # names and stages are read from the records, not decoded
    some_id = next(iter(snapshot))
    assert snapshot.doc(some_id)["name"] in {"Ada", "Bob", "Cy"}
    client = snapshot[some_id]
    assert set(repo._decoded) == {some_id}
    assert snapshot[some_id] is client  # decoded once per revision


def test_snapshot_stays_as_it_was_while_later_saves_go_on(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    services = make_services(db)
    ada = services.add_client("Ada")
    before = services.repo.snapshot()
    record = before.doc(ada.id)
    rev = record["rev"]
    services.log_flag("ada", "time", "Moved the call again")
    services.add_client("Bob")
    # The record the snapshot holds was replaced by the save, not edited in place.
    assert record["rev"] == rev and record["flags"] == []
    assert len(before) == 1 and before[ada.id].flags == []
    after = services.repo.snapshot()
    assert len(after) == 2 and len(after[ada.id].flags) == 1

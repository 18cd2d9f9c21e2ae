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


def test_snapshots_taken_save_after_save_show_the_file_as_a_fresh_reader_sees_it(
    tmp_path: Path,
) -> None:
    """Snapshots share one copy of the records and carry only what changed since it was made,
    a new copy once enough has changed. Through adds, edits, deletes, an id deleted and used
    again, a write through TinyDB's own table API, and past the point where the copy is made
    again, each must equal a new repository's reading of the file, and name exactly the
    clients that differ from the snapshot before it."""
    import random

    db = tmp_path / "offboard.json"
    services = make_services(db)
    repo = services.repo
    rng = random.Random(7)
    ids = [services.add_client(f"Client {i}").id for i in range(120)]
    previous = repo.snapshot().following(None)
    reused: dict[str, object] = {}
    layered = 0
    for step in range(220):
        action = rng.choice(["add", "edit", "edit", "delete", "again"] if ids else ["add"])
        if action == "add":
            ids.append(services.add_client(f"New {step}").id)
        elif action == "edit":
            services.edit_client(rng.choice(ids), company=f"Company {step}")
        elif action == "delete":
            gone = ids.pop(rng.randrange(len(ids)))
            reused[gone] = repo.snapshot().doc(gone)
            services.delete_client(gone)
        elif reused:  # an id deleted before, stored again
            cid, record = reused.popitem()
            with repo.transaction() as tx:
                tx.put(repo.decode(record), None)
            ids.append(cid)
        if step == 150:  # TinyDB's API writes a new table object behind the repository
            dropped = ids[:10]
            del ids[:10]
            repo.db.table("clients").remove(doc_ids=dropped)
        snapshot = repo.snapshot().following(previous)
        fresh = TinyRepository(db).snapshot()
        assert dict(snapshot.docs()) == dict(fresh.docs()), step
        assert len(snapshot) == len(fresh) == len(ids), step
        assert set(snapshot) == set(ids), step
        for cid in ids:
            assert cid in snapshot and snapshot.doc(cid) == fresh.doc(cid), step
            assert snapshot.revision(cid) == fresh.revision(cid), step
        assert all(cid not in snapshot for cid in reused), step
        before, after = dict(previous.docs()), dict(snapshot.docs())
        differ = {c for c in before.keys() | after.keys() if before.get(c) is not after.get(c)}
        assert snapshot.changed_since(previous) == differ, step
        layered += snapshot._base is previous._base
        previous = snapshot
    # Mostly layered over a shared copy, and copied again at times.
    assert 150 < layered < 220, layered

"""The storage contract on a real file: privacy, round trips, stale edits, outside changes,
crash leftovers, rotating backups and the read cache."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import orjson
import pytest
from storagekit import (
    TARGET,
    FileState,
    add_target,
    backups_dir,
    check_flag_state,
    leftovers,
    make_services,
    seed,
)

from offboard.domain.errors import OffboardError, StaleEdit
from offboard.storage.loading import load_file
from offboard.storage.tinyfile import TinyRepository


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "offboard.json"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_fresh_database_is_private(db: Path) -> None:
    services = make_services(db)
    services.add_client("Ada")
    assert mode(db) == 0o600
    assert mode(db.with_name(db.name + ".lock")) == 0o600
    services.log_flag("Ada", "payment", "late")  # the second write makes the first backup
    assert mode(db) == 0o600
    assert mode(backups_dir(db)) == 0o700
    for backup in backups_dir(db).iterdir():
        assert mode(backup) == 0o600


def test_existing_loose_permissions_are_tightened_on_write(db: Path) -> None:
    seed(db, 1)
    os.chmod(db, 0o644)
    make_services(db).add_client("Ada")
    assert mode(db) == 0o600


def test_write_round_trips(db: Path) -> None:
    services = make_services(db)
    added = services.add_client("Ada Lovelace", email="ada@example.com", company="Engines")
    services.log_flag("Ada", "scope", "asked for a second engine", severity=3)
    services.repo.close()  # type: ignore[attr-defined]

    fresh = TinyRepository(db)
    [client] = fresh.clients()
    assert client.id == added.id
    assert (client.name, client.email, client.company) == (
        "Ada Lovelace",
        "ada@example.com",
        "Engines",
    )
    assert [(f.category.value, f.severity, f.description) for f in client.flags] == [
        ("scope", 3, "asked for a second engine")
    ]
    assert client.rev == 2
    assert fresh.get(added.id) == client
    # What is on disk is exactly what a fresh load sees.
    assert load_file(db)["clients"][added.id] == client.to_dict()


def test_stale_rev_is_refused_and_file_unchanged(db: Path) -> None:
    seed(db, 3)
    cid = add_target(db)
    first, second = TinyRepository(db), TinyRepository(db)
    mine, theirs = first.get(cid), second.get(cid)
    assert mine.rev == theirs.rev
    rev = mine.rev

    with first.transaction() as tx:
        mine.email = "first@example.com"
        tx.put(mine, rev)
    saved = FileState.of(db)

    theirs.email = "second@example.com"
    with pytest.raises(StaleEdit), second.transaction() as tx:
        tx.put(theirs, rev)
    assert FileState.of(db) == saved
    assert second.get(cid).email == "first@example.com"
    assert second.get(cid).rev == rev + 1


def test_stale_edit_through_services_is_refused(db: Path) -> None:
    add_target(db)
    tui, cli = make_services(db), make_services(db)
    opened = tui.resolve(TARGET)
    cli.edit_client(TARGET, email="cli@example.com")
    saved = FileState.of(db)
    with pytest.raises(StaleEdit):
        tui.edit_client(TARGET, expected_rev=opened.rev, email="tui@example.com")
    assert FileState.of(db) == saved


def test_changes_by_another_instance_are_seen(db: Path) -> None:
    seed(db, 2)
    watcher, writer = make_services(db), make_services(db)
    assert len(watcher.clients()) == 2
    assert not watcher.repo.changed_on_disk()

    writer.add_client("Newcomer")
    assert watcher.repo.changed_on_disk()
    names = {c.name for c in watcher.clients()}
    assert "Newcomer" in names and len(names) == 3
    assert not watcher.repo.changed_on_disk()

    writer.log_flag("Newcomer", "time", "missed the call")
    assert watcher.repo.changed_on_disk()
    [newcomer] = [c for c in watcher.clients() if c.name == "Newcomer"]
    assert len(newcomer.flags) == 1
    # The writer's own save does not count as an outside change for the writer.
    assert not writer.repo.changed_on_disk()


def test_no_database_yet_then_created_elsewhere(db: Path) -> None:
    watcher = make_services(db)
    assert watcher.clients() == []
    assert not watcher.repo.changed_on_disk()
    make_services(db).add_client("Ada")
    assert watcher.repo.changed_on_disk()
    assert [c.name for c in watcher.clients()] == ["Ada"]


def test_crash_leftovers_are_ignored_by_reads_and_removed_by_the_next_write(db: Path) -> None:
    seed(db, 2)
    # What a writer killed mid-save leaves: a partial temp file (mkstemp-style names).
    junk = [f".{db.name}.k3j5h2l1.tmp", f".{db.name}.a_b0c9d8.tmp"]
    for name in junk:
        (db.parent / name).write_bytes(b'{"clients": {"trunc')
    # A temp file of ANOTHER database in the same folder that shares our name as a prefix,
    # e.g. offboard.json.2025: its writer holds a different lock, so it is not ours to delete.
    other = db.parent / f".{db.name}.2025.q1w2e3r4.tmp"
    other.write_bytes(b"in progress")
    unrelated = db.parent / "notes.tmp"
    unrelated.write_bytes(b"mine")

    services = make_services(db)
    assert len(services.clients()) == 2  # reads neither choke on nor remove them
    assert all((db.parent / n).exists() for n in junk)

    services.add_client("Ada")
    assert not any((db.parent / n).exists() for n in junk)
    assert other.exists(), "a temp file of a different database was deleted"
    assert unrelated.exists()
    assert leftovers(db) == [other.name]
    assert len(TinyRepository(db).clients()) == 3


def test_rotating_backups_keep_at_most_n_and_each_loads(db: Path) -> None:
    cid = add_target(db)
    services = make_services(db, backups=3)
    for i in range(7):
        services.log_flag(TARGET, "payment", f"flag {i}")
    backups = sorted(backups_dir(db).iterdir())
    assert [p.name for p in backups] == ["0000000005.json", "0000000006.json", "0000000007.json"]
    # Each backup is the state before one of the last three writes, newest last.
    counts = []
    for backup in backups:
        data = load_file(backup)
        counts.append(len(data["clients"][cid]["flags"]))
    assert counts == [4, 5, 6]
    assert len(load_file(db)["clients"][cid]["flags"]) == 7
    # Backups are separate files from the database: later writes never change them.
    before = {p.name: p.read_bytes() for p in backups}
    services.log_flag(TARGET, "payment", "flag 7")
    for name, content in before.items():
        if (backups_dir(db) / name).exists():
            assert (backups_dir(db) / name).read_bytes() == content


def test_backups_zero_keeps_none(db: Path) -> None:
    services = make_services(db, backups=0)
    services.add_client("Ada")
    services.log_flag("Ada", "payment", "late")
    assert not backups_dir(db).exists() or not any(backups_dir(db).iterdir())


def test_unchanged_file_is_not_parsed_again(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(db, 5)
    repo = TinyRepository(db)
    storage = repo.storage
    first = storage.read()
    assert first is not None
    assert storage.read() is first
    repo.clients()
    repo.refs()
    assert storage.read() is first

    # Count parses from here on: none while the file is unchanged ...
    parses = []
    real = orjson.loads
    monkeypatch.setattr(orjson, "loads", lambda b: parses.append(1) or real(b))
    for _ in range(5):
        repo.clients()
        repo.refs()
        assert not repo.changed_on_disk()
    assert parses == []
    monkeypatch.undo()

    # ... and our own write keeps the cache (no re-read of what we just wrote).
    with repo.transaction() as tx:
        client = tx.all()[0]
        client.email = "new@example.com"
        tx.put(client, client.rev)
    after_write = storage.read()
    assert storage.read() is after_write

    # Another process's write is noticed: new data object.
    make_services(db).add_client("Outsider")
    assert storage.read() is not after_write
    assert len(repo.clients()) == 6


def test_decoded_clients_are_shared_until_their_revision_changes(db: Path) -> None:
    seed(db, 3)
    cid = add_target(db)
    repo = TinyRepository(db)
    before = {c.id: c for c in repo.clients()}
    again = {c.id: c for c in repo.clients()}
    assert all(before[k] is again[k] for k in before)
    make_services(db).log_flag(TARGET, "payment", "flag 0")
    after = {c.id: c for c in repo.clients()}
    assert after[cid] is not before[cid]
    assert check_flag_state(after[cid]) == 1
    assert all(after[k] is before[k] for k in before if k != cid)


def test_same_size_rewrite_in_the_same_clock_tick_is_noticed(db: Path) -> None:
    """The cache is keyed by (inode, size, mtime). With backups off, a replaced file's inode
    is freed and the filesystem hands it to the next temp file; two saves of equal size
    within one coarse timestamp tick (jiffies, FAT's 2 s, some network filesystems) then
    look identical, and a transaction would work on stale data and overwrite a newer save.
    The tick is simulated by setting the mtime back."""
    seed(db, 1, backups=0)
    cid = TinyRepository(db).clients()[0].id
    reader = TinyRepository(db, backups=0)
    assert reader.get(cid).email == "c0@example.com"
    cached = os.stat(db)

    writer = TinyRepository(db, backups=0)
    for i in range(1, 5):
        with writer.storage.transaction():
            writer.db.table("clients").update({"email": f"c{i}@example.com"}, doc_ids=[cid])
        now = os.stat(db)
        assert now.st_size == cached.st_size
        os.utime(db, ns=(now.st_atime_ns, cached.st_mtime_ns))
        assert reader.changed_on_disk(), f"save {i} went unnoticed"

    assert reader.get(cid).email == "c4@example.com"


def test_write_outside_a_transaction_does_not_overwrite_a_newer_save(db: Path) -> None:
    """TinyDB's own table methods read, change and write. If another process saved in
    between, that write must not silently replace the other process's save."""
    seed(db, 1)
    repo = TinyRepository(db)
    storage = repo.storage
    data = storage.read()  # TinyDB's table methods start with this read ...
    assert data is not None
    make_services(db).add_client("Outsider")  # ... another process saves ...
    with pytest.raises(OffboardError):
        storage.write(data)  # ... and the stale write-back must be refused
    names = {c["name"] for c in load_file(db)["clients"].values()}
    assert "Outsider" in names


def test_tinydb_table_methods_outside_a_transaction_still_save(db: Path) -> None:
    seed(db, 1)
    repo = TinyRepository(db)
    repo.db.table("notes").insert({"text": "hello"})  # read, change, write: nothing in between
    assert TinyRepository(db).db.table("notes").all() == [{"text": "hello"}]
    assert len(TinyRepository(db).clients()) == 1
    # A blind write (no read first) is TinyDB's deliberate "replace everything".
    other = TinyRepository(db)
    other.db.drop_tables()
    assert TinyRepository(db).clients() == []


def test_cold_write_on_a_file_offboard_saved_does_not_decode_every_client(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every client is checked when a file is loaded, unless this very file version was
    saved (or already checked) by offboard under the lock: then only what the change needs
    is decoded. This keeps a CLI command on a large file fast."""
    import offboard.storage.tinyfile as repository

    seed(db, 30)
    add_target(db)
    decoded = []
    real = repository.decode_client
    monkeypatch.setattr(
        repository, "decode_client", lambda doc, path: decoded.append(1) or real(doc, path)
    )
    make_services(db).log_flag(TARGET, "payment", "flag 0")
    assert len(decoded) <= 2  # the target, fresh for the change

    # A file changed by something else is checked in full, once; then it is known good.
    data = orjson.loads(db.read_bytes())
    next(iter(data["clients"].values()))["email"] = "edited@example.com"
    db.write_bytes(orjson.dumps(data))
    decoded.clear()
    make_services(db).log_flag(TARGET, "payment", "flag 1")
    assert len(decoded) >= 31
    decoded.clear()
    make_services(db).log_flag(TARGET, "payment", "flag 2")
    assert len(decoded) <= 2

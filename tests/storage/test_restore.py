"""`offboard restore`: bring back a backup without ever losing the file it replaces."""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import stat
from pathlib import Path

import pytest
from storagekit import (
    TARGET,
    FileState,
    add_target,
    backups_dir,
    check_flag_state,
    child,
    leftovers,
    make_services,
    seed,
)

import offboard.storage.jsonfile as jsonfile
from offboard.domain.errors import OffboardError
from offboard.storage.backups import list_backups
from offboard.storage.errors import CorruptDatabase, DatabaseLocked, WriteFailed
from offboard.storage.loading import load_file
from offboard.storage.restore import describe_backups, restore
from offboard.storage.tinyfile import TinyRepository

KIT = str(Path(__file__).parent)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with a history: the target got flags 0..3, one save each."""
    path = tmp_path / "offboard.json"
    seed(path, 4)
    add_target(path)
    services = make_services(path)
    for i in range(4):
        services.log_flag(TARGET, "payment", f"flag {i}")
    return path


def target_flags(path: Path) -> int:
    repo = TinyRepository(path)
    [target] = [c for c in repo.clients() if c.name == TARGET]
    return check_flag_state(target)


def aside_files(path: Path) -> list[Path]:
    numbered = set(list_backups(path))
    return sorted(p for p in backups_dir(path).iterdir() if p not in numbered)


def test_no_backups_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "offboard.json"
    make_services(path).add_client("Ada")  # the first save has nothing to back up
    saved = FileState.of(path)
    with pytest.raises(OffboardError) as caught:
        restore(path)
    assert str(path) in caught.value.one_line()
    assert "no backups" in caught.value.one_line()
    assert FileState.of(path) == saved


def test_no_database_and_no_backups(tmp_path: Path) -> None:
    with pytest.raises(OffboardError) as caught:
        restore(tmp_path / "offboard.json")
    assert "no backups" in caught.value.one_line()
    assert not (tmp_path / "offboard.json").exists()


def test_restores_the_newest_backup_over_a_corrupt_file(db: Path) -> None:
    newest = list_backups(db)[0]
    wanted = newest.read_bytes()
    db.write_bytes(b'{"clients": {"trunc')
    with pytest.raises(CorruptDatabase):
        TinyRepository(db).clients()

    used = restore(db)

    assert used == newest
    assert db.read_bytes() == wanted
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    assert target_flags(db) == 3  # the state before the last save
    # The corrupt file was kept, byte for byte, outside the rotation.
    [aside] = aside_files(db)
    assert aside.read_bytes() == b'{"clients": {"trunc'
    assert newest.read_bytes() == wanted  # the backup itself is untouched
    # Work goes on: the next save backs up the restored state under the next number.
    numbers = [int(p.stem) for p in list_backups(db)]
    make_services(db).log_flag(TARGET, "payment", "flag 3")
    assert int(list_backups(db)[0].stem) == max(numbers) + 1
    assert list_backups(db)[0].read_bytes() == wanted
    assert target_flags(db) == 4
    assert aside.exists()


def test_skips_backups_that_do_not_load(db: Path) -> None:
    newest, second = list_backups(db)[:2]
    newest.write_bytes(b"")  # damaged backup
    used = restore(db)
    assert used == second
    assert db.read_bytes() == second.read_bytes()
    assert target_flags(db) == 2


def test_skips_backups_with_a_damaged_record(db: Path) -> None:
    newest, second = list_backups(db)[:2]
    data = json.loads(newest.read_bytes())
    # A record that cannot be a client at all (a field-level fault would only mark it).
    next(iter(data["clients"].values()))["rev"] = "not a revision"
    newest.unlink()  # it is a hard link to an old version: replace, don't edit in place
    newest.write_text(json.dumps(data))
    assert restore(db) == second


def test_valid_current_file_is_kept_aside_too(db: Path) -> None:
    current = db.read_bytes()
    restore(db)
    [aside] = aside_files(db)
    assert aside.read_bytes() == current
    assert load_file(aside)  # still a loadable database: restore it back if wanted
    restore(db, aside)
    assert db.read_bytes() == current
    assert len(aside_files(db)) == 2
    assert target_flags(db) == 4


def test_given_backup_is_used(db: Path) -> None:
    oldest = list_backups(db)[-1]
    assert restore(db, oldest) == oldest
    assert db.read_bytes() == oldest.read_bytes()


@pytest.mark.parametrize("content", [b"", b"[]", b"{not json", b'{"_meta": {"1": 7}}'])
def test_given_backup_that_does_not_load_is_refused(db: Path, content: bytes) -> None:
    bad = backups_dir(db) / "0000000099.json"
    bad.write_bytes(content)
    saved = FileState.of(db)
    with pytest.raises(CorruptDatabase) as caught:
        restore(db, bad)
    line = caught.value.one_line()
    assert str(bad) in line
    assert caught.value.path == bad
    assert f"restore --db {bad}" not in line  # no advice to "restore" the backup itself
    assert FileState.of(db) == saved
    assert aside_files(db) == []
    assert leftovers(db) == []


def test_given_backup_with_a_newer_version_is_refused(db: Path) -> None:
    data = json.loads(db.read_bytes())
    data["_meta"]["1"]["schema_version"] = 42
    newer = db.parent / "from-the-future.json"
    newer.write_text(json.dumps(data))
    saved = FileState.of(db)
    with pytest.raises(CorruptDatabase) as caught:
        restore(db, newer)
    assert str(newer) in caught.value.one_line()
    assert FileState.of(db) == saved


def test_given_backup_that_does_not_exist(db: Path) -> None:
    saved = FileState.of(db)
    missing = db.parent / "nope.json"
    with pytest.raises(OffboardError) as caught:
        restore(db, missing)
    assert str(missing) in caught.value.one_line()
    assert FileState.of(db) == saved


def test_the_database_itself_is_not_a_backup(db: Path) -> None:
    saved = FileState.of(db)
    with pytest.raises(OffboardError):
        restore(db, db)
    assert FileState.of(db) == saved


def test_all_backups_damaged(db: Path) -> None:
    for p in list_backups(db):
        p.unlink()
        p.write_bytes(b"\x00")
    saved = FileState.of(db)
    with pytest.raises(OffboardError) as caught:
        restore(db)
    assert str(db) in caught.value.one_line()
    assert "none of the" in caught.value.one_line()
    assert FileState.of(db) == saved


def test_restore_waits_for_the_lock_and_gives_up(db: Path) -> None:
    saved = FileState.of(db)
    fd = os.open(db.with_name(db.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(DatabaseLocked):
            restore(db, lock_timeout=0.1)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert FileState.of(db) == saved
    assert aside_files(db) == []


def test_database_path_is_a_folder(db: Path) -> None:
    newest = list_backups(db)[0]
    db.rename(db.parent / "moved.json")
    db.mkdir()
    (db / "inside.txt").write_text("keep me")
    restore(db)
    assert db.is_file() and db.read_bytes() == newest.read_bytes()
    [aside] = aside_files(db)
    assert (aside / "inside.txt").read_text() == "keep me"


def test_database_missing(db: Path) -> None:
    newest = list_backups(db)[0]
    db.unlink()
    restore(db)
    assert db.read_bytes() == newest.read_bytes()
    assert aside_files(db) == []


def test_restore_cleans_crash_leftovers_and_open_services_notice(db: Path) -> None:
    watcher = make_services(db)
    assert check_flag_state(watcher.resolve(TARGET)) == 4
    (db.parent / f".{db.name}.abcdefgh.tmp").write_bytes(b"partial")
    restore(db)
    assert leftovers(db) == []
    assert watcher.repo.changed_on_disk()
    assert check_flag_state(watcher.resolve(TARGET)) == 3
    watcher.log_flag(TARGET, "payment", "flag 3")
    assert target_flags(db) == 4


def test_failed_restore_leaves_everything(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db.write_bytes(b"garbage")
    saved = FileState.of(db)

    def fail(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jsonfile.os, "replace", fail)
    with pytest.raises(WriteFailed) as caught:
        restore(db)
    monkeypatch.undo()
    assert str(db) in caught.value.one_line()
    assert FileState.of(db) == saved
    assert leftovers(db) == []
    restore(db)
    assert target_flags(db) == 3


CRASHING_RESTORE = """
import os, sys
from pathlib import Path
import offboard.storage.jsonfile as jsonfile
from offboard.storage.restore import restore

def die(*args, **kwargs):
    os._exit(9)

jsonfile.os.replace = die
restore(Path(sys.argv[1]))
"""


def test_crash_during_restore_loses_nothing(db: Path) -> None:
    db.write_bytes(b"garbage")
    proc = child(CRASHING_RESTORE, str(db))
    proc.communicate(timeout=60)
    assert proc.returncode == 9
    assert db.read_bytes() == b"garbage"  # the rename never happened
    restore(db)
    assert leftovers(db) == []
    assert target_flags(db) == 3
    # The garbage is kept (at least once; the crashed attempt may have kept it already).
    assert any(p.read_bytes() == b"garbage" for p in aside_files(db))


def test_describe_backups(db: Path) -> None:
    described = describe_backups(db)
    backups = list_backups(db)
    assert [d["path"] for d in described] == [str(p) for p in backups]
    assert [d["number"] for d in described] == [int(p.stem) for p in backups]
    assert [d["clients"] for d in described] == [5, 5, 5, 5, 4]  # the oldest: before TARGET
    for entry, path in zip(described, backups, strict=True):
        when = dt.datetime.fromisoformat(entry["modified"])
        assert when.tzinfo is not None
        assert abs(when.timestamp() - os.stat(path).st_mtime) < 1
    json.dumps(described)  # the CLI prints it with --json

    backups[0].unlink()
    backups[0].write_bytes(b"nope")
    assert describe_backups(db)[0]["clients"] is None


def test_describe_backups_none(tmp_path: Path) -> None:
    assert describe_backups(tmp_path / "offboard.json") == []

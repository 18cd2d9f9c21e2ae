"""Damaged or foreign files are reported with their path and never touched: not by a read, not
by a write, and no backup is made of them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from storagekit import add_target, backups_dir, leftovers, make_services, seed

from offboard.storage.errors import CorruptDatabase, DatabaseError, UnsupportedVersion
from offboard.storage.loading import load_file
from offboard.storage.tinyfile import TinyRepository


def good_db(path: Path) -> bytes:
    seed(path, 3, flags_each=1)
    add_target(path)
    return path.read_bytes()


def edit(path: Path, change: Callable[[dict], None]) -> bytes:
    data = orjson.loads(good_db(path))
    change(data)
    return orjson.dumps(data)


def first_client(data: dict) -> dict:
    return next(iter(data["clients"].values()))


def bad_revision(data: dict) -> None:
    # A field-level fault only marks the client (see test_damaged_records.py); a record
    # without a usable id or revision cannot be a client at all.
    first_client(data)["rev"] = "2026-13-45"


def bad_id(data: dict) -> None:
    first_client(data)["id"] = "yesterday"


def record_not_an_object(data: dict) -> None:
    data["clients"]["5f0c1a58-8f6e-4a53-9d41-0d6b3d2b6c11"] = 5


def record_under_wrong_key(data: dict) -> None:
    key, doc = next(iter(data["clients"].items()))
    del data["clients"][key]
    data["clients"]["5f0c1a58-8f6e-4a53-9d41-0d6b3d2b6c11"] = doc


def journal_entry_not_an_object(data: dict) -> None:
    data["journal"]["99"] = "oops"


VARIANTS: dict[str, Callable[[Path], bytes]] = {
    "empty": lambda p: b"",
    "whitespace": lambda p: b"  \n\t \r\n",
    "garbage": lambda p: b"\x00\xff\xfenot json at all",
    "text": lambda p: b"clients: Ada, Bob",
    "json-list": lambda p: b"[1, 2, 3]",
    "json-string": lambda p: b'"offboard"',
    "json-null": lambda p: b"null",
    "table-not-object": lambda p: b'{"clients": [1, 2], "_meta": {"1": {"schema_version": 1}}}',
    "meta-version-string": lambda p: edit(p, lambda d: d["_meta"]["1"].update(schema_version="1")),
    "meta-version-negative": lambda p: edit(p, lambda d: d["_meta"]["1"].update(schema_version=-1)),
    "meta-version-bool": lambda p: edit(p, lambda d: d["_meta"]["1"].update(schema_version=True)),
    "meta-record-not-object": lambda p: edit(p, lambda d: d["_meta"].update({"1": 5})),
    "bad-client-revision": lambda p: edit(p, bad_revision),
    "bad-client-id": lambda p: edit(p, bad_id),
    "record-not-object": lambda p: edit(p, record_not_an_object),
    "record-under-wrong-key": lambda p: edit(p, record_under_wrong_key),
    "journal-entry-not-object": lambda p: edit(p, journal_entry_not_an_object),
    "v0-record-without-id": lambda p: b'{"_default": {"1": {"name": "no id"}}}',
}

TRUNCATE_AT = [1, 2, 17, 100, 0.25, 0.5, 0.75, -2, -1]


def truncated(fraction: float) -> Callable[[Path], bytes]:
    def make(path: Path) -> bytes:
        raw = good_db(path)
        cut = int(len(raw) * fraction) if isinstance(fraction, float) else fraction
        return raw[:cut]

    return make


for _cut in TRUNCATE_AT:
    VARIANTS[f"truncated-{_cut}"] = truncated(_cut)


def assert_reported(error: DatabaseError, path: Path) -> None:
    line = error.one_line()
    assert str(path) in line
    assert "offboard restore" in line
    assert "\n" not in line
    assert error.path == path


def attempt_everything(path: Path, expected: type[DatabaseError]) -> None:
    """A read, a fresh repository's read, and writes through the services and raw storage."""
    repo = TinyRepository(path)
    with pytest.raises(expected) as caught:
        repo.clients()
    assert_reported(caught.value, path)
    with pytest.raises(expected):
        TinyRepository(path).refs()

    services = make_services(path)
    with pytest.raises(expected) as caught:
        services.add_client("Newcomer")
    assert_reported(caught.value, path)
    with pytest.raises(expected):
        services.add_client("Second try")  # the same services, again
    with pytest.raises(expected), repo.storage.transaction() as data:
        data.clear()


@pytest.mark.parametrize("variant", VARIANTS)
def test_corrupt_file_is_reported_and_left_alone(tmp_path: Path, variant: str) -> None:
    db = tmp_path / "my data" / "offboard.json"  # a space in the path, for the hint
    db.parent.mkdir()
    content = VARIANTS[variant](db)
    # good_db made backups of the good versions; start without them so we can check that
    # none is made of the corrupt file.
    for p in backups_dir(db).glob("*"):
        p.unlink()
    db.write_bytes(content)
    os.utime(db, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = (db.read_bytes(), os.stat(db).st_ino, os.stat(db).st_mtime_ns)

    attempt_everything(db, CorruptDatabase)

    assert (db.read_bytes(), os.stat(db).st_ino, os.stat(db).st_mtime_ns) == before
    assert not any(backups_dir(db).glob("*")), "a corrupt file was backed up"
    assert leftovers(db) == []


def test_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    db.write_bytes(edit(db, lambda d: d["_meta"]["1"].update(schema_version=99)))
    for p in backups_dir(db).glob("*"):
        p.unlink()
    before = (db.read_bytes(), os.stat(db).st_mtime_ns)
    with pytest.raises(UnsupportedVersion) as caught:
        load_file(db)
    assert "version 99" in caught.value.one_line()
    assert "upgrade offboard" in caught.value.one_line()
    attempt_everything(db, UnsupportedVersion)
    assert (db.read_bytes(), os.stat(db).st_mtime_ns) == before
    assert not any(backups_dir(db).glob("*"))


def test_path_is_a_directory(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    db.mkdir()
    (db / "inside").write_text("keep me")
    before = os.stat(db).st_mtime_ns
    with pytest.raises(CorruptDatabase) as caught:
        load_file(db)
    assert "folder" in caught.value.one_line()
    attempt_everything(db, CorruptDatabase)
    assert db.is_dir() and (db / "inside").read_text() == "keep me"
    assert os.stat(db).st_mtime_ns == before
    assert not backups_dir(db).exists()


def test_bad_record_is_named(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    db.write_bytes(edit(db, bad_revision))
    with pytest.raises(CorruptDatabase) as caught:
        TinyRepository(db).clients()
    assert "revision" in caught.value.one_line()
    assert "2026-13-45" in caught.value.one_line()


def test_load_file_on_every_variant_raises_corrupt(tmp_path: Path) -> None:
    """load_file alone (used by restore to pick a backup) refuses the structural variants."""
    structural = [
        v
        for v in VARIANTS
        if v
        not in {
            "bad-client-revision",
            "bad-client-id",
            "record-under-wrong-key",
        }
    ]
    for i, variant in enumerate(structural):
        db = tmp_path / str(i) / "offboard.json"
        db.parent.mkdir()
        db.write_bytes(VARIANTS[variant](db))
        with pytest.raises(CorruptDatabase):
            load_file(db)


def test_damage_in_place_after_a_save_is_still_caught(tmp_path: Path) -> None:
    """The "known valid" mark names one file version; editing the file in place (same inode,
    same size) changes its mtime, so the next load checks every record again."""
    db = tmp_path / "offboard.json"
    raw = good_db(db)
    damaged = raw.replace(b'"id":"', b'"xd":"', 1)
    assert damaged != raw and len(damaged) == len(raw)
    before = os.stat(db)
    with open(db, "r+b") as f:
        f.write(damaged)
    after = os.stat(db)
    assert (after.st_ino, after.st_size) == (before.st_ino, before.st_size)
    # A person edits seconds after the last save; on a kernel with coarse timestamps an edit
    # within the same tick would keep the mtime, so state the later time explicitly.
    os.utime(db, ns=(after.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    saved = (db.read_bytes(), os.stat(db).st_mtime_ns)
    with pytest.raises(CorruptDatabase) as caught:
        make_services(db).add_client("Newcomer")
    assert "but its id is None" in caught.value.one_line()
    assert (db.read_bytes(), os.stat(db).st_mtime_ns) == saved


def test_unreadable_path_is_reported_not_crashed(tmp_path: Path) -> None:
    """A parent that is a file (ENOTDIR), and a FIFO, which must not hang the reader."""
    parent_is_file = tmp_path / "plain-file"
    parent_is_file.write_text("x")
    with pytest.raises(CorruptDatabase) as caught:
        TinyRepository(parent_is_file / "offboard.json").clients()
    assert str(parent_is_file / "offboard.json") in caught.value.one_line()

    fifo = tmp_path / "offboard.json"
    os.mkfifo(fifo)
    with pytest.raises(CorruptDatabase) as caught:
        TinyRepository(fifo).clients()
    assert "not a regular file" in caught.value.one_line()
    with pytest.raises(CorruptDatabase):
        make_services(fifo).add_client("Ada")
    assert fifo.exists() and not fifo.is_file()

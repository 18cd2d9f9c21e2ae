"""The "known valid" mark: a read that finds a file sound records it, so the next process to
open the same version skips checking every record, and the data file itself is never touched."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from storagekit import make_services

from offboard.storage.jsonfile import AtomicJSONStorage
from offboard.storage.locking import lock_path_of


def counting_storage(path: Path) -> tuple[AtomicJSONStorage, list[int]]:
    calls: list[int] = []

    def validate(data: Any) -> None:
        calls.append(1)

    return AtomicJSONStorage(path, validate=validate), calls


def copied_database(tmp_path: Path) -> Path:
    """A database as a copy, a sync or a restore from elsewhere leaves it: no lock file, so
    no mark, and a new identity."""
    source = tmp_path / "source" / "offboard.json"
    source.parent.mkdir()
    services = make_services(source)
    services.add_client("Ada")
    services.add_client("Grace")
    copy = tmp_path / "copy" / "offboard.json"
    copy.parent.mkdir()
    shutil.copy2(source, copy)
    return copy


def test_a_read_of_a_sound_copied_file_marks_it_for_the_next_reader(tmp_path: Path) -> None:
    db = copied_database(tmp_path)
    before = (db.read_bytes(), os.stat(db).st_mtime_ns, os.stat(db).st_ino)
    first, first_calls = counting_storage(db)
    assert first.read() is not None
    assert first_calls == [1]
    first.close()
    # The next process opening the same version trusts the mark and does not check again.
    second, second_calls = counting_storage(db)
    assert second.read() is not None
    assert second_calls == []
    second.close()
    assert (db.read_bytes(), os.stat(db).st_mtime_ns, os.stat(db).st_ino) == before
    assert oct(os.stat(lock_path_of(db)).st_mode & 0o777) == "0o600"


def test_a_file_changed_after_the_mark_is_checked_again(tmp_path: Path) -> None:
    db = copied_database(tmp_path)
    reader, _ = counting_storage(db)
    reader.read()
    reader.close()
    raw = db.read_bytes()
    db.write_bytes(raw + b" ")  # another identity: a new size
    again, calls = counting_storage(db)
    again.read()
    assert calls == [1]


def test_a_read_in_a_folder_that_cannot_be_written_still_reads(tmp_path: Path) -> None:
    """No lock file can be made there: the read works, just without leaving a mark."""
    db = copied_database(tmp_path)
    os.chmod(db.parent, 0o500)
    try:
        reader, calls = counting_storage(db)
        data = reader.read()
        assert data is not None and calls == [1]
    finally:
        os.chmod(db.parent, 0o700)
    if os.geteuid() != 0:  # root writes anyway
        assert not lock_path_of(db).exists()


def test_a_read_while_a_writer_holds_the_lock_does_not_wait(tmp_path: Path) -> None:
    db = copied_database(tmp_path)
    writer = AtomicJSONStorage(db)
    with writer.transaction():
        reader, calls = counting_storage(db)
        assert reader.read() is not None
        assert calls == [1]

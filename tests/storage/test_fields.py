"""A list reads each record cut to the fields it shows (storage/fields.py): the same values as
the whole records, from a file version the repository vouched for only, and whole clients
from the same bytes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import orjson
import pytest
from storagekit import make_services

from offboard.demo import build_demo_records, write_records
from offboard.domain.listing import LISTED_FIELDS
from offboard.storage.errors import CorruptDatabase
from offboard.storage.fields import FieldsView, read_fields
from offboard.storage.loading import signature_of, valid_mark
from offboard.storage.locking import lock_path_of
from offboard.storage.tinyfile import TinyRepository

TODAY = dt.date(2026, 11, 22)


def demo_board(db: Path) -> None:
    write_records(db, build_demo_records(TODAY))


def forge_marked(db: Path, raw: bytes) -> None:
    """Write `raw` as the file and mark that version sound, as a repository's check would
    (a hand edit of both files, or a bug: the mark does not hold)."""
    db.write_bytes(raw)
    lock_path_of(db).write_bytes(valid_mark(signature_of(os.stat(db))))


def test_each_record_holds_the_fields_asked_for_and_each_client_is_whole(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    demo_board(db)
    view = read_fields(db, LISTED_FIELDS)
    assert isinstance(view, FieldsView)
    snapshot = TinyRepository(db).snapshot()
    docs = list(view.docs())
    assert [key for key, _ in docs] == list(snapshot) and len(view) == len(snapshot)
    for key, record in docs:
        whole = snapshot.doc(key)
        assert record == {field: whole[field] for field in LISTED_FIELDS}
        assert view[key] == snapshot[key]
    with pytest.raises(KeyError):
        view["nobody"]


def test_only_a_vouched_for_version_is_read_by_its_fields(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    assert read_fields(db, LISTED_FIELDS) is None  # no file yet
    demo_board(db)
    lock_path_of(db).unlink()  # copied, synced or restored: not checked yet
    assert read_fields(db, LISTED_FIELDS) is None
    repo = TinyRepository(db)
    assert not isinstance(repo.fields_view(LISTED_FIELDS), FieldsView)  # read and checked
    assert isinstance(TinyRepository(db).fields_view(LISTED_FIELDS), FieldsView)
    db.write_bytes(db.read_bytes() + b" ")  # changed after its mark
    assert read_fields(db, LISTED_FIELDS) is None


def test_a_repository_that_holds_the_file_lists_what_it_holds(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    services = make_services(db)
    services.add_client("Ada")
    assert not isinstance(services.repo.fields_view(LISTED_FIELDS), FieldsView)


def test_a_record_without_a_field_is_given_without_it(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    demo_board(db)
    data = orjson.loads(db.read_bytes())
    client_id, record = next(iter(data["clients"].items()))
    del record["email"]
    forge_marked(db, orjson.dumps(data))
    view = read_fields(db, LISTED_FIELDS)
    assert view is not None
    cut = dict(view.docs())[client_id]
    assert "email" not in cut and cut["name"] == record["name"]


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b'{"clients": [1, 2]}', b'{"clients": {"a": 1}}', b"\xff\xfe", b"[]", b"null"],
    ids=repr,
)
def test_marked_bytes_that_are_not_a_database_are_not_read_by_fields(
    tmp_path: Path, raw: bytes
) -> None:
    """The caller reads the repository then, which says what is wrong with the file."""
    db = tmp_path / "offboard.json"
    forge_marked(db, raw)
    assert read_fields(db, LISTED_FIELDS) is None
    assert read_fields(db, ["name"]) is None or raw.startswith(b'{"clients"')


def test_a_path_that_is_no_file_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    with pytest.raises(CorruptDatabase, match="folder"):
        read_fields(folder, LISTED_FIELDS)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(CorruptDatabase, match="not a regular file"):
        read_fields(fifo, LISTED_FIELDS)  # and it did not hang


def hostile_record(db: Path, field: str, value: bytes) -> str:
    """One client whose record holds `value`, as bytes, in `field`, in a file whose mark is
    forged for it."""
    make_services(db).add_client("Ada")
    data = orjson.loads(db.read_bytes())
    (client_id,) = data["clients"]
    data["clients"][client_id][field] = "__HOSTILE__"
    forge_marked(db, orjson.dumps(data).replace(b'"__HOSTILE__"', value))
    return client_id


@pytest.mark.parametrize("value", [b'"\xff"', b'"\xed\xa0\x80"', b"1e999"], ids=repr)
def test_a_whole_client_whose_bytes_only_msgspec_passes_is_reported(
    tmp_path: Path, value: bytes
) -> None:
    """msgspec passes over a field it is not asked for without a look; the whole client is
    parsed as the repository would, and a record it refuses is a CorruptDatabase."""
    db = tmp_path / "offboard.json"
    client_id = hostile_record(db, "notes", value)
    view = read_fields(db, LISTED_FIELDS)
    assert view is not None
    assert dict(view.docs())[client_id]["name"] == "Ada"
    with pytest.raises(CorruptDatabase):
        view[client_id]


def test_a_record_nested_past_any_limit_is_left_to_the_repository(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    hostile_record(db, "notes", b"[" * 100_000 + b"]" * 100_000)
    assert read_fields(db, LISTED_FIELDS) is None
    with pytest.raises(CorruptDatabase):
        TinyRepository(db).fields_view(LISTED_FIELDS)

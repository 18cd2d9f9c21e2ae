"""Saves build the file from each record's kept encoding: the bytes must be exactly those of
encoding the whole data at once, whatever happened to the records in between."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings, strategies as st
from storagekit import make_services

from offboard.storage.encoded import EncodedTables
from offboard.storage.errors import WriteFailed
from offboard.storage.jsonfile import AtomicJSONStorage
from offboard.storage.repository import JOURNAL_LIMIT


def whole(path: Path) -> bytes:
    """The file's data encoded in one go, as the file held it before saves were pieced."""
    return orjson.dumps(orjson.loads(path.read_bytes()))


def test_a_file_saved_change_after_change_is_the_whole_encoding_byte_for_byte(
    tmp_path: Path,
) -> None:
    db = tmp_path / "offboard.json"
    services = make_services(db)
    ids = [services.add_client(f"Client {i}").id for i in range(5)]
    assert db.read_bytes() == whole(db)
    # Changes, a delete, undo and redo (a deleted client comes back at the end of the
    # table), and more journal entries than the journal keeps, so old ones drop out.
    for i in range(JOURNAL_LIMIT + 20):
        services.log_flag(ids[i % len(ids)], "payment", f"late payment {i}", severity=1)
        if i % 37 == 0:
            assert db.read_bytes() == whole(db)
    services.delete_client(ids[2])
    assert db.read_bytes() == whole(db)
    services.undo()
    assert db.read_bytes() == whole(db)
    services.redo()
    services.undo()
    services.edit_client(ids[1], email="one@example.com")
    assert db.read_bytes() == whole(db)
    # Another process reading the file sees every change.
    again = make_services(db)
    names = sorted(c.name for c in again.clients())
    assert names == [f"Client {i}" for i in range(5)]
    assert again.repo.get(ids[1]).email == "one@example.com"
    assert len(again.repo.get(ids[0]).flags) == (JOURNAL_LIMIT + 20 + 4) // 5


def test_a_record_edited_in_place_is_saved_when_the_change_does_not_say_which(
    tmp_path: Path,
) -> None:
    db = tmp_path / "offboard.json"
    services = make_services(db)
    client_id = services.add_client("Ada").id
    services.add_client("Grace")
    storage = services.repo.storage  # type: ignore[attr-defined]
    with storage.transaction() as data:
        data["clients"][client_id]["email"] = "ada@example.com"  # same object, new content
        storage.mark_changed()
    assert orjson.loads(db.read_bytes())["clients"][client_id]["email"] == "ada@example.com"
    assert db.read_bytes() == whole(db)


def test_a_record_changed_and_named_is_saved(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    services = make_services(db)
    client_id = services.add_client("Ada").id
    services.log_flag(client_id, "scope", "asked for more again", severity=2)
    storage = services.repo.storage  # type: ignore[attr-defined]
    with storage.transaction() as data:
        data["clients"][client_id]["company"] = "Analytical Engines"
        storage.mark_changed({"clients": [client_id]})
    assert orjson.loads(db.read_bytes())["clients"][client_id]["company"] == "Analytical Engines"
    assert db.read_bytes() == whole(db)


def test_data_json_cannot_hold_is_refused_and_the_file_left_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    services = make_services(db)
    client_id = services.add_client("Ada").id
    before = db.read_bytes()
    storage = services.repo.storage  # type: ignore[attr-defined]
    for bad in ({1: "not a text key"}, {"when": object()}):
        with pytest.raises(WriteFailed), storage.transaction() as data:
            data["clients"][client_id] = {**data["clients"][client_id], "extra": bad}
            storage.mark_changed({"clients": [client_id]})
        assert db.read_bytes() == before
    # And the next good save still writes everything right.
    services.log_flag(client_id, "time", "calls at night", severity=1)
    assert db.read_bytes() == whole(db)


def test_a_file_written_through_tinydb_s_own_tables_is_encoded_afresh(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    storage = AtomicJSONStorage(db)
    with storage.transaction() as data:
        data["clients"] = {"a": {"id": "a", "n": 1}}
        storage.mark_changed()
    # TinyDB's write path hands over data whose records it changed in place.
    data = storage.read()
    assert data is not None
    data["clients"]["a"]["n"] = 2
    storage.write(data)
    assert orjson.loads(db.read_bytes())["clients"]["a"]["n"] == 2
    assert db.read_bytes() == whole(db)


# --- the encoder alone, against orjson, over any sequence of changes -------------------------

KEYS = st.sampled_from([f"k{i}" for i in range(8)])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["put", "delete", "readd", "edit", "edit-unnamed", "table"]), KEYS, VALUES
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(STEPS)
def test_the_encoder_gives_orjson_s_bytes_after_any_changes(steps: list[Any]) -> None:
    data: dict[str, Any] = {"_meta": {"1": {"schema_version": 1}}, "clients": {}, "journal": {}}
    encoder = EncodedTables()
    assert b"".join(encoder.encode(data, None)) == orjson.dumps(data)
    for action, key, value in steps:
        changed: dict[str, list[str]] | None = {"clients": [key]}
        table = data["clients"]
        if action == "put":  # a new or replaced record
            table[key] = {"id": key, "value": value}
        elif action == "delete":
            table.pop(key, None)
        elif action == "readd" and key in table:  # removed and added back: now the last
            table[key] = table.pop(key)
        elif action in ("edit", "edit-unnamed") and key in table:
            table[key]["value"] = value  # the same object, changed
            changed = None if action == "edit-unnamed" else changed
        elif action == "table":  # a table appears or goes
            if "extra" in data:
                del data["extra"]
            else:
                data["extra"] = {key: {"value": value}}
            changed = {}
        assert b"".join(encoder.encode(data, changed)) == orjson.dumps(data)


def test_pieces_cut_short_by_the_disk_are_written_to_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from offboard.files import write_atomically

    real = os.writev

    def short(fd: int, buffers: list[bytes]) -> int:
        # As a filesystem may: less than asked, here half of the first piece.
        return real(fd, [buffers[0][: max(1, len(buffers[0]) // 2)]])

    monkeypatch.setattr(os, "writev", short)
    pieces = [f"piece {i};".encode() for i in range(3000)]  # more than one writev takes
    target = tmp_path / "out.bin"
    write_atomically(target, pieces)
    assert target.read_bytes() == b"".join(pieces)

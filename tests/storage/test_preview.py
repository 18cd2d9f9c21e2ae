"""The preview a board draws its first frame from: the same rows as the repository's snapshot,
read only from a file version the repository vouched for, and nothing at all otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from storagekit import make_services

from offboard.domain.models import Category, Stage
from offboard.domain.rows import ClientRow
from offboard.storage.errors import CorruptDatabase
from offboard.storage.loading import Known, load_open, parse, signature_of, valid_mark
from offboard.storage.locking import lock_path_of
from offboard.storage.preview import read_preview
from offboard.storage.tinyfile import TinyRepository


def board(db: Path) -> list[str]:
    """A small board: names that sort apart from their case, one client with a red flag (a
    closed client: test_a_closed_clients_row_says_when_it_closed)."""
    services = make_services(db)
    ids = [services.add_client(name).id for name in ("Ada", "grace", "Zed", "Émile")]
    services.log_flag(ids[0], Category.PAYMENT, "late again", severity=3)
    return ids


def placed(row: ClientRow) -> tuple[object, ...]:
    return (row.id, row.name, row.stage, row.rev, row.closed_at, row.key, row.title, row.search)


def test_the_preview_has_the_snapshots_rows_and_clients(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    board(db)
    snapshot = TinyRepository(db).snapshot()
    preview = read_preview(db)
    assert preview is not None
    assert [placed(r) for r in preview.rows()] == [placed(r) for r in snapshot.rows()]
    assert list(preview) == list(snapshot) and len(preview) == len(snapshot)
    for client_id in snapshot:
        assert preview[client_id] == snapshot[client_id]
        assert placed(preview.row(client_id)) == placed(snapshot.row(client_id))


def test_a_closed_clients_row_says_when_it_closed(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    services = make_services(db)
    client = services.add_client("Ada")
    raw = orjson.loads(db.read_bytes())
    record = raw["clients"][client.id]
    record["stage"] = "closed"
    record["outcome"] = "retained"
    record["history"].append(
        {
            "at": "2026-03-04T10:00:00+00:00",
            "actor": "t",
            "action": "move",
            "summary": "closed",
            "old": "assessment",
            "new": "closed",
        }
    )
    forge_marked(db, raw)
    preview = read_preview(db)
    assert preview is not None
    (row,) = preview.rows()
    assert row.stage is Stage.CLOSED and row.closed_at == "2026-03-04T10:00:00+00:00"
    assert row.title == "Closed, retained"


def forge_marked(db: Path, data: object) -> None:
    """Write `data` as the file and mark that version valid, as a repository's check would."""
    db.write_bytes(orjson.dumps(data))
    lock_path_of(db).write_bytes(valid_mark(signature_of(os.stat(db))))


def test_an_unmarked_file_is_not_previewed(tmp_path: Path) -> None:
    """A copied, synced or restored file: the repository checks it before the first frame."""
    db = tmp_path / "offboard.json"
    board(db)
    lock_path_of(db).unlink()
    assert read_preview(db) is None


def test_a_file_changed_after_its_mark_is_not_previewed(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    board(db)
    db.write_bytes(db.read_bytes() + b" ")
    assert read_preview(db) is None


@pytest.mark.parametrize(
    "damage",
    [
        {"name": None},
        {"name": 7},
        {"stage": "limbo"},
        {"stage": None},
        {"rev": "1"},
        {"rev": True},
        {"company": ["x"]},
        {"id": "someone-else"},
        {"history": "none"},
    ],
    ids=repr,
)
def test_a_marked_file_with_an_odd_field_is_not_previewed(tmp_path: Path, damage: dict) -> None:
    """A mark that does not hold (hand-edited with the lock file, or a bug): the preview
    declines, and the repository's open says what is wrong."""
    db = tmp_path / "offboard.json"
    board(db)
    data = orjson.loads(db.read_bytes())
    record = next(iter(data["clients"].values()))
    record.update(damage)
    if damage.get("stage", "") is None or "history" in damage:
        record["stage"] = "closed" if "history" in damage else None
    forge_marked(db, data)
    assert read_preview(db) is None


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b'{"clients": [1, 2]}', b'{"clients": {"a": 1}}', b"\xff\xfe", b"[]", b"null"],
    ids=repr,
)
def test_marked_bytes_that_are_not_a_database_are_not_previewed(tmp_path: Path, raw: bytes) -> None:
    db = tmp_path / "offboard.json"
    db.write_bytes(raw)
    lock_path_of(db).write_bytes(valid_mark(signature_of(os.stat(db))))
    assert read_preview(db) is None


def test_nothing_that_is_not_a_file_is_previewed(tmp_path: Path) -> None:
    assert read_preview(tmp_path / "missing.json") is None
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert read_preview(folder) is None
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    assert read_preview(fifo) is None  # and it did not hang
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    assert read_preview(dangling) is None


def test_a_link_is_previewed_as_the_file_it_names(tmp_path: Path) -> None:
    """The mark sits beside the real file, where the repository keeps it."""
    db = tmp_path / "real" / "offboard.json"
    db.parent.mkdir()
    board(db)
    link = tmp_path / "link.json"
    link.symlink_to(db)
    preview = read_preview(link)
    assert preview is not None and preview.path == db and len(preview) == 4


def test_the_first_load_uses_bytes_read_before_only_for_that_very_version(
    tmp_path: Path,
) -> None:
    db = tmp_path / "offboard.json"
    board(db)
    sig = signature_of(os.stat(db))
    stand_in = orjson.dumps({"clients": {}})
    loaded = load_open(db, Known(sig, stand_in))
    assert loaded is not None
    data, _, fd, raw = loaded
    os.close(fd)
    assert raw is stand_in and data.get("clients") == {}  # the bytes given were used
    # Another version's bytes are never used for this one.
    loaded = load_open(db, Known((sig[0], sig[1] + 1, sig[2]), stand_in))
    assert loaded is not None
    data, _, fd, raw = loaded
    os.close(fd)
    assert raw == db.read_bytes() and len(data["clients"]) == 4


def test_a_repository_opened_after_a_preview_reads_the_same_clients(tmp_path: Path) -> None:
    from offboard.bootstrap import open_repository, preview_board
    from offboard.config import Config

    db = tmp_path / "offboard.json"
    board(db)
    preview = preview_board(db)
    assert preview is not None
    repo = open_repository(db, Config(), long_lived=True, preview=preview)
    expected = TinyRepository(db).snapshot()
    assert {cid: repo.snapshot()[cid] for cid in expected} == dict(expected.items())


def test_a_version_read_piece_by_piece_parses_as_the_whole_file(tmp_path: Path) -> None:
    """The open after a preview parses one record at a time (no document of the whole file
    next to the records): the same data, tables and records in the same order."""
    db = tmp_path / "offboard.json"
    board(db)
    preview = read_preview(db)
    assert preview is not None
    whole = parse(db.read_bytes(), db)
    pieced = parse(db.read_bytes(), db, preview.known().pieces)
    assert pieced == whole
    assert list(pieced) == list(whole) and list(pieced["clients"]) == list(whole["clients"])
    # and the pieces are what the open parses when the file is that version
    sig = signature_of(os.stat(db))
    loaded = load_open(db, Known(sig, db.read_bytes(), [("clients", {})]))
    assert loaded is not None
    os.close(loaded[2])
    assert loaded[0]["clients"] == {}


def hostile_record(db: Path, value: bytes) -> str:
    """One client whose record holds `value` in a field the board does not read, as bytes,
    in a file whose mark is forged for it."""
    make_services(db).add_client("Ada")
    data = orjson.loads(db.read_bytes())
    (client_id,) = data["clients"]
    marker = b'"__HOSTILE__"'
    data["clients"][client_id]["notes"] = "__HOSTILE__"
    db.write_bytes(orjson.dumps(data).replace(marker, value))
    lock_path_of(db).write_bytes(valid_mark(signature_of(os.stat(db))))
    return client_id


def test_a_record_nested_past_any_limit_is_not_previewed(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    hostile_record(db, b"[" * 100_000 + b"]" * 100_000)
    assert read_preview(db) is None  # and nothing was raised: the open reports the file
    with pytest.raises(CorruptDatabase):
        TinyRepository(db).snapshot()


@pytest.mark.parametrize("value", [b'"\xff"', b'"\xed\xa0\x80"', b"1e999"], ids=repr)
def test_bytes_only_the_full_parse_refuses_leave_the_card_its_fields_until_the_open(
    tmp_path: Path, value: bytes
) -> None:
    """msgspec passes over them without a look; orjson refuses them. The card of that client
    still draws (from the fields the preview read), and the open reports the file."""
    db = tmp_path / "offboard.json"
    client_id = hostile_record(db, value)
    preview = read_preview(db)
    assert preview is not None
    client = preview[client_id]
    assert (client.id, client.name, client.stage) == (client_id, "Ada", Stage.ASSESSMENT)
    with pytest.raises(CorruptDatabase):
        parse(db.read_bytes(), db, preview.known().pieces)
    with pytest.raises(CorruptDatabase):
        TinyRepository(db).snapshot()

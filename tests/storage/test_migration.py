"""A version-0 file (what plain TinyDB writes) opens, and the first save upgrades it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import orjson
import tinydb
from storagekit import DAY, make_services

from offboard.domain.models import Category, Client, RedFlag
from offboard.storage import migrations
from offboard.storage.backups import list_backups
from offboard.storage.loading import load_file
from offboard.storage.tinyfile import TinyRepository


def write_v0(path: Path, *clients: Client) -> None:
    db = tinydb.TinyDB(path)
    for client in clients:
        db.insert(client.to_dict())
    db.close()


def test_version_0_file_opens_and_is_upgraded_on_the_first_save(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    ada = Client(name="Ada", email="ada@example.com", created=DAY)
    ada.flags.append(RedFlag(Category.TIME, "late to every call", DAY))
    bob = Client(name="Bob", created=DAY)
    write_v0(db, ada, bob)
    v0_bytes = db.read_bytes()
    raw = orjson.loads(v0_bytes)
    assert set(raw) == {"_default"} and set(raw["_default"]) == {"1", "2"}

    # Reading alone does not write.
    repo = TinyRepository(db)
    assert {c.id: c.name for c in repo.clients()} == {ada.id: "Ada", bob.id: "Bob"}
    assert repo.get(ada.id).flags[0].description == "late to every call"
    assert db.read_bytes() == v0_bytes
    assert list_backups(db) == []

    services = make_services(db)
    flagged = services.log_flag("Ada", "payment", "invoice 12 unpaid")
    assert flagged.id == ada.id

    on_disk = orjson.loads(db.read_bytes())
    assert on_disk["_meta"]["1"]["schema_version"] == migrations.CURRENT_VERSION == 1
    assert "_default" not in on_disk
    assert set(on_disk["clients"]) == {ada.id, bob.id}
    assert len(on_disk["clients"][ada.id]["flags"]) == 2
    assert on_disk["clients"][bob.id] == {**bob.to_dict(), "rev": 0}
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600

    [backup] = list_backups(db)
    assert backup.read_bytes() == v0_bytes
    assert migrations.version_of(orjson.loads(backup.read_bytes())) == 0
    # The backup is still a loadable (version-0) database.
    assert set(load_file(backup)["clients"]) == {ada.id, bob.id}

    fresh = TinyRepository(db)
    assert {c.id for c in fresh.clients()} == {ada.id, bob.id}


def test_empty_version_0_file(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    plain = tinydb.TinyDB(db)
    plain.truncate()  # writes {"_default": {}}
    plain.close()
    assert orjson.loads(db.read_bytes()) == {"_default": {}}
    assert TinyRepository(db).clients() == []
    make_services(db).add_client("Ada")
    data = load_file(db)
    assert migrations.version_of(orjson.loads(db.read_bytes())) == 1
    assert [c["name"] for c in data["clients"].values()] == ["Ada"]


def test_migration_is_idempotent_for_a_current_file(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    make_services(db).add_client("Ada")
    data = orjson.loads(db.read_bytes())
    migrated, changed = migrations.migrate(data)
    assert not changed
    assert migrated == orjson.loads(db.read_bytes())

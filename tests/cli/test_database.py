"""`offboard db init|status|migrate`, and every other command on a board on a PostgreSQL
server given by --db, OFFBOARD_DB or storage.database (a real throwaway server: see
tests/storage/pgserver.py)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from pgserver import TEST_DB, cluster

from offboard.storage.postgres import schema


def fields(out: str) -> dict[str, str]:
    """`db status` as printed: "key:   value" lines after any other output."""
    found = {}
    for line in out.splitlines():
        key, sep, value = line.partition(": ")
        if sep and not line.startswith(("Applied", "Created")):
            found[key] = value.strip()
    return found


@pytest.fixture
def url(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    # `db` keeps the tester's config and data out; the server's board gets a local folder here.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("OFFBOARD_DB")
    return cluster().fresh_url()


def test_status_of_a_new_board_then_init_then_status(cli, url) -> None:
    shown = fields(cli.ok("--db", url, "db", "status"))
    assert shown["board version"].startswith("none yet") and shown["database"] == TEST_DB
    out = cli.ok("--db", url, "db", "init")
    assert f"Applied step 1: {schema.STEPS[0].description}." in out
    status = json.loads(cli.ok("--db", url, "db", "status", "--json"))
    assert status["schema_version"] == schema.LATEST == status["app_schema_version"]
    assert status["clients"] == 0 and status["migrate_needed"] is False
    assert "The board is up to date" in cli.ok("--db", url, "db", "migrate")


def test_init_creates_the_database(cli, url) -> None:
    name = f"cli_{os.getpid()}"
    address = cluster().url(name)
    out = cli.ok("--db", address, "db", "init")
    assert f"Created the database {name}." in out
    assert fields(out)["board version"] == f"{schema.LATEST}, up to date"
    assert "Created the database" not in cli.ok("--db", address, "db", "init")


def test_every_command_works_on_the_server(cli, url, monkeypatch) -> None:
    cli.ok("--db", url, "add", "Ana Lima", "--email", "ana@example.com")
    monkeypatch.setenv("OFFBOARD_DB", url)
    cli.ok("flag", "ana", "payment", "paid late again")
    listed = json.loads(cli.ok("list", "--json"))
    assert [c["name"] for c in listed] == ["Ana Lima"]
    assert "Undone: Ana Lima: red flag (payment): paid late again" in cli.ok("undo")
    assert fields(cli.ok("db", "status"))["clients"] == "1"


def test_the_config_names_the_board_and_the_user(cli, url, tmp_path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\ndatabase = "{url}"\nuser = "ana"\n')
    monkeypatch.setenv("OFFBOARD_CONFIG", str(config))
    cli.ok("add", "Bo")
    shown = json.loads(cli.ok("show", "bo", "--json"))
    assert shown["history"][0]["actor"] == "ana (cli)"


def test_a_password_in_the_configured_address_is_refused(cli, url, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[storage]\ndatabase = "postgresql://ana:secret@db.example/agency"\n')
    monkeypatch.setenv("OFFBOARD_CONFIG", str(config))
    err = cli.refused("list")
    assert "holds a password" in err and "secret" not in err


def test_db_commands_refuse_a_file(cli, db) -> None:
    err = cli.refused("--db", str(db), "db", "status")
    assert "is for a board on a PostgreSQL server" in err


def test_file_only_commands_say_so_on_a_server(cli, url) -> None:
    for args in (("restore", "--list"), ("demo",)):
        code, _, err = cli("--db", url, *args)
        assert code == 1 and "is a PostgreSQL database" in err, err

"""The PostgreSQL backend's own promises, on a real throwaway server (tests/storage/pgserver.py):
its schema and versions, what each failure to connect tells the user, undo per person, hostile
text, and moving a board from a file to the server and back without losing anything.

The Repository contract itself runs against it in test_contract.py; concurrency, a killed
connection and live updates are in test_postgres_live.py.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pgserver import PASSWORD_ROLE, TEST_DB, cluster
from psycopg import sql as pgsql

from offboard.bootstrap import open_repository
from offboard.config import Config, DatabaseUrl
from offboard.demo import write_demo
from offboard.domain.clock import FixedClock
from offboard.domain.errors import InvalidInput, NothingToUndo, StaleEdit
from offboard.domain.models import Category, Client, Contract, RedFlag
from offboard.services import Services
from offboard.storage.memory import MemoryRepository
from offboard.storage.postgres import open_pg, schema
from offboard.storage.postgres.errors import (
    AuthFailed,
    BadAddress,
    DatabaseMissing,
    SchemaTooNew,
    ServerUnreachable,
)
from offboard.storage.postgres.repository import PgRepository
from offboard.storage.repository import Repository
from offboard.storage.tinyfile import TinyRepository

DAY = dt.date(2026, 3, 2)
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def url() -> str:
    return cluster().fresh_url()


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[Callable[..., PgRepository]]:
    repos: list[PgRepository] = []

    def open_board(address: str, actor: str = "ana") -> PgRepository:
        repo = open_pg(address, tmp_path / actor / "board", actor=actor)
        repos.append(repo)
        return repo

    yield open_board
    for repo in repos:
        repo.close()


def services(repo: Repository, actor: str = "ana", session: str | None = None) -> Services:
    return Services(repo, FixedClock(DAY), actor=f"{actor} (cli)", session=session)


def sql(address: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(address, autocommit=True) as conn:
        cur = conn.execute(query.encode(), params)
        return cur.fetchall() if cur.description else []


# --- the schema -----------------------------------------------------------------------------


def test_the_first_use_creates_the_schema_at_the_latest_version(url, opened) -> None:
    repo = opened(url)
    assert repo.refs() == []
    applied = sql(url, "SELECT version FROM offboard_schema ORDER BY version")
    assert applied == [(step.version,) for step in schema.STEPS] and applied[-1][0] == schema.LATEST
    tables = {r[0] for r in sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = "
                                     "current_schema()")}  # fmt: skip
    assert {"clients", "history", "journal", "offboard_schema"} <= tables
    # Opening again applies nothing more.
    assert opened(url).migrate() == []
    assert sql(url, "SELECT count(*) FROM offboard_schema") == [(len(schema.STEPS),)]


def test_clients_are_jsonb_documents_with_their_history_in_its_own_table(url, opened) -> None:
    ana = services(opened(url)).add_client("Ana Lima", email="ana@example.com")
    services(opened(url, "bo"), "bo").log_flag("ana", "payment", "late")
    rows = sql(url, "SELECT rev, doc ->> 'email', name, stage, doc ? 'history' FROM clients")
    assert rows == [(2, "ana@example.com", "Ana Lima", "assessment", False)]
    events = sql(url, "SELECT pos, actor, action FROM history WHERE client_id = %s ORDER BY pos",
                 ana.id)  # fmt: skip
    assert events == [(0, "ana (cli)", "create"), (1, "bo (cli)", "flag")]
    stored = opened(url, "cy").get(ana.id)
    assert [(h.actor, h.at.date()) for h in stored.history] == [
        ("ana (cli)", DAY),
        ("bo (cli)", DAY),
    ]


def test_a_schema_newer_than_the_app_is_refused_untouched(url, opened) -> None:
    services(opened(url)).add_client("Ana")
    sql(url, "INSERT INTO offboard_schema (version, description) VALUES (%s, 'from the future')",
        schema.LATEST + 1)  # fmt: skip
    later = opened(url, "bo")
    with pytest.raises(SchemaTooNew) as caught:
        later.refs()
    assert f"schema version {schema.LATEST + 1}" in caught.value.message
    assert "upgrade offboard" in (caught.value.hint or "")
    with pytest.raises(SchemaTooNew):
        later.migrate()
    assert sql(url, "SELECT name FROM clients") == [("Ana",)]
    assert later.status()["too_new"]


def test_status_reads_without_creating_anything(url, opened) -> None:
    repo = opened(url)
    status = repo.status()
    assert status["schema_version"] == 0 and status["migrate_needed"]
    assert status["clients"] is None and status["database"] == TEST_DB
    assert sql(url, "SELECT to_regclass('clients') IS NULL") == [(True,)]
    assert [v for v, _ in repo.migrate()] == [s.version for s in schema.STEPS]
    services(repo).add_client("Ana")
    status = repo.status()
    assert (status["schema_version"], status["clients"], status["migrate_needed"]) == (
        schema.LATEST, 1, False
    )  # fmt: skip


def test_init_creates_a_missing_database(opened) -> None:
    name = f"fresh_{os.getpid()}"
    address = cluster().url(name)
    repo = opened(address)
    with pytest.raises(DatabaseMissing) as caught:
        repo.refs()
    assert f"no database {name!r}" in caught.value.message
    assert "db init" in (caught.value.hint or "") and f"createdb {name}" in (
        caught.value.hint or ""
    )
    assert repo.create_database() is True
    assert repo.create_database() is False
    assert repo.refs() == []


# --- what a failed connection says ------------------------------------------------------------


def test_an_unreachable_server_says_so(opened) -> None:
    repo = opened("postgresql://ana@/board?host=/tmp/pg-test-nothing-here&connect_timeout=2")
    with pytest.raises(ServerUnreachable) as caught:
        repo.refs()
    assert "cannot reach the PostgreSQL server" in caught.value.message
    assert "No such file or directory" in caught.value.message


def test_a_refused_login_says_where_passwords_come_from(opened, monkeypatch) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/pgpass")
    repo = opened(cluster().url(TEST_DB, PASSWORD_ROLE))
    with pytest.raises(AuthFailed) as caught:
        repo.refs()
    assert f"refused user {PASSWORD_ROLE!r}" in caught.value.message
    assert "~/.pgpass" in (caught.value.hint or "") and "PGPASSWORD" in (caught.value.hint or "")
    monkeypatch.setenv("PGPASSWORD", "wrong")
    with pytest.raises(AuthFailed, match="password authentication failed"):
        opened(cluster().url(TEST_DB, PASSWORD_ROLE), "bo").refs()


def test_a_password_from_pgpass_is_used(opened, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:*:*:{PASSWORD_ROLE}:right-password\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with psycopg.connect(cluster().url(TEST_DB), autocommit=True) as conn:
        conn.execute(
            pgsql.SQL("CREATE SCHEMA IF NOT EXISTS pw AUTHORIZATION {}").format(
                pgsql.Identifier(PASSWORD_ROLE)
            )
        )
    address = cluster().url(TEST_DB, PASSWORD_ROLE, schema="pw")
    assert opened(address).refs() == []


@pytest.mark.parametrize(
    "address",
    [
        "postgresql://ana:secret@db.example/agency",
        "postgresql://ana@db.example/agency?password=secret",
        "postgres:///agency?host=db.example&user=ana&password=secret&sslmode=require",
    ],
)
def test_a_password_in_the_address_is_refused(address: str, tmp_path: Path) -> None:
    with pytest.raises(BadAddress) as caught:
        open_pg(address, tmp_path / "board", actor="ana")
    assert "secret" not in caught.value.message
    assert "holds a password" in caught.value.message
    assert "~/.pgpass" in (caught.value.hint or "")


def test_bootstrap_opens_a_server_board_with_a_local_folder(url, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    repo = open_repository(DatabaseUrl(url), Config(user="ana"))
    try:
        assert isinstance(repo, PgRepository) and repo.actor == "ana"
        assert repo.path.parent.is_dir()
        assert str(repo.path).startswith(str(tmp_path / "data"))
    finally:
        repo.close()


def test_without_psycopg_the_message_names_the_extra(url, tmp_path) -> None:
    script = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from offboard.cli.main import main\n"
        "sys.exit(main(['--db', sys.argv[1], 'list']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "XDG_DATA_HOME": str(tmp_path),
           "OFFBOARD_CONFIG": str(tmp_path / "none.toml")}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", script, url], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 1, done.stderr
    assert "pip install 'offboard[postgres]'" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


# --- undo is per person ----------------------------------------------------------------------


def test_undo_takes_back_my_change_never_a_colleague_s(url, opened) -> None:
    ana, bo = services(opened(url, "ana"), "ana"), services(opened(url, "bo"), "bo")
    a = ana.add_client("Ana's client")
    b = bo.add_client("Bo's client")
    ana.log_flag(a.id, "payment", "late")
    bo.log_flag(b.id, "scope", "extra pages")  # newer, but Bo's
    assert ana.undo() == "Ana's client: red flag (payment): late"
    assert ana.repo.get(a.id).flags == [] and len(ana.repo.get(b.id).flags) == 1
    assert ana.undo() == "added Ana's client"
    with pytest.raises(NothingToUndo):
        ana.undo()  # Bo's changes are not Ana's to undo
    assert bo.undo() == "Bo's client: red flag (scope): extra pages"


def test_undo_refuses_when_a_colleague_changed_the_client_since(url, opened) -> None:
    ana, bo = services(opened(url, "ana"), "ana"), services(opened(url, "bo"), "bo")
    shared = ana.add_client("Shared")
    ana.log_flag(shared.id, "payment", "late")
    bo.log_flag(shared.id, "scope", "more")
    with pytest.raises(StaleEdit) as caught:
        ana.undo()
    assert "changed again since, by bo (cli)" in caught.value.message
    stored = ana.repo.get(shared.id)
    assert [f.description for f in stored.flags] == ["late", "more"] and stored.rev == 3
    # Refused, not lost: once Bo undoes his, Ana's undo goes through.
    bo.undo()
    assert ana.undo() == "Shared: red flag (payment): late"


def test_a_colleague_s_change_keeps_my_redo(url, opened) -> None:
    ana, bo = services(opened(url, "ana"), "ana"), services(opened(url, "bo"), "bo")
    a = ana.add_client("Ana's client")
    ana.log_flag(a.id, "payment", "late")
    ana.undo()
    bo.add_client("Bo's client")  # a new change, but Bo's: it ends only Bo's redo
    assert ana.redo() == "Ana's client: red flag (payment): late"
    assert len(ana.repo.get(a.id).flags) == 1


# --- hostile text ------------------------------------------------------------------------------

HOSTILE = [
    'O\'Brien "quoted" `ticks`',
    "Robert'); DROP TABLE clients; --",
    "back\\slash \\u0000 written out, $1 %s %(x)s {}",
    "emoji 🧾 and RTL \u202e text, combining é",
]


def test_hostile_text_is_stored_as_text(url, opened) -> None:
    repo = opened(url)
    svc = services(repo)
    ids = [svc.add_client(name, company=name).id for name in HOSTILE]
    again = opened(url, "bo")
    assert sorted(r.name for r in again.refs()) == sorted(HOSTILE)
    for cid, name in zip(ids, HOSTILE, strict=True):
        client = again.get(cid)
        assert (client.name, client.company, client.damage) == (name, name, ())
    assert sql(url, "SELECT count(*) FROM clients") == [(len(HOSTILE),)]


def test_huge_text_round_trips(url, opened) -> None:
    repo = opened(url)
    big = ("a long note with 'quotes' and \\ backslashes; " * 40_000)[:1_500_000]
    client = Client(name="Big", created=DAY, contract=Contract(termination_clause=big))
    with repo.transaction() as tx:
        tx.put(client, None)
    stored = opened(url, "bo").snapshot().doc(client.id)
    assert stored["contract"]["termination_clause"] == big


@pytest.mark.parametrize("backend", ["memory", "tinydb", "postgres"])
def test_nul_is_refused_alike_by_every_backend(backend: str, url, opened, tmp_path) -> None:
    repo: Repository = {
        "memory": lambda: MemoryRepository(),
        "tinydb": lambda: TinyRepository(tmp_path / "offboard.json"),
        "postgres": lambda: opened(url),
    }[backend]()
    with repo.transaction() as tx:
        tx.put(Client(name="Ana", created=DAY), None)
    for field, value in (("email", "a\x00b"), ("company", "\x00")):
        client = Client(name="Nul", created=DAY, **{field: value})
        with pytest.raises(InvalidInput) as caught, repo.transaction() as tx:
            tx.put(client, None)
        assert caught.value.message == (
            f"'Nul' cannot be saved: {field} holds a NUL character (\\0), which no backend stores"
        )
    nested = Client(name="Deep", created=DAY)
    nested.flags.append(RedFlag(Category.PAYMENT, "paid\x00late", DAY))
    refused = pytest.raises(InvalidInput, match=r"flags\[0\]\.description holds a NUL")
    with refused, repo.transaction() as tx:
        tx.put(nested, None)
    assert [r.name for r in repo.refs()] == ["Ana"]
    repo.close()


# --- moving a board between backends ---------------------------------------------------------


def _comparable(export: dict[str, Any], imports: int) -> list[dict[str, Any]]:
    """The clients of an export, without what each import adds: its history event and one
    revision."""
    out = []
    for record in export["clients"]:
        record = dict(record)
        history = record["history"]
        assert [h["action"] for h in history[len(history) - imports :]] == ["import"] * imports
        record["history"] = history[: len(history) - imports]
        record["rev"] -= imports
        out.append(record)
    return sorted(out, key=lambda r: r["id"])


def test_the_demo_moves_from_a_file_to_the_server_and_back_losslessly(url, opened, tmp_path):
    demo_file = tmp_path / "demo.json"
    count = write_demo(demo_file, DAY)
    file_repo = TinyRepository(demo_file)
    original = services(file_repo).export_data()
    assert len(original["clients"]) == count > 0

    server = services(opened(url))
    server.import_data(original)
    from_server = server.export_data()
    assert _comparable(from_server, 1) == _comparable(original, 0)

    back_file = TinyRepository(tmp_path / "back.json")
    back = services(back_file)
    back.import_data(from_server)
    assert _comparable(back.export_data(), 2) == _comparable(original, 0)
    file_repo.close()
    back_file.close()

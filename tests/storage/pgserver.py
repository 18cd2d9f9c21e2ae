"""A throwaway PostgreSQL cluster for the tests, started from the system's own binaries.

`cluster()` starts one per test session on first use (initdb and pg_ctl in a fresh folder
under /tmp, listening only on a Unix socket inside that folder, fsync off: nothing here has
to survive a crash of the machine) and removes it when the session ends. Each test gets a
database of its own from `cluster().fresh_url()`, made with CREATE DATABASE, which takes a
few milliseconds.

Running as root (as CI does), the server runs as the `postgres` system user: PostgreSQL
refuses to run as root. Without PostgreSQL installed the tests that need it are skipped with
a message saying what to install; with CI=true they fail instead, so CI never passes by
skipping them. (Not named conftest: pytest puts this folder on sys.path, and the test
modules import it by name.)
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

try:
    import psycopg
    from psycopg import sql
except ImportError:  # the tests that need it skip, saying what to install
    psycopg = None  # type: ignore[assignment]

INSTALL_HINT = (
    "PostgreSQL's server binaries (initdb, pg_ctl) were not found: install Debian's "
    "`postgresql` package (apt-get install postgresql) to run the PostgreSQL tests"
)
SUPERUSER = "postgres"
# A role that must give a password over the socket, for the tests of refused logins.
PASSWORD_ROLE = "needs_password"
TEST_DB = "offboard_tests"


def find_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin with initdb and pg_ctl, else the PATH's."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    return None


def unavailable(reason: str) -> None:
    """Skip the test, or fail it under CI=true, where a missing server is a broken setup."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: these tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


class Cluster:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="pg-test-", dir="/tmp"))
        self.data = self.folder / "data"
        self.socket_dir = self.folder
        self._as_root = os.geteuid() == 0
        self._names = itertools.count(1)
        self.started = False

    # --- running the binaries -------------------------------------------------------------

    def _run(self, *argv: str) -> None:
        cmd = [str(self.bin_dir / argv[0]), *argv[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", SUPERUSER, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        if self._as_root:
            entry = pwd.getpwnam(SUPERUSER)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o700)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        hba = self.data / "pg_hba.conf"
        # The password role first, so its line wins over "trust everyone".
        hba.write_text(
            f"local all {PASSWORD_ROLE} scram-sha-256\nlocal all all trust\n", encoding="utf-8"
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=60"
        )
        self._options = options
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")  # fmt: skip
        self.started = True
        with self.admin() as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'right-password'").format(
                    sql.Identifier(PASSWORD_ROLE)
                )
            )
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(TEST_DB))
            )

    def restart(self) -> None:
        """Stop the server (every connection drops) and start it again. A clean stop: with
        fsync and synchronous_commit off, only a clean stop keeps the last commits."""
        self.halt()
        self.resume()

    def halt(self) -> None:
        """Stop the server cleanly, keeping its data, until `resume`."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", self._options, "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        if self.started:
            self.started = False
            with contextlib.suppress(Exception):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- addresses --------------------------------------------------------------------------

    def url(self, dbname: str, user: str = SUPERUSER, schema: str | None = None) -> str:
        """The address of a database on this cluster, as a user types it for --db."""
        url = f"postgresql://{user}@/{dbname}?host={quote(str(self.socket_dir), safe='')}"
        if schema is not None:
            url += "&options=" + quote(f"-csearch_path={schema}", safe="")
        return url

    def admin(self, dbname: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(self.url(dbname), autocommit=True)

    def fresh_url(self, user: str = SUPERUSER) -> str:
        """The address of a new, empty board (a schema of its own in the tests' database)."""
        schema = f"t{os.getpid()}_{next(self._names)}"
        with self.admin(TEST_DB) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            if user != SUPERUSER:
                conn.execute(
                    sql.SQL("GRANT ALL ON SCHEMA {} TO {}").format(
                        sql.Identifier(schema), sql.Identifier(user)
                    )
                )
        return self.url(TEST_DB, user, schema)

    def fresh_database(self) -> str:
        """A new, empty database (150 ms: only for what a schema cannot show)."""
        name = f"d{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
            )
        return name

    def terminate_others(self, dbname: str, keep_pid: int | None = None) -> int:
        """End every server process on `dbname` (but `keep_pid`); returns how many."""
        with self.admin() as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid() AND pid IS DISTINCT FROM %s",
                (dbname, keep_pid),
            ).fetchall()
        return len(rows)


_CLUSTER: Cluster | None = None
_FAILED: str | None = None


def cluster() -> Cluster:
    """The session's cluster, started on first use; skips (fails under CI=true) when
    PostgreSQL or psycopg is missing."""
    global _CLUSTER, _FAILED
    if psycopg is None:
        unavailable("psycopg is not installed: pip install 'offboard[postgres]'")
    if _CLUSTER is not None:
        return _CLUSTER
    if _FAILED is not None:
        pytest.fail(_FAILED, pytrace=False)
    bin_dir = find_bin_dir()
    if bin_dir is None:
        unavailable(INSTALL_HINT)
    assert bin_dir is not None
    started = Cluster(bin_dir)
    try:
        started.start()
    except Exception as exc:
        started.stop()
        _FAILED = f"the test PostgreSQL cluster did not start: {exc}"
        raise
    atexit.register(started.stop)
    _CLUSTER = started
    return started


def stop_cluster() -> None:
    global _CLUSTER
    if _CLUSTER is not None:
        _CLUSTER.stop()
        _CLUSTER = None

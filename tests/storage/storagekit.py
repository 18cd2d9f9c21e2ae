"""Helpers shared by the storage tests: real files, real services, child writer processes.

(Not named conftest so it cannot clash with tests/conftest.py; pytest puts this folder on
sys.path, so the test modules import it by name.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from offboard.domain.clock import FixedClock
from offboard.domain.models import Category, Client, RedFlag
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository

DAY = date(2026, 3, 2)
TARGET = "Target Client"


@dataclass(frozen=True)
class FileState:
    """What must not change when a write is refused: the bytes and the file itself."""

    data: bytes
    inode: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileState:
        st = os.stat(path)
        return cls(path.read_bytes(), st.st_ino, st.st_mtime_ns)


def make_services(path: Path, **repo_kwargs: object) -> Services:
    repo = TinyRepository(path, **repo_kwargs)  # type: ignore[arg-type]
    return Services(repo, FixedClock(DAY), actor="test", session="test-session")


def seed(path: Path, count: int, *, flags_each: int = 0, **repo_kwargs: object) -> list[str]:
    """Write `count` clients in ONE transaction (one write), plus the target client."""
    repo = TinyRepository(path, **repo_kwargs)  # type: ignore[arg-type]
    ids = []
    with repo.transaction() as tx:
        for i in range(count):
            client = Client(name=f"Client {i:04d}", email=f"c{i}@example.com", created=DAY)
            for j in range(flags_each):
                client.flags.append(
                    RedFlag(Category.PAYMENT, f"invoice {j} paid late again", DAY, severity=2)
                )
            tx.put(client, None)
            ids.append(client.id)
    repo.close()
    return ids


def add_target(path: Path) -> str:
    services = make_services(path)
    client = services.add_client(TARGET)
    services.repo.close()  # type: ignore[attr-defined]
    return client.id


def leftovers(path: Path) -> list[str]:
    """Temp files a writer left in the database's folder."""
    prefix = f".{path.name}."
    return sorted(n for n in os.listdir(path.parent) if n.startswith(prefix) and n.endswith(".tmp"))


def backups_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def child(script: str, *args: str, **popen_kwargs: object) -> subprocess.Popen[str]:
    """Start `python -c script args...` with this interpreter."""
    return subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen_kwargs,
    )


def check_flag_state(client: Client) -> int:
    """The target's flags were logged as "flag 0", "flag 1", ... one per write.

    A consistent state after n committed writes has exactly those n flags in order and one
    history event per flag after the creation event. Returns n.
    """
    n = len(client.flags)
    assert [f.description for f in client.flags] == [f"flag {i}" for i in range(n)]
    assert len(client.history) == n + 1
    assert client.history[0].action == "create"
    assert all(h.action == "flag" for h in client.history[1:]), [h.action for h in client.history]
    return n

"""A team's board on a PostgreSQL server (an optional extra: `pip install 'offboard[postgres]'`).

    connect.py      the address, connecting, and what the server's errors mean (errors.py)
    schema.py       the tables, as numbered steps, created and upgraded on first use
    transaction.py  one change in SQL: the same rules as the file (repository.py)
    repository.py   the Repository: snapshots, reconnecting, LISTEN/NOTIFY for live boards

Nothing here is imported unless a database address is used: psycopg is not needed for the
local file, and its absence is reported by `open_pg` with the command that installs it.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DriverMissing

if TYPE_CHECKING:
    from .repository import PgRepository

_URL = re.compile(r"^postgres(ql)?://", re.IGNORECASE)


def is_database_url(text: str) -> bool:
    """Whether `text` names a PostgreSQL database rather than a file."""
    return bool(_URL.match(text.strip()))


def require_driver(where: str) -> None:
    """Raises DriverMissing when psycopg cannot be imported."""
    if importlib.util.find_spec("psycopg") is None:
        raise DriverMissing(where)


def open_pg(url: str, path: Path, *, actor: str, lock_timeout: float = 5.0) -> PgRepository:
    """The repository of the board at `url` (see PgRepository). Raises DriverMissing,
    BadAddress; connecting waits for the first use."""
    require_driver(url)
    try:
        from .repository import PgRepository
    except ImportError as exc:  # installed but broken (no libpq for it, say)
        raise DriverMissing(url) from exc
    return PgRepository(url, path, actor=actor, lock_timeout=lock_timeout)

"""Writing a board built in memory (the demo, generated clients) into a new database file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..domain.errors import OffboardError
from ..domain.models import Client
from ..storage.repository import Record
from ..storage.tinyfile import TinyRepository


def write_records(path: Path, records: Iterable[Record]) -> int:
    """Add clients, given as the stored records the services made (see `Board.records`), to
    a database that holds none yet, all in one atomic write; returns the count. A new file
    is created private to the user (0600).

    Refuses (OffboardError) when the file already holds clients, leaving it exactly as it was.
    """
    repo = TinyRepository(path)
    try:
        with repo.transaction() as tx:
            if tx.all_refs():
                raise OffboardError(
                    f"{path} already holds clients; nothing was written",
                    "choose a new file, e.g. one in a temporary folder",
                )
            return tx.add_records(records)
    finally:
        repo.close()


def write_clients(path: Path, clients: Iterable[Client]) -> int:
    """`write_records` for clients: each is stored as a new client, at its first revision."""
    return write_records(path, (client.to_dict() for client in clients))

"""Schema versions of the database file and the steps between them.

Version 0 is a plain TinyDB file with clients in TinyDB's `_default` table under integer ids
(what `TinyDB(path).insert(...)` makes). Version 1 keys clients by their UUID in a `clients`
table and records the version in `_meta`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CURRENT_VERSION = 1
META_TABLE = "_meta"
META_ID = "1"

Data = dict[str, dict[str, Any]]


def version_of(data: Data) -> int:
    meta = data.get(META_TABLE, {}).get(META_ID)
    if meta is None:
        return 0
    if not isinstance(meta, dict):
        raise ValueError(f"the {META_TABLE} record is {meta!r}, not an object")
    version = meta.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ValueError(f"schema_version {version!r} is not a version number")
    return version


def stamp(data: Data, version: int = CURRENT_VERSION) -> None:
    data.setdefault(META_TABLE, {})[META_ID] = {"schema_version": version}


def _v0_to_v1(data: Data) -> Data:
    # Refuse rather than drop: a record left behind here would be gone after the next save.
    old = data.get("_default", {})
    clients = data.get("clients", {})
    for key, doc in old.items():
        client_id = doc.get("id") if isinstance(doc, dict) else None
        if not isinstance(client_id, str):
            raise ValueError(f"record {key} of the version-0 table has no client id")
        if client_id in clients:
            raise ValueError(f"client id {client_id} appears twice")
        clients[client_id] = doc
    for doc in clients.values():
        doc.setdefault("rev", 0)
    data.pop("_default", None)
    data["clients"] = clients
    return data


MIGRATIONS: dict[int, Callable[[Data], Data]] = {0: _v0_to_v1}


def migrate(data: Data) -> tuple[Data, bool]:
    """Bring data up to CURRENT_VERSION in memory; says whether anything changed."""
    version = version_of(data)
    changed = False
    while version < CURRENT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        changed = True
    if changed:
        stamp(data)
    return data, changed

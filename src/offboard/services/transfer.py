"""Export and import: a whole board as one document, imported all or nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.codec import client_from_stored
from ..domain.errors import (
    InvalidInput,
)
from ..domain.models import (
    Client,
    Problem,
)
from ..formats import counted

if TYPE_CHECKING:
    pass

from .core import ServiceCore

EXPORT_FORMAT = "offboard-export"
EXPORT_VERSION = 1


class TransferServices(ServiceCore):
    """Moving a board out of and into offboard: export and import."""

    def export_data(self) -> dict[str, Any]:
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported": self.clock.today().isoformat(),
            "clients": [c.to_dict() for c in self.clients()],
        }

    def import_data(self, data: Any, *, replace: bool = False) -> list[Client]:
        """Add every client of an export, all or none. Existing ids need `replace`."""
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise InvalidInput("this is not an offboard export", "make one with `offboard export`")
        if data.get("version") != EXPORT_VERSION:
            raise InvalidInput(f"export version {data.get('version')!r} is not supported")
        raw = data.get("clients")
        if not isinstance(raw, list):
            raise InvalidInput("the export has no list of clients")
        incoming = _decode_import(raw)
        with self.repo.transaction() as tx:
            existing = [c for c in incoming if tx.exists(c.id)]
            if existing and not replace:
                names = ", ".join(c.name for c in existing[:5])
                raise InvalidInput(
                    f"{counted(len(existing), 'client')} already exist ({names})",
                    "use --replace to overwrite them with the imported version",
                )
            changes = []
            for client in incoming:
                before = tx.get(client.id) if tx.exists(client.id) else None
                client.history.append(self._event("import", "imported"))
                tx.put(client, before.rev if before else None)
                changes.append(
                    {
                        "client_id": client.id,
                        "before": before.to_dict() if before else None,
                        "after_rev": client.rev,
                    }
                )
            self._journal(tx, f"imported {counted(len(incoming), 'client')}", changes)
        return incoming


def _decode_import(raw: list[Any]) -> list[Client]:
    """Every record of an export through the same rules as a new client, all or nothing: one
    message lists every bad field of every record with its path."""
    problems: list[str] = []
    incoming: list[Client] = []
    seen: dict[str, int] = {}
    for i, record in enumerate(raw):
        name = record.get("name") if isinstance(record, dict) else None
        where = f"clients[{i}]" + (f" ({name})" if isinstance(name, str) and name else "")
        # One decode per record: its problems are the damage the tolerant read lists, or
        # what makes it no client at all (client_problems says the same, decoding again).
        try:
            client = client_from_stored(record)
        except InvalidInput as exc:
            found: list[Problem] = [Problem("", exc.message, None)]
        else:
            found = list(client.damage)
        problems.extend(f"{where}.{p.line()}" if p.path else f"{where}: {p.message}" for p in found)
        if found:
            continue
        if client.id in seen:
            problems.append(f"{where}: the same client id twice (also clients[{seen[client.id]}])")
        seen[client.id] = i
        incoming.append(client)
    if problems:
        count = len(problems)
        raise InvalidInput(
            f"the import was refused, nothing was changed: {counted(count, 'problem')}: "
            + "; ".join(problems),
            "fix these fields in the file and import it again",
        )
    return incoming

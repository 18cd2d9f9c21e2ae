"""Calendar export: the open deadlines (every client's, or one client's) as a calendar file
with alarms, so they reach the user when offboard is closed.

An event's UID is made from the client, the kind of deadline and the record it comes from
(the invoice, the deliverable, the repair attempt, the notice conversation), never from its
date or wording: a moved date or a renamed deliverable updates the event a calendar app
already holds. The file format and the rules for updating an earlier export are icalfile's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import formats
from ..domain.alarms import read_alarms
from ..domain.models import Client
from ..domain.timers import KIND_LABELS, Deadline, agenda
from ..storage.repository import ClientRef
from .core import ServiceCore

if TYPE_CHECKING:
    from ..icalfile import CalendarEvent, Rendered

ICS_SUFFIX = ".ics"


@dataclass(frozen=True)
class CalendarExport:
    """A calendar made: its bytes, where it was written (None: nowhere, for standard output),
    whose deadlines it holds (None: every client's) and what changed against the file that
    was there."""

    rendered: Rendered
    path: Path | None
    client: Client | None

    @property
    def payload(self) -> bytes:
        return self.rendered.payload


def _token(*parts: str) -> str:
    # A separator no id or kind contains, so ("ab", "c") and ("a", "bc") differ.
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def client_token(client_id: str) -> str:
    """The part of every UID of one client's events that names the client: what an export of
    that one client recognises as its own in an earlier file."""
    return _token("offboard-client", client_id)[:16]


def event_uid(client_id: str, kind: str, record: str) -> str:
    """The stable UID of a deadline's event: "<client token>-<deadline token>@offboard"."""
    from ..icalfile import UID_DOMAIN

    deadline = _token("offboard-deadline", client_id, kind, record)[:32]
    return f"{client_token(client_id)}-{deadline}@{UID_DOMAIN}"


def summary(deadline: Deadline) -> str:
    """ "Last day: Acme Ltd", in the agenda's words for the kind."""
    kind = KIND_LABELS.get(deadline.kind, deadline.kind.replace("-", " "))
    return f"{kind[:1].upper()}{kind[1:]}: {deadline.client_name}"


def description(deadline: Deadline) -> str:
    """What the deadline is (an invoice's amount written as the CLI and the agenda write it),
    whose, and when (the date as `offboard timers` writes it)."""
    return (
        f"{formats.deadline_text(deadline)}\n"
        f"Client: {deadline.client_name}\n"
        f"Due: {deadline.due.isoformat()}\n"
        "Exported by offboard: importing a newer export updates this event."
    )


class CalendarServices(ServiceCore):
    """The deadlines as a calendar file."""

    def calendar_events(self, deadlines: Iterable[Deadline]) -> list[CalendarEvent]:
        """One event per deadline, with the alarms the settings ask for (calendar.alarms)."""
        from ..icalfile import CalendarEvent

        offsets = tuple(a.offset() for a in read_alarms(self.config.calendar_alarms))
        events: list[CalendarEvent] = []
        seen: dict[str, int] = {}
        for deadline in deadlines:
            # A deadline of a kind that names no record of its own falls back to its label:
            # stable as long as the wording is; a repeat is numbered to keep UIDs unique.
            record = deadline.record or f"label:{deadline.label}"
            key = f"{deadline.client_id}\x1f{deadline.kind}\x1f{record}"
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                record = f"{record}#{seen[key]}"
            events.append(
                CalendarEvent(
                    uid=event_uid(deadline.client_id, deadline.kind, record),
                    day=deadline.due,
                    summary=summary(deadline),
                    description=description(deadline),
                    category=deadline.kind,
                    alarms=offsets,
                    alarm_text=f"{deadline.client_name}: {deadline.label}",
                )
            )
        return events

    def export_calendar(
        self,
        ref: str | None = None,
        out: Path | None = None,
        *,
        clients: Iterable[Client] | None = None,
    ) -> CalendarExport:
        """The open deadlines of every client (of the client `ref` names) as a calendar file.

        With `out`, the file is written there (atomically, 0600), updating the calendar an
        earlier export left at that place: see icalfile. Without, nothing is written and every
        event is new. `clients` saves reading them again when the caller holds them already;
        `ref` is then looked for among them.

        Raises NotFound or Ambiguous when `ref` names no client or several; InvalidInput when
        the file at `out` is not a calendar offboard wrote (it is left as it is); FileRefused
        when it cannot be read as the user's own file (a link, a folder, too big); and
        OffboardError when the file cannot be written (nothing is written then).
        """
        from ..icalfile import read_previous, render, write

        client = None
        if ref is not None and clients is not None:
            # The caller's clients are the ones to choose from (the TUI's snapshot, read off
            # its own thread): the repository is not asked.
            pool = {c.id: c for c in clients}
            client = pool[self._resolve_id((ClientRef(c.id, c.name) for c in pool.values()), ref)]
        elif ref is not None:
            client = self.resolve(ref)
        if client is not None:
            chosen = agenda([client])
            prefix = client_token(client.id) + "-"
        else:
            chosen = agenda(self.repo.clients() if clients is None else clients)
            prefix = ""
        previous = read_previous(out) if out is not None else None
        rendered = render(
            self.calendar_events(chosen),
            self.clock.now(),
            previous,
            in_scope=lambda uid: uid.startswith(prefix),
        )
        if out is not None:
            write(out, rendered.payload)
        return CalendarExport(rendered, out, client)

    def calendar_path(self, client: Client | None = None) -> Path:
        """Where the TUI puts a calendar: beside the database, `offboard.ics` for every
        client's deadlines, `offboard-<name>-<id>.ics` for one client's."""
        db = self.repo.path
        if client is None:
            return db.with_name(db.stem + ICS_SUFFIX)
        slug = re.sub(r"[^a-z0-9]+", "-", client.name.lower()).strip("-")[:40].strip("-")
        name = "-".join(part for part in (db.stem, slug, client.id[:8]) if part)
        return db.with_name(name + ICS_SUFFIX)

"""The calendar key of the agenda and of the client screen: the deadlines (every client's, or
the one client's) written as a .ics file beside the database, the same file each time, so
importing it again updates the calendar app's events instead of adding copies."""

from __future__ import annotations

import threading
from functools import partial

from textual.app import App
from textual.screen import Screen

from ..domain.errors import OffboardError
from ..domain.models import Client
from ..formats import counted
from ..services import ClientSnapshot, Services
from .core import core
from .fixes import error_text
from .workers import thread_work

# Two exports of the same file must not interleave: each reads the previous export to carry
# its sequence numbers forward.
_writing = threading.Lock()


def export_calendar(node: Screen[None], client_id: str | None = None) -> None:
    """Write the calendar in a thread worker (a board of thousands takes a moment to turn into
    events, and the keys must not wait for it) and say where in a notification; an error says
    why nothing was written."""
    app = core(node)
    client = app.clients.get(client_id) if client_id is not None else None
    if client_id is not None and client is None:
        node.notify("That client no longer exists.", severity="warning")
        return
    node.run_worker(
        partial(_write, node.app, app.services, node, client, app.clients),
        name="calendar export",
        group="calendar",
        thread=True,
    )


def _write(
    app: App[object],
    services: Services,
    node: Screen[None],
    client: Client | None,
    clients: ClientSnapshot,
) -> None:
    # The app and the services are handed in: a thread has no active app to look them up by.
    with thread_work(), _writing:
        try:
            path = services.calendar_path(client)
            if client is None:
                made = services.export_calendar(None, path, clients=clients.values())
            else:
                made = services.export_calendar(client.id, path, clients=[client])
        except OffboardError as exc:
            app.call_from_thread(
                node.notify,
                error_text(exc),
                title="Calendar not written",
                severity="error",
                timeout=10,
            )
            return
    done = made.rendered
    whose = f" of {client.name}" if client is not None else ""
    changes = [f"{done.new} new", f"{done.changed} changed"]
    if done.cancelled:
        changes.append(f"{done.cancelled} cancelled")
    app.call_from_thread(
        node.notify,
        f"Wrote {counted(done.events, 'deadline')}{whose} to {path} ({', '.join(changes)}). "
        "Import it into your calendar app; after the next export, import it again to update.",
        title="Calendar exported",
        timeout=12,
    )

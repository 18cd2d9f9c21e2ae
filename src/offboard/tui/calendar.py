"""The calendar key of the agenda and of the client screen: the deadlines (every client's, or
the one client's) written as a .ics file beside the database, the same file each time, so
importing it again updates the calendar app's events instead of adding copies."""

from __future__ import annotations

from textual.screen import Screen

from ..domain.errors import OffboardError
from ..formats import counted
from .core import core
from .fixes import error_text


def export_calendar(node: Screen[None], client_id: str | None = None) -> None:
    """Write the calendar and say where in a notification; an error says why nothing was
    written."""
    app = core(node)
    try:
        client = app.clients.get(client_id) if client_id is not None else None
        if client_id is not None and client is None:
            node.notify("That client no longer exists.", severity="warning")
            return
        services = app.services
        path = services.calendar_path(client)
        made = services.export_calendar(client_id, path, clients=app.clients.values())
    except OffboardError as exc:
        node.notify(error_text(exc), title="Calendar not written", severity="error", timeout=10)
        return
    done = made.rendered
    whose = f" of {client.name}" if client is not None else ""
    changes = [f"{done.new} new", f"{done.changed} changed"]
    if done.cancelled:
        changes.append(f"{done.cancelled} cancelled")
    node.notify(
        f"Wrote {counted(done.events, 'deadline')}{whose} to {path} ({', '.join(changes)}). "
        "Import it into your calendar app; after the next export, import it again to update.",
        title="Calendar exported",
        timeout=12,
    )

"""The TUI. For now one screen lists the clients by stage; the kanban board replaces it."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from ..checklists import load_checklists
from ..config import load_config
from ..domain.clock import Clock
from ..domain.models import Stage
from ..domain.timers import next_deadline
from ..services import Services, default_actor
from ..storage.repository import TinyRepository


def open_services(db_path: Path, clock: Clock) -> Services:
    """Open the database and read it once, so a broken file is reported before the UI starts."""
    config = load_config()
    db_path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    repo = TinyRepository(db_path, backups=config.backups)
    services = Services(repo, clock, config, load_checklists(), actor=default_actor("tui"))
    services.clients()
    return services


class OffboardApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "offboard"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+r", "reload", "Reload", id="reload"),
    ]

    def __init__(
        self, db_path: Path, clock: Clock, *, demo: bool = False, services: Services | None = None
    ) -> None:
        super().__init__()
        self.clock = clock
        self.services = services or open_services(db_path, clock)
        self.sub_title = "demo data (not saved)" if demo else str(db_path)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield DataTable(id="clients", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Stage", "Client", "Archetype", "Flags", "Open", "Next deadline")
        self.reload()
        # Another process (a CLI command) may change the file: look every 2 seconds.
        self.set_interval(2.0, self._poll)

    def _poll(self) -> None:
        if self.services.repo.changed_on_disk():
            self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        today = self.clock.today()
        clients = self.services.clients()
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for c in clients:
            nxt = next_deadline(c)
            owed = c.outstanding()
            stage = c.stage.label if not c.outcome else f"{c.stage.label} ({c.outcome.value})"
            table.add_row(
                stage,
                c.name,
                c.archetype.value if c.archetype else "",
                str(len(c.flags)),
                f"{owed} {c.currency}" if owed else "",
                nxt.countdown(today) if nxt else "",
                key=c.id,
            )
        if clients:
            table.move_cursor(row=min(row, len(clients) - 1))
        counts = {s: 0 for s in Stage}
        for c in clients:
            counts[c.stage] += 1
        self.query_one("#summary", Static).update(
            "  ".join(f"{s.label} {n}" for s, n in counts.items()) + f"   today {today}"
        )

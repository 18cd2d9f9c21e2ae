"""Starting the TUI: on the user's database, or on a throwaway copy of demo data."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..domain.clock import Clock


def run_tui(db_path: Path, clock: Clock, *, demo: bool = False) -> None:
    if demo:
        from ..demo import write_demo

        with tempfile.TemporaryDirectory(prefix="offboard-demo-") as folder:
            demo_path = Path(folder) / "offboard.json"
            write_demo(demo_path, clock.today())
            _run(demo_path, clock, demo=True)
        return
    _run(db_path, clock, demo=False)


def _run(db_path: Path, clock: Clock, *, demo: bool) -> None:
    from .app import OffboardApp

    OffboardApp(db_path, clock, demo=demo).run()

"""Starting the TUI: on the user's database, or on a throwaway copy of demo data."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import DbLocation
from ..domain.clock import Clock

if TYPE_CHECKING:
    from ..config_keys import KeyNames

# What the command exits with when the UI stopped on an error of ours (Textual has already
# printed the traceback): the same "please report this" status as the CLI's catch-all.
EXIT_CRASHED = 2


def run_tui(db_path: DbLocation, clock: Clock, *, demo: bool = False) -> int:
    """Run the app; returns the exit status (0 after a normal quit)."""
    if demo:
        from ..demo import write_demo

        with tempfile.TemporaryDirectory(prefix="offboard-demo-") as folder:
            demo_path = Path(folder) / "offboard.json"
            write_demo(demo_path, clock.today())
            return _run(demo_path, clock, demo=True)
    return _run(db_path, clock, demo=False)


def key_names() -> KeyNames:
    """What the config's [keys] may name (the TUI's binding ids and Textual's key names), for
    `offboard config`: besides starting the app, the one thing the CLI asks of the TUI (it
    loads Textual, so no other command asks)."""
    from .userconfig import key_names as names

    return names()


def _run(db_path: DbLocation, clock: Clock, *, demo: bool) -> int:
    from .app import OffboardApp

    app = OffboardApp(db_path, clock, demo=demo)
    app.run()
    if app.database.fatal is not None:
        # The database could not be opened after the first frame (drawn from a preview):
        # reported as if it had failed before the app started.
        raise app.database.fatal
    if app.return_code:
        print(
            "offboard: the terminal UI stopped on an unexpected error (please report this); "
            "every change saved before it is kept",
            file=sys.stderr,
        )
        return EXIT_CRASHED
    return 0

"""The running app's database: a preview of the file for the board's first frame, then the
repository, opened once, and its latest snapshot.

Opening a 10,000-client file means parsing 18 MB; the board's first frame needs only each
client's name, stage and revision (bootstrap.preview_board). So the app draws that frame from
the preview and opens the repository right after it, before any key is handled (app.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..collector import paused_gc
from ..config import Config, DbLocation
from ..domain.errors import OffboardError
from ..domain.models import Client

if TYPE_CHECKING:
    from ..services import ClientSnapshot, Repository


def open_repository(
    db_path: DbLocation, config: Config, preview: Mapping[str, Client] | None = None
) -> tuple[Repository, ClientSnapshot]:
    """Open the database and read it once, so a broken file is reported before the UI starts
    (or, after a first frame drawn from `preview`, before any key is taken).

    Records are decoded when first shown: the board needs every name and stage but the
    full record of only the cards on screen.
    """
    from ..bootstrap import open_repository as open_repo

    # What is loaded lives as long as the app: frozen before the collector runs again.
    with paused_gc(freeze=True):
        repo = open_repo(db_path, config, long_lived=True, preview=preview)
        snapshot = repo.snapshot()
    return repo, snapshot


class Database:
    """The repository and the latest snapshot of its clients, or, until `open`, a preview."""

    def __init__(self, db_path: DbLocation, config: Config, repo: Repository | None = None) -> None:
        """`repo`: one opened already (tests, the demo's services); else the file's preview,
        or the repository opened at once when there is none (see bootstrap.preview_board)."""
        from ..bootstrap import preview_board

        self.path = db_path
        self.repo = repo
        self.clients: ClientSnapshot | None = None if repo is None else repo.snapshot()
        # Until the repository is open: what the board's first frame is drawn from.
        self.preview = None if repo is not None else preview_board(db_path)
        # What stopped the repository from opening after the first frame: the app ends, and
        # run_tui reports it as it would have before the app started.
        self.fatal: OffboardError | None = None
        if self.repo is None and self.preview is None:
            self.open(config)

    def open(self, config: Config) -> bool:
        """Open the repository (from the bytes the preview read, if the file is still that
        version); True if the board was drawn from the preview, and must now point its cards
        at the records. Raises what bootstrap.open_repository and the first read raise."""
        self.repo, self.clients = open_repository(self.path, config, self.preview)
        drawn_from_preview, self.preview = self.preview is not None, None
        return drawn_from_preview

    def board_clients(self) -> Mapping[str, Client]:
        """A preview while the repository is not open, else the clients."""
        if self.preview is not None:
            return self.preview
        assert self.clients is not None
        return self.clients

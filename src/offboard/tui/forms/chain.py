"""Keeping the expected revision right while a screen's earlier changes are still being saved.

Changes to an existing client carry the revision the user was looking at, so an edit based on
a stale view is refused instead of overwriting someone else's change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...domain.errors import OffboardError
    from ...domain.models import Client
    from ...services import Services
    from ..core import AppCore

# A change to run on the writer thread: (services, expected revision) -> the changed client.
Call = Callable[["Services", "int | None"], "Client"]


class RevChain:
    """The revision the next change of one client should expect.

    A screen that sends several changes quickly (space, space, space) cannot wait for each
    snapshot before sending the next: the writer thread runs them in order, and each one
    expects the revision the one before it produced. Outside changes are picked up with
    `resync` only when none of this screen's changes are under way.
    """

    def __init__(self, rev: int) -> None:
        self.rev = rev
        self.inflight = 0

    def resync(self, rev: int) -> None:
        if self.inflight == 0:
            self.rev = rev

    def submit(
        self,
        app: AppCore,
        label: str,
        call: Call,
        *,
        on_done: Callable[[Client], None] | None = None,
        on_error: Callable[[OffboardError], None] | None = None,
    ) -> None:
        """Queue `call` on the writer thread of `app` (what `core(screen)` returns)."""
        self.inflight += 1

        def run(services: Services) -> Client:
            client = call(services, self.rev)
            self.rev = client.rev
            return client

        def done(client: Client) -> None:
            self.inflight = max(0, self.inflight - 1)
            if on_done is not None:
                on_done(client)

        def failed(error: OffboardError) -> None:
            self.inflight = max(0, self.inflight - 1)
            if on_error is not None:
                on_error(error)

        app.submit(label, run, on_done=done, on_error=failed)

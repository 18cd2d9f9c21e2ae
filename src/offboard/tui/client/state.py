"""What the client screen and its tabs share about the client in view."""

from __future__ import annotations

from typing import Any

from ..forms import RevChain


class ClientState:
    """Which client, the revision the user is looking at, and the quick changes that show
    already but are not saved yet.

    Quick changes (space on a checklist item) show at once and are saved in order behind the
    scenes; each carries the revision the user was looking at (`chain`), so a change based on
    an old view is refused instead of overwriting someone else's.
    """

    def __init__(self, client_id: str) -> None:
        self.client_id = client_id
        # Set from the snapshot when the screen opens.
        self.chain = RevChain(0)
        # What quick changes already show, before the saved snapshot arrives: key -> value.
        self.pending: dict[tuple[str, str], Any] = {}

    def settled(self) -> bool:
        """No change of this screen's is on its way: the snapshot is the whole truth."""
        return self.chain.inflight == 0

"""Undoing changes: each change keeps what the client looked like before it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.codec import client_from_stored
from ..domain.errors import (
    NothingToUndo,
    StaleEdit,
)
from ..storage.repository import Transaction

if TYPE_CHECKING:
    pass

from .core import ServiceCore


class HistoryServices(ServiceCore):
    """Undoing changes."""

    def undo(self, *, this_session_only: bool = False) -> str:
        """Undo the newest change (of this session only, for the TUI); returns its summary."""
        with self.repo.transaction() as tx:
            entry = tx.journal_pop(self.session if this_session_only else None)
            if entry is None:
                raise NothingToUndo("there is nothing to undo")
            for item in reversed(entry["changes"]):
                self._undo_one(tx, item, entry["summary"])
        return str(entry["summary"])

    def _undo_one(self, tx: Transaction, item: dict[str, Any], summary: str) -> None:
        cid, before, after_rev = item["client_id"], item["before"], item["after_rev"]
        current = tx.get(cid) if tx.exists(cid) else None
        current_rev = None if current is None else current.rev
        if current_rev != after_rev:
            raise StaleEdit(
                f"cannot undo '{summary}': the client was changed again since",
                "undo the later change first, or edit the client by hand",
            )
        if before is None:
            tx.delete(cid)
            return
        if "history_len" in before:
            # The journal keeps no copy of the history: it was the current one, cut back.
            assert current is not None
            history = [h.to_dict() for h in current.history[: before["history_len"]]]
            before = {**before, "history": history}
            del before["history_len"]
        restored = client_from_stored(before)
        restored.history.append(self._event("undo", f"undid: {summary}"))
        if current_rev is not None:
            restored.rev = current_rev
        tx.put(restored, current_rev)
        tx.journal_rebase(cid, before["rev"], restored.rev)

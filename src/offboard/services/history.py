"""Undo and redo: each change keeps what the client looked like before it, each undo what it
looked like before the undo, so a run of undos can be walked back with redo until the next
new change."""

from __future__ import annotations

from typing import Any

from ..domain.codec import client_from_stored
from ..domain.errors import NothingToUndo, StaleEdit
from ..domain.models import Client
from ..storage.repository import REDO, UNDO, Transaction
from .core import ServiceCore, without_history


class HistoryServices(ServiceCore):
    """Undoing and redoing changes."""

    def undo(self, *, this_session_only: bool = False) -> str:
        """Undo the newest change (of this session only, for the TUI); returns its summary.

        Raises NothingToUndo, and StaleEdit when the client was changed again since (undo the
        later change first)."""
        with self.repo.transaction() as tx:
            entry = tx.journal_pop(self.session if this_session_only else None, UNDO)
            if entry is None:
                raise NothingToUndo("there is nothing to undo")
            summary = str(entry["summary"])
            redo = [self._undo_one(tx, item, summary) for item in reversed(entry["changes"])]
            self._journal(tx, summary, redo[::-1], kind=REDO, new_change=False)
        return summary

    def redo(self, *, this_session_only: bool = False) -> str:
        """Redo the newest undone change (of this session only, for the TUI); returns its
        summary. Possible until the next new change.

        Raises NothingToUndo when nothing was undone since the last change, and StaleEdit
        when the client was changed since the undo."""
        with self.repo.transaction() as tx:
            entry = tx.journal_pop(self.session if this_session_only else None, REDO)
            if entry is None:
                raise NothingToUndo("there is nothing to redo", "redo follows an undo")
            summary = str(entry["summary"])
            undo = [self._redo_one(tx, item, summary) for item in entry["changes"]]
            self._journal(tx, summary, undo, new_change=False)
        return summary

    def _current(self, tx: Transaction, cid: str, expected: int | None, what: str) -> Client | None:
        current = tx.get(cid) if tx.exists(cid) else None
        if (None if current is None else current.rev) != expected:
            by = current.history[-1].actor if current is not None and current.history else None
            if by is not None and by != self.actor:
                # On a shared board the later change may be a colleague's, which is theirs to
                # undo, never this user's.
                raise StaleEdit(
                    f"cannot {what}: the client was changed again since, by {by}",
                    "edit the client by hand, or ask them to undo their change first",
                )
            raise StaleEdit(
                f"cannot {what}: the client was changed again since",
                f"{what.split()[0]} the later change first, or edit the client by hand",
            )
        return current

    def _undo_one(self, tx: Transaction, item: dict[str, Any], summary: str) -> dict[str, Any]:
        """Put one client back as it was before the change; returns how to redo it."""
        cid, before, after_rev = item["client_id"], item["before"], item["after_rev"]
        current = self._current(tx, cid, after_rev, f"undo '{summary}'")
        if before is None:
            assert current is not None
            tx.delete(cid)
            # Nothing of the client is left to take the history from: keep all of it.
            return {"client_id": cid, "after": current.to_dict(), "after_rev": None}
        if "history_len" in before:
            # The journal keeps no copy of the history: it was the current one, cut back.
            assert current is not None
            history = [h.to_dict() for h in current.history[: before["history_len"]]]
            before = {**before, "history": history}
            del before["history_len"]
        restored = client_from_stored(before)
        restored.history.append(self._event("undo", f"undid: {summary}"))
        current_rev = None if current is None else current.rev
        if current_rev is not None:
            restored.rev = current_rev
        tx.put(restored, current_rev)
        tx.journal_rebase(cid, before["rev"], restored.rev)
        after = None if current is None else without_history(current.to_dict())
        return {"client_id": cid, "after": after, "after_rev": restored.rev}

    def _redo_one(self, tx: Transaction, item: dict[str, Any], summary: str) -> dict[str, Any]:
        """Make one client again what the undone change had made it; returns how to undo."""
        cid, after, expected = item["client_id"], item["after"], item["after_rev"]
        current = self._current(tx, cid, expected, f"redo '{summary}'")
        if after is None:
            assert current is not None
            tx.delete(cid)
            return {"client_id": cid, "before": current.to_dict(), "after_rev": None}
        state = dict(after)
        if "history_len" in state:
            # The history goes on from what it is now (the undo is part of it).
            assert current is not None
            del state["history_len"]
            state["history"] = [h.to_dict() for h in current.history]
        again = client_from_stored(state)
        again.history.append(self._event("redo", f"redid: {summary}"))
        before = None if current is None else without_history(current.to_dict())
        if current is None:
            tx.put(again, None)
        else:
            again.rev = current.rev
            tx.put(again, current.rev)
        # Older redo entries were written against the state this one brings back.
        tx.journal_rebase(cid, after["rev"], again.rev)
        return {"client_id": cid, "before": before, "after_rev": again.rev}

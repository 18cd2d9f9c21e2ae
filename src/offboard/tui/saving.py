"""The one writer: every change the UI makes runs here, in order, off the UI thread.

A keystroke never waits for the disk. The UI applies what it can see at once, queues the
service call, and is told on its own thread whether the save worked. Failures that mean "try
again" (disk full, lock held) keep the operation queued as unsaved, so nothing is dropped
silently; failures that mean "this cannot be done" (a stale edit, a gate) are reported so the
caller can put its view back.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain.errors import OffboardError
from ..services import ClientSnapshot, DatabaseLocked, Services, WriteFailed

# Failures worth retrying: the change itself is fine, the disk or the lock was not.
RETRYABLE = (WriteFailed, DatabaseLocked)


def _noop(_: Services) -> None:
    return None


class _Unchanged(Exception):
    """The outside-change check found nothing: no snapshot to deliver."""


def _check_outside(services: Services) -> None:
    if not services.repo.changed_on_disk():
        raise _Unchanged


@dataclass
class Operation:
    label: str
    run: Callable[[Services], Any]
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[OffboardError], None] | None = None


class SaveQueue:
    """Runs operations one at a time on a daemon thread.

    `deliver` is how results get back to the UI thread (App.call_from_thread in the app, a
    direct call in tests of this class).
    """

    def __init__(
        self,
        services: Services,
        deliver: Callable[..., Any],
        *,
        on_saved: Callable[[Operation, Any, ClientSnapshot | None], None],
        on_failed: Callable[[Operation, OffboardError, bool], None],
        on_snapshot: Callable[[ClientSnapshot | None], None],
    ) -> None:
        self.services = services
        self._deliver = deliver
        self._on_saved = on_saved
        self._on_failed = on_failed
        self._on_snapshot = on_snapshot
        self._queue: queue.Queue[Operation | None] = queue.Queue()
        self._unsaved: list[Operation] = []
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._pending = 0
        self._thread = threading.Thread(target=self._loop, name="offboard-saver", daemon=True)
        self._thread.start()

    # --- called from the UI thread ---------------------------------------------------------

    def submit(self, op: Operation) -> None:
        with self._lock:
            self._pending += 1
            self._idle.clear()
        self._queue.put(op)

    @property
    def unsaved(self) -> list[Operation]:
        with self._lock:
            return list(self._unsaved)

    def retry_unsaved(self) -> int:
        with self._lock:
            waiting, self._unsaved = self._unsaved, []
        for op in waiting:
            self.submit(op)
        return len(waiting)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every submitted operation has finished (tests, quitting)."""
        return self._idle.wait(timeout)

    def refresh_if_changed(self) -> None:
        """Queue a look at the file; a snapshot is delivered only if another process saved."""
        self.submit(Operation("checking for outside changes", _check_outside))

    def close(self) -> None:
        self._queue.put(None)

    # --- the writer thread -----------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            op = self._queue.get()
            if op is None:
                return
            with self._lock:
                blocked = bool(self._unsaved)
            if blocked:
                # An earlier change is waiting for a retry: later ones wait behind it, so the
                # file never gets them out of order.
                with self._lock:
                    self._unsaved.append(op)
                self._finish()
                continue
            try:
                result = op.run(self.services)
            except _Unchanged:
                self._finish()
                continue
            except OffboardError as exc:
                retry = isinstance(exc, RETRYABLE)
                if retry:
                    with self._lock:
                        self._unsaved.append(op)
                self._deliver(self._on_failed, op, exc, retry)
            except Exception as exc:
                error = OffboardError(f"{op.label} failed unexpectedly: {exc!r}")
                self._deliver(self._on_failed, op, error, False)
            else:
                self._deliver(self._on_saved, op, result, self._snapshot())
                self._finish()
                continue
            self._deliver(self._on_snapshot, self._snapshot())
            self._finish()

    def _snapshot(self) -> ClientSnapshot | None:
        """The clients as stored now, read here so the UI thread never touches the file (the
        records are decoded later, on the UI thread, from this snapshot's copies)."""
        try:
            return self.services.repo.snapshot()
        except OffboardError as exc:
            self._deliver(self._on_failed, Operation("reading the database", _noop), exc, False)
            return None

    def _finish(self) -> None:
        with self._lock:
            self._pending -= 1
            if self._pending == 0:
                self._idle.set()

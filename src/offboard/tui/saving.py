"""The one writer: every change the UI makes runs here, in order, off the UI thread.

A keystroke never waits for the disk. The UI applies what it can see at once, queues the
service call, and is told on its own thread whether the save worked. Failures that mean "try
again" (disk full, lock held) keep the operation queued as unsaved, so nothing is dropped
silently; failures that mean "this cannot be done" (a stale edit, a gate) are reported so the
caller can put its view back.

A team's board can lose its server (ServerGone). The writer then goes offline: it says so to
the UI (which shows a banner, not a passing message), keeps every change as unsaved without
trying it, and tries the server again after half a second, doubling to ten. Once it answers,
the whole board is read again (a colleague may have changed anything meanwhile), and the
unsaved changes are tried again in the order they were made; one that has gone stale is
refused as any stale edit is.
"""

from __future__ import annotations

import gc
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain.errors import OffboardError
from ..services import ClientSnapshot, DatabaseLocked, ServerGone, Services, WriteFailed

# Failures worth retrying: the change itself is fine, the disk, the lock or the server was not.
RETRYABLE = (WriteFailed, DatabaseLocked)
# A snapshot that changed this few clients has them decoded on the writer thread (see
# _snapshot); more (a file replaced from outside) are decoded when shown, as ever.
DECODED_AHEAD = 64
# Pauses between attempts to reach a server that went away: doubling from the first to the last.
FIRST_PAUSE = 0.5
LONGEST_PAUSE = 10.0


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
    # A look for outside changes, not a change: never kept as unsaved, skipped while offline.
    background: bool = False


@dataclass(frozen=True)
class Offline:
    """What the UI is told while the server cannot be reached: why (the last attempt's
    error), how many changes wait, and the pause before the next attempt."""

    error: OffboardError
    unsaved: int
    retry_every: float

    @property
    def where(self) -> str:
        return self.error.where if isinstance(self.error, ServerGone) else ""


class SaveQueue:
    """Runs operations one at a time on a daemon thread.

    `deliver` is how results get back to the UI thread (App.call_from_thread in the app, a
    direct call in tests of this class). `on_offline` hears an Offline while the server is
    away (again each time what it says changes) and None once it is back.
    """

    def __init__(
        self,
        services: Services,
        deliver: Callable[..., Any],
        *,
        on_saved: Callable[[Operation, Any, ClientSnapshot | None], None],
        on_failed: Callable[[Operation, OffboardError, bool], None],
        on_snapshot: Callable[[ClientSnapshot | None], None],
        on_offline: Callable[[Offline | None], None] | None = None,
    ) -> None:
        self.services = services
        self._deliver = deliver
        self._on_saved = on_saved
        self._on_failed = on_failed
        self._on_snapshot = on_snapshot
        self._on_offline = on_offline
        self._queue: queue.Queue[Operation | None] = queue.Queue()
        self._unsaved: list[Operation] = []
        self.last: ClientSnapshot | None = None  # the snapshot delivered last (or seeded)
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._pending = 0
        # Offline: the error that said so (None while online), the pause, the next attempt.
        self._offline: OffboardError | None = None
        self._pause = FIRST_PAUSE
        self._next_try = 0.0
        self._told: Offline | None = None
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

    @property
    def offline(self) -> bool:
        return self._offline is not None

    def retry_unsaved(self) -> int:
        """Try the unsaved changes again now; returns how many there are. Offline, this is an
        attempt to reach the server now, which retries them if it answers."""
        if self._offline is not None:
            self._next_try = 0.0
            self.submit(Operation("trying the server again", _noop, background=True))
            return len(self.unsaved)
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
        self.submit(Operation("checking for outside changes", _check_outside, background=True))

    def close(self) -> None:
        self._queue.put(None)

    # --- the writer thread -----------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            if self._offline is not None and time.monotonic() >= self._next_try:
                self._reconnect()
            try:
                op = self._queue.get(timeout=self._until_next_try())
            except queue.Empty:
                continue
            if op is None:
                return
            try:
                self._handle(op)
            finally:
                self._finish()

    def _until_next_try(self) -> float | None:
        if self._offline is None:
            return None
        return max(0.0, self._next_try - time.monotonic())

    def _handle(self, op: Operation) -> None:
        with self._lock:
            blocked = bool(self._unsaved)
        if op.background:
            # Offline, reaching the server is the writer's own business (see _reconnect);
            # with changes unsaved, the look waits until they are saved.
            if self._offline is None and not blocked:
                self._attempt(op)
            return
        if blocked or self._offline is not None:
            # An earlier change is waiting for a retry (or the server is away): later ones
            # wait behind it, so the database never gets them out of order.
            with self._lock:
                self._unsaved.append(op)
            if self._offline is not None:
                self._deliver(self._on_failed, op, self._offline, True)
                self._tell_offline()
            return
        self._attempt(op)

    def _attempt(self, op: Operation) -> None:
        try:
            result = op.run(self.services)
        except _Unchanged:
            return
        except ServerGone as exc:
            # A change that may have been committed is not repeated blindly.
            retry = not op.background and not exc.unknown
            if retry:
                with self._lock:
                    self._unsaved.append(op)
            self._go_offline(exc)  # first: the UI words the failure by it
            if not op.background:
                self._deliver(self._on_failed, op, exc, retry)
            return
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
            return
        self._deliver(self._on_snapshot, self._snapshot())

    def _snapshot(self) -> ClientSnapshot | None:
        """The clients as stored now, read here so the UI thread never touches the file (the
        clients a save changed are decoded here too; the rest when the UI asks)."""
        try:
            # Each knows what changed since the last: the board updates only those clients.
            older, self.last = self.last, self.services.repo.snapshot().following(self.last)
            self._decode_changed(self.last, older)
            # What this save made (records encoded, clients decoded) is collected here, before
            # the result goes to the UI thread: the collection it makes due would otherwise
            # land there as the result is merged, before a key pressed meanwhile (1.4 ms at
            # 50,000 clients, most of that key's wait).
            gc.collect(1)
            return self.last
        except ServerGone as exc:
            self._go_offline(exc)
            return None
        except OffboardError as exc:
            self._deliver(self._on_failed, Operation("reading the database", _noop), exc, False)
            return None

    @staticmethod
    def _decode_changed(snapshot: ClientSnapshot, older: ClientSnapshot | None) -> None:
        """Decode the clients a save changed here, before the UI thread hears of it: the board
        shows a changed client at once, and would otherwise decode it on the UI thread, as the
        next key waits (a client with a long history takes a millisecond). The repository
        keeps what it decodes per revision, so the board's decode finds it done."""
        changed = None if older is None else snapshot.changed_since(older)
        if changed is None or len(changed) > DECODED_AHEAD:
            return
        for client_id in changed:
            try:
                snapshot[client_id]
            except (KeyError, OffboardError):
                continue  # removed, or damaged: the UI says so when it reads it

    # --- offline -----------------------------------------------------------------------------

    def _go_offline(self, error: OffboardError) -> None:
        if self._offline is None:
            self._pause = FIRST_PAUSE
        self._offline = error
        self._next_try = time.monotonic() + self._pause
        self._tell_offline()

    def _tell_offline(self) -> None:
        state = None
        if self._offline is not None:
            state = Offline(self._offline, len(self.unsaved), self._pause)
        if state != self._told:
            self._told = state
            if self._on_offline is not None:
                self._deliver(self._on_offline, state)

    def _reconnect(self) -> None:
        """One attempt to reach the server: read the whole board, listen again, then save
        what waited, in order."""
        repo = self.services.repo
        try:
            # Every client's revision compared with the server's: whatever changed meanwhile
            # is read again, and the board told which.
            snapshot = repo.snapshot().following(self.last)
            repo.changed_on_disk()  # listening again; the snapshot is already the news
        except Exception as exc:  # still away, or refusing: try again after a longer pause
            error = exc if isinstance(exc, OffboardError) else OffboardError(repr(exc))
            self._pause = min(self._pause * 2, LONGEST_PAUSE)
            self._go_offline(error)
            return
        self._offline = None
        self.last = snapshot
        self._tell_offline()
        self._deliver(self._on_snapshot, snapshot)
        with self._lock:
            waiting, self._unsaved = self._unsaved, []
            self._pending += len(waiting)
            self._idle.clear()
        for op in waiting:
            try:
                self._handle(op)
            finally:
                self._finish()

    def _finish(self) -> None:
        with self._lock:
            self._pending -= 1
            if self._pending == 0:
                self._idle.set()

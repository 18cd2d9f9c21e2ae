"""The write lock of a database file: an exclusive flock on a side file (`NAME.lock`).

Every save, restore and crash cleanup holds it for as long as the write takes, so two
processes never interleave their saves. It is only ever held while writing: readers never take
it, and a process that waits for it waits in the kernel's queue, not by polling.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from ..files import FileRefused, describe_os_error, open_own
from .errors import DatabaseLocked, WriteFailed


def lock_path_of(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def acquire_lock(path: Path, timeout: float) -> int:
    """Take the exclusive write lock of the database at `path`; returns the fd to release.

    A busy lock is waited for in the kernel's queue (a blocking flock in a helper thread),
    not by polling: a poller almost never catches the moment between two saves of a process
    that saves in a loop, and would starve until it timed out.

    Raises DatabaseLocked when the lock stayed busy for `timeout` seconds, and WriteFailed
    when the lock file cannot be created, is not this user's own, or cannot be locked.
    """
    try:
        fd = open_own(lock_path_of(path))
    except FileRefused as exc:
        raise WriteFailed(path, exc.message, hint=exc.hint) from None
    except OSError as exc:
        reason, hint = describe_os_error(exc, lock_path_of(path))
        raise WriteFailed(path, f"cannot create the lock file ({reason})", hint=hint) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        pass
    except BaseException:
        os.close(fd)
        raise
    if timeout <= 0:
        os.close(fd)
        raise DatabaseLocked(path, timeout)
    waiter = _LockWaiter(fd)
    try:
        acquired = waiter.done.wait(timeout)
    except BaseException:  # e.g. Ctrl-C while waiting: never keep or leak the lock
        if waiter.abandon():
            release_lock(fd)
        raise
    if not acquired and not waiter.abandon():
        raise DatabaseLocked(path, timeout)  # the waiter closes fd once it gets the lock
    if waiter.error is not None:
        os.close(fd)
        raise WriteFailed(path, f"cannot lock the database ({waiter.error.strerror})")
    return fd


class _LockWaiter:
    """Blocks in flock on behalf of acquire_lock, which may give up waiting (abandon)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.done = threading.Event()
        self.error: OSError | None = None
        self._guard = threading.Lock()
        self._abandoned = False
        threading.Thread(target=self._run, name="offboard-lock-wait", daemon=True).start()

    def _run(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError as exc:
            self.error = exc
        with self._guard:
            if not self._abandoned:
                self.done.set()
                return
        # Nobody wants it any more: let go at once.
        if self.error is None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)

    def abandon(self) -> bool:
        """Stop waiting. True if the lock (or an error) had already arrived: then the caller
        owns fd after all. False: the waiter will release and close fd itself."""
        with self._guard:
            if self.done.is_set():
                return True
            self._abandoned = True
            return False


def release_lock(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold the write lock of the database at `path` for the body (errors: acquire_lock)."""
    fd = acquire_lock(path, timeout)
    try:
        yield
    finally:
        release_lock(fd)

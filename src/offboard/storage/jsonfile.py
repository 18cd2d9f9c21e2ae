"""A TinyDB storage that never leaves a broken file behind and never re-reads what it knows.

TinyDB's stock JSONStorage truncates the file and writes it in place, so a crash mid-write
leaves half a database. Here every save writes a temporary file in the same folder, fsyncs it,
renames it over the old file and fsyncs the folder: after a crash at any instant the path holds
either the old or the new state.

Reads are cached and validated by the file's identity (inode, size, mtime): a write by another
process replaces the inode, so the next read notices and reloads, and an unchanged file is
never parsed twice. Writes happen inside `transaction()`, which holds an exclusive lock on a
side file for as long as the write takes, so two processes never interleave their saves.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from . import migrations
from .errors import CorruptDatabase, DatabaseLocked, UnsupportedVersion, WriteFailed

Data = dict[str, dict[str, Any]]
Signature = tuple[int, int, int]

TMP_SUFFIX = ".tmp"


def _signature(st: os.stat_result) -> Signature:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicJSONStorage(Storage):
    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        backups: int = 10,
        lock_timeout: float = 5.0,
    ) -> None:
        self.path = Path(path)
        self.backups = backups
        self.lock_timeout = lock_timeout
        self._data: Data | None = None
        self._sig: Signature | None = None
        self._lock_fd: int | None = None
        self._dirty = False

    # --- paths -------------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @property
    def backup_dir(self) -> Path:
        return self.path.with_name(self.path.name + ".backups")

    # --- TinyDB's Storage interface ------------------------------------------------------------

    def read(self) -> Data | None:
        if self._lock_fd is None:
            self._refresh()
        return self._data

    def write(self, data: Data) -> None:
        if self._lock_fd is not None:
            # Inside a transaction: keep it in memory, the commit writes once.
            self._data = data
            self._dirty = True
            return
        with self.transaction():
            self._data = data
            self._dirty = True

    def close(self) -> None:
        self._release()

    # --- transactions ------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Data]:
        """Lock, bring the cache up to date, let the caller change it, then save once.

        If the body raises, nothing is written and the cache is dropped, because TinyDB edits
        the cached documents in place.
        """
        if self._lock_fd is not None:
            raise RuntimeError("transactions do not nest")
        self._acquire()
        try:
            self._clean_leftovers()
            self._refresh()
            if self._data is None:
                self._data = {}
                migrations.stamp(self._data)
                self._dirty = True
            yield self._data
            if self._dirty:
                self._save(self._data)
        except BaseException:
            self._forget()
            raise
        finally:
            self._dirty = False
            self._release()

    def _acquire(self) -> None:
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise WriteFailed(self.path, f"cannot create the lock file ({exc.strerror})") from None
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise DatabaseLocked(self.path, self.lock_timeout) from None
                time.sleep(0.01)
        self._lock_fd = fd

    def _release(self) -> None:
        if self._lock_fd is not None:
            fd, self._lock_fd = self._lock_fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _forget(self) -> None:
        self._data = None
        self._sig = None

    # --- reading ---------------------------------------------------------------------------

    def changed_on_disk(self) -> bool:
        """True when another process saved since this storage last read or wrote."""
        try:
            sig = _signature(os.stat(self.path))
        except FileNotFoundError:
            return self._sig is not None
        return sig != self._sig

    def _refresh(self) -> None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._data, self._sig = None, None
            return
        sig = _signature(st)
        if sig == self._sig and self._data is not None:
            return
        self._data = load_file(self.path)
        self._sig = sig

    # --- writing ---------------------------------------------------------------------------

    def _save(self, data: Data) -> None:
        try:
            payload = orjson.dumps(data)
        except TypeError as exc:
            raise WriteFailed(self.path, f"data cannot be stored ({exc})") from None
        folder = self.folder
        tmp_name: str | None = None
        try:
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=TMP_SUFFIX, dir=folder
            )
            try:
                view = memoryview(payload)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
            self._backup_current()
            os.replace(tmp_name, self.path)
            tmp_name = None
            _fsync_dir(folder)
        except OSError as exc:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
            reason = exc.strerror or str(exc)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                reason = "the disk is full or the file size limit was reached"
            raise WriteFailed(self.path, reason) from None
        self._sig = _signature(os.stat(self.path))

    def _backup_current(self) -> None:
        """Keep the version about to be replaced, if it is one we read successfully."""
        if self.backups <= 0 or self._sig is None:
            return
        try:
            if _signature(os.stat(self.path)) != self._sig:
                return
        except FileNotFoundError:
            return
        bdir = self.backup_dir
        bdir.mkdir(mode=0o700, exist_ok=True)
        existing = list_backups(self.path)
        number = int(existing[0].stem) + 1 if existing else 1
        target = bdir / f"{number:010d}.json"
        try:
            # A hard link costs nothing however large the file is.
            os.link(self.path, target)
        except OSError:
            shutil.copy2(self.path, target)
        for old in existing[self.backups - 1 :]:
            with contextlib.suppress(OSError):
                old.unlink()

    def _clean_leftovers(self) -> None:
        """Remove temp files a crashed writer left; safe because we hold the lock."""
        prefix = f".{self.path.name}."
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name.startswith(prefix) and entry.name.endswith(TMP_SUFFIX):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def load_file(path: Path) -> Data:
    """Parse and validate a database file, or raise an error that names it."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise CorruptDatabase(path, "is a folder, not a file") from None
    except PermissionError:
        raise CorruptDatabase(path, "cannot be read (permission denied)") from None
    if not raw.strip():
        raise CorruptDatabase(path, "is empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CorruptDatabase(path, f"is not valid JSON, perhaps truncated ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise CorruptDatabase(path, "does not have the layout of an offboard database")
    try:
        version = migrations.version_of(data)
    except ValueError as exc:
        raise CorruptDatabase(path, f"has a damaged header ({exc})") from None
    if version > migrations.CURRENT_VERSION:
        raise UnsupportedVersion(path, version, migrations.CURRENT_VERSION)
    data, _ = migrations.migrate(data)
    return data


def list_backups(path: Path) -> list[Path]:
    """Backups of the database at `path`, newest first."""
    bdir = path.with_name(path.name + ".backups")
    try:
        found = [p for p in bdir.iterdir() if p.suffix == ".json" and p.stem.isdigit()]
    except FileNotFoundError:
        return []
    return sorted(found, key=lambda p: int(p.stem), reverse=True)

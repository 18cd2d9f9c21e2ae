"""A TinyDB storage that never leaves a broken file behind and never re-reads what it knows.

TinyDB's stock JSONStorage truncates the file and writes it in place, so a crash mid-write
leaves half a database. Here every save writes a temporary file in the same folder, fsyncs it,
renames it over the old file and fsyncs the folder: after a crash at any instant the path holds
either the old or the new state.

Reads are cached and validated by the file's identity (inode, size, mtime): a write by another
process replaces the inode, so the next read notices and reloads, and an unchanged file is
never parsed twice. The storage keeps the file it read open, so that inode cannot be freed
and handed to a later save: equal identity then really means the same file, even when two
saves of equal size land within one tick of a coarse filesystem clock. Writes happen inside
`transaction()`, which holds an exclusive lock on a side file for as long as the write takes,
so two processes never interleave their saves (the lock: locking.py; the backups each save
keeps: backups.py).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from ..collector import paused_gc
from ..domain.errors import StaleEdit
from ..files import (
    TMP_SUFFIX,
    DirNotSynced,
    FileRefused,
    describe_os_error,
    temp_prefix,
    write_atomically,
)
from . import migrations
from .backups import backup_dir_of, keep_backup
from .encoded import EncodedTables
from .errors import DatabaseError, WriteFailed
from .loading import Data, Known, Signature, load_open, mark_of, signature_of, valid_mark
from .locking import acquire_lock, lock_path_of, release_lock

Validator = Callable[[Data], None]

_NOT_READ = object()  # "read() was never called", as opposed to "read() found no file"

# tempfile.mkstemp's random part: 8 of these characters. Matching it exactly keeps the
# cleanup away from the temp files of another database whose name starts with ours.
_TEMP_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


# --- paths -----------------------------------------------------------------------------------


def resolve_database_path(path: str | os.PathLike[str]) -> Path:
    """The file a database path stands for. A symbolic link is followed to its target, so
    saves replace the target (atomically, in the target's folder) instead of the link, and
    the lock and backups sit beside the real file whichever name a process used. A link to
    nothing is an error, never a new empty database."""
    path = Path(path)
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return path  # missing (a new database) or unreadable: the first load reports it
    if not is_link:
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        target = os.readlink(path) if os.path.islink(path) else "?"
        why = "a loop of links" if exc.errno == errno.ELOOP else f"{target}, which does not exist"
        raise DatabaseError(
            path,
            f"database {path} is a symbolic link to {why}",
            "fix the link or give --db the path of the database file itself",
        ) from None


def is_temp_of(name: str, path: Path) -> bool:
    """Whether `name` is a temp file a save of the database at `path` makes."""
    prefix = temp_prefix(path)
    if not (name.startswith(prefix) and name.endswith(TMP_SUFFIX)):
        return False
    middle = name[len(prefix) : -len(TMP_SUFFIX)]
    return len(middle) == 8 and set(middle) <= _TEMP_CHARS


# --- cleanup ---------------------------------------------------------------------------------


def clean_leftovers(path: Path) -> None:
    """Remove temp files a crashed writer left; only safe while holding the lock. Only this
    user's own files go: in a shared folder a look-alike name may be someone else's."""
    uid = os.geteuid()
    with contextlib.suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if is_temp_of(entry.name, path):
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_uid == uid:
                        os.unlink(entry.path)


# --- writing -----------------------------------------------------------------------------------


def replace_atomically(
    path: Path,
    payload: bytes | list[bytes] | list[bytes | memoryview],
    before_replace: Callable[[], None] | None = None,
) -> int:
    """Put `payload` (bytes, or pieces in order) at `path` with the one atomic writer
    (offboard.files.write_atomically).

    `before_replace` runs after the temp file is durable and before the rename (backups).
    Returns an open fd of the new file (the caller closes it). On failure raises WriteFailed
    and leaves no temp file; the file at `path` is unchanged unless the error says `saved`.
    """
    try:
        fd = write_atomically(
            path, payload, before_replace=before_replace, keep_open=True, strict_dir_sync=True
        )
    except DirNotSynced as exc:
        if exc.fd is not None:
            os.close(exc.fd)
        reason, _ = describe_os_error(exc, path)
        raise WriteFailed(path, reason, saved=True) from None
    except FileRefused as exc:
        raise WriteFailed(path, exc.message, hint=exc.hint) from None
    except OSError as exc:
        reason, hint = describe_os_error(exc, path)
        raise WriteFailed(path, reason, hint=hint) from None
    assert fd is not None
    return fd


# --- the storage ------------------------------------------------------------------------------


class AtomicJSONStorage(Storage):
    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        backups: int = 10,
        lock_timeout: float = 5.0,
        validate: Validator | None = None,
        keep_read_bytes: bool = True,
    ) -> None:
        self.path = resolve_database_path(path)
        # Keep the bytes read until the first save, which copies what did not change from
        # them (see _refresh): right for a command that reads, changes and ends; a process
        # that stays open (the board) would carry a second copy of the file for nothing.
        self.keep_read_bytes = keep_read_bytes
        self.backups = backups
        self.lock_timeout = lock_timeout
        # Called with freshly loaded data before it is used; raises to refuse the file.
        self.validate = validate
        self._data: Data | None = None
        self._sig: Signature | None = None
        self._held: int | None = None  # open fd of the file _data was read from
        self._read_sig: object = _NOT_READ  # identity of what the last read() returned
        self._lock_fd: int | None = None
        self._dirty = False
        # Each record's encoded form, kept so a save encodes only what changed, and the
        # keys the current transaction changed, per table (None: unknown, encode all).
        self._encoded = EncodedTables()
        self._changed: dict[str, set[str]] | None = {}
        self._before: dict[str, dict[str, Any]] = {}
        self._known: Known | None = None  # see `known`

    def known(self, known: Known) -> None:
        """A version of the file read already (a board's preview): the next load uses its
        bytes and pieces if it opens that very version, instead of reading them again."""
        self._known = known

    # --- paths -------------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def lock_path(self) -> Path:
        return lock_path_of(self.path)

    @property
    def backup_dir(self) -> Path:
        return backup_dir_of(self.path)

    @property
    def loaded(self) -> bool:
        """Whether a version of the file is held in memory (read or written by this storage)."""
        return self._data is not None

    # --- TinyDB's Storage interface ------------------------------------------------------------

    def read(self) -> Data | None:
        if self._lock_fd is None:
            self._refresh()
            self._read_sig = self._sig
        return self._data

    def write(self, data: Data) -> None:
        if self._lock_fd is not None:
            # Inside a transaction: keep it in memory, the commit writes once.
            self._data = data
            self._dirty = True
            self._changed = None  # TinyDB's tables say nothing of what they changed
            return
        # Outside a transaction (TinyDB's own read-change-write): `data` was derived from
        # what the last read saw. If another process saved since, writing it would silently
        # drop that save. (A write with no read before it, like drop_tables(), is blind by
        # design and goes through.)
        seen = self._read_sig
        with self.transaction():
            if seen is not _NOT_READ and self._sig != seen:
                raise StaleEdit(
                    f"{self.path} was changed by another offboard process; nothing was saved",
                    "reload and make the change again",
                )
            if seen is None:
                migrations.stamp(data)
            self._data = data
            self._dirty = True
            self._changed = None

    def close(self) -> None:
        self._release()
        self._forget()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._forget()

    # --- transactions ------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Data]:
        """Lock, bring the cache up to date, let the caller change it, then save once.

        The body changes the yielded data in place and calls `mark_changed()` (TinyDB's
        table methods go through `write()` instead); nothing is saved otherwise. If the body
        raises, nothing is written and the cache is dropped, because it was changed in place.

        Raises RuntimeError when nested, the lock's errors (DatabaseLocked, WriteFailed),
        the load's (CorruptDatabase, UnsupportedVersion) and the save's (WriteFailed).
        """
        if self._lock_fd is not None:
            raise RuntimeError("transactions do not nest")
        self._lock_fd = acquire_lock(self.path, self.lock_timeout)
        try:
            clean_leftovers(self.path)
            self._refresh()
            if self._data is None:
                self._data = {}
                migrations.stamp(self._data)
                self._dirty = True
                self._changed = None
            yield self._data
            if self._dirty:
                self._save(self._data)
        except BaseException:
            self._forget()
            raise
        finally:
            self._dirty = False
            self._changed = {}
            self._before = {}
            self._release()

    def mark_changed(
        self,
        changed: Mapping[str, Collection[str]] | None = None,
        before: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """Say that the data the current transaction yielded was changed: it is saved when
        the transaction's body ends. `changed` names, per table, the key of every record
        that was added, replaced, edited or removed, and the save encodes those alone (a
        record changed and not named would be saved as it was). Without it, every record
        is encoded afresh. `before` may give, for one table, each changed key's record as
        the transaction found it (None for one added): the first save after a load then
        copies everything else from the bytes read (encoded.py). Raises RuntimeError
        outside a transaction."""
        if self._lock_fd is None:
            raise RuntimeError("only data inside a transaction can be marked as changed")
        self._dirty = True
        if changed is None or self._changed is None:
            self._changed = None
            return
        for table, keys in changed.items():
            self._changed.setdefault(table, set()).update(keys)
        for table, records in (before or {}).items():
            found = self._before.setdefault(table, {})
            for key, record in records.items():
                found.setdefault(key, record)  # the first word on a key is what was loaded

    def _release(self) -> None:
        if self._lock_fd is not None:
            fd, self._lock_fd = self._lock_fd, None
            release_lock(fd)

    def _hold(self, fd: int | None) -> None:
        old, self._held = self._held, fd
        if old is not None:
            os.close(old)

    def _forget(self) -> None:
        self._encoded.forget()
        self._data = None
        self._sig = None
        self._read_sig = _NOT_READ
        self._hold(None)

    # --- reading ---------------------------------------------------------------------------

    def changed_on_disk(self) -> bool:
        """True when another process saved since this storage last read or wrote."""
        try:
            sig = signature_of(os.stat(self.path))
        except FileNotFoundError:
            return self._sig is not None
        return sig != self._sig

    def _refresh(self) -> None:
        try:
            sig: Signature | None = signature_of(os.stat(self.path))
        except FileNotFoundError:
            self._forget()
            return
        except OSError:
            sig = None  # let the load below report it with the path
        if self._data is not None and sig == self._sig:
            return
        known, self._known = self._known, None
        loaded = load_open(self.path, known)
        if loaded is None:  # removed between the stat and the open
            self._forget()
            return
        data, sig, fd, raw = loaded
        self._encoded.forget()  # made from records that are gone
        mark = self._mark_of(sig) if self.validate is not None else None
        try:
            if self.validate is not None and mark is None:
                self.validate(data)
                self._mark_valid(sig)
        except BaseException:
            os.close(fd)
            raise
        # A version this storage wrote is orjson.dumps of its data, byte for byte: the first
        # save can copy what did not change from it instead of encoding everything again.
        ours = self.keep_read_bytes and mark == valid_mark(sig, ours=True)
        self._encoded.loaded(raw if ours else None)
        self._hold(fd)
        self._data, self._sig = data, sig

    # Validating means decoding every record: most of a cold CLI write's time on a large
    # file. Every version this storage saves was built from validated data, so the lock file
    # records the identity of the last version known to be valid (written under the lock),
    # and a process that loads exactly that version skips the check. A file changed by
    # anything else has another identity and is checked in full.

    def _mark_of(self, sig: Signature) -> bytes | None:
        """The lock file's mark if it is one for the version `sig` (see loading.valid_mark)."""
        if self._lock_fd is None:
            return mark_of(self.path, sig)
        try:
            mark = os.pread(self._lock_fd, 128, 0)
        except OSError:
            return None
        return mark if mark in (valid_mark(sig), valid_mark(sig, ours=True)) else None

    def _mark_valid(self, sig: Signature, ours: bool = False) -> None:
        if self.validate is None:
            return
        if self._lock_fd is not None:
            self._write_mark(self._lock_fd, sig, ours)
            return
        # A read outside a transaction (a CLI `show`, a copied or restored file) marks what
        # it checked too, or every later read of that version pays for the full check again.
        # It takes the lock only if it is free at once: a reader never waits for a writer,
        # and a folder where no lock file can be made just goes unmarked.
        try:
            fd = acquire_lock(self.path, 0)
        except (DatabaseError, FileRefused, OSError):
            return
        try:
            self._write_mark(fd, sig)
        finally:
            release_lock(fd)

    @staticmethod
    def _write_mark(fd: int, sig: Signature, ours: bool = False) -> None:
        mark = valid_mark(sig, ours)
        with contextlib.suppress(OSError):
            os.pwrite(fd, mark, 0)
            os.ftruncate(fd, len(mark))

    # --- writing ---------------------------------------------------------------------------

    def _save(self, data: Data) -> None:
        try:
            with paused_gc():  # many small objects, no cycles: see paused_gc
                payload = self._encoded.encode(data, self._changed, self._before)
        except TypeError as exc:
            raise WriteFailed(self.path, f"data cannot be stored ({exc})") from None
        fd = replace_atomically(self.path, payload, self._backup_current)
        self._hold(fd)
        self._sig = signature_of(os.fstat(fd))
        self._mark_valid(self._sig, ours=True)

    def _backup_current(self) -> None:
        """Keep the version about to be replaced, if it is one we read successfully."""
        if self.backups <= 0 or self._sig is None:
            return
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return
        if signature_of(st) != self._sig:
            return
        keep_backup(self.path, self.backups, st)

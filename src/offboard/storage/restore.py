"""`offboard restore`: put a backup back in place of the database, losing nothing.

The file being replaced, readable or not, is first kept in the backups folder as
`replaced-NNNN.json` (outside the numbered rotation, so no later save prunes it). Then the
backup's bytes are written with the same temp file + fsync + rename + folder fsync as every
save, under the same lock, so a running TUI or CLI never sees a half-restored file and notices
the change like any other outside save.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import stat
from pathlib import Path
from typing import Any

from ..domain.errors import OffboardError
from ..files import FileRefused, fsync_dir, own_dir, read_own
from .backups import backup_dir_of, list_backups, same_version
from .errors import CorruptDatabase, DatabaseError, UnsupportedVersion, WriteFailed
from .jsonfile import clean_leftovers, replace_atomically, resolve_database_path
from .loading import parse
from .locking import locked
from .tinyfile import check_clients

ASIDE_PREFIX = "replaced-"
LIST_HINT = "`offboard restore --list` shows the backups"
MAX_BACKUP_BYTES = 1 << 31


def _refused(backup: Path, problem: str) -> CorruptDatabase:
    return CorruptDatabase(
        backup, f"cannot be restored: it {problem}", f"choose another backup; {LIST_HINT}"
    )


def _restorable(backup: Path) -> bytes:
    """The backup's bytes, if they make a database this version can open."""
    try:
        # Only a file of this user's that nobody else can change: a forged backup planted
        # in a shared folder must never be loaded.
        raw = read_own(backup, MAX_BACKUP_BYTES)
    except FileRefused as exc:
        raise _refused(backup, exc.problem) from None
    except OSError as exc:
        raise _refused(backup, f"cannot be read ({exc.strerror})") from None
    try:
        check_clients(parse(raw, backup), backup)
    except CorruptDatabase as exc:
        raise _refused(backup, exc.problem) from None
    except UnsupportedVersion as exc:
        raise _refused(
            backup, f"has format version {exc.found}, newer than this offboard"
        ) from None
    return raw


def _newest_restorable(path: Path) -> tuple[Path, bytes]:
    backups = list_backups(path)
    if not backups:
        raise DatabaseError(
            path,
            f"there are no backups of {path}",
            "a backup is made on every save after the first one",
        )
    for backup in backups:
        with contextlib.suppress(CorruptDatabase):
            return backup, _restorable(backup)
    raise DatabaseError(
        path,
        f"none of the {len(backups)} backups of {path} can be read",
        f"{LIST_HINT}; name one with --backup to see why it is refused",
    )


def _keep_aside(path: Path, bdir: Path) -> Path | None:
    """Keep whatever is at `path` in the backups folder; returns where (None if nothing)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    asides = sorted(
        (p for p in bdir.glob(f"{ASIDE_PREFIX}*.json") if p.stem[len(ASIDE_PREFIX) :].isdigit()),
        key=lambda p: int(p.stem[len(ASIDE_PREFIX) :]),
    )
    if asides and not stat.S_ISDIR(st.st_mode) and same_version(asides[-1], st):
        return asides[-1]  # an interrupted restore already kept this very file
    number = int(asides[-1].stem[len(ASIDE_PREFIX) :]) + 1 if asides else 1
    target = bdir / f"{ASIDE_PREFIX}{number:04d}.json"
    if stat.S_ISDIR(st.st_mode):
        os.rename(path, target)
    else:
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
    fsync_dir(bdir)  # the kept file must be durable before the rename over it
    return target


def restore(path: Path, backup: Path | None = None, *, lock_timeout: float = 5.0) -> Path:
    """Replace the database at `path` with `backup` (default: the newest one that loads).

    Returns the backup used. The replaced file is kept as `replaced-NNNN.json` among the
    backups. Raises CorruptDatabase naming a given backup that cannot be restored, and an
    OffboardError when there is no usable backup.
    """
    path = resolve_database_path(path)
    if backup is not None:
        backup = Path(os.path.realpath(backup))
        if not backup.exists():
            raise OffboardError(f"there is no backup {backup}", LIST_HINT)
        # By name, not by inode: a numbered backup may be a hard link to the current file
        # (left by a save that failed after backing up), and restoring it is harmless.
        if backup.resolve() == path.resolve():
            raise OffboardError(f"{backup} is the database itself, not a backup", LIST_HINT)
    bdir = backup_dir_of(path)
    with locked(path, lock_timeout):
        # Chosen under the lock: a save in between could rotate the chosen backup away.
        if backup is None:
            backup, payload = _newest_restorable(path)
        else:
            payload = _restorable(backup)
        clean_leftovers(path)
        try:
            own_dir(bdir)
        except FileRefused as exc:
            raise WriteFailed(path, exc.message, hint=exc.hint) from None

        def keep_aside() -> None:
            _keep_aside(path, bdir)

        fd = replace_atomically(path, payload, keep_aside)
        os.close(fd)
    return backup


def describe_backups(path: Path) -> list[dict[str, Any]]:
    """The numbered backups, newest first, for `offboard restore --list` (JSON-ready).

    `modified` is when that version was saved (the file's own mtime, in local time);
    `clients` is how many clients it holds, or None if restore would refuse it.
    """
    described = []
    for backup in list_backups(resolve_database_path(path)):
        try:
            st = os.stat(backup)
        except OSError:
            continue
        try:
            clients: int | None = check_clients(
                parse(read_own(backup, MAX_BACKUP_BYTES), backup), backup
            )
        except (OffboardError, OSError):
            clients = None
        described.append(
            {
                "path": str(backup),
                "number": int(backup.stem),
                "modified": dt.datetime.fromtimestamp(st.st_mtime)
                .astimezone()
                .isoformat(timespec="seconds"),
                "clients": clients,
            }
        )
    return described

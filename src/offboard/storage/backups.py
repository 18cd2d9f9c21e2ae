"""Rotating backups of a database file, kept in `NAME.backups/` beside it.

Each save keeps the version it replaces as the next numbered backup (`0000000042.json`), a
hard link where the filesystem allows it, so a backup costs nothing however large the file
is. Only this user's own folder and files count as backups: one planted in a shared folder is
never offered, loaded or written through.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from ..files import FileRefused, check_own_dir, check_own_file, own_dir


def backup_dir_of(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def list_backups(path: Path) -> list[Path]:
    """Numbered backups of the database at `path`, newest first.

    Only this user's own files in this user's own backups folder count: a backups folder
    someone else made (or a link to one) is refused with FileRefused, so a forged backup is
    never offered or loaded.
    """
    bdir = backup_dir_of(path)
    if not check_own_dir(bdir):
        return []
    found = []
    with os.scandir(bdir) as entries:
        for entry in entries:
            name = Path(entry.name)
            if name.suffix != ".json" or not name.stem.isdigit():
                continue
            try:
                check_own_file(Path(entry.path), entry.stat(follow_symlinks=False))
            except (FileRefused, OSError):
                continue
            found.append(Path(entry.path))
    return sorted(found, key=lambda p: int(p.stem), reverse=True)


def same_version(backup: Path, current: os.stat_result) -> bool:
    """Whether `backup` holds the very file version `current` describes (a link to it, or a
    copy with its size and modification time)."""
    try:
        st = os.lstat(backup)
    except OSError:
        return False
    if (st.st_dev, st.st_ino) == (current.st_dev, current.st_ino):
        return True
    return (st.st_size, st.st_mtime_ns) == (current.st_size, current.st_mtime_ns)


def keep_backup(path: Path, keep: int, current: os.stat_result) -> None:
    """Keep the file at `path` (whose stat is `current`) as the newest numbered backup and
    drop the ones beyond `keep`.

    Raises FileRefused when the backups folder is not this user's own, and OSError when the
    backup cannot be made; the database file itself is never touched.
    """
    bdir = own_dir(backup_dir_of(path))
    existing = list_backups(path)
    if existing and same_version(existing[0], current):
        return  # an earlier, failed save already kept this version
    number = int(existing[0].stem) + 1 if existing else 1
    target = bdir / f"{number:010d}.json"
    try:
        # A hard link costs nothing however large the file is.
        os.link(path, target)
    except OSError:
        shutil.copy2(path, target)
    for old in existing[keep - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()

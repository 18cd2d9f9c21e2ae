"""Writing a file so that a crash leaves the old file or the new one, never half of one.

Shared by the letter exports, the drafts and the user's own templates. Errors are left as
OSError (FileExistsError when `overwrite` is off and the name is taken) for each caller to
word for its user.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path


def _place(tmp_name: str, path: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp_name, path)
        return
    try:
        # A hard link fails if the name exists, so no other writer's file is ever replaced.
        os.link(tmp_name, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        # Some filesystems (FAT, some network shares) have no hard links.
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
        os.replace(tmp_name, path)
    else:
        # The file is in place; a leftover second name for it is harmless and rare.
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)


def write_atomically(path: Path, payload: bytes, *, overwrite: bool = True) -> None:
    """Temp file in the same folder (0600 whatever the umask), fsync, then into place."""
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, "file exists", str(path))
    fd: int | None = None
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        os.close(fd)
        fd = None
        _place(tmp_name, path, overwrite)
        tmp_name = None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    # The file is complete and in place; a folder that cannot be fsynced only weakens
    # durability across a power cut, which is not worth failing the write for.
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

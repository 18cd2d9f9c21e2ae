"""Files offboard reads from the user or creates beside the user's data.

The database may sit in a folder that other people can write to (a shared or sticky folder).
Anything such a person plants there (a symbolic link named like our lock file, a folder named
like our backups, a world-writable temp file) must never be followed, trusted or written
through. So every file offboard creates is made with O_EXCL or O_NOFOLLOW under a name nobody
can predict, and every file or folder it finds where it would have created one is used only if
it is a real file or folder of this user that nobody else can change. Files the user names
(a config, a template, an import) are read only when they are regular files under a size cap,
so a FIFO or /dev/zero cannot hang or exhaust the app.

Writes are atomic: a temp file in the same folder, fsync, then into place, then the folder
fsynced. A crash leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from .domain.errors import InvalidInput, OffboardError

TMP_SUFFIX = ".tmp"
_NO_DIR_FSYNC = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class FileRefused(OffboardError):
    """A file or folder offboard will not read or write, with the reason and what to do."""

    def __init__(self, path: Path | str, problem: str, hint: str | None = None) -> None:
        super().__init__(f"{path} {problem}", hint)
        self.path = Path(path)
        self.problem = problem


# --- what an OSError means for the user ---------------------------------------------------------


def describe_os_error(exc: OSError, path: Path | str) -> tuple[str, str]:
    """The reason (a short phrase) and what the user can do, for an OSError on `path`."""
    code = exc.errno
    where = Path(path)
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return (
            "the disk is full or the file size limit was reached",
            "free some disk space, then try again",
        )
    if code == errno.ENOENT:
        return (
            f"the folder {where.parent} does not exist",
            "create the folder first, or choose another place",
        )
    if code in (errno.EACCES, errno.EPERM):
        return exc.strerror or "Permission denied", f"check the permissions of {where.parent}"
    if code == errno.EROFS:
        return exc.strerror or "Read-only file system", "choose a folder on a writable disk"
    if code == errno.ENOTDIR:
        return (
            f"a part of the path {where} is a file, not a folder",
            "choose another place",
        )
    if code == errno.EISDIR:
        return f"{where} is a folder", "give the path of a file"
    if code == errno.ELOOP:
        return f"{where} is a symbolic link that offboard does not follow", "remove the link"
    if code == errno.ENAMETOOLONG:
        return "the file name is too long", "choose a shorter name"
    return exc.strerror or str(exc), "check the disk and the folder, then try again"


# --- reading -------------------------------------------------------------------------------------


def _kib(limit: int) -> str:
    return f"{limit // 1024:,} KiB" if limit < 1024 * 1024 else f"{limit // (1024 * 1024):,} MiB"


def _read_fd(fd: int, path: Path, limit: int) -> bytes:
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode):
        raise FileRefused(path, "is a folder, not a file", "give the path of a file")
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(
            path, "is not a regular file (a device, a pipe or a socket)", "give a regular file"
        )
    if st.st_size > limit:
        raise FileRefused(path, f"is larger than {_kib(limit)}", "is it the right file?")
    chunks: list[bytes] = []
    total = 0
    while True:
        # A file that grows while it is read is held to the same cap.
        chunk = os.read(fd, min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise FileRefused(path, f"is larger than {_kib(limit)}", "is it the right file?")
    return b"".join(chunks)


def read_bounded(path: Path | str, limit: int) -> bytes:
    """The bytes of a file the user named, if it is a regular file of at most `limit` bytes.

    Symbolic links are followed (a config managed as a link is normal). A missing file raises
    FileNotFoundError; anything else that stops the read raises FileRefused.
    """
    path = Path(path)
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as exc:
        reason, hint = describe_os_error(exc, path)
        raise FileRefused(path, f"cannot be read: {reason}", hint) from None
    try:
        return _read_fd(fd, path, limit)
    except OSError as exc:
        reason, hint = describe_os_error(exc, path)
        raise FileRefused(path, f"cannot be read: {reason}", hint) from None
    finally:
        os.close(fd)


def read_text_bounded(path: Path | str, limit: int) -> str:
    """read_bounded, decoded as UTF-8 (FileRefused when it is not)."""
    raw = read_bounded(path, limit)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            path,
            f"is not UTF-8 text (byte {exc.start} cannot be read)",
            "save it as UTF-8, or check it is the right file",
        ) from None


def read_user_text(path: Path, limit: int, what: str) -> str | None:
    """The text of a file the user keeps beside the shipped defaults (a checklist, weights,
    screening edits): None when there is none. Raises InvalidInput naming it as `what`
    ("checklist", "weights file") when it is a link to nothing, too big, not a regular file
    or not UTF-8."""
    if not os.path.lexists(path):
        return None
    try:
        return read_text_bounded(path, limit)
    except FileNotFoundError:
        raise InvalidInput(f"{what} {path} is a link to nothing") from None
    except FileRefused as exc:
        raise InvalidInput(f"{what} {exc.message}", exc.hint) from None


def _foreign(path: Path, st: os.stat_result, kind: str) -> FileRefused | None:
    """Why an existing `kind` at `path` that offboard would have created is not ours."""
    if st.st_uid != os.geteuid():
        return FileRefused(
            path,
            f"is a {kind} that belongs to another user (uid {st.st_uid}), so offboard does not "
            "trust it",
            "if it is yours, fix its owner; otherwise remove it and keep the database in a "
            "folder only you can write to",
        )
    if st.st_mode & 0o022:
        return FileRefused(
            path,
            f"is a {kind} that other users can change (mode {stat.S_IMODE(st.st_mode):o}), so "
            "offboard does not trust it",
            f"run `chmod go-w {path}` if it is yours, or remove it",
        )
    return None


def check_own_file(path: Path, st: os.stat_result) -> None:
    """Refuse a file offboard made (backup, lock, draft) unless it is a regular file of this
    user that nobody else can change. `st` comes from lstat or fstat, never a followed stat."""
    if stat.S_ISLNK(st.st_mode):
        raise FileRefused(
            path, "is a symbolic link where offboard keeps a file of its own", "remove the link"
        )
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(
            path, "is not a regular file where offboard keeps a file of its own", "remove it"
        )
    problem = _foreign(path, st, "file")
    if problem is not None:
        raise problem


def read_own(path: Path | str, limit: int) -> bytes:
    """The bytes of a file offboard made itself, never through a link, only if it is ours."""
    path = Path(path)
    try:
        fd = os.open(path, _READ_FLAGS | _NOFOLLOW)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileRefused(
                path, "is a symbolic link where offboard keeps a file of its own", "remove it"
            ) from None
        reason, hint = describe_os_error(exc, path)
        raise FileRefused(path, f"cannot be read: {reason}", hint) from None
    try:
        check_own_file(path, os.fstat(fd))
        return _read_fd(fd, path, limit)
    except OSError as exc:
        reason, hint = describe_os_error(exc, path)
        raise FileRefused(path, f"cannot be read: {reason}", hint) from None
    finally:
        os.close(fd)


# --- folders -------------------------------------------------------------------------------------


def check_own_dir(path: Path) -> bool:
    """True if `path` is a folder of this user that nobody else can write to; False if there
    is nothing there. Anything else (a link, a file, someone else's folder) is refused."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(st.st_mode):
        raise FileRefused(
            path,
            "is a symbolic link where offboard keeps a folder of its own",
            "remove the link; offboard makes the folder itself",
        )
    if not stat.S_ISDIR(st.st_mode):
        raise FileRefused(
            path, "is not a folder, where offboard keeps a folder of its own", "remove it"
        )
    problem = _foreign(path, st, "folder")
    if problem is not None:
        raise problem
    return True


def own_dir(path: Path) -> Path:
    """The private folder at `path` (0700), made if missing; refused if it is not ours."""
    if not check_own_dir(path):
        try:
            # mkdir never follows a link planted in the meantime: it fails with EEXIST.
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        except OSError as exc:
            reason, hint = describe_os_error(exc, path)
            raise FileRefused(path, f"cannot be created: {reason}", hint) from None
        check_own_dir(path)
    return path


# --- the lock file -------------------------------------------------------------------------------


def open_own(path: Path) -> int:
    """Open (creating it 0600 if missing) a small read-write file of offboard's own, such as a
    lock file, without following a link; refused if it is not this user's regular file."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileRefused(
                path, "is a symbolic link where offboard keeps a file of its own", "remove it"
            ) from None
        raise
    try:
        check_own_file(path, os.fstat(fd))
    except BaseException:
        os.close(fd)
        raise
    return fd


# --- writing -------------------------------------------------------------------------------------


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _place(tmp_name: str, path: Path, overwrite: bool) -> None:
    if overwrite:
        # rename replaces whatever is at `path` (a planted link included) without following it.
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


class DirNotSynced(OSError):
    """The file is in place, but the folder could not be fsynced: it may not survive a
    power cut. `fd` is the new file's open descriptor when the caller asked to keep it."""

    fd: int | None = None


# Pieces one writev call takes at most (POSIX's IOV_MAX; Linux allows exactly this many).
_IOV_MAX = 1024


def _write_all(fd: int, payload: bytes | Sequence[bytes | memoryview]) -> None:
    """Write every byte of `payload`: bytes, or pieces written in order with writev, so a
    file assembled from pieces (a database of 10,000 records) is never copied into one
    buffer first."""
    if isinstance(payload, bytes):
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
        return
    for start in range(0, len(payload), _IOV_MAX):
        batch = payload[start : start + _IOV_MAX]
        done = os.writev(fd, batch)
        if done < sum(map(len, batch)):  # a short write (rare on a file): write the rest
            _write_all(fd, b"".join(batch)[done:])


def write_atomically(
    path: Path,
    payload: bytes | Sequence[bytes | memoryview],
    *,
    overwrite: bool = True,
    before_replace: Callable[[], None] | None = None,
    keep_open: bool = False,
    strict_dir_sync: bool = False,
) -> int | None:
    """Put `payload` (bytes, or pieces written one after another) at `path`: a temp file
    with an unpredictable name made with O_EXCL in the same folder (0600 whatever the
    umask), fsync, `before_replace()`, into place, folder fsync.

    With `keep_open`, returns an open descriptor of the new file (the caller closes it).
    Raises OSError (FileExistsError when `overwrite` is off and the name is taken); the file
    at `path` is then unchanged and no temp file is left. With `strict_dir_sync`, a folder that
    cannot be fsynced raises DirNotSynced (the new file is in place); otherwise that only
    weakens durability across a power cut and is let pass.
    """
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, "file exists", str(path))
    fd: int | None = None
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=temp_prefix(path), suffix=TMP_SUFFIX, dir=path.parent
        )
        _write_all(fd, payload)
        os.fsync(fd)
        if before_replace is not None:
            before_replace()
        _place(tmp_name, path, overwrite)
        tmp_name = None
    except BaseException:
        if fd is not None:
            os.close(fd)
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        raise
    try:
        fsync_dir(path.parent)
    except OSError as exc:
        if strict_dir_sync and exc.errno not in _NO_DIR_FSYNC:
            error = DirNotSynced(exc.errno, exc.strerror, str(path.parent))
            if keep_open:
                error.fd = fd
            else:
                os.close(fd)
            raise error from None
    if keep_open:
        return fd
    os.close(fd)
    return None

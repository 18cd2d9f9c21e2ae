"""Errors about the database file. Each names the file and says what the user can do."""

from __future__ import annotations

import shlex
from pathlib import Path

from ..domain.errors import OffboardError


def restore_command(path: Path | str) -> str:
    return f"offboard restore --db {shlex.quote(str(path))}"


class DatabaseError(OffboardError):
    def __init__(self, path: Path | str, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.path = Path(path)


class CorruptDatabase(DatabaseError):
    """The file cannot be read as an offboard database. It is left exactly as it is."""

    def __init__(self, path: Path | str, problem: str, hint: str | None = None) -> None:
        super().__init__(
            path,
            f"database {path} {problem}; it was left untouched",
            hint or f"run `{restore_command(path)}` to bring back the last good backup",
        )
        self.problem = problem


class UnsupportedVersion(DatabaseError):
    def __init__(self, path: Path | str, found: int, supported: int) -> None:
        super().__init__(
            path,
            f"database {path} has format version {found}, newer than this offboard "
            f"understands ({supported}); it was left untouched",
            f"upgrade offboard to open it, or run `{restore_command(path)}` to go back to "
            "the last backup this version can read (the newer file is kept)",
        )
        self.found = found


class DatabaseLocked(DatabaseError):
    def __init__(self, path: Path | str, waited: float) -> None:
        super().__init__(
            path,
            f"database {path} is busy: another offboard process held its lock for {waited:g} s",
            "try again in a moment",
        )


class WriteFailed(DatabaseError):
    """Saving failed. Unless `saved` is true, the file on disk still holds the previous state.

    `saved` means the new file was already renamed into place and only the folder's fsync
    failed: the change is visible but may not survive a power cut.
    """

    def __init__(
        self, path: Path | str, reason: str, *, saved: bool = False, hint: str | None = None
    ) -> None:
        if saved:
            message = (
                f"saved {path} but the disk did not confirm it: {reason}; the change may not "
                "survive a power cut"
            )
            hint = "check the disk, then look at the data before continuing"
        else:
            message = f"could not save {path}: {reason}; the previous version is unchanged"
            hint = hint or "check the disk and the folder's permissions, then retry"
        super().__init__(path, message, hint)
        self.saved = saved


class ServerGone(WriteFailed):
    """The database server cannot be reached, or the connection to it broke during a change.

    Nothing of the change was kept, unless `unknown`: the connection broke during the commit
    itself, so the server may have kept it, and repeating it blindly could do it twice. An
    open board treats it as being offline: it keeps the change and tries again once the
    server answers. `where` is the board's address, `reason` the driver's own words."""

    def __init__(
        self, where: str, reason: str, message: str, hint: str, *, unknown: bool = False
    ) -> None:
        DatabaseError.__init__(self, where, message, hint)
        self.where = where
        self.reason = reason
        self.saved = False
        self.unknown = unknown

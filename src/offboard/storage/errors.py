"""Errors about the database file. Each names the file and says what the user can do."""

from __future__ import annotations

from pathlib import Path

from ..domain.errors import OffboardError


class DatabaseError(OffboardError):
    def __init__(self, path: Path | str, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.path = Path(path)


class CorruptDatabase(DatabaseError):
    """The file cannot be read as an offboard database. It is left exactly as it is."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(
            path,
            f"database {path} {problem}; it was left untouched",
            f"run `offboard restore --db {path}` to bring back the last good backup",
        )


class UnsupportedVersion(DatabaseError):
    def __init__(self, path: Path | str, found: int, supported: int) -> None:
        super().__init__(
            path,
            f"database {path} has format version {found}, newer than this offboard "
            f"understands ({supported}); it was left untouched",
            "upgrade offboard to open it",
        )


class DatabaseLocked(DatabaseError):
    def __init__(self, path: Path | str, waited: float) -> None:
        super().__init__(
            path,
            f"database {path} is busy: another offboard process held its lock for {waited:g} s",
            "try again in a moment",
        )


class WriteFailed(DatabaseError):
    """Saving failed; the file on disk still holds the previous state."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(
            path,
            f"could not save {path}: {reason}; the previous version is unchanged",
            "free some disk space or check the folder's permissions, then retry",
        )

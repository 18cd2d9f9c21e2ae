"""Reading a database file: open it without following it into a FIFO or a folder, parse it,
check its layout and version, and upgrade it in memory. Every failure is a CorruptDatabase or
UnsupportedVersion naming the file, which is left as it was."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from ..collector import paused_gc
from ..files import FileRefused, read_own
from . import migrations
from .errors import CorruptDatabase, UnsupportedVersion
from .locking import lock_path_of

Data = dict[str, dict[str, Any]]
CLIENTS = "clients"  # the table of client records, by id
Signature = tuple[int, int, int]
# Table by table, in the file's order: the bytes of a table, or (a dict) of each of its records.
Pieces = list[tuple[str, Any]]


class Known(NamedTuple):
    """A version of the file read before (by a board's preview, preview.py): its identity, its
    bytes and, when they were found, its pieces."""

    sig: Signature
    raw: bytes
    pieces: Pieces | None = None


def signature_of(st: os.stat_result) -> Signature:
    """A file version's identity: inode, size and modification time."""
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def valid_mark(sig: Signature, ours: bool = False) -> bytes:
    """What the lock file holds once a file version has passed the repository's check of
    every record (jsonfile.py's `validate`); `ours`: the storage that wrote that version,
    so its bytes are `orjson.dumps` of its data."""
    tail = " ours" if ours else ""
    return f"valid v{migrations.CURRENT_VERSION} {sig[0]} {sig[1]} {sig[2]}{tail}\n".encode()


def mark_of(path: Path, sig: Signature) -> bytes | None:
    """The mark in the lock file of the database at `path`, if it vouches for the version
    `sig` (see valid_mark); None when there is none, or it is for another version."""
    try:
        mark = read_own(lock_path_of(path), 128)
    except (OSError, FileRefused):
        return None
    return mark if mark in (valid_mark(sig), valid_mark(sig, ours=True)) else None


def load_open(path: Path, known: Known | None = None) -> tuple[Data, Signature, int, bytes] | None:
    """Open, read and validate the file; returns its data, identity, the still-open fd and
    the bytes read.

    None if the file does not exist. The identity comes from the open file itself, so it
    always describes exactly the bytes that were parsed. `known`: a version's identity and
    bytes read before (see read_open).
    """
    opened = read_open(path, known)
    if opened is None:
        return None
    raw, sig, fd = opened
    pieces = known.pieces if known is not None and known.sig == sig else None
    try:
        return parse(raw, path, pieces), sig, fd, raw
    except BaseException:
        os.close(fd)
        raise


def read_open(path: Path, known: Known | None = None) -> tuple[bytes, Signature, int] | None:
    """The file's bytes, their identity and the still-open fd (None: no file). `known`: an
    identity and the bytes read of it before, used instead of reading again when the file
    opened has that identity. Raises CorruptDatabase for a folder, a FIFO or anything else
    that is not a readable file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not hang us
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise CorruptDatabase(path, "is a folder, not a file") from None
    except OSError as exc:
        raise CorruptDatabase(path, f"cannot be read ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise CorruptDatabase(path, "is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise CorruptDatabase(path, "is not a regular file")
        sig = signature_of(st)
        if known is not None and known.sig == sig:
            return known.raw, sig, fd
        with open(fd, "rb", closefd=False) as f:
            raw = f.read()
        return raw, sig, fd
    except OSError as exc:
        os.close(fd)
        raise CorruptDatabase(path, f"cannot be read ({exc.strerror})") from None
    except BaseException:
        os.close(fd)
        raise


def read_vouched(path: Path) -> tuple[bytes, Signature] | None:
    """The file's bytes and identity if the lock file's mark vouches for that version (every
    record in it is known to decode: valid_mark), else None; None too when there is no file.
    Raises CorruptDatabase as read_open does."""
    try:
        st = os.stat(path)
    except OSError:
        st = None  # missing, or for read_open to report
    if st is not None and stat.S_ISREG(st.st_mode) and mark_of(path, signature_of(st)) is None:
        return None  # not vouched for: its bytes are not worth reading here
    opened = read_open(path)
    if opened is None:
        return None
    raw, sig, fd = opened
    os.close(fd)
    return (raw, sig) if mark_of(path, sig) is not None else None


def load_file(path: Path) -> Data:
    """Read, validate and migrate (in memory) a database file, or raise an error naming it.

    A missing file raises FileNotFoundError.
    """
    loaded = load_open(path)
    if loaded is None:
        raise FileNotFoundError(errno.ENOENT, "No such file", str(path))
    data, _, fd, _ = loaded
    os.close(fd)
    return data


def parse(raw: bytes, path: Path, pieces: Pieces | None = None) -> Data:
    """Check the layout and version of a database's bytes and migrate them in memory.
    `pieces`: the same bytes found piece by piece (Known), parsed one record at a time."""
    if not raw.strip():
        raise CorruptDatabase(path, "is empty")
    try:
        with paused_gc():
            data = orjson.loads(raw) if pieces is None else _assembled(pieces)
    except orjson.JSONDecodeError as exc:
        raise _not_json(path, exc) from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise CorruptDatabase(path, "does not have the layout of an offboard database")
    for name, table in data.items():
        for key, record in table.items():
            if not isinstance(record, dict):
                raise _not_an_object(path, name, key)
    try:
        version = migrations.version_of(data)
    except ValueError as exc:
        raise CorruptDatabase(path, f"has a damaged header ({exc})") from None
    if version > migrations.CURRENT_VERSION:
        raise UnsupportedVersion(path, version, migrations.CURRENT_VERSION)
    try:
        data, _ = migrations.migrate(data)
    except ValueError as exc:
        raise CorruptDatabase(path, f"cannot be upgraded ({exc})") from None
    return data


def parse_record(piece: bytes | memoryview, path: Path, table: str, key: str) -> dict[str, Any]:
    """One record of a version already vouched for, from its bytes (see `Known`); raises
    CorruptDatabase as `parse` would for the whole file."""
    try:
        record = orjson.loads(piece)
    except orjson.JSONDecodeError as exc:
        raise _not_json(path, exc) from None
    if not isinstance(record, dict):
        raise _not_an_object(path, table, key)
    return record


def _not_json(path: Path, exc: orjson.JSONDecodeError) -> CorruptDatabase:
    return CorruptDatabase(path, f"is not valid JSON, perhaps truncated ({exc})")


def _not_an_object(path: Path, table: str, key: str) -> CorruptDatabase:
    return CorruptDatabase(
        path, f"holds a damaged record {key!r} in table {table!r} (not an object)"
    )


def _assembled(pieces: Pieces) -> Any:
    # Parsed whole, the file is first laid out by orjson as a document of its own, about twice
    # its size, next to the records made from it (40 MiB at 10,000 clients): one record at a
    # time, that peak is a record's.
    loads = orjson.loads
    data: dict[str, Any] = {}
    for name, part in pieces:
        if isinstance(part, dict):
            data[name] = {key: loads(memoryview(piece)) for key, piece in part.items()}
        else:
            data[name] = loads(memoryview(part))
    return data

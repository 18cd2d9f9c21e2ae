"""Reading a database file: open it without following it into a FIFO or a folder, parse it,
check its layout and version, and upgrade it in memory. Every failure is a CorruptDatabase or
UnsupportedVersion naming the file, which is left as it was."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import orjson

from ..collector import paused_gc
from . import migrations
from .errors import CorruptDatabase, UnsupportedVersion

Data = dict[str, dict[str, Any]]
Signature = tuple[int, int, int]


def signature_of(st: os.stat_result) -> Signature:
    """A file version's identity: inode, size and modification time."""
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def load_open(path: Path) -> tuple[Data, Signature, int, bytes] | None:
    """Open, read and validate the file; returns its data, identity, the still-open fd and
    the bytes read.

    None if the file does not exist. The identity comes from the open file itself, so it
    always describes exactly the bytes that were parsed.
    """
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
        with open(fd, "rb", closefd=False) as f:
            raw = f.read()
        return parse(raw, path), signature_of(st), fd, raw
    except OSError as exc:
        os.close(fd)
        raise CorruptDatabase(path, f"cannot be read ({exc.strerror})") from None
    except BaseException:
        os.close(fd)
        raise


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


def parse(raw: bytes, path: Path) -> Data:
    """Check the layout and version of a database's bytes and migrate them in memory."""
    if not raw.strip():
        raise CorruptDatabase(path, "is empty")
    try:
        with paused_gc():
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CorruptDatabase(path, f"is not valid JSON, perhaps truncated ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise CorruptDatabase(path, "does not have the layout of an offboard database")
    for name, table in data.items():
        for key, record in table.items():
            if not isinstance(record, dict):
                raise CorruptDatabase(
                    path, f"holds a damaged record {key!r} in table {name!r} (not an object)"
                )
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

"""Failed saves: each one raises WriteFailed, leaves the file as it was, leaves no temp file,
and the next save works."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from storagekit import (
    TARGET,
    FileState,
    add_target,
    check_flag_state,
    leftovers,
    make_services,
    seed,
)

import offboard.storage.jsonfile as jsonfile
from offboard.storage.backups import list_backups
from offboard.storage.errors import WriteFailed
from offboard.storage.loading import load_file
from offboard.storage.tinyfile import TinyRepository


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "offboard.json"
    path.parent.mkdir()
    seed(path, 5)
    add_target(path)
    return path


def fd_path(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def fail_fsync_of_temp(real: Callable[[int], None]) -> Callable[[int], None]:
    def fsync(fd: int) -> None:
        if fd_path(fd).endswith(".tmp"):
            raise OSError(errno.EIO, "Input/output error")
        real(fd)

    return fsync


def fail_replace(src: object, dst: object) -> None:
    raise OSError(errno.EACCES, "Permission denied")


def disk_full_after(limit: int) -> Callable[[int, object], int]:
    """os.write that stores `limit` bytes in all and then reports a full disk."""
    real = os.write
    budget = [limit]

    def write(fd: int, data: object) -> int:
        view = memoryview(data)  # type: ignore[arg-type]
        if budget[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real(fd, view[: budget[0]])
        budget[0] -= n
        return n

    return write


def through(write: Callable[[int, object], int]) -> Callable[[int, list[bytes]], int]:
    """os.writev made of `write` calls, so a save written in pieces meets the same disk."""

    def writev(fd: int, buffers: list[bytes]) -> int:
        total = 0
        for buffer in buffers:
            n = write(fd, buffer)
            total += n
            if n < len(buffer):
                break
        return total

    return writev


FAULTS = {
    "fsync-temp": ("fsync", lambda: fail_fsync_of_temp(os.fsync), "Input/output error"),
    "replace": ("replace", lambda: fail_replace, "Permission denied"),
    "write-enospc-at-start": ("write", lambda: disk_full_after(0), "disk is full"),
    "write-enospc-midway": ("write", lambda: disk_full_after(1000), "disk is full"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_injected_failure_leaves_the_file_untouched(
    db: Path, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services(db)
    before_flags = check_flag_state(services.resolve(TARGET))
    services.log_flag(TARGET, "payment", f"flag {before_flags}")  # warm: cache + backups
    saved = FileState.of(db)
    backups = list_backups(db)
    backup_bytes = {p.name: p.read_bytes() for p in backups}

    name, make, reason = FAULTS[fault]
    injected = make()
    monkeypatch.setattr(jsonfile.os, name, injected)
    if name == "write":  # a save in pieces goes out with writev
        monkeypatch.setattr(jsonfile.os, "writev", through(injected))
    with pytest.raises(WriteFailed) as caught:
        services.log_flag(TARGET, "payment", "this one is lost")
    monkeypatch.undo()

    error = caught.value
    assert str(db) in error.one_line()
    assert reason in error.one_line()
    assert "unchanged" in error.one_line()
    assert FileState.of(db) == saved
    assert leftovers(db) == []
    # Existing backups survive a failed save byte for byte.
    for p in backups:
        if p.exists():
            assert p.read_bytes() == backup_bytes[p.name]

    # The failed change is not in memory either: the same services see the file's state ...
    assert check_flag_state(services.resolve(TARGET)) == before_flags + 1
    # ... and the next save works and builds on what is on disk.
    services.log_flag(TARGET, "payment", f"flag {before_flags + 1}")
    assert check_flag_state(TinyRepository(db).get(services.resolve(TARGET).id)) == (
        before_flags + 2
    )
    load_file(db)


def test_failed_folder_sync_after_the_rename_does_not_claim_the_old_version(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the rename happened and only the folder's fsync failed, the file already holds the
    new state: the error must not say the previous version is unchanged."""
    services = make_services(db)
    n = check_flag_state(services.resolve(TARGET))
    real = os.fsync

    def fsync(fd: int) -> None:
        if os.path.isdir(fd_path(fd)):
            raise OSError(errno.EIO, "Input/output error")
        real(fd)

    monkeypatch.setattr(jsonfile.os, "fsync", fsync)
    with pytest.raises(WriteFailed) as caught:
        services.log_flag(TARGET, "payment", f"flag {n}")
    monkeypatch.undo()
    assert "unchanged" not in caught.value.one_line()
    assert str(db) in caught.value.one_line()
    assert check_flag_state(TinyRepository(db).get(services.resolve(TARGET).id)) == n + 1
    assert leftovers(db) == []


def test_folder_without_directory_fsync_support_still_saves(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some filesystems (certain network and FUSE ones) answer EINVAL to fsync on a folder;
    that is not a failed save."""
    services = make_services(db)
    n = check_flag_state(services.resolve(TARGET))
    real = os.fsync

    def fsync(fd: int) -> None:
        if os.path.isdir(fd_path(fd)):
            raise OSError(errno.EINVAL, "Invalid argument")
        real(fd)

    monkeypatch.setattr(jsonfile.os, "fsync", fsync)
    services.log_flag(TARGET, "payment", f"flag {n}")
    monkeypatch.undo()
    assert check_flag_state(TinyRepository(db).get(services.resolve(TARGET).id)) == n + 1


CHILD_WRITER = """
import resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from storagekit import TARGET, make_services
from offboard.storage.errors import WriteFailed

services = make_services(Path(sys.argv[1]))
services.resolve(TARGET)  # load before limiting: reading is not writing
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    services.log_flag(TARGET, "payment", "flag 0")
except WriteFailed as exc:
    print(exc.one_line(), file=sys.stderr)
    sys.exit(3)
print("saved")
"""


def run_writer(db: Path, limit: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(CHILD_WRITER),
            str(db),
            str(limit),
            str(Path(__file__).parent),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_real_disk_full_via_file_size_limit(db: Path, tmp_path: Path) -> None:
    # Measure the size the save would produce, on a copy.
    probe = tmp_path / "probe" / "offboard.json"
    probe.parent.mkdir()
    shutil.copy2(db, probe)
    done = run_writer(probe, 1 << 30)
    assert done.returncode == 0, done.stderr
    new_size = probe.stat().st_size
    old_size = db.stat().st_size
    assert new_size > old_size + 100

    saved = FileState.of(db)
    result = run_writer(db, new_size - 50)
    assert result.returncode == 3, (result.returncode, result.stdout, result.stderr)
    assert str(db) in result.stderr
    assert "disk is full or the file size limit was reached" in result.stderr
    assert FileState.of(db) == saved
    assert leftovers(db) == []

    # Without the limit the same save works.
    assert run_writer(db, 1 << 30).returncode == 0
    assert check_flag_state(make_services(db).resolve(TARGET)) == 1


def chattr(flag: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["chattr", flag, str(path)], capture_output=True, text=True)


def test_read_only_folder(db: Path) -> None:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed, so a folder cannot be made read-only for root")
    services = make_services(db)
    services.resolve(TARGET)
    saved = FileState.of(db)
    folder = db.parent
    done = chattr("+i", folder)
    try:
        if done.returncode != 0:
            pytest.skip(f"chattr +i not permitted here: {done.stderr.strip()}")
        with pytest.raises(WriteFailed) as caught:
            services.log_flag(TARGET, "payment", "flag 0")
        assert str(db) in caught.value.one_line()
        assert "unchanged" in caught.value.one_line()
        assert FileState.of(db) == saved
    finally:
        chattr("-i", folder)
    assert leftovers(db) == []
    services.log_flag(TARGET, "payment", "flag 0")
    assert check_flag_state(TinyRepository(db).get(services.resolve(TARGET).id)) == 1


def test_repeated_failures_do_not_rotate_good_backups_away(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed save must not cost a backup: retrying a failing save many times must leave
    the older versions in the rotation, not fill it with copies of the current one."""
    services = make_services(db, backups=3)
    for i in range(3):
        services.log_flag(TARGET, "payment", f"flag {i}")
    good = {p.name: p.read_bytes() for p in list_backups(db)}
    assert len(good) == 3

    monkeypatch.setattr(jsonfile.os, "replace", fail_replace)
    for _ in range(5):
        with pytest.raises(WriteFailed):
            services.log_flag(TARGET, "payment", "lost")
    monkeypatch.undo()

    services.log_flag(TARGET, "payment", "flag 3")
    contents = [p.read_bytes() for p in list_backups(db)]
    assert len(contents) == 3
    assert len(set(contents)) == 3, "the rotation holds duplicate versions"
    # The two newest good backups from before the failures are still there.
    newest_two = sorted(good)[-2:]
    assert all(good[name] in contents for name in newest_two)

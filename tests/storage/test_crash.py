"""A writer killed at any instant leaves the old or the new state, never a broken file."""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest
from storagekit import (
    TARGET,
    add_target,
    check_flag_state,
    child,
    leftovers,
    make_services,
    seed,
)

from offboard.domain.codec import client_from_dict
from offboard.storage.backups import list_backups
from offboard.storage.loading import load_file

KIT = str(Path(__file__).parent)
TRIALS = 50

LOOPING_WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from storagekit import TARGET, make_services

services = make_services(Path(sys.argv[1]))
n = len(services.resolve(TARGET).flags)
print("ready", flush=True)
while True:
    services.log_flag(TARGET, "payment", f"flag {n}")
    n += 1
"""


def consistent_target(db: Path, target_id: str) -> int:
    """The file loads, every client decodes, and the target is in a committed state."""
    data = load_file(db)
    clients = {key: client_from_dict(doc) for key, doc in data["clients"].items()}
    assert all(key == c.id for key, c in clients.items())
    n = check_flag_state(clients[target_id])
    assert clients[target_id].rev == n + 1
    return n


@pytest.fixture
def prepared(tmp_path: Path) -> tuple[bytes, str]:
    """~300 clients, so one save takes a few milliseconds; returns the file and the target."""
    db = tmp_path / "prepared" / "offboard.json"
    db.parent.mkdir()
    seed(db, 300, flags_each=2)
    target_id = add_target(db)
    return db.read_bytes(), target_id


@pytest.mark.slow
def test_sigkill_at_random_moments(tmp_path: Path, prepared: tuple[bytes, str]) -> None:
    content, target_id = prepared
    saves = trials_with_leftovers = 0
    for trial in range(TRIALS):
        # Each trial starts from the same file, so the target's history (and the undo
        # journal, which keeps whole before-images) stays small and saves stay fast.
        db = tmp_path / f"trial-{trial}" / "offboard.json"
        db.parent.mkdir()
        db.write_bytes(content)
        assert consistent_target(db, target_id) == 0

        delay = random.Random(trial).uniform(0.005, 0.120)
        proc = child(LOOPING_WRITER, str(db), KIT)
        try:
            ready = proc.stdout.readline()  # type: ignore[union-attr]
            assert ready == "ready\n", proc.communicate()[1]
            time.sleep(delay)
        finally:
            proc.send_signal(signal.SIGKILL)
            _, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, err

        n = consistent_target(db, target_id)
        saves += n
        for backup in list_backups(db):
            load_file(backup)

        if leftovers(db):
            trials_with_leftovers += 1
            make_services(db).log_flag(TARGET, "payment", f"flag {n}")
            assert leftovers(db) == []
            assert consistent_target(db, target_id) == n + 1

    # The writer got to save between kills (else this test would prove nothing).
    assert saves > 0
    print(f"{TRIALS} kills, {saves} saves survived, {trials_with_leftovers} left a temp file")


CRASH_AT = """
import os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import offboard.storage.jsonfile as jsonfile
from storagekit import TARGET, make_services

point = sys.argv[3]
services = make_services(Path(sys.argv[1]))
n = len(services.resolve(TARGET).flags)
real_fsync, real_replace, real_link = os.fsync, os.replace, os.link

def die():
    os._exit(9)

def fsync(fd):
    if point == "temp-written" and os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
        die()
    real_fsync(fd)

def link(src, dst, **kw):
    if point == "backing-up":
        die()
    real_link(src, dst, **kw)

def replace(src, dst, **kw):
    if point == "before-rename":
        die()
    real_replace(src, dst, **kw)
    if point == "after-rename":
        die()

jsonfile.os.fsync, jsonfile.os.link, jsonfile.os.replace = fsync, link, replace
services.log_flag(TARGET, "payment", f"flag {n}")
print("survived")
"""

# point -> whether the change is on disk after the crash
POINTS = {"temp-written": False, "backing-up": False, "before-rename": False, "after-rename": True}


@pytest.mark.parametrize("point", POINTS)
def test_crash_at_each_step_of_a_save(tmp_path: Path, point: str) -> None:
    db = tmp_path / "offboard.json"
    seed(db, 20)
    target_id = add_target(db)
    make_services(db).log_flag(TARGET, "payment", "flag 0")  # so a backup exists
    before = consistent_target(db, target_id)

    proc = child(CRASH_AT, str(db), KIT, point)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 9, (out, err)

    after = consistent_target(db, target_id)
    assert after == before + (1 if POINTS[point] else 0)
    if not POINTS[point]:
        assert leftovers(db), "the crash should have left its temp file"
    for backup in list_backups(db):
        load_file(backup)

    # The next save cleans up and carries on from the surviving state.
    make_services(db).log_flag(TARGET, "payment", f"flag {after}")
    assert leftovers(db) == []
    assert consistent_target(db, target_id) == after + 1

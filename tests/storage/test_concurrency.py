"""Writers in several processes on one file: every update lands, and a held lock makes a
writer give up with DatabaseLocked instead of waiting forever or writing anyway."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest
from storagekit import TARGET, FileState, add_target, child, make_services, seed

from offboard.storage.errors import DatabaseLocked
from offboard.storage.loading import load_file
from offboard.storage.tinyfile import TinyRepository

KIT = str(Path(__file__).parent)
PER_WRITER = 40

# Waits for "go" on stdin so the writers start together, then logs PER_WRITER flags.
WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from storagekit import TARGET, make_services

services = make_services(Path(sys.argv[1]), lock_timeout=60)
services.resolve(TARGET)
print("ready", flush=True)
assert sys.stdin.readline() == "go\\n"
for i in range(int(sys.argv[4])):
    services.log_flag(TARGET, "payment", f"{sys.argv[3]} {i}")
print("done", flush=True)
"""


def start_writer(db: Path, label: str):  # type: ignore[no-untyped-def]
    proc = child(WRITER, str(db), KIT, label, str(PER_WRITER))
    assert proc.stdout.readline() == "ready\n", proc.communicate()[1]  # type: ignore[union-attr]
    return proc


def go(*procs) -> None:  # type: ignore[no-untyped-def]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()


def finish(proc) -> None:  # type: ignore[no-untyped-def]
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.strip() == "done"


def check_no_lost_update(db: Path, target_id: str, labels: list[str]) -> None:
    client = TinyRepository(db).get(target_id)
    assert len(client.flags) == PER_WRITER * len(labels)
    assert len(client.history) == PER_WRITER * len(labels) + 1
    assert client.rev == PER_WRITER * len(labels) + 1
    for label in labels:
        # Each writer's own flags are all there, in its order.
        mine = [f.description for f in client.flags if f.description.startswith(label + " ")]
        assert mine == [f"{label} {i}" for i in range(PER_WRITER)]
    load_file(db)


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "offboard.json"
    seed(path, 50)
    return path, add_target(path)


@pytest.mark.slow
def test_two_writer_processes_lose_nothing(db: tuple[Path, str]) -> None:
    path, target_id = db
    a, b = start_writer(path, "A"), start_writer(path, "B")
    go(a, b)
    finish(a)
    finish(b)
    check_no_lost_update(path, target_id, ["A", "B"])


@pytest.mark.slow
def test_a_writer_process_and_this_process_lose_nothing(db: tuple[Path, str]) -> None:
    path, target_id = db
    other = start_writer(path, "B")
    services = make_services(path, lock_timeout=60)
    services.resolve(TARGET)  # this process has a warm cache that goes stale under it
    go(other)
    for i in range(PER_WRITER):
        services.log_flag(TARGET, "payment", f"A {i}")
    finish(other)
    check_no_lost_update(path, target_id, ["A", "B"])
    # This process's view caught up with the other's saves.
    assert len(services.resolve(TARGET).flags) == 2 * PER_WRITER


def test_held_lock_makes_a_writer_give_up(db: tuple[Path, str]) -> None:
    path, _ = db
    services = make_services(path, lock_timeout=0.2)
    services.resolve(TARGET)
    saved = FileState.of(path)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(DatabaseLocked) as caught:
            services.log_flag(TARGET, "payment", "blocked")
        assert str(path) in caught.value.one_line()
        assert "0.2 s" in caught.value.one_line()
        assert FileState.of(path) == saved
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    # Once the lock is free the same services save normally.
    services.log_flag(TARGET, "payment", "flag 0")
    assert len(TinyRepository(path).get(services.resolve(TARGET).id).flags) == 1


def test_reading_needs_no_lock(db: tuple[Path, str]) -> None:
    path, target_id = db
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        repo = TinyRepository(path, lock_timeout=0.1)
        assert len(repo.clients()) == 51
        assert repo.get(target_id).name == TARGET
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def test_waiting_writer_proceeds_when_the_lock_is_released(db: tuple[Path, str]) -> None:
    """The writer waits in the kernel's queue for the lock (no polling), so it gets it when
    the holder lets go, and a writer that gave up earlier leaves no lock behind."""
    path, target_id = db
    impatient = make_services(path, lock_timeout=0.05)
    patient = make_services(path, lock_timeout=60)
    saved = FileState.of(path)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            patient.log_flag(TARGET, "payment", "flag 0")
        except BaseException as exc:
            errors.append(exc)

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(DatabaseLocked):
            impatient.log_flag(TARGET, "payment", "gave up")
        writer = threading.Thread(target=write)
        writer.start()
        assert FileState.of(path) == saved  # nothing can be saved while we hold the lock
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    writer.join(60)
    assert not writer.is_alive() and errors == []
    assert [f.description for f in TinyRepository(path).get(target_id).flags] == ["flag 0"]
    # The impatient writer's abandoned wait did not keep the lock.
    make_services(path, lock_timeout=60).log_flag(TARGET, "payment", "flag 1")
    assert len(TinyRepository(path).get(target_id).flags) == 2

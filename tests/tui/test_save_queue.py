"""The writer thread's queue (tui/saving.py) on a real database file, with results delivered
by a direct call as the app's call_from_thread would hand them over."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tuikit import TODAY

from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.saving import Operation, SaveQueue


@pytest.fixture
def gen1_due_late() -> Iterator[None]:
    """Young collections counted, and a collection of generation 1 made rare, so what a save
    leaves young at its delivery shows in gc.get_count()."""
    before = gc.get_threshold()
    gc.set_threshold(700, 1000, 10)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def test_a_save_s_young_objects_are_collected_before_its_result_is_delivered(
    tmp_path: Path, gen1_due_late: None
) -> None:
    """The collection a save's allocations make due is run on the writer thread, not on the
    UI thread as it merges the result (where a key pressed meanwhile would wait for it)."""
    services = Services(TinyRepository(tmp_path / "db.json"), FixedClock(TODAY), actor="test")
    counts: list[tuple[int, int, int]] = []
    delivered = threading.Event()

    def deliver(callback, *args) -> None:
        counts.append(gc.get_count())
        callback(*args)

    def saved(op, result, snapshot) -> None:
        delivered.set()

    def busy(s: Services) -> object:
        s.add_client("Gale Studio")
        return [{"n": n} for n in range(10_000)]  # young objects, kept with the result

    queue = SaveQueue(
        services, deliver, on_saved=saved, on_failed=lambda *a: None, on_snapshot=lambda s: None
    )
    try:
        queue.submit(Operation("adding a client", busy))
        assert delivered.wait(10)
    finally:
        queue.close()
    young, since_gen1, _ = counts[0]
    assert since_gen1 == 0  # no collection of generation 0 since the last of generation 1
    assert young < 700

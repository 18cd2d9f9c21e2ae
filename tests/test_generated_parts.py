"""Generated clients built in several processes, and the helpers that make building them
cheap: the same records as one process builds, byte for byte."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from offboard.demo import generate_records
from offboard.demo.generated import _OWN_SHARE, _PER_BOARD, _parts
from offboard.demo.story import renumbered

TODAY = dt.date(2026, 3, 4)
GENERATE = Path(__file__).resolve().parents[1] / "bench" / "generate.py"


@pytest.mark.parametrize(("n", "jobs"), [(70, 2), (133, 3), (21, 2), (5, 2)])
@pytest.mark.parametrize("full_history", [False, True])
def test_other_processes_build_the_same_records(n, jobs, full_history):
    alone = generate_records(n, TODAY, seed=3, full_history=full_history)
    shared = generate_records(n, TODAY, seed=3, full_history=full_history, jobs=jobs)
    assert shared == alone
    assert len({doc["id"] for doc in shared}) == n


@pytest.mark.parametrize("n", [0, 1, 19, 20, 21, 45, 1000, 50_000])
@pytest.mark.parametrize("jobs", [1, 2, 3, 5])
def test_parts_cover_every_client_once_in_whole_boards(n, jobs):
    parts = _parts(n, jobs)
    assert parts[0][0] == 0 and parts[-1][1] == n
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))
    assert all(first % _PER_BOARD == 0 for first, _ in parts)
    assert len(parts) <= jobs
    assert all(first < last for first, last in parts) or parts == [(0, 0)]
    if n >= 1000 and jobs > 1:
        own, *others = [last - first for first, last in parts]
        assert max(others) - min(others) <= 2 * _PER_BOARD
        assert abs(own - _OWN_SHARE * min(others)) <= 2 * _PER_BOARD


def test_renumbered_draws_ids_in_order_and_follows_links():
    old_client, old_invoice = str(uuid.uuid4()), str(uuid.uuid4())
    stray = str(uuid.uuid4())
    doc = {
        "id": old_client,
        "invoices": [{"id": old_invoice, "number": "A-1"}],
        "follow_ups": [{"invoice": old_invoice, "about": stray}],
        "history": [{"old": None, "new": {"id": old_invoice}, "seen": [old_invoice]}],
    }
    rng = random.Random(9)
    draws = random.Random(9)
    expected = [str(uuid.UUID(int=draws.getrandbits(128), version=4)) for _ in range(2)]
    copy = renumbered(doc, rng)
    assert copy["id"] == expected[0]
    assert copy["invoices"][0]["id"] == expected[1]
    assert copy["follow_ups"][0] == {"invoice": expected[1], "about": stray}
    assert copy["history"][0]["new"] == {"id": expected[1]}
    assert copy["history"][0]["seen"] == [old_invoice]  # a list holds text, not a link
    assert doc["id"] == old_client  # the record itself is left as it was


def _generate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(GENERATE), *args], capture_output=True, text=True, check=False
    )


def test_the_script_writes_the_same_file_with_one_process_or_two(tmp_path):
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert _generate("90", str(one), "--seed", "4", "--jobs", "1").returncode == 0
    done = _generate("90", str(two), "--seed", "4", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert "wrote 90 clients" in done.stdout
    assert one.read_bytes() == two.read_bytes()


def test_the_script_refuses_no_process_and_a_file_with_clients(tmp_path):
    path = tmp_path / "db.json"
    refused = _generate("5", str(path), "--jobs", "0")
    assert refused.returncode == 2 and "--jobs" in refused.stderr
    assert not path.exists()
    assert _generate("5", str(path)).returncode == 0
    before = path.read_bytes()
    again = _generate("5", str(path), "--seed", "1")
    assert again.returncode == 1 and "already holds clients" in again.stderr
    assert path.read_bytes() == before

"""The insight half against its floor: `.venv/bin/python bench/insight_bench.py [--sizes N ...]`.

For each size (default 1,000 and 10,000 generated clients, written by generate.py in its own
process) it measures, in the same run and interleaved:

- `load`: a new TinyRepository reading, parsing and decoding every client (the floor: the
  report cannot start before the clients are in memory);
- `report`: the exit report over the default year on those clients, already loaded, as the
  TUI's report screen computes it; the target is at most 1.5x `load`;
- `recommend`: the recommendation of one client after a change to it (decode the changed
  client, recompute); the target is under 2 ms, the median over every client of the first
  thousand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import offboard  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from common import fmt, median, render_table, timed

from offboard.domain.clock import FixedClock
from offboard.domain.recommend import recommend
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository

BENCH = Path(__file__).resolve().parent
TODAY = dt.date(2026, 3, 4)


def make_db(folder: Path, n: int) -> Path:
    path = folder / f"clients-{n}.json"
    cmd = [sys.executable, str(BENCH / "generate.py"), str(n), str(path), "--seed", str(n)]
    subprocess.run([*cmd, "--today", TODAY.isoformat()], check=True, capture_output=True)
    return path


def bench_size(path: Path, runs: int) -> list[list[str]]:
    loads: list[float] = []
    reports: list[float] = []
    services = Services(TinyRepository(path), FixedClock(TODAY))
    clients = services.repo.clients()
    for _ in range(runs):  # interleaved, so a drift of the machine's speed hits both
        loads.append(timed(lambda: TinyRepository(path).clients()))
        reports.append(timed(lambda: services.report(clients=clients)))
    target_money, weights = services.target_rate(), services.weights
    repo = services.repo
    singles: list[float] = []
    for client in clients[:1000]:
        start = time.perf_counter_ns()
        recommend(repo.get(client.id), TODAY, target_money, weights)
        singles.append((time.perf_counter_ns() - start) / 1e6)
    n = len(clients)
    load, report = median(loads), median(reports)
    assert load is not None and report is not None
    return [
        [str(n), "load", fmt(load), ""],
        [str(n), "report", fmt(report), f"{report / load:.2f}x load (target <= 1.5x)"],
        [str(n), "recommend one", fmt(median(singles)), "target < 2 ms"],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="offboard insight benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="offboard-insight-bench-") as tmp:
        for n in args.sizes:
            rows += bench_size(make_db(Path(tmp), n), args.runs)
    print(render_table(["clients", "what", "median ms", "against"], rows, {2}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

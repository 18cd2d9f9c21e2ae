"""Storage benchmark: what loading and changing the database costs, next to its floors.

    python bench/storage_bench.py [--sizes 1000 10000] [--runs 7]
                                  [--json bench/results/storage.json] [--dir FOLDER]

For each size a database of generated clients is written to a temporary folder, then, in this
one run and on that same data:

  load          open a fresh TinyRepository and decode every client (cold: new object per run)
  change        one durable Services.log_flag on a warm repository (file already loaded)
  change_cold   the same on a fresh repository: first change of a new process, minus startup
  list_json     the real CLI as a subprocess: python -m offboard --db PATH list --json
                (at 1,000 and at the largest size)
  floor_write   writing the same number of bytes: temp file + fsync + os.replace + dir fsync
  tinydb_stock  one update of one document with stock tinydb.TinyDB (JSONStorage) on a copy
                of the same data in TinyDB's default layout
  floor_python  python -c pass (measured once)

Prints medians (p95 where there are at least 20 samples) and ratios to the relevant floor;
writes every sample as JSON. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

try:
    import offboard  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import orjson
import tinydb
from common import Row, fmt, machine, render_table, timed, write_json

from offboard.bootstrap import build_services, open_repository
from offboard.config import Config
from offboard.demo import generate_clients, write_clients
from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.tinyfile import CLIENTS, TinyRepository

TODAY = dt.date(2026, 3, 4)
CONFIG = Config()
# Cheap, central metrics get more samples so they have a p95.
MANY = 3
DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "storage.json"


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- floors ----------------------------------------------------------------------------------


def floor_write(folder: Path, payload: bytes, runs: int) -> Row:
    """The unavoidable disk cost of rewriting a file of this size safely."""
    target = folder / "floor.bin"

    def write() -> None:
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        fsync_dir(folder)

    row = Row("floor_write", None, [timed(write) for _ in range(runs)], bytes=len(payload))
    target.unlink(missing_ok=True)
    return row


def floor_python(runs: int) -> Row:
    cmd = [sys.executable, "-c", "pass"]
    subprocess.run(cmd, check=True)  # warm the page cache like the timed runs will be
    return Row(
        "floor_python",
        None,
        [timed(lambda: subprocess.run(cmd, check=True)) for _ in range(runs)],
    )


def tinydb_stock(folder: Path, payload: bytes, runs: int) -> Row:
    """One update of one document with stock TinyDB, on the same documents in its layout."""
    path = folder / "tinydb-stock.json"
    docs = list(orjson.loads(payload)[CLIENTS].values())
    count = len(docs)
    # TinyDB's own layout: the `_default` table, documents under integer ids, stdlib json.
    path.write_text(json.dumps({"_default": {str(i + 1): d for i, d in enumerate(docs)}}))
    del docs
    flag = {
        "id": "00000000-0000-4000-8000-000000000000",
        "category": "time",
        "severity": 1,
        "on": TODAY.isoformat(),
        "description": "bench: stock update",
        "evidence": "",
    }

    def add_flag(doc: dict[str, Any]) -> None:
        doc["flags"].append(flag)

    db = tinydb.TinyDB(path)
    try:
        db.update(add_flag, doc_ids=[1])  # untimed: first touch
        samples = [
            timed(lambda i=i: db.update(add_flag, doc_ids=[i % count + 1])) for i in range(runs)
        ]
    finally:
        db.close()
    return Row("tinydb_stock", None, samples, bytes=path.stat().st_size)


# --- the app -------------------------------------------------------------------------------


def open_repo(path: Path) -> TinyRepository:
    # Through the one construction point the CLI and the TUI use, with default settings.
    return open_repository(path, CONFIG)


def services_for(repo: TinyRepository) -> Services:
    return build_services(repo, FixedClock(TODAY), CONFIG, interface="bench")


def bench_load(path: Path, runs: int) -> Row:
    def load() -> None:
        repo = open_repo(path)
        repo.clients()
        repo.close()

    return Row("load", None, [timed(load) for _ in range(runs)])


def bench_change_cold(path: Path, ids: list[str], runs: int) -> Row:
    samples = []
    for i in range(runs):
        client_id = ids[i % len(ids)]
        gc.collect()
        start = time.perf_counter_ns()
        repo = open_repo(path)
        services_for(repo).log_flag(client_id, "time", "bench: cold change", severity=1)
        samples.append((time.perf_counter_ns() - start) / 1e6)
        repo.close()
    return Row("change_cold", None, samples)


def bench_change_warm(path: Path, ids: list[str], runs: int) -> Row:
    repo = open_repo(path)
    try:
        repo.clients()  # what the TUI holds after its first paint
        svc = services_for(repo)
        svc.log_flag(ids[0], "time", "bench: warm-up", severity=1)
        samples = [
            timed(
                lambda i=i: svc.log_flag(
                    ids[(i + 1) % len(ids)], "time", "bench: warm change", severity=1
                )
            )
            for i in range(runs)
        ]
    finally:
        repo.close()
    return Row("change", None, samples)


def bench_list_json(path: Path, folder: Path, runs: int) -> Row:
    cmd = [sys.executable, "-m", "offboard", "--db", str(path), "list", "--json"]
    env = {
        **os.environ,
        "OFFBOARD_TODAY": TODAY.isoformat(),
        "OFFBOARD_CONFIG": str(folder / "no-config.toml"),  # the user's settings stay out
    }
    env.pop("OFFBOARD_DB", None)

    def run() -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(cmd, env=env, capture_output=True, timeout=300)

    try:
        probe = run()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Row("list_json", None, note=f"skipped: {exc}")
    if probe.returncode != 0:
        lines = probe.stderr.decode(errors="replace").strip().splitlines()
        why = lines[-1] if lines else f"exit {probe.returncode}"
        return Row("list_json", None, note=f"skipped: the CLI is not usable yet ({why})")
    try:
        listed = len(orjson.loads(probe.stdout))
    except (orjson.JSONDecodeError, TypeError):
        return Row("list_json", None, note="skipped: `list --json` did not print a JSON list")
    samples = [timed(run) for _ in range(runs)]
    return Row("list_json", None, samples, note=f"{listed} clients listed")


def bench_size(n: int, runs: int, with_list: bool, where: Path | None) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix=f"offboard-bench-{n}-", dir=where) as tmp:
        folder = Path(tmp)
        path = folder / "offboard.json"
        clients = generate_clients(n, TODAY, seed=n)
        ids = [c.id for c in clients]
        write_clients(path, clients)
        del clients
        # Kept as bytes: a parsed copy would sit in this process's heap and make every
        # garbage collection during the app's measurements slower than in a real process.
        payload = path.read_bytes()
        size = len(payload)
        print(f"  {n:>6} clients: {size / 1e6:.1f} MB, {size / max(n, 1):.0f} B/client", flush=True)

        rows = [bench_load(path, runs)]
        rows.append(bench_change_cold(path, ids, runs))
        rows.append(bench_change_warm(path, ids, runs * MANY))
        # The file grew by a few flags and journal entries: rewrite that many bytes.
        rows.append(floor_write(folder, path.read_bytes(), runs * MANY))
        rows.append(tinydb_stock(folder, payload, runs))
        del payload
        if with_list:
            rows.append(bench_list_json(path, folder, runs))
    for row in rows:
        row.size = n
        row.bytes = row.bytes if row.bytes is not None else size
    by = {r.metric: r for r in rows}
    for metric in ("change", "change_cold"):
        row = by[metric]
        if row.median is None:
            continue
        row.ratios["floor_write"] = row.median / by["floor_write"].median
        row.ratios["tinydb_stock"] = row.median / by["tinydb_stock"].median
    return rows


# --- output ---------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    head = ["metric", "clients", "n", "median ms", "p95 ms", "x floor", "x tinydb", "note"]
    body = []
    for r in rows:
        floor = r.ratios.get("floor_write", r.ratios.get("floor_python"))
        body.append(
            [
                r.metric,
                "-" if r.size is None else f"{r.size:,}",
                str(len(r.samples_ms)),
                fmt(r.median),
                fmt(r.p95),
                "-" if floor is None else f"{floor:.2f}",
                "-" if "tinydb_stock" not in r.ratios else f"{r.ratios['tinydb_stock']:.2f}",
                r.note,
            ]
        )
    return render_table(head, body, right={1, 2, 3, 4, 5, 6})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="offboard storage benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=7, help="samples per metric (default 7)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write samples")
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="folder for the temporary databases (default: the system temp folder); put it on "
        "the disk your real database lives on",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or any(n < 1 for n in args.sizes):
        parser.error("--runs and --sizes must be positive")
    sizes = sorted(set(args.sizes))
    started = time.perf_counter_ns()

    print(f"offboard storage bench: sizes {sizes}, {args.runs} runs", flush=True)
    python = floor_python(args.runs)
    rows: list[Row] = []
    for n in sizes:
        with_list = n == 1000 or n == sizes[-1]
        rows.extend(bench_size(n, args.runs, with_list, args.dir))
    for row in rows:
        if row.metric == "list_json" and row.median is not None:
            row.ratios["floor_python"] = row.median / python.median
    rows.append(python)
    elapsed = (time.perf_counter_ns() - started) / 1e9

    print()
    print(table(rows))
    print(f"\n(x floor: change vs floor_write, list_json vs floor_python; total {elapsed:.0f} s)")

    result = {
        "bench": "storage",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "machine": machine(
            tinydb=tinydb.__version__,
            orjson=orjson.__version__,
            folder=str(args.dir or tempfile.gettempdir()),
        ),
        "args": {"sizes": sizes, "runs": args.runs},
        "rows": [r.to_json() for r in rows],
    }
    write_json(args.json, result)
    print(f"samples written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

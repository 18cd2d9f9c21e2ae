"""PostgreSQL benchmark: a team's board on a server next to the local file, in one run, on the
same generated clients.

    python bench/pg_bench.py [--size 10000] [--runs 7] [--changes 30]
                             [--json bench/results/pg.json] [--dir FOLDER]

A throwaway cluster is made from the system's binaries (initdb and pg_ctl from
/usr/lib/postgresql/*/bin or the PATH; as the `postgres` user when run as root) in a temporary
folder, listening on a Unix socket only, with PostgreSQL's durable defaults (fsync and
synchronous_commit on: a commit is on disk when it returns, as a file save is). Then:

  import_pg     `offboard import` of the board into another, empty database of the server,
                one transaction (once); the board measured below holds the same records as
                the file, written in one transaction as generate.py writes the file
  change_file   one durable Services.log_flag on the file, warm (as storage_bench's `change`)
  change_pg     the same on the server, the two taking turns
  paint_file    the board's first paint in a new process (tui_bench's paint child)
  paint_pg      the same on the server (`--db postgresql://...`)
  colleague     a colleague's change (another connection, in this process) until the open
                board's data has it, and until the first frame after that (`colleague_frame`)

Targets (issue 13): change_pg <= 1/3 of change_file; paint_pg <= 1.2x paint_file; colleague
under 1 s at the median and the p95. Prints medians (p95 from 20 samples) and writes every
sample as JSON. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

try:
    import offboard  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import psycopg
from common import Row, fmt, machine, median, render_table, timed, write_json
from tui_bench import paint_once
from tui_common import FrameClock, isolated_env

from offboard.config import Config, DatabaseUrl
from offboard.demo import generate_records, write_records
from offboard.domain.clock import FixedClock
from offboard.services import EXPORT_FORMAT, EXPORT_VERSION, Services

TODAY = dt.date(2026, 11, 22)  # tui_bench's paint child runs on this day
DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "pg.json"
SUPERUSER = "postgres"
CHANGE_LIMIT = 1 / 3  # change_pg / change_file
PAINT_LIMIT = 1.2  # paint_pg / paint_file
COLLEAGUE_LIMIT_MS = 1000.0  # median and p95


class BenchError(Exception):
    """The server did not start, or a measurement could not be taken as intended."""


# --- a throwaway cluster (as tests/storage/pgserver.py, but durable) --------------------------


class Cluster:
    def __init__(self, parent: Path | None) -> None:
        self.bin_dir = find_bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="offboard-pg-bench-", dir=parent))
        self.data = self.folder / "data"
        self.as_root = os.geteuid() == 0
        self.started = False

    def _run(self, *argv: str) -> None:
        cmd = [str(self.bin_dir / argv[0]), *argv[1:]]
        if self.as_root:  # PostgreSQL refuses to run as root
            cmd = ["runuser", "-u", SUPERUSER, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode != 0:
            raise BenchError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        if self.as_root:
            entry = pwd.getpwnam(SUPERUSER)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o700)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        options = f"-c listen_addresses='' -c unix_socket_directories='{self.folder}'"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")  # fmt: skip
        self.started = True
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE board TEMPLATE template0")
            conn.execute("CREATE DATABASE imported TEMPLATE template0")

    def url(self, dbname: str = "board") -> str:
        return f"postgresql://{SUPERUSER}@/{dbname}?host={quote(str(self.folder), safe='')}"

    def stop(self) -> None:
        if self.started:
            self.started = False
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def find_bin_dir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    raise BenchError("PostgreSQL's initdb and pg_ctl were not found: apt-get install postgresql")


# --- the measurements --------------------------------------------------------------------------


def services(location: Path | DatabaseUrl, actor: str) -> Services:
    from offboard.bootstrap import build_services, open_repository

    config = Config(user=actor)
    repo = open_repository(location, config)
    return build_services(repo, FixedClock(TODAY), config, interface="bench")


def change_rows(locations: dict[str, Path | DatabaseUrl], ids: list[str], runs: int) -> list[Row]:
    """One durable Services.log_flag on a warm repository of each, taking turns sample by
    sample so both see the same machine (storage_bench.py's `change`)."""
    opened = {name: services(where, "bench") for name, where in locations.items()}
    got: dict[str, list[float]] = {name: [] for name in opened}
    try:
        for svc in opened.values():
            svc.repo.clients()  # what the TUI holds after its first paint
            svc.log_flag(ids[0], "time", "bench: warm-up", severity=1)
        for i in range(runs):
            for name, svc in opened.items():
                cid = ids[(i + 1) % len(ids)]
                got[name].append(
                    timed(lambda s=svc, c=cid: s.log_flag(c, "time", "bench: change", severity=1))
                )
    finally:
        for svc in opened.values():
            svc.repo.close()
    return [Row(name, None, samples) for name, samples in got.items()]


def load_pg(url: str, records: list[dict[str, Any]]) -> None:
    """The same records the file holds, written as generate.py writes the file."""
    repo = services(DatabaseUrl(url), "bench").repo
    with repo.transaction() as tx:
        tx.add_records(records)
    repo.close()


def import_pg(url: str, records: list[dict[str, Any]]) -> Row:
    """`offboard import` of the board into another, empty database of the server."""
    svc = services(DatabaseUrl(url), "bench")
    export = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "clients": records}
    start = time.perf_counter_ns()
    svc.import_data(export)
    took = (time.perf_counter_ns() - start) / 1e6
    svc.repo.close()
    return Row("import_pg", None, [took], note="one transaction, into another database")


def paint_rows(file: Path, url: str, runs: int, env: dict[str, str]) -> list[Row]:
    """Alternating file and server, so drift on the machine hits both alike; round 0 warms
    the page cache, the byte code and the server's buffers."""
    got: dict[str, list[float]] = {"paint_file": [], "paint_pg": []}
    for round_ in range(runs + 1):
        for name, db in (("paint_file", str(file)), ("paint_pg", url)):
            sample = paint_once("board", db, env)  # type: ignore[arg-type]
            if round_:
                got[name].append(sample.wall_ms)
        print(f"  paint round {round_}/{runs} done", flush=True)
    return [Row(name, None, samples) for name, samples in got.items()]


async def watch_colleague(url: str, changes: int) -> tuple[list[float], list[float]]:
    """The board open on the server; a colleague changes one client at a time, landing
    anywhere in the board's poll; the time until the board's data has it and the first frame
    after that."""
    from offboard.tui.app import OffboardApp

    colleague = services(DatabaseUrl(url), "colleague")
    app = OffboardApp(DatabaseUrl(url), FixedClock(TODAY))
    frames = FrameClock(app)
    data: list[float] = []
    shown: list[float] = []
    async with app.run_test(size=(120, 40)):
        while not frames.count:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.5)
        ids = [c.id for c in list(app.clients.values())[:changes]]
        for i in range(changes + 2):  # the first two warm up
            await asyncio.sleep(0.05 + (i % 5) * 0.09)
            cid = ids[i % len(ids)]
            rev = colleague.log_flag(cid, "time", f"colleague {i}", severity=1).rev
            start = time.perf_counter_ns()
            while app.clients[cid].rev != rev:
                if time.perf_counter_ns() - start > 5e9:
                    raise BenchError(f"colleague's change {i} not on the board within 5 s")
                await asyncio.sleep(0.002)
            seen = time.perf_counter_ns()
            try:
                frame = await frames.after(lambda t=seen: t, timeout=2.0)
            except TimeoutError:
                frame = seen  # nothing on screen changed: the data is the news
            if i >= 2:
                data.append((seen - start) / 1e6)
                shown.append((frame - start) / 1e6)
    colleague.repo.close()
    return data, shown


# --- output ------------------------------------------------------------------------------------


def targets(rows: dict[str, Row]) -> list[tuple[str, float, float, bool]]:
    """(text, value, limit, met) for each of the issue's targets."""
    out = []

    def ratio(a: str, b: str) -> float | None:
        x, y = rows[a].median, rows[b].median
        return None if x is None or not y else x / y

    change = ratio("change_pg", "change_file")
    if change is not None:
        out.append(
            ("change_pg / change_file <= 0.33", change, CHANGE_LIMIT, change <= CHANGE_LIMIT)
        )
    paint = ratio("paint_pg", "paint_file")
    if paint is not None:
        out.append(("paint_pg / paint_file <= 1.2", paint, PAINT_LIMIT, paint <= PAINT_LIMIT))
    for name in ("colleague", "colleague_frame"):
        row = rows[name]
        for what, value in (("median", row.median), ("p95", row.p95)):
            if value is not None:
                text = f"{name} {what} < 1 s (ms)"
                out.append((text, value, COLLEAGUE_LIMIT_MS, value < COLLEAGUE_LIMIT_MS))
    return out


def table(rows: list[Row]) -> str:
    head = ["metric", "clients", "n", "median ms", "p95 ms", "note"]
    body = [
        [r.metric, f"{r.size:,}", str(len(r.samples_ms)), fmt(r.median), fmt(r.p95), r.note]
        for r in rows
    ]
    return render_table(head, body, right={1, 2, 3, 4})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="offboard PostgreSQL benchmark")
    parser.add_argument("--size", type=int, default=10000, help="clients (default 10000)")
    parser.add_argument("--runs", type=int, default=7, help="paint processes (default 7)")
    parser.add_argument("--changes", type=int, default=30, help="colleague's changes (>= 30)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write samples")
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="folder for the file and the cluster (default: the system temp folder)",
    )
    args = parser.parse_args(argv)
    if args.size < 1 or args.runs < 1 or args.changes < 1:
        parser.error("--size, --runs and --changes must be positive")
    started = time.perf_counter_ns()
    load_before = os.getloadavg()[0]
    print(f"offboard PostgreSQL bench: {args.size:,} clients, {args.runs} paint runs", flush=True)

    cluster = Cluster(args.dir)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="offboard-pg-bench-", dir=args.dir) as tmp:
        folder = Path(tmp)
        env = isolated_env(folder)
        env["XDG_DATA_HOME"] = str(folder / "data")  # the server board's local folder
        for key in ("OFFBOARD_CONFIG", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
            os.environ[key] = env[key]
        os.environ.pop("OFFBOARD_DB", None)
        try:
            cluster.start()
            url = cluster.url()
            file = folder / "offboard.json"
            records = generate_records(args.size, TODAY, seed=args.size)
            ids = [r["id"] for r in records]
            write_records(file, records)
            print(f"  file: {file.stat().st_size / 1e6:.1f} MB", flush=True)
            load_pg(url, records)
            rows.append(import_pg(cluster.url("imported"), records))
            del records
            runs = args.runs * 3  # as storage_bench: the change rows get a p95
            places: dict[str, Path | DatabaseUrl] = {
                "change_file": file,
                "change_pg": DatabaseUrl(url),
            }
            rows += change_rows(places, ids, runs)
            print("  changes done", flush=True)
            rows += paint_rows(file, url, args.runs, env)
            data, shown = asyncio.run(watch_colleague(url, max(args.changes, 1)))
            rows.append(Row("colleague", None, data, note="until the board's data has it"))
            rows.append(Row("colleague_frame", None, shown, note="until the next frame"))
        except BenchError as exc:
            print(f"pg bench: {exc}", file=sys.stderr)
            return 1
        finally:
            cluster.stop()
    for row in rows:
        row.size = args.size
    by = {r.metric: r for r in rows}
    by["change_pg"].ratios["change_file"] = (by["change_pg"].median or 0) / (
        by["change_file"].median or 1
    )
    by["paint_pg"].ratios["paint_file"] = (by["paint_pg"].median or 0) / (
        by["paint_file"].median or 1
    )
    met = targets(by)
    elapsed = (time.perf_counter_ns() - started) / 1e9
    load = (load_before, os.getloadavg()[0])

    print()
    print(table(rows))
    print(f"\n(total {elapsed:.0f} s; load average {load[0]:.2f} before, {load[1]:.2f} after)")
    print("\ntargets")
    for text, value, _limit, ok in met:
        print(f"  {'met    ' if ok else 'NOT MET'}  {text}: {value:.2f}")

    result = {
        "bench": "pg",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "machine": machine(
            psycopg=psycopg.__version__,
            server=str(cluster.bin_dir),
            folder=str(args.dir or tempfile.gettempdir()),
            load_average=[round(x, 2) for x in load],
        ),
        "args": {"size": args.size, "runs": args.runs, "changes": args.changes},
        "rows": [r.to_json() for r in rows],
        "targets": [
            {"text": t, "value": round(v, 3), "limit": lim, "met": ok} for t, v, lim, ok in met
        ],
        "medians_ms": {r.metric: median(r.samples_ms) for r in rows},
    }
    write_json(args.json, result)
    print(f"samples written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

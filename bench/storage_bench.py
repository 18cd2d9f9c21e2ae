"""Storage benchmark: what loading and changing the database costs, next to its floors.

    python bench/storage_bench.py [--sizes 1000 10000] [--runs 7] [--rows ROW ...]
                                  [--json bench/results/storage.json] [--dir FOLDER]

For each size a database of generated clients is written to a temporary folder, then, in this
one run and on that same data:

  load          open a fresh TinyRepository and decode every client (cold: new object per run)
  change        one durable Services.log_flag on a warm repository (file already loaded)
  change_cold   the same on a fresh repository: first change of a new process, minus startup
  list_json     the real CLI as a subprocess: python -m offboard --db PATH list --json
  show, add, move
                the real CLI as subprocesses on the N-client file, interleaved with the same
                command on a 1-client file (show_1, add_1, move_1); each is compared with its
                floor: the 1-client run + one parse of the N-client file (parse) + for a
                change, one safe rewrite of it (floor_write)
  parse         read the file and orjson.loads it, in this process (collector paused)
  generate, import
                with --transfer: bench/generate.py N and `offboard import` of an export of
                N clients into a new file, whole processes, one run each
  floor_write   writing the same number of bytes: temp file + fsync + os.replace + dir fsync
                (interleaved with `change`, sample by sample)
  tinydb_stock  one update of one document with stock tinydb.TinyDB (JSONStorage) on a copy
                of the same data in TinyDB's default layout
  floor_python  python -c pass (measured once)

`--rows` measures only the rows named (and the floors they are compared with): e.g.
`--rows list_json move` times `list --json` and `move`, with move_1, parse and floor_write.

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
from collections.abc import Callable
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
from offboard.demo import generate_clients, write_clients, write_records
from offboard.domain.clock import FixedClock
from offboard.services import Services, paused_gc
from offboard.storage.tinyfile import CLIENTS, TinyRepository

TODAY = dt.date(2026, 3, 4)
CONFIG = Config()
# Cheap, central metrics get more samples so they have a p95.
MANY = 3
CLI_ROWS = ("show", "add", "move")
# What --rows can name; the floors a row is compared with come along with it.
ROWS = ("load", "change_cold", "change", "tinydb_stock", "list_json", "parse", *CLI_ROWS)
DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "storage.json"


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- floors ----------------------------------------------------------------------------------


def floor_writer(folder: Path, payload: bytes) -> Callable[[], None]:
    """One safe rewrite of `payload`: the unavoidable disk cost of a whole-file store."""
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

    return write


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


def bench_change_warm(path: Path, ids: list[str], runs: int) -> list[Row]:
    """`change`, interleaved sample by sample with `floor_write` of the file as it is then,
    so that both see the same machine."""
    repo = open_repo(path)
    folder = path.parent
    changes, floors = [], []
    try:
        repo.clients()  # what the TUI holds after its first paint
        svc = services_for(repo)
        svc.log_flag(ids[0], "time", "bench: warm-up", severity=1)
        floor = floor_writer(folder, path.read_bytes())
        floor()  # warm-up
        for i in range(runs):
            changes.append(
                timed(
                    lambda i=i: svc.log_flag(
                        ids[(i + 1) % len(ids)], "time", "bench: warm change", severity=1
                    )
                )
            )
            floors.append(timed(floor))
        size = path.stat().st_size
    finally:
        repo.close()
        (folder / "floor.bin").unlink(missing_ok=True)
    return [Row("change", None, changes), Row("floor_write", None, floors, bytes=size)]


def cli_env(folder: Path) -> dict[str, str]:
    """The environment every CLI child runs in: a fixed day, no user settings, and bytecode
    cached as an installed package has it (a sandbox's PYTHONDONTWRITEBYTECODE would make
    every child compile offboard from source)."""
    env = {
        **os.environ,
        "OFFBOARD_TODAY": TODAY.isoformat(),
        "OFFBOARD_CONFIG": str(folder / "no-config.toml"),  # the user's settings stay out
        "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
    }
    env.pop("OFFBOARD_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def bench_list_json(path: Path, folder: Path, runs: int) -> Row:
    cmd = [sys.executable, "-m", "offboard", "--db", str(path), "list", "--json"]
    env = cli_env(folder)

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


def bench_parse(path: Path, runs: int) -> Row:
    """One parse of the file: what any command on it pays at least."""

    def parse() -> None:
        with paused_gc():
            orjson.loads(path.read_bytes())

    return Row("parse", None, [timed(parse) for _ in range(runs)])


def bench_floor_write(path: Path, runs: int) -> Row:
    """`floor_write` alone, for the CLI rows when `change` (which interleaves it) is left out."""
    floor = floor_writer(path.parent, path.read_bytes())
    try:
        floor()  # warm-up
        return Row("floor_write", None, [timed(floor) for _ in range(runs)])
    finally:
        (path.parent / "floor.bin").unlink(missing_ok=True)


def bench_cli(
    big: Path, one: Path, client_id: str, folder: Path, runs: int, wanted: tuple[str, ...]
) -> list[Row]:
    """show / add / move (those `wanted`) on the N-client file and on a 1-client file holding
    the same client, interleaved so both see the same machine. A move is undone (untimed)
    after each run, so every run moves the same client the same way."""
    env = cli_env(folder)
    ref = client_id[:8]
    commands = {
        name: args
        for name, args in {
            "show": ["show", ref],
            "add": ["add", "Bench Client", "--email", "bench@example.com"],
            "move": ["move", ref, "settlement", "--force"],
        }.items()
        if name in wanted
    }

    def run(path: Path, args: list[str]) -> float:
        cmd = [sys.executable, "-m", "offboard", "--db", str(path), *args]
        gc.collect()
        start = time.perf_counter_ns()
        done = subprocess.run(cmd, env=env, capture_output=True, timeout=600)
        took = (time.perf_counter_ns() - start) / 1e6
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.decode().strip()}")
        return took

    def undo(path: Path) -> None:
        cmd = [sys.executable, "-m", "offboard", "--db", str(path), "undo"]
        subprocess.run(cmd, env=env, capture_output=True, timeout=600, check=True)

    samples: dict[str, list[float]] = {
        f"{name}{tail}": [] for name in commands for tail in ("", "_1")
    }
    for name, args in commands.items():  # warm-up: bytecode written, page cache warm
        for path in (one, big):
            run(path, args)
            if name == "move":
                undo(path)
    for _ in range(runs):
        for name, args in commands.items():
            for path, tail in ((one, "_1"), (big, "")):
                samples[name + tail].append(run(path, args))
                if name == "move":
                    undo(path)
    return [Row(metric, None, values) for metric, values in samples.items()]


def transfer_rows(n: int, folder: Path) -> list[Row]:
    """bench/generate.py N and `offboard import` of its export into a new file, one whole
    process each (50,000 clients: the stress size the file must handle in under 20 s)."""
    env = cli_env(folder)
    made = folder / "generated.json"
    script = Path(__file__).resolve().parent / "generate.py"
    gen = [sys.executable, str(script), str(n), str(made), "--seed", str(n)]
    rows = [
        Row(
            "generate",
            None,
            [timed(lambda: subprocess.run(gen, env=env, check=True, capture_output=True))],
        )
    ]
    export = folder / "export.json"
    exp = [sys.executable, "-m", "offboard", "--db", str(made), "export", str(export)]
    subprocess.run(exp, env=env, check=True, capture_output=True)
    target = folder / "imported.json"
    imp = [sys.executable, "-m", "offboard", "--db", str(target), "import", str(export)]
    rows.append(
        Row("import", None, [timed(lambda: subprocess.run(imp, env=env, check=True,
                                                          capture_output=True))])
    )  # fmt: skip
    return rows


def bench_size(
    n: int,
    runs: int,
    with_list: bool,
    where: Path | None,
    transfer: bool = False,
    wanted: tuple[str, ...] = ROWS,
) -> list[Row]:
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

        cli = tuple(name for name in CLI_ROWS if name in wanted)
        rows = []
        if "load" in wanted:
            rows.append(bench_load(path, runs))
        if "change_cold" in wanted:
            rows.append(bench_change_cold(path, ids, runs))
        if "change" in wanted:
            rows.extend(bench_change_warm(path, ids, runs * MANY))
        elif {"add", "move"} & set(cli):
            rows.append(bench_floor_write(path, runs * MANY))
        if "tinydb_stock" in wanted or "change" in wanted or "change_cold" in wanted:
            rows.append(tinydb_stock(folder, payload, runs))
        del payload
        if with_list and "list_json" in wanted:
            rows.append(bench_list_json(path, folder, runs))
        if "parse" in wanted or cli:
            rows.append(bench_parse(path, runs))
        if cli:
            # The 1-client file holds the very client the commands show and move.
            moved = next(r for r in orjson.loads(path.read_bytes())[CLIENTS].values()
                         if r["stage"] == "handover")  # fmt: skip
            one = folder / "one.json"
            write_records(one, [moved])
            rows.extend(bench_cli(path, one, moved["id"], folder, runs, cli))
        if transfer:
            rows.extend(transfer_rows(n, folder))
    for row in rows:
        row.size = n
        row.bytes = row.bytes if row.bytes is not None else size
    by = {r.metric: r for r in rows}
    for metric in ("change", "change_cold"):
        row = by.get(metric)
        if row is None or row.median is None:
            continue
        row.ratios["floor_write"] = row.median / by["floor_write"].median
        row.ratios["tinydb_stock"] = row.median / by["tinydb_stock"].median
    for metric in cli:
        floor = by[metric + "_1"].median + by["parse"].median
        if metric != "show":
            floor += by["floor_write"].median
        by[metric].ratios["cli_floor"] = by[metric].median / floor
        by[metric].note = f"floor {floor:,.0f} ms (1-client run + parse" + (
            ")" if metric == "show" else " + floor_write)"
        )
    return rows


# --- output ---------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    head = ["metric", "clients", "n", "median ms", "p95 ms", "x floor", "x tinydb", "note"]
    body = []
    for r in rows:
        floor = r.ratios.get("floor_write", r.ratios.get("floor_python", r.ratios.get("cli_floor")))
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
    parser.add_argument(
        "--transfer",
        action="store_true",
        help="also time bench/generate.py and `offboard import` at each size (one run each)",
    )
    parser.add_argument(
        "--rows",
        nargs="+",
        choices=ROWS,
        default=list(ROWS),
        metavar="ROW",
        help=f"measure only these rows and their floors ({', '.join(ROWS)}; default: all)",
    )
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
        rows.extend(bench_size(n, args.runs, True, args.dir, args.transfer, tuple(args.rows)))
    for row in rows:
        if row.metric == "list_json" and row.median is not None:
            row.ratios["floor_python"] = row.median / python.median
    rows.append(python)
    elapsed = (time.perf_counter_ns() - started) / 1e9

    print()
    print(table(rows))
    print(
        "\n(x floor: change vs floor_write, list_json vs floor_python, show/add/move vs their"
        f" floor in the note; total {elapsed:.0f} s)"
    )

    result = {
        "bench": "storage",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "machine": machine(
            tinydb=tinydb.__version__,
            orjson=orjson.__version__,
            folder=str(args.dir or tempfile.gettempdir()),
        ),
        "args": {"sizes": sizes, "runs": args.runs, "rows": args.rows},
        "rows": [r.to_json() for r in rows],
    }
    write_json(args.json, result)
    print(f"samples written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

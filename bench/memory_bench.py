"""Does memory grow with use? Open and close each screen many times and watch the process.

    .venv/bin/python bench/memory_bench.py                 # 1,000 and 10,000 clients, 50 times
    .venv/bin/python bench/memory_bench.py --sizes 1000 --times 50

For each size, a new process (so one size's heap never inflates the next) builds the app on a
generated database at the bench's fixed day and drives it with Textual's Pilot in a headless
terminal. It opens and closes each screen `--warmup` times (Textual's own caches of drawn lines
fill up over the first twenty or so openings, then stay at their bound), then `--times` times
more, and reports the growth of the process's resident memory over those openings (current RSS
from /proc, and the peak from getrusage), per screen. A screen that leaks grows in proportion
to `--times`; the target is under 2 MiB in total for 50 openings of every screen together.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import offboard  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from common import render_table

BENCH = Path(__file__).resolve().parent
TODAY = "2026-03-04"
# Each screen: the keys that open it from the board. Escape closes them all.
SCREENS: dict[str, tuple[str, ...]] = {
    "agenda": ("t",),
    "client": ("enter",),
    "letter editor": ("w",),
    "help": ("question_mark",),
    "palette": ("ctrl+p", "a", "g"),
}


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def churn(path: Path, times: int, warmup: int) -> dict[str, dict[str, float]]:
    import datetime as dt

    from textual.app import App

    from offboard.domain.clock import FixedClock
    from offboard.tui.app import OffboardApp
    from offboard.tui.commands import OffboardCommands

    app = OffboardApp(path, FixedClock(dt.date.fromisoformat(TODAY)), watch=False)
    app.COMMANDS = App.COMMANDS | {OffboardCommands}
    app.animation_level = "none"
    result: dict[str, dict[str, float]] = {}
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause(0.5)
        board = app.screen

        async def once(keys: tuple[str, ...]) -> None:
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            await pilot.pause(0.05)
            while app.screen is not board:
                await pilot.press("escape")
                await pilot.pause()
            await pilot.pause()

        for name, keys in SCREENS.items():
            for _ in range(warmup):
                await once(keys)
            gc.collect()
            rss0, peak0 = rss_mib(), peak_mib()
            for _ in range(times):
                await once(keys)
            gc.collect()
            result[name] = {"rss": rss_mib() - rss0, "peak": peak_mib() - peak0}
    return result


def child(path: Path, times: int, warmup: int) -> None:
    print(json.dumps(asyncio.run(churn(path, times, warmup))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="offboard memory-with-use benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--times", type=int, default=50, help="openings of each screen")
    parser.add_argument(
        "--warmup", type=int, default=30, help="openings first, not counted (Textual's caches)"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.times, args.warmup)
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="offboard-memory-bench-") as tmp:
        for n in args.sizes:
            db = Path(tmp) / f"clients-{n}.json"
            gen = [sys.executable, str(BENCH / "generate.py"), str(n), str(db), "--seed", str(n)]
            subprocess.run([*gen, "--today", TODAY], check=True, capture_output=True)
            env_cmd = [sys.executable, __file__, "--child", str(db), "--times", str(args.times)]
            env_cmd += ["--warmup", str(args.warmup)]
            out = subprocess.run(env_cmd, check=True, capture_output=True, text=True)
            grown = json.loads(out.stdout.strip().splitlines()[-1])
            total_rss = sum(g["rss"] for g in grown.values())
            total_peak = sum(g["peak"] for g in grown.values())
            for name, g in grown.items():
                rows.append([str(n), name, f"{g['rss']:+.2f}", f"{g['peak']:+.2f}"])
            rows.append([str(n), "all screens", f"{total_rss:+.2f}", f"{total_peak:+.2f}"])
    head = ["clients", f"screen x{args.times}", "RSS MiB", "peak MiB"]
    print(render_table(head, rows, {2, 3}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

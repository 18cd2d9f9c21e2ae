"""TUI benchmark: the board's first paint, card moves and memory, next to a bare Textual app.

    python bench/tui_bench.py [--sizes 0 1000 10000] [--move-sizes 100 1000 10000]
                              [--screen-sizes 1000 10000 50000] [--screen-rounds 3]
                              [--runs 7] [--moves 40] [--json bench/results/tui.json] [--dir FOLDER]

Everything runs headless at 120x40, in this one run, on generated clients (cached in a temporary
folder for the run):

  paint_floor     a new process showing a minimal Textual app (Header, Static, Footer): from
                  just before the process is started to its first frame
  paint           the same for the board on a database of N clients (--sizes)
  peak_rss_floor  peak resident memory (VmHWM, else ru_maxrss) of the floor process
  peak_rss        the same for the board process, which also saves one move before it quits
  first_key_floor, first_key
                  in the same processes: a key posted with the first frame, from the same start
                  to the app being done with it (the board opens its database before any key)
  full_frames_before_footer
                  full frames (the whole screen rewritten) the process wrote before the first
                  frame showing the footer's keys; the note counts frames of any kind
  move_handler    in-process, on N clients (--move-sizes): the action bound to shift+left /
                  shift+right, from its call to its return (the save runs on the writer thread)
  move_repaint    from posting the key event to the first frame after the handler returned
  repaint_bare    the same frame without the move: redraw the two columns a move redraws
  move_written    from posting the key to the writer thread's Services.move returning
  move_durable    from posting the key to app.saver.wait_idle() returning

and, on N clients (--screen-sizes), the agenda, the command palette, the board's filter and a
key pressed while a save comes back, each against its bare repaint: see bench/tui_screens.py.

Prints medians (p95 where there are at least 20 samples), ratios and the targets of the TUI
performance issue; writes every sample as JSON. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import gc
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import offboard  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import orjson
import rich
import textual
from common import machine, median, write_json
from textual import events
from tui_common import (
    HEIGHT,
    TODAY,
    WIDTH,
    BenchError,
    FrameClock,
    Target,
    TuiRow,
    isolated_env,
    make_db,
    movable,
    summary,
    table,
)
from tui_screens import SCREEN_METRICS, apply_screen_targets, bench_screens

from offboard.domain.clock import FixedClock
from offboard.domain.models import Stage

DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "tui.json"
CHILD_TIMEOUT = 180.0  # seconds a paint process may take before it is killed
WARMUP_MOVES = 4

# Targets from the TUI performance issues.
PAINT_LIMITS = {1000: 1.3, 10000: 1.8}  # x paint_floor
FRAMES_BEFORE_FOOTER = 1  # full frames written before the footer's keys show
HANDLER_P95_MS = {10000: 5.0}
REPAINT_VS_BARE = 1.5  # move_repaint / repaint_bare, every size
REPAINT_SCALING = (100, 10000, 1.10)  # move_repaint at 10,000 vs at 100
RSS_BUDGET_MIB = {10000: 150.0}  # over peak_rss_floor


# --- first paint and memory: one new process per sample --------------------------------------

# Runs in a new interpreter. Timing starts before anything is imported: the parent measures
# from just before it starts the process to the "painted" line; the child reports where its own
# time went. The frame is turned into the escape sequences a terminal would get (the headless
# driver skips that), then the child quits; the board child first saves one move, so its peak
# memory includes a whole-file write.
CHILD = r"""
import os, sys, time
t_start = time.perf_counter()
kind, db, save = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
width, height = int(sys.argv[4]), int(sys.argv[5])
if kind == "floor":
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Floor(App):
        def compose(self):
            yield Header()
            yield Static("floor")
            yield Footer()

    t_import = time.perf_counter()
    app = Floor()
    def is_painted(screen):
        return True
else:
    import datetime as dt
    from pathlib import Path
    from offboard.domain.clock import FixedClock
    from offboard.tui.app import OffboardApp
    t_import = time.perf_counter()
    from offboard.config import db_location  # a file, or a server (bench/pg_bench.py)
    app = OffboardApp(db_location(db), FixedClock(dt.date(2026, 11, 22)), watch=False)
    def is_painted(screen):
        return type(screen).__name__ == "BoardScreen"
t_built = time.perf_counter()
display = app._display
painted = False

def quit_after_save():
    if kind == "floor" or not save:
        app.exit()
        return
    from offboard.domain.models import Stage
    # The card is found as a user finds it, on the board: decoding every client to look for
    # it (app.clients.values()) cost the peak about 20 MiB that moving a card does not.
    cards = sorted(app.screen.model.columns[Stage.PREPARATION], key=lambda card: card.id)
    ids = [next((c.id for c in cards if not any(r.open for r in c.client.repairs)), None)]
    if ids[0] is None:
        app.exit()
        return
    app.submit("bench", lambda s: s.move(ids[0], Stage.ASSESSMENT),
               on_done=lambda _: app.exit(), on_error=lambda _: app.exit())

frames = full = 0
footer_shown = False

def footer_keys(screen):
    from textual.widgets._footer import FooterKey
    return any(key.region.area for key in screen.query(FooterKey))

def hook(screen, renderable):
    # The first frame is the paint; frames go on being counted until one shows the footer's
    # keys (a LayoutUpdate rewrites the whole screen: a full frame).
    global painted, frames, full, footer_shown
    display(screen, renderable)
    if footer_shown or renderable is None or not is_painted(screen):
        return
    render = getattr(renderable, "render_segments", None)
    if render is not None:
        render(app.console)
    t = time.perf_counter()
    if not painted:
        painted = True
        times = (t - t_start, t_import - t_start, t_built - t_import, t - t_built)
        os.write(1, ("painted " + " ".join(f"{x:.6f}" for x in times) + "\n").encode())
        # A key no binding uses, then a note of when the app is done with it: what a key
        # pressed as the first frame shows waits for (the board opens its database first).
        from textual import events
        app.post_message(events.Key("f24", None))
        app.call_later(lambda: os.write(1, f"keyed {time.perf_counter() - t_start:.6f}\n".encode()))
        app.set_timer(10, quit_after_save)  # a footer that never shows its keys
    if footer_keys(screen):
        footer_shown = True
        os.write(1, f"footer {frames} {full} {t - t_start:.6f}\n".encode())
        app.call_later(quit_after_save)
    frames += 1
    full += type(renderable).__name__ == "LayoutUpdate"

app._display = hook
app.run(headless=True, size=(width, height))
# Peak RSS in KiB. Linux carries ru_maxrss over an exec from the forked parent, so prefer the
# high-water mark of this process image itself.
peak = None
try:
    with open("/proc/self/status") as status:
        peak = next(int(x.split()[1]) for x in status if x.startswith("VmHWM:"))
except (OSError, StopIteration):
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
os.write(1, f"rss {peak}\n".encode())
"""


@dataclass
class PaintSample:
    wall_ms: float  # parent: before Popen to the "painted" line
    child_ms: float  # child: from its first line to the frame
    import_ms: float
    build_ms: float  # OffboardApp(): config, open and read the database
    run_ms: float  # app.run() to the first frame
    rss_mib: float
    frames_before_footer: int = -1  # frames written before the first with the footer's keys
    full_before_footer: int = -1  # of which full frames (the whole screen rewritten)
    keyed_ms: float = -1.0  # parent's clock: a key posted with the first frame, handled


def paint_once(kind: str, db: Path | None, env: dict[str, str]) -> PaintSample:
    cmd = [sys.executable, "-c", CHILD, kind, str(db or ""), "1", str(WIDTH), str(HEIGHT)]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter_ns()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
        watchdog = threading.Timer(CHILD_TIMEOUT, proc.kill)
        watchdog.start()
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            end = time.perf_counter_ns()
            rest = proc.stdout.read()
            proc.wait()
        finally:
            watchdog.cancel()
        if proc.returncode != 0 or not line.startswith(b"painted "):
            err.seek(0)
            lines = err.read().decode(errors="replace").strip().splitlines()
            why = lines[-1] if lines else f"exit {proc.returncode}"
            raise BenchError(f"{kind} child failed: {why}")
    child, imports, build, run = (float(x) * 1000 for x in line.split()[1:])
    peaks = [int(x.split()[1]) for x in rest.splitlines() if x.startswith(b"rss ")]
    if not peaks:
        raise BenchError(f"{kind} child did not report its memory")
    rss_kib = peaks[0]
    footer = [x.split() for x in rest.splitlines() if x.startswith(b"footer ")]
    frames, full = (int(footer[0][1]), int(footer[0][2])) if footer else (-1, -1)
    wall = (end - start) / 1e6
    keyed = [float(x.split()[1]) * 1000 for x in rest.splitlines() if x.startswith(b"keyed ")]
    if not keyed:
        raise BenchError(f"{kind} child did not report its first key")
    keyed_wall = keyed[0] + (wall - child)  # the child's clock moved onto the parent's
    sample = PaintSample(wall, child, imports, build, run, rss_kib / 1024, frames, full)
    sample.keyed_ms = keyed_wall
    return sample


def bench_paint(dbs: dict[int, Path], runs: int, env: dict[str, str]) -> list[TuiRow]:
    """Round-robin over the floor and every size, so drift on the machine hits all alike."""
    configs: list[tuple[str, int | None]] = [("floor", None)] + [("board", n) for n in dbs]
    samples: dict[int | None, list[PaintSample]] = {size: [] for _, size in configs}
    for round_ in range(runs + 1):  # round 0 warms the page cache and the .pyc files
        for kind, size in configs:
            sample = paint_once(kind, dbs.get(size) if size is not None else None, env)
            if round_:
                samples[size].append(sample)
        print(f"  paint round {round_}/{runs} done", flush=True)

    rows = []
    for kind, size in configs:
        got = samples[size]
        name = "paint_floor" if kind == "floor" else "paint"

        def med(attr: str, got: list[PaintSample] = got) -> float:
            return median([getattr(s, attr) for s in got]) or 0.0

        start_ms = med("wall_ms") - med("child_ms")
        note = f"start {start_ms:.0f}, import {med('import_ms'):.0f}, "
        if kind == "board":
            note += f"open+read db {med('build_ms'):.0f}, "
        note += f"run->frame {med('run_ms'):.0f}"
        row = TuiRow(name, size, [s.wall_ms for s in got], note=note)
        rss_note = "paint, save one move, quit" if kind == "board" and size else ""
        rss_name = name.replace("paint", "peak_rss")
        rss = TuiRow(rss_name, size, [s.rss_mib for s in got], note=rss_note, unit="MiB")
        row.breakdown = {
            "child_ms": [s.child_ms for s in got],
            "import_ms": [s.import_ms for s in got],
            "build_ms": [s.build_ms for s in got],
            "run_ms": [s.run_ms for s in got],
        }
        footer = TuiRow(
            name.replace("paint", "full_frames_before_footer"),
            size,
            [float(s.full_before_footer) for s in got],
            note=f"frames of any kind: {med('frames_before_footer'):.0f}",
            unit="frames",
        )
        keyed = TuiRow(name.replace("paint", "first_key"), size, [s.keyed_ms for s in got])
        rows += [row, rss, footer, keyed]
    return rows


# --- card moves: in this process, on the app's own event loop ---------------------------------


@dataclass
class MoveSamples:
    handler: list[float] = field(default_factory=list)
    dispatch: list[float] = field(default_factory=list)
    repaint: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    written: list[float] = field(default_factory=list)
    durable: list[float] = field(default_factory=list)


async def drive_moves(path: Path, moves: int) -> MoveSamples:
    from offboard.tui.app import OffboardApp
    from offboard.tui.board.screen import BoardScreen

    app = OffboardApp(path, FixedClock(TODAY), watch=False)
    frames = FrameClock(app)
    marks: dict[str, Any] = {}

    real_move = app.services.move

    def move(*args: Any, **kwargs: Any) -> Any:  # runs on the writer thread
        result = real_move(*args, **kwargs)
        marks["written"] = time.perf_counter_ns()
        return result

    app.services.move = move

    def wait_idle() -> tuple[bool, int]:
        done = app.saver.wait_idle(60)
        return done, time.perf_counter_ns()

    out = MoveSamples()
    async with app.run_test(size=(WIDTH, HEIGHT), notifications=True, tooltips=True):
        loop = asyncio.get_running_loop()
        while not isinstance(app.screen, BoardScreen) or not frames.count:
            await asyncio.sleep(0.01)
        screen = app.screen
        await frames.quiet(0.2)

        def timed_action(action: Callable[[], None]) -> Callable[[], None]:
            def run() -> None:
                marks["start"] = time.perf_counter_ns()
                action()
                marks["end"] = time.perf_counter_ns()

            return run

        def watch_save() -> None:
            # Runs on this loop soon after the save was queued, wherever the board queued it
            # (in the handler or after the repaint). The writer cannot go idle before then:
            # it hands each result over on this loop and only then counts the save as done.
            if "idle" not in marks:
                marks["idle"] = loop.run_in_executor(None, wait_idle)

        real_submit = app.saver.submit

        def submit(op: Any) -> None:
            real_submit(op)
            loop.call_soon(watch_save)

        app.saver.submit = submit

        screen.action_move_next = timed_action(screen.action_move_next)
        screen.action_move_prev = timed_action(screen.action_move_prev)

        cards = screen.model.columns[Stage.PREPARATION]
        card = next((c for c in cards if movable(c.client)), None)
        if card is None:
            raise BenchError("no preparation card that moves without a gate or a dialog")
        card_id = card.id
        screen.action_focus_client(card_id)
        await frames.quiet()
        if screen.model.focused_id() != card_id:
            raise BenchError("could not focus the card to move")

        for i in range(WARMUP_MOVES + moves):
            source = app.clients[card_id].stage
            key, target = (
                ("shift+left", Stage.ASSESSMENT)
                if source is Stage.PREPARATION
                else ("shift+right", Stage.PREPARATION)
            )

            # The move: key event in, first frame after the handler out.
            gc.collect()
            await frames.quiet()
            marks.clear()
            frames.clear()
            start = time.perf_counter_ns()
            app.post_message(events.Key(key, None))
            frame = await frames.after(lambda: marks.get("end"))
            for _ in range(10_000):  # the save may be queued after the repaint
                if "idle" in marks:
                    break
                await asyncio.sleep(0.001)
            else:
                raise BenchError(f"move {i}: no save was queued (was the move refused?)")
            done, idle = await marks["idle"]
            await frames.quiet()  # the writer's result has been shown
            model = screen.model
            if not (
                done
                and app.clients[card_id].stage is target
                and model.cards[card_id].stage is target
                and not model.overlays
                and not model.unsaved
                and model.focused_id() == card_id
                and "written" in marks
            ):
                raise BenchError(f"move {i} of {card_id} to {target.value} did not happen as asked")

            # The same two columns repainted with nothing changed.
            gc.collect()
            await frames.quiet()
            frames.clear()
            bare_start = time.perf_counter_ns()
            screen.view.refresh_columns({source, target})
            bare = await frames.after(lambda t=bare_start: t)

            if i < WARMUP_MOVES:
                continue
            out.handler.append((marks["end"] - marks["start"]) / 1e6)
            out.dispatch.append((marks["start"] - start) / 1e6)
            out.repaint.append((frame - start) / 1e6)
            out.bare.append((bare - bare_start) / 1e6)
            out.written.append((marks["written"] - start) / 1e6)
            out.durable.append((idle - start) / 1e6)
        await frames.quiet()
    return out


def bench_moves(path: Path, n: int, moves: int) -> list[TuiRow]:
    got = asyncio.run(drive_moves(path, moves))
    gc.collect()
    dispatch = median(got.dispatch) or 0.0
    return [
        TuiRow("move_handler", n, got.handler, note=f"key->handler {dispatch:.2f} ms"),
        TuiRow("move_repaint", n, got.repaint),
        TuiRow("repaint_bare", n, got.bare),
        TuiRow("move_written", n, got.written),
        TuiRow("move_durable", n, got.durable),
    ]


# --- targets, output ---------------------------------------------------------------------------


def apply_targets(rows: list[TuiRow]) -> None:
    """Ratios to each row's reference, and the issue's targets on the rows they concern."""

    def find(metric: str, size: int | None) -> TuiRow | None:
        return next((r for r in rows if r.metric == metric and r.size == size), None)

    def add(row: TuiRow, text: str, value: float, limit: float) -> None:
        row.targets.append(Target(text, round(value, 3), limit, value <= limit))

    floor, rss_floor = find("paint_floor", None), find("peak_rss_floor", None)
    for row in rows:
        if row.median is None:
            continue
        if row.metric == "paint" and floor and floor.median:
            ratio = row.median / floor.median
            row.ratios["paint_floor"] = ratio
            if row.size in PAINT_LIMITS:
                add(row, f"<= {PAINT_LIMITS[row.size]}x floor", ratio, PAINT_LIMITS[row.size])
        key_floor = find("first_key_floor", None)
        if row.metric == "first_key" and key_floor and key_floor.median:
            row.ratios["first_key_floor"] = row.median / key_floor.median
        if row.metric == "peak_rss" and rss_floor and rss_floor.median:
            row.ratios["peak_rss_floor"] = row.median / rss_floor.median
            if row.size in RSS_BUDGET_MIB:
                extra = row.median - rss_floor.median
                budget = RSS_BUDGET_MIB[row.size]
                add(row, f"<= floor + {budget:.0f} MiB", extra, budget)
        if row.metric == "move_handler" and row.size in HANDLER_P95_MS and row.p95 is not None:
            limit = HANDLER_P95_MS[row.size]
            add(row, f"p95 <= {limit:.0f} ms", row.p95, limit)
        if row.metric == "move_repaint":
            bare = find("repaint_bare", row.size)
            if bare and bare.median:
                ratio = row.median / bare.median
                row.ratios["repaint_bare"] = ratio
                add(row, f"<= {REPAINT_VS_BARE}x bare", ratio, REPAINT_VS_BARE)
            small, large, limit = REPAINT_SCALING
            base = find("move_repaint", small)
            if row.size == large and base and base.median:
                ratio = row.median / base.median
                row.ratios[f"move_repaint_{small}"] = ratio
                add(row, f"<= {limit:.2f}x at {small}", ratio, limit)
        if row.metric == "full_frames_before_footer" and row.size == max(PAINT_LIMITS):
            add(row, f"<= {FRAMES_BEFORE_FOOTER}", row.median, FRAMES_BEFORE_FOOTER)
    apply_screen_targets(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="offboard TUI benchmark")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[0, 1000, 10000],
        help="clients for first paint and memory (default 0 1000 10000)",
    )
    parser.add_argument(
        "--move-sizes",
        type=int,
        nargs="+",
        default=[100, 1000, 10000],
        help="clients for the card-move rows (default 100 1000 10000)",
    )
    parser.add_argument(
        "--screen-sizes",
        type=int,
        nargs="*",
        default=[1000, 10000, 50000],
        help="clients for the agenda, palette, filter and key-after-move rows "
        "(default 1000 10000 50000; none to leave them out)",
    )
    parser.add_argument(
        "--screen-rounds",
        type=int,
        default=3,
        help="new apps per screen size: each gives one first-open sample (default 3)",
    )
    parser.add_argument(
        "--runs", type=int, default=7, help="processes per paint row (default 7, at least 5)"
    )
    parser.add_argument(
        "--moves", type=int, default=40, help="moves per size (default 40; 20 or more give a p95)"
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write samples")
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="folder for the temporary databases (default: the system temp "
        "folder); put it on the disk your real database lives on",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.moves < 1 or any(n < 0 for n in args.sizes + args.move_sizes):
        parser.error("--runs and --moves must be positive, sizes 0 or more")
    if any(n < 1 for n in args.move_sizes + args.screen_sizes) or args.screen_rounds < 1:
        parser.error("--move-sizes and --screen-sizes need a client to move, rounds 1 or more")
    sizes, move_sizes = sorted(set(args.sizes)), sorted(set(args.move_sizes))
    screen_sizes = sorted(set(args.screen_sizes))
    started = time.perf_counter_ns()
    load_before = os.getloadavg()[0]
    print(
        f"offboard TUI bench: {WIDTH}x{HEIGHT} headless, paint {sizes} x {args.runs} runs, "
        f"moves {move_sizes} x {args.moves}, screens {screen_sizes} x {args.screen_rounds} apps",
        flush=True,
    )

    rows: list[TuiRow] = []
    with tempfile.TemporaryDirectory(prefix="offboard-tui-bench-", dir=args.dir) as tmp:
        folder = Path(tmp)
        env = isolated_env(folder)
        os.environ.update({k: env[k] for k in ("OFFBOARD_CONFIG", "XDG_CONFIG_HOME")})
        os.environ.pop("OFFBOARD_DB", None)
        dbs = {}
        for n in sorted(set(sizes) | set(move_sizes) | set(screen_sizes)):
            dbs[n] = make_db(folder, n)
            size = dbs[n].stat().st_size
            print(f"  {n:>6} clients: {size / 1e6:.1f} MB", flush=True)
        try:
            rows += bench_paint({n: dbs[n] for n in sizes}, args.runs, env)
            for n in move_sizes:
                print(f"  moves on {n:,} clients", flush=True)
                rows += bench_moves(dbs[n], n, args.moves)
            for n in screen_sizes:
                print(f"  screens on {n:,} clients", flush=True)
                rows += bench_screens(dbs[n], n, args.screen_rounds)
        except BenchError as exc:
            print(f"tui bench: {exc}", file=sys.stderr)
            return 1
    order = ["paint_floor", "paint", "first_key_floor", "first_key", "peak_rss_floor",
             "peak_rss", "full_frames_before_footer_floor", "full_frames_before_footer",
             "move_handler",
             "move_repaint", "repaint_bare", "move_written", "move_durable",
             *SCREEN_METRICS]  # fmt: skip
    rows.sort(key=lambda r: (order.index(r.metric), -1 if r.size is None else r.size))
    apply_targets(rows)
    elapsed = (time.perf_counter_ns() - started) / 1e9
    load = (load_before, os.getloadavg()[0])

    print()
    print(table(rows))
    print(
        "\n(x ref: paint vs paint_floor, first_key vs first_key_floor, "
        "peak_rss vs peak_rss_floor, move_repaint vs "
        f"repaint_bare of the same size; total {elapsed:.0f} s; "
        f"load average {load[0]:.2f} before, {load[1]:.2f} after)"
    )
    # The bench itself keeps about one core busy, which shows in the load average after it.
    half = 0.5 * (os.cpu_count() or 1)
    if load[0] > half or load[1] > half + 1:
        print("warning: other work ran on the machine; the numbers are noisier than usual")
    print("\ntargets")
    print(summary(rows))

    result = {
        "bench": "tui",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "machine": machine(
            textual=textual.__version__,
            rich=getattr(rich, "__version__", None) or _version("rich"),
            orjson=orjson.__version__,
            folder=str(args.dir or tempfile.gettempdir()),
            terminal=f"{WIDTH}x{HEIGHT} headless",
            load_average=[round(x, 2) for x in load],
        ),
        "args": {
            "sizes": sizes,
            "move_sizes": move_sizes,
            "runs": args.runs,
            "moves": args.moves,
            "screen_sizes": screen_sizes,
            "screen_rounds": args.screen_rounds,
        },
        "rows": [r.to_json() for r in rows],
        "targets": [
            {"metric": r.metric, "size": r.size, **dataclasses.asdict(t)}
            for r in rows
            for t in r.targets
        ],
    }
    write_json(args.json, result)
    print(f"samples written to {args.json}")
    return 0


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


if __name__ == "__main__":
    raise SystemExit(main())

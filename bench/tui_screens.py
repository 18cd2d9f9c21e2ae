"""The TUI bench's screens: the agenda, the command palette, the board's filter and a key
pressed while a save comes back, each next to the bare repaint of the same screen.

Run by bench/tui_bench.py (`--screen-sizes`), in this process, on the app's own event loop:

  warm_up         from the board's first frame until every card's deadlines, search text and
                  face are worked out (after the first paint, a few dozen cards at a time),
                  and then the command palette's titles
  help_first      the first `?` of a new app: key event in, first frame showing the help
  agenda_first    the first `t` of a new app: first frame showing the agenda
  help_open       later opens of the help screen (the bare repaint the agenda is held to)
  agenda_open     later opens of the agenda
  palette_key     a key typed in the command palette (ctrl+p): key event in, first frame after
                  the palette's search finished and its list was filled
  palette_new     the palette_key samples whose query had not been typed before in that palette
  palette_again   those whose query had (a backspace back to it): the palette keeps the options
                  of the queries typed lately, drawn already
  palette_bare    the palette's list and input repainted with nothing typed
  filter_key      a key typed in the board's filter (`/`): key event in, first frame after the
                  board was redrawn (narrowing, widening and emptying the needle alike)
  filter_new      the filter_key samples whose needle had not been typed before in that app:
                  the search runs, and cards not drawn before come into view
  filter_again    those whose needle had (a backspace back to it, or the empty needle)
  filter_bare     every column and the filter box repainted with nothing typed
  key_idle        `j` on the board with no save in flight, posted from another thread as long
                  after the last screen update began as `key_after_move`'s key came after the
                  move's update: key event in, first frame after its handler returned
  key_after_move  the same key posted the moment a move's save hands its result back to the
                  UI thread (the return path: the new snapshot merged into the board)

Each new app (`rounds` per size) gives one sample of each first open, alternating which of the
two is opened first; the other rows take several samples per app (the palette is opened
PALETTE_SESSIONS times an app, 4 new letters and 4 backspaces each: a median of a dozen keys
moved by a tenth between runs on a 2-core machine).
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual import events
from tui_common import HEIGHT, TODAY, WIDTH, BenchError, FrameClock, Target, TuiRow, movable

from offboard.domain.clock import FixedClock
from offboard.domain.models import Stage

SCREEN_METRICS = [
    "warm_up", "help_first", "agenda_first", "help_open", "agenda_open", "palette_key",
    "palette_new", "palette_again", "palette_bare", "filter_key", "filter_new", "filter_again",
    "filter_bare", "key_idle", "key_after_move",
]  # fmt: skip
# Targets of the performance issue: (row, reference row, at most this many times).
SCREEN_TARGETS = [
    ("agenda_first", "help_first", 2.0),
    ("agenda_open", "help_open", 2.0),
    ("palette_key", "palette_bare", 2.0),
    ("palette_new", "palette_bare", 2.0),
    ("palette_again", "palette_bare", 2.0),
    ("filter_key", "filter_bare", 2.0),
    ("filter_new", "filter_bare", 2.0),
    ("filter_again", "filter_bare", 2.0),
    ("key_after_move", "key_idle", 1.2),
]
LATER_OPENS = 5
PALETTE_KEYS = ["r", "o", "w", "backspace", "backspace", "i", "backspace", "backspace"]
FILTER_KEYS = ["l", "o", "g", "backspace", "backspace", "a", "backspace", "backspace"]
KEY_ROUNDS = 12
PALETTE_SESSIONS = 2
WARM_TIMEOUT = 600.0


def key_event(name: str) -> events.Key:
    return events.Key(name, name if len(name) == 1 else None)


@dataclass
class ScreenSamples:
    rows: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in SCREEN_METRICS})

    def add(self, metric: str, start: int, end: int) -> None:
        self.rows[metric].append((end - start) / 1e6)


class Driver:
    """One app on one database, and the marks its wrapped handlers leave."""

    def __init__(self, app: Any, frames: FrameClock) -> None:
        self.app = app
        self.frames = frames
        self.marks: dict[str, Any] = {}

    async def settle(self) -> None:
        gc.collect()
        await self.frames.quiet()
        self.marks.clear()
        self.frames.clear()

    async def press(self, key: str, until: Callable[[], int | None]) -> tuple[int, int]:
        """Post a key; (when it was posted, the first frame after `until()` is known)."""
        await self.settle()
        start = time.perf_counter_ns()
        self.app.post_message(key_event(key))
        return start, await self.frames.after(until)

    async def open_screen(self, key: str, screen: str) -> tuple[int, int]:
        await self.settle()
        start = time.perf_counter_ns()
        self.app.post_message(key_event(key))
        frame = await self.frames.showing(screen)
        while type(self.app.screen).__name__ != screen:
            await asyncio.sleep(0.005)
        await self.frames.quiet()
        self.app.post_message(key_event("escape"))
        while type(self.app.screen).__name__ != "BoardScreen":
            await asyncio.sleep(0.005)
        return start, frame

    async def bare(self, repaint: Callable[[], None]) -> tuple[int, int]:
        await self.settle()
        start = time.perf_counter_ns()
        repaint()
        return start, await self.frames.after(lambda: start)


def _timed(marks: dict[str, Any], name: str, call: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        result = call(*args, **kwargs)
        marks[name] = time.perf_counter_ns()
        return result

    return run


async def _opens(d: Driver, out: ScreenSamples, first_agenda: bool) -> None:
    pairs = [("question_mark", "HelpScreen", "help"), ("t", "AgendaScreen", "agenda")]
    if first_agenda:
        pairs.reverse()
    for key, screen, name in pairs:
        out.add(f"{name}_first", *await d.open_screen(key, screen))
    for _ in range(LATER_OPENS):
        for key, screen, name in pairs:
            out.add(f"{name}_open", *await d.open_screen(key, screen))


async def _filter(d: Driver, board: Any, out: ScreenSamples) -> None:
    board.render_board = _timed(d.marks, "end", board.render_board)
    await d.settle()
    d.app.post_message(key_event("slash"))
    while d.app.focused is None or d.app.focused.id != "filter":
        await asyncio.sleep(0.005)
    box = d.app.focused
    value, typed = "", {""}
    for key in FILTER_KEYS:
        value = value[:-1] if key == "backspace" else value + key
        kind = "filter_again" if value in typed else "filter_new"
        typed.add(value)
        sample = await d.press(key, lambda: d.marks.get("end"))
        out.add("filter_key", *sample)
        out.add(kind, *sample)

        def repaint() -> None:
            board.view.refresh_columns()
            box.refresh()

        out.add("filter_bare", *await d.bare(repaint))
    del board.render_board
    d.app.post_message(key_event("escape"))
    await d.settle()


async def _palette(d: Driver, out: ScreenSamples) -> None:
    from textual.command import CommandInput, CommandList, CommandPalette

    await d.settle()
    d.app.post_message(key_event("ctrl+p"))
    while not isinstance(d.app.screen, CommandPalette):
        await asyncio.sleep(0.005)
    palette = d.app.screen
    await d.frames.quiet(0.3)
    marks = d.marks
    palette._refresh_command_list = _timed(marks, "refresh", palette._refresh_command_list)
    gather = palette._gather_commands

    def gather_and_keep(*args: Any) -> Any:
        marks["worker"] = worker = gather(*args)
        return worker

    palette._gather_commands = gather_and_keep

    def searched() -> int | None:
        # Textual's palette searches in a worker; offboard's fills its list on the key itself
        # (no worker, and the list is filled before the key's handler returns).
        worker = marks.get("worker")
        return marks.get("refresh") if worker is None or worker.is_finished else None

    value, typed = "", {""}
    for key in PALETTE_KEYS:
        value = value[:-1] if key == "backspace" else value + key
        kind = "palette_again" if value in typed else "palette_new"
        typed.add(value)
        sample = await d.press(key, searched)
        out.add("palette_key", *sample)
        out.add(kind, *sample)

        def repaint() -> None:
            palette.query_one(CommandList).refresh()
            palette.query_one(CommandInput).refresh()

        out.add("palette_bare", *await d.bare(repaint))
    d.app.post_message(key_event("escape"))
    while isinstance(d.app.screen, CommandPalette):
        await asyncio.sleep(0.005)
    await d.settle()


async def _keys(d: Driver, board: Any, out: ScreenSamples) -> None:
    app, marks = d.app, d.marks
    card = next((c for c in board.model.columns[Stage.PREPARATION] if movable(c.client)), None)
    if card is None:
        raise BenchError("no preparation card that moves without a gate or a dialog")
    board.action_focus_move = _timed(marks, "end", board.action_focus_move)
    loop = asyncio.get_running_loop()
    call_from_thread = app.call_from_thread

    def deliver(callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # On the writer thread, as it hands a result back: the key goes in at the same moment.
        if "armed" in marks and "posted" not in marks:
            marks["posted"] = time.perf_counter_ns()
            loop.call_soon_threadsafe(app.post_message, key_event("j"))
        return call_from_thread(callback, *args, **kwargs)

    app.call_from_thread = deliver
    for _ in range(KEY_ROUNDS):
        board.action_focus_client(card.id)
        await d.settle()
        source = app.clients[card.id].stage
        move = "shift+left" if source is Stage.PREPARATION else "shift+right"
        marks["armed"] = True
        app.post_message(key_event(move))
        while "posted" not in marks:
            await asyncio.sleep(0.0005)
        posted = marks["posted"]
        since = _since_last(d.frames.updates, posted)
        frame = await d.frames.after(lambda: marks.get("end"))
        out.add("key_after_move", posted, frame)
        done = await asyncio.to_thread(app.saver.wait_idle, 60)
        if not done or app.clients[card.id].stage is source:
            raise BenchError(f"the move of {card.id} was not saved")
        board.action_focus_client(card.id)
        out.add("key_idle", *await _paced_key(d, board, since))
    app.call_from_thread = call_from_thread


def _since_last(times: list[int], at: int) -> int | None:
    before = [t for t in times if t <= at]
    return at - before[-1] if before else None


async def _paced_key(d: Driver, board: Any, since: int | None) -> tuple[int, int]:
    """`j` with no save in flight, posted from another thread `since` ns after a screen update
    began, as the key after a move came that long after the move's update: Textual paints on
    a 60 Hz timer, so a key that comes 8 ms after a tick has its own painted on the next, 8 ms
    later, save or no save. Both keys wait alike for that; what differs is the save's return
    path. (Paced by the frame instead, as this bench first did, the two keys' waits differed
    by as long as the move's frame took to render beyond the reference frame: 1 to 3 ms.)"""
    await d.settle()
    if since is None:
        return await d.press("j", lambda: d.marks.get("end"))
    start = time.perf_counter_ns()
    board.view.refresh_columns({board.model.stage})
    frame = await d.frames.after(lambda: start)
    rendering = _since_last(d.frames.updates, frame)  # from the update's start to its frame
    if rendering is None:
        raise BenchError("a frame came with no screen update before it")
    post_at = frame - rendering + since
    loop = asyncio.get_running_loop()
    marks = d.marks

    def post() -> None:
        time.sleep(max(post_at - time.perf_counter_ns(), 0) / 1e9)
        marks["idle_posted"] = time.perf_counter_ns()
        loop.call_soon_threadsafe(d.app.post_message, key_event("j"))

    threading.Thread(target=post, daemon=True).start()
    while "idle_posted" not in marks:
        await asyncio.sleep(0.0005)
    posted = marks["idle_posted"]
    return posted, await d.frames.after(lambda: marks.get("end"))


def warm_up_done(board: Any) -> bool:
    """Whether the board's work after its first frame is done (older code: no such work, or
    only the cards' deadlines and search texts, or not the palette's titles after them)."""
    warm_up = getattr(board, "warm_up", None)
    return bool(getattr(board.model, "warmed", True) and getattr(warm_up, "done", True))


async def drive_screens(path: Path, first_agenda: bool) -> ScreenSamples:
    from offboard.tui.app import OffboardApp

    app = OffboardApp(path, FixedClock(TODAY), watch=False)
    frames = FrameClock(app)
    out = ScreenSamples()
    d = Driver(app, frames)
    async with app.run_test(size=(WIDTH, HEIGHT), notifications=True, tooltips=True):
        while type(app.screen).__name__ != "BoardScreen" or not frames.count:
            await asyncio.sleep(0.01)
        board = app.screen
        first = frames.times[0]
        # Until every card's deadlines and search text are known (not before this change).
        limit = time.monotonic() + WARM_TIMEOUT
        while not warm_up_done(board) and time.monotonic() < limit:
            await asyncio.sleep(0.01)
        out.add("warm_up", first, time.perf_counter_ns())
        await frames.quiet(0.2)
        await _opens(d, out, first_agenda)
        await _filter(d, board, out)
        for _ in range(PALETTE_SESSIONS):
            await _palette(d, out)
        await _keys(d, board, out)
        await frames.quiet()
    return out


def bench_screens(path: Path, n: int, rounds: int) -> list[TuiRow]:
    got = ScreenSamples()
    for round_ in range(rounds):
        one = asyncio.run(drive_screens(path, first_agenda=bool(round_ % 2)))
        for metric, samples in one.rows.items():
            got.rows[metric] += samples
        gc.collect()
        print(f"    screens on {n:,} clients: round {round_ + 1}/{rounds} done", flush=True)
    return [TuiRow(metric, n, samples) for metric, samples in got.rows.items()]


def apply_screen_targets(rows: list[TuiRow]) -> None:
    for row in rows:
        for metric, reference, limit in SCREEN_TARGETS:
            if row.metric != metric or row.median is None:
                continue
            ref = next((r for r in rows if r.metric == reference and r.size == row.size), None)
            if ref is None or not ref.median:
                continue
            ratio = row.median / ref.median
            row.ratios[reference] = ratio
            row.targets.append(
                Target(f"<= {limit}x {reference}", round(ratio, 3), limit, ratio <= limit)
            )

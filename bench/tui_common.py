"""What the TUI benches share: rows with targets, the isolated environment, movable cards, the
frame clock that times what a terminal would be sent, the generated databases and the table.

Imported by name from bench/tui_bench.py and bench/tui_screens.py (run them as files).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import Row, fmt, render_table

from offboard.domain.models import Client, Stage
from offboard.domain.stages import check_move

TODAY = dt.date(2026, 11, 22)
WIDTH, HEIGHT = 120, 40
QUIET = 0.05  # seconds without a frame before a sample starts


class BenchError(Exception):
    """A measurement could not be taken as intended (a refused move, a child that failed)."""


@dataclass
class Target:
    text: str
    value: float
    limit: float
    met: bool


@dataclass
class TuiRow(Row):
    unit: str = "ms"
    targets: list[Target] = field(default_factory=list)
    breakdown: dict[str, list[float]] = field(default_factory=dict)  # paint: child's own times

    def to_json(self) -> dict[str, Any]:
        # Memory rows are not in ms: name the keys after the row's unit instead.
        data = super().to_json()
        data["samples"] = data.pop("samples_ms")
        data["median"] = data.pop("median_ms")
        data["p95"] = data.pop("p95_ms")
        return data


def isolated_env(folder: Path) -> dict[str, str]:
    """The user's settings and checklists stay out, as in the tests."""
    env = {
        **os.environ,
        "OFFBOARD_CONFIG": str(folder / "no-config.toml"),
        "XDG_CONFIG_HOME": str(folder / "xdg-config"),
    }
    env.pop("OFFBOARD_DB", None)
    env.pop("OFFBOARD_TODAY", None)
    # Byte code as an installed package has it, for the floor and the board alike: with
    # PYTHONDONTWRITEBYTECODE set (some sandboxes and CI images set it), every child would
    # compile offboard from source while Textual's .pyc files came with its wheel. The
    # warm-up round writes the cache here; the measured rounds read it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def movable(client: Client) -> bool:
    """A preparation card that can go back to assessment and forward again with no gate, no
    warning dialog and no reason prompt (backward moves before notice need no reason)."""
    if client.stage is not Stage.PREPARATION or any(r.open for r in client.repairs):
        return False
    back = dataclasses.replace(client, stage=Stage.ASSESSMENT)
    check = check_move(back, Stage.PREPARATION)
    return not check.missing and not check.warnings


# When each screen update began: Textual's update timer fired and the screen started to work
# out what changed (see FrameClock.updates).
_UPDATES: list[int] = []


def _record_updates() -> None:
    """Note the start of every screen update (once per process: every app's screens)."""
    from textual.screen import Screen

    original = Screen._on_timer_update
    if getattr(original, "bench_hook", False):
        return

    def hook(screen: Any) -> None:
        _UPDATES.append(time.perf_counter_ns())
        original(screen)

    hook.bench_hook = True  # type: ignore[attr-defined]
    Screen._on_timer_update = hook  # type: ignore[method-assign]


class FrameClock:
    """Records when each frame is ready to be written, and when the update that made it began.

    Wraps the app's `_display` (called by the screen's compositor with each update). The
    headless driver writes nothing, so the update is rendered to the escape sequences a
    terminal would get, as the real driver does, and the time is taken after that.

    `updates`: Textual paints on a 60 Hz timer, and a change waits for its next tick. The
    ticks keep their rhythm from one update to the next, while a frame is written as long
    after its tick as its lines took to render: two keys pressed equally long after a tick
    wait alike for the next, not two keys pressed equally long after a frame.
    """

    def __init__(self, app: Any) -> None:
        _record_updates()
        self.app = app
        self.updates = _UPDATES
        self.times: list[int] = []
        self.screens: list[str] = []  # the class name of the screen each frame showed
        self.count = 0
        self._display = app._display
        self._event: asyncio.Event | None = None
        app._display = self._hook

    def _hook(self, screen: Any, renderable: Any) -> None:
        self._display(screen, renderable)
        if renderable is None:
            return
        render = getattr(renderable, "render_segments", None)
        if render is not None:
            render(self.app.console)
        self.times.append(time.perf_counter_ns())
        self.screens.append(type(screen).__name__)
        self.count += 1
        if self._event is not None:
            self._event.set()

    async def _next(self, timeout: float) -> None:
        if self._event is None:
            self._event = asyncio.Event()
        self._event.clear()
        await asyncio.wait_for(self._event.wait(), timeout)

    async def after(self, when: Callable[[], int | None], timeout: float = 30.0) -> int:
        """The first frame recorded after the time `when()` returns (None: not yet known)."""
        while True:
            limit = when()
            if limit is not None:
                for t in self.times:
                    if t > limit:
                        return t
            await self._next(timeout)

    def clear(self) -> None:
        self.updates.clear()
        self.times.clear()
        self.screens.clear()

    async def showing(self, screen: str, timeout: float = 60.0) -> int:
        """The first frame recorded (since `clear`) that shows a screen of this class."""
        while True:
            for t, name in zip(self.times, self.screens, strict=True):
                if name == screen:
                    return t
            await self._next(timeout)

    async def quiet(self, span: float = QUIET) -> None:
        """Wait until no frame came for `span` seconds (longer than Textual's 1/60 s update
        period, so the next refresh is painted at once rather than on the next tick)."""
        while True:
            seen = self.count
            await asyncio.sleep(span)
            if self.count == seen:
                return


def table(rows: list[TuiRow]) -> str:
    head = ["metric", "clients", "n", "median", "p95", "unit", "x ref", "target", "met", "note"]
    body = []
    for r in rows:
        ratio = next(iter(r.ratios.values()), None)
        body.append(
            [
                r.metric,
                "-" if r.size is None else f"{r.size:,}",
                str(len(r.samples_ms)),
                fmt(r.median),
                fmt(r.p95),
                r.unit,
                "-" if ratio is None else f"{ratio:.2f}",
                ", ".join(t.text for t in r.targets),
                ", ".join("yes" if t.met else "NO" for t in r.targets),
                r.note,
            ]
        )
    return render_table(head, body, right={1, 2, 3, 4, 6})


def summary(rows: list[TuiRow]) -> str:
    lines = []
    for r in rows:
        for t in r.targets:
            where = f"{r.metric} at {r.size:,}" if r.size is not None else r.metric
            value = f"{t.value:.2f}" + (" MiB over" if r.unit == "MiB" else "")
            lines.append(f"  {'met    ' if t.met else 'NOT MET'}  {where}: {value} ({t.text})")
    return "\n".join(lines)


def make_db(folder: Path, n: int) -> Path:
    """Written by generate.py in its own process: the clients never sit in this process's heap,
    which would make every child it starts look bigger and start slower."""
    path = folder / f"clients-{n}.json"
    generate = Path(__file__).resolve().parent / "generate.py"
    cmd = [sys.executable, str(generate), str(n), str(path), "--seed", str(n)]
    subprocess.run([*cmd, "--today", TODAY.isoformat()], check=True, capture_output=True)
    return path

"""Regenerate screenshots/*.svg from demo data at a fixed date: `make screenshots`.

Each shot drives the real app with the keys a user would press, so the pictures show what a
user sees. The date is fixed (2026-11-22) so the countdowns do not change between runs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

TODAY = dt.date(2026, 11, 22)
OUT = Path(__file__).resolve().parent.parent / "screenshots"

# name, terminal size, keys pressed before the shot
SHOTS: list[tuple[str, tuple[int, int], list[str]]] = [
    ("board", (160, 48), []),
    ("board-80x24", (80, 24), ["l", "l", "l"]),
    ("board-filter", (160, 48), ["slash", *"non-payer", "enter"]),
    ("move-confirm", (120, 36), ["l", "l", "l", "l", "shift+right"]),
    ("client", (160, 48), ["enter"]),
    ("client-flags", (120, 36), ["enter", "2"]),
    ("new-client", (120, 36), ["n", *"Harbour Lights Ltd"]),
    ("agenda", (160, 48), ["t"]),
    ("help", (120, 40), ["question_mark"]),
    ("letter-picker", (160, 48), ["l", "l", "l", "j", "w"]),
    ("letter-editor", (160, 48), ["l", "l", "l", "j", "w", "enter"]),
    ("edit-flag", (120, 36), ["enter", "2", "e"]),
    ("lesson-form", (120, 36), ["enter", "L"]),
    ("client-assessment", (160, 48), ["enter", "3"]),
    ("settings", (120, 40), ["comma"]),
    ("report", (160, 48), ["R"]),
    ("screening", (120, 36), ["S", "y", "n", "u", "n"]),
]


async def shoot(name: str, size: tuple[int, int], keys: list[str], folder: Path) -> Path:
    from offboard.demo import write_demo
    from offboard.domain.clock import FixedClock
    from offboard.tui.app import OffboardApp

    db = folder / f"{name}.json"
    write_demo(db, TODAY)
    app = OffboardApp(db, FixedClock(TODAY), demo=True, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            # A screen that gathers its data in a worker (screening) takes keys once it has.
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.pause()
        await app.workers.wait_for_complete()  # the report is computed in a worker
        await pilot.pause()
        app.saver.wait_idle(10)
        await pilot.pause()
        # A screen whose keys change with its data (gathered in a worker) has its footer made
        # again after the next refresh: let that be painted too.
        await pilot.pause()
        await pilot.pause()
        return Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))


async def main(names: list[str]) -> None:
    OUT.mkdir(exist_ok=True)
    # Keep the developer's own config and checklists out of the pictures. The folder's name is
    # fixed, not random, because the settings screen shows the config file's path.
    tmp = Path(tempfile.gettempdir()) / "offboard-screenshots"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(mode=0o700)
    try:
        os.environ["OFFBOARD_CONFIG"] = str(tmp / "config.toml")
        os.environ["XDG_CONFIG_HOME"] = str(tmp / "xdg")
        for name, size, keys in SHOTS:
            if names and name not in names:
                continue
            path = await shoot(name, size, keys, tmp)
            print(f"wrote {path.relative_to(OUT.parent)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))

"""Letter editor bench: the work one keystroke triggers, and the preview reaching the screen.

Rows (milliseconds; medians and p95 over the samples):
  keystroke       re-render plus checks after one character typed into the draft, for the
                  longest shipped template (the editor's whole per-key work)
  keystroke_tag   the same when the character lands inside a {{ }} or {% %} tag (the one
                  case that compiles again)
  render_floor    the floor in the same run: the same template, already compiled, rendered
                  with nothing else (no checks, no change detection)
  preview_screen  in the running app (headless, 160x45): from posting the key event to the
                  first frame that shows the new preview
  repaint_bare    the same screen repainted with nothing changed (draft and preview refreshed)

Targets (issue 4): keystroke p95 <= 5 ms; preview_screen <= 1.5 x repaint_bare (medians).
Run: python bench/letter_bench.py [--keys N] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import Row, fmt, machine, render_table, write_json

TODAY = dt.date(2026, 11, 22)
KEYSTROKE_P95 = 5.0
PREVIEW_VS_BARE = 1.5
SIZE = (160, 45)


def longest_template(library: Any) -> tuple[str, str]:
    best = max(
        ((e.locale, e.name, len(e.info.body)) for e in library.entries() if e.info),
        key=lambda x: x[2],
    )
    return best[0], best[1]


def demo_client(db: Path, locale: str) -> Any:
    from offboard.bootstrap import open_repository
    from offboard.config import Config

    clients = open_repository(db, Config()).clients()
    # the most complete client of that language: notice or later, so few fields are missing
    same = [c for c in clients if c.locale == locale] or clients
    return max(same, key=lambda c: (c.conversation is not None, len(c.invoices), c.name))


def bench_keystrokes(db: Path, keys: int) -> tuple[list[Row], dict[str, Any]]:
    from offboard.config import Config
    from offboard.letters import render
    from offboard.letters.compose import compose, prepare
    from offboard.letters.library import Library

    library = Library()
    locale, name = longest_template(library)
    client = demo_client(db, locale)
    config = Config(sender_name="Alex Morgan", sender_email="alex@example.com")
    req = prepare(library, client, name, config, TODAY, locale)
    body = req.info.body
    rng = random.Random(7)
    literal_spots = [i for i in range(len(body)) if _outside_tags(body, i)]
    tag_spots = [i for i in range(len(body)) if not _outside_tags(body, i) and body[i] == " "]

    def typed(spots: list[int], n: int) -> list[float]:
        text, out = body, []
        for k in range(n):
            at = rng.choice(spots)
            text = body[:at] + "e" * (k % 7 + 1) + body[at:]
            gc.collect()
            start = time.perf_counter_ns()
            compose(req.info, req.context, locale=locale, body_source=text)
            out.append((time.perf_counter_ns() - start) / 1e6)
        return out

    compiled = render._compile(body, "floor")
    floor = []
    for _ in range(keys):
        gc.collect()
        start = time.perf_counter_ns()
        "".join(compiled.generate(req.context))
        floor.append((time.perf_counter_ns() - start) / 1e6)
    typed(literal_spots, 5)  # warm-up: the first compile of the skeleton
    rows = [
        Row("keystroke", len(body), typed(literal_spots, keys)),
        Row("keystroke_tag", len(body), typed(tag_spots, max(keys // 5, 20))),
        Row("render_floor", len(body), floor),
    ]
    info = {"template": name, "locale": locale, "client": client.name, "chars": len(body)}
    return rows, info


def _outside_tags(text: str, i: int) -> bool:
    opened = max(text.rfind("{{", 0, i + 1), text.rfind("{%", 0, i + 1), text.rfind("{#", 0, i + 1))
    closed = max(text.rfind("}}", 0, i + 1), text.rfind("%}", 0, i + 1), text.rfind("#}", 0, i + 1))
    return opened <= closed


async def bench_screen(db: Path, keys: int, template: str, locale: str) -> list[Row]:
    from textual import events
    from textual.widgets import TextArea

    from offboard.domain.clock import FixedClock
    from offboard.letters.drafts import Draft
    from offboard.tui.app import OffboardApp
    from offboard.tui.screens.letter import LetterEditor

    app = OffboardApp(db, FixedClock(TODAY), watch=False)
    app.animation_level = "none"
    frames: list[int] = []
    display = app._display

    def hook(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            render = getattr(renderable, "render_segments", None)
            if render is not None:
                render(app.console)  # what a real terminal driver would do with the update
            frames.append(time.perf_counter_ns())

    app._display = hook
    preview, bare = [], []
    async with app.run_test(size=SIZE) as pilot:
        client = demo_client(db, locale)
        req = app.services.prepare_letter(client, template, locale)
        draft = Draft(client.id, template, req.locale, req.info.subject, req.info.body)
        editor = LetterEditor(client.id, req.info, req.locale, draft)
        await app.push_screen(editor)
        while editor.renders == 0:
            await pilot.pause(0.01)
        area = editor.query_one("#letter-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        for i in range(keys + 3):
            await _quiet(pilot, frames)
            before = editor.renders
            frames.clear()
            start = time.perf_counter_ns()
            area.post_message(events.Key("e", "e"))
            while editor.renders == before or editor.pending:
                await pilot.pause(0)
            shown = editor.shown_at
            while not any(t > shown for t in frames):
                await pilot.pause(0)
            frame = next(t for t in frames if t > shown)

            await _quiet(pilot, frames)
            frames.clear()
            bare_start = time.perf_counter_ns()
            area.refresh()
            editor.query_one("#letter-preview").refresh()
            while not frames:
                await pilot.pause(0)
            if i >= 3:
                preview.append((frame - start) / 1e6)
                bare.append((frames[0] - bare_start) / 1e6)
    return [Row("preview_screen", None, preview), Row("repaint_bare", None, bare)]


async def _quiet(pilot: Any, frames: list[int], span: float = 0.05) -> None:
    while True:
        seen = len(frames)
        await asyncio.sleep(span)
        if len(frames) == seen:
            return
        await pilot.pause(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=200, help="keystrokes per row (default 200)")
    parser.add_argument("--screen-keys", type=int, default=40, help="keys in the app (40)")
    parser.add_argument("--json", type=Path, default=Path("bench/results/letters.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="offboard-letter-bench-") as folder:
        os.environ["OFFBOARD_CONFIG"] = str(Path(folder) / "none.toml")
        os.environ["XDG_CONFIG_HOME"] = str(Path(folder) / "xdg")
        from offboard.demo import write_demo

        db = Path(folder) / "offboard.json"
        write_demo(db, TODAY)
        rows, info = bench_keystrokes(db, args.keys)
        rows += asyncio.run(bench_screen(db, args.screen_keys, info["template"], info["locale"]))
    by = {r.metric: r for r in rows}
    verdicts = []
    k = by["keystroke"]
    floor = by["render_floor"].median or 1e-9
    for name in ("keystroke", "keystroke_tag"):
        by[name].ratios["render_floor"] = (by[name].median or 0) / floor
    met = (k.p95 or 0) <= KEYSTROKE_P95
    verdicts.append(f"keystroke p95 {fmt(k.p95)} ms <= {KEYSTROKE_P95} ms: {_yes(met)}")
    ratio = (by["preview_screen"].median or 0) / (by["repaint_bare"].median or 1e-9)
    by["preview_screen"].ratios["repaint_bare"] = ratio
    verdicts.append(
        f"preview_screen / repaint_bare {ratio:.2f}x <= {PREVIEW_VS_BARE}x: "
        f"{_yes(ratio <= PREVIEW_VS_BARE)}"
    )
    head = ["metric", "n", "median ms", "p95 ms", "x ref", "ref"]
    body = []
    for r in rows:
        ref = next(iter(r.ratios), "")
        ratio_text = f"{r.ratios[ref]:.2f}" if ref else "-"
        body.append([r.metric, str(len(r.samples_ms)), fmt(r.median), fmt(r.p95), ratio_text, ref])
    print(f"letter: {info['template']} ({info['locale']}, {info['chars']} chars) "
          f"for {info['client']}")  # fmt: skip
    print(render_table(head, body, {1, 2, 3, 4}))
    print("\n".join(verdicts))
    write_json(
        args.json,
        {
            "machine": machine(),
            "letter": info,
            "rows": [r.to_json() for r in rows],
            "verdicts": verdicts,
        },
    )
    return 0


def _yes(ok: bool) -> str:
    return "met" if ok else "NOT MET"


if __name__ == "__main__":
    sys.exit(main())

"""Hostile templates in the running editor: however long a template takes to render, keys are
handled at once and the preview ends with the sandbox's error; a template file that cannot be
read, or that nests too deeply, shows an error instead of hanging or crashing the app."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Static, TextArea

from offboard.storage.tinyfile import TinyRepository
from offboard.tui.client.screen import ClientScreen
from offboard.tui.screens.letter import LetterEditor
from offboard.tui.screens.letter_dialogs import TemplatePicker

SIZE = (160, 45)
# Seconds a key may take while a hostile draft renders: what the same key takes in a plain
# draft of the same editor, a few times over (a loaded test machine slows both alike), but
# never near the render's 0.5 s limit, which a key held by the render would wait for.
KEY_ROUND_TRIP = 0.15
KEY_SLOWER = 4
KEY_NEVER = 0.4

# Steps at the sandbox's caps (a few ms each) or C work on large values, again and again: each
# render runs until the sandbox stops it, 0.15 to 0.5 s later.
HOSTILE_BODIES = [
    "{% for i in range(10000) %}{{ ('x' * 9000)|wordwrap(4, true)|length }}{% endfor %}",
    "{% set l = ('abcdefghij' * 6000)|list %}{% for i in range(10000) %}{{ 'z' in l }}{% endfor %}",
    "{% for i in range(10000) %}{{ ('a ' * 9000)|title|length }}{% endfor %}",
]
LIMIT_ERRORS = ("took longer than 0.5 s", "too much work")


def write_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[sender]\nname = "Alex Morgan"\nemail = "alex@morgan-studio.example.com"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OFFBOARD_CONFIG", str(path))
    return path


def client_id(db: Path, name: str) -> str:
    return next(c.id for c in TinyRepository(db).clients() if c.name.startswith(name))


async def wait_for(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        await pilot.pause(0.02)


def preview(editor: LetterEditor) -> str:
    return str(editor.query_one("#letter-preview", Static).render())


async def type_key(pilot, area: TextArea, key: str) -> float:
    """Seconds from a key event to its character in the text. (pilot.press cannot tell: it
    also waits until the whole process is idle, the render thread included.)"""
    before = area.text
    start = time.perf_counter()
    area.post_message(events.Key(key, key))
    while area.text == before:
        if time.perf_counter() - start > 5:
            raise TimeoutError(f"the key {key!r} was not handled")
        await pilot.pause(0)
    return time.perf_counter() - start


async def key_bound(pilot, area: TextArea) -> float:
    """How long a key may take in this editor (see KEY_ROUND_TRIP), from three keys typed in
    its plain draft."""
    plain = sorted([await type_key(pilot, area, key) for key in "abc"])[1]
    return min(KEY_NEVER, max(KEY_ROUND_TRIP, KEY_SLOWER * plain))


async def paste(pilot, area: TextArea, text: str) -> None:
    area.focus()
    area.replace(text, (0, 0), area.document.end)
    area.move_cursor(area.document.end)
    await pilot.pause(0.05)


async def pick(app, pilot, cid: str, option: str) -> None:
    """Open the client, press w, and choose `option` in the picker."""
    if not isinstance(app.screen, TemplatePicker):
        app.push_screen(ClientScreen(cid))
        await pilot.pause()
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, TemplatePicker))
    options = app.screen.query_one("#picker-list")
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(option)
    await pilot.press("enter")


@pytest.fixture
def configured(tmp_path, monkeypatch):
    return write_config(tmp_path, monkeypatch)


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=["wordwrap", "in-a-list", "title"])
async def test_keys_are_handled_while_a_hostile_draft_renders(
    demo_db, make_app, configured, body: str
):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pick(app, pilot, cid, "termination")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterEditor))
        editor = app.screen
        await wait_for(pilot, lambda: editor.renders > 0 and not editor.pending)
        area = editor.query_one("#letter-text", TextArea)
        bound = await key_bound(pilot, area)
        await wait_for(pilot, lambda: not editor.pending)
        await paste(pilot, area, body)
        assert editor.pending  # the render is running on its own thread
        typed = "hello"
        for key in typed:
            took = await type_key(pilot, area, key)
            assert took < bound, f"the key {key!r} took {took:.2f} s (bound {bound:.2f} s)"
            assert editor.pending  # still rendering, and the key was handled all the same
        assert area.text.endswith(typed)
        await wait_for(pilot, lambda: not editor.pending, timeout=5)
        assert any(error in preview(editor) for error in LIMIT_ERRORS), preview(editor)
        assert editor.composed is not None and editor.composed.error
        # and the editor is fine again as soon as the text is
        await paste(pilot, area, "Plain words.")
        await wait_for(pilot, lambda: "Plain words." in preview(editor), timeout=5)


async def test_a_render_past_the_deadline_says_so_and_keys_still_work(
    demo_db, make_app, configured, monkeypatch
):
    from offboard.tui.screens import letter

    monkeypatch.setattr(letter, "DEADLINE", 0.2)  # shorter than the render's own 0.5 s
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pick(app, pilot, cid, "termination")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterEditor))
        editor = app.screen
        await wait_for(pilot, lambda: editor.renders > 0 and not editor.pending)
        area = editor.query_one("#letter-text", TextArea)
        bound = await key_bound(pilot, area)
        await wait_for(pilot, lambda: not editor.pending)
        await paste(pilot, area, HOSTILE_BODIES[0])
        await wait_for(pilot, lambda: "taking too long to render" in preview(editor), timeout=2)
        assert await type_key(pilot, area, "z") < bound
        assert area.text.endswith("z")
        await wait_for(pilot, lambda: not editor.pending, timeout=5)
        assert any(error in preview(editor) for error in LIMIT_ERRORS), preview(editor)


async def test_a_letter_of_many_lines_does_not_slow_typing(demo_db, make_app, configured):
    # It renders quickly, but 33,000 lines laid out in the preview would hold every key.
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pick(app, pilot, cid, "termination")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterEditor))
        editor = app.screen
        await wait_for(pilot, lambda: editor.renders > 0 and not editor.pending)
        area = editor.query_one("#letter-text", TextArea)
        bound = await key_bound(pilot, area)
        await wait_for(pilot, lambda: not editor.pending)
        await paste(pilot, area, "{{ 'ab\\n' * 33000 }}")
        await wait_for(pilot, lambda: not editor.pending)
        assert "the preview stops here" in preview(editor)
        # What this guards against (every line laid out again) slows every key, so the middle
        # of five keys is held to the bound: one key caught by a busy machine is not it.
        took = sorted([await type_key(pilot, area, key) for key in "vwxyz"])
        assert took[2] < bound, (
            f"keys took {', '.join(f'{t:.2f}' for t in took)} s (bound {bound:.2f} s)"
        )
        assert area.text.endswith("vwxyz")


HEADER = '+++\ntitle = "{title}"\nsubject = "Hello"\n+++\n'


@pytest.fixture
def user_templates(tmp_path: Path) -> Path:
    # conftest points XDG_CONFIG_HOME here, so this is the app's own user template folder
    folder = tmp_path / "xdg-config" / "offboard" / "templates" / "letters" / "en"
    folder.mkdir(parents=True)
    deep = "Dear {{ client.name }},\n" + "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}\n"
    (folder / "deep.j2").write_text(HEADER.format(title="Deep") + deep, encoding="utf-8")
    nested = "{% if 1 %}" * 120 + "x" + "{% endif %}" * 120
    (folder / "nested.j2").write_text(HEADER.format(title="Nested") + nested, encoding="utf-8")
    os.mkfifo(folder / "pipe.j2")
    (folder / "zero.j2").symlink_to("/dev/zero")
    return folder


async def test_picker_shows_hostile_files_as_broken_and_keeps_running(
    demo_db, make_app, configured, user_templates
):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        for name, why in (("pipe", "not a regular file"), ("zero", "not a regular file")):
            start = time.perf_counter()
            await pick(app, pilot, cid, f"broken:{name}")
            await pilot.pause()
            assert time.perf_counter() - start < 2
            picker = app.screen
            assert isinstance(picker, TemplatePicker)  # still choosing: nothing was opened
            shown = str(picker.query_one("#picker-description", Static).render())
            assert f"{name}.j2" in shown and why in shown, shown
        assert any("cannot be used" in n.message for n in app._notifications)


@pytest.mark.parametrize(("template", "line"), [("deep", "line 2"), ("nested", "line 1")])
async def test_picking_a_deeply_nested_template_shows_the_error(
    demo_db, make_app, configured, user_templates, template: str, line: str
):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pick(app, pilot, cid, template)
        await wait_for(pilot, lambda: isinstance(app.screen, LetterEditor))
        editor = app.screen
        await wait_for(pilot, lambda: editor.renders > 0 and not editor.pending)
        text = preview(editor)
        assert "too deeply nested" in text and line in text, text
        # the app goes on: the draft can be fixed and renders
        await paste(pilot, editor.query_one("#letter-text", TextArea), "Dear {{ client.name }},")
        await wait_for(pilot, lambda: "Dear Lakeside" in preview(editor))

"""The letter editor driven with Pilot on a real database, real templates and a real SMTP
server on 127.0.0.1: pick, type, preview, checks, drafts, export, send, mark as sent."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea
from tuikit import TODAY, settle

sys.path.insert(0, str(Path(__file__).parents[1] / "letters"))
from smtpkit import parse, smtp_server  # noqa: F401 - smtp_server is a fixture

from offboard.letters.drafts import DraftStore
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.client.screen import ClientScreen
from offboard.tui.screens.letter import LetterEditor
from offboard.tui.screens.letter_dialogs import (
    ExportScreen,
    MarkSentScreen,
    SendScreen,
    TemplatePicker,
)

SIZE = (160, 45)


def write_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[sender]\nname = "Alex Morgan"\nemail = "alex@morgan-studio.example.com"\n'
        'signature = "Morgan Studio"\n'
        '[letters]\nreferrals = ["Pinewood Digital, a larger agency"]\n' + smtp,
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


async def open_editor(app, pilot, cid: str, template: str | None = None) -> LetterEditor:
    """Open the client, press w, pick `template` (or the first suggestion)."""
    app.push_screen(ClientScreen(cid))
    await pilot.pause()
    await pilot.press("w")
    await wait_for(pilot, lambda: isinstance(app.screen, TemplatePicker | LetterEditor))
    if isinstance(app.screen, TemplatePicker):
        picker = app.screen
        options = picker.query_one("#picker-list")
        if template is not None:
            index = next(
                i
                for i in range(options.option_count)
                if options.get_option_at_index(i).id == template
            )
            options.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterEditor))
    editor = app.screen
    assert isinstance(editor, LetterEditor)
    await wait_for(pilot, lambda: editor.renders > 0)
    return editor


def preview(editor: LetterEditor) -> str:
    return str(editor.query_one("#letter-preview", Static).render())


def checks(editor: LetterEditor) -> str:
    return str(editor.query_one("#letter-checks", Static).render())


async def type_text(pilot, editor: LetterEditor, text: str) -> None:
    before = editor.renders
    area = editor.query_one("#letter-text", TextArea)
    area.focus()
    area.move_cursor(area.document.end)
    await pilot.press(*[{"\n": "enter", " ": "space"}.get(ch, ch) for ch in text])
    await wait_for(pilot, lambda: editor.renders > before and not editor.pending)


@pytest.fixture
def configured(tmp_path, monkeypatch):
    return write_config(tmp_path, monkeypatch)


async def test_picker_suggests_by_stage_and_archetype_then_preview_renders(
    demo_db, make_app, configured
):
    cid = client_id(demo_db, "Pražírna")  # preparation, non-payer, Czech
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ClientScreen(cid))
        await pilot.pause()
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, TemplatePicker))
        picker = app.screen
        first = picker.query_one("#picker-list").get_option_at_index(0)
        assert first.id == "termination-payment"
        assert picker.locale == "cs"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterEditor))
        editor = app.screen
        await wait_for(pilot, lambda: editor.renders > 0)
        text = preview(editor)
        assert "Pražírna Modrý Kos" in text
        assert "Kč" in text  # money written the Czech way
        assert "Alex Morgan" in text
        assert "{{" not in text


async def test_typing_updates_preview_and_tone_checks(demo_db, make_app, configured):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "termination")
        assert "Blame" not in checks(editor)
        await type_text(pilot, editor, "\nYou failed to reply.")
        assert "You failed to reply." in preview(editor)
        assert "Blame phrasing" in checks(editor)
        # a field typed into the draft renders with the client's data
        await type_text(pilot, editor, " {{ client.email }}")
        assert "hello@lakesidepilates.example.com" in preview(editor)
        # an unknown field names itself instead of rendering blank
        await type_text(pilot, editor, " {{ client.nmae }}")
        assert "did you mean client.name" in preview(editor)
        assert "Template error" in checks(editor)


async def test_missing_field_is_named_with_where_to_fill_it(demo_db, make_app, configured):
    cid = client_id(demo_db, "Juniper")  # assessment: no conversation, so no last day
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "termination")
        assert "[[last working day]]" in preview(editor)
        assert "Missing: last working day" in checks(editor)
        assert "Press N on the client screen" in checks(editor)
        assert "offboard " not in checks(editor)  # the TUI names keys, never commands
        await pilot.press("ctrl+g")  # send is refused while a field is missing
        await pilot.pause()
        assert not isinstance(app.screen, SendScreen)


async def test_draft_autosaves_and_reopens_where_it_was(demo_db, make_app, configured):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "termination")
        await type_text(pilot, editor, "\nP.S. See you at the studio.")
        await wait_for(pilot, lambda: not editor._unsaved, timeout=5)
        saved = DraftStore(demo_db).load(cid)
        assert saved is not None and "See you at the studio" in saved.body
        await pilot.press("escape")
        await pilot.pause()
    # a new session (as after a crash or quit) continues the same draft without asking
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ClientScreen(cid))
        await pilot.pause()
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterEditor))
        editor = app.screen
        await wait_for(pilot, lambda: editor.renders > 0)
        assert "See you at the studio" in editor.query_one("#letter-text", TextArea).text


async def test_template_source_toggle_and_save_as_user_template(
    demo_db, make_app, configured, tmp_path
):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "thank-you")
        await pilot.press("ctrl+t")
        area = editor.query_one("#letter-text", TextArea)
        assert area.text.startswith("+++")
        assert editor.query_one("#letter-subject", Input).disabled
        await type_text(pilot, editor, "\nWith warm regards from the whole studio.")
        assert "With warm regards from the whole studio." in preview(editor)
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = tmp_path / "xdg-config" / "offboard" / "templates" / "letters" / "en"
        assert "whole studio" in (saved / "thank-you.j2").read_text(encoding="utf-8")
        assert editor.info.origin == "user"


async def test_hostile_draft_shows_an_error_and_typing_goes_on(demo_db, make_app, configured):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "termination")
        area = editor.query_one("#letter-text", TextArea)
        loops = "{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}"
        area.load_text(loops)
        await wait_for(pilot, lambda: "too much work" in preview(editor))
        await type_text(pilot, editor, "x")
        assert area.text.endswith("x")


async def test_export_eml_is_the_preview(demo_db, make_app, configured, tmp_path):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "confirmation")
        shown = editor.current()
        assert shown.ready, shown.findings
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        target = tmp_path / "out" / "letter.eml"
        target.parent.mkdir()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, target.exists)
        mail = parse(target.read_bytes())
        assert mail.get_content() == shown.body
        assert mail["Subject"] == shown.subject
        assert mail["To"].addresses[0].addr_spec == "hello@lakesidepilates.example.com"


async def test_send_to_loopback_server_is_byte_for_byte_and_recorded(
    demo_db,
    make_app,
    tmp_path,
    monkeypatch,
    smtp_server,  # noqa: F811 - the fixture imported from smtpkit
):
    server = smtp_server()
    write_config(
        tmp_path,
        monkeypatch,
        f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n',
    )
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "confirmation")
        await type_text(pilot, editor, "\nTeşekkürler, kiitos, děkuji.")
        shown = editor.current()
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, SendScreen))
        assert app.screen.body == shown.body  # the confirmation shows the exact text
        outgoing = app.screen.outgoing
        # ... and the header block exactly as the bytes carry it
        shown_headers = str(app.screen.query_one("#send-headers Static").render())
        assert shown_headers.replace("\n", "\r\n").encode() == outgoing.data.split(b"\r\n\r\n")[0]
        await pilot.press("y", "n")  # no single letter sends or cancels while reading
        assert isinstance(app.screen, SendScreen) and server.received == []
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: not isinstance(app.screen, SendScreen | LetterEditor))
        await settle(app, pilot)
    assert len(server.received) == 1
    got = server.received[0]
    assert got.rcpt_tos == ["hello@lakesidepilates.example.com"]
    assert got.content == outgoing.data  # what was confirmed, Message-ID and all
    assert parse(got.content).get_content() == shown.body
    stored = next(c for c in TinyRepository(demo_db).clients() if c.id == cid)
    letter = stored.letters[-1]
    assert (letter.template, letter.channel.value, letter.sent_on) == (
        "confirmation",
        "email",
        TODAY,
    )
    assert letter.body == shown.body
    assert DraftStore(demo_db).load(cid) is None  # sent: the draft is done with


async def test_send_failure_leaves_the_letter_unsent(
    demo_db,
    make_app,
    tmp_path,
    monkeypatch,
    smtp_server,  # noqa: F811 - the fixture imported from smtpkit
):
    server = smtp_server(refuse_data=True)
    write_config(
        tmp_path,
        monkeypatch,
        f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n',
    )
    cid = client_id(demo_db, "Lakeside")
    before = len(next(c for c in TinyRepository(demo_db).clients() if c.id == cid).letters)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "confirmation")
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, SendScreen))
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: any("550" in n.message for n in app._notifications))
        assert app.screen is editor
        await settle(app, pilot)
    after = next(c for c in TinyRepository(demo_db).clients() if c.id == cid).letters
    assert len(after) == before


async def test_mark_as_sent_refuses_text_message_then_records(demo_db, make_app, configured):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "confirmation")
        shown = editor.current()
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, MarkSentScreen))
        dialog = app.screen
        dialog.query_one("#channel").value = "text-message"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "Not by text-message" in str(dialog.query_one("#marksent-error", Static).render())
        dialog.query_one("#channel").value = "letter"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, MarkSentScreen | LetterEditor))
        await settle(app, pilot)
    stored = next(c for c in TinyRepository(demo_db).clients() if c.id == cid)
    assert stored.letters[-1].channel.value == "letter"
    assert stored.letters[-1].body == shown.body
    assert any(e.action == "letter" for e in stored.history)


async def test_restart_from_template_can_be_undone(demo_db, make_app, configured):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "termination")
        await type_text(pilot, editor, "\nA line of my own.")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "A line of my own." not in preview(editor))
        assert editor.draft.body == editor.info.body
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: "A line of my own." in preview(editor))
        assert "A line of my own." in editor.draft.body


async def test_copy_puts_subject_and_text_on_the_clipboard(demo_db, make_app, configured):
    cid = client_id(demo_db, "Lakeside")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot, cid, "thank-you")
        shown = editor.current()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.clipboard == f"{shown.subject}\n\n{shown.body}"

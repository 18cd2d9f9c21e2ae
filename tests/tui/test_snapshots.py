"""Snapshot tests: the real app on demo data at a fixed date and size.

Regenerate after an intended UI change with `pytest tests/tui/test_snapshots.py
--snapshot-update`, then look at the SVGs in tests/tui/__snapshots__/ before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from tuikit import TODAY

from offboard.domain.clock import FixedClock
from offboard.tui.app import OffboardApp
from offboard.tui.messages import OpenClient
from offboard.tui.screens.letter import LetterEditor
from offboard.tui.screens.letter_dialogs import TemplatePicker


def demo_app(path: Path) -> OffboardApp:
    # demo=True keeps the temporary path out of the header, so snapshots are stable.
    return OffboardApp(path, FixedClock(TODAY), demo=True, watch=False)


def test_board_80x24(snap_compare, demo_db: Path) -> None:
    assert snap_compare(demo_app(demo_db), terminal_size=(80, 24))


def test_board_160x48(snap_compare, demo_db: Path) -> None:
    assert snap_compare(demo_app(demo_db), terminal_size=(160, 48))


def test_board_focus_moved_to_notice(snap_compare, demo_db: Path) -> None:
    assert snap_compare(demo_app(demo_db), press=["l", "l", "l", "j"], terminal_size=(100, 30))


def test_board_filtered(snap_compare, demo_db: Path) -> None:
    assert snap_compare(
        demo_app(demo_db), press=["slash", *"non-payer", "enter"], terminal_size=(160, 48)
    )


def test_client_detail(snap_compare, demo_db: Path) -> None:
    app = demo_app(demo_db)
    app.animation_level = "none"
    assert snap_compare(app, press=["l", "l", "l", "enter"], terminal_size=(120, 36))


def test_client_detail_80x24_flags_tab(snap_compare, demo_db: Path) -> None:
    app = demo_app(demo_db)
    app.animation_level = "none"
    assert snap_compare(app, press=["enter", "right_square_bracket"], terminal_size=(80, 24))


def test_agenda(snap_compare, demo_db: Path) -> None:
    assert snap_compare(demo_app(demo_db), press=["t"], terminal_size=(120, 36))


def test_help(snap_compare, demo_db: Path) -> None:
    assert snap_compare(demo_app(demo_db), press=["question_mark"], terminal_size=(100, 40))


def test_soft_gate_dialog(snap_compare, demo_db: Path) -> None:
    assert snap_compare(
        demo_app(demo_db), press=["l", "l", "l", "l", "shift+right"], terminal_size=(120, 36)
    )


def test_letter_picker(snap_compare, demo_db: Path) -> None:
    assert snap_compare(demo_app(demo_db), press=["l", "l", "l", "j", "w"], terminal_size=(120, 36))


def test_letter_editor(snap_compare, demo_db: Path) -> None:
    assert snap_compare(
        demo_app(demo_db), press=["l", "l", "l", "j", "w", "enter"], terminal_size=(160, 48)
    )


# --- every tab of the client screen --------------------------------------------------------


def client_named(app: OffboardApp, prefix: str) -> str:
    return next(c.id for c in app.clients.values() if c.name.startswith(prefix))


def open_client(prefix: str, tab: str) -> Callable[[Pilot], Awaitable[None]]:
    """Open the client's screen on `tab`, as the board's enter (and the agenda) ask for it."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        app.post_message(OpenClient(client_named(app, prefix), tab=tab))
        await pilot.pause()
        await pilot.pause()

    return run_before


# The tabs test_client_detail (overview) and test_client_detail_80x24_flags_tab do not show,
# each on a client with something to show there.
TAB_CLIENTS = {
    "assessment": "Juniper",
    "repair": "Kırmızı",  # Turkish dates
    "checklist": "Lakeside",
    "deliverables": "Lakeside",
    "handover": "Ekin",
    "invoices": "Pražírna",  # Czech amounts
    "letters": "Fenwick",
    "history": "Fenwick",
}


@pytest.mark.parametrize("tab", list(TAB_CLIENTS))
def test_client_tab(snap_compare, demo_db: Path, tab: str) -> None:
    app = demo_app(demo_db)
    app.animation_level = "none"
    before = open_client(TAB_CLIENTS[tab], tab)
    assert snap_compare(app, run_before=before, terminal_size=(120, 36))


# --- every dialog ----------------------------------------------------------------------------


def test_reason_dialog(snap_compare, demo_db: Path) -> None:
    # The first notice card back to preparation: after notice, going back asks why.
    assert snap_compare(
        demo_app(demo_db), press=["l", "l", "l", "shift+left"], terminal_size=(120, 36)
    )


def test_letter_view(snap_compare, demo_db: Path) -> None:
    app = demo_app(demo_db)
    app.animation_level = "none"
    assert snap_compare(
        app, run_before=open_client("Fenwick", "letters"), press=["enter"], terminal_size=(120, 36)
    )


@pytest.fixture
def sender(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sender and a mail server, and a Message-ID that is the same on every run."""
    config = tmp_path / "config.toml"
    config.write_text(
        '[sender]\nname = "Alex Morgan"\nemail = "alex@morgan-studio.example.com"\n'
        '[smtp]\nhost = "mail.example.com"\nport = 587\nsecurity = "starttls"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OFFBOARD_CONFIG", str(config))
    monkeypatch.setattr(
        "offboard.letters.mail.make_msgid", lambda domain=None: f"<snapshot@{domain}>"
    )


def in_editor(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    """Write a letter to the first notice client (the first template), wait until the
    preview is rendered, then press `keys`."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("l", "l", "l", "w")
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(pilot.app.screen, TemplatePicker):
                break
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause(0.02)
            editor = pilot.app.screen
            if isinstance(editor, LetterEditor) and editor.renders and not editor.pending:
                break
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_mark_sent_dialog(snap_compare, demo_db: Path, sender: None) -> None:
    assert snap_compare(demo_app(demo_db), run_before=in_editor("ctrl+l"), terminal_size=(120, 36))


def test_export_dialog(snap_compare, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")  # the suggested file is in the working folder
    assert snap_compare(demo_app(demo_db), run_before=in_editor("ctrl+f"), terminal_size=(120, 36))


def test_send_confirmation(snap_compare, demo_db: Path, sender: None) -> None:
    # Not demo=True: a demo session has no mail server, so nothing to confirm.
    app = OffboardApp(demo_db, FixedClock(TODAY), watch=False)
    app.sub_title = "snapshot"
    assert snap_compare(app, run_before=in_editor("ctrl+g"), terminal_size=(120, 48))

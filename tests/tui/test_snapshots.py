"""Snapshot tests: the real app on demo data at a fixed date and size.

Regenerate after an intended UI change with `pytest tests/tui/test_snapshots.py
--snapshot-update`, then look at the SVGs in tests/tui/__snapshots__/ before committing.
"""

from __future__ import annotations

from pathlib import Path

from tuikit import TODAY

from offboard.domain.clock import FixedClock
from offboard.tui.app import OffboardApp


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

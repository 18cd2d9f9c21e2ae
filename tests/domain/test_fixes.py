"""Every Fix is worded by both front ends, and neither borrows the other's language: the CLI
names commands (never a tab or a key), the TUI names keys (never a command to run)."""

from __future__ import annotations

import pytest

from offboard.cli import FIX_COMMANDS
from offboard.domain.fixes import Fix, Requirement
from offboard.tui.fixes import FIX_KEYS


@pytest.mark.parametrize("fix", list(Fix))
def test_every_fix_has_a_command_and_a_key(fix: Fix) -> None:
    assert FIX_COMMANDS[fix].strip()
    assert FIX_KEYS[fix].strip()


@pytest.mark.parametrize("fix", list(Fix))
def test_the_cli_never_names_a_tab_or_a_key(fix: Fix) -> None:
    text = FIX_COMMANDS[fix].lower()
    for word in ("tab", "press", "ctrl+", "client screen", "(e)"):
        assert word not in text, (fix, text)


@pytest.mark.parametrize("fix", list(Fix))
def test_the_tui_never_names_a_command(fix: Fix) -> None:
    assert "offboard " not in FIX_KEYS[fix], fix


def test_a_requirement_is_its_text_with_a_fix() -> None:
    item = Requirement("no lessons learned recorded", Fix.LESSONS)
    assert item == "no lessons learned recorded"
    assert "; ".join([item, Requirement("x")]) == "no lessons learned recorded; x"
    assert item.fix is Fix.LESSONS and Requirement("x").fix is None

"""The settings screen (`,` and the palette), remapped keys from the config's [keys] table, and
a running app that reads its config file again when it changes on disk."""

from __future__ import annotations

import stat
from decimal import Decimal
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Static
from tuikit import TODAY

from offboard.config import config_path, load_config
from offboard.domain.clock import FixedClock
from offboard.tui.app import OffboardApp
from offboard.tui.board.screen import BoardScreen
from offboard.tui.client.screen import ClientScreen
from offboard.tui.dialogs import ConfirmScreen
from offboard.tui.forms import FlagForm
from offboard.tui.screens.help import HelpScreen
from offboard.tui.screens.settings import REMAP_ID, REMAP_KEY, SettingsScreen, field_id

HAND_WRITTEN = '# written by hand\n[sender]\nname = "Ana Lind"  # as letters are signed\n'


@pytest.fixture
def config_file() -> Path:
    """The file the app reads (the tests' conftest points OFFBOARD_CONFIG into tmp_path)."""
    return config_path()


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("comma")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def type_into(pilot, screen: SettingsScreen, wid: str, text: str) -> None:
    field = screen.query_one(f"#{wid}", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()


def message_of(screen: SettingsScreen, wid: str) -> str:
    row = screen.query_one(f"#{wid}", Input).parent.parent
    return str(row.query_one(".setting-msg", Static).render())


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_key_opens_settings_from_the_board_and_the_client(demo_db, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_settings(pilot)
        assert str(config_path()) in str(screen.query_one("#settings-file", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        await open_settings(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)


async def test_the_palette_opens_settings(demo_db, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*"settings")
        options: list[str] = []
        for _ in range(100):
            await pilot.pause(0.02)
            command_list = app.screen.query_one(CommandList)
            options = [
                str(command_list.get_option_at_index(i).hit.text)
                for i in range(command_list.option_count)
            ]
            if "Settings" in options:
                break
        command_list.highlighted = options.index("Settings")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)


async def test_saving_writes_the_file_privately_keeping_comments(
    demo_db, make_app, config_file: Path
) -> None:
    config_file.write_text(HAND_WRITTEN, encoding="utf-8")
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_settings(pilot)
        assert screen.query_one(f"#{field_id('sender.name')}", Input).value == "Ana Lind"
        await type_into(pilot, screen, field_id("sender.email"), "ana@studio.example")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)
        text = config_file.read_text(encoding="utf-8")
        assert 'email = "ana@studio.example"' in text
        assert "# written by hand" in text and "# as letters are signed" in text
        assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
        # In use at once, in the app and in the services the writer thread runs.
        assert app.config.sender_email == "ana@studio.example"
        assert app.services.config.sender_email == "ana@studio.example"
        assert any(str(config_file) in n for n in notes(app))


async def test_an_invalid_value_is_named_and_nothing_is_written(
    demo_db, make_app, config_file: Path
) -> None:
    config_file.write_text(HAND_WRITTEN, encoding="utf-8")
    before = config_file.read_bytes()
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_settings(pilot)
        await type_into(pilot, screen, field_id("sender.email"), "ana@example")
        # Checked as typed, by the rule `offboard config set` uses: key and accepted values.
        shown = message_of(screen, field_id("sender.email"))
        assert "sender.email" in shown and "accepted: an email address" in shown
        await type_into(pilot, screen, field_id("defaults.target_rate"), "eighty")
        assert "not a number" in message_of(screen, field_id("defaults.target_rate"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        status = str(screen.query_one("#settings-status", Static).render())
        assert "Nothing was saved: 2 settings to look at" in status
        assert config_file.read_bytes() == before


async def test_a_file_broken_meanwhile_is_named_and_left_alone(
    demo_db, make_app, config_file: Path
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_settings(pilot)
        config_file.write_text("[defaults]\ntarget_rat = 80\n", encoding="utf-8")
        before = config_file.read_bytes()
        await type_into(pilot, screen, field_id("sender.name"), "Bo")
        await pilot.press("ctrl+s")
        await pilot.pause()
        status = str(screen.query_one("#settings-status", Static).render())
        assert status.startswith("Nothing was saved")
        assert str(config_file) in status and "did you mean defaults.target_rate?" in status
        assert config_file.read_bytes() == before


async def test_leaving_with_changes_asks_first(demo_db, make_app, config_file: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_settings(pilot)
        await type_into(pilot, screen, field_id("sender.name"), "Bo")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert any("sender.name: (not set) → Bo" in line for line in app.screen.lines)
        await pilot.press("n")  # stay: what was typed is still there
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one(f"#{field_id('sender.name')}", Input).value == "Bo"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert not config_file.exists()


async def test_a_remapped_key_works_and_its_old_key_does_not(
    demo_db, make_app, config_file: Path
) -> None:
    config_file.write_text('[keys]\n"board.flag" = "F"\n', encoding="utf-8")
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # The footer shows the key that works now.
        shown = {key: active.binding.id for key, active in app.screen.active_bindings.items()}
        assert shown.get("F") == "board.flag" and "f" not in shown
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, FlagForm)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        sections = {s.title: {line.description: line.keys for line in s.lines}
                    for s in app.screen.sections}  # fmt: skip
        assert sections["Board"]["Log a red flag"] == ["F"]
        assert sections["App"]["Settings"] == [","]


async def test_remapping_a_key_on_the_settings_screen(demo_db, make_app, config_file) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_settings(pilot)
        await type_into(pilot, screen, REMAP_ID, "board.flga")
        assert "did you mean board.flag?" in message_of(screen, REMAP_ID)
        await type_into(pilot, screen, REMAP_ID, "board.flag")
        await type_into(pilot, screen, REMAP_KEY, "ctlr+f")
        assert "not a modifier" in message_of(screen, REMAP_ID)
        await type_into(pilot, screen, REMAP_KEY, "F")
        assert "Log a red flag" in message_of(screen, REMAP_ID)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_config(config_file).keys == {"board.flag": "F"}
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, FlagForm)


async def test_a_changed_file_is_read_on_the_next_poll(demo_db, make_app, config_file) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        services = app.services  # made before the change: it must see the new settings too
        config_file.write_text(
            '[sender]\nname = "Bo Berg"\n[defaults]\ntarget_rate = 120\n'
            '[keys]\n"board.flag" = "F"\n',
            encoding="utf-8",
        )
        app.poll_outside()  # what the app's timer runs every POLL_SECONDS
        await pilot.pause()
        assert app.config.sender_name == "Bo Berg"
        assert services.config.target_rate == Decimal(120)
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, FlagForm)
        await pilot.press("escape")
        await pilot.pause()
        # A broken file: said once, and the settings in use stay.
        config_file.write_text('[keys]\n"board.flga" = "G"\n', encoding="utf-8")
        app.poll_outside()
        app.poll_outside()
        await pilot.pause()
        errors = [n for n in notes(app) if "board.flga" in n]
        assert len(errors) == 1 and str(config_file) in errors[0]
        assert "did you mean board.flag?" in errors[0]
        assert app.config.sender_name == "Bo Berg"
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, FlagForm)


def test_settings_screen_snapshot(snap_compare, demo_db: Path, monkeypatch) -> None:
    # A fixed path that is never written, so the screen (which shows it) looks the same on
    # every machine.
    monkeypatch.setenv("OFFBOARD_CONFIG", "/nonexistent/offboard/config.toml")
    app = OffboardApp(demo_db, FixedClock(TODAY), demo=True, watch=False)
    assert snap_compare(app, press=["comma"], terminal_size=(100, 40))

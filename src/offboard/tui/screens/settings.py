"""Settings: every value of the config file, changed without having to find the file.

The rows are config.describe's (the SETTINGS table, then the keys already remapped), each
checked as it is typed by the rule `offboard config set` uses (config_write.check), and saved
through config_write.set_values: every change or none, the file's comments kept and the file
private. The last row remaps the key of any action by its binding id. Leaving with changes
not saved asks first.
"""

from __future__ import annotations

import tomllib

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from ...config import (
    KEYS,
    Config,
    Setting,
    config_path,
    describe,
    key_setting,
    load_config,
    typed,
)
from ...config_write import check, set_values
from ...domain.errors import InvalidInput
from ..actions import bindings, key_text
from ..core import core
from ..dialogs import ConfirmScreen
from ..userconfig import key_names
from ..widgets.footer import Footer

SECTION_TITLES = {
    "sender": "You, as letters are signed",
    "defaults": "Defaults for new clients",
    "storage": "Storage",
    "letters": "Letters",
    "smtp": "Mail server (SMTP)",
    KEYS: "Keys",
}
REMAP_ID, REMAP_KEY = "remap-id", "remap-key"
REMAP_HELP = (
    "Give any action a key of your own: its binding id (completed as you type, → takes the "
    "suggestion), then the key. ? lists the keys of each screen."
)
NOT_SET = "(not set)"


def field_id(key: str) -> str:
    """The Input of setting `key` ("sender.email" -> "set-sender-email")."""
    return "set-" + key.replace(".", "-")


def example(spec: Setting) -> str:
    """A field's placeholder: the setting's example, written as it is typed."""
    try:
        return f"e.g. {typed(spec.parse(tomllib.loads(f'x = {spec.example}')['x']))}"
    except (InvalidInput, tomllib.TOMLDecodeError):
        return ""


def _count(number: int, one: str) -> str:
    return f"1 {one}" if number == 1 else f"{number} {one}s"


class SettingsScreen(ModalScreen[None]):
    """Every setting in one scrolling list; ctrl+s saves, escape leaves."""

    CSS_PATH = "settings.tcss"
    ACTION_SCOPE = "settings"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self) -> None:
        super().__init__()
        self.path = config_path()
        self.names = key_names()
        self.initial: dict[str, str] = {}  # setting key -> the text its field started with
        self.help: dict[str, str] = {}
        self._by_field: dict[str, str] = {}  # field id -> setting key
        self.problem = ""  # why the file does not load, when it does not

    # --- layout ----------------------------------------------------------------------------

    def _stored(self) -> Config:
        """The file's values; when it does not load, the settings in use (saving will then
        say what is wrong with the file)."""
        try:
            return load_config(self.path, names=self.names)
        except InvalidInput as exc:
            self.problem = exc.one_line()
            return core(self).config

    def compose(self) -> ComposeResult:
        rows = describe(self._stored(), self.names)
        with Vertical(id="settings-box"):
            yield Static("Settings", id="settings-title")
            where = Static(self._where(), id="settings-file", markup=False)
            yield where.set_class(bool(self.problem), "-error")
            with VerticalScroll(id="settings-body"):
                section = ""
                for key, value, spec in rows:
                    part = key.partition(".")[0]
                    if part != section:
                        section = part
                        yield Static(SECTION_TITLES.get(part, part), classes="settings-heading")
                    self.initial[key] = typed(value)
                    self.help[key] = spec.help
                    self._by_field[field_id(key)] = key
                    yield self._row(key, typed(value), example(spec))
                if section != KEYS:
                    yield Static(SECTION_TITLES[KEYS], classes="settings-heading")
                yield self._remap_row()
            yield Static("", id="settings-status", classes="-empty", markup=False)
            with Horizontal(id="settings-buttons"):
                yield Button("Save", id="settings-save", variant="primary", compact=True)
                yield Button("Cancel", id="settings-cancel", compact=True)
                save, close = key_text(self, "settings.save"), key_text(self, "settings.close")
                yield Static(f"{save} saves · {close} leaves", id="settings-keys", markup=False)
        yield Footer()

    def _where(self) -> str:
        where = f"File: {self.path}"
        if self.problem:
            return f"{where}\nIt does not load: {self.problem}"
        if not self.path.exists():
            return f"{where} (not written yet: these are the defaults)"
        return where

    def _row(self, key: str, text: str, placeholder: str) -> Vertical:
        field = Input(text, placeholder, id=field_id(key), compact=True, select_on_focus=False)
        line = Horizontal(Label(key, classes="setting-key", markup=False), field)
        message = Static(self.help[key], classes="setting-msg", markup=False)
        return Vertical(line.add_class("setting-line"), message, classes="setting")

    def _remap_row(self) -> Vertical:
        binding = Input(
            placeholder="binding id, e.g. board.flag",
            id=REMAP_ID,
            compact=True,
            suggester=SuggestFromList(sorted(self.names.ids), case_sensitive=True),
        )
        key = Input(placeholder="its key, e.g. F", id=REMAP_KEY, compact=True)
        line = Horizontal(Label("remap a key", classes="setting-key"), binding, key)
        message = Static(REMAP_HELP, classes="setting-msg", id="remap-msg", markup=False)
        return Vertical(line.add_class("setting-line"), message, classes="setting", id="remap")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    # --- checking, as typed ----------------------------------------------------------------

    def _field(self, key_or_id: str) -> Input:
        wid = key_or_id if key_or_id.startswith(("set-", "remap-")) else field_id(key_or_id)
        return self.query_one(f"#{wid}", Input)

    def _show(self, key: str) -> bool:
        """Check one setting's field with its rule and say under it what is wrong (or what the
        setting is for). True when it is wrong."""
        try:
            check(key, self._field(key).value, names=self.names)
            problem = ""
        except InvalidInput as exc:
            problem = exc.one_line()
        self._message(self._field(key), problem or self.help[key], bool(problem))
        return bool(problem)

    def _message(self, field: Input, text: str, error: bool) -> None:
        row = field.parent.parent if field.parent is not None else None
        if isinstance(row, Vertical):
            row.set_class(error, "-error")
            row.query_one(".setting-msg", Static).update(text)

    def _remap(self, *, saving: bool) -> tuple[tuple[str, str] | None, str, bool]:
        """The remap row: (the setting and key to save, or None; the line to show under it;
        whether that line is a problem). A half-filled row is a problem only when saving."""
        binding = self._field(REMAP_ID).value.strip()
        key = self._field(REMAP_KEY).value.strip()
        if not binding and not key:
            return None, REMAP_HELP, False
        if not binding:
            return None, "Type the binding id of the action the key is for.", saving
        try:
            spec = key_setting(binding, self.names)
        except InvalidInput as exc:
            return None, exc.one_line(), True
        if not key:
            return None, f"{spec.key}: {spec.help}. Now type its key.", saving
        try:
            check(spec.key, key, names=self.names)
        except InvalidInput as exc:
            return None, exc.one_line(), True
        return (spec.key, key), f"{spec.key}: {spec.help}", False

    def _show_remap(self, *, saving: bool = False) -> tuple[tuple[str, str] | None, bool]:
        remap, text, error = self._remap(saving=saving)
        self._message(self._field(REMAP_ID), text, error)
        return remap, error

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        wid = event.input.id or ""
        if wid in (REMAP_ID, REMAP_KEY):
            self._show_remap()
        elif wid in self._by_field:
            self._show(self._by_field[wid])
        self._status("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # Enter moves on, as in every form; ctrl+s saves.
        event.stop()
        self.focus_next()

    # --- saving and leaving ----------------------------------------------------------------

    def changes(self) -> dict[str, str]:
        """Each setting whose field differs from what the file holds, with its text now."""
        found = {
            key: self._field(key).value
            for key, start in self.initial.items()
            if self._field(key).value != start
        }
        binding = self._field(REMAP_ID).value.strip()
        if binding or self._field(REMAP_KEY).value.strip():
            found[f"{KEYS}.{binding}"] = self._field(REMAP_KEY).value.strip()
        return found

    def _status(self, text: str, error: bool = False) -> None:
        line = self.query_one("#settings-status", Static)
        line.update(text)
        line.set_class(error, "-error")
        line.set_class(not text, "-empty")

    def action_save(self) -> None:
        changes = {key: text for key, text in self.changes().items() if key in self.initial}
        bad = [self._field(key) for key in changes if self._show(key)]
        remap, error = self._show_remap(saving=True)
        if error:
            bad.append(self._field(REMAP_ID))
        elif remap is not None:
            changes[remap[0]] = remap[1]
        if bad:
            bad[0].focus()
            self._status(
                f"Nothing was saved: {_count(len(bad), 'setting')} to look at (in red).", True
            )
            return
        if not changes:
            self._status(f"Nothing has changed; {key_text(self, 'settings.close')} leaves.")
            return
        try:
            set_values(changes, self.path, names=self.names)
        except InvalidInput as exc:
            self._status(f"Nothing was saved: {exc.one_line()}", True)
            return
        # Used at once, not at the next look at the file.
        core(self).reload_config(quiet=True)
        self.app.notify(f"Saved {_count(len(changes), 'setting')} to {self.path}.", timeout=5)
        self.dismiss()

    def action_close(self) -> None:
        changes = self.changes()
        if not changes:
            self.dismiss()
            return
        lines = [
            f"{key}: {self.initial.get(key) or NOT_SET} → {text or NOT_SET}"
            for key, text in changes.items()
        ]

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss()

        question = f"Leave the settings without saving {'it' if len(lines) == 1 else 'them'}?"
        confirm = ConfirmScreen("Not saved yet", lines, question, yes="Discard")
        self.app.push_screen(confirm, answered)

    @on(Button.Pressed, "#settings-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#settings-cancel")
    def _cancel_pressed(self) -> None:
        self.action_close()

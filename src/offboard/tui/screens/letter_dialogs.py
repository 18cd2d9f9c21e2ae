"""The small screens around the letter editor: pick a template, export, mark as sent, send."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ...domain.clock import parse_iso_date
from ...domain.errors import InvalidInput
from ...domain.models import FORBIDDEN_CHANNELS, Channel
from ...letters.library import SHIPPED, TemplateInfo
from ..actions import bindings, key_text
from ..dialogs import ConfirmScreen
from ..widgets.footer import Footer

if TYPE_CHECKING:
    from ...letters.mail import Outgoing

CSS = str(Path(__file__).with_name("letter.tcss"))
_BROKEN = "broken:"  # option ids of templates that cannot be used; names never contain ':'


class TemplatePicker(ModalScreen[tuple[str, str] | None]):
    """Choose the letter: templates meant for the client's stage and archetype come first."""

    CSS_PATH = CSS
    ACTION_SCOPE = "letter.picker"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(
        self,
        client_name: str,
        locale: str,
        locales: list[str],
        suggest: dict[str, list],
        broken: dict[str, list[tuple[str, str]]] | None = None,
    ) -> None:
        super().__init__()
        self.client_name = client_name
        self.locale = locale
        self.locales = locales
        self.suggest = suggest  # locale -> [(TemplateInfo, suggested: bool)]
        # locale -> [(name, why it cannot be used)]: the user's own files that do not load
        # are listed too, or a template would vanish from the list without a word
        self.broken = broken or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="letter-dialog"):
            yield Label(f"Write a letter to {self.client_name}", classes="dialog-title")
            yield Static("", id="picker-locale")
            yield OptionList(id="picker-list")
            yield Static("", id="picker-description")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        self.query_one("#picker-locale", Static).update(
            f"Language: {self.locale}   "
            f"({key_text(self, 'picker.locale')}: {', '.join(self.locales)})"
        )
        options = self.query_one("#picker-list", OptionList)
        options.clear_options()
        for info, suggested in self.suggest.get(self.locale, []):
            # the option list trims leading spaces, so the others get a mark of their own
            mark = "★ " if suggested else "· "
            options.add_option(Option(f"{mark}{info.title}  ·  {info.name}", id=info.name))
        for name, _ in self.broken.get(self.locale, []):
            options.add_option(Option(f"✗ {name}  ·  cannot be used", id=f"{_BROKEN}{name}"))
        options.highlighted = 0 if options.option_count else None
        options.focus()

    @on(OptionList.OptionHighlighted, "#picker-list")
    def _describe(self, event: OptionList.OptionHighlighted) -> None:
        info = self._info(event.option.id)
        text = self._broken(event.option.id) or ""
        if info:
            # The folder of a shipped template says nothing to a user; their own file's does.
            where = (
                "shipped with offboard" if info.origin == SHIPPED else f"yours: {_home(info.path)}"
            )
            text = f"{info.description}\n{where}"
        self.query_one("#picker-description", Static).update(text)

    def _info(self, name: str | None) -> TemplateInfo | None:
        for info, _ in self.suggest.get(self.locale, []):
            if info.name == name:
                return info
        return None

    def _broken(self, option: str | None) -> str | None:
        for name, error in self.broken.get(self.locale, []):
            if option == f"{_BROKEN}{name}":
                return f"This template cannot be used: {error}"
        return None

    @on(OptionList.OptionSelected, "#picker-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        error = self._broken(event.option.id)
        if error:
            self.query_one("#picker-description", Static).update(error)
            self.notify(error, title="Template not loaded", severity="error", timeout=10)
            return
        self.dismiss((str(event.option.id), self.locale))

    def action_next_locale(self) -> None:
        if self.locales:
            i = self.locales.index(self.locale) if self.locale in self.locales else -1
            self.locale = self.locales[(i + 1) % len(self.locales)]
            self._fill()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportScreen(ModalScreen[Path | None]):
    """Ask where to write the letter; the suffix picks the format."""

    CSS_PATH = CSS
    ACTION_SCOPE = "letter.export"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self, suggestion: Path) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="letter-dialog"):
            yield Label("Export the letter", classes="dialog-title")
            yield Static("The file name's ending picks the format: .eml (mail), .md or .txt.")
            yield Input(str(self.suggestion), id="export-path")
            yield Static("", id="export-error", classes="dialog-error")
            cancel = key_text(self, "export.cancel")
            yield Static(f"enter: write   {cancel}: cancel", classes="dialog-question")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        path = Path(raw).expanduser() if raw else None
        if path is None or path.suffix.lower() not in (".eml", ".md", ".txt"):
            self.show_error("End the file name with .eml, .md or .txt.")
            return
        self.dismiss(path)

    def show_error(self, text: str) -> None:
        self.query_one("#export-error", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MarkSentScreen(ModalScreen[tuple[str, dt.date] | None]):
    """Record a letter that went out some other way: how, and on which day."""

    CSS_PATH = CSS
    ACTION_SCOPE = "letter.mark_sent"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self, today: dt.date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="letter-dialog"):
            yield Label("Mark the letter as sent", classes="dialog-title")
            yield Static("How did it go out?")
            yield Select(
                [(c.value, c.value) for c in Channel], value=Channel.EMAIL.value, id="channel"
            )
            yield Static("On which day? (YYYY-MM-DD)")
            yield Input(self.today.isoformat(), id="sent-on")
            yield Static("", id="marksent-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                record = key_text(self, "marksent.confirm")
                yield Button(f"Record ({record})", variant="primary", id="record")
                yield Button(f"Cancel ({key_text(self, 'marksent.cancel')})", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Select).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "record":
            self.action_confirm()
        else:
            self.action_cancel()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        channel = str(self.query_one(Select).value)
        error = self.query_one("#marksent-error", Static)
        if Channel(channel) in FORBIDDEN_CHANNELS:
            error.update(
                f"Not by {channel}: a termination by {channel} reads as careless and leaves "
                "no proper record. Use email, a letter, or a call followed by email."
            )
            return
        try:
            day = parse_iso_date(self.query_one("#sent-on", Input).value.strip(), "date")
        except InvalidInput as exc:
            error.update(exc.one_line())
            return
        if day > self.today:
            error.update("That day is in the future; record a letter once it has gone out.")
            return
        self.dismiss((channel, day))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SendScreen(ConfirmScreen, inherit_bindings=False):
    """The last look before sending: the header block exactly as it goes out (7-bit ASCII,
    so non-ASCII names and subjects show as encoded words) and the text as the recipient's
    mail program decodes it from those same bytes. Sending passes this Outgoing on, so what
    is approved here is what the server gets.
    Answers like ConfirmScreen (focus starts on Cancel), but not to y and n: sending must
    not be one stray key away while reading."""

    CSS_PATH = CSS
    DEFAULT_CSS = """
    SendScreen #send-headers {
        height: auto;
        max-height: 10;
        margin: 1 0 0 0;
    }
    """
    ACTION_SCOPE = "letter.send"
    BINDINGS = [*ModalScreen.BINDINGS, *bindings(ACTION_SCOPE)]

    def __init__(self, outgoing: Outgoing, server: str) -> None:
        super().__init__("Send this letter?", [], "", yes="Send")
        self.outgoing = outgoing
        self.server = server

    @property
    def headers(self) -> str:
        """The header block as shown: the sent lines, folded lines kept as they are."""
        return "\n".join(self.outgoing.header_lines)

    @property
    def body(self) -> str:
        return self.outgoing.body

    def compose(self) -> ComposeResult:
        with Vertical(id="send-box", classes="letter-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(f"Server:  {self.server}", markup=False, classes="dim")
            with VerticalScroll(id="send-headers"):
                yield Static(self.headers, markup=False)
            yield TextArea(self.body, read_only=True, soft_wrap=True, id="send-body")
            with Horizontal(classes="dialog-buttons"):
                send, cancel = key_text(self, "send.yes"), key_text(self, "send.no")
                yield Button(f"{self.yes} ({send})", variant="warning", id="yes")
                yield Button(f"Cancel ({cancel})", id="no")
        yield Footer()


def _home(path: Path) -> str:
    try:
        return f"~/{path.relative_to(Path.home())}"
    except ValueError:
        return str(path)

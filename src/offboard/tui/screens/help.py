"""`?` help: every key that works right now, read from the live bindings.

The list is built from the bindings of the screen underneath (and its focused widgets that
belong to offboard), the board if it is further down the stack, and the app, with the user's
keymap applied, so a remapped key shows as the key that actually works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from textual.actions import parse as parse_action
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

# Keys every Textual screen has (tab between widgets, copy): not offboard's own keys.
_TEXTUAL_SCREEN_ACTIONS = frozenset(b.action for b in Binding.make_bindings(Screen.BINDINGS))

# Better words for actions Textual itself binds.
_DESCRIPTIONS = {
    "command_palette": "Command palette: every action, jump to a client",
    "quit": "Quit",
}

# From this many columns on, help shows the stages and gates beside the keys.
WIDE = 140

ABOUT_STAGES = (
    "Each card is one client, and it travels left to right through seven stages: "
    "assessment (log red flags, weigh what the client costs you), repair (try to fix it, "
    "each attempt with a date to review it), preparation (you have decided; get the "
    "contract, papers and timing ready), notice (the conversation is held and the notice "
    "period runs), handover (files, access and remaining work), settlement (the last invoice "
    "is paid or refunded) and closed.\n\n"
    "Moving a card into a stage passes its gate. A hard gate stops the move until the "
    "missing piece is recorded, for example a repair needs an attempt with a review date, "
    "and notice needs the conversation date, the channel and the notice period. A soft gate "
    "only asks: you can go on, and the override is written into the client's history. Every "
    "move can be undone with ctrl+z, and going back from notice or later asks for a reason."
)


@dataclass
class KeyLine:
    """One line of help: the keys that do one thing, and what that thing is."""

    keys: list[str]
    description: str


@dataclass
class Section:
    title: str
    lines: list[KeyLine] = field(default_factory=list)

    def add(self, key: str, description: str) -> None:
        for line in self.lines:
            if line.description == description:
                if key not in line.keys:
                    line.keys.append(key)
                return
        self.lines.append(KeyLine([key], description))


def group_title(screen: Screen[object]) -> str:
    """'Board' for BoardScreen, 'Client' for ClientScreen, or the screen's HELP_GROUP."""
    title = getattr(screen, "HELP_GROUP", None)
    if isinstance(title, str) and title:
        return title
    name = type(screen).__name__.removesuffix("Screen") or type(screen).__name__
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def describe(binding: Binding, *, long: bool = False) -> str:
    """The words for a binding; `long` prefers the palette's fuller names for board and app
    actions ("Log a red flag" rather than the footer's "Flag")."""
    _namespace, name, params = parse_action(binding.action)
    if name in _DESCRIPTIONS and (not binding.description or binding.description == "palette"):
        return _DESCRIPTIONS[name]
    if long and not params:
        from ..commands import KNOWN_TITLES

        if name in KNOWN_TITLES:
            return KNOWN_TITLES[name]
    if binding.description:
        return binding.description
    return name.replace("_", " ").capitalize()


def _with_keymap(app: App[object], node: DOMNode) -> BindingsMap:
    """A node's bindings as they work now: the user's keymap replaces remapped keys."""
    bindings = node._bindings.copy()
    keymap = getattr(app, "_keymap", None)
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def _own_widgets(screen: Screen[object]) -> list[DOMNode]:
    """The focused widget and its ancestors inside the screen, when they are offboard's own
    widgets (Textual's built-in widgets' keys, such as a table's cursor keys, are left out)."""
    focused = screen.focused
    if focused is None:
        return []
    nodes = [
        node
        for node in focused.ancestors_with_self
        if node is not screen
        and not isinstance(node, (Screen, App))
        and not type(node).__module__.startswith("textual.")
    ]
    nodes.reverse()
    return nodes


def screen_section(screen: Screen[object], *, long: bool = False) -> Section:
    section = Section(group_title(screen))
    app = screen.app
    for node in [screen, *_own_widgets(screen)]:
        for key, binding in _with_keymap(app, node):
            if binding.system or binding.action in _TEXTUAL_SCREEN_ACTIONS:
                continue
            section.add(app.get_key_display(binding.with_key(key)), describe(binding, long=long))
    return section


def app_section(app: App[object]) -> Section:
    section = Section("App")
    for key, binding in _with_keymap(app, app):
        if binding.system:
            continue
        section.add(app.get_key_display(binding.with_key(key)), describe(binding, long=True))
    return section


def collect_sections(app: App[object], below: Screen[object] | None) -> list[Section]:
    """The screen underneath first, then the board if it is further down, then the app."""
    from ..commands import find_board

    sections: list[Section] = []
    screens: list[Screen[object]] = []
    if below is not None:
        screens.append(below)
    board = find_board(app)
    if board is not None and board not in screens:
        screens.append(board)
    for screen in screens:
        section = screen_section(screen, long=screen is board)
        if section.lines:
            sections.append(section)
    sections.append(app_section(app))
    return sections


def render_section(section: Section, key_width: int) -> Content:
    lines = [Content.from_markup("[b $text-accent]$title[/]", title=section.title)]
    for line in section.lines:
        keys = "  ".join(line.keys)
        lines.append(
            Content.from_markup(
                "  [b $text-warning]$keys[/]  $what",
                keys=keys.rjust(key_width),
                what=line.description,
            )
        )
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works; escape, ? or q closes."""

    CSS_PATH = "help.tcss"
    HELP_GROUP = "Help"
    # From 140 columns on, the stages and gates sit beside the keys instead of below them.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (WIDE, "-wide")]

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close help", id="help.close"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="help.up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[Section] = []

    def _screen_below(self) -> Screen[object] | None:
        stack = self.app.screen_stack
        index = stack.index(self) if self in stack else len(stack)
        return stack[index - 1] if index > 0 else None

    def compose(self) -> ComposeResult:
        self.sections = collect_sections(self.app, self._screen_below())
        key_width = max(
            (len("  ".join(line.keys)) for s in self.sections for line in s.lines), default=4
        )
        key_width = min(key_width, 18)
        with Vertical(id="help-dialog"):
            yield Static("Keys", id="help-title")
            with Horizontal(id="help-panes"):
                with VerticalScroll(id="help-body"):
                    for section in self.sections:
                        yield Static(render_section(section, key_width), classes="help-section")
                    # Narrow screens read on below the keys; wide ones show this beside them.
                    yield from self._about("-inline")
                with VerticalScroll(id="help-side", can_focus=False):
                    yield from self._about("-side")
            yield Static(
                Content.from_markup(
                    "[b $text-warning]escape[/] [b $text-warning]?[/] [b $text-warning]q[/] "
                    "close   [b $text-warning]↑ ↓ j k[/] scroll"
                ),
                id="help-hint",
            )

    @staticmethod
    def _about(where: str) -> ComposeResult:
        yield Static("Stages and gates", classes=f"help-heading {where}")
        for paragraph in ABOUT_STAGES.split("\n\n"):
            yield Static(paragraph, classes=f"help-about {where}")

    def on_mount(self) -> None:
        self.query_one("#help-body", VerticalScroll).focus()

    def on_resize(self) -> None:
        """Wide: the dialog only as tall as the keys need (the text beside them is shorter).
        Narrow: as tall as the screen allows, scrolling through keys then text."""
        dialog = self.query_one("#help-dialog", Vertical)
        if self.app.size.width >= WIDE:
            keys = sum(2 + len(section.lines) for section in self.sections)
            # Border, title and hint take 5 lines; the stages text needs about 20 beside.
            dialog.styles.height = max(keys, 20) + 5
        else:
            dialog.styles.height = "100%"

    def as_text(self) -> str:
        """The key list as plain text (for tests and copying)."""
        out: list[str] = []
        for section in self.sections:
            out.append(section.title)
            out.extend(f"  {'  '.join(line.keys)}  {line.description}" for line in section.lines)
        return "\n".join(out)

    def action_close(self) -> None:
        self.dismiss()

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if direction == "down":
            body.scroll_down()
        else:
            body.scroll_up()

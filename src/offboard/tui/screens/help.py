"""`?` help: every key of the screen underneath, of the board and of the app, read from the
action table with the user's keymap applied, so a remapped key shows as the key that works.

A screen that is not offboard's own (it has no ACTION_SCOPE) is described from its live
bindings instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..actions import bindings, family, key_names, key_text, keys_text
from ..scopes import find_screen, node_title, scope_of

# Keys every Textual screen has (tab between widgets, copy): not offboard's own keys.
_TEXTUAL_SCREEN_ACTIONS = frozenset(b.action for b in Binding.make_bindings(Screen.BINDINGS))

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
    "move can be undone with {undo}, and going back from notice or later asks for a reason."
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


def table_section(app: App[object], scope: str, title: str) -> Section:
    """A scope's keys and those of its parts (a client screen's tabs), from the table."""
    section = Section(title)
    for action in family(scope):
        for key in key_names(app, action):
            section.add(key, action.words)
    return section


def _with_keymap(app: App[object], node: DOMNode) -> BindingsMap:
    """A node's bindings as they work now: the user's keymap replaces remapped keys."""
    bindings = node._bindings.copy()
    keymap = getattr(app, "_keymap", None)
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def bound_section(screen: Screen[object]) -> Section:
    """A screen that is not in the table, from its live bindings and its focused widgets'
    (Textual's built-in widgets' keys, such as a table's cursor keys, are left out)."""
    section = Section(node_title(screen))
    app = screen.app
    nodes: list[DOMNode] = [screen]
    if screen.focused is not None:
        nodes += reversed(
            [
                node
                for node in screen.focused.ancestors_with_self
                if node is not screen
                and not isinstance(node, (Screen, App))
                and not type(node).__module__.startswith("textual.")
            ]
        )
    for node in nodes:
        for key, binding in _with_keymap(app, node):
            if binding.system or binding.action in _TEXTUAL_SCREEN_ACTIONS:
                continue
            words = binding.description or binding.action.replace("_", " ").capitalize()
            section.add(app.get_key_display(binding.with_key(key)), words)
    return section


def screen_section(screen: Screen[object]) -> Section:
    scope = scope_of(screen)
    if scope:
        return table_section(screen.app, scope, node_title(screen))
    return bound_section(screen)


def collect_sections(app: App[object], below: Screen[object] | None) -> list[Section]:
    """The screen underneath first, then the board if it is further down, then the app."""
    sections: list[Section] = []
    screens: list[Screen[object]] = []
    if below is not None:
        screens.append(below)
    board = find_screen(app, "board")
    if board is not None and board not in screens:
        screens.append(board)
    for screen in screens:
        section = screen_section(screen)
        if section.lines:
            sections.append(section)
    sections.append(table_section(app, "app", "App"))
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
    ACTION_SCOPE = "help"
    # From 140 columns on, the stages and gates sit beside the keys instead of below them.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]

    BINDINGS = bindings(ACTION_SCOPE)

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
            yield Static(self._hint(), id="help-hint")

    def _hint(self) -> Content:
        """The keys that close and scroll help (the arrows are the scrolling box's own)."""
        keys = {f"close{i}": key for i, key in enumerate(keys_text(self, "help.close"))}
        close = " ".join(f"[b $text-warning]${name}[/]" for name in keys)
        return Content.from_markup(
            f"{close} close   [b $text-warning]↑ ↓ $down $up[/] scroll",
            down=key_text(self, "help.down"),
            up=key_text(self, "help.up"),
            **keys,
        )

    def _about(self, where: str) -> ComposeResult:
        yield Static("Stages and gates", classes=f"help-heading {where}")
        undo = key_text(self, "undo")
        for paragraph in ABOUT_STAGES.format(undo=undo).split("\n\n"):
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

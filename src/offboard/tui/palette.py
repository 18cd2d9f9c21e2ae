"""The command palette (ctrl+p): Textual's own, with its list filled on the keystroke itself.

Textual's `CommandPalette` is built for providers that may be slow: each keystroke starts a
worker that runs every provider as a task, passes each hit through a queue polled in steps of
up to 0.1 s, clears the list and fills it again, and waits half a second before it says that
nothing matched. Meanwhile the typed letter is painted in a frame of its own, so the list
arrives a frame (1/60 s) later at best. offboard's providers answer in a millisecond or two
from what is already in memory, so this palette asks them while the keystroke is being
handled, and the letter and the new list are painted in the same frame.

Its list (`palette_list.HitList`) styles and draws only the hits on screen, and a query typed
again (a backspace) shows the options it had, drawn already. Only the options that can be on
screen are put in the list for the keystroke's frame (a screenful: about twenty of the fifty
or so hits); the rest are added right after that frame, in order, unless a later key has
filled the list anew. Nothing passes through the screen's queue between a key and its frame:
the input does not post Input.Changed (Textual's handler of it would only search again), and
the list tells the app of its highlighted option itself (CommandPalette.OptionHighlighted, as
Textual's palette tells it).

What is kept from Textual: the screen, its input, list, keys and styles, the messages the app
hears, the order of the hits (by score, then as the providers gave them), how each hit is
shown, the "No matches found" line (now at once), and selecting and running a command. A
provider that is not an `ImmediateProvider` makes this palette search the way Textual does.
(An error in an immediate provider is raised, where Textual would log it and go on: they are
offboard's own.)

Textual's private names used here are checked by tests/tui/test_palette_textual_names.py, so
a Textual release that renames them fails that test rather than the palette.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.text import Text
from textual.command import (
    Command,
    CommandInput,
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hits,
    Provider,
)
from textual.style import Style
from textual.system_commands import SystemCommandsProvider
from textual.widgets import Input
from textual.widgets.option_list import Option

from .palette_list import AnyHit, HitList, HitPrompt, MatchedHit, PaletteInput

if TYPE_CHECKING:
    from textual.app import App, ComposeResult, SystemCommand


class ImmediateProvider(Provider):
    """A provider whose hits are worked out at once, from what is in memory: the palette asks
    it on the keystroke itself instead of in a worker."""

    @abstractmethod
    def hits(self, query: str) -> Iterable[AnyHit]:
        """The hits for `query` (the stripped input); with no query, the discovery hits."""

    async def search(self, query: str) -> Hits:
        for hit in self.hits(query):
            yield hit

    async def discover(self) -> Hits:
        for hit in self.hits(""):
            yield hit


class SystemCommands(SystemCommandsProvider, ImmediateProvider):
    """Textual's system commands (themes, keys, screenshot, quit), the same hits as its
    provider gives, worked out at once."""

    _commands: list[SystemCommand] | None = None

    def hits(self, query: str) -> Iterable[AnyHit]:
        # Asked once a palette: they stay the same while it is open, and asking searches the
        # screen each time.
        if self._commands is None:
            self._commands = list(self.app.get_system_commands(self.screen))
        commands = self._commands
        if not query:
            for name, help_text, callback, discover in sorted(commands, key=lambda c: c[0]):
                if discover:
                    yield DiscoveryHit(name, callback, help=help_text)
            return
        matcher = self.matcher(query)
        for name, help_text, callback, *_ in commands:
            if (score := matcher.match(name)) > 0:
                yield MatchedHit.of(score, name, callback, help_text, matcher.highlight)

    # Both base classes define these; the immediate ones are the point of this class.
    search = ImmediateProvider.search
    discover = ImmediateProvider.discover


# How many queries typed lately keep their options (most recent last).
RECENT_QUERIES = 8

# Textual's providers that have an immediate twin here.
IMMEDIATE_TWINS: dict[type[Provider], type[ImmediateProvider]] = {
    SystemCommandsProvider: SystemCommands,
}


class OffboardPalette(CommandPalette):
    """Textual's command palette, its list worked out and filled in the keystroke's frame."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recent: dict[str, list[Command]] = {}
        self._filling = 0  # how many times the list was filled (see _add_rest)

    @property
    def _provider_classes(self) -> set[type[Provider]]:
        # App.COMMANDS names Textual's system provider: use its immediate twin.
        return {IMMEDIATE_TWINS.get(cls, cls) for cls in super()._provider_classes}

    def compose(self) -> ComposeResult:
        # Textual's screen, with a list that draws only the hits on screen and an input that
        # does not lay the screen out again on each key.
        for widget in super().compose():
            if type(widget) is CommandList:
                yield HitList()
            elif type(widget) is CommandInput:
                yield PaletteInput(
                    placeholder=widget.placeholder, select_on_focus=widget.select_on_focus
                )
            else:
                yield widget

    def on_mount(self) -> None:
        # A watcher runs as the value changes, inside the key's handler: the search is done
        # before the screen is painted again. Input.Changed would arrive later, through the
        # screen's queue, and hold its next frame back: the input does not post it while
        # this palette searches at once (Textual's own handler of it would search again).
        field = self.query_one(CommandInput)
        self.watch(field, "value", self._typed, init=False)
        if isinstance(field, PaletteInput):
            field.searched = self._immediate

    def _immediate(self) -> bool:
        return all(isinstance(p, ImmediateProvider) for p in self._providers)

    def _typed(self, value: str) -> None:
        # A value set while Input.Changed is prevented is a selected command's text, not
        # something typed: Textual does not search for it either.
        if self._immediate() and not self._is_prevented(Input.Changed):
            self._show_hits(value.strip())

    def _gather_commands(self, search_value: str) -> Any:
        # Called by CommandPalette._on_mount (the discovery list) and _input.
        if not self._immediate():
            return super()._gather_commands(search_value)
        self._show_hits(search_value)
        return None

    def _show_hits(self, query: str) -> None:
        """Ask every provider, and show what they found, best first."""
        self._stop_no_matches_countdown()
        self._cancel_gather_commands()
        commands = self._recent.pop(query, None)
        if commands is None:
            commands = self._search(query)
        # A query typed again (a backspace) shows the same options, drawn already. The
        # providers would give the same hits: they answer from what they found when the
        # palette opened (the clients' titles, the commands of the screen under it).
        self._recent[query] = commands
        if len(self._recent) > RECENT_QUERIES:
            del self._recent[next(iter(self._recent))]
        command_list = self.query_one(CommandList)
        self._refresh_command_list(command_list, commands, True)
        if not commands and query:
            command_list.add_option(no_matches(self._NO_MATCHES))
            self._list_visible = True
        self._show_busy = False
        self.add_class("-ready")

    def _search(self, query: str) -> list[Command]:
        """Every provider's hits for `query`, as options, in the order given."""
        help_style = Style.from_styles(self.get_component_styles("command-palette--help-text"))
        commands: list[Command] = []
        for provider in self._providers:
            assert isinstance(provider, ImmediateProvider)
            for hit in provider.hits(query):
                commands.append(option_for(hit, len(commands), help_style))
        return commands

    def _refresh_command_list(
        self, command_list: CommandList, commands: list[Command], clear_current: bool
    ) -> None:
        # Textual clears the list and adds the options (two updates); one replacement here.
        # The options that can be on screen come first; the rest are added after the frame
        # that shows them (see `on_screen`).
        ordered = sorted(commands, key=attrgetter("hit.score"), reverse=True)
        first = on_screen(ordered, self.app.size.height)
        self._filling += 1
        command_list.set_options(ordered[:first])
        if ordered:
            command_list.highlighted = 0
        self._list_visible = bool(ordered)
        self._hit_count = len(ordered)
        if first < len(ordered):
            self.call_after_refresh(self._add_rest, command_list, ordered[first:], self._filling)

    def _add_rest(self, command_list: CommandList, rest: list[Command], filling: int) -> None:
        # Unless the list was filled again meanwhile (a key typed before this frame).
        if filling == self._filling and command_list.is_attached:
            command_list.add_options(rest)


def on_screen(ordered: list[Command], height: int) -> int:
    """How many of the options, in order, can be on a screen `height` lines high at once: each
    takes at least its lines of plain text (more if they wrap), and the list is never higher
    than the screen. Only these are worked out for the keystroke's frame; a user scrolling
    down finds the rest, added right after it."""
    lines = 0
    for count, option in enumerate(ordered, 1):
        prompt = option.prompt
        lines += len(prompt.lines) if isinstance(prompt, HitPrompt) else 1
        if lines >= height:
            return count
    return len(ordered)


def option_for(hit: AnyHit, index: int, help_style: Style) -> Command:
    """A hit as the list shows it: its prompt, and its help below in the help-text style (as
    Textual's palette builds it), styled when the list first draws it."""
    return Command(HitPrompt(hit, help_style), hit, id=str(index))


def no_matches(option_id: str) -> Option:
    """The line Textual's palette shows when nothing matched."""
    return Option(
        Align.center(Text("No matches found", style="not bold")), disabled=True, id=option_id
    )


def open_palette(app: App[Any]) -> None:
    """What ctrl+p does: this palette instead of Textual's, once."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(OffboardPalette(id="--command-palette"))

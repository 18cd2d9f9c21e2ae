"""The command palette (ctrl+p): every action by name, and "Jump to client" for each client.

Register with `COMMANDS = App.COMMANDS | {OffboardCommands}` on the app. Textual's own system
commands (themes, quit, keys, screenshot) stay alongside.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.actions import parse as parse_action
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen

from ..domain.models import Client, Stage
from ..domain.timers import next_deadline

if TYPE_CHECKING:
    from textual.app import App

# Board actions by the name of their action method, with the palette's words for them.
BOARD_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("new_client", "New client", "Add a client; the card starts in assessment"),
    ("open", "Open the focused client", "Details, checklists, history and letters"),
    ("move_next", "Move the card to the next stage", "The stage's gate is checked first"),
    ("move_prev", "Move the card to the previous stage", "Going back after notice asks why"),
    ("flag", "Log a red flag", "Record a warning sign on the focused client"),
    ("repair", "Start a repair attempt", "A strategy to try, with a date to review it"),
    ("letter", "Write a letter", "The right letter for the client's stage"),
    ("agenda", "Show the agenda", "Every deadline of every client, earliest first"),
    ("filter", "Filter the board", "Show only the clients whose name matches"),
    ("toggle_archived", "Toggle archived clients", "Every closed client, or only recent ones"),
)
# App actions (Textual's own "Quit" and "Theme" are already in the palette).
APP_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("undo", "Undo", "Take back the last change made in this window"),
    ("help", "Show help", "Every key, and how stages and gates work"),
)
# Actions on the board's focused card: offered elsewhere only when that screen has its own
# version (acting on a card the user cannot see would surprise).
CARD_ACTIONS = frozenset({"open", "move_next", "move_prev", "flag", "repair", "letter"})
# What other screens call the same thing: on a client screen "Log a red flag" is its
# `add_flag`, for the client in view.
SCREEN_ALIASES: dict[str, tuple[str, ...]] = {
    "flag": ("flag", "add_flag"),
    "repair": ("repair", "add_repair"),
    "letter": ("letter", "write_letter", "new_letter"),
}
KNOWN_TITLES = {name: title for name, title, _ in BOARD_ACTIONS + APP_ACTIONS}

# How many client hits one search returns at most (the best-scoring ones), and how many
# clients are matched between two chances for the UI to handle a keystroke.
MAX_CLIENT_HITS = 40
CLIENT_SLICE = 400


@dataclass(frozen=True)
class Command:
    """One action the palette offers, and where it runs."""

    title: str
    help: str
    action: str
    target: str  # "screen" (the screen the palette was opened on), "board" or "app"


def stage_text(client: Client) -> str:
    if client.stage is Stage.CLOSED and client.outcome is not None:
        return f"{client.stage.label}, {client.outcome.value}"
    return client.stage.label


def jump_title(client: Client) -> str:
    return f"Jump to client: {client.name} ({stage_text(client)})"


def highlight(matcher: Matcher, candidate: str) -> Content:
    """Like `Matcher.highlight`, but the candidate is plain text: a client called "[b]x" is
    shown as typed, not read as markup."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def find_board(app: App[object]) -> Screen[object] | None:
    try:
        from .board.screen import BoardScreen
    except ImportError:  # pragma: no cover - the board ships with the app
        return None
    for screen in app.screen_stack:
        if isinstance(screen, BoardScreen):
            return screen
    return None


def _has_action(node: object, name: str) -> bool:
    return callable(getattr(node, f"action_{name}", None))


def _usable(screen: Screen[object], action: str) -> bool:
    """The screen has the action and does not disable it right now (check_action)."""
    _ns, name, params = parse_action(action)
    return _has_action(screen, name) and screen.check_action(name, params) is not False


def available_commands(app: App[object], screen: Screen[object]) -> list[Command]:
    """The actions that make sense from `screen`, in a stable order.

    A board action runs on the screen the palette was opened from when that screen has it
    (a client screen's "Log a red flag" is for that client); otherwise on the board, which is
    brought back into view first. Actions on the board's focused card are only offered from
    the board itself or a screen with its own version.
    """
    from .screens.agenda import AgendaScreen
    from .screens.help import describe, group_title

    board = find_board(app)
    on_agenda = isinstance(screen, AgendaScreen)
    commands: list[Command] = []
    seen: set[str] = set()
    for name, title, help_text in BOARD_ACTIONS:
        if name == "agenda" and on_agenda:
            continue  # already looking at it
        own = [a for a in SCREEN_ALIASES.get(name, (name,)) if _usable(screen, a)]
        if screen is not board and own:
            commands.append(Command(title, help_text, own[0], "screen"))
            seen.add(own[0])
        elif board is not None and _has_action(board, name):
            if name in CARD_ACTIONS and screen is not board:
                continue
            commands.append(Command(title, help_text, name, "board"))
        else:
            continue
        seen.add(name)
    for name, title, help_text in APP_ACTIONS:
        if _has_action(app, name):
            commands.append(Command(title, help_text, name, "app"))
            seen.add(name)
    # The footer keys of the screen the palette was opened on that the lists above miss.
    if screen is not board:
        prefix = group_title(screen)
        for _key, binding in screen._bindings:
            _ns, name, _params = parse_action(binding.action)
            if not binding.show or name in seen or binding.action in seen:
                continue
            if not _usable(screen, binding.action):
                continue
            seen.add(binding.action)
            title = f"{prefix}: {describe(binding)}"
            commands.append(Command(title, binding.tooltip, binding.action, "screen"))
    return commands


class OffboardCommands(Provider):
    """Actions by name, and a "Jump to client" entry for every client."""

    def _clients(self) -> list[Client]:
        clients = getattr(self.app, "clients", {})
        return list(clients.values())

    def _run(self, command: Command) -> Callable[[], Any]:
        async def run() -> None:
            app = self.app
            if command.target == "app":
                await app.run_action(command.action)
                return
            if command.target == "screen":
                target: Screen[object] | None = self.screen
                if target not in app.screen_stack:
                    target = app.screen
            else:
                target = find_board(app)
                if target is None:
                    return
                # The board acts on its focused card: bring it back into view first.
                while app.screen is not target and len(app.screen_stack) > 1:
                    await app.pop_screen()
            await app.run_action(command.action, target)

        return run

    def _jump(self, client_id: str) -> Callable[[], None]:
        def jump() -> None:
            app = self.app
            if client_id not in getattr(app, "clients", {}):
                app.notify("That client no longer exists.", severity="warning")
                return
            screen = app.screen
            focus = getattr(screen, "action_focus_client", None)
            if callable(focus):
                focus(client_id)
                return
            from .screens.client import ClientScreen

            app.push_screen(ClientScreen(client_id))

        return jump

    def _client_help(self, client: Client) -> str:
        parts = [p for p in (client.company, client.email) if p and p != client.name]
        deadline = next_deadline(client)
        if deadline is not None:
            today = self.app.today  # type: ignore[attr-defined]
            parts.append(deadline.countdown(today))
        return " · ".join(parts)

    async def discover(self) -> Hits:
        for command in available_commands(self.app, self.screen):
            yield DiscoveryHit(
                escape(command.title),
                self._run(command),
                text=command.title,
                help=escape(command.help),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in available_commands(self.app, self.screen):
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, command.title),
                    self._run(command),
                    text=command.title,
                    help=escape(command.help),
                )
        for score, title, client in await self._best_clients(matcher):
            yield Hit(
                score,
                highlight(matcher, title),
                self._jump(client.id),
                text=title,
                help=escape(self._client_help(client)),
            )

    async def _best_clients(self, matcher: Matcher) -> list[tuple[float, str, Client]]:
        """The best-matching clients, looking at them in slices so that typing stays smooth
        with thousands of clients (a newer keystroke cancels this search between slices)."""
        best: list[tuple[float, int, str, Client]] = []
        for index, client in enumerate(self._clients()):
            if index and index % CLIENT_SLICE == 0:
                await asyncio.sleep(0)
            title = jump_title(client)
            score = matcher.match(title)
            if score <= 0:
                continue
            item = (score, -index, title, client)
            if len(best) < MAX_CLIENT_HITS:
                heapq.heappush(best, item)
            else:
                heapq.heappushpop(best, item)
        best.sort(reverse=True)
        return [(score, title, client) for score, _index, title, client in best]

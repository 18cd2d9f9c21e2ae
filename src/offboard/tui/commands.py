"""The command palette (ctrl+p): every action by name, and "Jump to client" for each client.

Register with `COMMANDS = App.COMMANDS | {OffboardCommands}` on the app. Textual's own system
commands (themes, quit, keys, screenshot) stay alongside. Its hits are worked out at once
(an `ImmediateProvider`): offboard's palette (palette.py) asks for them on the keystroke.

Clients are searched in the board's projection (each card's name, stage and deadlines, kept
per revision), so no client is decoded to be found, and scored as Textual's fuzzy matcher
would score them without asking it about each one (palette_clients.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.actions import parse as parse_action
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Matcher
from textual.content import Content, Span
from textual.dom import DOMNode
from textual.markup import escape
from textual.screen import Screen

from ..domain.models import Client, Stage
from ..domain.rows import ClientRow
from .actions import BY_ID, Action, in_scope
from .core import core
from .messages import JumpToClient
from .palette import AnyHit, ImmediateProvider
from .palette_clients import ClientTitles
from .palette_list import MatchedHit
from .scopes import find_screen, node_title, scope_of, scoped_nodes
from .title_index import titles_of

# How many client hits one search returns at most (the best-scoring ones).
MAX_CLIENT_HITS = 40


@dataclass(frozen=True)
class Command:
    """One action the palette offers, and where it runs."""

    title: str
    help: str
    action: str
    target: str  # "node" (a screen or widget the palette was opened over), "board" or "app"
    node: DOMNode | None = None


def stage_text(client: Client) -> str:
    if client.stage is Stage.CLOSED and client.outcome is not None:
        return f"{client.stage.label}, {client.outcome.value}"
    return client.stage.label


def jump_title(client: Client) -> str:
    return f"Jump to client: {client.name} ({stage_text(client)})"


def highlight(matcher: Matcher, candidate: str) -> Content:
    """Like `Matcher.highlight`, but the candidate is plain text (a client called "[b]x" is
    shown as typed, not read as markup), and matched letters side by side are styled as one
    run (the same cells, in fewer pieces to draw)."""
    fuzzy = matcher.fuzzy_search
    lowered, query = candidate, matcher.query
    if not fuzzy.case_sensitive:
        lowered, query = candidate.lower(), query.lower()
        if len(lowered) != len(candidate):
            # A letter whose lower case is longer ("İ") would shift every place after it.
            lowered = "".join(letter.lower()[0] for letter in candidate)
    offsets: Sequence[int]
    at = lowered.find(query) if query else -1
    if at >= 0:
        # Where the matcher puts a query held whole (the first place of the lowered query in
        # the lowered candidate, textual/fuzzy.py), without asking it.
        score, offsets = 1.0, range(at, at + len(query))
    else:
        score, offsets = fuzzy.match(query, lowered)
    runs: list[list[int]] = []
    for offset in offsets if score else ():
        if candidate[offset].isspace():
            continue
        if runs and runs[-1][1] == offset:
            runs[-1][1] = offset + 1
        else:
            runs.append([offset, offset + 1])
    style = matcher.match_style
    return Content(candidate, [Span(start, end, style) for start, end in runs])


def _usable(node: DOMNode, action: str) -> bool:
    """The node has the action and does not disable it right now (check_action)."""
    _ns, name, params = parse_action(action)
    has = callable(getattr(node, f"action_{name}", None))
    return has and node.check_action(name, params) is not False


def _leads_to(action: Action, scope: str) -> bool:
    """The action opens the screen the palette is already over ("Show the agenda")."""
    return bool(action.opens) and action.opens == scope


def _entry(node: DOMNode, binding: Binding, opened_on: str) -> tuple[str, str, str, bool] | None:
    """How the palette offers a key bound on `node`: (its id, title, line under the title,
    whether the title is its own); None when it is not for the palette."""
    action = BY_ID.get(binding.id or "")
    if action is None:
        # A screen not in the table offers its footer keys; Textual's own keys are left out.
        if scope_of(node) or not binding.show:
            return None
        title = f"{node_title(node)}: {binding.description}"
        return binding.id or binding.action, title, binding.tooltip, False
    if action.builtin or not (action.show or action.title) or _leads_to(action, opened_on):
        return None
    title = action.title or f"{node_title(node)}: {action.label}"
    return action.id, title, action.hint, bool(action.title)


def _own_commands(screen: Screen[object]) -> tuple[list[Command], list[Command]]:
    """The keys of the screen the palette was opened over and of its focused widgets, as
    bound there now: (those with a palette title, the other footer keys)."""
    titled: list[Command] = []
    others: list[Command] = []
    seen: set[str] = set()
    scope = scope_of(screen)
    # The focused widgets first: a tab's own key runs there directly, the screen's copy of
    # it would first switch to the tab.
    for node in reversed(list(scoped_nodes(screen))):
        for _key, binding in node._bindings:
            entry = _entry(node, binding, scope)
            if entry is None or entry[0] in seen or not _usable(node, binding.action):
                continue
            key, title, hint, own_title = entry
            seen.add(key)
            command = Command(title, hint, binding.action, "node", node)
            (titled if own_title else others).append(command)
    return titled, others


def available_commands(app: App[object], screen: Screen[object]) -> list[Command]:
    """The actions that make sense from `screen`, in a stable order: its own (a client
    screen's "Log a red flag" is for that client), the board's that are not about its
    focused card (run on the board, which is brought back into view first), the app's, and
    the screen's other footer keys under its name."""
    titled, others = _own_commands(screen)
    scope = scope_of(screen)
    board = find_screen(app, "board")
    commands = list(titled)
    offered = {c.title for c in commands}
    if board is not None and board is not screen:
        for action in in_scope("board"):
            if not action.title or action.card or action.title in offered:
                continue
            if _leads_to(action, scope) or not _usable(board, action.action):
                continue
            commands.append(Command(action.title, action.hint, action.action, "board"))
    for action in in_scope("app"):
        offer = action.title and not action.builtin and not _leads_to(action, scope)
        if offer and _usable(app, action.action):
            commands.append(Command(action.title, action.hint, action.action, "app"))
    return commands + others


class OffboardCommands(ImmediateProvider):
    """Actions by name, and a "Jump to client" entry for every client."""

    _titles: ClientTitles | None = None
    _offers: list[Command] | None = None
    # The line under each client's title found so far, by its place in the titles.
    _helps: dict[int, str] | None = None

    async def startup(self) -> None:
        # When the palette opens rather than on the first keystroke: the titles are kept while
        # it is open (one opened before a save lands keeps the names it was opened with).
        self._client_titles()

    def _commands(self) -> list[Command]:
        # Worked out once a palette, as the client titles are: the screen under the palette
        # does not change while it is open, and each command checks its target when run.
        if self._offers is None:
            self._offers = available_commands(self.app, self.screen)
        return self._offers

    def _client_titles(self) -> ClientTitles:
        if self._titles is None:
            self._titles = ClientTitles(titles_of(core(self.app).projection()))
        return self._titles

    def _run(self, command: Command) -> Callable[[], Any]:
        async def run() -> None:
            app = self.app
            if command.target == "app":
                await app.run_action(command.action)
                return
            if command.target == "node":
                node = command.node
                if node is None or not node.is_attached:
                    return
                await app.run_action(command.action, node)
                return
            board = find_screen(app, "board")
            if board is None:
                return
            # The board acts on its focused card: bring it back into view first.
            while app.screen is not board and len(app.screen_stack) > 1:
                await app.pop_screen()
            await app.run_action(command.action, board)

        return run

    def _jump(self, client_id: str) -> Callable[[], None]:
        def jump() -> None:
            app = self.app
            if client_id not in core(app).clients:
                app.notify("That client no longer exists.", severity="warning")
                return
            # A screen with the client's card focuses it; otherwise the app opens the client.
            screen = self.screen if self.screen in app.screen_stack else app.screen
            screen.post_message(JumpToClient(client_id))

        return jump

    def _help_of(self, index: int) -> str:
        # A client is found again by most keys typed after the one that found it.
        if self._helps is None:
            self._helps = {}
        text = self._helps.get(index)
        if text is None:
            row = self._client_titles().rows[index]
            text = self._helps[index] = escape(self._client_help(row))
        return text

    def _client_help(self, row: ClientRow) -> str:
        parts = [p for p in (row.text("company"), row.text("email")) if p and p != row.name]
        deadlines = row.deadlines()
        if deadlines:
            parts.append(deadlines[0].countdown(core(self.app).today))
        return " · ".join(parts)

    def hits(self, query: str) -> Iterator[AnyHit]:
        return self._found(query) if query else self._offered()

    def _offered(self) -> Iterator[AnyHit]:
        for command in self._commands():
            yield DiscoveryHit(
                escape(command.title),
                self._run(command),
                text=command.title,
                help=escape(command.help),
            )

    def _found(self, query: str) -> Iterator[AnyHit]:
        matcher = self.matcher(query)
        mark = partial(highlight, matcher)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                run, help_text = self._run(command), escape(command.help)
                yield MatchedHit.of(score, command.title, run, help_text, mark)
        titles = self._client_titles()
        for score, index in titles.best(matcher.query, matcher.match, MAX_CLIENT_HITS):
            title, row = titles.titles[index], titles.rows[index]
            yield MatchedHit.of(score, title, self._jump(row.id), self._help_of(index), mark)

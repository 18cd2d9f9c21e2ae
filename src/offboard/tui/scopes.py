"""Where keys act: the scope a screen or widget declares (its ACTION_SCOPE), the title help and
the palette give it, and which nodes of a screen own keys of the action table (tui/actions.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

SCOPE_TITLES = {
    "app": "App",
    "board": "Board",
    "agenda": "Agenda",
    "report": "Exit Report",
    "screening": "Screening",
    "help": "Help",
    "settings": "Settings",
    "client": "Client",
    "letter.view": "Letter View",
    "letter.editor": "Letter Editor",
    "letter.picker": "Template Picker",
    "letter.export": "Export",
    "letter.mark_sent": "Mark Sent",
    "letter.send": "Send",
    "dialog.confirm": "Confirm",
    "dialog.reason": "Reason",
}


def scope_of(node: DOMNode) -> str:
    scope = getattr(node, "ACTION_SCOPE", "")
    return scope if isinstance(scope, str) else ""


def scope_title(scope: str) -> str:
    return SCOPE_TITLES.get(scope, scope.partition(".")[0].capitalize())


def node_title(node: DOMNode) -> str:
    """How help and the palette name a screen's keys: its scope's title; for a screen not in
    the table, its HELP_GROUP or its class name ("Template Picker")."""
    scope = scope_of(node)
    if scope:
        return scope_title(scope)
    title = getattr(node, "HELP_GROUP", None)
    if isinstance(title, str) and title:
        return title
    name = type(node).__name__.removesuffix("Screen") or type(node).__name__
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def find_screen(app: App[object], scope: str) -> Screen[object] | None:
    """The screen on the stack whose keys are `scope`'s (the board for "board")."""
    for screen in app.screen_stack:
        if scope_of(screen) == scope:
            return screen
    return None


def scoped_nodes(screen: Screen[object]) -> Iterable[DOMNode]:
    """The screen and the widgets in its focus chain that own keys of the table, the
    screen first: where a key of theirs runs."""
    yield screen
    chain: list[DOMNode] = []
    node: DOMNode | None = screen.focused
    while node is not None and node is not screen:
        if scope_of(node):
            chain.append(node)
        node = node.parent
    yield from reversed(chain)

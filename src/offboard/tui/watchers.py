"""Letting go of the watchers of widgets that are gone.

A widget that watches a reactive of another object (Textual's `watch`, `data_bind`) is kept in
that object's list of watchers, and Textual clears closed widgets from the list only when the
reactive next changes. The app's title and the footer's `compact` never change in offboard, so
every header and every footer key ever mounted would stay in memory. `forget_detached` drops
the watchers whose widget is no longer in the app; it is called when such widgets go.
"""

from __future__ import annotations

from typing import Any

# Where Textual keeps an object's watchers (set with setattr, so not name-mangled).
_WATCHERS = "__watchers"


def forget_detached(obj: Any) -> None:
    """Drop `obj`'s watchers that belong to widgets no longer attached to the app."""
    watchers: dict[str, list[tuple[Any, Any]]] | None = getattr(obj, _WATCHERS, None)
    if not watchers:
        return
    for name, watching in watchers.items():
        kept = [(node, call) for node, call in watching if getattr(node, "is_attached", True)]
        if len(kept) != len(watching):
            watchers[name] = kept

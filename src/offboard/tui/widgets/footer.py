"""The footer every screen shows: Textual's, except that a key either shows whole or not at all.

Textual's footer lays its keys out in one row and cuts the row at the edge, so on a narrow
terminal the last key that starts before the edge is left as a lone letter ("w" without
"Letter"), which reads as a key that does nothing. This one leaves out whole keys until the
rest fit: the keys with the lowest `rank` in the action table go first (tui/actions.py), and
among equals the rightmost. What is left out is still in `?` help and the command palette.

Widths are worked out from the keys' own text and styles rather than from a laid-out frame,
so the footer is fitted before it is painted: no frame ever shows the cut keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.geometry import Size, Spacing
from textual.screen import ActiveBinding, Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from ..actions import BY_ID
from ..watchers import forget_detached

DEFAULT_RANK = 1


class Footer(TextualFooter):
    """Drop-in for Textual's Footer that never shows a key cut in half, and shows its keys
    without a full frame of their own."""

    _shown_keys: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown_keys = self._keys_now()
        compact = self.compact
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Textual's key starts compact, restyles itself for it once mounted, and again
                # when its binding to the footer's `compact` turns that off: two passes of the
                # stylesheet over each key of each screen opened (a tenth of the opening).
                # Made with the value it ends with, the key is styled once. (The palette's
                # key is not bound: it stays compact.)
                bound = "compact" in (widget._reactive_connect or {})
                ends = compact if bound else True
                widget.set_reactive(FooterKey.compact, ends)
                widget.set_class(ends, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        # Announced again with the same keys (a screen coming back, focus moving between
        # widgets with no keys of their own): laying the footer out again would only cost a
        # full frame.
        if self._shown_keys is not None and self._keys_now() == self._shown_keys:
            return
        first = self._shown_keys is None and self.is_attached and screen is self.screen
        if first and screen.app.app_focus:
            # The first announcement: composed at once rather than after the next refresh,
            # the keys join the layout Textual makes anyway after the first frame instead of
            # costing a full frame of their own.
            self._bindings_ready = True
            self.call_next(self.recompose)
            return
        super().bindings_changed(screen)

    def _keys_now(self) -> tuple[object, ...]:
        """What the footer would show: each shown binding, whether it is enabled, its tip."""
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    async def recompose(self) -> None:
        # The bindings changed (focus moved, a screen came back): new keys, fitted before the
        # batch they are mounted in is painted.
        await super().recompose()
        self._forget_removed_keys()
        self.fit_keys()

    def _forget_removed_keys(self) -> None:
        # Each key watches the footer's `compact` (Textual's data_bind): see tui/watchers.py.
        forget_detached(self)

    def on_resize(self) -> None:
        self.fit_keys()

    def watch_compact(self) -> None:
        # The keys restyle themselves for the compact look on the next refresh; measure then.
        self.call_after_refresh(self.fit_keys)

    # --- fitting -----------------------------------------------------------------------------

    def fit_keys(self) -> None:
        units = self._units()
        if not units or not self.size.width:
            return  # nothing to fit, or not laid out yet: the first resize fits it
        room = self.size.width - self._palette_width()
        widths = [_width(unit) for unit in units]
        margins = [(_margin(unit[0]), _margin(unit[-1])) for unit in units]
        active = self.screen.active_bindings  # worked out on each read: read once
        ranks = [_rank(unit, active) for unit in units]
        shown = set(range(len(units)))
        # Lowest rank first; among equal ranks, the rightmost first.
        for index in sorted(shown, key=lambda i: (ranks[i], -i)):
            if _row_width(sorted(shown), widths, margins) <= room:
                break
            shown.discard(index)
        for index, unit in enumerate(units):
            for widget in unit:
                if widget.display != (index in shown):
                    widget.display = index in shown

    def _units(self) -> list[tuple[Widget, ...]]:
        """The footer's children in order, as what shows or goes together: a key on its own,
        or a group of keys with the label after it. The palette key, docked right, is apart."""
        units: list[tuple[Widget, ...]] = []
        for child in self.children:
            if child.has_class("-command-palette"):
                continue
            if isinstance(child, FooterLabel) and units and isinstance(units[-1][0], KeyGroup):
                units[-1] = (*units[-1], child)
            else:
                units.append((child,))
        return units

    def _palette_width(self) -> int:
        for child in self.children:
            if child.has_class("-command-palette") and child.display:
                return _key_width(child) + child.styles.margin.width
        return 0


def _rank(unit: tuple[Widget, ...], active: Mapping[str, ActiveBinding]) -> int:
    """How much a unit's keys matter, from the action table (the highest of a group's)."""
    keys = [w for w in unit if isinstance(w, FooterKey)]
    keys += [w for w in unit[0].children if isinstance(w, FooterKey)]
    ranks = []
    for key in keys:
        found = active.get(key.key)
        action = BY_ID.get(found.binding.id or "") if found is not None else None
        ranks.append(action.rank if action is not None else DEFAULT_RANK)
    return max(ranks, default=DEFAULT_RANK)


def _margin(widget: Widget) -> Spacing:
    return widget.styles.margin


def _key_width(widget: Widget) -> int:
    if isinstance(widget, FooterKey):
        # What FooterKey.render draws: the key and its words, each with the padding of its
        # component style. Worked out here, as rendering it to measure would build its styles.
        width = cell_len(widget.key_display)
        if widget.description:  # a key of a group has none, and no padding either
            key = widget.get_component_styles("footer-key--key").padding
            words = widget.get_component_styles("footer-key--description").padding
            width += key.width + words.width + cell_len(widget.description)
        return width + widget.styles.gutter.width
    if isinstance(widget, KeyGroup):
        keys = list(widget.children)
        return widget.styles.gutter.width + _row_width(
            list(range(len(keys))),
            [_key_width(key) for key in keys],
            [(_margin(key), _margin(key)) for key in keys],
        )
    viewport = widget.app.size
    return widget.get_content_width(Size(viewport.width, 1), viewport) + widget.styles.gutter.width


def _width(unit: tuple[Widget, ...]) -> int:
    """A unit's cells from its first left edge to its last right edge, margins between."""
    total = 0
    for before, after in pairwise(unit):
        total += _key_width(before) + max(_margin(before).right, _margin(after).left)
    return total + _key_width(unit[-1])


def _row_width(shown: list[int], widths: list[int], margins: list[tuple[Spacing, Spacing]]) -> int:
    """The cells the units `shown` (indexes, in order) take, laid out as Textual's horizontal
    layout does: adjacent margins collapse to the larger of the two."""
    if not shown:
        return 0
    total = margins[shown[0]][0].left + margins[shown[-1]][1].right
    for here, after in pairwise(shown):
        total += widths[here] + max(margins[here][1].right, margins[after][0].left)
    return total + widths[shown[-1]]

"""An input in a box whose size its stylesheet fixes (the palette's query, the board's filter)."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SteadyInput(Input):
    """Types without changing anything around it. Textual's input asks for a new layout of
    the screen on every key (the width of what is typed is its virtual size), and its first
    key passes the stylesheet over it again (the first validation sets `-valid`): here the
    width typed is how far the box scrolls sideways, a repaint, and `-valid` is set from the
    start (an input without validators gets it with any key)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), repaint=True)

    DEFAULT_CLASSES = "-valid"

"""The mend of Textual's render-cache key gives the same colours, once however often it is
put in place, and keeps no render cache alive (the Pilot test in test_screens_collected.py
shows the memory it saves)."""

from __future__ import annotations

import gc
import weakref

from textual._styles_cache import StylesCache
from textual.color import Color

from offboard.tui.textual_mends import mend_textual


def test_the_mended_cache_answers_as_before_and_holds_no_render_cache() -> None:
    mend_textual()
    mended = StylesCache.__dict__["get_inner_outer"]
    mend_textual()
    assert StylesCache.__dict__["get_inner_outer"] is mended
    base, background = Color(10, 20, 30), Color(200, 100, 0, 0.5)
    drawing = StylesCache()
    inner, outer = drawing.get_inner_outer(base, background)
    assert inner.background == base + background
    assert outer.background == base
    kept = weakref.ref(drawing)
    del drawing
    gc.collect()
    assert kept() is None

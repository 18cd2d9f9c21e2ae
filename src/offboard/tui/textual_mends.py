"""Mends for Textual's own faults that offboard would otherwise pay for, each removed once
the Textual we depend on fixes it (the mend checks that the fault is there first).

- Render caches kept after their widget is gone (Textualize/textual#6665, open in 8.2.8):
  `StylesCache.get_inner_outer` is an instance method under `functools.lru_cache`, so the
  cache's key holds the StylesCache, and with it every line its widget drew, for the last
  1,024 calls. Each closed help screen stayed as about 0.6 MiB of drawn lines until 1,024
  widgets had come and gone (+30 MiB over 50 openings). The answer only depends on the two
  colours, so the mend keeps the same cache keyed on them alone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache


def mend_textual() -> None:
    """Put the mends in place; calling it again does nothing."""
    _cache_colours_not_widgets()


def _cache_colours_not_widgets() -> None:
    kept = StylesCache.__dict__.get("get_inner_outer")
    work: Callable[..., Any] | None = getattr(kept, "__wrapped__", None)
    if work is None:
        return  # mended already, or fixed upstream (no lru_cache on the method any more)
    colours = lru_cache(1024)(lambda base, background: work(None, base, background))

    def get_inner_outer(_self: StylesCache, base: Any, background: Any) -> Any:
        return colours(base, background)

    setattr(StylesCache, "get_inner_outer", get_inner_outer)  # noqa: B010

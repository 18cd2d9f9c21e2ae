"""What tui/palette.py takes from Textual's command palette beyond its public API. A Textual
release that renames or reshapes any of it fails here, by name, before the palette misbehaves."""

from __future__ import annotations

import inspect

from textual._styles_cache import StylesCache
from textual.command import CommandPalette
from textual.message_pump import MessagePump
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widget import Widget
from textual.widgets import Input, OptionList

from offboard.tui.palette import OffboardPalette


def test_the_palettes_private_names_are_still_there() -> None:
    for name in (
        "_provider_classes",
        "_gather_commands",
        "_refresh_command_list",
        "_stop_no_matches_countdown",
        "_cancel_gather_commands",
        "_list_visible",
        "_show_busy",
        "_NO_MATCHES",
    ):
        assert hasattr(CommandPalette, name), name
    assert isinstance(inspect.getattr_static(CommandPalette, "_provider_classes"), property)
    assert callable(inspect.getattr_static(MessagePump, "_is_prevented"))


def test_they_are_used_as_this_textual_uses_them() -> None:
    # The worker is started from these two places, with the stripped input.
    assert "self._gather_commands(" in inspect.getsource(CommandPalette._on_mount)
    source = inspect.getsource(CommandPalette._input)
    assert "self._gather_commands(event.value.strip())" in source
    # The one handler of Input.Changed, which searches again: the palette's input does not
    # post it while OffboardPalette searches as the value changes.
    handlers = CommandPalette.__dict__["_decorated_handlers"][Input.Changed]
    assert [method.__name__ for method, _selectors in handlers] == ["_input"]
    # The one handler of the list's OptionHighlighted, which only tells the app: the list
    # tells the app itself.
    handlers = CommandPalette.__dict__["_decorated_handlers"][OptionList.OptionHighlighted]
    assert [method.__name__ for method, _selectors in handlers] == ["_stop_event_leak"]
    leak = inspect.getsource(CommandPalette._stop_event_leak)
    assert "self.app.post_message(" in leak
    assert "CommandPalette.OptionHighlighted(highlighted_event=event)" in leak
    # Its list refresh is called with these arguments, and these attributes are set by it.
    parameters = list(inspect.signature(CommandPalette._refresh_command_list).parameters)
    assert parameters == ["self", "command_list", "commands", "clear_current"]
    refresh = inspect.getsource(CommandPalette._refresh_command_list)
    assert "self._list_visible" in refresh and "self._hit_count" in refresh
    # The providers live in this list once the palette is mounted.
    assert "self._providers = [" in inspect.getsource(CommandPalette._on_mount)
    # The palette's screen yields its list as a plain CommandList, which HitList stands in for.
    assert "yield CommandList()" in inspect.getsource(CommandPalette.compose)


def test_the_lists_private_names_are_still_there() -> None:
    """What tui/palette_list.py's HitList takes from OptionList beyond its public API."""
    for name in ("_get_option_render", "_get_visual", "_get_left_gutter_width", "_update_lines"):
        assert callable(getattr(OptionList, name, None)), name
    parameters = list(inspect.signature(OptionList._get_option_render).parameters)
    assert parameters == ["self", "option", "style"]
    source = inspect.getsource(OptionList._get_option_render)
    # The cache it fills, under the same key, and the index it puts under the mouse.
    assert "cache_key = (option, style, padding)" in source
    assert "self._option_render_cache[cache_key] = strips" in source
    assert '{"option": self._option_to_index[option]}' in source
    assert "option._divider" in source
    # Refilling asks for a layout through refresh, and measures the lines at once.
    adding = inspect.getsource(OptionList.add_options)
    assert "self.refresh(layout=" in adding and "self._update_lines()" in adding
    assert "self.add_options(options)" in inspect.getsource(OptionList.set_options)
    assert "self.virtual_size = virtual_size" in inspect.getsource(OptionList._update_lines)
    assert list(inspect.signature(Widget.refresh).parameters) == [
        "self",
        "regions",
        "repaint",
        "layout",
        "recompose",
    ]


def test_offboards_palette_overrides_only_what_it_means_to() -> None:
    own = {
        name
        for name, value in vars(OffboardPalette).items()
        if callable(value) or isinstance(value, property)
    }
    assert own == {
        "__init__",
        "_provider_classes",
        "compose",
        "on_mount",
        "_immediate",
        "_typed",
        "_gather_commands",
        "_show_hits",
        "_search",
        "_refresh_command_list",
        "_add_rest",
    }


def test_the_scrollbars_private_names_are_still_there() -> None:
    """What HitList.vertical_scrollbar and tui/palette_scrollbar.py take from Textual."""
    source = inspect.getsource(Widget.vertical_scrollbar.fget)
    # The same scrollbar, made, hidden and started as Textual makes its own.
    for part in (
        "self._vertical_scrollbar is not None",
        'vertical=True, name="vertical", thickness=self.scrollbar_size_vertical',
        "display = False",
        "self.app._start_widget(self, scroll_bar)",
    ):
        assert part in source, part
    # What the bar draws with: the renderable of its render(), and Rich's rows from it.
    rendering = inspect.getsource(ScrollBar.render) + inspect.getsource(ScrollBar._render_bar)
    assert "self.renderer(" in rendering and "style=scrollbar_style" in rendering
    parameters = list(inspect.signature(ScrollBarRender.render_bar).parameters)
    assert parameters == [
        "size",
        "virtual_size",
        "window_size",
        "position",
        "thickness",
        "vertical",
        "back_color",
        "bar_color",
    ]
    # A widget's line pipeline: its own style under the content, then the app's filters.
    assert "_Styled(" in inspect.getsource(Widget.post_render)
    styles_cache = inspect.getsource(StylesCache.render)
    assert "strip = strip.apply_filter(filter, background)" in styles_cache

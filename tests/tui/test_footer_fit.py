"""The footer at 80x24 on every screen: each key shows whole (its key and its words) or not at
all, never a lone letter cut off at the edge; the way back and help always show."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.widgets import Footer
from textual.widgets._footer import FooterKey
from tuikit import record_restyles, settle

import offboard.tui
from offboard.tui.forms import FlagForm
from offboard.tui.messages import OpenClient

TABS = (
    "overview",
    "flags",
    "assessment",
    "repair",
    "checklist",
    "deliverables",
    "handover",
    "invoices",
    "letters",
    "history",
)


def footer_problems(screen) -> list[str]:
    """Keys of the screen's footer that are drawn cut: reaching under the palette key on the
    right, or past the footer's edge."""
    problems = []
    for footer in screen.query(Footer):
        if not footer.display:
            continue
        keys = list(footer.query(FooterKey))
        palette = [k for k in keys if k.has_class("-command-palette")]
        edge = palette[0].region.x if palette else footer.region.right
        for key in keys:
            region = key.region
            if key in palette or not region.width:
                continue  # the palette key itself, or a key left out
            if region.right > edge:
                problems.append(f"{key.key_display} {key.description}".strip())
    return problems


def footer_words(screen) -> list[str]:
    return [
        k.description
        for footer in screen.query(Footer)
        for k in footer.query(FooterKey)
        if k.region.width
    ]


async def open_tab(app, pilot, name: str, tab: str) -> None:
    client = next(c for c in app.clients.values() if c.name.startswith(name))
    app.post_message(OpenClient(client.id, tab=tab))
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_board_agenda_and_editor_footers_show_whole_keys(demo_db: Path, make_app, size):
    app = make_app(demo_db)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        seen = {}
        seen["board"] = footer_problems(app.screen)
        assert "Help" in footer_words(app.screen)
        await pilot.press("t")
        await pilot.pause()
        seen["agenda"] = footer_problems(app.screen)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        seen["help"] = footer_problems(app.screen)
        await pilot.press("escape")
        await pilot.pause()
        client = next(c for c in app.clients.values() if c.name.startswith("Fenwick"))
        app.push_screen(FlagForm(client.id))
        await pilot.pause()
        seen["flag form"] = footer_problems(app.screen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        seen["settings"] = footer_problems(app.screen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("l", "l", "l", "j", "w")  # a client in notice: the template picker
        await pilot.pause()
        seen["template picker"] = footer_problems(app.screen)
        await pilot.press("enter")
        await settle(app, pilot)
        seen["letter editor"] = footer_problems(app.screen)
        assert "Close" in footer_words(app.screen)
        assert seen == {name: [] for name in seen}


async def test_every_client_tab_footer_shows_whole_keys(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = {}
        for tab in TABS:
            await open_tab(app, pilot, "Fenwick", tab)
            seen[tab] = footer_problems(app.screen)
            words = footer_words(app.screen)
            assert "Back" in words and "Help" in words, (tab, words)
            await pilot.press("escape")
            await pilot.pause()
        assert seen == {tab: [] for tab in TABS}


async def test_the_footer_fits_again_after_a_resize(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        wide = footer_words(app.screen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert footer_problems(app.screen) == []
        narrow = footer_words(app.screen)
        assert len(narrow) < len(wide)
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        await pilot.pause()
        assert footer_words(app.screen) == wide


def test_every_screen_uses_the_footer_that_fits() -> None:
    """A screen that yields Textual's own Footer would cut keys again at 80x24."""
    root = Path(offboard.tui.__file__).parent
    stock = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "footer.py" and path.parent.name == "widgets":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            if not (node.module or "").startswith("textual"):
                continue
            if any(alias.name == "Footer" for alias in node.names):
                stock.append(str(path.relative_to(root)))
    assert stock == []


async def test_the_board_s_keys_show_after_one_full_frame_and_stay(demo_db: Path, make_app) -> None:
    """Textual's footer composes its keys a refresh after the screen announces its bindings,
    so the board was laid out and painted in full twice before they showed. Composed at the
    announcement itself, they join the layout that follows the first frame; and the footer is
    not composed again for the same keys (each time a full frame)."""
    app = make_app(demo_db)
    frames: list[tuple[bool, str]] = []
    keys: list[list[FooterKey]] = []
    display = app._display

    def hook(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is None or type(screen).__name__ != "BoardScreen":
            return
        shown = [key for key in screen.query(FooterKey) if key.region.area]
        frames.append((bool(shown), type(renderable).__name__))
        if shown and not keys:
            keys.append(list(screen.query(FooterKey)))

    app._display = hook
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.3)
        first = next(i for i, (shown, _) in enumerate(frames) if shown)
        full_before = [kind for _, kind in frames[:first]].count("LayoutUpdate")
        assert full_before <= 1, frames[: first + 1]
        assert list(app.screen.query(FooterKey)) == keys[0]  # not composed again


@pytest.mark.parametrize("key", ["t", "enter"])
async def test_a_screen_s_footer_keys_are_styled_once(
    demo_db: Path, make_app, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    """Textual makes each footer key compact, then binds it to the footer's own (not compact):
    two passes of the stylesheet over every key of every screen opened. Made as the footer is,
    a key is styled once, when it is mounted."""
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        restyled = record_restyles(monkeypatch, app)
        board = app.screen
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        assert app.screen is not board
        footer = app.screen.query_one(Footer)
        keys = list(footer.query(FooterKey))
        assert keys
        assert [node for node in restyled if isinstance(node, FooterKey)] == []
        for footer_key in keys:  # as Textual makes them: the palette's key stays compact
            compact = footer_key.has_class("-command-palette") or footer.compact
            assert footer_key.compact is footer_key.has_class("-compact") is compact

"""The palette's list (tui/palette_list.py): what it draws itself is what Textual draws, cell for
cell; it styles only the hits it shows; it lays the screen out only when its height changes;
and its input still scrolls to the cursor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList
from textual.content import Content, Span
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.widgets import Input
from tuikit import TODAY, record_layouts, record_restyles, type_past_the_box

from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui import palette_list
from offboard.tui.palette import OffboardPalette
from offboard.tui.palette_list import HitList, HitPrompt, MatchedHit, PaletteInput, draw

# Names that test the drawing: wide characters, markup look-alikes, a combining accent.
NAMES = [
    "Rowan & Rivers",
    "[b]Row[/b] Studio",
    "東京ロボット Robotics",
    "Crème Rowing Club",
    "Emoji 🚣 Row",
    "Arrow\u0301 Works",
]
QUERIES = ["", "r", "ro", "row", "東京", "🚣", "new", "zzqx"]


def cells(strips: list[Strip]) -> list[list[tuple[str, Any]]]:
    """Every cell drawn: its character and its whole style (colours, attributes, and the meta
    a click and a text selection read)."""
    return [
        [(char, segment.style) for segment in strip for char in segment.text] for strip in strips
    ]


def drawn_by_textual(command_list: HitList, monkeypatch: pytest.MonkeyPatch) -> list[Strip]:
    """The list's lines as Textual's own drawing gives them, from the same state."""
    with monkeypatch.context() as patch:
        patch.setattr(HitList, "_plain_layout", lambda self: False)
        command_list._option_render_cache.clear()
        command_list.refresh()
        return command_list.render_lines(Region(0, 0, *command_list.size))


def drawn_here(command_list: HitList) -> list[Strip]:
    command_list._option_render_cache.clear()
    for option in command_list.options:
        if isinstance(option.prompt, HitPrompt):
            option.prompt.drawn.clear()
    command_list.refresh()
    return command_list.render_lines(Region(0, 0, *command_list.size))


def count_drawing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From now on, the lines of each option the list draws itself, one number an option."""
    drawn: list[int] = []

    def counted(lines: list[Any], *args: Any) -> Any:
        drawn.append(len(lines))
        return draw(lines, *args)

    monkeypatch.setattr(palette_list, "draw", counted)
    return drawn


@pytest.fixture
def odd_db(tmp_path: Path) -> Path:
    path = tmp_path / "odd.json"
    services = Services(TinyRepository(path), FixedClock(TODAY), actor="test")
    for name in NAMES:
        services.add_client(name, company=f"{name} Ltd", email="team@example.com")
    return path


async def open_palette(app: Any, pilot: Any) -> tuple[OffboardPalette, HitList]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = app.screen
    assert isinstance(palette, OffboardPalette)
    return palette, palette.query_one(HitList)


@pytest.mark.parametrize("size", [(120, 40), (44, 20)])
async def test_every_cell_is_the_one_textual_draws(
    odd_db: Path, make_app, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """Highlighted, hovered and plain options, wide and combining characters, lines too wide
    for a narrow terminal (Textual wraps those) and the "No matches" line."""
    app = make_app(odd_db)
    async with app.run_test(size=size) as pilot:
        palette, command_list = await open_palette(app, pilot)
        assert isinstance(command_list, CommandList)
        for query in QUERIES:
            palette._show_hits(query)
            await pilot.pause()
            assert command_list.options, query
            for hover in (None, 1):
                command_list._mouse_hovering_over = hover
                ours, theirs = drawn_here(command_list), drawn_by_textual(command_list, monkeypatch)
                assert cells(ours) == cells(theirs), (query, hover)


async def test_the_fast_drawing_is_the_one_used(
    odd_db: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a normal terminal the list draws its options itself (not through Textual's layout);
    the comparison above is then a comparison of two drawings."""
    app = make_app(odd_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette, command_list = await open_palette(app, pilot)
        palette._show_hits("ro")
        await pilot.pause()
        drawn = count_drawing(monkeypatch)
        drawn_here(command_list)
        shown = min(len(command_list.options), command_list.size.height // 2)
        assert len(drawn) >= shown > 0
        assert set(drawn) == {2}  # a prompt and its help


async def test_only_the_hits_on_screen_are_styled(many_db: Path, make_app) -> None:
    app = make_app(many_db)
    async with app.run_test(size=(120, 40)) as pilot:
        _palette, command_list = await open_palette(app, pilot)
        await pilot.press(*"rowan")
        await pilot.pause()
        prompts = [o.prompt for o in command_list.options if isinstance(o.prompt, HitPrompt)]
        styled = [p for p in prompts if p._parts is not None]
        assert len(prompts) == 40  # the best 40 clients
        # A dozen or so fit in the list (two lines each); the rest are measured, not styled.
        assert 0 < len(styled) <= command_list.size.height
        # Paging to the end styles the ones that come into view.
        for _ in range(6):
            await pilot.press("pagedown")
        await pilot.pause()
        assert prompts[-1]._parts is not None


async def test_the_screen_is_laid_out_only_when_the_list_changes_height(
    many_db: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(many_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette, command_list = await open_palette(app, pilot)
        asked = record_layouts(monkeypatch, palette)
        await pilot.press("r")
        await pilot.pause()
        full = command_list.size.height
        asked.clear()
        for key in ("o", "w", "a", "backspace"):  # the hits still overflow the list
            await pilot.press(key)
            await pilot.pause()
            assert command_list.size.height == full, key
        assert asked == []
        # Down to one hit: the list shrinks to it, and grows again.
        await pilot.press(*"n 07")
        await pilot.pause()
        assert "HitList" in asked
        assert command_list.size.height < full
        assert len(command_list.options) == 1
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.pause()
        assert command_list.size.height == full


async def test_a_long_query_keeps_the_cursor_in_view(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(60, 24)) as pilot:
        palette, _ = await open_palette(app, pilot)
        field = palette.query_one(PaletteInput)
        await type_past_the_box(
            pilot, field, "a long query that does not fit in the palette's input box at all"
        )


async def test_the_first_key_typed_restyles_nothing(
    demo_db: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's input gains the -valid class at its first validation (the first key) and
    the stylesheet is applied to it again; the palette's input has it from the start, the
    classes Textual's input has after any key."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette, _ = await open_palette(app, pilot)
        field = palette.query_one(PaletteInput)
        restyled = record_restyles(monkeypatch, app)
        assert "-valid" in field.classes
        await pilot.press("r")
        await pilot.pause()
        assert restyled == []
        # The classes Textual's own input has once it has validated a key.
        textuals = Input()
        textuals.validate("r")
        assert field.classes == textuals.classes == {"-valid"}


async def test_a_query_typed_again_shows_its_options_as_drawn_before(
    many_db: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(many_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette, command_list = await open_palette(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        first = list(command_list.options)
        await pilot.press("o")
        await pilot.pause()
        drawn = count_drawing(monkeypatch)
        await pilot.press("backspace")
        await pilot.pause()
        again = list(command_list.options)
        # The same options, in the same order, and nothing drawn again...
        assert again == first and all(a is b for a, b in zip(again, first, strict=True))
        assert drawn == []
        # ...which is what a new search gives.
        searched = sorted(palette._search("r"), key=lambda o: o.hit.score, reverse=True)
        assert [o.hit.text for o in searched] == [o.hit.text for o in again]
        lines = drawn_here(command_list)
        assert cells(lines) == cells(drawn_by_textual(command_list, monkeypatch))


async def test_only_the_last_few_queries_are_kept(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette, _ = await open_palette(app, pilot)
        for letter in "abcdefghijkl":
            palette._show_hits(letter)
        assert list(palette._recent) == list("efghijkl")
        palette._show_hits("f")  # typed again: now the latest
        assert list(palette._recent) == list("eghijklf")


@pytest.mark.parametrize(
    "help_text",
    [
        None,
        "",
        "Acme Ltd · due in 3 days",
        "bell\x07 and\x1b[31m escape",
        "bell\x07 ring\x1b",
        "\x00nul\x7f",
        "tab\there",
        "[b]x[/b]",
        "é 東京",
    ],
)
def test_a_hits_plain_lines_are_those_of_its_styled_text(help_text: str | None) -> None:
    """Measured before it is styled, without styling it when there is no markup to read:
    the same lines (control characters dropped as markup drops them)."""
    hit = MatchedHit.of(1.0, "Jump to client: Ada\x07", lambda: None, help_text, Content)
    prompt = HitPrompt(hit, Style())
    assert list(prompt.lines) == [line.plain for line in HitPrompt(hit, Style()).styled_lines]


def test_the_runs_of_a_line_are_those_textual_renders() -> None:
    """pieces() stands in for Content.render on lines whose styled runs do not overlap; it
    declines the others (Textual renders those)."""
    bold, red = Style(bold=True), Style.parse("red")
    base = Style.parse("white on black")
    text = "Jump to client: Rowan (Notice)"
    worked_out = [
        Content(text),
        Content(""),
        Content(text, [Span(16, 19, bold)]),
        Content(text, [Span(0, 1, bold), Span(1, 4, red), Span(29, 30, bold)]),
        Content(text, [Span(20, 22, red), Span(5, 5, bold), Span(0, 4, bold)]),
        Content("", [Span(0, 0, bold)]),
        Content("help", [Span(0, 4, red)]),
    ]
    for line in worked_out:
        assert palette_list.pieces(line, base) == list(line.render(base, end="")), line.spans
    declined = [
        Content(text, [Span(0, 10, bold), Span(5, 12, red)]),
        Content(text, [Span(0, 4, "bold")]),
    ]
    for line in declined:
        assert palette_list.pieces(line, base) is None

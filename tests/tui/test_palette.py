"""offboard's command palette (tui/palette.py): the list is filled while the key is handled,
in the frame that shows the typed letter, with what Textual's own palette shows."""

from __future__ import annotations

import itertools
from collections import Counter
from operator import attrgetter
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.command import (
    Command,
    CommandInput,
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
)
from textual.content import Content
from textual.fuzzy import Matcher
from textual.system_commands import SystemCommandsProvider
from textual.widgets import Input, OptionList
from tuikit import TODAY

from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui import commands
from offboard.tui.board.screen import BoardScreen
from offboard.tui.commands import OffboardCommands, highlight
from offboard.tui.palette import OffboardPalette, SystemCommands, on_screen
from offboard.tui.screens.agenda import AgendaScreen
from offboard.tui.screens.help import HelpScreen

QUERIES = ["r", "ro", "row", "show", "new", "ada", "jump", "t: b", "zzqx"]


def texts(palette: CommandPalette) -> list[str]:
    """The text of every hit the list shows, in order ("" for a line that is no hit)."""
    options = palette.query_one(CommandList).options
    return [str(option.hit.text) if hasattr(option, "hit") else "" for option in options]


def shown(palette: CommandPalette) -> list[tuple[str, list[Any]]]:
    """Each option as drawn: its text and its styled spans."""
    prompts = [option.prompt for option in palette.query_one(CommandList).options]
    return [(p.plain, list(p.spans)) if hasattr(p, "plain") else (repr(p), []) for p in prompts]


async def open_palette(app, pilot) -> OffboardPalette:
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = app.screen
    assert isinstance(palette, OffboardPalette)
    return palette


async def test_the_list_is_filled_in_the_frame_that_shows_the_key(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette = await open_palette(app, pilot)
        field = palette.query_one(CommandInput)
        painted: list[tuple[str, list[str]]] = []
        display = app._display

        def record(screen: Any, update: Any) -> None:
            if update is not None and screen is palette:
                painted.append((field.value, texts(palette)))
            display(screen, update)

        app._display = record
        for key in ("r", "o", "backspace", "i"):
            before = len(painted)
            app.post_message(events.Key(key, key if len(key) == 1 else None))
            await pilot.pause()
            await pilot.pause()
            # Every frame since the key shows the list for what the field holds: the first
            # at least as many hits as the screen can show, the next all of them; and the
            # search ran without a worker.
            frames = painted[before:]
            assert frames, key
            assert not palette.workers._workers, key
            for value, listed in frames:
                ordered = sorted(palette._search(value), key=attrgetter("hit.score"), reverse=True)
                every = [str(command.hit.text) for command in ordered]
                assert listed == every[: len(listed)], (key, value)
                assert len(listed) >= on_screen(ordered, 40), (key, value)
            assert frames[-1][1] == every, key
            assert len(frames[0][1]) < len(every), key  # the rest came after the first frame
        assert field.value == "ri"


async def test_hits_left_for_after_the_frame_never_join_a_later_query_s_list(
    demo_db: Path, make_app
) -> None:
    """The options past what the screen can show are added after the keystroke's frame; a key
    typed before that frame fills the list anew, and what was left of the earlier query is
    not added to it."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette = await open_palette(app, pilot)
        field = palette.query_one(CommandInput)
        field.value = "r"  # many hits: some are left for after the frame
        field.value = "ri"  # typed before that frame
        for _ in range(3):
            await pilot.pause()
        ordered = sorted(palette._search("ri"), key=attrgetter("hit.score"), reverse=True)
        assert texts(palette) == [str(command.hit.text) for command in ordered]
        assert len(set(texts(palette))) == len(ordered)


@pytest.mark.parametrize("query", QUERIES)
async def test_the_same_hits_in_the_same_order_as_textuals_palette(
    demo_db: Path, make_app, query: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        lists = []
        for kind in (CommandPalette, OffboardPalette):
            await app.push_screen(kind(providers=[OffboardCommands]))
            await pilot.press(*query)
            for _ in range(100):  # Textual's own palette searches in a worker
                await pilot.pause(0.02)
                if not app.screen.workers._workers and texts(app.screen):
                    break
            lists.append((texts(app.screen), shown(app.screen)))
            await pilot.press("escape")
            await pilot.pause()
        assert lists[1] == lists[0]


@pytest.mark.parametrize("query", ["", "t", "theme", "quit", "keys", "zz"])
async def test_textuals_system_commands_are_offered_as_its_provider_offers_them(
    demo_db: Path, make_app, query: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)):
        screen = app.screen
        textual_own = SystemCommandsProvider(screen)
        ours = SystemCommands(screen)
        await ours._wait_init()
        mine = list(ours.hits(query))
        theirs = [
            hit async for hit in (textual_own.search(query) if query else textual_own.discover())
        ]

        def seen(hits: list[Any]) -> list[tuple[Any, ...]]:
            # A hit's prompt is styled when first asked for: the same text and styles.
            prompts = [h.prompt for h in hits]
            shown = [(getattr(p, "plain", p), list(getattr(p, "spans", []))) for p in prompts]
            kinds = [isinstance(h, DiscoveryHit) for h in hits]
            return [(str(h.text), h.score, h.help) for h in hits] + shown + kinds

        assert seen(mine) == seen(theirs)
        assert all(isinstance(h, Hit) for h in mine) == bool(query)


async def test_no_matches_is_said_at_once_and_goes_with_the_next_key(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette = await open_palette(app, pilot)
        await pilot.press(*"zzqx")
        command_list = palette.query_one(CommandList)
        assert command_list.option_count == 1
        line = command_list.get_option_at_index(0)
        assert line.id == palette._NO_MATCHES and line.disabled
        assert "No matches found" in str(line.prompt.renderable)
        assert command_list.has_class("--visible")
        await pilot.press("enter", "down")  # nothing to run or to move to
        assert app.screen is palette
        await pilot.press(*["backspace"] * 4, "s", "h")
        assert "Show help" in texts(palette)
        assert all(option.id != palette._NO_MATCHES for option in command_list.options)


async def test_keys_move_through_the_list_and_enter_runs_the_highlighted_command(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette = await open_palette(app, pilot)
        await pilot.press(*"show")
        command_list = palette.query_one(CommandList)
        listed = texts(palette)
        assert command_list.highlighted == 0
        await pilot.press("down", "down", "up")
        assert command_list.highlighted == 1
        wanted = listed.index("Show help")
        command_list.highlighted = wanted
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause(0.02)
        assert isinstance(app.screen, HelpScreen)


async def test_selecting_a_client_opens_it_and_a_board_action_runs_on_the_board(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        client = next(c for c in app.clients.values() if c.name.startswith("Brightmoss"))
        palette = await open_palette(app, pilot)
        await pilot.press(*"brightmoss")
        assert texts(palette)[0].startswith(f"Jump to client: {client.name}")
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause(0.02)
        assert app.screen is board
        assert board.model.focused_id() == client.id
        await open_palette(app, pilot)
        await pilot.press(*"show the agenda", "enter")
        for _ in range(20):
            await pilot.pause(0.02)
        assert isinstance(app.screen, AgendaScreen)


async def test_a_provider_that_is_not_immediate_is_searched_as_textual_does(
    demo_db: Path, make_app
) -> None:
    """A provider of Textual's kind (searching in its own time) still works: this palette
    then searches as Textual's does, in a worker."""

    class Slow(SystemCommandsProvider):
        async def search(self, query: str):  # type: ignore[override]
            async for hit in super().search(query):
                yield hit

    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(OffboardPalette(providers=[Slow, OffboardCommands]))
        await pilot.press(*"quit")
        for _ in range(100):
            await pilot.pause(0.02)
            if "Quit" in texts(app.screen):
                break
        assert "Quit" in texts(app.screen)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("row", "Jump to client: Rowan Rivers (Notice)"),
        ("rr", "Jump to client: Rowan Rivers (Notice)"),
        ("n r", "Jump to client: Rowan Rivers (Notice)"),
        ("log flag", "Log a red flag"),
        ("b]", "Jump to client: [b]Bold[/b] (Repair)"),
        ("ROW", "Jump to client: Rowan Rivers (Notice)"),
        ("notice", "Jump to client: İİİ Rowan (Notice)"),
        ("ii r", "Jump to client: İİİ Rowan (Notice)"),
        ("rvs", "Jump to client: İstanbul Rivers (Notice)"),
    ],
)
def test_a_match_styles_the_letters_textuals_matcher_styles(query: str, title: str) -> None:
    """The same letters as Textual's highlight, read as plain text (not markup), with the
    letters found side by side styled as one run."""
    matcher = Matcher(query)
    ours = highlight(matcher, title)
    assert ours.plain == title

    def styled(content: Content) -> set[int]:
        return {i for span in content.spans for i in range(span.start, span.end)}

    # Where the matcher finds the query, in a title whose lower case is as long as it.
    as_long = "".join(letter.lower()[0] for letter in title)
    _score, offsets = matcher.fuzzy_search.match(query, as_long)
    assert styled(ours) == {i for i in offsets if not title[i].isspace()} != set()
    if "[" not in title and len(title.lower()) == len(title):
        assert styled(ours) == styled(matcher.highlight(title))
    assert all(span.style == matcher.match_style for span in ours.spans)
    runs = sorted((span.start, span.end) for span in ours.spans)
    assert all(end < start for (_, end), (start, _) in itertools.pairwise(runs))


async def test_a_palette_works_out_its_commands_and_each_clients_line_once(
    demo_db: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept while the palette is open, as its client titles are; the hits stay those a
    provider asked for the first time gives."""
    screens: list[Any] = []
    lines: Counter[str] = Counter()
    offered, describe = commands.available_commands, OffboardCommands._client_help

    def counted_offers(app: Any, screen: Any) -> Any:
        screens.append(screen)
        return offered(app, screen)

    def counted_line(self: OffboardCommands, row: Any) -> str:
        lines[row.id] += 1
        return describe(self, row)

    monkeypatch.setattr(commands, "available_commands", counted_offers)
    monkeypatch.setattr(OffboardCommands, "_client_help", counted_line)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette = await open_palette(app, pilot)
        for key in ("a", "d", "backspace", "backspace", "r", "e"):
            await pilot.press(key)
        await pilot.pause()
        assert len(screens) == 1
        assert lines and set(lines.values()) == {1}
        (kept,) = [p for p in palette._providers if isinstance(p, OffboardCommands)]
        fresh = OffboardCommands(kept.screen, kept.match_style)
        for query in ("", "a", "ad", "r", "re"):

            def seen(provider: OffboardCommands, query: str = query) -> list[Any]:
                return [(str(h.text), h.score, h.help) for h in provider.hits(query)]

            assert seen(kept) == seen(fresh), query


async def test_a_name_whose_lower_case_is_longer_is_found_and_drawn(
    tmp_path: Path, make_app
) -> None:
    """A letter such as "İ" lowers to two characters: the matched places past it were read
    off the end of the title, and drawing the hit failed."""
    path = tmp_path / "dotted.json"
    Services(TinyRepository(path), FixedClock(TODAY), actor="test").add_client("İİİ Ada")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        palette = await open_palette(app, pilot)
        await pilot.press(*"assessment)")
        await pilot.pause()
        options = palette.query_one(CommandList).options
        (hit,) = [o.hit for o in options if isinstance(o, Command) and "Ada" in str(o.hit.text)]
        prompt = hit.prompt
        assert isinstance(prompt, Content)
        marked = "".join(prompt.plain[s.start : s.end] for s in prompt.spans)
        assert marked == "Assessment)"
        assert app.is_running


async def test_a_key_sends_the_palette_screen_no_message_and_the_app_hears_of_the_highlight(
    demo_db: Path, make_app
) -> None:
    """Input.Changed (Textual's palette would search again on it) is not posted, and the
    list tells the app of its highlighted option itself, as Textual's palette would: neither
    passes through the screen's queue before the frame that shows the key."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        palette = await open_palette(app, pilot)
        to_screen: list[Any] = []
        to_app: list[Any] = []
        screen_post, app_post = palette.post_message, app.post_message

        def screen_heard(message: Any) -> bool:
            to_screen.append(message)
            return screen_post(message)

        def app_heard(message: Any) -> bool:
            to_app.append(message)
            return app_post(message)

        palette.post_message = screen_heard  # type: ignore[method-assign]
        app.post_message = app_heard  # type: ignore[method-assign]
        for key in ("r", "o", "backspace"):
            await pilot.press(key)
        await pilot.pause()
        kinds = (Input.Changed, OptionList.OptionHighlighted)
        assert not [m for m in to_screen if isinstance(m, kinds)]
        told = [m for m in to_app if isinstance(m, CommandPalette.OptionHighlighted)]
        command_list = palette.query_one(CommandList)
        assert len(told) == 3
        assert all(m.highlighted_event.option_list is command_list for m in told)
        assert [m.highlighted_event.option_index for m in told] == [0, 0, 0]
        assert told[-1].highlighted_event.option is command_list.options[0]

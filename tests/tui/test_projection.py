"""The board's projection: each card keeps its client's deadlines and search text, updated per
changed client, and the agenda, the filter and the command palette read it with the same
results as reading every decoded client."""

from __future__ import annotations

import datetime as dt
import gc
import threading
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest
from textual.fuzzy import Matcher
from tuikit import TODAY, decoded_filter, open_agenda, settle, visible

from offboard.domain.codec import client_from_stored
from offboard.domain.models import Stage
from offboard.domain.timers import agenda
from offboard.tui.board import column as column_module
from offboard.tui.board.column import face_context
from offboard.tui.board.needle import packed
from offboard.tui.board.screen import BoardScreen
from offboard.tui.commands import jump_title
from offboard.tui.palette_clients import ClientTitles

NEEDLES = ["a", "an", "ane", "o", "sc", "scope", "money", "payment", "ltd", "zz", "é", "-", " "]
QUERIES = ["a", "ar", "jump", "cl", "clo", "t: b", "ret", "ee", "brightmoss", "sm", "xq", "1"]


async def test_a_changed_invoice_shows_in_the_agenda_and_no_other_client_is_decoded(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        assert isinstance(board, BoardScreen)
        screen = await open_agenda(app, pilot)
        cards = board.model.cards
        before = {cid: card.deadlines() for cid, card in cards.items()}
        old_cards = dict(cards)
        decoded = {cid for cid, card in cards.items() if card.decoded}
        target = next(cid for cid, card in cards.items() if card.stage is Stage.SETTLEMENT)
        due = TODAY + dt.timedelta(days=9)

        def add(services):
            return services.add_invoice(target, "PROJ-9", "120", issued=TODAY, due=due)

        app.submit("test", add)
        await settle(app, pilot)

        assert screen.is_current
        assert any(d.label == "invoice PROJ-9 due" and d.due == due for d in screen._shown)
        assert [d.label for d in screen._shown] == [d.label for d in agenda(app.clients.values())]
        # A real count: only the changed client's card is new and given deadlines, and no
        # other card was decoded meanwhile.
        assert {cid for cid, card in cards.items() if card is not old_cards[cid]} == {target}
        changed = {cid for cid, card in cards.items() if card.deadlines() is not before[cid]}
        assert changed == {target}
        now_decoded = {cid for cid, card in cards.items() if card.decoded}
        assert now_decoded - {target} == decoded - {target}


async def test_the_first_save_after_start_touches_only_the_changed_card(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        cards = dict(board.model.cards)
        target = next(iter(cards))
        app.submit("test", lambda s: s.edit_client(target, company="Renamed Ltd"))
        await settle(app, pilot)
        after = board.model.cards
        assert after[target] is not cards[target]
        assert after[target].search.split("\0")[1] == "renamed ltd"
        assert all(after[cid] is card for cid, card in cards.items() if cid != target)


async def test_the_filter_shows_what_the_decoded_clients_match(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        clients = list(app.clients.values())
        await pilot.press("slash")
        box = board._filter_box()
        # Typed one letter at a time (narrowing), then taken back (widening), then cleared.
        typed = ["s", "sc", "sco", "scope", "sco", "s", "", "a", "an", "a", "", *NEEDLES]
        for needle in typed:
            box.value = needle
            await pilot.pause()
            assert visible(board.model) == decoded_filter(clients, needle), needle


async def test_a_needle_typed_again_after_a_change_shows_the_change(
    demo_db: Path, make_app
) -> None:
    """The filter keeps the results of needles typed lately (a backspace goes back to one);
    a client changed meanwhile must not be shown as it was."""
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        await pilot.press("slash")
        box = board._filter_box()
        for needle in ("q", "qu", "q"):  # "q" is kept, "qu" narrowed from it
            box.value = needle
            await pilot.pause()
        target = next(
            c for c in app.clients.values() if c.stage is not Stage.CLOSED and "q" not in c.name
        )
        app.submit("test", lambda s: s.edit_client(target.id, name="Quokka Quarterly"))
        await settle(app, pilot)
        for needle in ("qu", "q", "qu"):
            box.value = needle
            await pilot.pause()
            shown = visible(board.model)
            assert shown == decoded_filter(list(app.clients.values()), needle), needle
            assert target.id in shown[target.stage], needle


@pytest.mark.parametrize("query", QUERIES)
async def test_the_palette_finds_clients_as_the_matcher_scores_them(
    demo_db: Path, make_app, query: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)):
        cards = list(app.projection().cards.values())
        drawn = [card.decoded for card in cards]  # the cards on screen, decoded to be drawn
        titles = ClientTitles(cards)
        matcher = Matcher(query)
        # What the palette did before: every client decoded and scored by the matcher.
        decoded = [jump_title(c) for c in app.clients.values()]
        scored = [(matcher.match(title), -i) for i, title in enumerate(decoded)]
        expected = sorted((s for s in scored if s[0] > 0), reverse=True)[:40]
        got = titles.best(query, matcher.match, 40)
        assert [card.decoded for card in cards] == drawn  # the search decoded no client
        assert [(score, titles.titles[i]) for score, i in got] == [
            (score, decoded[-negative]) for score, negative in expected
        ]


async def test_the_filter_follows_a_change_saved_while_it_is_on(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        await pilot.press("slash")
        box = board._filter_box()
        box.value = "a"
        await pilot.pause()
        for needle in ("", "a"):  # the cards in order are kept from here on
            box.value = needle
            await pilot.pause()
        target = next(c for c in app.clients.values() if "zebra" not in c.name.casefold())
        app.submit("test", lambda s: s.edit_client(target.id, name="Zebra Crossing Ltd"))
        await settle(app, pilot)
        closing = next(c for c in app.clients.values() if c.stage is Stage.SETTLEMENT)
        board.model.apply_move(closing, Stage.CLOSED)  # shown at once, saved later
        board.render_board()
        for needle in ("a", "ze", "zebra", "z", "", "o", "os"):
            box.value = needle
            await pilot.pause()
            clients = [
                board.model.overlays.get(c.id, c) for c in app.clients.values()
            ]  # what the board shows: the saved clients, and the move not saved yet
            assert visible(board.model) == decoded_filter(clients, needle), needle


async def warmed(board, pilot, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not board.model.warmed:
        assert time.monotonic() < deadline, "the board's warm-up did not finish"
        await pilot.pause(0.02)


async def test_the_warm_up_works_out_every_face_as_the_decoded_client_gives_it(
    demo_db: Path, make_app
) -> None:
    """What each card says (name, flags, countdown, urgency, amount owed, the recommendation's
    mark) is worked out by the warm-up from the client it decodes once, and is what the card
    would say drawn from its client decoded on its own."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 14)) as pilot:
        board = app.screen
        await warmed(board, pilot)
        context = face_context(TODAY, app.config)
        assert context.amounts and context.weights is not None
        cards = list(board.model.cards.values())
        assert any(not card.decoded for card in cards)  # most were never drawn
        marks = set()
        for card in cards:
            kept = card.face
            assert kept is not None and kept[0] == context, card.name
            fresh = column_module._face(card, client_from_stored(card._record), context)
            assert kept[1] == fresh, card.name
            marks.add(fresh[5])
        assert marks >= {"✓", "↻", "✗", ""}  # every kind of mark was compared


async def test_a_filter_draws_the_cards_it_brings_into_view_without_decoding_them(
    many_db: Path, make_app
) -> None:
    app = make_app(many_db)
    async with app.run_test(size=(120, 14)) as pilot:
        board = app.screen
        await warmed(board, pilot)
        model = board.model
        decoded = {cid for cid, card in model.cards.items() if card.decoded}
        hidden = max(model.cards.values(), key=lambda card: card.name)  # "Rowan 59", far down
        assert hidden.id not in decoded
        await pilot.press("slash")
        board._filter_box().value = hidden.name
        await pilot.pause()
        assert model.columns[hidden.stage][0] is hidden
        lines = [board.view.render_line(y).text for y in range(board.view.size.height)]
        assert any(hidden.name[:12] in line for line in lines)  # drawn (a long name is cut)
        assert {cid for cid, card in model.cards.items() if card.decoded} == decoded


async def test_a_change_after_the_filter_was_cleared_leaves_the_kept_order_whole(
    demo_db: Path, make_app
) -> None:
    """A cleared filter shows the cards in order the filter keeps (not a copy); a save then
    changes the columns and that order, each once."""
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        await warmed(board, pilot)
        await pilot.press("slash")
        box = board._filter_box()
        for needle in ("a", ""):
            box.value = needle
            await pilot.pause()
        moving = next(c for c in app.clients.values() if c.stage is Stage.PREPARATION)
        renamed = next(c for c in app.clients.values() if c.stage is Stage.REPAIR)
        app.submit("test", lambda s: s.edit_client(renamed.id, name="Aardvark Analytics"))
        app.submit("test", lambda s: s.move(moving.id, Stage.REPAIR))
        await settle(app, pilot)
        assert app.clients[moving.id].stage is Stage.REPAIR
        assert app.clients[renamed.id].name == "Aardvark Analytics"
        for needle in ("", "a", "aardvark", ""):
            box.value = needle
            await pilot.pause()
            assert visible(board.model) == decoded_filter(list(app.clients.values()), needle)


def test_packed_search_texts_are_equal_copies_and_a_line_break_keeps_them_as_made() -> None:
    made = [f"name {n}\0company\0non-payer" for n in range(5)]
    cards = [SimpleNamespace(search=text) for text in made]
    copies = packed(cards)
    assert copies == made and all(p is not m for p, m in zip(copies, made, strict=True))
    odd = [*cards, SimpleNamespace(search="two\nlines\0\0")]
    kept = packed(odd)
    assert kept == [card.search for card in odd]
    assert all(k is card.search for k, card in zip(kept, odd, strict=True))
    assert packed([]) == []


async def test_a_saved_client_is_decoded_on_the_writer_thread_not_the_ui_thread(
    demo_db: Path, make_app
) -> None:
    """The board shows a saved client at once; decoded on the UI thread, it delayed the next
    key by as long as its history took to decode."""
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        repo = app.repo
        decode = repo.decode
        seen: list[tuple[str, int, str]] = []

        def watched(doc):
            seen.append((doc["id"], doc["rev"], threading.current_thread().name))
            return decode(doc)

        repo.decode = watched
        target = next(c for c in app.clients.values() if c.stage is Stage.REPAIR)
        app.submit("test", lambda s: s.edit_client(target.id, company="Renamed Ltd"))
        await settle(app, pilot)
        saved = app.clients[target.id]
        assert saved.rev == target.rev + 1 and saved.company == "Renamed Ltd"
        assert board.model.cards[target.id].client is saved  # shown: decoded, and kept
        new = [thread for cid, rev, thread in seen if (cid, rev) == (target.id, saved.rev)]
        assert new == ["offboard-saver"]


async def test_a_warm_up_due_as_the_app_closes_leaves_nothing_unawaited(
    demo_db: Path, make_app
) -> None:
    """The warm-up's timer may fire while the app is closing, when a worker is no longer
    started: its work must not have been begun as a coroutine left to be collected."""
    app = make_app(demo_db)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with app.run_test() as pilot:
            await pilot.pause()
            board = app.screen
            app.exit()
            board.warm_up._begin()  # as the timer does
        gc.collect()
    assert not [w for w in caught if "never awaited" in str(w.message)]


async def test_the_palette_reads_the_warm_up_s_titles_and_a_client_renamed_since(
    demo_db: Path, make_app
) -> None:
    """The board's warm-up makes the palette's titles ahead of need; a palette opened after a
    client is renamed finds it by its new name, and not by the old one."""
    from textual.command import CommandInput, CommandList

    from offboard.tui.title_index import titles_of

    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        board = app.screen
        await warmed(board, pilot)
        while not board.warm_up.done:
            await pilot.pause(0.02)
        made = titles_of(board.model)
        target = next(c for c in app.clients.values() if c.stage is not Stage.CLOSED)
        old_name = target.name
        app.submit("test", lambda s: s.edit_client(target.id, name="Quokka Quarterly"))
        await settle(app, pilot)

        async def found(query: str) -> list[str]:
            await pilot.press("ctrl+p")
            await pilot.pause()
            palette = app.screen
            palette.query_one(CommandInput).value = query
            await pilot.pause()
            options = palette.query_one(CommandList).options
            texts = [str(o.hit.text) for o in options if hasattr(o, "hit")]
            await pilot.press("escape")
            await pilot.pause()
            return texts

        assert "Jump to client: Quokka Quarterly" in " ".join(await found("quokka"))
        assert not any(old_name in text for text in await found(old_name.lower()))
        assert titles_of(board.model) is made  # caught up in place, not made again

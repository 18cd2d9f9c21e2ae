"""The exit report screen and the computed recommendation on the Assessment tab, driven with
Pilot on the demo data."""

from __future__ import annotations

import io
import time
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, ProgressBar, Static
from tuikit import footer_in_step

from offboard.domain.trouble import Pareto, Ranked, pareto
from offboard.tui.client.screen import ClientScreen
from offboard.tui.commands import OffboardCommands
from offboard.tui.screens.report import ReportScreen, bar, pareto_chart, running_line


def text_of(widget: Static) -> str:
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get()


async def open_report(app, pilot) -> ReportScreen:
    await pilot.press("R")
    screen = app.screen
    assert isinstance(screen, ReportScreen)
    deadline = time.monotonic() + 10
    while screen.report is None:
        assert time.monotonic() < deadline, "the report was not computed"
        await pilot.pause(0.02)
    await pilot.pause()
    return screen


def table_of(screen: ReportScreen) -> DataTable:
    return screen.query_one("#report-table", DataTable)


async def test_r_opens_the_report_with_figures_beside_the_chart(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(app, pilot)
        report = screen.report
        assert report is not None
        table = table_of(screen)
        assert table.row_count == len(report.clients.rows) > 0
        assert not screen.query_one("#report-progress", ProgressBar).display
        first = report.clients.rows[0]
        assert table.get_row_at(0)[1] == first.label
        text = str(screen.query_one("#report-text", Static).render())
        assert "Who caused the trouble" in text and "●" in text and "┊" in text
        summary = str(screen.query_one("#report-summary", Static).render())
        assert summary.startswith("The last 12 months")


async def test_enter_opens_the_client_and_escape_goes_back(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        board = app.screen
        screen = await open_report(app, pilot)
        assert screen.report is not None
        await pilot.press("down")
        wanted = screen.report.clients.rows[1].key
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == wanted
        app.pop_screen()
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        assert app.screen is board


async def test_the_footer_offers_enter_once_the_report_has_rows(demo_db: Path, make_app) -> None:
    """The screen opens before its rows exist (the report is computed in a worker): its
    footer must follow when a row can be opened."""
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert table_of(screen).row_count > 0

        assert await footer_in_step(screen, pilot) == []


async def test_rows_filled_again_tell_the_footer(demo_db: Path, make_app) -> None:
    """Emptied, the table has no row to open and the footer greys enter out; filled again (as
    a new period's report does), the footer must hear that a row can be opened."""
    app = make_app(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_report(app, pilot)
        assert await footer_in_step(screen, pilot) == []
        table_of(screen).clear()
        screen.refresh_bindings()
        assert await footer_in_step(screen, pilot) == []
        assert not screen.active_bindings["enter"].enabled
        assert screen.report is not None
        screen._fill_table(screen.report, "en")
        assert screen.active_bindings["enter"].enabled
        assert await footer_in_step(screen, pilot, timeout=1.0) == []


async def test_p_changes_the_period(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(app, pilot)
        screen.report = None
        await pilot.press("p")
        while screen.report is None:
            await pilot.pause(0.02)
        await pilot.pause()
        summary = str(screen.query_one("#report-summary", Static).render())
        assert summary.startswith("The last 90 days")


async def test_the_report_fits_80x24(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_report(app, pilot)
        assert table_of(screen).size.height > 3
        assert screen.query_one("#report-charts").size.width >= 30


async def test_the_assessment_tab_shows_the_computed_recommendation(
    demo_db: Path, make_app
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        juniper = next(c for c in app.clients.values() if c.name.startswith("Juniper"))
        app.push_screen(ClientScreen(juniper.id, tab="assessment"))
        await pilot.pause()
        await pilot.pause()
        body = text_of(app.screen.query_one("#assessment-body", Static))
        assert "Computed: repair" in body
        assert "31.4 hours unbilled" in body
        # No target rate in this config: it says what to fill in.
        assert "no target rate set" in body


def test_the_chart_draws_bars_and_the_running_line() -> None:
    assert bar(1.0, 4) == "████" and bar(0.5, 4) == "██  " and bar(0.0, 3) == "   "
    assert running_line(0.0, 11) == "●       ┊  "
    assert running_line(1.0, 11) == "────────┊─●"
    p = Pareto(
        (
            Ranked("a", "Alder", 60.0, 0.6, 0.6, True),
            Ranked("b", "Birch", 40.0, 0.4, 1.0, True),
        ),
        100.0,
        2,
        4,
        0.5,
    )
    lines = pareto_chart(p, 40).plain.splitlines()
    assert lines[0].startswith("Alder") and "█" in lines[0] and lines[1].endswith("●")


async def test_the_palette_offers_the_report(demo_db: Path, make_app) -> None:
    app = make_app(demo_db)
    app.COMMANDS = App.COMMANDS | {OffboardCommands}
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*"exit report")
        for _ in range(100):
            await pilot.pause(0.02)
            options = app.screen.query_one(CommandList)
            texts = [
                str(options.get_option_at_index(i).hit.text) for i in range(options.option_count)
            ]
            if "Show the exit report" in texts:
                break
        assert "Show the exit report" in texts
        options.highlighted = texts.index("Show the exit report")
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, ReportScreen):
                break
        assert isinstance(app.screen, ReportScreen)


def test_a_cut_chart_says_how_many_clients_it_left_out() -> None:
    """Found on the demo's report: "… and 7 mores"."""
    ranked = pareto([(f"k{i}", f"Client {i}", float(10 - i)) for i in range(9)], out_of=9)
    console = Console(width=100, file=io.StringIO(), color_system=None)
    for rows, tail in ((2, "… and 7 more clients"), (8, "… and 1 more client")):
        with console.capture() as captured:
            console.print(pareto_chart(ranked, 100, rows=rows))
        text = captured.get()
        assert tail in text and "mores" not in text

"""The client screen's overview says when the recorded last working day has become a day off
(a country set after the conversation was recorded), offers the next working day, and changes
nothing."""

from __future__ import annotations

from pathlib import Path

from test_client_screen import open_client, quiet, text_of
from textual.widgets import Static
from tuikit import TODAY

from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository

D = TODAY.fromisoformat


def _client_whose_last_day_became_a_holiday(path: Path) -> None:
    repo = TinyRepository(path)
    try:
        services = Services(repo, FixedClock(TODAY))
        services.add_client("Kuvaamo Revontuli", notice_period="25 business days")
        services.record_conversation("Kuvaamo Revontuli", D("2026-11-20"), "phone")
        services.edit_client("Kuvaamo Revontuli", country="FI")
    finally:
        repo.close()


async def test_the_overview_warns_and_offers_the_next_working_day(empty_db: Path, make_app):
    _client_whose_last_day_became_a_holiday(empty_db)
    before = empty_db.read_bytes()
    app = quiet(make_app)(empty_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, _ = await open_client(app, pilot, "Kuvaamo")
        overview = " ".join(text_of(screen.query_one("#overview-body", Static)).split())
        assert "Country FI" in overview
        assert "not a working day (Christmas Day, a public holiday in FI)" in overview
        assert "the next working day is" in overview and "Dec 28, 2026" in overview
        # The two columns sit side by side, so a long line wraps between the other's rows.
        assert "Nothing was" in overview and "Dec 29, 2026" in overview
    assert empty_db.read_bytes() == before

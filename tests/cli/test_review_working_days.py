"""`repair --review "+N wd"`: N working days after the start, skipping the public holidays of
the client's country (from the holidays package) as well as weekends."""

from __future__ import annotations

import datetime as dt

import holidays


def test_a_review_in_working_days_skips_the_client_s_holidays(cli) -> None:
    finnish = holidays.country_holidays("FI", years=2026)
    british = holidays.country_holidays("GB", years=2026)
    assert dt.date(2026, 12, 24) in finnish and dt.date(2026, 12, 24) not in british
    cli.ok("--today", "2026-12-23", "add", "Pohjoisen Puu Oy", "--country", "FI")
    cli.ok("--today", "2026-12-23", "add", "Harbour Tiles Ltd", "--country", "GB")

    def review(client: str, asked: str) -> str:
        return cli.ok(
            "--today", "2026-12-23", "repair", client, "shorter feedback rounds",
            "--start", "2026-12-23", "--review", asked,
        )  # fmt: skip

    # Thursday 24 and Friday 25 are Finnish holidays, then a weekend: Mon 28, Tue 29.
    assert "review on 2026-12-28" in review("Pohjoisen", "+1 wd")
    assert "review on 2026-12-29" in review("Pohjoisen", "2 working days")
    # In Britain the 24th is worked.
    assert "review on 2026-12-24" in review("Harbour", "+1 wd")


def test_zero_working_days_is_refused_and_nothing_is_saved(cli) -> None:
    cli.ok("--today", "2026-12-23", "add", "Pohjoisen Puu Oy", "--country", "FI")
    err = cli.refused("--today", "2026-12-23", "repair", "Pohjoisen", "x", "--review", "+0 wd")
    assert "at least 1 working day" in err

"""Dates written in a language are formatted once per day and language: the answers are
Babel's own, whatever the order they are asked in."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from offboard import formats


def test_a_day_is_written_as_babel_writes_it_every_time():
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=37 * k) for k in range(10)]
    for _ in range(2):
        for locale, babel in (("en", "en"), ("fi", "fi"), ("cs", "cs"), ("tr", "tr")):
            for day in days:
                for form in ("short", "long"):
                    assert formats.day(day, locale, form) == format_date(day, form, locale=babel)
    assert formats.day(dt.date(2026, 12, 2), "en") == "December 2, 2026"
    assert formats.day(dt.date(2026, 12, 2), "fi") == "2. joulukuuta 2026"


def test_a_language_babel_does_not_know_still_gets_a_date():
    assert formats.day(dt.date(2026, 12, 2), "xx-unknown") == formats.day(
        dt.date(2026, 12, 2), "en"
    )

"""A review date in working days: counted with the client's calendar, never on a day off."""

from __future__ import annotations

import datetime as dt

import pytest

from offboard.domain.errors import InvalidInput
from offboard.domain.reviews import review_day, working_days_asked
from offboard.domain.workdays import FixedDaysOff

THU = dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "count"),
    [("+10 wd", 10), ("10wd", 10), ("3 working days", 3), ("+1 working day", 1),
     ("2 Business Days", 2), (" +4 WD ", 4), ("+10", None), ("friday", None), ("wd", None),
     ("-3 wd", None), ("1.5 wd", None)],
)  # fmt: skip
def test_working_days_are_asked_in_these_forms(text: str, count: int | None) -> None:
    assert working_days_asked(text) == count


def test_working_days_skip_weekends_and_the_calendar_s_days_off() -> None:
    assert review_day("+1 wd", THU, THU) == dt.date(2026, 12, 4)  # Friday
    assert review_day("+2 wd", THU, THU) == dt.date(2026, 12, 7)  # over the weekend
    off = FixedDaysOff(frozenset({dt.date(2026, 12, 7)}))
    assert review_day("+2 wd", THU, THU, off) == dt.date(2026, 12, 8)


def test_other_forms_are_plain_dates_and_must_follow_the_start() -> None:
    assert review_day("+7", THU, THU) == dt.date(2026, 12, 10)
    assert review_day(dt.date(2026, 12, 31), THU, THU) == dt.date(2026, 12, 31)
    with pytest.raises(InvalidInput):
        review_day("today", THU, THU)
    with pytest.raises(InvalidInput) as caught:
        review_day("+0 wd", THU, THU)
    assert "at least 1 working day" in caught.value.one_line()


@pytest.mark.parametrize(
    ("text", "days"),
    [("+3 days", 3), ("+3days", 3), ("+1 day", 1), ("+3d", 3), ("+ 3 D", 3), ("-2 days", -2),
     ("+3", 3), ("-1", -1), ("3 days", 3)],
)  # fmt: skip
def test_days_from_today_may_name_their_unit(text: str, days: int) -> None:
    """The date fields' hint says "+N days": typed as it reads, it is a date too."""
    from offboard.domain import validate as v

    assert v.day(text, "the date", THU) == THU + dt.timedelta(days=days)


@pytest.mark.parametrize("text", ["+3 weeks", "+3 dayz", "+3 d ays", "3", "+3 days ago", "+٣ days"])
def test_other_units_and_words_are_not_dates(text: str) -> None:
    from offboard.domain import validate as v

    with pytest.raises(InvalidInput):
        v.day(text, "the date", THU)

"""The date fields' placeholders name only forms the fields' rule reads: each form in a hint,
typed as it reads (N as 3, a weekday as "friday"), is a date for a field of that kind."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from offboard.domain import validate as v
from offboard.domain.errors import InvalidInput
from offboard.domain.reviews import typed_day
from offboard.tui.forms.fields import DATE_HINT, PAST_DATE_HINT

TODAY = dt.date(2026, 12, 3)  # a Thursday


def forms(hint: str) -> list[str]:
    """The hint's forms, typed out."""
    typed = []
    for form in re.split(r", | or ", hint):
        form = form.replace("YYYY-MM-DD", "2026-11-20").replace("a weekday", "friday")
        typed.append(form.replace("N", "3"))
    return typed


def test_the_hints_are_read_as_expected() -> None:
    assert forms(DATE_HINT) == ["2026-11-20", "today", "+3 days", "+3 wd", "friday"]
    assert forms(PAST_DATE_HINT) == ["2026-11-20", "today", "yesterday", "-3 days"]


@pytest.mark.parametrize("typed", forms(DATE_HINT))
def test_every_form_of_the_date_hint_is_a_date(typed: str) -> None:
    assert isinstance(typed_day(typed, "the date", TODAY), dt.date)


@pytest.mark.parametrize("typed", forms(PAST_DATE_HINT))
def test_every_form_of_the_past_hint_is_a_day_that_has_been(typed: str) -> None:
    day = typed_day(typed, "the date", TODAY)
    assert v.not_future(day, "the date", TODAY) == day


def test_a_weekday_is_never_in_the_past_so_the_past_hint_does_not_offer_it() -> None:
    with pytest.raises(InvalidInput):
        v.not_future(typed_day("friday", "the date", TODAY), "the date", TODAY)

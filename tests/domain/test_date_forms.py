"""Every date form the wordings name is one the rule reads: each, typed as it reads (N as 3,
a weekday as "friday"), is a date, and a date of something that happened where the wording
is for those. The wordings live once, in domain.validate; the CLI's help and the TUI's
placeholders show them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from offboard.domain import validate as v
from offboard.domain.errors import InvalidInput
from offboard.domain.reviews import typed_day, typed_past_day

TODAY = dt.date(2026, 12, 3)  # a Thursday


def forms(wording: str) -> list[str]:
    """The wording's forms, typed out (what it says in brackets or after ";" explains)."""
    text = re.sub(r"\s*\([^)]*\)", "", wording.split(";")[0])
    typed = []
    for form in re.split(r", | or ", text):
        form = form.replace("YYYY-MM-DD", "2026-11-20").replace("a weekday name", "friday")
        typed.append(form.replace("a weekday", "friday").replace("N", "3"))
    return typed


def test_the_wordings_are_read_as_expected() -> None:
    assert forms(v.DATE_FORMS) == ["2026-11-20", "today", "+3", "-3", "+3 wd", "friday"]
    assert forms(v.DATE_FORMS_SHORT) == ["2026-11-20", "today", "+3 days", "+3 wd", "friday"]
    assert forms(v.PAST_DATE_FORMS) == ["2026-11-20", "today", "yesterday", "-3"]
    assert forms(v.PAST_DATE_FORMS_SHORT) == ["2026-11-20", "today", "yesterday", "-3 days"]
    assert forms(v.DAY_FORMS) == ["2026-11-20", "today", "yesterday", "+3", "-3", "friday"]


@pytest.mark.parametrize("typed", forms(v.DATE_FORMS) + forms(v.DATE_FORMS_SHORT))
def test_every_form_named_for_a_date_is_one(typed: str) -> None:
    assert isinstance(typed_day(typed, "the date", TODAY), dt.date)


@pytest.mark.parametrize("typed", forms(v.PAST_DATE_FORMS) + forms(v.PAST_DATE_FORMS_SHORT))
def test_every_form_named_for_a_past_date_is_a_day_that_has_been(typed: str) -> None:
    day = typed_day(typed, "the date", TODAY)
    assert v.not_future(day, "the date", TODAY) == day


@pytest.mark.parametrize("typed", forms(v.DAY_FORMS))
def test_every_form_named_for_a_plain_day_is_one(typed: str) -> None:
    assert isinstance(v.day(typed, "the date", TODAY), dt.date)


def test_a_typed_date_that_is_none_is_told_every_form() -> None:
    with pytest.raises(InvalidInput) as caught:
        typed_day("next tuesday-ish", "the date", TODAY)
    assert caught.value.hint == f"use {v.DATE_FORMS}"
    with pytest.raises(InvalidInput) as caught:
        v.day("next tuesday-ish", "the date", TODAY)
    assert caught.value.hint == f"use {v.DAY_FORMS}"


def test_a_past_date_that_is_none_is_told_the_forms_of_a_past_date() -> None:
    with pytest.raises(InvalidInput) as caught:
        typed_past_day("blah", "the flag date", TODAY)
    assert caught.value.hint == f"use {v.PAST_DATE_FORMS}"
    with pytest.raises(InvalidInput) as caught:
        typed_past_day("+3", "the flag date", TODAY)
    assert "in the future" in caught.value.message
    assert typed_past_day("-3 days", "the flag date", TODAY) == dt.date(2026, 11, 30)

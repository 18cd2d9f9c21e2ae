"""Dates in working days: a date as every date field reads it, or a number of working days on
("+10 wd", "10 working days"), counted with the client's calendar (its country's public
holidays and the user's own days off), so the day never lands on a day nobody works. Every
date field that takes a relative date reads it through `typed_day`; a repair's review counts
from the attempt's start, every other field from today."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from . import validate as v
from .errors import InvalidInput
from .notice import add_business_days
from .workdays import Holidays

# "+10 wd", "10wd", "10 working days", "+3 business days": a count of working days.
_WORKING_DAYS = re.compile(
    r"\+?\s*(\d{1,3})\s*(?:wd|working\s+days?|business\s+days?)", re.ASCII | re.IGNORECASE
)
WHAT = "the review date"
FORMS_HINT = "a date, or +N wd for N working days after the start"


def working_days_asked(value: Any) -> int | None:
    """The number of working days `value` asks for, or None when it is not written that way."""
    if not isinstance(value, str):
        return None
    found = _WORKING_DAYS.fullmatch(value.strip())
    return int(found.group(1)) if found else None


def typed_day(
    value: Any,
    what: str,
    today: dt.date,
    holidays: Holidays = (),
    start: dt.date | None = None,
    *,
    forms: str = v.DATE_FORMS,
) -> dt.date:
    """The date `value` means: what `validate.day` reads (YYYY-MM-DD, today, +N, a weekday),
    or N working days after `start` (default today). Raises InvalidInput for text that is no
    date (its hint names `forms`), and for 0 working days (no day at all)."""
    count = working_days_asked(value)
    if count is None:
        return v.day(value, what, today, forms=forms)
    base = today if start is None else start
    if count == 0:
        said = "the start itself" if start is not None else "today itself"
        raise InvalidInput(f"{what} {value!r} is {said}", "give at least 1 working day")
    return v.day(add_business_days(base, count, holidays), what, today)


def typed_past_day(value: Any, what: str, today: dt.date, holidays: Holidays = ()) -> dt.date:
    """The date of something that happened (a flag, a payment, a letter): what typed_day
    reads, never after today. Raises InvalidInput; for text that is no date, its hint names
    the forms such a date takes (no weekday: one is always ahead)."""
    day = typed_day(value, what, today, holidays, forms=v.PAST_DATE_FORMS)
    return v.not_future(day, what, today)


def optional_typed_day(
    value: Any, what: str, today: dt.date, holidays: Holidays = ()
) -> dt.date | None:
    """typed_day, or None for nothing typed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return typed_day(value, what, today, holidays)


def review_date(value: Any, start: dt.date, today: dt.date, holidays: Holidays = ()) -> dt.date:
    """The date `value` means for an attempt starting on `start`, not yet checked against the
    start (a form checks that once both fields are filled in). Raises InvalidInput for text
    that is no date."""
    return typed_day(value, WHAT, today, holidays, start)


def review_day(value: Any, start: dt.date, today: dt.date, holidays: Holidays = ()) -> dt.date:
    """review_date, which must be after the start. Raises InvalidInput."""
    return v.review_after_start(start, review_date(value, start, today, holidays))

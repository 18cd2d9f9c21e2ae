"""When a repair attempt is looked back at: a date as every date field reads it, or a number
of working days after the attempt starts ("+10 wd", "10 working days"), counted with the
client's calendar (its country's public holidays and the user's own days off), so a review
never lands on a day nobody works."""

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


def review_date(value: Any, start: dt.date, today: dt.date, holidays: Holidays = ()) -> dt.date:
    """The date `value` means for an attempt starting on `start`, not yet checked against the
    start (a form checks that once both fields are filled in). Raises InvalidInput for text
    that is no date."""
    count = working_days_asked(value)
    if count is None:
        return v.day(value, WHAT, today)
    if count == 0:
        raise InvalidInput(f"{WHAT} {value!r} is the start itself", "give at least 1 working day")
    return add_business_days(start, count, holidays)


def review_day(value: Any, start: dt.date, today: dt.date, holidays: Holidays = ()) -> dt.date:
    """review_date, which must be after the start. Raises InvalidInput."""
    return v.review_after_start(start, review_date(value, start, today, holidays))

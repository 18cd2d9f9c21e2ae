"""Dates: as stored (YYYY-MM-DD) and as typed (today, +N, weekday names), and their order."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from ..errors import InvalidInput
from .limits import (
    DATE_MAX,
    DATE_MIN,
    MAX_RELATIVE_DAYS,
)
from .text import (
    _kind,
    _must_be_text,
)

# --- dates ---------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# "+3", "-2", "+3 days", "3 days", "+3d": a bare number is not one (a day of the month?).
_RELATIVE = re.compile(r"([+-]?)\s*(\d{1,4})(\s*(?:d|days?))?", re.ASCII)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# What `day` reads, for its own error's hint.
DAY_FORMS = (
    "YYYY-MM-DD, today, yesterday, +N or -N (days from today) or a weekday name (the next one)"
)
# What a typed date may be: `day`'s forms and N working days (domain.reviews.typed_day, which
# every date typed on the command line or in a form goes through), named here once for every
# front end: in full for an error's hint and the command line's help, short for a form field's
# placeholder. The date of something that happened takes no weekday (one is always ahead).
# tests/domain/test_date_forms.py types every form each of them names.
DATE_FORMS = (
    "YYYY-MM-DD, today, +N or -N (days from today), +N wd (N working days from today) "
    "or a weekday name (the next one)"
)
PAST_DATE_FORMS = "YYYY-MM-DD, today, yesterday or -N (N days ago); never in the future"
DATE_FORMS_SHORT = "YYYY-MM-DD, today, +N days, +N wd or a weekday"
PAST_DATE_FORMS_SHORT = "YYYY-MM-DD, today, yesterday or -N days"


@functools.lru_cache(maxsize=4096)
def _parse_iso(text: str) -> dt.date:
    # A database repeats the same few hundred dates thousands of times.
    return dt.date.fromisoformat(text)


@functools.lru_cache(maxsize=8192)
def _sound_iso(text: str) -> dt.date | None:
    """A stored date that passes every check, or None: one lookup for the usual case."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        day = _parse_iso(text)
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def _in_range(day: dt.date, what: str) -> dt.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise InvalidInput(
            f"{what} {day.isoformat()} is out of range",
            f"use a date from {DATE_MIN.year} to {DATE_MAX.year}",
        )
    return day


def iso_date(value: Any, what: str = "date") -> dt.date:
    """A date as stored and exported: YYYY-MM-DD exactly (Python 3.11's fromisoformat also
    takes "20261122" and week dates, which no offboard file holds)."""
    if type(value) is str:
        sound = _sound_iso(value)
        if sound is not None:
            return sound
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _in_range(value, what)
    if value is None or value == "":
        raise InvalidInput(f"{what} is missing", "use YYYY-MM-DD")
    try:
        if not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
            raise ValueError
        return _in_range(_parse_iso(value), what)
    except ValueError:
        shown = repr(value) if isinstance(value, str) else _kind(value)
        raise InvalidInput(f"{what} {shown} is not a valid date", "use YYYY-MM-DD") from None


def optional_iso_date(value: Any, what: str = "date") -> dt.date | None:
    return None if value in (None, "") else iso_date(value, what)


def day(value: Any, what: str, today: dt.date, *, forms: str = DAY_FORMS) -> dt.date:
    """A date as a person types it: YYYY-MM-DD, `today`, `+N` / `-N` days from today (the
    unit may be written: "+3 days", "3 days", "+3d"), or a weekday name (the next one after
    today; `today` is never a weekday's answer). `forms`: what the hint of text that is no
    date names (a caller that reads more forms, or fewer, says so)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _in_range(value, what)
    text = _must_be_text(value, what).strip().lower()
    if text == "today":
        return today
    if text == "yesterday":
        return _in_range(today - dt.timedelta(days=1), what)
    if text == "tomorrow":
        return _in_range(today + dt.timedelta(days=1), what)
    relative = _RELATIVE.fullmatch(text)
    if relative and (relative.group(1) or relative.group(3)):
        days = int(relative.group(2))
        if days > MAX_RELATIVE_DAYS:
            raise InvalidInput(f"{what} {value!r} is too far from today")
        offset = dt.timedelta(days=-days if relative.group(1) == "-" else days)
        return _in_range(today + offset, what)
    if text in _WEEKDAYS or (len(text) == 3 and text in {w[:3] for w in _WEEKDAYS}):
        wanted = next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(text))
        ahead = (wanted - today.weekday()) % 7 or 7
        return _in_range(today + dt.timedelta(days=ahead), what)
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return _in_range(_parse_iso(text), what)
    except ValueError:
        raise InvalidInput(f"{what} {value!r} is not a valid date", f"use {forms}") from None


def optional_day(value: Any, what: str, today: dt.date) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return day(value, what, today)


def not_future(value: dt.date, what: str, today: dt.date) -> dt.date:
    """Things that happened (incidents, payments, letters, conversations) cannot be dated
    after today."""
    if value > today:
        raise InvalidInput(
            f"{what} {value.isoformat()} is in the future", "record it once it happened"
        )
    return value


def review_after_start(started: dt.date, review: dt.date) -> dt.date:
    """A repair attempt needs time to show whether it works: its review is after its start."""
    if review <= started:
        raise InvalidInput(
            f"the review date {review.isoformat()} is not after the start {started.isoformat()}",
            "give the attempt at least a day before reviewing it",
        )
    return review


def paid_after_agreed(agreed: dt.date, paid_out: dt.date) -> dt.date:
    """A refund leaves your account once it was agreed, not before."""
    if paid_out < agreed:
        raise InvalidInput(
            f"the refund's payout {paid_out.isoformat()} is before it was agreed "
            f"({agreed.isoformat()})",
            "a refund is paid out on or after the day it was agreed",
        )
    return paid_out


def due_after_issue(issued: dt.date, due: dt.date) -> dt.date:
    if due < issued:
        raise InvalidInput(
            f"the due date {due.isoformat()} is before the invoice date {issued.isoformat()}"
        )
    return due

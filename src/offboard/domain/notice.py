"""Notice periods: what the user types, when the notice runs out, and the last day of work.

The conversation date (`start`) is the day notice was given; callers always pass it in, and
this module never reads the system clock.

Rules:

- `parse_period` reads text in any case and with any spacing. A bare number means days;
  "working days" is another name for business days; "end of the month" equals "end of month".
  Counts are whole numbers from 0 up to roughly ten years (3650 days, 520 weeks, 120 months,
  2600 business days).
- `end_date` is the calendar day the notice runs out. Months count from the start and shrink to
  the end of a shorter month (31 January plus one month is the last day of February).
  Business days count forward from the day after the start, skipping weekends and holidays.
  "end of month" is the last day of the start's month; "until" is the date given, which must not
  be before the start.
- `last_working_day` steps back from the end date over weekends and holidays, but never to a day
  before the start: when no business day falls between the two, the start itself is returned.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .errors import InvalidInput
from .validate import iso_date

ACCEPTED_FORMS = (
    '"14 days", "2 weeks", "1 month", "10 business days", "until 2027-01-31", "end of month"'
)

KINDS = ("days", "weeks", "months", "business_days", "until", "end_of_month")

# Each limit is about ten years, so a typo such as "300 months" is caught before it is saved.
_LIMITS = {"days": 3650, "weeks": 520, "months": 120, "business_days": 2600}

_UNITS = {
    "day": "days",
    "week": "weeks",
    "month": "months",
    "business day": "business_days",
    "working day": "business_days",
}

# Input is lower-cased and its whitespace collapsed to single spaces before matching.
# re.ASCII keeps \d to 0-9, so digits from other scripts are not taken for a count.
_COUNT = re.compile(r"(\d+) ?(?:(day|week|month|business day|working day)s?)?", re.ASCII)
_UNTIL = re.compile(r"until (\S+)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_END_OF_MONTH = re.compile(r"end of (?:the )?month")

# A notice period is a few words; a whole pasted clause is read elsewhere.
_MAX_TEXT = 200

_SINGULAR = {
    "days": "day",
    "weeks": "week",
    "months": "month",
    "business_days": "business day",
}


@dataclass(frozen=True)
class NoticePeriod:
    """A parsed notice period. `count` is used by the counting kinds, `until` by "until"."""

    kind: str
    count: int = 0
    until: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown notice period kind {self.kind!r}")
        if self.count < 0:
            raise ValueError("a notice period cannot count backwards")
        if (self.kind == "until") != (self.until is not None):
            raise ValueError('a date belongs with kind "until" and only there')
        if self.kind in ("until", "end_of_month") and self.count:
            raise ValueError(f"kind {self.kind!r} takes no count")

    def describe(self) -> str:
        if self.kind == "until":
            assert self.until is not None
            return f"until {self.until.isoformat()}"
        if self.kind == "end_of_month":
            return "end of month"
        unit = _SINGULAR[self.kind]
        return f"{self.count} {unit}" if self.count == 1 else f"{self.count} {unit}s"


def _not_understood(text: str) -> InvalidInput:
    return InvalidInput(
        f"notice period {text!r} is not understood", hint=f"use one of {ACCEPTED_FORMS}"
    )


def parse_period(text: str) -> NoticePeriod:
    """Turn what the user typed into a NoticePeriod, or raise InvalidInput saying why not."""
    if not isinstance(text, str):
        raise InvalidInput("the notice period must be text", hint=f"use one of {ACCEPTED_FORMS}")
    if len(text) > _MAX_TEXT:
        raise _not_understood(text[:40] + "...")
    cleaned = " ".join(text.lower().split())

    if match := _COUNT.fullmatch(cleaned):
        digits = match.group(1)
        kind = _UNITS[match.group(2) or "day"]
        # Anything over six digits is far past every limit; int() of thousands of digits
        # would be refused by Python itself (or cost time), so it is never attempted.
        count = int(digits) if len(digits) <= 6 else _LIMITS[kind] + 1
        if count > _LIMITS[kind]:
            raise InvalidInput(
                f"notice period {text!r} is longer than this app allows",
                hint=f"at most {_LIMITS[kind]} {kind.replace('_', ' ')}",
            )
        return NoticePeriod(kind, count)

    if match := _UNTIL.fullmatch(cleaned):
        when = match.group(1)
        if not _ISO_DATE.fullmatch(when):
            raise _not_understood(text)
        try:
            return NoticePeriod("until", until=iso_date(when, "the notice end date"))
        except InvalidInput as exc:
            raise InvalidInput(
                f"notice period {text!r}: {exc.message}", hint=f"use one of {ACCEPTED_FORMS}"
            ) from None

    if _END_OF_MONTH.fullmatch(cleaned):
        return NoticePeriod("end_of_month")

    raise _not_understood(text)


def is_business_day(day: date, holidays: Collection[date] = ()) -> bool:
    """Monday to Friday, and not one of the holidays."""
    return day.weekday() < 5 and day not in holidays


def _add_weekdays(start: date, n: int) -> date:
    """The n-th Monday-to-Friday day after start (n >= 1), ignoring holidays."""
    # The weekdays after a Saturday or Sunday are the same as those after the Friday before,
    # and from a weekday five weekdays on is exactly one week on.
    if start.weekday() >= 5:
        start -= timedelta(days=start.weekday() - 4)
    weeks, rest = divmod(n, 5)
    day = start + timedelta(weeks=weeks)
    while rest:
        day += timedelta(days=1)
        if day.weekday() < 5:
            rest -= 1
    return day


def add_business_days(start: date, n: int, holidays: Collection[date] = ()) -> date:
    """The n-th business day after start; start itself when n is 0."""
    if n < 0:
        raise ValueError("cannot add a negative number of business days")
    off = set(holidays)
    day, remaining = start, n
    # Jump ignoring holidays, then make up for each weekday holiday jumped over. Every round
    # leaves at least one holiday behind, so this ends after at most len(off) + 1 rounds.
    while remaining:
        reached = _add_weekdays(day, remaining)
        remaining = sum(1 for h in off if day < h <= reached and h.weekday() < 5)
        day = reached
    return day


def previous_business_day(day: date, holidays: Collection[date] = ()) -> date:
    """The day itself if it is a business day, otherwise the closest business day before it."""
    off = set(holidays)
    while not is_business_day(day, off):
        day -= timedelta(days=1)
    return day


def end_date(start: date, period: NoticePeriod, holidays: Collection[date] = ()) -> date:
    """The calendar day on which the notice runs out."""
    match period.kind:
        case "days":
            return start + timedelta(days=period.count)
        case "weeks":
            return start + timedelta(weeks=period.count)
        case "months":
            return start + relativedelta(months=period.count)
        case "business_days":
            return add_business_days(start, period.count, holidays)
        case "until":
            assert period.until is not None
            if period.until < start:
                raise InvalidInput(
                    f"notice end date {period.until.isoformat()} is before the conversation "
                    f"date {start.isoformat()}",
                    hint="pick a date on or after the day notice was given",
                )
            return period.until
        case "end_of_month":
            return start + relativedelta(day=31)
    raise ValueError(f"unknown notice period kind {period.kind!r}")


def last_working_day(start: date, period: NoticePeriod, holidays: Collection[date] = ()) -> date:
    """The last business day of the notice, or the start if the notice holds none."""
    off = set(holidays)
    return max(start, previous_business_day(end_date(start, period, off), off))


def days_remaining(last_day: date, today: date) -> int:
    """Calendar days from today to last_day; negative once it has passed."""
    return (last_day - today).days

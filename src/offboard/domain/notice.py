"""Notice periods: what the user types, when the notice runs out, and the last day of work.

The conversation date (`start`) is the day notice was given; callers always pass it in, and
this module never reads the system clock.

Rules:

- `parse_period` reads the short forms offboard stores, in any case and with any spacing. A
  bare number means days; "working days" is another name for business days; "end of the month"
  equals "end of month"; a count may be followed by "to the end of a calendar month". Counts are
  whole numbers from 0 up to roughly ten years (3650 days, 520 weeks, 120 months, 2600 business
  days). A whole clause as a contract writes it is read by domain/clauses.py, which gives the
  same NoticePeriod; `describe()` is the short form stored, and reads back the same.
- `end_date` is the calendar day the notice runs out. Months count from the start and shrink to
  the end of a shorter month (31 January plus one month is the last day of February).
  Business days count forward from the day after the start, skipping weekends and the days off
  (see domain/workdays.py: a calendar or a plain set of dates). A period "to the end of a
  calendar month" runs on from there to the last day of that month. "end of month" is the last
  day of the start's month; "until" is the date given, which must not be before the start.
- `last_working_day` steps back from the end date over weekends and holidays, but never to a day
  before the start: when no business day falls between the two, the start itself is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .errors import InvalidInput
from .validate import iso_date
from .workdays import Holidays, NotAWorkingDay, calendar, check_working_day

ACCEPTED_FORMS = (
    '"14 days", "2 weeks", "1 month", "10 business days", "until 2027-01-31", "end of month"'
)

KINDS = ("days", "weeks", "months", "business_days", "until", "end_of_month")

# Each limit is about ten years, so a typo such as "300 months" is caught before it is saved.
LIMITS = {"days": 3650, "weeks": 520, "months": 120, "business_days": 2600}

_UNITS = {
    "day": "days",
    "week": "weeks",
    "month": "months",
    "business day": "business_days",
    "working day": "business_days",
}

# Input is lower-cased and its whitespace collapsed to single spaces before matching.
# re.ASCII keeps \d to 0-9, so digits from other scripts are not taken for a count.
_COUNT = re.compile(
    r"(\d+) ?(?:(day|week|month|business day|working day)s?)?"
    r"( to the end of (?:a |the )?(?:calendar )?month)?",
    re.ASCII,
)
_UNTIL = re.compile(r"until (\S+)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_END_OF_MONTH = re.compile(r"end of (?:the )?month")

# A notice period is a few words; a whole pasted clause is read by domain/clauses.py.
_MAX_TEXT = 200

_SINGULAR = {
    "days": "day",
    "weeks": "week",
    "months": "month",
    "business_days": "business day",
}


TO_MONTH_END = "to the end of a calendar month"
FROM_NOTICE = "from the day notice is given"


@dataclass(frozen=True)
class NoticePeriod:
    """A parsed notice period. `count` is used by the counting kinds, `until` by "until".
    `to_month_end`: once the count has run, the notice runs on to the end of that calendar
    month ("3 months to the end of a calendar month", "end of the following month")."""

    kind: str
    count: int = 0
    until: date | None = None
    to_month_end: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown notice period kind {self.kind!r}")
        if self.count < 0:
            raise ValueError("a notice period cannot count backwards")
        if (self.kind == "until") != (self.until is not None):
            raise ValueError('a date belongs with kind "until" and only there')
        if self.kind in ("until", "end_of_month") and self.count:
            raise ValueError(f"kind {self.kind!r} takes no count")
        if self.kind in ("until", "end_of_month") and self.to_month_end:
            raise ValueError(f"kind {self.kind!r} has its own end")

    @property
    def unit(self) -> str:
        """days, weeks or months ("" for a fixed date or the end of the month)."""
        if self.kind == "business_days":
            return "days"
        return self.kind if self.kind in LIMITS else ""

    @property
    def business(self) -> bool:
        """Counted in business days (else in calendar days)."""
        return self.kind == "business_days"

    def describe(self) -> str:
        """The short form offboard stores; parse_period reads it back to this same period."""
        if self.kind == "until":
            assert self.until is not None
            return f"until {self.until.isoformat()}"
        if self.kind == "end_of_month":
            return "end of month"
        unit = _SINGULAR[self.kind]
        text = f"{self.count} {unit}" if self.count == 1 else f"{self.count} {unit}s"
        return f"{text} {TO_MONTH_END}" if self.to_month_end else text

    def explain(self) -> str:
        """What was understood, in words: "1 month, calendar days, from the day notice is
        given"."""
        if self.kind == "until":
            assert self.until is not None
            return f"until {self.until.isoformat()}, a fixed date"
        if self.kind == "end_of_month":
            return "to the end of the month in which notice is given"
        unit = _SINGULAR["days" if self.business else self.kind]
        amount = f"{self.count} {unit}" if self.count == 1 else f"{self.count} {unit}s"
        counted = "business days" if self.business else "calendar days"
        anchor = TO_MONTH_END if self.to_month_end else FROM_NOTICE
        return f"{amount}, {counted}, {anchor}"


def too_long(text: str, kind: str) -> InvalidInput:
    return InvalidInput(
        f"notice period {text!r} is longer than this app allows",
        hint=f"at most {LIMITS[kind]} {kind.replace('_', ' ')}",
    )


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
        count = int(digits) if len(digits) <= 6 else LIMITS[kind] + 1
        if count > LIMITS[kind]:
            raise too_long(text, kind)
        return NoticePeriod(kind, count, to_month_end=bool(match.group(3)))

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


def is_business_day(day: date, holidays: Holidays = ()) -> bool:
    """Monday to Friday, and not a day off."""
    return day.weekday() < 5 and calendar(holidays).why_off(day) is None


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


def _add_skipping(start: date, n: int, off: frozenset[date]) -> date:
    # Jump ignoring holidays, then make up for each weekday holiday jumped over. Every round
    # leaves at least one holiday behind, so this ends after at most len(off) + 1 rounds.
    day, remaining = start, n
    while remaining:
        reached = _add_weekdays(day, remaining)
        remaining = sum(1 for h in off if day < h <= reached and h.weekday() < 5)
        day = reached
    return day


def add_business_days(start: date, n: int, holidays: Holidays = ()) -> date:
    """The n-th business day after start; start itself when n is 0."""
    if n < 0:
        raise ValueError("cannot add a negative number of business days")
    cal = calendar(holidays)
    # A calendar is asked for the days off of a window only. Twice the count plus two weeks
    # holds the answer unless close to half the weekdays are off; the window doubles until the
    # answer falls inside it, and then every day off that could matter was counted.
    span = 2 * n + 14
    while True:
        last = start + timedelta(days=span) if date.max - start > timedelta(days=span) else date.max
        reached = _add_skipping(start, n, cal.off_between(start + timedelta(days=1), last))
        if reached <= last or last == date.max:
            return reached
        span *= 2


def previous_business_day(day: date, holidays: Holidays = ()) -> date:
    """The day itself if it is a business day, otherwise the closest business day before it."""
    cal = calendar(holidays)
    while not is_business_day(day, cal):
        day -= timedelta(days=1)
    return day


def _counted_end(start: date, period: NoticePeriod, holidays: Holidays) -> date:
    match period.kind:
        case "days":
            return start + timedelta(days=period.count)
        case "weeks":
            return start + timedelta(weeks=period.count)
        case "months":
            return start + relativedelta(months=period.count)
        case "business_days":
            return add_business_days(start, period.count, holidays)
    raise ValueError(f"unknown notice period kind {period.kind!r}")


def end_date(start: date, period: NoticePeriod, holidays: Holidays = ()) -> date:
    """The calendar day on which the notice runs out."""
    match period.kind:
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
    end = _counted_end(start, period, holidays)
    # relativedelta's day=31 is the last day of that month, whatever its length.
    return end + relativedelta(day=31) if period.to_month_end else end


def last_working_day(start: date, period: NoticePeriod, holidays: Holidays = ()) -> date:
    """The last business day of the notice, or the start if the notice holds none."""
    cal = calendar(holidays)
    return max(start, previous_business_day(end_date(start, period, cal), cal))


def check_last_day(
    start: date, period_text: str, last_day: date, holidays: Holidays = ()
) -> NotAWorkingDay | None:
    """Whether a recorded last working day (of notice given on `start`) is a day off with
    today's calendar: why, the next working day, and the last day counted anew. None when it
    is a working day. The record is not changed."""
    found = check_working_day(last_day, holidays)
    if found is None:
        return None
    try:
        period = parse_period(period_text) if period_text else None
        recounted = last_working_day(start, period, holidays) if period else None
    except InvalidInput:
        recounted = None
    return replace(found, recounted=recounted)


def days_remaining(last_day: date, today: date) -> int:
    """Calendar days from today to last_day; negative once it has passed."""
    return (last_day - today).days

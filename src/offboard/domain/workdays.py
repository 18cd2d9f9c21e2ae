"""Working days: Monday to Friday, less the days off a calendar names.

Which days are off comes from outside the domain. The public holidays of a country come from
the `holidays` package, whose data changes with every release and costs tens of milliseconds to
load; offboard/workcalendar.py builds a calendar from it and the user's own days off, and the
services and front ends pass that calendar in. Keeping the package out of here keeps the
domain's results a function of its arguments (a test hands in a fixed set of dates and knows
the answer), and keeps the domain importable without the package's data.

Everything that counts business days accepts either such a calendar (anything with
`off_between` and `why_off`, see DaysOff) or a plain collection of dates, as the config's own
days off have always been given.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol, TypeAlias, cast, runtime_checkable

from .errors import InvalidInput

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@runtime_checkable
class DaysOff(Protocol):
    """Days that are not worked besides Saturdays and Sundays."""

    def off_between(self, first: date, last: date) -> frozenset[date]:
        """The days off from `first` to `last`, both included (weekend days may be among
        them; they change nothing)."""
        ...

    def why_off(self, day: date) -> str | None:
        """What makes `day` a day off ("May Day, a public holiday in FI", "one of your own
        days off"), or None when it is not one. Weekends are not asked about."""
        ...


# What every business-day computation takes: a calendar, or just the dates that are off.
Holidays: TypeAlias = DaysOff | Collection[date]


@dataclass(frozen=True)
class FixedDaysOff:
    """A calendar that is a fixed set of dates, all off for the same reason."""

    days: frozenset[date] = frozenset()
    reason: str = "a day off"

    def off_between(self, first: date, last: date) -> frozenset[date]:
        return frozenset(d for d in self.days if first <= d <= last)

    def why_off(self, day: date) -> str | None:
        return self.reason if day in self.days else None


def calendar(holidays: Holidays) -> DaysOff:
    """`holidays` as a calendar: a plain collection of dates becomes a FixedDaysOff."""
    # The test `isinstance(holidays, DaysOff)` makes, by hand: against a runtime-checkable
    # Protocol, Python 3.11 lists the protocol's members afresh on every call, and counting
    # business days asks this once per day counted.
    if (
        getattr(holidays, "off_between", None) is not None
        and getattr(holidays, "why_off", None) is not None
    ):
        return cast(DaysOff, holidays)
    return FixedDaysOff(frozenset(cast(Collection[date], holidays)))


def why_not_working(day: date, holidays: Holidays = ()) -> str | None:
    """Why `day` is not a working day ("a Saturday", the calendar's reason), or None when it
    is one."""
    if day.weekday() >= 5:
        return f"a {_WEEKDAY_NAMES[day.weekday()]}"
    return calendar(holidays).why_off(day)


def is_working_day(day: date, holidays: Holidays = ()) -> bool:
    return why_not_working(day, holidays) is None


# Far more than any real calendar has off in a row (a long Eid holiday joined to a weekend
# and the user's own leave is a few weeks), so a calendar that says every day is off fails
# loudly instead of looping.
_LONGEST_BREAK = 366


def next_working_day(day: date, holidays: Holidays = ()) -> date:
    """The first working day after `day`."""
    cal = calendar(holidays)
    for step in range(1, _LONGEST_BREAK + 1):
        candidate = day + timedelta(days=step)
        if candidate.weekday() < 5 and cal.why_off(candidate) is None:
            return candidate
    raise ValueError(f"no working day within a year after {day.isoformat()}")


@dataclass(frozen=True)
class NotAWorkingDay:
    """A recorded day (the last working day of a notice) that turns out not to be worked,
    because the calendar changed after it was recorded: a country set, a holiday added."""

    day: date
    why: str
    next_working: date
    # The day the same notice counted anew with today's calendar gives, when it can be
    # counted again (a day off now skipped, so often a day earlier than `next_working`).
    recounted: date | None = None

    def message(self, what: str = "the last working day") -> str:
        text = (
            f"{what}, {self.day.isoformat()}, is not a working day ({self.why}); "
            f"the next working day is {self.next_working.isoformat()}"
        )
        if self.recounted is not None and self.recounted != self.next_working:
            text += f", and counted anew the notice ends on {self.recounted.isoformat()}"
        return text


def check_working_day(day: date, holidays: Holidays = ()) -> NotAWorkingDay | None:
    """None when `day` is a working day; otherwise why not, and the next one. Nothing is
    changed: the caller shows it and the user decides."""
    why = why_not_working(day, holidays)
    if why is None:
        return None
    return NotAWorkingDay(day, why, next_working_day(day, holidays))


# A country whose public holidays count: ISO 3166 alpha-2, and a region after a dash as the
# holidays package names it ("DE-BY", "GB-ENG", "FR-Zone A").
_COUNTRY = re.compile(r"([A-Za-z]{2})(?:-([A-Za-z0-9][A-Za-z0-9 ]{0,39}))?")


def country_code(value: Any) -> str:
    """A country as stored on a client or in the config: "" (none) or its code, upper-cased.

    Only the shape is checked here, as for a stored record: whether the holidays package
    knows the country is checked where one is chosen (offboard/workcalendar.py), so a client
    saved with a country an older package knew still loads."""
    if not isinstance(value, str):
        raise InvalidInput("the country must be text, e.g. FI")
    text = value.strip()
    if not text:
        return ""
    found = _COUNTRY.fullmatch(text)
    if found is None:
        raise InvalidInput(
            f"country {text[:40]!r} is not a country code",
            "a two-letter code such as GB, FI, TR, CZ, DE, US; a region after a dash (DE-BY)",
        )
    code, region = found.group(1).upper(), found.group(2)
    return f"{code}-{region}" if region else code

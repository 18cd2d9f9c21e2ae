"""The one source of time. Nothing else in offboard asks the system for the date."""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ONE_SECOND = dt.timedelta(seconds=1)


class Clock(Protocol):
    def today(self) -> dt.date: ...

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real clock, in local time."""

    def today(self) -> dt.date:
        return dt.date.today()

    def now(self) -> dt.datetime:
        return dt.datetime.now().astimezone().replace(microsecond=0)


class FixedClock:
    """A clock stopped on one day, for tests, demos and screenshots.

    `now()` advances by one second per call so history events keep their order.
    """

    def __init__(self, day: dt.date, hour: int = 9) -> None:
        self._day = day
        self._now = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)

    def today(self) -> dt.date:
        return self._day

    def now(self) -> dt.datetime:
        current = self._now
        self._now = current + _ONE_SECOND
        return current

    def set_today(self, day: dt.date) -> None:
        self._day = day
        self._now = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def parse_iso_date(text: str, what: str = "date") -> dt.date:
    """Parse YYYY-MM-DD strictly; the message says what was expected."""
    from .errors import InvalidInput

    try:
        # fromisoformat alone would also take "20261122" and week dates like "2026-W47-1".
        if not _ISO_DATE.fullmatch(text.strip()):
            raise ValueError
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{what} {text!r} is not a valid date", "use YYYY-MM-DD, e.g. 2026-12-31"
        ) from None

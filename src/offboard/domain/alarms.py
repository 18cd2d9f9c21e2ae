"""Reminders before a deadline, as the calendar export writes them: "3d 09:00" is three days
before the deadline at nine in the morning, "0d 09:00" the morning of the day itself.

One rule reads them wherever they are typed or stored (the config file, `offboard config set`,
the settings screen); the calendar file turns each into an alarm relative to the start of an
all-day event, which is midnight of the deadline's day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput

ALARM_FORMS = 'days before and a time, e.g. "3d 09:00" (three days before), "0d 09:00" (the day)'
DEFAULT_ALARMS = ("3d 09:00", "0d 09:00")
MAX_ALARMS = 10
MAX_DAYS_BEFORE = 365
DEFAULT_TIME = dt.time(9)

# "3d 09:00", "3 days 9:00", "3d at 09:00", "3d" (at the default time) or "09:00" (on the day).
_ALARM = re.compile(
    r"(?:(?P<days>\d{1,4})\s*d(?:ays?)?)?\s*(?:at\s+)?(?:(?P<hour>\d{1,2}):(?P<minute>\d{2}))?",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True)
class Alarm:
    days_before: int
    at: dt.time = DEFAULT_TIME

    def __str__(self) -> str:
        return f"{self.days_before}d {self.at:%H:%M}"

    def offset(self) -> dt.timedelta:
        """From midnight of the deadline's day to the alarm: "3d 09:00" is -3 days + 9 hours,
        which calendar apps show as "3 days before, 09:00" on an all-day event."""
        return dt.timedelta(days=-self.days_before, hours=self.at.hour, minutes=self.at.minute)


def alarm(value: Any) -> Alarm:
    """One alarm as typed or stored ("3d 09:00"); InvalidInput says what is accepted."""
    if not isinstance(value, str):
        raise InvalidInput(f"an alarm must be text like {DEFAULT_ALARMS[0]!r}")
    text = value.strip()
    found = _ALARM.fullmatch(text)
    if not text or found is None or not (found["days"] or found["hour"]):
        raise InvalidInput(f"{value!r} is not an alarm", f"write {ALARM_FORMS}")
    days = int(found["days"] or 0)
    if days > MAX_DAYS_BEFORE:
        raise InvalidInput(
            f"{value!r} is more than {MAX_DAYS_BEFORE} days before", "choose a nearer day"
        )
    at = DEFAULT_TIME
    if found["hour"]:
        hour, minute = int(found["hour"]), int(found["minute"])
        if hour > 23 or minute > 59:
            raise InvalidInput(f"{value!r} has no such time of day", "use 00:00 to 23:59")
        at = dt.time(hour, minute)
    return Alarm(days, at)


def alarms(value: Any) -> tuple[str, ...]:
    """A list of alarms (a list of texts, or one text with "," or ";" between them), each
    written the one way `alarm` reads back ("3d 09:00"), repeats dropped. Empty: no alarms."""
    if isinstance(value, str):
        value = [part for part in re.split(r"[,;]", value) if part.strip()]
    if not isinstance(value, list | tuple):
        raise InvalidInput("alarms must be a list of texts", f"write {ALARM_FORMS}")
    found: list[str] = []
    for item in value:
        written = str(alarm(item))
        if written not in found:
            found.append(written)
    if len(found) > MAX_ALARMS:
        raise InvalidInput(f"{len(found)} alarms are more than {MAX_ALARMS}", "keep fewer")
    return tuple(found)


def read_alarms(written: Iterable[str]) -> tuple[Alarm, ...]:
    """The alarms of a setting `alarms` has already checked."""
    return tuple(alarm(text) for text in written)

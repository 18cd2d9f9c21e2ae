"""Calendar files (.ics, RFC 5545) of deadlines, written and read back with the icalendar
package.

Each deadline is an all-day event with alarms, under an id that stays the same for as long as
the deadline exists, so importing a newer file updates the events a calendar app already
holds instead of adding copies. To tell a calendar app what changed, a new export is made
against the previous file at the same place: an event whose date or text changed gets the
next SEQUENCE and a new LAST-MODIFIED, an unchanged one keeps both, and an event whose
deadline is gone is written once more as cancelled (and stays so, untouched, in later
exports for CANCELLED_KEPT; then it is left out, so the file does not grow for ever). A file
there that offboard did not write is refused, never replaced.

Text comes from client records, so it is cleaned before it is written: control characters
go, line breaks become the one break iCalendar escapes, and very long text is cut short. The
escaping itself (";", ",", "\\", line folding) is the library's.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from icalendar import Alarm, Calendar, Event, vBroken

from .domain.errors import InvalidInput, OffboardError
from .files import FileRefused, describe_os_error, read_own, write_atomically

# What marks a file as one of ours (a foreign calendar is never overwritten).
PRODID = "-//offboard//deadlines//EN"
CALENDAR_NAME = "offboard deadlines"
UID_DOMAIN = "offboard"
# Far beyond any export of 50,000 clients' deadlines: a bigger file is not ours.
MAX_ICS_BYTES = 64 * 1024 * 1024
MAX_SUMMARY = 200
MAX_DESCRIPTION = 4000

CANCELLED = "CANCELLED"
# How long a cancelled event stays in later exports: long enough for any calendar app that is
# fed the file now and then to have seen the cancellation.
CANCELLED_KEPT = dt.timedelta(days=90)
CONFIRMED = "CONFIRMED"

_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def clean_text(text: str, limit: int = MAX_DESCRIPTION, *, one_line: bool = False) -> str:
    """`text` as it can stand in a calendar file and reads back the same: no control
    characters, surrogates or noncharacters; every line break one "\\n" (a space with
    `one_line`); at most `limit` characters, the cut marked with an ellipsis."""
    text = _BREAKS.sub(" " if one_line else "\n", text).replace("\t", " ")
    kept = "".join(ch for ch in text if ch == "\n" or not _unwritable(ch))
    if len(kept) > limit:
        kept = kept[: limit - 1].rstrip() + "…"
    return kept


def _unwritable(ch: str) -> bool:
    code = ord(ch)
    noncharacter = 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE
    return noncharacter or unicodedata.category(ch) in ("Cc", "Cs")


@dataclass(frozen=True)
class CalendarEvent:
    """One deadline as an event: its date, texts and alarms (offsets from midnight of `day`,
    the start of the all-day event)."""

    uid: str
    day: dt.date
    summary: str
    description: str
    category: str
    alarms: tuple[dt.timedelta, ...] = ()
    alarm_text: str = ""
    status: str = CONFIRMED

    def cleaned(self) -> CalendarEvent:
        return CalendarEvent(
            self.uid,
            self.day,
            clean_text(self.summary, MAX_SUMMARY, one_line=True),
            clean_text(self.description),
            clean_text(self.category, MAX_SUMMARY, one_line=True).replace(",", " "),
            tuple(sorted(set(self.alarms))) if self.status != CANCELLED else (),
            clean_text(self.alarm_text, MAX_SUMMARY, one_line=True),
            self.status,
        )

    def content(self) -> tuple[object, ...]:
        """What a calendar app must be told about when it changes."""
        return (self.day, self.summary, self.description, self.category, self.alarms, self.status)


@dataclass(frozen=True)
class KeptEvent:
    """An event of an earlier export, as read back from its file."""

    event: CalendarEvent
    sequence: int
    last_modified: dt.datetime | None


@dataclass(frozen=True)
class Rendered:
    """A calendar file's bytes, and what changed against the previous file."""

    payload: bytes
    events: int  # deadlines in it (not counting cancelled ones)
    new: int
    changed: int
    cancelled: int  # cancelled by this export
    still_cancelled: int  # cancelled before, carried over


def render(
    events: Iterable[CalendarEvent],
    now: dt.datetime,
    previous: Mapping[str, KeptEvent] | None = None,
    *,
    in_scope: Callable[[str], bool] = lambda _uid: True,
) -> Rendered:
    """The calendar file for `events`, stamped `now` (an aware time). Against `previous`
    (an earlier export's events by UID; only those `in_scope` are this export's): changed
    events get the next SEQUENCE and LAST-MODIFIED `now`, unchanged ones keep theirs, and
    those no longer among `events` are cancelled."""
    stamp = now.astimezone(dt.UTC)
    earlier = {uid: kept for uid, kept in (previous or {}).items() if in_scope(uid)}
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    rows: list[tuple[CalendarEvent, int, dt.datetime]] = []
    new = changed = cancelled = still = 0
    current: dict[str, CalendarEvent] = {}
    for raw in events:
        event = raw.cleaned()
        if event.uid in current:
            raise ValueError(f"two events share the UID {event.uid}")
        current[event.uid] = event
        kept = earlier.get(event.uid)
        if kept is None:
            new += 1
            rows.append((event, 0, stamp))
        elif kept.event.content() == event.content():
            rows.append((event, kept.sequence, kept.last_modified or stamp))
        else:
            changed += 1
            rows.append((event, kept.sequence + 1, stamp))
    for uid, kept in earlier.items():
        if uid in current:
            continue
        if kept.event.status == CANCELLED:
            if kept.last_modified is not None and stamp - kept.last_modified > CANCELLED_KEPT:
                continue
            still += 1
            rows.append((kept.event, kept.sequence, kept.last_modified or stamp))
        else:
            cancelled += 1
            gone = replace(kept.event, status=CANCELLED, alarms=())
            rows.append((gone, kept.sequence + 1, stamp))
    rows.sort(key=lambda row: (row[0].day, row[0].uid))
    for event, sequence, modified in rows:
        cal.add_component(_vevent(event, sequence, modified, stamp))
    return Rendered(cal.to_ical(), len(current), new, changed, cancelled, still)


def _vevent(
    event: CalendarEvent, sequence: int, modified: dt.datetime, stamp: dt.datetime
) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", modified.astimezone(dt.UTC))
    vevent.add("sequence", sequence)
    vevent.add("dtstart", event.day)
    vevent.add("dtend", event.day + dt.timedelta(days=1))
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.category:
        vevent.add("categories", [event.category])
    vevent.add("status", event.status)
    # A deadline is a reminder, not a meeting: the day stays free in the user's calendar.
    vevent.add("transp", "TRANSPARENT")
    for offset in event.alarms:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.alarm_text or event.summary)
        alarm.add("trigger", offset)
        vevent.add_component(alarm)
    return vevent


# --- reading an earlier export back -------------------------------------------------------------


class _Unreadable(Exception):
    """Something in the file is not what offboard writes."""


def read_previous(path: Path) -> dict[str, KeptEvent] | None:
    """The events of the calendar offboard wrote at `path`, by UID; None if there is no file.

    Raises FileRefused for what cannot be read as a file of the user's own (a link, a folder,
    too big), and InvalidInput for a file that is not a calendar offboard wrote: it is then
    left as it is."""
    try:
        raw = read_own(path, MAX_ICS_BYTES)
    except FileNotFoundError:
        return None
    refused = InvalidInput(
        f"{path} is not a calendar offboard wrote, so it was not replaced",
        "choose another file, or move that one away first",
    )
    try:
        cal = Calendar.from_ical(raw.decode("utf-8"))
        if str(cal.get("prodid", "")) != PRODID:
            raise refused
        found: dict[str, KeptEvent] = {}
        for vevent in cal.walk("VEVENT"):
            kept = _kept(vevent)
            found[kept.event.uid] = kept
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, _Unreadable):
        # UnicodeDecodeError is a ValueError; so is what the parser says of a broken line.
        raise refused from None
    return found


def _kept(vevent: Any) -> KeptEvent:
    uid = _text_of(vevent, "uid")
    day = vevent.decoded("dtstart")
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date) or not uid:
        raise _Unreadable("not an all-day event of ours")
    sequence = vevent.decoded("sequence", 0)
    if not isinstance(sequence, int) or sequence < 0:
        raise _Unreadable("a broken SEQUENCE")
    modified = vevent.decoded("last-modified", None)
    if modified is not None and not isinstance(modified, dt.datetime):
        raise _Unreadable("a broken LAST-MODIFIED")
    categories = vevent.get("categories")
    category = ""
    if categories is not None:
        cats = getattr(categories, "cats", None)
        if not isinstance(cats, list) or len(cats) != 1:
            raise _Unreadable("not one category")
        category = str(cats[0])
    offsets = []
    alarm_text = ""
    for alarm in vevent.walk("VALARM"):
        offset = alarm.decoded("trigger")
        if not isinstance(offset, dt.timedelta):
            raise _Unreadable("an alarm at a fixed time")
        offsets.append(offset)
        alarm_text = _text_of(alarm, "description")
    event = CalendarEvent(
        uid,
        day,
        _text_of(vevent, "summary"),
        _text_of(vevent, "description"),
        category,
        tuple(sorted(set(offsets))),
        alarm_text,
        _text_of(vevent, "status") or CONFIRMED,
    )
    return KeptEvent(event, sequence, modified)


def _text_of(component: Any, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, vBroken | list):
        raise _Unreadable(f"a broken {name}")
    return str(value)


# --- writing --------------------------------------------------------------------------------------


def write(path: Path, payload: bytes) -> None:
    """Put the calendar at `path`: atomically, private to the user (0600), never through a
    link planted there. Raises OffboardError saying why nothing was written."""
    try:
        write_atomically(path, payload)
    except FileRefused:
        raise
    except OSError as exc:
        reason, hint = describe_os_error(exc, path)
        raise OffboardError(f"cannot write {path}: {reason}; nothing was written", hint) from None

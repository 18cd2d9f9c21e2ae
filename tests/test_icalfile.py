"""The calendar file on its own: text from client records that must not break it or add
properties, the alarm triggers calendar apps read, and the update rules between exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings, strategies as st
from icalendar import Calendar

from offboard.domain.alarms import Alarm
from offboard.icalfile import (
    CANCELLED_KEPT,
    MAX_DESCRIPTION,
    MAX_SUMMARY,
    CalendarEvent,
    clean_text,
    read_previous,
    render,
)

NOW = dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
DAY = dt.date(2026, 12, 1)

HOSTILE = [
    "line one\r\nDTSTART:19700101\r\nBEGIN:VALARM",
    "bare CR\rand LF\nand NEL\x85 and LS\u2028 PS\u2029 VT\x0b FF\x0c",
    "NUL\x00 BEL\x07 ESC\x1b[31m DEL\x7f C1\x9b",
    "semi;colon, comma \\ backslash \\n not a newline \\, ;",
    "quotes \"double\" 'single' and: colon",
    "non-BMP 😀 𝄞 🏳️‍🌈 and combining e\u0301",
    "lone surrogate \ud800 noncharacter \ufffe \U0010ffff",
    "x" * 10_000,
    "",
]


def event(uid: str = "a@offboard", day: dt.date = DAY, **changes: object) -> CalendarEvent:
    fields: dict[str, object] = {
        "summary": "Invoice: Acme Ltd",
        "description": "invoice A-7 due: £1,250.50",
        "category": "invoice",
        "alarms": (Alarm(3).offset(), Alarm(0).offset()),
        **changes,
    }
    return CalendarEvent(uid, day, **fields)  # type: ignore[arg-type]


def parsed(payload: bytes) -> dict[str, object]:
    return {str(e["uid"]): e for e in Calendar.from_ical(payload).walk("VEVENT")}


def written(tmp_path: Path, payload: bytes) -> Path:
    path = tmp_path / "cal.ics"
    path.write_bytes(payload)
    return path


def test_alarm_triggers_are_the_ones_calendar_apps_show_as_days_before_at_a_time() -> None:
    payload = render([event()], NOW).payload
    # For an all-day event starting at 0:00: 3 days before at 09:00, and 09:00 on the day.
    assert b"TRIGGER:-P2DT15H\r\n" in payload
    assert b"TRIGGER:PT9H\r\n" in payload
    assert b"DTSTART;VALUE=DATE:20261201\r\n" in payload
    assert b"DTEND;VALUE=DATE:20261202\r\n" in payload
    assert b"TRANSP:TRANSPARENT\r\n" in payload


def test_hostile_text_reads_back_cleaned_and_injects_nothing() -> None:
    events = [
        event(f"e{i}@offboard", summary=text, description=text, category=text, alarm_text=text)
        for i, text in enumerate(HOSTILE)
    ]
    payload = render(events, NOW).payload
    lines = payload.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert b"\x00" not in payload
    names = [line.split(b":")[0].split(b";")[0] for line in lines if line and line[:1] != b" "]
    assert names.count(b"BEGIN") == 1 + len(HOSTILE) * 3  # the calendar, events, 2 alarms each
    assert b"DTSTART" in names and names.count(b"DTSTART") == len(HOSTILE)
    back = parsed(payload)
    for i, text in enumerate(HOSTILE):
        got = back[f"e{i}@offboard"]
        summary = str(got["summary"])
        assert summary == clean_text(text, MAX_SUMMARY, one_line=True)
        assert "\n" not in summary and len(summary) <= MAX_SUMMARY
        assert str(got.get("description", "")) == clean_text(text)
        assert len(str(got.get("description", ""))) <= MAX_DESCRIPTION
        assert got.decoded("dtstart") == DAY


def test_clean_text_keeps_what_can_be_written() -> None:
    assert clean_text("a\r\nb\rc\u2028d\x00e\tf") == "a\nb\nc\nde f"
    assert clean_text("a\nb", one_line=True) == "a b"
    assert clean_text("😀 𝄞 e\u0301 ;,\\") == "😀 𝄞 e\u0301 ;,\\"
    cut = clean_text("word " * 100, 20)
    assert len(cut) <= 20 and cut.endswith("…")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_text_reads_back_as_cleaned(summary: str, description: str) -> None:
    payload = render([event(summary=summary, description=description)], NOW).payload
    [got] = parsed(payload).values()
    assert str(got["summary"]) == clean_text(summary, MAX_SUMMARY, one_line=True)
    assert str(got.get("description", "")) == clean_text(description)


def test_a_file_read_back_counts_as_unchanged(tmp_path: Path) -> None:
    events = [event(f"e{i}@offboard", summary=t, description=t) for i, t in enumerate(HOSTILE)]
    first = render(events, NOW)
    previous = read_previous(written(tmp_path, first.payload))
    assert previous is not None and len(previous) == len(HOSTILE)
    second = render(events, LATER, previous)
    assert (second.new, second.changed, second.cancelled) == (0, 0, 0)
    for uid, got in parsed(second.payload).items():
        assert got.decoded("sequence") == 0
        assert got.decoded("last-modified") == NOW, uid
        assert got.decoded("dtstamp") == LATER


def test_what_changes_an_event(tmp_path: Path) -> None:
    base = render([event()], NOW)
    previous = read_previous(written(tmp_path, base.payload))
    for change in (
        {"day": DAY + dt.timedelta(days=1)},
        {"summary": "Invoice: Acme Group"},
        {"description": "invoice A-7 due: £1,000.00"},
        {"alarms": (Alarm(1).offset(),)},
    ):
        again = render([event(**change)], LATER, previous)  # type: ignore[arg-type]
        [got] = parsed(again.payload).values()
        assert (again.changed, got.decoded("sequence")) == (1, 1), change
        assert got.decoded("last-modified") == LATER


def test_gone_events_are_cancelled_once_and_then_left_as_they_are(tmp_path: Path) -> None:
    first = render([event("a@offboard"), event("b@offboard")], NOW)
    second = render([event("a@offboard")], LATER, read_previous(written(tmp_path, first.payload)))
    assert (second.events, second.cancelled) == (1, 1)
    gone = parsed(second.payload)["b@offboard"]
    assert str(gone["status"]) == "CANCELLED" and gone.decoded("sequence") == 1
    assert gone.decoded("last-modified") == LATER and gone.walk("VALARM") == []
    third_at = LATER + dt.timedelta(days=1)
    third = render(
        [event("a@offboard")], third_at, read_previous(written(tmp_path, second.payload))
    )
    assert (third.cancelled, third.still_cancelled) == (0, 1)
    still = parsed(third.payload)["b@offboard"]
    assert str(still["status"]) == "CANCELLED" and still.decoded("sequence") == 1
    assert still.decoded("last-modified") == LATER


def test_a_cancellation_is_carried_for_a_while_then_dropped(tmp_path: Path) -> None:
    # A calendar app that imported any export in the meantime has seen the cancellation; after
    # CANCELLED_KEPT it is dropped, so a file exported for years does not keep every deadline
    # that ever was.
    first = render([event("a@offboard"), event("b@offboard")], NOW)
    second = render([event("a@offboard")], LATER, read_previous(written(tmp_path, first.payload)))
    cancelled_file = written(tmp_path, second.payload)
    edge = LATER + CANCELLED_KEPT
    kept = render([event("a@offboard")], edge, read_previous(cancelled_file))
    assert "b@offboard" in parsed(kept.payload) and kept.still_cancelled == 1
    dropped = render(
        [event("a@offboard")], edge + dt.timedelta(days=1), read_previous(cancelled_file)
    )
    assert set(parsed(dropped.payload)) == {"a@offboard"} and dropped.still_cancelled == 0


def test_only_events_in_scope_are_carried_or_cancelled(tmp_path: Path) -> None:
    first = render([event("mine-1@offboard"), event("theirs-1@offboard")], NOW)
    previous = read_previous(written(tmp_path, first.payload))
    again = render([], LATER, previous, in_scope=lambda uid: uid.startswith("mine-"))
    assert set(parsed(again.payload)) == {"mine-1@offboard"}
    assert again.cancelled == 1


def test_no_file_is_no_previous_export(tmp_path: Path) -> None:
    assert read_previous(tmp_path / "missing.ics") is None

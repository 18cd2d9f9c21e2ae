"""The calendar export through the services, on a real database file: events and alarms read
back with the icalendar library, UIDs that survive changes, SEQUENCE and LAST-MODIFIED, the
cancellation of a deadline that went away, and the refusal of a file that is not ours."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from icalendar import Calendar

from offboard.config import Config
from offboard.domain.errors import InvalidInput, NotFound
from offboard.files import FileRefused
from offboard.formats import deadline_text
from offboard.services import Services
from offboard.services.calendar import client_token


def events(payload: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(payload)
    assert str(cal["prodid"]) == "-//offboard//deadlines//EN"
    found = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(found) == len(cal.walk("VEVENT")), "a UID is repeated"
    return found


def by_summary(payload: bytes) -> dict[str, object]:
    return {str(e["summary"]): e for e in events(payload).values()}


@pytest.fixture
def acme(services: Services):
    c = services.add_client("Acme Ltd", locale="en-GB", currency="GBP")
    services.add_invoice(c.id, "A-7", "1250.50", issued="today", due="+10")
    services.add_deliverable(c.id, "Logo files", "+5")
    services.add_repair(c.id, "weekly call", "+7")
    return services.resolve(c.id)


@pytest.fixture
def bo(services: Services):
    c = services.add_client("Bo Oy", locale="fi")
    services.decide(c.id, "offboard", "the account loses money")
    services.move(c.id, "preparation", force=True)
    services.record_conversation(c.id, "today", "phone", "30 days")
    services.move(c.id, "notice", force=True)
    return services.resolve(c.id)


def test_every_open_deadline_is_an_all_day_event_with_the_default_alarms(
    services: Services, acme, bo, clock, today
) -> None:
    before = clock.now()
    made = services.export_calendar()
    after = clock.now()
    found = events(made.payload)
    timers = services.timers()
    assert len(found) == len(timers) == 4
    assert made.path is None and made.rendered.new == 4
    for deadline in timers:
        [event] = [e for e in found.values() if e.decoded("dtstart") == deadline.due
                   and deadline.client_name in str(e["summary"])
                   and deadline.kind in [str(c) for c in e["categories"].cats]]  # fmt: skip
        assert event["dtstart"].params["VALUE"] == "DATE"
        assert event.decoded("dtend") == deadline.due + dt.timedelta(days=1)
        assert deadline_text(deadline) in str(event["description"])
        assert before < event.decoded("dtstamp") < after  # the services' clock, in UTC
        assert event.decoded("sequence") == 0 and str(event["status"]) == "CONFIRMED"
        alarms = event.walk("VALARM")
        # 3 days before at 09:00 and on the morning of the day (an all-day event starts at 0:00)
        triggers = sorted(a.decoded("trigger") for a in alarms)
        assert triggers == [dt.timedelta(days=-3, hours=9), dt.timedelta(hours=9)]
        assert {str(a["action"]) for a in alarms} == {"DISPLAY"}
        assert all(str(a["description"]) for a in alarms)
    summaries = set(by_summary(made.payload))
    assert summaries == {"Invoice: Acme Ltd", "Deliverable: Acme Ltd", "Review: Acme Ltd",
                         "Last day: Bo Oy"}  # fmt: skip
    invoice = by_summary(made.payload)["Invoice: Acme Ltd"]
    assert "£1,250.50" in str(invoice["description"])  # written as the CLI writes it


def test_the_stamp_comes_from_the_services_clock_never_the_wall_clock(
    services: Services, acme, clock
) -> None:
    clock.set_today(dt.date(2031, 5, 6))
    for event in events(services.export_calendar().payload).values():
        stamp = event.decoded("dtstamp")
        assert (stamp.date(), stamp.hour, stamp.utcoffset()) == (
            dt.date(2031, 5, 6),
            9,
            dt.timedelta(0),
        )


def test_the_alarms_follow_the_setting(services: Services, acme) -> None:
    services.config = Config(calendar_alarms=("1d 17:30", "7d 08:00"))
    for event in events(services.export_calendar().payload).values():
        triggers = sorted(a.decoded("trigger") for a in event.walk("VALARM"))
        assert triggers == [
            dt.timedelta(days=-7, hours=8),
            dt.timedelta(days=-1, hours=17, minutes=30),
        ]
    services.config = Config(calendar_alarms=())
    for event in events(services.export_calendar().payload).values():
        assert event.walk("VALARM") == []


def test_a_second_export_after_changes_keeps_every_uid_and_counts_up(
    services: Services, acme, bo, clock, tmp_path: Path
) -> None:
    out = tmp_path / "deadlines.ics"
    first = services.export_calendar(out=out)
    assert out.read_bytes() == first.payload
    before = by_summary(first.payload)
    first_uids = set(events(first.payload))

    # The deliverable moves, the invoice is paid, a new deadline appears; the rest stays.
    services.edit_record(acme.id, "deliverable", acme.deliverables[0].id, due="+9")
    services.record_payment(acme.id, "A-7")
    services.add_deliverable(acme.id, "Source files", "+12")
    second = services.export_calendar(out=out)
    after = events(second.payload)
    assert first_uids <= set(after), "an event lost its UID"
    assert (second.rendered.new, second.rendered.changed, second.rendered.cancelled) == (1, 1, 1)

    moved = after[str(before["Deliverable: Acme Ltd"]["uid"])]
    assert moved.decoded("dtstart") == clock.today() + dt.timedelta(days=9)
    assert moved.decoded("sequence") == 1
    assert moved.decoded("last-modified") > before["Deliverable: Acme Ltd"].decoded("last-modified")

    paid = after[str(before["Invoice: Acme Ltd"]["uid"])]
    assert str(paid["status"]) == "CANCELLED" and paid.decoded("sequence") == 1
    assert paid.walk("VALARM") == []  # nobody is reminded of a deadline that is gone

    for summary in ("Review: Acme Ltd", "Last day: Bo Oy"):
        same = after[str(before[summary]["uid"])]
        assert same.decoded("sequence") == 0
        assert same.decoded("last-modified") == before[summary].decoded("last-modified")

    [new_uid] = set(after) - first_uids
    assert after[new_uid].decoded("sequence") == 0
    assert "Source files" in str(after[new_uid]["description"])

    # Later exports: the cancelled event stays cancelled, its sequence unchanged; nothing
    # else changes when nothing changed.
    third = services.export_calendar(out=out)
    again = events(third.payload)
    assert set(again) == set(after)
    assert (third.rendered.new, third.rendered.changed, third.rendered.cancelled) == (0, 0, 0)
    for uid, event in after.items():
        assert again[uid].decoded("sequence") == event.decoded("sequence")
        assert again[uid].decoded("last-modified") == event.decoded("last-modified")
        assert str(again[uid]["status"]) == str(event["status"])


def test_a_deadline_that_comes_back_is_confirmed_again_under_its_uid(
    services: Services, acme, tmp_path: Path
) -> None:
    out = tmp_path / "deadlines.ics"
    uid = str(by_summary(services.export_calendar(out=out).payload)["Invoice: Acme Ltd"]["uid"])
    services.record_payment(acme.id, "A-7")
    services.export_calendar(out=out)
    services.undo()
    back = events(services.export_calendar(out=out).payload)[uid]
    assert str(back["status"]) == "CONFIRMED" and back.decoded("sequence") == 2
    assert len(back.walk("VALARM")) == 2


def test_a_renamed_client_and_a_new_amount_update_the_same_events(
    services: Services, acme, tmp_path: Path
) -> None:
    out = tmp_path / "deadlines.ics"
    first = events(services.export_calendar(out=out).payload)
    services.edit_client(acme.id, name="Acme Group")
    services.record_payment(acme.id, "A-7", "250.50")
    second = events(services.export_calendar(out=out).payload)
    assert set(second) == set(first)
    assert {e.decoded("sequence") for e in second.values()} == {1}
    assert all("Acme Group" in str(e["summary"]) for e in second.values())


def test_one_clients_export_holds_only_theirs_and_cancels_only_theirs(
    services: Services, acme, bo, tmp_path: Path
) -> None:
    out = tmp_path / "acme.ics"
    made = services.export_calendar("acme", out)
    assert made.client is not None and made.client.id == acme.id
    found = events(made.payload)
    assert len(found) == 3
    assert all(uid.startswith(client_token(acme.id) + "-") for uid in found)
    assert all("Acme Ltd" in str(e["summary"]) for e in found.values())

    # The whole agenda written over it, then one client again: Bo's events are not Acme's
    # to cancel, so they are left out, not cancelled.
    services.export_calendar(out=out)
    services.record_payment(acme.id, "A-7")
    again = events(services.export_calendar("acme", out).payload)
    assert set(again) == set(found)
    assert [str(e["status"]) for e in again.values()].count("CANCELLED") == 1


def test_without_a_file_every_event_is_new(services: Services, acme, tmp_path: Path) -> None:
    out = tmp_path / "deadlines.ics"
    services.export_calendar(out=out)
    services.edit_record(acme.id, "deliverable", acme.deliverables[0].id, due="+9")
    services.export_calendar(out=out)
    fresh = services.export_calendar()
    assert {e.decoded("sequence") for e in events(fresh.payload).values()} == {0}


def test_the_file_is_private_and_replaced_atomically(
    services: Services, acme, tmp_path: Path
) -> None:
    out = tmp_path / "deadlines.ics"
    services.export_calendar(out=out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    out.chmod(0o644)
    services.export_calendar(out=out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".deadlines")) == []


@pytest.mark.parametrize(
    "foreign",
    [
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Someone//Their calendar//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:x@y\r\nDTSTART;VALUE=DATE:20261201\r\nSUMMARY:Dentist\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n",
        b"my notes, not a calendar\n",
        b"",
        b"\xff\xfe\x00garbage",
        # ours in name, but broken inside
        b"BEGIN:VCALENDAR\r\nPRODID:-//offboard//deadlines//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:a@offboard\r\nDTSTART:garbage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nPRODID:-//offboard//deadlines//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:a@offboard\r\nDTSTART;VALUE=DATE:20261201\r\nSEQUENCE:lots\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n",
    ],
)
def test_a_file_offboard_did_not_write_is_refused_and_left_alone(
    services: Services, acme, tmp_path: Path, foreign: bytes
) -> None:
    out = tmp_path / "personal.ics"
    out.write_bytes(foreign)
    with pytest.raises(InvalidInput, match="is not a calendar offboard wrote"):
        services.export_calendar(out=out)
    assert out.read_bytes() == foreign


def test_a_link_or_a_folder_at_the_place_is_refused(
    services: Services, acme, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.ics"
    services.export_calendar(out=target)
    link = tmp_path / "link.ics"
    link.symlink_to(target)
    before = target.read_bytes()
    with pytest.raises(FileRefused, match="symbolic link"):
        services.export_calendar(out=link)
    assert link.is_symlink() and target.read_bytes() == before
    with pytest.raises(FileRefused, match="folder"):
        services.export_calendar(out=tmp_path)


def test_a_missing_folder_is_a_clear_error(services: Services, acme, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="does not exist") as refused:
        services.export_calendar(out=tmp_path / "nowhere" / "x.ics")
    assert "nothing was written" in str(refused.value)


def test_an_unknown_client_is_not_found(services: Services, acme) -> None:
    with pytest.raises(NotFound):
        services.export_calendar("nobody")


def test_names_with_hostile_text_read_back_as_they_are(services: Services, tmp_path) -> None:
    name = "Semi;colon, comma \\ back 😀 𝄞 " + "long" * 60
    c = services.add_client(name[:120])
    services.add_deliverable(c.id, 'BEGIN:VEVENT;x=1,"y" \\n END:VCALENDAR 🎉', "+3")
    payload = services.export_calendar().payload
    [event] = events(payload).values()
    stored = services.resolve(c.id)
    assert str(event["summary"]) == f"Deliverable: {stored.name}"
    assert f"deliver: {stored.deliverables[0].title}" in str(event["description"])
    lines = payload.split(b"\r\n")
    # Nothing the user typed starts a line of its own: no injected component or property.
    assert lines.count(b"BEGIN:VEVENT") == 1 and lines.count(b"END:VCALENDAR") == 1
    assert all(len(line) <= 75 for line in lines)


def test_default_places_sit_beside_the_database(services: Services, acme, db_path) -> None:
    assert services.calendar_path() == db_path.with_name("offboard.ics")
    one = services.calendar_path(acme)
    assert one.parent == db_path.parent
    assert one.name == f"offboard-acme-ltd-{acme.id[:8]}.ics"

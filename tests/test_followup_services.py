"""Follow-ups through the services on a real database file: recording one (dates in every form
a date field takes, working days with the client's calendar), marking it done, the chase a
payment reminder adds in the same change, editing and deleting through the record kinds; each
one change that undo takes back; refusals leave the file as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from offboard.domain.errors import InvalidInput, NotFound
from offboard.services import Services

D = dt.date.fromisoformat  # today is Sunday 2026-11-22


@pytest.fixture
def acme(services: Services) -> str:
    """Two invoices: A-1 overdue since 1 November, A-2 due in December."""
    client = services.add_client("Acme", email="ops@acme.example")
    services.add_invoice(client.id, "A-1", "500", issued=D("2026-10-01"), due=D("2026-11-01"))
    services.add_invoice(client.id, "A-2", "300", issued=D("2026-11-20"), due=D("2026-12-20"))
    return client.id


def test_a_follow_up_is_recorded_with_its_date_and_subject(services: Services, acme: str) -> None:
    client = services.add_follow_up(acme, "  Ask about the logo files ", "2026-12-01")
    [item] = client.follow_ups
    assert (item.on, item.about, item.invoice, item.done_on) == (
        D("2026-12-01"), "Ask about the logo files", None, None,
    )  # fmt: skip
    event = client.history[-1]
    assert (event.action, event.summary, event.new) == (
        "follow-up", "follow-up on 2026-12-01: Ask about the logo files", item.to_dict(),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("+7", "2026-11-29"), ("+5 wd", "2026-11-27"), ("friday", "2026-11-27"), ("today", None)],
)
def test_the_date_takes_every_form_a_date_field_takes(
    services: Services, acme: str, typed: str, meant: str | None
) -> None:
    client = services.add_follow_up(acme, "Call", typed)
    assert client.follow_ups[0].on == D(meant or "2026-11-22")


def test_working_days_count_with_the_clients_calendar(services: Services) -> None:
    # 24 and 25 December are Finnish holidays; in Britain the 24th is worked.
    fi = services.add_client("Puu Oy", country="FI").id
    gb = services.add_client("Tiles Ltd", country="GB").id
    services.clock.set_today(D("2026-12-23"))  # type: ignore[attr-defined]
    assert services.add_follow_up(fi, "Call", "+1 wd").follow_ups[0].on == D("2026-12-28")
    assert services.add_follow_up(gb, "Call", "+1 wd").follow_ups[0].on == D("2026-12-24")
    # Every other date typed in working days counts with the client's calendar too.
    assert services.add_deliverable(fi, "Logo", "+1 wd").deliverables[0].due == D("2026-12-28")
    client = services.add_invoice(fi, "F-1", "10", due="+1 wd")
    assert client.invoices[0].due == D("2026-12-28")
    assert services.resolve(fi).history[-2].summary == "deliverable: Logo, due 2026-12-28"


def test_linked_to_an_invoice_by_its_number(services: Services, acme: str) -> None:
    client = services.add_follow_up(acme, "Chase A-1", "+3", invoice="A-1")
    [bill] = [i for i in client.invoices if i.number == "A-1"]
    assert client.follow_ups[0].invoice == bill.id
    assert "(invoice A-1)" in client.history[-1].summary
    # Paid in full, it is no deadline any more: computed, the record is unchanged.
    assert [d.kind for d in services.timers()].count("follow-up") == 1
    client = services.record_payment(acme, "A-1")
    assert [d.kind for d in services.timers()].count("follow-up") == 0
    assert client.follow_ups[0].open


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        (("", "+1"), {}, InvalidInput, "the follow-up's subject is empty"),
        (("two\nlines", "+1"), {}, InvalidInput, "line break"),
        (("x" * 1000, "+1"), {}, InvalidInput, "characters long"),
        (("Call", "soon"), {}, InvalidInput, "the follow-up date 'soon' is not a valid date"),
        (("Call", "+0 wd"), {}, InvalidInput, "at least 1 working day"),
        (("Call", "+1"), {"invoice": "Z-9"}, NotFound, "no invoice matches 'Z-9'"),
    ],
)
def test_refusals_name_what_is_wrong_and_change_nothing(
    services: Services, acme: str, db_path: Path, args: tuple, kwargs: dict, error: type, words: str
) -> None:
    before = db_path.read_bytes()
    with pytest.raises(error) as caught:
        services.add_follow_up(acme, *args, **kwargs)
    assert words in caught.value.one_line()
    assert db_path.read_bytes() == before


def test_a_settled_invoice_cannot_be_chased(services: Services, acme: str) -> None:
    services.record_payment(acme, "A-1")
    with pytest.raises(InvalidInput, match="invoice A-1 is settled"):
        services.add_follow_up(acme, "Chase", "+1", invoice="A-1")


def test_an_unknown_client_is_not_found(services: Services, acme: str) -> None:
    with pytest.raises(NotFound):
        services.add_follow_up("nobody", "Call", "+1")


def test_marking_one_done_and_undoing_it(services: Services, acme: str) -> None:
    services.add_follow_up(acme, "Call", "+1")
    client = services.mark_follow_up_done(acme, on="-1")
    assert client.follow_ups[0].done_on == D("2026-11-21")
    assert client.history[-1].summary == "follow-up done on 2026-11-21: Call"
    assert services.timers() == [d for d in services.timers() if d.kind != "follow-up"]
    with pytest.raises(InvalidInput, match="already done on 2026-11-21"):
        services.mark_follow_up_done(acme, "Call")
    services.undo()
    assert services.resolve(acme).follow_ups[0].open


def test_which_one_is_done_must_be_clear(services: Services, acme: str) -> None:
    with pytest.raises(InvalidInput, match="Acme has no open follow-up"):
        services.mark_follow_up_done(acme)
    services.add_follow_up(acme, "Call", "+1")
    services.add_follow_up(acme, "Write", "+2")
    with pytest.raises(InvalidInput, match="2 open follow-ups"):
        services.mark_follow_up_done(acme)
    with pytest.raises(InvalidInput, match="in the future"):
        services.mark_follow_up_done(acme, "Write", on="+1")
    client = services.mark_follow_up_done(acme, "2")
    assert [f.open for f in client.follow_ups] == [True, False]


# --- the chase after a payment reminder -------------------------------------------------------


def remind(services: Services, ref: str, template: str = "payment-reminder", **kw: object):
    return services.record_letter(ref, template, "Reminder", "Please pay.", "email", **kw)


def test_a_payment_reminder_adds_a_chase_for_the_overdue_invoice(
    services: Services, acme: str
) -> None:
    client = remind(services, acme)
    [chase] = client.follow_ups
    [bill] = [i for i in client.invoices if i.number == "A-1"]  # A-2 is not due yet
    # Sunday 22nd + 7 working days: Tuesday 1 December.
    assert (chase.on, chase.about, chase.invoice) == (
        D("2026-12-01"), "Chase invoice A-1 if still unpaid", bill.id,
    )  # fmt: skip
    event = client.history[-1]
    assert event.action == "letter"
    assert "follow-up on 2026-12-01: Chase invoice A-1 if still unpaid" in event.summary
    assert event.new["follow_ups"] == [chase.to_dict()]
    # One change: one undo takes the letter and the follow-up.
    services.undo()
    client = services.resolve(acme)
    assert (client.letters, client.follow_ups) == ([], [])


def test_a_second_reminder_does_not_chase_twice(services: Services, acme: str) -> None:
    remind(services, acme, sent_on=D("2026-11-20"))
    client = remind(services, acme)
    assert len(client.follow_ups) == 1
    assert "follow-up" not in client.history[-1].summary


def test_other_letters_and_clients_paying_on_time_start_no_chase(
    services: Services, acme: str
) -> None:
    assert remind(services, acme, "thank-you").follow_ups == []
    services.record_payment(acme, "A-1")
    assert remind(services, acme).follow_ups == []


def test_editing_and_deleting_go_through_the_record_kinds(services: Services, acme: str) -> None:
    services.add_follow_up(acme, "Call", "+1")
    client = services.edit_record(acme, "follow-up", "Call", on="+3 wd", about="Call back")
    assert (client.follow_ups[0].on, client.follow_ups[0].about) == (D("2026-11-25"), "Call back")
    with pytest.raises(InvalidInput, match="cannot edit invoice"):
        services.edit_record(acme, "follow-up", "Call back", invoice="A-1")
    client = services.delete_record(acme, "follow-up", "Call back")
    assert client.follow_ups == []
    services.undo()
    assert services.resolve(acme).follow_ups[0].about == "Call back"


def test_a_follow_up_is_a_calendar_event_that_keeps_its_uid_and_ends_with_the_invoice(
    services: Services, acme: str, tmp_path: Path
) -> None:
    from icalendar import Calendar

    def follow_up_events(payload: bytes) -> dict[str, object]:
        cal = Calendar.from_ical(payload)
        return {
            str(e["uid"]): e for e in cal.walk("VEVENT") if str(e["summary"]).startswith("Foll")
        }

    out = tmp_path / "deadlines.ics"
    services.add_follow_up(acme, "Chase A-1", "+3", invoice="A-1")
    [(uid, event)] = follow_up_events(services.export_calendar(out=out).payload).items()
    assert str(event["summary"]) == "Follow-up: Acme"
    assert event.decoded("dtstart") == D("2026-11-25")
    # Moved and reworded: the same event, updated.
    services.edit_record(acme, "follow-up", "Chase A-1", on="+4", about="Phone about A-1")
    [(again, moved)] = follow_up_events(services.export_calendar(out=out).payload).items()
    assert again == uid and moved.decoded("dtstart") == D("2026-11-26")
    assert moved.decoded("sequence") == 1
    # Paid: the chase is no deadline any more, and its event is cancelled.
    services.record_payment(acme, "A-1")
    [(last, gone)] = follow_up_events(services.export_calendar(out=out).payload).items()
    assert last == uid and str(gone["status"]) == "CANCELLED"

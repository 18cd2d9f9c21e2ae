"""Follow-ups in the domain: when one is a deadline (computed, never stored), the chase a
payment reminder starts, and reading one back from a stored or imported record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from offboard.domain import followups
from offboard.domain.codec import client_from_dict, client_from_stored
from offboard.domain.errors import InvalidInput
from offboard.domain.followups import CHASE_WORKING_DAYS, chases, pending
from offboard.domain.ids import new_id
from offboard.domain.models import Client, FollowUp, Invoice, Payment
from offboard.domain.records import KINDS, Typed, cleaned
from offboard.domain.timers import KIND_LABELS, KIND_NOUNS, deadlines
from offboard.domain.workdays import FixedDaysOff

D = dt.date.fromisoformat
THU = D("2026-12-03")


def invoice(number: str, due: str, amount: str = "100.00", paid: str = "0") -> Invoice:
    bill = Invoice(number, Decimal(amount), D("2026-10-01"), D(due))
    if Decimal(paid):
        bill.payments.append(Payment(Decimal(paid), D("2026-11-01")))
    return bill


# --- when a follow-up is a deadline ---------------------------------------------------------


def test_an_open_follow_up_is_a_deadline_of_its_own_kind() -> None:
    item = FollowUp(D("2026-12-10"), "Ask whether the files arrived")
    client = Client("Acme", follow_ups=[item])
    [found] = deadlines(client)
    assert (found.kind, found.due, found.label, found.record) == (
        "follow-up", D("2026-12-10"), "Ask whether the files arrived", item.id,
    )  # fmt: skip
    assert found.countdown(THU) == "follow-up in 7d"
    assert "follow-up" in KIND_LABELS and KIND_NOUNS["follow-up"] == ("follow-up", "follow-ups")


def test_one_done_is_not_a_deadline_nor_open() -> None:
    item = FollowUp(D("2026-12-10"), "Call", done_on=D("2026-12-02"))
    client = Client("Acme", follow_ups=[item])
    assert not item.open and not pending(item, client)
    assert deadlines(client) == [] and followups.open_follow_ups(client) == []


@pytest.mark.parametrize(
    ("bill", "is_deadline"),
    [
        (invoice("A-1", "2026-11-01"), True),  # nothing paid
        (invoice("A-1", "2026-11-01", paid="40"), True),  # part paid
        (invoice("A-1", "2026-11-01", paid="100"), False),  # paid in full
    ],
)
def test_chasing_an_invoice_ends_once_it_is_paid_in_full(bill: Invoice, is_deadline: bool) -> None:
    item = FollowUp(D("2026-12-10"), "Chase A-1", bill.id)
    client = Client("Acme", invoices=[bill], follow_ups=[item])
    assert pending(item, client) is is_deadline
    assert [d.kind for d in deadlines(client)].count("follow-up") == int(is_deadline)
    # Nothing was changed on the record: it is still open, only no deadline.
    assert item.open


def test_a_written_off_invoice_has_nothing_left_to_chase() -> None:
    bill = invoice("A-1", "2026-11-01")
    bill.written_off = True
    item = FollowUp(D("2026-12-10"), "Chase A-1", bill.id)
    assert not pending(item, Client("Acme", invoices=[bill], follow_ups=[item]))


def test_one_whose_invoice_was_deleted_stays_the_users_reminder() -> None:
    item = FollowUp(D("2026-12-10"), "Chase A-1", new_id())
    client = Client("Acme", follow_ups=[item])
    assert followups.invoice_of(item, client) is None
    assert pending(item, client)


# --- the chase after a payment reminder -----------------------------------------------------


def test_each_overdue_unpaid_invoice_is_chased_seven_working_days_on() -> None:
    late, later = invoice("A-1", "2026-11-01"), invoice("A-2", "2026-12-02", paid="50")
    client = Client("Acme", invoices=[late, later])
    found = chases(client, THU)
    assert CHASE_WORKING_DAYS == 7
    # Thursday 3rd + 7 working days, over one weekend: Monday 14th.
    assert [(f.on, f.about, f.invoice) for f in found] == [
        (D("2026-12-14"), "Chase invoice A-1 if still unpaid", late.id),
        (D("2026-12-14"), "Chase invoice A-2 if still unpaid", later.id),
    ]
    assert client.follow_ups == []  # proposed, not added


def test_the_chase_skips_the_clients_days_off() -> None:
    client = Client("Acme", invoices=[invoice("A-1", "2026-11-01")])
    off = FixedDaysOff(frozenset({D("2026-12-07"), D("2026-12-08")}))
    assert [f.on for f in chases(client, THU, off)] == [D("2026-12-16")]


@pytest.mark.parametrize(
    "bill",
    [
        invoice("A-1", "2026-12-03"),  # due the day the reminder goes: not overdue yet
        invoice("A-1", "2026-12-20"),  # not due yet
        invoice("A-1", "2026-11-01", paid="100"),  # paid
    ],
)
def test_an_invoice_not_overdue_and_unpaid_is_not_chased(bill: Invoice) -> None:
    assert chases(Client("Acme", invoices=[bill]), THU) == []


def test_an_invoice_already_chased_by_an_open_follow_up_is_not_chased_twice() -> None:
    bill = invoice("A-1", "2026-11-01")
    client = Client("Acme", invoices=[bill])
    client.follow_ups = [FollowUp(D("2026-12-08"), "call them", bill.id)]
    assert chases(client, THU) == []
    # Once that one is done, the next reminder starts a new chase.
    client.follow_ups[0].done_on = THU
    assert len(chases(client, THU)) == 1


def test_added_names_what_a_change_added() -> None:
    before = Client("Acme", follow_ups=[FollowUp(THU, "old")])
    after = Client("Acme", id=before.id, follow_ups=[*before.follow_ups, FollowUp(THU, "new")])
    assert [f.about for f in followups.added(before, after)] == ["new"]


# --- stored and imported ----------------------------------------------------------------------


def stored(**records: Any) -> dict[str, Any]:
    data = Client("Acme", invoices=[invoice("A-1", "2026-11-01")]).to_dict()
    data.update(records)
    return data


def sound(**fields: Any) -> dict[str, Any]:
    item = FollowUp(D("2026-12-10"), "Chase A-1", done_on=D("2026-12-02")).to_dict()
    item.update(fields)
    return item


def test_a_follow_up_round_trips_through_the_dict() -> None:
    bill = invoice("A-1", "2026-11-01")
    client = Client("Acme", invoices=[bill])
    client.follow_ups = [FollowUp(THU, "Chase A-1", bill.id), FollowUp(THU, "Call", None, THU)]
    again = client_from_dict(client.to_dict())
    assert again.follow_ups == client.follow_ups
    assert again.to_dict() == client.to_dict()


def test_a_file_from_before_follow_ups_opens_cleanly() -> None:
    data = stored()
    del data["follow_ups"]
    client = client_from_stored(data)
    assert client.follow_ups == [] and client.damage == ()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("about", "Chase\nBcc: x@evil.example"),
        ("about", "a\x00b"),
        ("about", "a\x1b[2Jb"),
        ("about", "x" * 300_000),
        ("about", ""),
        ("about", None),
        ("about", {"a": 1}),
        ("on", "tomorrow"),
        ("on", "2026-13-01"),
        ("on", None),
        ("on", 12345),
    ],
)
def test_a_follow_up_without_a_date_or_a_readable_subject_is_left_out_and_named(
    field: str, value: Any
) -> None:
    data = stored(follow_ups=[sound(**{field: value})])
    client = client_from_stored(data)
    assert client.follow_ups == []
    assert f"follow_ups[0].{field}" in [p.path for p in client.damage]
    with pytest.raises(InvalidInput, match=r"follow_ups\[0\]"):
        client_from_dict(data)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("invoice", "A-1"),
        ("invoice", 7),
        ("done_on", "yesterday"),
        ("done_on", [1]),
        ("id", "not-a-uuid"),
    ],
)
def test_a_bad_link_done_day_or_id_keeps_the_follow_up_and_says_so(field: str, value: Any) -> None:
    data = stored(follow_ups=[sound(**{field: value})])
    client = client_from_stored(data)
    [item] = client.follow_ups
    assert item.about == "Chase A-1"
    assert f"follow_ups[0].{field}" in [p.path for p in client.damage]
    with pytest.raises(InvalidInput, match=r"follow_ups\[0\]"):
        client_from_dict(data)


def test_follow_ups_that_are_not_a_list_are_named() -> None:
    client = client_from_stored(stored(follow_ups={"a": 1}))
    assert client.follow_ups == [] and [p.path for p in client.damage] == ["follow_ups"]


def test_a_follow_up_is_a_record_kind_with_the_rules_it_was_added_with() -> None:
    kind = KINDS["follow-up"]
    assert (kind.attr, kind.label(FollowUp(THU, "Call"))) == ("follow_ups", "Call")
    typed = Typed(THU)
    assert cleaned(kind.rules, {"on": "+5 wd", "about": " Call "}, typed) == {
        "on": D("2026-12-10"),
        "about": "Call",
    }
    for bad in ({"about": "two\nlines"}, {"about": "  "}, {"done_on": "+1"}, {"on": "soon"}):
        with pytest.raises(InvalidInput):
            cleaned(kind.rules, bad, typed)

"""Deadlines: which count down, in what order, and the short texts shown on cards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from offboard.domain.models import (
    Channel,
    Client,
    Conversation,
    Deliverable,
    Invoice,
    Outcome,
    Payment,
    RepairAttempt,
    RepairOutcome,
    Stage,
)
from offboard.domain.timers import Deadline, agenda, deadlines, next_deadline

D = dt.date.fromisoformat
TODAY = D("2026-11-22")


def conversation(last_day: str = "2026-12-01") -> Conversation:
    return Conversation(D("2026-11-02"), Channel.PHONE, "30 days", D(last_day))


def invoice(number: str, due: str, amount: str = "100.00", *paid: str, **kw) -> Invoice:
    payments = [Payment(Decimal(p), D("2026-11-01")) for p in paid]
    return Invoice(number, Decimal(amount), D("2026-10-01"), D(due), payments, **kw)


def kinds(client: Client) -> list[str]:
    return [d.kind for d in deadlines(client)]


def deadline(kind: str, due: str, name: str = "Acme") -> Deadline:
    return Deadline("id-" + name, name, kind, D(due), "label")


# --- what counts down ----------------------------------------------------------------------------


def test_client_without_dates_has_no_deadlines():
    client = Client("Acme")
    assert deadlines(client) == []
    assert next_deadline(client) is None


@pytest.mark.parametrize(
    ("stage", "shown"),
    [
        (Stage.ASSESSMENT, False),
        (Stage.PREPARATION, False),
        (Stage.NOTICE, True),
        (Stage.HANDOVER, True),
        (Stage.SETTLEMENT, False),
        (Stage.CLOSED, False),
    ],
)
def test_last_day_counts_down_only_while_the_notice_runs(stage, shown):
    client = Client("Acme", stage=stage, conversation=conversation())
    assert ("last-day" in kinds(client)) is shown


def test_last_day_deadline_fields():
    client = Client("Acme", stage=Stage.NOTICE, conversation=conversation("2026-12-01"))
    (d,) = deadlines(client)
    assert d == Deadline(
        client.id, "Acme", "last-day", D("2026-12-01"), "last working day of the notice period"
    )


def test_repair_review_counts_down_until_the_attempt_has_an_outcome():
    open_attempt = RepairAttempt("weekly call", D("2026-11-01"), D("2026-11-29"))
    done = RepairAttempt("new contract", D("2026-09-01"), D("2026-10-01"), RepairOutcome.IMPROVED)
    client = Client("Acme", stage=Stage.REPAIR, repairs=[open_attempt, done])
    found = deadlines(client)
    assert [(d.kind, d.due, d.label) for d in found] == [
        ("review", D("2026-11-29"), "review repair: weekly call")
    ]


def test_deliverable_counts_down_until_done_and_only_with_a_due_date():
    client = Client(
        "Acme",
        stage=Stage.HANDOVER,
        deliverables=[
            Deliverable("brochure", D("2026-11-25")),
            Deliverable("logo", D("2026-11-23"), done=True),
            Deliverable("someday"),
        ],
    )
    assert [(d.kind, d.label) for d in deadlines(client)] == [("deliverable", "deliver: brochure")]


def test_invoice_counts_down_while_money_is_open():
    client = Client(
        "Acme",
        stage=Stage.SETTLEMENT,
        currency="USD",
        invoices=[
            invoice("A-1", "2026-11-30", "100.00", "40.00"),
            invoice("A-2", "2026-11-20", "100.00", "100.00"),
            invoice("A-3", "2026-11-10", "500.00", written_off=True),
        ],
    )
    found = deadlines(client)
    # The amount travels as data; each front end writes it in the client's language.
    assert [(d.kind, d.label, d.amount, d.currency) for d in found] == [
        ("invoice", "invoice A-1 due", Decimal("60.00"), "USD")
    ]


def test_closed_client_shows_no_review_deliverable_or_last_day():
    client = Client(
        "Acme",
        stage=Stage.CLOSED,
        outcome=Outcome.RETAINED,
        conversation=conversation(),
        repairs=[RepairAttempt("call", D("2026-11-01"), D("2026-11-29"))],
        deliverables=[Deliverable("brochure", D("2026-11-25"))],
        invoices=[invoice("A-1", "2026-11-30", "100.00", "100.00")],
    )
    assert deadlines(client) == []


def test_deadlines_of_one_client_are_sorted_by_date():
    client = Client(
        "Acme",
        stage=Stage.NOTICE,
        conversation=conversation("2026-12-01"),
        repairs=[RepairAttempt("call", D("2026-11-01"), D("2026-11-20"))],
        deliverables=[Deliverable("brochure", D("2026-11-25"))],
        invoices=[invoice("A-1", "2026-11-23")],
    )
    found = deadlines(client)
    assert [(d.kind, d.due.isoformat()) for d in found] == [
        ("review", "2026-11-20"),
        ("invoice", "2026-11-23"),
        ("deliverable", "2026-11-25"),
        ("last-day", "2026-12-01"),
    ]
    assert next_deadline(client) == found[0]


def test_same_day_deadlines_have_a_stable_order():
    client = Client(
        "Acme",
        stage=Stage.NOTICE,
        conversation=conversation("2026-11-25"),
        deliverables=[Deliverable("brochure", D("2026-11-25"))],
        invoices=[invoice("A-1", "2026-11-25")],
    )
    assert kinds(client) == ["deliverable", "invoice", "last-day"]


# --- countdown text and urgency ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "due", "text"),
    [
        ("last-day", "2026-12-01", "last day in 9d"),
        ("review", "2026-11-22", "review today"),
        ("invoice", "2026-11-19", "invoice 3d overdue"),
        ("deliverable", "2026-11-23", "deliverable in 1d"),
        ("review", "2026-11-21", "review 1d overdue"),
        ("invoice", "2027-11-22", "invoice in 365d"),
    ],
)
def test_countdown_text(kind, due, text):
    assert deadline(kind, due).countdown(TODAY) == text


@pytest.mark.parametrize(
    ("due", "days", "urgency"),
    [
        ("2026-10-01", -52, "overdue"),
        ("2026-11-21", -1, "overdue"),
        ("2026-11-22", 0, "today"),
        ("2026-11-23", 1, "soon"),
        ("2026-11-25", 3, "soon"),
        ("2026-11-26", 4, "near"),
        ("2026-12-06", 14, "near"),
        ("2026-12-07", 15, "later"),
    ],
)
def test_days_and_urgency_buckets(due, days, urgency):
    d = deadline("invoice", due)
    assert d.days(TODAY) == days
    assert d.urgency(TODAY) == urgency


def test_to_dict_for_json_output():
    d = Deadline("abc", "Acme", "last-day", D("2026-12-01"), "last working day")
    assert d.to_dict(TODAY) == {
        "client_id": "abc",
        "client": "Acme",
        "kind": "last-day",
        "due": "2026-12-01",
        "days": 9,
        "urgency": "near",
        "label": "last working day",
        "countdown": "last day in 9d",
        "amount": None,
        "currency": None,
    }


def test_countdown_moves_with_today():
    d = deadline("review", "2026-11-24")
    assert [d.countdown(TODAY + dt.timedelta(days=n)) for n in range(4)] == [
        "review in 2d",
        "review in 1d",
        "review today",
        "review 1d overdue",
    ]


# --- agenda --------------------------------------------------------------------------------------


def test_agenda_orders_by_date_then_client_name_then_kind():
    zed = Client(
        "zed studio",
        stage=Stage.NOTICE,
        conversation=conversation("2026-11-25"),
        invoices=[invoice("Z-1", "2026-11-23")],
    )
    acme = Client(
        "Acme",
        stage=Stage.HANDOVER,
        deliverables=[Deliverable("site", D("2026-11-25"))],
        invoices=[invoice("A-1", "2026-11-25")],
    )
    bolt = Client("Bolt", stage=Stage.REPAIR, repairs=[RepairAttempt("c", TODAY, D("2026-11-24"))])
    closed = Client("Old", stage=Stage.CLOSED, deliverables=[Deliverable("x", D("2026-11-22"))])
    found = agenda([zed, closed, acme, bolt])
    assert [(d.due.isoformat(), d.client_name, d.kind) for d in found] == [
        ("2026-11-23", "zed studio", "invoice"),
        ("2026-11-24", "Bolt", "review"),
        ("2026-11-25", "Acme", "deliverable"),
        ("2026-11-25", "Acme", "invoice"),
        ("2026-11-25", "zed studio", "last-day"),
    ]
    assert {d.client_id for d in found} == {zed.id, acme.id, bolt.id}


def test_agenda_of_nothing_is_empty():
    assert agenda([]) == []

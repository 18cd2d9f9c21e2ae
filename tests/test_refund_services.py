"""Refunds through the services on a real database file: recording one (given or suggested),
marking it paid out, editing and deleting it through the record kinds, each one change in the
history that undo takes back and redo brings again; refusals leave the file as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from offboard.domain.clock import FixedClock
from offboard.domain.errors import InvalidInput, NotFound, StaleEdit
from offboard.domain.fixes import Fix
from offboard.services import Services

D = dt.date.fromisoformat


@pytest.fixture
def ana(services: Services) -> str:
    """Paid 600 of a 1,000 invoice; two deliverables worth 400 (done) and 600 (open)."""
    client = services.add_client("Ana", email="ana@example.com", locale="fi")
    services.add_invoice(client.id, "F-1", "1000", issued=D("2026-10-01"))
    services.record_payment(client.id, "F-1", "600", on=D("2026-10-20"))
    services.add_deliverable(client.id, "Logo", value="400")
    services.add_deliverable(client.id, "Website", value="600,00")  # Finnish decimal comma
    services.set_deliverable_done(client.id, "Logo")
    return client.id


def test_a_deliverable_keeps_its_value_and_says_it_in_the_history(
    services: Services, ana: str
) -> None:
    client = services.resolve(ana)
    assert [d.value for d in client.deliverables] == [Decimal("400.00"), Decimal("600.00")]
    assert "worth 600.00 EUR" in client.history[-2].summary
    with pytest.raises(InvalidInput, match="the deliverable's value"):
        services.add_deliverable(ana, "Menu", value="lots")


def test_a_suggested_refund_is_recorded_with_its_figure(services: Services, ana: str) -> None:
    # 600 paid x 600 / 1000 not delivered = 360.00
    assert services.suggest_refund(ana).amount == Decimal("360.00")
    client = services.add_refund(ana, None, "The website will not be built", on="-2")
    [refund] = client.refunds
    assert (refund.amount, refund.currency, refund.on, refund.reason, refund.paid_out) == (
        Decimal("360.00"), "EUR", D("2026-11-20"), "The website will not be built", None,
    )  # fmt: skip
    event = client.history[-1]
    assert (event.action, event.summary) == (
        "refund", "refund of 360.00 EUR agreed: The website will not be built",
    )  # fmt: skip
    assert event.new == refund.to_dict()
    # What is already agreed is taken off the next suggestion.
    assert services.suggest_refund(ana).amount == Decimal("0.00")


def test_a_given_amount_in_the_clients_language_and_another_currency(
    services: Services, ana: str
) -> None:
    client = services.add_refund(ana, "1 250,50", "Workshop fee", currency="usd")
    assert (client.refunds[0].amount, client.refunds[0].currency) == (Decimal("1250.50"), "USD")


def test_a_refund_may_be_recorded_already_paid_out(services: Services, ana: str) -> None:
    client = services.add_refund(ana, "10", "Fee", on="-5", paid_out="-1")
    assert client.refunds[0].paid_out == D("2026-11-21")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": "0", "reason": "x"}, "the refund must be more than zero"),
        ({"amount": "-5", "reason": "x"}, "is negative"),
        ({"amount": "5", "reason": "  "}, "the refund's reason is empty"),
        ({"amount": "5", "reason": "x\ny"}, "the refund's reason"),
        ({"amount": "5", "reason": "x", "on": "+1"}, "the refund date 2026-11-23 is in the future"),
        ({"amount": "5", "reason": "x", "currency": "euro"}, "not a three-letter code"),
        ({"amount": "5", "reason": "x", "on": "-1", "paid_out": "-3"}, "before it was agreed"),
        ({"amount": "5", "reason": "x", "paid_out": "+2"}, "the payout date"),
    ],
)
def test_refusals_change_nothing(
    services: Services, ana: str, db_path: Path, kwargs: dict, message: str
) -> None:
    before = db_path.read_bytes()
    amount, reason = kwargs.pop("amount"), kwargs.pop("reason")
    with pytest.raises(InvalidInput, match=message):
        services.add_refund(ana, amount, reason, **kwargs)
    assert db_path.read_bytes() == before


def test_no_suggestion_is_refused_with_what_to_fill_in(services: Services, db_path: Path) -> None:
    bob = services.add_client("Bob").id
    services.add_invoice(bob, "B-1", "500")
    services.record_payment(bob, "B-1", "500")
    services.add_deliverable(bob, "Report")  # no value
    before = db_path.read_bytes()
    with pytest.raises(InvalidInput) as refused:
        services.add_refund(bob, None, "Report not written")
    assert refused.value.fix is Fix.DELIVERABLE_VALUE
    assert "no refund can be suggested: give the value of every deliverable first" in (
        refused.value.message
    )
    services.edit_record(bob, "deliverable", "Report", value="800")
    with pytest.raises(InvalidInput, match="the suggested refund is nothing"):
        services.set_deliverable_done(bob, "Report")
        services.add_refund(bob, None, "Report not written")
    assert db_path.read_bytes() != before  # the edit and the tick were saved, nothing else
    assert services.resolve(bob).refunds == []


def test_marking_paid_out_names_the_refund_when_several_are_open(
    services: Services, ana: str, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput, match="Ana has no refund waiting") as none:
        services.mark_refund_paid(ana)
    assert none.value.fix is Fix.REFUND
    services.add_refund(ana, "100", "Website", on="-3")
    services.add_refund(ana, "20", "Hosting", on="-3")
    with pytest.raises(InvalidInput, match=r"Ana has 2 refunds to pay out: .*Website.*Hosting"):
        services.mark_refund_paid(ana)
    client = services.mark_refund_paid(ana, "hosting", on="-1")
    assert [r.paid_out for r in client.refunds] == [None, D("2026-11-21")]
    assert client.history[-1].summary == "refund of 20.00 EUR paid out on 2026-11-21"
    # One left open: it need not be named.
    client = services.mark_refund_paid(ana)
    assert client.refunds[0].paid_out == D("2026-11-22")
    with pytest.raises(InvalidInput, match="already paid out on 2026-11-22"):
        services.mark_refund_paid(ana, "1")
    with pytest.raises(NotFound, match="no refund matches 'rent'"):
        services.mark_refund_paid(ana, "rent")
    with pytest.raises(InvalidInput, match="before it was agreed"):
        services.add_refund(ana, "5", "Late", on="today")
        services.mark_refund_paid(ana, "Late", on="-1")


def test_each_change_is_undone_and_redone(services: Services, ana: str) -> None:
    services.add_refund(ana, "100", "Website", on="-3")
    services.mark_refund_paid(ana)
    services.edit_record(ana, "refund", "Website", amount="120", paid_out="-1")
    assert services.resolve(ana).refunds[0].amount == Decimal("120.00")
    services.delete_record(ana, "refund", "Website")
    assert services.resolve(ana).refunds == []
    assert "deleted refund 'Website'" in services.undo()
    assert services.resolve(ana).refunds[0].paid_out == D("2026-11-21")
    services.undo()  # the edit
    assert services.resolve(ana).refunds[0].amount == Decimal("100.00")
    services.undo()  # paid out
    assert services.resolve(ana).refunds[0].paid_out is None
    services.undo()  # recorded
    assert services.resolve(ana).refunds == []
    services.redo()
    services.redo()
    refund = services.resolve(ana).refunds[0]
    assert (refund.amount, refund.paid_out) == (Decimal("100.00"), D("2026-11-22"))
    assert [e.summary for e in services.resolve(ana).history[-2:]] == [
        "redid: Ana: refund of 100.00 EUR agreed: Website",
        "redid: Ana: refund of 100.00 EUR paid out on 2026-11-22",
    ]


def test_an_edit_keeps_the_rules(services: Services, ana: str, db_path: Path) -> None:
    services.add_refund(ana, "100", "Website", on="-3")
    before = db_path.read_bytes()
    with pytest.raises(InvalidInput, match="before it was agreed"):
        services.edit_record(ana, "refund", "Website", paid_out="-4")
    with pytest.raises(InvalidInput, match="cannot edit id"):
        services.edit_record(ana, "refund", "Website", id="x")
    assert db_path.read_bytes() == before


def test_a_stale_refund_is_refused(services: Services, ana: str) -> None:
    rev = services.resolve(ana).rev
    services.add_refund(ana, "100", "Website")
    with pytest.raises(StaleEdit):
        services.mark_refund_paid(ana, expected_rev=rev)

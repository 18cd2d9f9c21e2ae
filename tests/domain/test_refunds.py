"""Refunds in the domain: the suggested amount (figures worked out by hand in the comments),
the day one is due, which one a letter is about, the closed gate, the agenda, the exit report,
the settlement checklist, and reading refunds and deliverable values back from stored and
older files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from insightkit import PLAIN

from offboard.domain import refunds
from offboard.domain.checklists import answered
from offboard.domain.codec import client_from_dict, client_from_stored
from offboard.domain.errors import InvalidInput
from offboard.domain.fixes import Fix
from offboard.domain.models import (
    Client,
    Contract,
    Deliverable,
    HistoryEvent,
    Invoice,
    Payment,
    Refund,
    Stage,
)
from offboard.domain.records import KINDS, Typed, cleaned
from offboard.domain.report import exit_report
from offboard.domain.stages import check_move
from offboard.domain.timers import KIND_LABELS, deadlines

D = dt.date.fromisoformat
TODAY = D("2026-11-22")


def dec(text: str) -> Decimal:
    return Decimal(text)


def paid_client(*paid: str, written_off: bool = False, currency: str = "EUR") -> Client:
    """A client with one invoice of 10,000 and these payments on it."""
    payments = [Payment(dec(p), D("2026-10-15")) for p in paid]
    invoice = Invoice(
        "F-1", dec("10000.00"), D("2026-10-01"), D("2026-10-31"), payments, written_off
    )
    return Client("Ana", currency=currency, invoices=[invoice])


def work(title: str, value: str | None, done: bool = False) -> Deliverable:
    return Deliverable(title, done=done, value=None if value is None else dec(value))


# --- the suggested amount ---------------------------------------------------------------------


def test_paid_times_the_share_not_delivered_by_value() -> None:
    client = paid_client("1200.00")
    client.deliverables = [work("Logo", "400", done=True), work("Website", "600")]
    found = refunds.suggest(client)
    # 1200 paid x 600 / 1000 not delivered = 720.00
    assert found.amount == dec("720.00") and found.currency == "EUR"
    assert found.why.plain() == (
        "1200.00 EUR paid × 600.00 EUR not delivered of 1000.00 EUR in 2 deliverables = 720.00 EUR"
    )
    assert found.fix is None


def test_rounded_half_up_to_the_cent() -> None:
    client = paid_client("100.00")
    client.deliverables = [work("A", "1", done=True), work("B", "1"), work("C", "6")]
    # 100 x 1 / 8 = 12.50 exactly; 100 x 7 / 8 = 87.50: no rounding yet
    assert refunds.suggest(client).amount == dec("87.50")
    client.deliverables = [work("A", "1", done=True), work("B", "2")]
    # 100 x 2 / 3 = 66.666... -> 66.67
    assert refunds.suggest(client).amount == dec("66.67")
    client = paid_client("0.01")
    client.deliverables = [work("A", "1", done=True), work("B", "1")]
    # 0.01 x 1 / 2 = 0.005 -> 0.01 (half up, not to even)
    assert refunds.suggest(client).amount == dec("0.01")


def test_payments_on_written_off_invoices_do_not_count() -> None:
    kept = paid_client("1000.00")
    lost = Invoice(
        "F-2", dec("500.00"), D("2026-10-01"), D("2026-10-31"),
        [Payment(dec("300.00"), D("2026-10-20"))], written_off=True,
    )  # fmt: skip
    kept.invoices.append(lost)
    kept.deliverables = [work("A", "1", done=True), work("B", "1")]
    # only the 1000 counts: 1000 x 1 / 2 = 500.00
    assert refunds.paid_total(kept) == dec("1000.00")
    assert refunds.suggest(kept).amount == dec("500.00")


def test_refunds_already_recorded_in_the_currency_are_taken_off() -> None:
    client = paid_client("1000.00")
    client.deliverables = [work("A", "1", done=True), work("B", "1")]
    first = Refund(dec("200.00"), "EUR", D("2026-11-20"), "part of B")
    other = Refund(dec("50.00"), "USD", D("2026-11-20"), "bank fee")
    client.refunds = [first, other]
    found = refunds.suggest(client)
    # 1000 x 1/2 = 500, less the 200 EUR already agreed (the USD one is never mixed in)
    assert found.amount == dec("300.00")
    assert found.why.plain().endswith("= 500.00 EUR, less 200.00 EUR already agreed")
    # Editing the first one: it does not count against itself.
    assert refunds.suggest(client, excluding=first.id).amount == dec("500.00")
    # More already agreed than the share: nothing more, never a negative amount.
    client.refunds = [Refund(dec("900.00"), "EUR", D("2026-11-20"), "all of it")]
    assert refunds.suggest(client).amount == dec("0.00")


def test_several_currencies_are_never_mixed() -> None:
    client = paid_client("1000.00", currency="GBP")
    client.deliverables = [work("A", "1", done=True), work("B", "1")]
    assert refunds.suggest(client).amount == dec("500.00")
    assert refunds.suggest(client, "GBP").currency == "GBP"
    found = refunds.suggest(client, "EUR")
    assert found.amount is None and found.currency == "EUR"
    assert "payments and deliverable values are in GBP" in found.why.plain()


def test_nothing_paid_says_so() -> None:
    client = paid_client()
    client.deliverables = [work("A", "1")]
    found = refunds.suggest(client)
    assert found.amount is None and found.fix is None  # no record is missing: none to point at
    assert "nothing has been paid" in found.why.plain()


def test_no_deliverables_says_what_to_record() -> None:
    found = refunds.suggest(paid_client("500.00"))
    assert found.amount is None and found.fix is Fix.DELIVERABLE_VALUE
    assert "no deliverables are recorded" in found.why.plain()


def test_every_deliverable_delivered_suggests_nothing() -> None:
    client = paid_client("500.00")
    client.deliverables = [work("A", "300", done=True), work("B", "200", done=True)]
    found = refunds.suggest(client)
    assert found.amount == dec("0.00")
    assert found.why.plain() == "every deliverable is delivered (2 deliverables): nothing to refund"


def test_partial_values_name_the_missing_ones_instead_of_guessing() -> None:
    client = paid_client("500.00")
    client.deliverables = [
        work("Logo", "300", done=True), work("Menu {v2}", None), work("Site", None, done=True),
    ]  # fmt: skip
    found = refunds.suggest(client)
    assert found.amount is None and found.fix is Fix.DELIVERABLE_VALUE
    # Braces in a title are the user's text, not a figure to fill in.
    assert found.why.plain() == (
        "give the value of every deliverable first; no value yet for the deliverables "
        "'Menu {v2}', 'Site'"
    )


def test_values_adding_up_to_nothing_are_no_base() -> None:
    client = paid_client("500.00")
    client.deliverables = [work("A", "0"), work("B", "0.00", done=True)]
    found = refunds.suggest(client)
    assert found.amount is None and "add up to nothing" in found.why.plain()


# --- when a refund is due, and which one a letter is about ------------------------------------


def test_due_after_the_clients_payment_terms_else_two_weeks() -> None:
    refund = Refund(dec("10.00"), "EUR", D("2026-11-20"), "x")
    assert refunds.due(refund, Client("Ana")) == D("2026-12-04")
    assert refunds.due(refund, Client("Ana", contract=Contract(payment_terms_days=30))) == D(
        "2026-12-20"
    )
    assert refunds.due(refund, Client("Ana", contract=Contract(payment_terms_days=0))) == D(
        "2026-11-20"
    )


def test_the_letter_is_about_the_latest_open_refund_else_the_latest() -> None:
    client = Client("Ana")
    assert refunds.for_letter(client) is None
    old = Refund(dec("10.00"), "EUR", D("2026-11-01"), "old", paid_out=D("2026-11-02"))
    a = Refund(dec("20.00"), "EUR", D("2026-11-10"), "a")
    b = Refund(dec("30.00"), "EUR", D("2026-11-05"), "b")
    c = Refund(dec("40.00"), "EUR", D("2026-11-10"), "c")
    client.refunds = [old]
    assert refunds.for_letter(client) is old
    client.refunds = [old, a, b]
    assert refunds.for_letter(client) is a  # latest agreed, not latest recorded
    client.refunds = [old, a, b, c]
    assert refunds.for_letter(client) is c  # same day: the one recorded last


# --- the closed gate, the checklist, the agenda, the report -----------------------------------


def settled(*refund_list: Refund) -> Client:
    client = Client("Ana", stage=Stage.SETTLEMENT, refunds=list(refund_list))
    client.lessons = []
    return client


def test_the_closed_gate_blocks_on_a_refund_not_paid_out_and_lists_it() -> None:
    open_one = Refund(dec("360.00"), "EUR", D("2026-11-20"), "website not built")
    other = Refund(dec("50.00"), "USD", D("2026-11-21"), "bank fee")
    check = check_move(settled(open_one, other), Stage.CLOSED)
    assert check.blocked
    [item] = [m for m in check.missing if m.fix is Fix.REFUND_PAID]
    assert item == (
        "2 refunds agreed and not paid out: 360.00 EUR (website not built), 50.00 USD (bank fee)"
    )
    open_one.paid_out = other.paid_out = D("2026-11-22")
    assert not check_move(settled(open_one, other), Stage.CLOSED).blocked


def test_the_checklist_refund_item_follows_the_same_rule() -> None:
    refund = Refund(dec("360.00"), "EUR", D("2026-11-20"), "website not built")
    assert "refund" not in answered(settled(), Stage.SETTLEMENT)
    assert "refund" not in answered(settled(refund), Stage.SETTLEMENT)
    refund.paid_out = D("2026-11-22")
    assert answered(settled(refund), Stage.SETTLEMENT)["refund"] == "the refund is paid out"


def test_a_refund_to_pay_out_is_on_the_agenda_in_its_own_currency() -> None:
    refund = Refund(dec("50.00"), "USD", D("2026-11-20"), "bank fee")
    client = Client("Ana", currency="EUR", contract=Contract(payment_terms_days=10))
    client.refunds = [refund, Refund(dec("9.00"), "EUR", D("2026-11-01"), "x", D("2026-11-02"))]
    [found] = deadlines(client)
    assert (found.kind, found.due, found.amount, found.currency) == (
        "refund", D("2026-11-30"), dec("50.00"), "USD",
    )  # fmt: skip
    assert found.label == "refund to pay out: bank fee"
    assert found.countdown(TODAY) == "refund in 8d"
    assert KIND_LABELS["refund"] == "refund"
    # Closed clients still owe the money: it stays on the agenda until paid out.
    client.stage = Stage.CLOSED
    assert [d.kind for d in deadlines(client)] == ["refund"]


def test_the_report_counts_refunds_paid_out_in_the_period_per_currency() -> None:
    created = HistoryEvent(dt.datetime(2026, 1, 5, 9), "me", "create", "added", None, "assessment")
    client = paid_client("1000.00")
    client.history = [created]
    client.refunds = [
        Refund(dec("100.00"), "EUR", D("2026-02-01"), "a", D("2026-02-10")),
        Refund(dec("40.00"), "USD", D("2026-02-01"), "b", D("2026-03-01")),
        Refund(dec("7.00"), "EUR", D("2026-02-01"), "not paid yet"),
        Refund(dec("5.00"), "EUR", D("2026-05-01"), "after", D("2026-08-01")),
    ]
    report = exit_report([client], D("2026-01-01"), D("2026-06-30"), TODAY, PLAIN)
    refunded = {m.currency: m.refunded for m in report.money}
    assert refunded == {"EUR": dec("100.00"), "USD": dec("40.00")}
    assert report.refunds_recorded is True


# --- reading back ------------------------------------------------------------------------------


def stored(**over: Any) -> dict[str, Any]:
    client = Client("Ana", id="5d0c7a2e-1c1f-4c52-8a55-9d1e0b6f3a10", currency="GBP")
    data = client.to_dict()
    data.update(over)
    return data


REFUND = {
    "id": "7b1e2f60-3a44-4c1b-9f0e-2d5c6a7b8c90",
    "amount": "360.00",
    "currency": "EUR",
    "on": "2026-11-20",
    "reason": "website not built",
    "paid_out": None,
}


def test_a_refund_and_a_value_round_trip_through_the_dict() -> None:
    client = Client("Ana")
    client.deliverables = [Deliverable("Logo", value=dec("400.00")), Deliverable("Site")]
    client.refunds = [Refund(dec("360.00"), "USD", D("2026-11-20"), "x", D("2026-11-21"))]
    again = client_from_dict(client.to_dict())
    assert again.deliverables == client.deliverables
    assert again.refunds == client.refunds
    assert client.to_dict()["refunds"][0] == {
        "id": client.refunds[0].id, "amount": "360.00", "currency": "USD",
        "on": "2026-11-20", "reason": "x", "paid_out": "2026-11-21",
    }  # fmt: skip


def test_a_file_from_before_refunds_and_values_opens_cleanly() -> None:
    data = stored(deliverables=[{"id": REFUND["id"], "title": "Logo", "due": None, "done": False}])
    del data["refunds"]
    client = client_from_stored(data)
    assert client.refunds == [] and client.deliverables[0].value is None
    assert client.damage == ()


def test_a_refund_without_a_currency_is_in_the_clients() -> None:
    refund = {k: v for k, v in REFUND.items() if k != "currency"}
    client = client_from_stored(stored(refunds=[refund]))
    assert client.refunds[0].currency == "GBP" and client.damage == ()


@pytest.mark.parametrize(
    ("field", "raw", "path"),
    [
        ("amount", "-5", "refunds[0].amount"),
        ("amount", None, "refunds[0].amount"),
        ("on", "tomorrow-ish", "refunds[0].on"),
    ],
)
def test_a_refund_without_what_it_cannot_exist_without_is_left_out_and_named(
    field: str, raw: Any, path: str
) -> None:
    refund = {**REFUND, field: raw}
    client = client_from_stored(stored(refunds=[refund]))
    assert client.refunds == []
    assert path in [p.path for p in client.damage]
    with pytest.raises(InvalidInput, match=r"refunds\[0\]"):
        client_from_dict(stored(refunds=[refund]))


def test_a_bad_payout_or_reason_keeps_the_money_and_says_so() -> None:
    refund = {**REFUND, "paid_out": "2026-11-01", "reason": None}
    client = client_from_stored(stored(refunds=[refund]))
    [kept] = client.refunds
    assert kept.amount == dec("360.00")
    found = {p.path: p.message for p in client.damage}
    assert "before it was agreed" in found["refunds[0].paid_out"]
    assert found["refunds[0].reason"] == "a refund needs its reason"
    bad_value = stored(deliverables=[{"title": "Logo", "value": "lots"}])
    assert "deliverables[0].value" in [p.path for p in client_from_stored(bad_value).damage]


def test_a_refund_is_a_record_kind_with_the_rules_it_was_added_with() -> None:
    kind = KINDS["refund"]
    assert (kind.attr, kind.editable) == ("refunds", True)
    typed = Typed(TODAY, decimal_comma=True)
    clean = cleaned(
        kind.rules,
        {"amount": "1 250,50", "currency": "usd", "on": "-2", "paid_out": ""},
        typed,
    )
    assert clean == {"amount": dec("1250.50"), "currency": "USD", "on": D("2026-11-20"),
                     "paid_out": None}  # fmt: skip
    with pytest.raises(InvalidInput, match="in the future"):
        cleaned(kind.rules, {"paid_out": "+1"}, typed)
    with pytest.raises(InvalidInput, match="more than zero"):
        cleaned(kind.rules, {"amount": "0"}, typed)
    with pytest.raises(InvalidInput, match="is empty"):
        cleaned(kind.rules, {"reason": "  "}, typed)
    refund = Refund(dec("1.00"), "EUR", D("2026-11-20"), "x", paid_out=D("2026-11-19"))
    with pytest.raises(InvalidInput, match="before it was agreed"):
        kind.check(refund, Client("Ana"))
    value = KINDS["deliverable"].rules["value"]
    assert value("", typed) is None and value("0", typed) == dec("0.00")

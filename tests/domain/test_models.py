"""The records: their dict form round-trips exactly; loading refuses anything that does not fit."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from offboard.domain.codec import client_from_dict
from offboard.domain.errors import InvalidInput
from offboard.domain.models import (
    CLIENT_FIELDS,
    Archetype,
    Assessment,
    Category,
    Channel,
    Client,
    Contract,
    Conversation,
    Decision,
    DecisionRecord,
    Deliverable,
    HandoverItem,
    HandoverKind,
    HandoverStatus,
    HistoryEvent,
    Invoice,
    Lesson,
    LessonCategory,
    LetterRecord,
    Outcome,
    Payment,
    RedFlag,
    RepairAttempt,
    RepairOutcome,
    Stage,
)
from offboard.domain.validate import amount as parse_amount, choice

D = dt.date.fromisoformat


def full_client() -> Client:
    """A client with every kind of record filled in, including the optional fields."""
    return Client(
        name="Ana Lima",
        id="0b6f3c1e-5d2a-4c8e-9f1a-2b3c4d5e6f70",
        email="ana@example.com",
        company="Lima Design",
        locale="de",
        currency="CHF",
        archetype=Archetype.SCOPE_CREEPER,
        stage=Stage.SETTLEMENT,
        outcome=Outcome.OFFBOARDED,
        created=D("2026-01-05"),
        contract=Contract(
            notice_period="30 days",
            termination_clause="Either party may end this with 30 days' notice.",
            contract_end=D("2027-03-31"),
            payment_terms_days=21,
            hourly_rate=Decimal("95.50"),
        ),
        flags=[
            RedFlag(Category.SCOPE, "asked for a second site for free", D("2026-03-02"), 3, "mail"),
            RedFlag(Category.PAYMENT, "paid 40 days late", D("2026-04-10"), 1),
        ],
        assessment=Assessment(
            revenue=Decimal("12000.00"),
            hours=Decimal("310.50"),
            financial="below target rate",
            operational="weekend calls",
            long_term="no referrals",
            recommendation=Decision.OFFBOARD,
            on=D("2026-05-01"),
        ),
        decision=DecisionRecord(Decision.OFFBOARD, "scope keeps growing", D("2026-05-04")),
        repairs=[
            RepairAttempt(
                "weekly check-in call",
                D("2026-05-05"),
                D("2026-06-05"),
                RepairOutcome.NO_CHANGE,
                "no change",
            ),
            RepairAttempt("change-order process", D("2026-06-10"), D("2026-07-10")),
        ],
        conversation=Conversation(D("2026-10-01"), Channel.PHONE, "30 days", D("2026-10-30")),
        checklist={"preparation": {"timing": "done", "referrals": "waived"}},
        deliverables=[
            Deliverable("final logo files", D("2026-10-20"), True),
            Deliverable("style guide"),
        ],
        handover=[
            HandoverItem(
                HandoverKind.CREDENTIAL,
                "CMS admin login",
                HandoverStatus.HANDED_OVER,
                D("2026-10-21"),
            ),
            HandoverItem(HandoverKind.FILE, "source files"),
        ],
        invoices=[
            Invoice(
                "2026-041",
                Decimal("1800.00"),
                D("2026-10-31"),
                D("2026-11-21"),
                [Payment(Decimal("800.00"), D("2026-11-10"))],
                final=True,
            ),
            Invoice(
                "2026-017", Decimal("250.00"), D("2026-04-01"), D("2026-04-15"), written_off=True
            ),
        ],
        letters=[
            LetterRecord(
                "notice-confirmation",
                "Our agreement",
                "Dear Ana, ...",
                Channel.EMAIL,
                D("2026-10-01"),
                "de",
            ),
        ],
        lessons=[
            Lesson(
                LessonCategory.CONTRACT_CLAUSE,
                "Ask for a change-order clause at intake.",
                D("2026-11-20"),
            )
        ],
        history=[
            HistoryEvent(
                dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
                "kim (tui)",
                "create",
                "added Ana Lima",
                None,
                "assessment",
            ),
            HistoryEvent(
                dt.datetime(2026, 10, 1, 15, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))),
                "kim (cli)",
                "move",
                "moved from preparation to notice",
                "preparation",
                {"nested": ["ok", 1]},
            ),
        ],
        rev=7,
    )


@pytest.fixture
def record() -> dict[str, Any]:
    return full_client().to_dict()


def load_with(record: dict[str, Any], path: tuple[Any, ...], value: Any) -> Client:
    """Set record[path...] = value on a copy and load it."""
    data = copy.deepcopy(record)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return client_from_dict(data)


# --- round trip ----------------------------------------------------------------------------------


def test_full_client_round_trips_to_an_equal_client():
    client = full_client()
    assert client_from_dict(client.to_dict()) == client


def test_full_client_round_trips_through_json_text():
    client = full_client()
    text = json.dumps(client.to_dict())
    again = client_from_dict(json.loads(text))
    assert again == client
    assert again.to_dict() == client.to_dict()


def test_every_field_of_a_client_is_written():
    assert set(full_client().to_dict()) == CLIENT_FIELDS


def test_round_trip_keeps_types_not_just_text():
    again = client_from_dict(json.loads(json.dumps(full_client().to_dict())))
    invoice = again.invoices[0]
    assert type(invoice.amount) is Decimal
    assert type(invoice.payments[0].amount) is Decimal
    assert type(again.contract.hourly_rate) is Decimal
    assert type(again.flags[0].on) is dt.date
    assert again.history[1].at.utcoffset() == dt.timedelta(hours=2)
    assert again.stage is Stage.SETTLEMENT
    assert again.repairs[0].outcome is RepairOutcome.NO_CHANGE
    assert again.repairs[1].outcome is None


def test_amounts_are_written_as_decimal_strings_never_floats(record):
    assert record["invoices"][0]["amount"] == "1800.00"
    assert record["invoices"][0]["payments"][0]["amount"] == "800.00"
    assert record["assessment"]["hours"] == "310.50"
    assert record["contract"]["hourly_rate"] == "95.50"


def test_minimal_record_loads_with_defaults():
    client = client_from_dict({"id": "0b6f3c1e-5d2a-4c8e-9f1a-2b3c4d5e6f70", "name": "Bo"})
    assert client.stage is Stage.ASSESSMENT
    assert client.outcome is None
    assert client.flags == [] and client.invoices == []
    assert client.currency == "EUR"


# --- strictness ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "field_words"),
    [
        (("flags", 0, "on"), "2026-02-30", "flag date"),
        (("flags", 0, "on"), "22/11/2026", "flag date"),
        (("flags", 0, "on"), "20261122", "flag date"),
        (("flags", 0, "on"), "2026-W47-1", "flag date"),
        (("flags", 0, "on"), 20261122, "flag date"),
        (("flags", 0, "on"), None, "flag date"),
        (("created",), "yesterday", "created"),
        (("invoices", 0, "due"), "2026-11-31", "invoices[0].due: the due date"),
        (("repairs", 0, "review"), "soon", "repairs[0].review: the review date"),
        (("conversation", "last_day"), "", "last working day"),
    ],
)
def test_bad_dates_are_refused_naming_the_field(record, path, value, field_words):
    with pytest.raises(InvalidInput) as err:
        load_with(record, path, value)
    text = err.value.one_line()
    assert field_words in text
    assert "YYYY-MM-DD" in text
    assert "Ana Lima" in text  # says which client


@pytest.mark.parametrize(
    ("path", "value", "what", "valid"),
    [
        (("stage",), "archived", "stage", [s.value for s in Stage]),
        (("flags", 0, "category"), "rudeness", "flag category", [c.value for c in Category]),
        (("archetype",), "vampire", "archetype", [a.value for a in Archetype]),
        (("conversation", "channel"), "pigeon", "channel", [c.value for c in Channel]),
        (("handover", 0, "kind"), "secret", "handover kind", [k.value for k in HandoverKind]),
        (("outcome",), "ghosted", "outcome", [o.value for o in Outcome]),
        (("repairs", 0, "outcome"), "meh", "repair outcome", [r.value for r in RepairOutcome]),
    ],
)
def test_bad_enum_values_are_refused_listing_the_valid_ones(record, path, value, what, valid):
    with pytest.raises(InvalidInput) as err:
        load_with(record, path, value)
    text = err.value.one_line()
    assert f"unknown {what} {value!r}" in text
    assert "choose one of: " + ", ".join(valid) in text


@pytest.mark.parametrize(
    "bad_id",
    [
        "not-a-uuid",
        "",
        "1234",
        None,
        42,
        # UUIDs in another spelling: ids are compared as text, so only the canonical form works
        "0B6F3C1E-5D2A-4C8E-9F1A-2B3C4D5E6F70",
        "0b6f3c1e5d2a4c8e9f1a2b3c4d5e6f70",
        "{0b6f3c1e-5d2a-4c8e-9f1a-2b3c4d5e6f70}",
    ],
)
def test_client_id_must_be_a_canonical_uuid(record, bad_id):
    with pytest.raises(InvalidInput) as err:
        load_with(record, ("id",), bad_id)
    assert f"client id {bad_id!r} is not a UUID" in err.value.one_line()


def test_missing_id_is_refused(record):
    del record["id"]
    with pytest.raises(InvalidInput, match="id"):
        client_from_dict(record)


@pytest.mark.parametrize("name", ["", "   ", None, 17])
def test_client_needs_a_name(record, name):
    with pytest.raises(InvalidInput, match="name"):
        load_with(record, ("name",), name)


@pytest.mark.parametrize("severity", [0, 4, -1, "x", None, "3", 2.0, True])
def test_flag_severity_outside_one_to_three_is_refused(record, severity):
    with pytest.raises(InvalidInput) as err:
        load_with(record, ("flags", 0, "severity"), severity)
    text = err.value.one_line()
    assert "severity" in text
    assert "1-3" in text


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("-5.00", "negative"),
        ("abc", "not a number"),
        ("", "not a number"),
        ("12.5.0", "not a number"),
        ("1.234", "more than two decimals"),
        ("NaN", "not a number"),
        ("Infinity", "not a number"),
        ("1e30", "not a number"),
        ("1" + "0" * 20, "too large"),
        ("1,50", "not a number"),  # a decimal comma must not silently become 150.00
        ("1,2345", "not a number"),
    ],
)
def test_bad_amounts_in_a_record_are_refused(record, value, problem):
    with pytest.raises(InvalidInput) as err:
        load_with(record, ("invoices", 0, "amount"), value)
    text = err.value.one_line()
    assert "invoice amount" in text
    assert problem in text
    assert repr(value) in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250", Decimal("1250.00")),
        ("1250.5", Decimal("1250.50")),
        (" 99.99 ", Decimal("99.99")),
        ("1,250.00", Decimal("1250.00")),
        ("12,345,678.90", Decimal("12345678.90")),
        (Decimal("7.1"), Decimal("7.10")),
        (3, Decimal("3.00")),
        ("0", Decimal("0.00")),
    ],
)
def test_parse_amount_accepts_plain_numbers_and_thousands_separators(text, expected):
    value = parse_amount(text)
    assert value == expected
    assert value.as_tuple().exponent == -2


def test_parse_amount_error_names_the_amount_and_shows_the_form():
    with pytest.raises(InvalidInput) as err:
        parse_amount("twelve", "payment")
    assert err.value.message == "payment 'twelve' is not a number"
    assert err.value.hint == "write it like 1250.00"


@pytest.mark.parametrize(
    "bad",
    [
        {"id": "x"},
        "a client",
        None,
        [],
        {
            "name": "Bo",
            "id": "0b6f3c1e-5d2a-4c8e-9f1a-2b3c4d5e6f70",
            "flags": [{"category": "scope"}],
        },
    ],
)
def test_malformed_records_raise_invalid_input_not_a_crash(bad):
    with pytest.raises(InvalidInput):
        client_from_dict(bad)


def test_choice_reads_user_spellings():
    assert choice(Archetype, "Scope Creeper", "archetype") is Archetype.SCOPE_CREEPER
    assert choice(Archetype, "scope_creeper", "archetype") is Archetype.SCOPE_CREEPER
    assert choice(Stage, " NOTICE ", "stage") is Stage.NOTICE
    assert choice(Stage, Stage.CLOSED, "stage") is Stage.CLOSED


def test_bad_history_timestamp_is_refused(record):
    with pytest.raises(InvalidInput, match="history time"):
        load_with(record, ("history", 0, "at"), "noonish")


# --- money arithmetic ----------------------------------------------------------------------------


def invoice(amount: str, *payments: str, written_off: bool = False) -> Invoice:
    return Invoice(
        "1",
        Decimal(amount),
        D("2026-11-01"),
        D("2026-11-15"),
        [Payment(Decimal(p), D("2026-11-10")) for p in payments],
        written_off=written_off,
    )


def test_invoice_with_no_payment_is_fully_outstanding():
    inv = invoice("100.00")
    assert inv.paid == Decimal("0.00")
    assert inv.outstanding == Decimal("100.00")
    assert not inv.settled


def test_partial_payments_add_up_exactly():
    inv = invoice("0.30", "0.10", "0.10")
    assert inv.paid == Decimal("0.20")
    assert inv.outstanding == Decimal("0.10")
    assert isinstance(inv.outstanding, Decimal)
    assert not inv.settled
    inv.payments.append(Payment(Decimal("0.10"), D("2026-11-12")))
    # 0.1 + 0.1 + 0.1 is not 0.3 in floats; here it must settle exactly.
    assert inv.outstanding == Decimal("0") and inv.settled


def test_written_off_invoice_is_settled_with_nothing_outstanding_but_keeps_its_payments():
    inv = invoice("500.00", "120.00", written_off=True)
    assert inv.outstanding == Decimal("0.00")
    assert inv.paid == Decimal("120.00")
    assert inv.settled


def test_overpaid_invoice_never_shows_negative_outstanding():
    inv = invoice("50.00", "60.00")
    assert inv.outstanding == Decimal("0.00")
    assert inv.settled


def test_client_outstanding_sums_open_invoices_only():
    client = Client("Bo")
    assert client.outstanding() == Decimal("0.00")
    client.invoices = [
        invoice("100.00", "40.00"),
        invoice("19.99"),
        invoice("1000.00", written_off=True),
        invoice("75.00", "75.00"),
    ]
    assert client.outstanding() == Decimal("79.99")
    assert isinstance(client.outstanding(), Decimal)


def test_full_client_outstanding():
    assert full_client().outstanding() == Decimal("1000.00")


def test_flag_counts_by_severity_includes_zero_counts():
    client = Client("Bo")
    assert client.flag_counts() == {1: 0, 2: 0, 3: 0}
    client.flags = [
        RedFlag(Category.TIME, "late", D("2026-01-01"), 3),
        RedFlag(Category.TIME, "late", D("2026-01-02"), 3),
        RedFlag(Category.SCOPE, "more", D("2026-01-03"), 1),
    ]
    assert client.flag_counts() == {1: 1, 2: 0, 3: 2}


# --- assessment ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("revenue", "hours", "rate"),
    [
        ("5000.00", "125.00", Decimal("40.00")),
        ("1000.00", "3.00", Decimal("333.33")),
        ("1000.00", "0.00", None),
        (None, "10.00", None),
        ("1000.00", None, None),
    ],
)
def test_effective_rate(revenue, hours, rate):
    a = Assessment(
        revenue=None if revenue is None else Decimal(revenue),
        hours=None if hours is None else Decimal(hours),
    )
    assert a.effective_rate() == rate
    if rate is not None:
        assert a.effective_rate().as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("kwargs", "filled"),
    [
        ({}, False),
        ({"revenue": Decimal("10")}, False),
        ({"hours": Decimal("10")}, False),
        ({"revenue": Decimal("10"), "hours": Decimal("2")}, True),
        ({"operational": "late-night calls"}, True),
        ({"long_term": "  "}, False),
        ({"recommendation": Decision.OFFBOARD}, False),
    ],
)
def test_assessment_filled_in(kwargs, filled):
    assert Assessment(**kwargs).filled_in is filled


def test_stage_order_and_labels():
    assert [s.order for s in Stage] == list(range(7))
    assert Stage.NOTICE.label == "Notice"
    assert Stage.ASSESSMENT.order < Stage.REPAIR.order < Stage.PREPARATION.order


@pytest.mark.parametrize("text", ["20261122", "2026-W47-1", "2026-11-22T10:00", "22/11/2026"])
def test_typed_dates_must_be_yyyy_mm_dd(text: str) -> None:
    from offboard.domain.clock import parse_iso_date

    with pytest.raises(InvalidInput) as err:
        parse_iso_date(text, "--on")
    assert "YYYY-MM-DD" in err.value.one_line()

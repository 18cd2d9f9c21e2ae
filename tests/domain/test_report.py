"""The exit report over five hand-built clients, every figure worked out by hand below.

Period: 2026-01-01 to 2026-06-30, today 2026-07-15. Weights: insightkit.PLAIN (severity points
2 / 6 / 12, every category 1.0; trouble: 0.5 a point per unpaid or unbilled hour, 5 per unpaid
invoice without a rate).

Alder  (EUR) in 2025-10-01, repair 01-10, preparation 02-09, notice 02-20, handover 03-22,
             settlement 04-01, closed 04-15, offboarded; decided 02-05 "pays late every month";
             non-payer. Flags: payment 3 on 2025-12-01, payment 2 on 01-20, communication 1 on
             05-01 (after it closed). Repair "Deposit up front" from 01-10: no change.
             Invoices: 1000 paid on 02-01; 500 of 03-01 written off; 300 of 04-10 open.
             Agreed 50/h; assessed 01-08: 2000 for 50 hours.
Birch  (GBP) in 2026-02-01, repair 03-01, kept 04-01 (retained). Flag scope 2 on 02-10.
             Repair "deposit  UP front" from 03-01: improved. Invoice 800 paid on 03-20.
Cedar  (EUR) in 2025-06-01, closed 2025-11-01 (before the period). Invoice 400 of 2025-09-01,
             100 paid on 02-10.
Dogwood(EUR) in 2026-01-01, preparation 03-01, notice 03-11, closed 05-01, offboarded, no
             decision recorded. Flags: time 2 on 02-01 and 02-02.
Elm    (USD) in 2026-03-01, still in assessment; assessed 05-02: 3000 for 100 hours at an
             agreed 60/h. Flags: abuse 3 on 06-01, time 1 on 06-02. Invoice 2400 of 05-01,
             200 paid on 07-10 (after the period).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from insightkit import PLAIN

from offboard.domain.models import (
    Archetype,
    Assessment,
    Category,
    Client,
    Contract,
    Decision,
    DecisionRecord,
    HistoryEvent,
    Invoice,
    Outcome,
    Payment,
    RedFlag,
    RepairAttempt,
    RepairOutcome,
    Stage,
)
from offboard.domain.report import Report, exit_report, stage_path
from offboard.domain.trouble import trouble

START, END, TODAY = dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 15)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text if text.startswith("20") else f"2026-{text}")


def event(day: str, action: str, new: object, old: object = None) -> HistoryEvent:
    at = dt.datetime.combine(d(day), dt.time(9), tzinfo=dt.UTC)
    return HistoryEvent(at, "test", action, action, old, new)


def moves(first: str, *steps: tuple[str, Stage]) -> list[HistoryEvent]:
    events = [event(first, "create", Stage.ASSESSMENT.value)]
    events += [event(day, "move", stage.value) for day, stage in steps]
    return events


def flag(category: Category, severity: int, day: str) -> RedFlag:
    return RedFlag(category, "x", d(day), severity)


def five_clients() -> list[Client]:
    alder = Client(
        "Alder",
        currency="EUR",
        archetype=Archetype.NON_PAYER,
        stage=Stage.CLOSED,
        outcome=Outcome.OFFBOARDED,
        contract=Contract(hourly_rate=Decimal("50")),
        assessment=Assessment(Decimal("2000"), Decimal("50"), on=d("01-08")),
        decision=DecisionRecord(Decision.OFFBOARD, "pays late every month", d("02-05")),
        flags=[
            flag(Category.PAYMENT, 3, "2025-12-01"),
            flag(Category.PAYMENT, 2, "01-20"),
            flag(Category.COMMUNICATION, 1, "05-01"),
        ],
        repairs=[RepairAttempt("Deposit up front", d("01-10"), d("02-01"),
                               RepairOutcome.NO_CHANGE)],
        invoices=[
            Invoice("A-1", Decimal("1000"), d("01-05"), d("01-19"),
                    [Payment(Decimal("1000"), d("02-01"))]),
            Invoice("A-2", Decimal("500"), d("03-01"), d("03-15"), written_off=True),
            Invoice("A-3", Decimal("300"), d("04-10"), d("04-24")),
        ],
        history=moves(
            "2025-10-01",
            ("01-10", Stage.REPAIR),
            ("02-09", Stage.PREPARATION),
            ("02-20", Stage.NOTICE),
            ("03-22", Stage.HANDOVER),
            ("04-01", Stage.SETTLEMENT),
            ("04-15", Stage.CLOSED),
        ),
    )  # fmt: skip
    birch = Client(
        "Birch",
        currency="GBP",
        stage=Stage.CLOSED,
        outcome=Outcome.RETAINED,
        decision=DecisionRecord(Decision.KEEP, "the call works", d("04-01")),
        flags=[flag(Category.SCOPE, 2, "02-10")],
        repairs=[RepairAttempt("deposit  UP front", d("03-01"), d("03-30"),
                               RepairOutcome.IMPROVED)],
        invoices=[Invoice("B-1", Decimal("800"), d("02-15"), d("03-01"),
                          [Payment(Decimal("800"), d("03-20"))])],
        history=[
            *moves("02-01", ("03-01", Stage.REPAIR)),
            event("04-01", "decide", {"decision": "keep", "reason": "the call works"}),
        ],
    )  # fmt: skip
    cedar = Client(
        "Cedar",
        currency="EUR",
        stage=Stage.CLOSED,
        outcome=Outcome.OFFBOARDED,
        invoices=[Invoice("C-1", Decimal("400"), d("2025-09-01"), d("2025-09-15"),
                          [Payment(Decimal("100"), d("02-10"))])],
        history=moves("2025-06-01", ("2025-11-01", Stage.CLOSED)),
    )  # fmt: skip
    dogwood = Client(
        "Dogwood",
        currency="EUR",
        stage=Stage.CLOSED,
        outcome=Outcome.OFFBOARDED,
        flags=[flag(Category.TIME, 2, "02-01"), flag(Category.TIME, 2, "02-02")],
        history=moves(
            "01-01",
            ("03-01", Stage.PREPARATION),
            ("03-11", Stage.NOTICE),
            ("05-01", Stage.CLOSED),
        ),
    )
    elm = Client(
        "Elm",
        currency="USD",
        contract=Contract(hourly_rate=Decimal("60")),
        assessment=Assessment(Decimal("3000"), Decimal("100"), on=d("05-02")),
        flags=[flag(Category.ABUSE, 3, "06-01"), flag(Category.TIME, 1, "06-02")],
        invoices=[Invoice("E-1", Decimal("2400"), d("05-01"), d("05-15"),
                          [Payment(Decimal("200"), d("07-10"))])],
        history=[*moves("03-01"), event("05-02", "assess", {})],
    )  # fmt: skip
    return [alder, birch, cedar, dogwood, elm]


@pytest.fixture
def report() -> Report:
    return exit_report(five_clients(), START, END, TODAY, PLAIN)


def test_counts(report: Report) -> None:
    c = report.counts
    # Cedar closed before the period: out. Assessed: Alder (01-08) and Elm (05-02). Repaired:
    # Alder and Birch. Retained: Birch. Offboarded: Alder and Dogwood.
    assert (c.in_scope, c.assessed, c.repaired, c.retained, c.offboarded) == (4, 2, 2, 1, 2)


def test_those_who_left(report: Report) -> None:
    alder, dogwood = report.leavers
    assert (alder.name, alder.closed, alder.decided) == ("Alder", d("04-15"), d("02-05"))
    assert alder.reason == "pays late every month" and alder.archetype == "non-payer"
    # The communication flag of 05-01 came after it closed.
    assert alder.flags == {Category.PAYMENT: 2}
    # From the first flag, 2025-12-01, to the decision, 2026-02-05: 30 + 31 + 5 days.
    assert alder.first_flag == d("2025-12-01") and alder.lead_days == 66
    # No decision recorded: from the first flag (02-01) to the day it closed (05-01).
    assert (dogwood.reason, dogwood.decided, dogwood.lead_days) == ("", d("05-01"), 89)
    assert report.archetypes == {"non-payer": 1, "none": 1}
    assert report.flags_before_exit == {Category.PAYMENT: 2, Category.TIME: 2}
    assert report.median_lead_days == 77.5  # (66 + 89) / 2


def test_repairs_by_strategy(report: Report) -> None:
    # The two spellings are one strategy, named as first written.
    (deposit,) = report.repairs
    assert deposit.strategy == "Deposit up front"
    assert (deposit.tried, deposit.improved, deposit.no_change, deposit.running) == (2, 1, 1, 0)
    assert deposit.success_rate == 0.5


def test_median_days_in_each_stage(report: Report) -> None:
    # Stays that ended in the period:
    # assessment: Alder 2025-10-01..01-10 = 101, Birch 02-01..03-01 = 28, Dogwood 01-01..03-01
    #   = 59 (Elm's is still running); repair: Alder 30, Birch 31; preparation: Alder 11,
    #   Dogwood 10; notice: Alder 30, Dogwood 51; handover: Alder 10; settlement: Alder 14.
    found = {s.stage: (s.stays, s.median_days) for s in report.stages}
    assert found == {
        Stage.ASSESSMENT: (3, 59.0),
        Stage.REPAIR: (2, 30.5),
        Stage.PREPARATION: (2, 10.5),
        Stage.NOTICE: (2, 40.5),
        Stage.HANDOVER: (1, 10.0),
        Stage.SETTLEMENT: (1, 14.0),
    }


def test_money_per_currency_never_summed_across(report: Report) -> None:
    lines = {m.currency: (m.earned, m.written_off, m.owed) for m in report.money}
    assert lines == {
        # Alder paid 1000 and Cedar 100 in the period; Alder's 500 written off; open at the
        # end: Alder's 300 and Cedar's 300.
        "EUR": (Decimal("1100"), Decimal("500"), Decimal("600")),
        "GBP": (Decimal("800"), Decimal("0"), Decimal("0")),
        # Elm's 200 came after the period: all 2400 still owed at its end.
        "USD": (Decimal("0"), Decimal("0"), Decimal("2400")),
    }
    assert report.refunds_recorded is True
    assert all(m.refunded == 0 for m in report.money)  # nobody here has a refund


def test_unbilled_hours(report: Report) -> None:
    # Alder: 50 - 2000 / 50 = 10; Elm: 100 - 3000 / 60 = 50. Birch and Dogwood: not known.
    assert report.unbilled_hours == Decimal("60.0") and report.unbilled_unknown == 2


def test_pareto_of_clients(report: Report) -> None:
    # Alder: flags in the period 6 + 2; unpaid 500 + 300 = 800 EUR = 16 h at 50, * 0.5 = 8;
    #   unbilled 10 h * 0.5 = 5: 21.
    # Birch: 6. Dogwood: 6 + 6 = 12.
    # Elm: 12 + 2; unpaid 2400 USD = 40 h at 60, * 0.5 = 20; unbilled 50 h * 0.5 = 25: 59.
    # Total 98; 80 % is 78.4: Elm and Alder (80) make it. 2 of the 4 clients.
    p = report.clients
    assert [(r.label, r.points) for r in p.rows] == [
        ("Elm", 59.0), ("Alder", 21.0), ("Dogwood", 12.0), ("Birch", 6.0)
    ]  # fmt: skip
    assert p.total == 98.0
    assert [r.vital for r in p.rows] == [True, True, False, False]
    assert (p.vital_few, p.out_of, p.share) == (2, 4, 0.5)
    assert p.rows[1].cumulative == pytest.approx(80 / 98)


def test_pareto_of_categories(report: Report) -> None:
    # time 12 + 2 = 14, abuse 12, payment 6, scope 6, communication 2: 40 in all, 80 % is 32:
    # time, abuse and payment (32) make it; payment before scope at a tie, by name.
    p = report.categories
    assert [(r.label, r.points) for r in p.rows] == [
        ("time", 14.0), ("abuse", 12.0), ("payment", 6.0), ("scope", 6.0), ("communication", 2.0)
    ]  # fmt: skip
    assert (p.vital_few, p.out_of, p.share) == (3, 5, 0.6)


def test_the_path_through_the_stages_comes_from_the_history() -> None:
    birch = five_clients()[1]
    assert stage_path(birch) == [
        (d("02-01"), Stage.ASSESSMENT),
        (d("03-01"), Stage.REPAIR),
        (d("04-01"), Stage.CLOSED),
    ]


def test_a_period_past_today_ends_today_and_an_empty_one_is_empty() -> None:
    report = exit_report(five_clients(), START, d("12-31"), TODAY, PLAIN)
    assert report.end == TODAY
    empty = exit_report([], START, END, TODAY, PLAIN)
    assert empty.counts.in_scope == 0 and empty.clients.share is None
    assert empty.clients.rows == () and empty.median_lead_days is None


def test_an_invoice_not_yet_due_at_the_period_end_is_no_trouble() -> None:
    # Fir was invoiced 06-20, due 07-20: at the period's end (06-30) nothing is late, so the
    # money still open is owed (it counts in the money lines) but is not trouble. Once due
    # (a period ending 07-31), the same 600 EUR at 50/h is 12 h: 6 points.
    fir = Client(
        "Fir",
        currency="EUR",
        contract=Contract(hourly_rate=Decimal("50")),
        invoices=[Invoice("F-1", Decimal("600"), d("06-20"), d("07-20"))],
        history=moves("06-01"),
    )
    early = trouble(fir, START, END, PLAIN)
    assert (early.unpaid, early.unpaid_hours, early.points) == ({}, Decimal("0.0"), 0.0)
    assert exit_report([fir], START, END, TODAY, PLAIN).money[0].owed == Decimal("600.00")
    late = trouble(fir, START, d("07-31"), PLAIN)
    assert (late.unpaid, late.unpaid_hours, late.points) == (
        {"EUR": Decimal("600.00")}, Decimal("12.0"), 6.0
    )  # fmt: skip

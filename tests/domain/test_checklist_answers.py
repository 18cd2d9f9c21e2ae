"""Checklist items the client's records already answer tick themselves, with the reason, and
the gates count them as done; a waiver by the user still wins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from offboard.checklists import load_checklists
from offboard.domain.checklists import DONE, WAIVED, Checklist, answered, ticks
from offboard.domain.models import (
    Client,
    Deliverable,
    HandoverItem,
    HandoverKind,
    HandoverStatus,
    Invoice,
    Payment,
    Stage,
)
from offboard.domain.stages import check_move

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def checklists(tmp_path_factory: pytest.TempPathFactory) -> dict[Stage, Checklist]:
    return load_checklists(user_dir=Path(tmp_path_factory.mktemp("none")))


def handover_client(**records: object) -> Client:
    return Client("Acme", stage=Stage.HANDOVER, **records)  # type: ignore[arg-type]


def test_every_deliverable_done_answers_finish_deliverables() -> None:
    done = [Deliverable(t, done=True, done_on=D("2026-11-20")) for t in "abcd"]
    assert answered(handover_client(deliverables=done)) == {
        "finish-deliverables": "all 4 deliverables done"
    }
    one = [Deliverable("site", done=True)]
    assert answered(handover_client(deliverables=one))["finish-deliverables"] == (
        "the one deliverable is done"
    )
    # One still open, or none recorded at all: the records do not answer it.
    assert answered(handover_client(deliverables=[*done, Deliverable("e")])) == {}
    assert answered(handover_client()) == {}


def test_settled_handover_items_answer_files_and_credentials_by_kind() -> None:
    items = [
        HandoverItem(HandoverKind.FILE, "Source files", HandoverStatus.HANDED_OVER),
        HandoverItem(HandoverKind.DOCUMENT, "Brand notes", HandoverStatus.WAIVED),
        HandoverItem(HandoverKind.CREDENTIAL, "Hosting login", HandoverStatus.HANDED_OVER),
        HandoverItem(HandoverKind.CREDENTIAL, "Old FTP", HandoverStatus.REVOKED),
    ]
    assert answered(handover_client(handover=items)) == {
        "files": "files and materials: 1 handed over, 1 waived",
        "credentials": "access: 1 handed over, 1 revoked",
    }
    items.append(HandoverItem(HandoverKind.CREDENTIAL, "DNS account"))  # still pending
    assert answered(handover_client(handover=items)) == {
        "files": "files and materials: 1 handed over, 1 waived"
    }


def test_final_invoice_and_settled_balance_answer_the_settlement_items() -> None:
    final = Invoice("F-9", Decimal("500.00"), D("2026-11-01"), D("2026-11-15"), final=True)
    client = Client("Acme", stage=Stage.SETTLEMENT, invoices=[final])
    assert answered(client) == {"final-invoice": "final invoice F-9 issued"}
    final.payments.append(Payment(Decimal("500.00"), D("2026-11-10")))
    assert answered(client) == {
        "final-invoice": "final invoice F-9 issued",
        "follow-up": "balance settled: every invoice paid or written off",
        "escalation": "balance settled: every invoice paid or written off",
    }
    # Nothing owed but no final invoice yet says nothing about the end of the work.
    paid = Invoice("A-1", Decimal("100.00"), D("2026-10-01"), D("2026-10-15"))
    paid.payments.append(Payment(Decimal("100.00"), D("2026-10-10")))
    assert answered(Client("Bo", invoices=[paid])) == {}


def test_answers_are_only_for_their_own_stage() -> None:
    client = handover_client(deliverables=[Deliverable("site", done=True)])
    assert answered(client, Stage.HANDOVER) == {
        "finish-deliverables": "the one deliverable is done"
    }
    assert answered(client, "settlement") == {}


def test_ticks_count_answers_as_done_and_a_waiver_wins() -> None:
    client = handover_client(
        deliverables=[Deliverable("site", done=True)],
        checklist={"handover": {"files": DONE, "finish-deliverables": WAIVED}},
    )
    assert ticks(client, Stage.HANDOVER) == {"finish-deliverables": WAIVED, "files": DONE}
    client.checklist = {}
    assert ticks(client, "handover") == {"finish-deliverables": DONE}


def test_the_settlement_gate_counts_answered_items_as_done(
    checklists: dict[Stage, Checklist],
) -> None:
    client = handover_client(
        deliverables=[Deliverable("site", done=True), Deliverable("copy", done=True)],
        handover=[
            HandoverItem(HandoverKind.FILE, "Source files", HandoverStatus.HANDED_OVER),
            HandoverItem(HandoverKind.CREDENTIAL, "Hosting login", HandoverStatus.REVOKED),
        ],
        # The user ticked only what no register knows.
        checklist={"handover": {"transition-notes": DONE, "brief-successor": WAIVED}},
    )
    assert check_move(client, Stage.SETTLEMENT, checklists).warnings == []
    client.deliverables.append(Deliverable("brochure"))
    warnings = check_move(client, Stage.SETTLEMENT, checklists).warnings
    assert warnings[0] == "1 handover checklist item still open"
    assert warnings[1] == "deliverables not finished: brochure"

"""Each deadline names the record it comes from: what a calendar event's stable id is made of,
so a moved date or new wording keeps the event's identity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from offboard.domain.models import (
    Channel,
    Client,
    Conversation,
    Deliverable,
    Invoice,
    RepairAttempt,
    Stage,
)
from offboard.domain.timers import deadlines

D = dt.date.fromisoformat


def test_every_deadline_names_its_record() -> None:
    attempt = RepairAttempt("weekly call", D("2026-11-01"), D("2026-11-29"))
    item = Deliverable("Logo files", D("2026-12-03"))
    bill = Invoice("A-7", Decimal("100.00"), D("2026-10-01"), D("2026-12-05"))
    client = Client(
        "Acme",
        stage=Stage.NOTICE,
        conversation=Conversation(D("2026-11-02"), Channel.PHONE, "30 days", D("2026-12-01")),
        repairs=[attempt],
        deliverables=[item],
        invoices=[bill],
    )
    found = {d.kind: d.record for d in deadlines(client)}
    assert found == {
        "last-day": "conversation",
        "review": attempt.id,
        "deliverable": item.id,
        "invoice": bill.id,
    }


def test_the_record_stays_when_the_date_and_the_wording_change() -> None:
    item = Deliverable("Logo files", D("2026-12-03"))
    client = Client("Acme", stage=Stage.HANDOVER, deliverables=[item])
    (before,) = deadlines(client)
    item.due, item.title = D("2026-12-09"), "Logo files (SVG)"
    (after,) = deadlines(client)
    assert before.record == after.record == item.id
    assert (before.due, before.label) != (after.due, after.label)


def test_every_deadline_kind_has_its_label_and_its_nouns() -> None:
    """A new kind is named in one module: the card's label and the agenda's count."""
    from offboard.domain.timers import KIND_LABELS, KIND_NOUNS

    assert set(KIND_NOUNS) == set(KIND_LABELS)

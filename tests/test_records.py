"""Correcting anything: every kind of record can be edited and deleted, each change checked as
when it was added, recorded in the history with old and new values, undoable, and refused
from a stale revision. Read back from the real file every time."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from offboard.domain.errors import InvalidInput, NotFound, StaleEdit
from offboard.storage.tinyfile import TinyRepository


def fresh(db: Path, client_id: str):
    return TinyRepository(db).get(client_id)


@pytest.fixture
def ana(services):
    c = services.add_client("Ana", locale="fi")
    services.log_flag(c.id, "payment", "Paid late", severity=2)
    services.add_repair(c.id, "weekly call", "2026-12-01")
    services.add_deliverable(c.id, "Logo files", "2026-12-05")
    services.add_handover_item(c.id, "credential", "Hosting admin login")
    services.add_invoice(c.id, "F-1", "1 000,00")
    services.record_payment(c.id, "F-1", "400,00")
    services.record_letter(c.id, "manual", "Ending our work", "Dear Ana,\n", "email")
    return services.resolve(c.id)


ATTR = {
    "flag": "flags",
    "repair": "repairs",
    "deliverable": "deliverables",
    "handover": "handover",
    "invoice": "invoices",
    "letter": "letters",
}


def flag_is_severe_scope(c) -> bool:
    return (c.flags[0].severity, c.flags[0].category.value) == (3, "scope")


def flag_moved_back(c) -> bool:
    return str(c.flags[0].on) == "2026-11-19"


def repair_reviewed_later(c) -> bool:
    return str(c.repairs[0].review) == "2026-12-06" and c.repairs[0].outcome.value == "improved"


def deliverable_done(c) -> bool:
    return c.deliverables[0].done and c.deliverables[0].title == "Logo files (SVG)"


def handed_over_today(c) -> bool:
    return c.handover[0].on is not None


def invoice_final_and_more(c) -> bool:
    return c.invoices[0].final and c.invoices[0].amount == Decimal("1200.50")


@pytest.mark.parametrize(
    ("kind", "fields", "check"),
    [
        ("flag", {"severity": 3, "category": "scope"}, flag_is_severe_scope),
        ("flag", {"on": "-3"}, flag_moved_back),
        ("repair", {"review": "+14", "outcome": "improved"}, repair_reviewed_later),
        ("deliverable", {"title": "Logo files (SVG)", "done": "yes"}, deliverable_done),
        ("handover", {"status": "handed-over"}, handed_over_today),
        ("invoice", {"final": "yes", "amount": "1 200,50"}, invoice_final_and_more),
    ],
)
def test_every_kind_can_be_edited(services, db_path, ana, kind, fields, check) -> None:
    records = getattr(ana, ATTR[kind])
    services.edit_record(ana.id, kind, records[0].id[:6], **fields)
    after = fresh(db_path, ana.id)
    assert check(after)
    event = after.history[-1]
    assert event.action == f"edit-{kind}"
    assert set(event.old) == set(fields) == set(event.new)
    services.undo()
    assert getattr(fresh(db_path, ana.id), ATTR[kind]) == records


@pytest.mark.parametrize("kind", ["flag", "repair", "deliverable", "handover", "letter"])
def test_every_kind_can_be_deleted_and_undone(services, db_path, ana, kind) -> None:
    record = getattr(ana, ATTR[kind])[0]
    services.delete_record(ana.id, kind, record.id)
    after = fresh(db_path, ana.id)
    assert getattr(after, ATTR[kind]) == []
    assert after.history[-1].action == f"delete-{kind}"
    assert after.history[-1].old == record.to_dict()  # nothing is lost: the history keeps it
    services.undo()
    assert getattr(fresh(db_path, ana.id), ATTR[kind]) == [record]


def test_payments_are_edited_and_deleted_by_their_id(services, db_path, ana) -> None:
    payment = ana.invoices[0].payments[0]
    services.edit_record(ana.id, "payment", payment.id[:6], amount="450,00")
    assert fresh(db_path, ana.id).invoices[0].payments[0].amount == Decimal("450.00")
    with pytest.raises(InvalidInput, match="overpaid"):
        services.edit_record(ana.id, "payment", payment.id, amount="5 000")
    with pytest.raises(InvalidInput, match="payment"):
        services.delete_record(ana.id, "invoice", "F-1")  # money must not vanish unseen
    services.delete_record(ana.id, "payment", payment.id)
    assert fresh(db_path, ana.id).invoices[0].payments == []
    services.delete_record(ana.id, "invoice", "F-1")
    assert fresh(db_path, ana.id).invoices == []


@pytest.mark.parametrize(
    ("kind", "which", "fields", "words"),
    [
        ("flag", "1", {"severity": 7}, "1-3"),
        ("flag", "1", {"on": "+5"}, "future"),
        ("flag", "1", {"description": " "}, "empty"),
        ("repair", "1", {"review": "2026-11-01"}, "not after the start"),
        ("handover", "1", {"label": "password: Hunter2!xyz"}, "secret"),
        ("invoice", "F-1", {"amount": "100"}, "overpaid"),
        ("invoice", "F-1", {"due": "2020-01-01"}, "before the invoice date"),
        ("invoice", "F-1", {"colour": "red"}, "cannot edit colour"),
        ("letter", "1", {"subject": "x"}, "cannot be edited"),
        ("flag", "zzzz", {"severity": 1}, "no flag matches"),
        ("unicorn", "1", {"x": 1}, "no record kind"),
    ],
)
def test_edits_are_checked_like_additions_and_change_nothing(
    services, db_path, ana, kind, which, fields, words
) -> None:
    before = db_path.read_bytes()
    with pytest.raises((InvalidInput, NotFound)) as refused:
        services.edit_record(ana.id, kind, which, **fields)
    assert words in refused.value.one_line()
    assert db_path.read_bytes() == before


def test_an_edit_from_a_stale_revision_is_refused(services, db_path, ana) -> None:
    services.edit_record(ana.id, "flag", "1", severity=3)  # someone else, meanwhile
    with pytest.raises(StaleEdit):
        services.edit_record(ana.id, "flag", "1", severity=1, expected_rev=ana.rev)
    assert fresh(db_path, ana.id).flags[0].severity == 3


def test_payments_stored_without_ids_get_stable_ones(tmp_path) -> None:
    from offboard.domain.codec import client_from_stored

    record = {
        "id": "0b6f3c1e-5d2a-4c8e-9f1a-2b3c4d5e6f70",
        "name": "Old",
        "invoices": [
            {
                "id": "1b6f3c1e-5d2a-4c8e-9f1a-2b3c4d5e6f70",
                "number": "F-1",
                "amount": "100.00",
                "issued": "2026-01-01",
                "due": "2026-01-15",
                "payments": [{"amount": "40.00", "on": "2026-01-10"}],
            }
        ],
    }
    first = client_from_stored(record).invoices[0].payments[0].id
    assert first == client_from_stored(record).invoices[0].payments[0].id

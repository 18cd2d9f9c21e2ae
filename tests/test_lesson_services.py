"""Lessons learned through the services, on the real file: adding one (with its history event
and undo), correcting and deleting it through the table of record kinds, the closed gate that
asks for one, and the file byte for byte unchanged after every refusal."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from offboard.domain.errors import InvalidInput, NeedsConfirmation, NotFound, StaleEdit
from offboard.domain.models import LessonCategory, Stage
from offboard.storage.tinyfile import TinyRepository


def on_disk(db: Path, client_id: str):
    fresh = TinyRepository(db)
    try:
        return fresh.get(client_id)
    finally:
        fresh.close()


def state(db: Path) -> tuple[bytes, int]:
    return db.read_bytes(), os.stat(db).st_mtime_ns


@pytest.fixture
def ana(services):
    return services.add_client("Ana Lima", email="ana@example.com")


def test_a_lesson_is_added_with_its_category_date_and_history(services, db_path, ana, today):
    services.add_lesson(ana.id, "missed red flag", "No agenda for the first meetings.")
    services.add_lesson(ana.id, LessonCategory.PAYMENT_TERMS, "Ask for a deposit.", on="-3")
    stored = on_disk(db_path, ana.id)
    assert [(x.category.value, x.text, x.on) for x in stored.lessons] == [
        ("missed-red-flag", "No agenda for the first meetings.", today),
        ("payment-terms", "Ask for a deposit.", today - dt.timedelta(days=3)),
    ]
    event = stored.history[-1]
    assert event.action == "lesson"
    assert event.summary == "lesson learned (payment-terms): Ask for a deposit."
    assert (event.old, event.new) == (None, stored.lessons[-1].to_dict())


def test_undo_takes_a_lesson_back_and_redo_brings_it_again(services, db_path, ana):
    services.add_lesson(ana.id, "other", "Keep the first project small.")
    services.undo()
    assert on_disk(db_path, ana.id).lessons == []
    services.redo()
    assert [x.text for x in on_disk(db_path, ana.id).lessons] == ["Keep the first project small."]


@pytest.mark.parametrize(
    ("category", "text", "on", "words"),
    [
        ("wisdom", "x", None, "unknown lesson category 'wisdom'"),
        ("other", "   ", None, "a lesson needs its text"),
        ("other", "a\x00b", None, "control character"),
        ("other", "x" * 20_001, None, "the lesson is 20,001 characters long"),
        ("other", "x", "+1", "in the future"),
        ("other", "x", "someday", "not a valid date"),
        (5, "x", None, "unknown lesson category"),
        ("other", ["x"], None, "the lesson must be text"),
    ],
)
def test_a_bad_lesson_is_refused_and_nothing_changes(
    services, db_path, ana, category, text, on, words
):
    before = state(db_path)
    with pytest.raises(InvalidInput, match=words):
        services.add_lesson(ana.id, category, text, on=on)
    assert state(db_path) == before


def test_a_lesson_from_a_stale_view_is_refused(services, db_path, ana):
    opened = services.resolve(ana.id)
    services.add_lesson(ana.id, "other", "first", expected_rev=opened.rev)
    before = state(db_path)
    with pytest.raises(StaleEdit):
        services.add_lesson(ana.id, "other", "second", expected_rev=opened.rev)
    assert state(db_path) == before


def test_a_lesson_is_corrected_and_deleted_like_any_record(services, db_path, ana):
    services.add_lesson(ana.id, "other", "Agree on feedback rounds.")
    lesson = on_disk(db_path, ana.id).lessons[0]
    services.edit_record(ana.id, "lesson", lesson.id[:6], category="communication", on="-1")
    edited = on_disk(db_path, ana.id)
    assert edited.lessons[0].category is LessonCategory.COMMUNICATION
    event = edited.history[-1]
    assert event.action == "edit-lesson"
    assert event.old == {"category": "other", "on": lesson.on.isoformat()}
    services.delete_record(ana.id, "lesson", lesson.id[:6])
    deleted = on_disk(db_path, ana.id)
    assert deleted.lessons == [] and deleted.history[-1].action == "delete-lesson"
    services.undo()
    assert on_disk(db_path, ana.id).lessons[0].category is LessonCategory.COMMUNICATION


@pytest.mark.parametrize(
    ("which", "fields", "error"),
    [
        ("ffffff", {"text": "x"}, NotFound),
        ("1", {"text": ""}, InvalidInput),
        ("1", {"category": "wisdom"}, InvalidInput),
        ("1", {"severity": 3}, InvalidInput),
    ],
)
def test_a_bad_correction_changes_nothing(services, db_path, ana, which, fields, error):
    services.add_lesson(ana.id, "other", "Agree on feedback rounds.")
    before = state(db_path)
    with pytest.raises(error):
        services.edit_record(ana.id, "lesson", which, **fields)
    assert state(db_path) == before


def settled_in_settlement(services, ref: str) -> None:
    services.decide(ref, "offboard", "the account loses money")
    services.move(ref, "preparation", force=True)
    services.record_conversation(ref, "today", "phone", "2 weeks")
    services.move(ref, "settlement", force=True)


def test_closing_asks_for_a_lesson_and_closes_once_there_is_one(services, db_path, ana):
    settled_in_settlement(services, ana.id)
    before = state(db_path)
    with pytest.raises(NeedsConfirmation) as asked:
        services.move(ana.id, "closed")
    assert asked.value.warnings == ["no lessons learned recorded"]
    assert asked.value.warnings[0].fix == "lessons"
    assert state(db_path) == before
    services.add_lesson(ana.id, "screening-question", "Ask who approves the work.")
    services.move(ana.id, "closed")
    assert on_disk(db_path, ana.id).stage is Stage.CLOSED


def test_export_and_import_keep_the_lessons(services, db_path, ana, tmp_path, clock):
    from offboard.services import Services

    services.add_lesson(ana.id, "contract-clause", "A change-order clause.\nWith prices.")
    data = services.export_data()
    other = Services(TinyRepository(tmp_path / "other.json"), clock)
    other.import_data(data)
    (copied,) = other.clients()
    assert [x.to_dict() for x in copied.lessons] == [
        x.to_dict() for x in on_disk(db_path, ana.id).lessons
    ]

"""Lessons learned as records: their dict form, reading older files that kept one text,
tolerant and strict decoding of bad lessons, the closed gate, and the record-kind table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from offboard.domain.codec import client_from_dict, client_from_stored
from offboard.domain.errors import InvalidInput
from offboard.domain.models import Client, Lesson, LessonCategory, Stage
from offboard.domain.records import KINDS, Typed, cleaned
from offboard.domain.stages import check_move

D = dt.date.fromisoformat
CLIENT_ID = "0b5c2d9e-1f3a-4b6c-8d7e-9fa0b1c2d3e4"
LESSON_ID = "6e1a2b3c-4d5e-4f60-8a1b-2c3d4e5f6a7b"


def record(**fields: Any) -> dict[str, Any]:
    """A stored client with only what these tests need."""
    return {"id": CLIENT_ID, "name": "Acme", "rev": 3, **fields}


def event(day: str, action: str, new: Any = None) -> dict[str, Any]:
    return {
        "at": f"{day}T10:00:00+00:00",
        "actor": "kim (cli)",
        "action": action,
        "summary": action,
        "old": None,
        "new": new,
    }


def lesson_dict(**over: Any) -> dict[str, Any]:
    base = {
        "id": LESSON_ID,
        "category": "payment-terms",
        "on": "2026-11-20",
        "text": "Ask for a deposit.",
    }
    return {**base, **over}


# --- the record ---------------------------------------------------------------------------------


def test_categories_are_the_ones_screening_will_use() -> None:
    assert [c.value for c in LessonCategory] == [
        "missed-red-flag",
        "contract-clause",
        "screening-question",
        "payment-terms",
        "communication",
        "other",
    ]


def test_a_lesson_round_trips_through_its_dict() -> None:
    lesson = Lesson(LessonCategory.CONTRACT_CLAUSE, "A change-order clause.", D("2026-11-20"))
    client = Client("Acme", id=CLIENT_ID, lessons=[lesson])
    data = client.to_dict()
    assert data["lessons"] == [
        {
            "id": lesson.id,
            "category": "contract-clause",
            "on": "2026-11-20",
            "text": "A change-order clause.",
        }
    ]
    assert client_from_dict(data).lessons == [lesson]


def test_ids_look_like_every_other_records() -> None:
    first = Lesson(LessonCategory.OTHER, "a", None)
    second = Lesson(LessonCategory.OTHER, "a", None)
    assert first.id != second.id
    assert len(first.id) == 36 and first.id.count("-") == 4


# --- older files: one text ----------------------------------------------------------------------


def test_a_legacy_text_becomes_one_lesson_dated_when_it_was_recorded() -> None:
    stored = record(
        created="2025-01-10",
        lessons="  Ask for a deposit.  ",
        history=[
            event("2025-01-10", "create"),
            event("2026-03-01", "lessons", "first try"),
            event("2026-03-04", "move", "closed"),
            event("2026-03-05", "lessons", "Ask for a deposit."),
        ],
    )
    client = client_from_stored(stored)
    (lesson,) = client.lessons
    assert (lesson.category, lesson.text, lesson.on) == (
        LessonCategory.OTHER,
        "Ask for a deposit.",
        D("2026-03-05"),
    )
    assert client.damage == ()
    # The same id on every read, so a command can name it before the next save writes it.
    assert client_from_stored(stored).lessons[0].id == lesson.id
    # An older export still imports.
    assert client_from_dict(stored).lessons == [lesson]


def test_a_legacy_text_without_its_event_is_dated_by_the_closing() -> None:
    stored = record(
        created="2025-01-10",
        lessons="Screen for scope creep.",
        history=[event("2025-01-10", "create"), event("2026-02-02", "move", "closed")],
    )
    assert client_from_stored(stored).lessons[0].on == D("2026-02-02")


def test_a_legacy_text_is_dated_by_the_day_the_client_was_added_else_not_at_all() -> None:
    assert client_from_stored(record(created="2025-01-10", lessons="x")).lessons[0].on == D(
        "2025-01-10"
    )
    assert client_from_stored(record(lessons="x")).lessons[0].on is None


def test_an_empty_legacy_text_is_no_lesson() -> None:
    assert client_from_stored(record(lessons="   ")).lessons == []
    assert client_from_stored(record(lessons="")).lessons == []


def test_a_legacy_text_that_breaks_a_rule_is_kept_readable_and_marked() -> None:
    client = client_from_stored(record(lessons="ask\x00 for a deposit"))
    assert client.lessons[0].text == "ask\ufffd for a deposit"
    assert [p.path for p in client.damage] == ["lessons"]


# --- bad lessons ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "path", "kept"),
    [
        ({"category": "wisdom"}, "lessons[0].category", LessonCategory.OTHER),
        ({"category": 5}, "lessons[0].category", LessonCategory.OTHER),
        ({"category": None}, "lessons[0].category", LessonCategory.OTHER),
    ],
)
def test_an_unknown_category_keeps_the_lesson_as_other(fields, path, kept) -> None:
    client = client_from_stored(record(lessons=[lesson_dict(**fields)]))
    (lesson,) = client.lessons
    assert lesson.category is kept and lesson.text == "Ask for a deposit."
    assert [p.path for p in client.damage] == [path]
    with pytest.raises(InvalidInput, match=path.replace("[", r"\[").replace("]", r"\]")):
        client_from_dict(record(lessons=[lesson_dict(**fields)]))


@pytest.mark.parametrize("text", ["", "   ", None, {"a": 1}, 12, ["x"]])
def test_a_lesson_without_readable_text_is_left_out_and_named(text) -> None:
    client = client_from_stored(record(lessons=[lesson_dict(text=text), lesson_dict(id=None)]))
    assert len(client.lessons) == 1  # the second one, which only lacks an id: it gets one
    assert "lessons[0].text" in {p.path for p in client.damage}
    with pytest.raises(InvalidInput, match=r"lessons\[0\]\.text"):
        client_from_dict(record(lessons=[lesson_dict(text=text)]))


def test_a_huge_lesson_is_refused_on_import_and_cut_when_stored() -> None:
    huge = "x" * 300_000
    with pytest.raises(InvalidInput, match=r"lessons\[0\]\.text: the lesson is 300,000"):
        client_from_dict(record(lessons=[lesson_dict(text=huge)]))
    client = client_from_stored(record(lessons=[lesson_dict(text=huge)]))
    assert 0 < len(client.lessons[0].text) < len(huge)
    assert client.damage[0].replaced


@pytest.mark.parametrize("on", ["yesterday", 20261120, "2026-13-01", {"d": 1}])
def test_a_bad_date_is_dropped_not_the_lesson(on) -> None:
    client = client_from_stored(record(lessons=[lesson_dict(on=on)]))
    assert client.lessons[0].on is None
    assert [p.path for p in client.damage] == ["lessons[0].on"]


@pytest.mark.parametrize("lessons", [{"a": 1}, 5, [5], ["text"], True])
def test_lessons_of_the_wrong_shape_are_named(lessons) -> None:
    client = client_from_stored(record(lessons=lessons))
    assert client.lessons == []
    assert client.damage and client.damage[0].path.startswith("lessons")
    with pytest.raises(InvalidInput, match="lessons"):
        client_from_dict(record(lessons=lessons))


# --- the closed gate ----------------------------------------------------------------------------


def test_closing_asks_for_at_least_one_lesson() -> None:
    client = Client("Acme", stage=Stage.SETTLEMENT)
    check = check_move(client, Stage.CLOSED)
    assert not check.blocked
    assert check.warnings == ["no lessons learned recorded"]
    assert check.warnings[0].fix == "lessons"
    client.lessons.append(Lesson(LessonCategory.OTHER, "x", D("2026-11-20")))
    assert check_move(client, Stage.CLOSED).warnings == []


# --- correcting one -----------------------------------------------------------------------------


def test_a_lesson_is_a_record_kind_with_the_rules_it_was_added_with() -> None:
    kind = KINDS["lesson"]
    assert (kind.attr, kind.editable) == ("lessons", True)
    typed = Typed(D("2026-11-22"))
    clean = cleaned(kind.rules, {"category": "Contract clause", "on": "-2", "text": " a "}, typed)
    assert clean == {
        "category": LessonCategory.CONTRACT_CLAUSE,
        "on": D("2026-11-20"),
        "text": "a",
    }
    with pytest.raises(InvalidInput, match="unknown lesson category 'wisdom'"):
        cleaned(kind.rules, {"category": "wisdom"}, typed)
    with pytest.raises(InvalidInput, match="the lesson is empty"):
        cleaned(kind.rules, {"text": "  "}, typed)
    with pytest.raises(InvalidInput, match="in the future"):
        cleaned(kind.rules, {"on": "+1"}, typed)

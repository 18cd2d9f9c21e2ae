"""Screening through the services on the real file: the checklist from closed clients'
lessons, the user's own changes in their file (private, checked on read with the line
named), a prospect weighed, and a screened prospect added as a client with its intake notes
(stored, read back tolerantly, undoable)."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from offboard.domain.codec import client_from_dict, client_from_stored
from offboard.domain.errors import InvalidInput
from offboard.domain.fixes import Fix
from offboard.domain.models import Answer, ItemKind, Stage
from offboard.domain.screening import Suggestion
from offboard.screening_file import parse_edits, read_edits
from offboard.storage.tinyfile import TinyRepository
from offboard.weights import FILE_NAME, load_thresholds


@pytest.fixture
def svc(services, tmp_path: Path):
    services.screening_file = tmp_path / "config" / "screening.toml"
    services.thresholds = load_thresholds(tmp_path / "no-user-weights.toml")
    return services


def close_with(svc, name: str, *lessons: tuple[str, str]) -> None:
    client = svc.add_client(name)
    for category, text in lessons:
        svc.add_lesson(client.id, category, text)
    svc.decide(client.id, "offboard", "it did not work out")
    svc.record_conversation(client.id, dt.date(2026, 11, 1), "phone", "7 days")
    svc.move(client.id, "closed", force=True)


@pytest.fixture
def learned(svc):
    close_with(svc, "Acme", ("missed-red-flag", "Haggled over the quote"),
               ("contract-clause", "A change-order clause"))  # fmt: skip
    close_with(svc, "Birch", ("missed-red-flag", "haggled over the quote."),
               ("screening-question", "Who signs off the work?"))  # fmt: skip
    svc.add_client("Still Open")  # its lessons do not count until it is closed
    svc.add_lesson("still open", "missed-red-flag", "Never replies")
    return svc.screening_checklist()


def test_the_checklist_gathers_closed_clients_lessons(learned) -> None:
    assert (learned.clients, learned.lessons) == (2, 4)
    assert [i.kind for i in learned.items] == [
        ItemKind.WARNING_SIGN, ItemKind.QUESTION, ItemKind.CLAUSE,
    ]  # fmt: skip
    assert [t.name for t in learned.items[0].taught_by] == ["Acme", "Birch"]


def test_an_empty_checklist_says_how_to_get_one(svc) -> None:
    with pytest.raises(InvalidInput) as caught:
        svc.screen({})
    assert "no closed client has a lesson learned" in caught.value.message
    assert caught.value.fix is Fix.LESSONS


def test_screening_weighs_answers_and_refuses_bad_ones(svc, learned) -> None:
    sign = learned.items[0]
    found = svc.screen({sign.id: "y"})
    assert found.verdict.suggestion is Suggestion.CAUTION
    assert found.reasons[0] == "1 warning sign seen that 2 past clients taught"
    assert svc.screen(in_order=["n", "y", "y"]).verdict.suggestion is Suggestion.GO
    for answers, in_order, words in [
        ({"nope": "y"}, None, "no screening item has the id 'nope'"),
        ({}, ["y"], "1 answer given for 3 items"),
        ({"1": "perhaps"}, None, "'perhaps' is not an answer"),
    ]:
        with pytest.raises(InvalidInput, match=words):
            svc.screen(answers, in_order)


def test_own_items_rewording_and_hiding_are_kept_privately(svc, learned, tmp_path) -> None:
    mine = svc.add_screening_item("clause", "Half the fee before work starts.")
    path = svc.screening_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    svc.edit_screening_item(learned.items[1].id, "Who approves the work, by name?")
    svc.hide_screening_item(learned.items[0].id)
    after = svc.screening_checklist()
    assert [i.id for i in after.items][-1] == mine.id
    assert after.items[0].text == "Who approves the work, by name?"
    assert [i.id for i in after.hidden] == [learned.items[0].id]
    with pytest.raises(InvalidInput, match="already hidden"):
        svc.hide_screening_item(learned.items[0].id)
    svc.hide_screening_item(learned.items[0].id, hidden=False)
    assert svc.screening_checklist().items[0].id == learned.items[0].id
    # The file reads back to what was written.
    assert read_edits(path) == svc.screening_edits()
    with pytest.raises(InvalidInput, match="already has this clause as " + mine.id):
        svc.add_screening_item("clause", "half the fee before work starts")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('hidden = ["x"]\n', "line 1: 'x' is not an item id"),
        ("colour = 1\n", "line 1: there is no 'colour' here"),
        ('[reworded]\n"w-abcdef" = ""\n', "line 2: the wording of w-abcdef is empty"),
        ('[[own]]\nid = "my-abcdef"\nkind = "hunch"\ntext = "x"\n', "line 3: unknown item kind"),
        (
            '[[own]]\nid = "my-abcdef"\nkind = "clause"\ntext = "a"\n\n[[own]]\nid = "my-abcdef"\n'
            'kind = "clause"\ntext = "b"\n',
            "line 7: the id 'my-abcdef' is used twice",
        ),
        (
            '[[own]]\nid = "my-abcdef"\nkind = "clause"\n',
            "line 1: an item of your own needs its text",
        ),
        ("hidden = [\n", "is not valid TOML"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(text: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_edits(text, "screening.toml")
    assert words in caught.value.one_line() and "screening.toml" in caught.value.one_line()


def test_a_bad_file_is_never_written_over(svc, learned) -> None:
    path = svc.screening_file
    path.parent.mkdir(parents=True)
    path.write_text("hidden = 3\n")
    with pytest.raises(InvalidInput, match="hidden must be a list"):
        svc.add_screening_item("question", "Budget?")
    assert path.read_text() == "hidden = 3\n"


def test_thresholds_can_be_overridden_like_the_weights(tmp_path: Path) -> None:
    own = tmp_path / FILE_NAME
    own.write_text("[screening]\ndecline_from = 2\n\n[screening.points]\nclause = 5\n")
    t = load_thresholds(own)
    assert t.decline_from == 2 and t.points[ItemKind.CLAUSE] == 5
    own.write_text("[screening.points]\nquestion = 0\n")
    with pytest.raises(InvalidInput, match=r"screening\.points\.question = 0 is out of range"):
        load_thresholds(own)


def test_a_screened_prospect_becomes_a_client_with_its_intake_notes(svc, learned, db_path):
    found = svc.screen(in_order=["y", "u", "n"])
    client = svc.add_screened_client("Northwind", found, email="hi@northwind.example")
    fresh = TinyRepository(db_path)
    try:
        stored = fresh.get(client.id)
    finally:
        fresh.close()
    assert stored.stage is Stage.ASSESSMENT and stored.email == "hi@northwind.example"
    assert [(x.item, x.answer, x.against) for x in stored.intake] == [
        ("haggled over the quote.", Answer.YES, True),
        ("Who signs off the work?", Answer.UNKNOWN, False),
        ("A change-order clause", Answer.NO, True),
    ]
    assert stored.history[-1].summary == "added Northwind after screening: decline, 2 of 3 answered"
    assert client_from_dict(stored.to_dict()) == stored
    svc.undo()
    assert all(c.id != client.id for c in svc.clients())


def test_a_damaged_intake_answer_still_opens_and_is_named() -> None:
    record = {
        "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "name": "Kite",
        "rev": 1,
        "intake": [
            {"item_id": "w-abcdef", "item": "Haggles", "kind": "warning-sign", "answer": "maybe",
             "on": "2026-11-01"},
            {"item_id": "q-abcdef", "item": "", "kind": "question", "answer": "no",
             "on": "2026-11-01"},
        ],
    }  # fmt: skip
    client = client_from_stored(record)
    assert [(x.item, x.answer) for x in client.intake] == [("Haggles", Answer.UNKNOWN)]
    paths = [p.path for p in client.damage]
    assert "intake[0].answer" in paths and "intake[1].item" in paths
    with pytest.raises(InvalidInput, match="intake"):
        client_from_dict(record)

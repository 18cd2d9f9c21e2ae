"""`offboard lessons CLIENT TEXT [--category CAT]` adds one lesson; `show` and `show --json`
list them with category and short id; edit-lesson and delete-lesson come from the table of
record kinds; export and import keep them. Refusals are one line and leave the file as it
was."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from offboard.domain.models import LessonCategory


@pytest.fixture
def ana(cli) -> None:
    cli.ok("add", "Ana Lima", "--email", "ana@example.com")


def shown(cli) -> dict:
    return json.loads(cli.ok("show", "ana", "--json"))


def test_lessons_adds_one_lesson_each_time(cli, ana) -> None:
    out = cli.ok("lessons", "ana", "Ask for a deposit", "--category", "payment-terms")
    assert out == "Recorded a lesson for Ana Lima (payment-terms); 1 lesson now.\n"
    out = cli.ok("lessons", "ana", "Keep the first project small")
    assert out == "Recorded a lesson for Ana Lima (other); 2 lessons now.\n"
    lessons = shown(cli)["lessons"]
    assert [(x["category"], x["text"], x["on"]) for x in lessons] == [
        ("payment-terms", "Ask for a deposit", "2026-11-22"),
        ("other", "Keep the first project small", "2026-11-22"),
    ]
    assert all(re.fullmatch(r"[0-9a-f-]{36}", x["id"]) for x in lessons)


def test_a_category_may_be_written_with_spaces(cli, ana) -> None:
    cli.ok("lessons", "ana", "Ask who signs off", "--category", "Screening question")
    assert shown(cli)["lessons"][0]["category"] == "screening-question"


def test_help_lists_every_category(cli, capsys) -> None:
    from offboard.cli import main

    with pytest.raises(SystemExit):
        main(["lessons", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for category in LessonCategory:
        assert category.value in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--category", "wisdom"], "unknown lesson category 'wisdom'"),
        (["--on", "+2"], "in the future"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(cli, ana, args, words) -> None:
    err = cli.refused("lessons", "ana", "Ask for a deposit", *args)
    assert words in err


def test_an_unknown_category_lists_the_categories(cli, ana) -> None:
    err = cli.refused("lessons", "ana", "x", "--category", "wisdom")
    for category in LessonCategory:
        assert category.value in err


def test_empty_and_hostile_text_is_refused(cli, ana) -> None:
    assert "a lesson needs its text" in cli.refused("lessons", "ana", "   ")
    assert "control character" in cli.refused("lessons", "ana", "a\x1b[2Jb")
    assert "20,001 characters" in cli.refused("lessons", "ana", "x" * 20_001)


def test_show_lists_lessons_with_category_and_short_id(cli, ana) -> None:
    cli.ok("lessons", "ana", "No agenda for the first meetings", "--category", "missed-red-flag")
    cli.ok("lessons", "ana", "A capped meeting budget\nbilled beyond it", "--category",
           "contract-clause")  # fmt: skip
    lessons = shown(cli)["lessons"]
    text = cli.ok("show", "ana")
    block = text.split("Lessons learned:\n", 1)[1]
    assert f"  {lessons[0]['id'][:6]}  2026-11-22  [missed-red-flag] No agenda" in block
    second = f"  {lessons[1]['id'][:6]}  2026-11-22  [contract-clause] "
    # A second line of a lesson stays under its text.
    assert f"{second}A capped meeting budget\n{' ' * len(second)}billed beyond it\n" in block


def test_edit_and_delete_a_lesson_by_its_short_id(cli, ana) -> None:
    cli.ok("lessons", "ana", "Agree on feedback rounds")
    short = shown(cli)["lessons"][0]["id"][:6]
    cli.ok("edit-lesson", "ana", short, "--category", "communication", "--text", "Agree rounds")
    assert shown(cli)["lessons"][0] | {"id": "", "on": ""} == {
        "id": "",
        "on": "",
        "category": "communication",
        "text": "Agree rounds",
    }
    assert "wisdom" in cli.refused("edit-lesson", "ana", short, "--category", "wisdom")
    cli.ok("delete-lesson", "ana", short)
    assert shown(cli)["lessons"] == []
    cli.ok("undo")
    assert shown(cli)["lessons"][0]["text"] == "Agree rounds"


def test_closing_without_a_lesson_names_the_command(cli, ana) -> None:
    cli.ok("decide", "ana", "offboard", "the account loses money")
    cli.ok("move", "ana", "preparation", "--force")
    cli.ok("notice", "ana", "--on", "today", "--channel", "phone", "--period", "2 weeks")
    cli.ok("move", "ana", "settlement", "--force")
    err = cli.refused("move", "ana", "closed")
    assert "no lessons learned recorded" in err and "offboard lessons CLIENT TEXT" in err
    cli.ok("lessons", "ana", "Ask for a deposit", "--category", "payment-terms")
    cli.ok("move", "ana", "closed")
    assert shown(cli)["stage"] == "closed"


def test_export_then_import_keeps_the_lessons(cli, ana, tmp_path: Path) -> None:
    cli.ok("lessons", "ana", "Ask for a deposit", "--category", "payment-terms")
    before = shown(cli)["lessons"]
    out = tmp_path / "export.json"
    cli.ok("export", str(out))
    cli.ok("delete", "ana", "--yes")
    cli.ok("import", str(out))
    assert shown(cli)["lessons"] == before

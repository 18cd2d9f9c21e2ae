"""Follow-ups from the command line: `follow-up` (dates in every form, working days with the
client's calendar, --invoice), `follow-up-done`, what `show`, `show --json`, `timers --json`
and `due` print, the chase `mark-sent --template payment-reminder` adds, edit-follow-up and
delete-follow-up with undo, and edit commands taking dates in working days. Every refusal is
one line on stderr, exit 1, the file untouched."""

from __future__ import annotations

import json
from typing import Any

import pytest


def shown(cli) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(cli.ok("show", "acme", "--json"))
    return data


def follow_up_deadlines(cli) -> list[dict[str, Any]]:
    return [t for t in json.loads(cli.ok("timers", "--json")) if t["kind"] == "follow-up"]


@pytest.fixture
def acme(cli) -> None:
    """Today is Sunday 2026-11-22; A-1 is overdue since 1 November, A-2 due in December."""
    cli.ok("add", "Acme", "--email", "ops@acme.example")
    cli.ok("invoice", "acme", "A-1", "500", "--issued", "2026-10-01", "--due", "2026-11-01")
    cli.ok("invoice", "acme", "A-2", "300", "--issued", "2026-11-20", "--due", "2026-12-20")


def test_a_follow_up_in_working_days_is_listed_and_due(cli, acme: None) -> None:
    out = cli.ok("follow-up", "acme", "Ask about the logo files", "--on", "+5 wd")
    assert out == "Follow-up for Acme on 2026-11-27: Ask about the logo files.\n"
    [item] = shown(cli)["follow_ups"]
    assert {k: item[k] for k in ("on", "about", "invoice", "done_on")} == {
        "on": "2026-11-27", "about": "Ask about the logo files", "invoice": None, "done_on": None,
    }  # fmt: skip
    [deadline] = follow_up_deadlines(cli)
    assert (deadline["due"], deadline["label"], deadline["countdown"]) == (
        "2026-11-27", "Ask about the logo files", "follow-up in 5d",
    )  # fmt: skip
    assert "Open follow-ups:" in cli.ok("show", "acme")
    code, out, _ = cli("due", "--within", "7")
    assert "Ask about the logo files" in out and code != 1


def test_linked_to_an_invoice_it_stops_once_that_is_paid(cli, acme: None) -> None:
    cli.ok("follow-up", "acme", "Chase A-2", "--on", "+3", "--invoice", "A-2")
    assert shown(cli)["follow_ups"][0]["invoice"] == shown(cli)["invoices"][1]["id"]
    cli.ok("pay", "acme", "A-2")
    assert follow_up_deadlines(cli) == []
    assert "invoice A-2 is settled: nothing to chase" in cli.ok("show", "acme")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("follow-up", "nobody", "Call", "--on", "+1"), "no client matches 'nobody'"),
        (("follow-up", "acme", "Call", "--on", "soon"), "the follow-up date 'soon' is not a valid"),
        (("follow-up", "acme", "Call", "--on", "+0 wd"), "at least 1 working day"),
        (("follow-up", "acme", "Call", "--on", "+1", "--invoice", "Z-9"), "no invoice matches"),
        (("follow-up", "acme", "", "--on", "+1"), "the follow-up's subject is empty"),
        (("follow-up-done", "acme"), "Acme has no open follow-up"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(cli, acme: None, args, words: str) -> None:
    assert words in cli.refused(*args)


def test_the_date_is_required(cli, acme: None) -> None:
    code, _, err = cli("follow-up", "acme", "Call")
    assert code == 1 and "--on" in err


def test_done_by_name_or_alone_and_undone(cli, acme: None) -> None:
    cli.ok("follow-up", "acme", "Call", "--on", "+1")
    out = cli.ok("follow-up-done", "acme", "--on", "-1")
    assert out == "Follow-up for Acme done on 2026-11-21: Call.\n"
    assert follow_up_deadlines(cli) == []
    assert "already done on 2026-11-21" in cli.refused("follow-up-done", "acme", "Call")
    cli.ok("undo")
    assert shown(cli)["follow_ups"][0]["done_on"] is None
    assert "in the future" in cli.refused("follow-up-done", "acme", "Call", "--on", "+1")


def test_a_payment_reminder_marked_sent_chases_the_overdue_invoice(cli, acme: None) -> None:
    out = cli.ok("mark-sent", "acme", "--template", "payment-reminder", "--channel", "email")
    # Sunday 22nd + 7 working days: Tuesday 1 December; A-2 is not due yet.
    assert out == (
        "Letter recorded as sent to Acme by email. Follow-up added for 2026-12-01: "
        "Chase invoice A-1 if still unpaid.\n"
    )
    [deadline] = follow_up_deadlines(cli)
    assert deadline["due"] == "2026-12-01"
    # A second reminder does not chase twice; undo takes back the letter and the chase.
    out = cli.ok("mark-sent", "acme", "--template", "payment-reminder", "--channel", "email")
    assert "Follow-up" not in out
    cli.ok("undo")
    cli.ok("undo")
    assert (shown(cli)["letters"], shown(cli)["follow_ups"]) == ([], [])


def test_edit_and_delete_follow_up_with_undo(cli, acme: None) -> None:
    cli.ok("follow-up", "acme", "Call", "--on", "+1")
    cli.ok("edit-follow-up", "acme", "Call", "--on", "+3 wd", "--about", "Call back")
    item = shown(cli)["follow_ups"][0]
    assert (item["on"], item["about"]) == ("2026-11-25", "Call back")
    assert "control character" in cli.refused("edit-follow-up", "acme", "1", "--about", "a\x1bb")
    cli.ok("delete-follow-up", "acme", "1")
    assert shown(cli)["follow_ups"] == []
    cli.ok("undo")
    assert shown(cli)["follow_ups"][0]["about"] == "Call back"


def test_edit_commands_take_dates_in_working_days(cli, acme: None) -> None:
    cli.ok("deliverable", "acme", "Logo", "--due", "+2 wd")
    assert shown(cli)["deliverables"][0]["due"] == "2026-11-24"
    cli.ok("edit-deliverable", "acme", "Logo", "--due", "+4 wd")
    assert shown(cli)["deliverables"][0]["due"] == "2026-11-26"
    # A repair's review in working days counts from its start, as when it was added.
    cli.ok("repair", "acme", "weekly call", "--start", "2026-11-23", "--review", "+5 wd")
    assert shown(cli)["repairs"][0]["review"] == "2026-11-30"
    cli.ok("edit-repair", "acme", "1", "--review", "+2 wd")
    assert shown(cli)["repairs"][0]["review"] == "2026-11-25"
    cli.ok("edit-repair", "acme", "1", "--started", "2026-11-30", "--review", "+1 wd")
    assert (shown(cli)["repairs"][0]["started"], shown(cli)["repairs"][0]["review"]) == (
        "2026-11-30", "2026-12-01",
    )  # fmt: skip
    err = cli.refused("edit-deliverable", "acme", "Logo", "--due", "+2 weeks")
    assert "+N wd" in err

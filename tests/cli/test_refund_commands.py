"""Refunds from the command line: `refund` (an amount or --suggested), `refund-paid`,
`deliverable --value`, what `show`, `show --json` and `timers --json` print, edit-refund and
delete-refund with undo, the closed gate's message, and the refund-notice letter filled in from
the record (rendered by the real Jinja2 sandbox) with `--check`. Every refusal is one line on
stderr, exit 1, the file untouched."""

from __future__ import annotations

import json
from typing import Any

import pytest


def shown(cli) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(cli.ok("show", "ana", "--json"))
    return data


@pytest.fixture
def ana(cli) -> None:
    """Paid 600 of 1,000; deliverables worth 400 (delivered) and 600 (not)."""
    cli.ok("add", "Ana", "--email", "ana@example.com")
    cli.ok("invoice", "ana", "F-1", "1000", "--issued", "2026-10-01")
    cli.ok("pay", "ana", "F-1", "600", "--on", "2026-10-20")
    cli.ok("deliverable", "ana", "Logo files", "--value", "400")
    cli.ok("deliverable", "ana", "Website", "--value", "600")
    cli.ok("done", "ana", "Logo files")


def test_a_suggested_refund_says_how_it_was_worked_out(cli, ana: None) -> None:
    out = cli.ok("refund", "ana", "--suggested", "--reason", "The website will not be built")
    assert out == (
        "Refund of €360.00 (€600.00 paid × €600.00 not delivered of €1,000.00 in 2 "
        "deliverables = €360.00) agreed with Ana; pay it out by 2026-12-06.\n"
    )
    [refund] = shown(cli)["refunds"]
    assert {k: refund[k] for k in ("amount", "currency", "on", "reason", "paid_out")} == {
        "amount": "360.00",
        "currency": "EUR",
        "on": "2026-11-22",
        "reason": "The website will not be built",
        "paid_out": None,
    }
    assert [d["value"] for d in shown(cli)["deliverables"]] == ["400.00", "600.00"]


def test_a_given_amount_date_and_currency(cli, ana: None) -> None:
    out = cli.ok("refund", "ana", "250", "--reason", "Workshop", "--on", "-2", "--currency", "usd")
    assert out == "Refund of $250.00 agreed with Ana; pay it out by 2026-12-04.\n"
    assert shown(cli)["refunds"][0]["currency"] == "USD"


def test_a_refund_already_paid_out(cli, ana: None) -> None:
    out = cli.ok("refund", "ana", "80", "--reason", "Hosting", "--on", "-9", "--paid-out", "-2")
    assert out == "Refund of €80.00 to Ana, paid out 2026-11-20.\n"
    assert shown(cli)["refunds"][0]["paid_out"] == "2026-11-20"
    assert not [t for t in json.loads(cli.ok("timers", "--json")) if t["kind"] == "refund"]
    err = cli.refused("refund", "ana", "5", "--reason", "x", "--on", "-1", "--paid-out", "-2")
    assert "the refund's payout 2026-11-20 is before it was agreed (2026-11-21)" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--reason", "x"), "give the refund's amount or --suggested"),
        (("50", "--suggested", "--reason", "x"), "not both"),
        (("50",), "the following arguments are required: --reason"),
        (("0", "--reason", "x"), "the refund must be more than zero"),
        (("50", "--reason", "x", "--on", "+3"), "the refund date 2026-11-25 is in the future"),
    ],
)
def test_refusals_are_one_line(cli, ana: None, args: tuple[str, ...], words: str) -> None:
    assert words in cli.refused("refund", "ana", *args)


def test_no_suggestion_says_what_to_fill_in(cli) -> None:
    cli.ok("add", "Bob")
    cli.ok("invoice", "bob", "B-1", "500")
    cli.ok("pay", "bob", "B-1")
    cli.ok("deliverable", "bob", "Report")
    err = cli.refused("refund", "bob", "--suggested", "--reason", "not written")
    assert "no refund can be suggested: give the value of every deliverable first" in err
    assert "offboard edit-deliverable CLIENT DELIVERABLE --value AMOUNT" in err
    report = shown_of(cli, "bob")["deliverables"][0]["id"][:6]
    cli.ok("edit-deliverable", "bob", report, "--value", "500")
    assert "€500.00" in cli.ok("refund", "bob", "--suggested", "--reason", "not written")


def shown_of(cli, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(cli.ok("show", name, "--json"))
    return data


def test_paid_out_then_listed_and_the_gate_opens(cli, ana: None) -> None:
    cli.ok("refund", "ana", "100", "--reason", "Website", "--on", "-3")
    cli.ok("refund", "ana", "20", "--reason", "Hosting", "--on", "-3")
    cli.ok("write-off", "ana", "F-1")
    err = cli.refused("move", "ana", "closed", "--force")
    assert "2 refunds agreed and not paid out: 100.00 EUR (Website), 20.00 EUR (Hosting)" in err
    assert "`offboard refund-paid CLIENT REFUND --on DATE`" in err
    assert "name the one that was paid out" in cli.refused("refund-paid", "ana")
    out = cli.ok("refund-paid", "ana", "hosting", "--on", "-1")
    assert out == "Refund of €20.00 to Ana recorded as paid out 2026-11-21.\n"
    cli.ok("refund-paid", "ana")
    assert "no refund waiting" in cli.refused("refund-paid", "ana")
    text = cli.ok("show", "ana")
    refunds_block = text.split("Refunds:\n")[1].split("\n\n")[0]
    lines = refunds_block.splitlines()
    assert lines[0].endswith("€100.00  agreed 2026-11-19  paid out 2026-11-22  Website")
    assert lines[1].endswith("€20.00  agreed 2026-11-19  paid out 2026-11-21  Hosting")
    assert "worth €600.00" in text
    cli.ok("decide", "ana", "offboard", "Too many changes")
    cli.ok("notice", "ana", "--on", "-10", "--channel", "phone", "--period", "2 weeks")
    cli.ok("move", "ana", "closed", "--force")


def test_the_agenda_lists_a_refund_to_pay_out(cli, ana: None) -> None:
    cli.ok("refund", "ana", "100", "--reason", "Website", "--on", "-3")
    [item] = [t for t in json.loads(cli.ok("timers", "--json")) if t["kind"] == "refund"]
    assert (item["due"], item["amount"], item["currency"], item["countdown"]) == (
        "2026-12-03", "100.00", "EUR", "refund in 11d",
    )  # fmt: skip
    assert "refund to pay out: Website: €100.00" in cli.ok("timers")


def test_edit_and_delete_then_undo(cli, ana: None) -> None:
    cli.ok("refund", "ana", "100", "--reason", "Website", "--on", "-3")
    short = shown(cli)["refunds"][0]["id"][:6]
    cli.ok("edit-refund", "ana", short, "--amount", "120", "--paid-out", "-1")
    assert shown(cli)["refunds"][0] | {"id": ""} == {
        "id": "", "amount": "120.00", "currency": "EUR", "on": "2026-11-19",
        "reason": "Website", "paid_out": "2026-11-21",
    }  # fmt: skip
    assert "before it was agreed" in cli.refused("edit-refund", "ana", short, "--paid-out", "-9")
    cli.ok("delete-refund", "ana", short)
    assert shown(cli)["refunds"] == []
    cli.ok("undo")
    assert shown(cli)["refunds"][0]["amount"] == "120.00"


# --- the letter -----------------------------------------------------------------------------


@pytest.fixture
def sender(cli) -> None:
    cli.ok("config", "set", "sender.name", "Alex Morgan")
    cli.ok("config", "set", "sender.email", "alex@example.com")


def test_the_letter_fills_in_the_refund_and_passes_the_checks(cli, ana: None, sender: None) -> None:
    cli.ok("refund", "ana", "--suggested", "--reason", "the website will not be built")
    letter = cli.ok("letter", "ana", "refund-notice")
    assert (
        "As we agreed on November 22, 2026, I am refunding €360.00, in proportion to the work "
        "that was not done: the website will not be built." in letter
    )
    assert "I will transfer the amount to your account by December 6, 2026." in letter
    assert "[[" not in letter
    assert cli.ok("letter", "ana", "refund-notice", "--check") == (
        "refund-notice (en) for Ana: no problems found\n"
    )
    cli.ok("refund-paid", "ana", "--on", "today")
    letter = cli.ok("letter", "ana", "refund-notice", "--locale", "fi")
    # Finnish writes a no-break space before the euro sign.
    expected = "Hyvityksen määrä on 360,00\u00a0€. Maksoin sen tilillenne 22. marraskuuta 2026"
    assert expected in letter
    cli.ok("letter", "ana", "refund-notice", "--locale", "fi", "--check")


@pytest.mark.parametrize("locale", ["en", "fi", "cs", "tr"])
def test_every_language_passes_with_a_refund(cli, ana: None, sender: None, locale: str) -> None:
    cli.ok("refund", "ana", "99.50", "--reason", "Website", "--on", "-1")
    cli.ok("edit", "ana", "--locale", locale)
    code, out, err = cli("letter", "ana", "refund-notice", "--check")
    assert (code, err) == (0, ""), out
    assert "no problems found" in out


def test_without_a_refund_the_check_says_to_record_it_first(cli, ana: None, sender: None) -> None:
    code, out, _ = cli("letter", "ana", "refund-notice", "--check")
    assert code == 1
    assert out.splitlines()[0] == (
        "error: Missing: the refund (record it first): [[the refund (record it first)]] is "
        "still in the letter. (run: offboard refund CLIENT AMOUNT --reason TEXT "
        "(or --suggested for AMOUNT))"
    )

"""Correcting anything from the command line: edit-KIND and delete-KIND for every record kind
(one scheme for all), redo after undo, and `offboard config`. Refusals are one line and leave
the file as it was."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from offboard.domain.records import KINDS


@pytest.fixture
def ana(cli) -> dict:
    cli.ok("add", "Ana", "--email", "ana@example.com", "--locale", "fi")
    cli.ok("flag", "ana", "payment", "Paid late")
    cli.ok("repair", "ana", "weekly call", "--review", "+9")
    cli.ok("deliverable", "ana", "Logo files", "--due", "+5")
    cli.ok("handover", "ana", "credential", "Hosting admin login")
    cli.ok("invoice", "ana", "F-1", "1 000,00")
    cli.ok("pay", "ana", "F-1", "400,00")
    cli.ok("mark-sent", "ana", "--subject", "Ending our work", "--channel", "email")
    return json.loads(cli.ok("show", "ana", "--json"))


def short_ids(text: str) -> list[str]:
    return re.findall(r"^  ([0-9a-f]{6})  ", text, re.MULTILINE)


def test_show_prints_a_short_id_for_every_record(cli, ana: dict) -> None:
    ids = short_ids(cli.ok("show", "ana"))
    everything = [*ana["flags"], *ana["repairs"], *ana["deliverables"], *ana["handover"],
                  *ana["invoices"], *ana["letters"]]  # fmt: skip
    assert [r["id"][:6] for r in everything] == [
        i for i in ids if i in {r["id"][:6] for r in everything}
    ]


def test_every_kind_has_an_edit_and_a_delete_command(capsys) -> None:
    from offboard.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for kind, spec in KINDS.items():
        assert f"delete-{kind}" in text
        assert (f"edit-{kind}" in text) is spec.editable
    assert "edit-payment" in text and "delete-payment" in text


def test_edit_then_undo_then_redo(cli, ana: dict, db: Path) -> None:
    flag = ana["flags"][0]["id"][:6]
    cli.ok("edit-flag", "ana", flag, "--severity", "3", "--on", "-2")
    shown = json.loads(cli.ok("show", "ana", "--json"))["flags"][0]
    assert (shown["severity"], shown["on"]) == (3, "2026-11-20")
    assert "Undone" in cli.ok("undo")
    assert json.loads(cli.ok("show", "ana", "--json"))["flags"][0]["severity"] == 2
    assert "Redone" in cli.ok("redo")
    assert json.loads(cli.ok("show", "ana", "--json"))["flags"][0]["severity"] == 3
    cli.refused("redo")  # nothing left to redo


@pytest.mark.parametrize(
    ("kind", "field"),
    [("flag", "flags"), ("repair", "repairs"), ("deliverable", "deliverables"),
     ("handover", "handover"), ("letter", "letters")],
)  # fmt: skip
def test_delete_every_kind_and_undo(cli, ana: dict, kind: str, field: str) -> None:
    which = ana[field][0]["id"][:6]
    cli.ok(f"delete-{kind}", "ana", which)
    assert json.loads(cli.ok("show", "ana", "--json"))[field] == []
    cli.ok("undo")
    assert json.loads(cli.ok("show", "ana", "--json"))[field] == ana[field]


def test_money_records_in_the_clients_language(cli, ana: dict) -> None:
    payment = ana["invoices"][0]["payments"][0]["id"][:6]
    cli.ok("edit-payment", "ana", payment, "--amount", "450,50")
    assert (
        json.loads(cli.ok("show", "ana", "--json"))["invoices"][0]["payments"][0]["amount"]
        == "450.50"
    )
    cli.refused("delete-invoice", "ana", "F-1")  # it has a payment
    cli.ok("delete-payment", "ana", payment)
    cli.ok("delete-invoice", "ana", "F-1")


@pytest.mark.parametrize(
    "args",
    [
        ("edit-flag", "ana", "1", "--severity", "9"),
        ("edit-flag", "ana", "1", "--on", "+3"),
        ("edit-flag", "ana", "zzzzzz", "--severity", "1"),
        ("edit-flag", "ana", "1"),
        ("edit-repair", "ana", "1", "--review", "2026-11-01"),
        ("edit-handover", "ana", "1", "--label", "password: Hunter2!xyz"),
        ("edit-invoice", "ana", "F-1", "--amount", "10"),
        ("edit-invoice", "ana", "F-1", "--amount", "1.000"),
        ("delete-flag", "nobody", "1"),
    ],
)
def test_bad_corrections_are_one_line_and_change_nothing(cli, ana: dict, args) -> None:
    err = cli.refused(*args)
    assert "tab" not in err and "press" not in err


def test_config_path_show_set(cli, tmp_path: Path) -> None:
    path = Path(cli.ok("config", "path").strip())
    assert path == tmp_path / "no-config.toml"
    assert "(not set)" in cli.ok("config", "show")
    cli.ok("config", "set", "sender.email", "ana@studio.example")
    assert "ana@studio.example" in cli.ok("config", "show")
    shown = json.loads(cli.ok("config", "show", "--json"))
    assert shown["settings"]["sender.email"] == "ana@studio.example"
    assert "did you mean defaults.target_rate?" in cli.refused(
        "config", "set", "defaults.target_rat", "80"
    )
    assert "not a number" in cli.refused("config", "set", "defaults.target_rate", "eighty")
    cli.refused("config", "set", "sender.email")  # no value
    cli.refused("config", "init")  # the file exists now


def test_config_init_needs_a_terminal_in_scripts(cli) -> None:
    assert "terminal" in cli.refused("config", "init")


def test_a_missing_sender_names_the_command_that_sets_it(cli, tmp_path: Path) -> None:
    cli.ok("add", "Bo", "--email", "bo@example.com")
    err = cli.refused("letter", "bo", "thank-you", "--out", str(tmp_path / "x.eml"))
    assert "offboard config set sender.email" in err


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_documents_need_no_sender_but_mail_does(cli, tmp_path: Path, suffix: str) -> None:
    cli.ok("add", "Bo", "--email", "bo@example.com")
    cli.ok("letter", "bo", "thank-you", "--out", str(tmp_path / f"x{suffix}"))
    assert "Bo" in (tmp_path / f"x{suffix}").read_text()
    err = cli.refused("letter", "bo", "thank-you", "--out", str(tmp_path / "x.eml"))
    assert "offboard config set sender.email" in err

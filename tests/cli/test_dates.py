"""Every date option takes what the TUI's date fields take (domain.validate.day): YYYY-MM-DD,
`today`, `+N` / `-N` days and weekday names. What is stored is the date meant, and a date
that cannot be read, or that lies in the future for something that already happened, is
refused in one line with the file unchanged."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from offboard.cli import COMMANDS, build_parser

Runner = Any  # conftest.Runner: ok(*args), refused(*args)

# Today is Sunday 2026-11-22 (conftest.TODAY).
FORMS = {
    "2026-11-20": "2026-11-20",
    "today": "2026-11-22",
    "TODAY": "2026-11-22",
    "-3": "2026-11-19",
    "+14": "2026-12-06",
    "friday": "2026-11-27",
    "mon": "2026-11-23",
}
FUTURE = {"+14", "friday", "mon"}


@dataclass(frozen=True)
class Option:
    command: Callable[[str], list[str]]  # the command line with the date typed in
    stored: Callable[[dict[str, Any]], str]  # the date as `show --json` has it
    past: bool = False  # the date of something that happened: never in the future
    setup: tuple[tuple[str, ...], ...] = ()


OPTIONS = {
    "flag --on": Option(
        lambda d: ["flag", "acme", "scope", "Asked for a free extra page", "--on", d],
        lambda c: c["flags"][-1]["on"],
        past=True,
    ),
    "repair --review": Option(
        lambda d: ["repair", "acme", "weekly call", "--start", "2026-11-01", "--review", d],
        lambda c: c["repairs"][-1]["review"],
    ),
    "repair --start": Option(
        lambda d: ["repair", "acme", "weekly call", "--start", d, "--review", "2027-01-31"],
        lambda c: c["repairs"][-1]["started"],
    ),
    "notice --on": Option(
        lambda d: ["notice", "acme", "--on", d, "--channel", "phone", "--period", "2 weeks"],
        lambda c: c["conversation"]["on"],
        past=True,
    ),
    "deliverable --due": Option(
        lambda d: ["deliverable", "acme", "Spring menu artwork", "--due", d],
        lambda c: c["deliverables"][-1]["due"],
    ),
    "invoice --issued": Option(
        lambda d: ["invoice", "acme", "F-9", "100", "--issued", d],
        lambda c: c["invoices"][-1]["issued"],
    ),
    "invoice --due": Option(
        lambda d: ["invoice", "acme", "F-9", "100", "--issued", "2026-11-01", "--due", d],
        lambda c: c["invoices"][-1]["due"],
    ),
    "pay --on": Option(
        lambda d: ["pay", "acme", "F-1", "10", "--on", d],
        lambda c: c["invoices"][0]["payments"][-1]["on"],
        past=True,
        setup=(("invoice", "acme", "F-1", "100", "--issued", "2026-11-01"),),
    ),
    "mark-sent --on": Option(
        lambda d: ["mark-sent", "acme", "--subject", "Bye", "--channel", "email", "--on", d],
        lambda c: c["letters"][-1]["sent_on"],
        past=True,
    ),
    "lessons --on": Option(
        lambda d: ["lessons", "acme", "Ask for a deposit", "--on", d],
        lambda c: c["lessons"][-1]["on"],
        past=True,
    ),
    "refund --on": Option(
        lambda d: ["refund", "acme", "40", "--reason", "Logo not delivered", "--on", d],
        lambda c: c["refunds"][-1]["on"],
        past=True,
    ),
    "refund --paid-out": Option(
        lambda d: ["refund", "acme", "40", "--reason", "Logo", "--on", "-30", "--paid-out", d],
        lambda c: c["refunds"][-1]["paid_out"],
        past=True,
    ),
    "refund-paid --on": Option(
        lambda d: ["refund-paid", "acme", "--on", d],
        lambda c: c["refunds"][-1]["paid_out"],
        past=True,
        setup=(("refund", "acme", "40", "--reason", "Logo not delivered", "--on", "2026-11-01"),),
    ),
    "edit --contract-end": Option(
        lambda d: ["edit", "acme", "--contract-end", d],
        lambda c: c["contract"]["contract_end"],
    ),
    "follow-up --on": Option(
        lambda d: ["follow-up", "acme", "Ask about the files", "--on", d],
        lambda c: c["follow_ups"][-1]["on"],
    ),
    "follow-up-done --on": Option(
        lambda d: ["follow-up-done", "acme", "--on", d],
        lambda c: c["follow_ups"][-1]["done_on"],
        past=True,
        setup=(("follow-up", "acme", "Ask about the files", "--on", "2026-11-01"),),
    ),
}


def prepare(cli: Runner, option: Option) -> None:
    cli.ok("add", "Acme Studio")
    for args in option.setup:
        cli.ok(*args)


def shown(cli: Runner) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(cli.ok("show", "acme", "--json"))
    return result


@pytest.mark.parametrize("typed", list(FORMS))
@pytest.mark.parametrize("name", list(OPTIONS))
def test_each_date_option_reads_every_form(cli: Runner, name: str, typed: str) -> None:
    option = OPTIONS[name]
    prepare(cli, option)
    if option.past and typed in FUTURE:
        err = cli.refused(*option.command(typed))
        assert f"{FORMS[typed]} is in the future" in err
        return
    cli.ok(*option.command(typed))
    assert option.stored(shown(cli)) == FORMS[typed]


@pytest.mark.parametrize("name", list(OPTIONS))
def test_each_date_option_reads_working_days(cli: Runner, name: str) -> None:
    """Working days ("+3 wd"), as the review option and every form field read them: Sunday
    22nd + 3 working days is Wednesday 25th (a review counts from its start, Sunday 1st:
    Wednesday 4th)."""
    option = OPTIONS[name]
    prepare(cli, option)
    if option.past:
        assert "2026-11-25 is in the future" in cli.refused(*option.command("+3 wd"))
        return
    cli.ok(*option.command("+3 wd"))
    meant = "2026-11-04" if name == "repair --review" else "2026-11-25"
    assert option.stored(shown(cli)) == meant


@pytest.mark.parametrize("typed", ["22/11/2026", "2026-02-30", "next week", "+99999", ""])
@pytest.mark.parametrize("name", list(OPTIONS))
def test_a_date_that_cannot_be_read_is_refused(cli: Runner, name: str, typed: str) -> None:
    option = OPTIONS[name]
    prepare(cli, option)
    optional = ("edit --contract-end", "deliverable --due", "invoice --due", "refund --paid-out")
    if typed == "" and name in optional:
        return  # an empty optional date means none
    err = cli.refused(*option.command(typed))
    assert "date" in err or "contract end" in err


def test_a_bad_date_names_the_forms(cli: Runner) -> None:
    cli.ok("add", "Acme Studio")
    err = cli.refused("deliverable", "acme", "Artwork", "--due", "22/11")
    assert "'22/11' is not a valid date" in err
    assert "YYYY-MM-DD, today, +N" in err


def test_a_contract_end_can_be_cleared(cli: Runner) -> None:
    cli.ok("add", "Acme Studio")
    cli.ok("edit", "acme", "--contract-end", "+30")
    assert shown(cli)["contract"]["contract_end"] == "2026-12-22"
    cli.ok("edit", "acme", "--contract-end", "")
    assert shown(cli)["contract"]["contract_end"] is None


def test_repair_says_the_review_date_it_stored(cli: Runner) -> None:
    cli.ok("add", "Acme Studio")
    out = cli.ok("repair", "acme", "weekly call", "--review", "+14")
    assert out == "Repair attempt for Acme Studio: review on 2026-12-06.\n"


# Options that choose a period to read rather than a date to store: tested with the report, in
# test_cli_insight.py.
PERIOD_OPTIONS = {"report --from", "report --to"}


def test_every_date_option_is_tested_and_documented() -> None:
    """A new date option shows up here: it needs a row in OPTIONS and the forms in its help."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = set()
    for name in COMMANDS:
        for action in sub.choices[name]._actions:
            if action.metavar == "DATE":
                found.add(f"{name} {action.option_strings[0]}")
                assert "today" in action.help and "-N" in action.help, (name, action.help)
    assert found == set(OPTIONS) | PERIOD_OPTIONS

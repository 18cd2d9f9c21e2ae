"""What a new user trips over on the command line: checklist items the records answer,
`mark-sent --template`, `list --active` with none active, and languages offboard cannot write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from offboard.config import load_config
from offboard.domain.errors import InvalidInput


def handover_client(cli) -> None:
    cli.ok("add", "Saltmarsh Studio")
    cli.ok("decide", "saltmarsh", "offboard", "the work no longer fits the studio")
    cli.ok("notice", "saltmarsh", "--on", "2026-11-20", "--channel", "phone")
    cli.ok("move", "saltmarsh", "handover", "--force")
    for title in ("Homepage copy", "Image library"):
        cli.ok("deliverable", "saltmarsh", title, "--due", "+5")
        cli.ok("done", "saltmarsh", title)


def test_checklist_and_show_tick_what_the_records_answer(cli) -> None:
    handover_client(cli)
    out = cli.ok("checklist", "saltmarsh")
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "finish-deliverables" in line)
    assert lines[at].startswith("  [x] finish-deliverables")
    assert lines[at + 1].strip() == "✓ all 2 deliverables done"
    assert "  [ ] files" in out  # nothing handed over yet: still the user's to tick
    items = {i["id"]: i for i in json.loads(cli.ok("checklist", "saltmarsh", "--json"))}
    assert items["finish-deliverables"]["state"] == "done"
    assert items["finish-deliverables"]["answered"] == "all 2 deliverables done"
    assert items["files"] == {
        "id": "files",
        "text": items["files"]["text"],
        "state": None,
        "answered": None,
    }
    shown = cli.ok("show", "saltmarsh")
    assert "Handover checklist:" in shown and "✓ all 2 deliverables done" in shown


def test_a_waiver_still_wins_over_the_records(cli) -> None:
    handover_client(cli)
    cli.ok("check", "saltmarsh", "handover", "finish-deliverables", "--waive")
    out = cli.ok("checklist", "saltmarsh")
    assert "  [-] finish-deliverables" in out and "✓" not in out
    cli.ok("check", "saltmarsh", "handover", "finish-deliverables", "--clear")
    assert "  [x] finish-deliverables" in cli.ok("checklist", "saltmarsh")


def test_the_gate_counts_answered_items_as_done(cli) -> None:
    handover_client(cli)
    for item in ("files", "credentials", "transition-notes", "brief-successor"):
        cli.ok("check", "saltmarsh", "handover", item, "--waive")
    # finish-deliverables was never ticked by hand: the records answer it.
    cli.ok("move", "saltmarsh", "settlement")


def test_mark_sent_with_a_template_records_the_rendered_letter(cli) -> None:
    cli.ok("add", "Kuvaamo Revontuli", "--locale", "fi", "--email", "info@kuvaamo.example")
    cli.ok("decide", "kuvaamo", "offboard", "toimeksianto ei enää sovi yritykselleni")
    cli.ok("move", "kuvaamo", "preparation", "--force")
    cli.ok("notice", "kuvaamo", "--on", "2026-11-20", "--channel", "phone", "--period", "30 days")
    cli.ok("mark-sent", "kuvaamo", "--template", "confirmation", "--channel", "email")
    letter = json.loads(cli.ok("show", "kuvaamo", "--json"))["letters"][-1]
    expected = json.loads(cli.ok("letter", "kuvaamo", "confirmation", "--json"))
    assert letter["template"] == "confirmation" and letter["locale"] == "fi"
    assert letter["subject"] == expected["subject"] and letter["subject"]
    assert letter["body"] == expected["body"] and "20. marraskuuta 2026" in letter["body"]
    # Given parts win over the rendered ones.
    cli.ok("mark-sent", "kuvaamo", "--template", "confirmation", "--subject", "Vahvistus",
           "--channel", "email")  # fmt: skip
    letter = json.loads(cli.ok("show", "kuvaamo", "--json"))["letters"][-1]
    assert letter["subject"] == "Vahvistus" and letter["body"] == expected["body"]


def test_mark_sent_refuses_a_template_that_does_not_exist(cli) -> None:
    cli.ok("add", "Acme")
    err = cli.refused("mark-sent", "acme", "--template", "no-such-letter", "--channel", "email")
    assert "no template 'no-such-letter'" in err


def test_list_active_with_none_active_says_so(cli) -> None:
    cli.ok("add", "Solo")
    cli.ok("decide", "solo", "keep", "it works again")
    assert cli.ok("list", "--active") == (
        "No active clients: 1 closed. `offboard list` shows them.\n"
    )
    assert cli.ok("list", "--stage", "notice") == "No clients in notice: 1 client elsewhere.\n"
    assert "Solo" in cli.ok("list")


def test_an_unknown_locale_is_refused_with_the_known_ones(cli) -> None:
    err = cli.refused("add", "Acme", "--locale", "xx-YY")
    assert "language 'xx-YY' is not one offboard knows" in err
    assert "en, en-GB, en-US, cs, fi, tr" in err and "offboard locales" in err
    err = cli.refused("add", "Acme", "--locale", "en-ZZ")
    assert "known for en: en, en-GB, en-US" in err
    cli.ok("add", "Acme", "--locale", "en_gb")
    assert json.loads(cli.ok("show", "acme", "--json"))["locale"] == "en-GB"
    err = cli.refused("edit", "acme", "--locale", "en-ZZ")
    assert "not one offboard knows" in err
    assert cli.ok("locales", "fi") == "fi\nfi-FI\n"
    assert "en-GB" in json.loads(cli.ok("locales", "--json"))


def test_the_config_refuses_an_unknown_locale(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[defaults]\nlocale = "en-ZZ"\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_config(path)
    text = refused.value.one_line()
    assert "defaults.locale" in text and "not one offboard knows" in text
    assert "en, en-GB, en-US" in text
    path.write_text('[defaults]\nlocale = "en-GB"\n', encoding="utf-8")
    assert load_config(path).locale == "en-GB"

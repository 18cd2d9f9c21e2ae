"""One rule, three front doors: every input rule's accepted and refused values go through the
CLI (`main()`), the services and the real TUI form (driven with Pilot), and the three agree,
refusing with the same words.

Each case names the rule, the value, whether it is accepted, and how each front end is asked:
the CLI's arguments, the service call, and the form and its field. All three start from the
same copy of the demo board at the tests' fixed date.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from formkit import form_verdict
from tuikit import TODAY

from offboard.bootstrap import build_services, open_repository
from offboard.checklists import load_checklists
from offboard.cli import main
from offboard.config import Config
from offboard.demo import write_demo
from offboard.domain.clock import FixedClock
from offboard.domain.errors import OffboardError
from offboard.services import Services
from offboard.tui import forms
from offboard.tui.forms import sentence

EN = "Fenwick"  # English, EUR, settlement: an open invoice
FI = "Kuvaamo Revontuli"  # Finnish (a decimal comma), EUR, notice


@dataclass(frozen=True)
class Rule:
    name: str
    cli: Callable[[str], list[str]]  # value -> CLI arguments
    service: Callable[[Services, str], Any]  # (services, value) -> the call
    form: type[forms.FormScreen]
    field: str
    client: str = EN


def _id(s: Services, name: str) -> str:
    return next(c.id for c in s.clients() if c.name.startswith(name))


RULES = {
    "email": Rule(
        "email",
        lambda x: ["edit", EN, "--email", x],
        lambda s, x: s.edit_client(_id(s, EN), email=x),
        forms.EditClientForm,
        "email",
    ),
    "currency": Rule(
        "currency",
        lambda x: ["edit", EN, "--currency", x],
        lambda s, x: s.edit_client(_id(s, EN), currency=x),
        forms.EditClientForm,
        "currency",
    ),
    "locale": Rule(
        "locale",
        lambda x: ["edit", EN, "--locale", x],
        lambda s, x: s.edit_client(_id(s, EN), locale=x),
        forms.EditClientForm,
        "locale",
    ),
    "amount (en)": Rule(
        "amount",
        lambda x: ["invoice", EN, "P-1", x],
        lambda s, x: s.add_invoice(_id(s, EN), "P-1", x),
        forms.InvoiceForm,
        "amount",
    ),
    "amount (fi)": Rule(
        "amount",
        lambda x: ["invoice", FI, "P-1", x],
        lambda s, x: s.add_invoice(_id(s, FI), "P-1", x),
        forms.InvoiceForm,
        "amount",
        FI,
    ),
    "flag date": Rule(
        "date",
        lambda x: ["flag", EN, "payment", "Paid late", "--on", x],
        lambda s, x: s.log_flag(_id(s, EN), "payment", "Paid late", on=x),
        forms.FlagForm,
        "on",
    ),
    "lesson date": Rule(
        "date",
        lambda x: ["lessons", EN, "Ask for a deposit", "--on", x],
        lambda s, x: s.add_lesson(_id(s, EN), "other", "Ask for a deposit", on=x),
        forms.LessonForm,
        "on",
    ),
    "review date": Rule(
        "review after start",
        lambda x: ["repair", EN, "weekly call", "--review", x],
        lambda s, x: s.add_repair(_id(s, EN), "weekly call", x),
        forms.RepairForm,
        "review",
    ),
    "notice period": Rule(
        "notice period",
        lambda x: ["edit", EN, "--notice", x],
        lambda s, x: s.edit_client(_id(s, EN), notice_period=x),
        forms.EditClientForm,
        "notice_period",
    ),
    "country": Rule(
        "country",
        lambda x: ["edit", EN, "--country", x],
        lambda s, x: s.edit_client(_id(s, EN), country=x),
        forms.EditClientForm,
        "country",
    ),
    "payment terms": Rule(
        "payment terms",
        lambda x: ["edit", EN, "--terms", x],
        lambda s, x: s.edit_client(_id(s, EN), payment_terms_days=x),
        forms.EditClientForm,
        "payment_terms_days",
    ),
    "handover label": Rule(
        "handover label",
        lambda x: ["handover", EN, "credential", x],
        lambda s, x: s.add_handover_item(_id(s, EN), "credential", x),
        forms.HandoverForm,
        "label",
    ),
    "channel": Rule(
        "channel",
        lambda x: ["notice", FI, "--on", "today", "--channel", x],
        lambda s, x: s.record_conversation(_id(s, FI), "today", x),
        forms.ConversationForm,
        "channel",
        FI,
    ),
}

# (rule, value, accepted)
CASES = [
    ("email", "ana@example.com", True),
    ("email", "ana@example", False),
    ("email", "a b@example.com", False),
    ("email", "=?utf-8?q?x?=@example.com", False),
    ("currency", "usd", True),
    ("currency", "ÄÖÜ", False),
    ("currency", "EURO", False),
    ("locale", "en-GB", True),
    ("locale", "xx-YY", False),
    ("locale", "en-ZZ", False),
    ("amount (en)", "1,250.50", True),
    ("amount (en)", "1,50", False),
    ("amount (en)", "-5", False),
    ("amount (fi)", "1 250,50", True),
    ("amount (fi)", "1.250", False),
    ("flag date", "today", True),
    ("flag date", "-2", True),
    ("flag date", "+3", False),
    ("flag date", "2026-13-01", False),
    ("lesson date", "-2", True),
    ("lesson date", "+1", False),
    ("review date", "+7", True),
    ("review date", "today", False),
    ("review date", "friday", True),
    ("review date", "+5 wd", True),
    ("review date", "10 working days", True),
    ("review date", "+0 wd", False),
    ("notice period", "1 month", True),
    ("notice period", "forever", False),
    ("notice period", "9999999 days", False),
    ("notice period", "Either party may terminate on thirty (30) days' written notice.", True),
    ("notice period", "kuukauden irtisanomisaika", True),
    ("notice period", "Výpovědní lhůta je 2 měsíce nebo 3 měsíce.", False),
    ("notice period", "thirty (20) days' notice", False),
    ("country", "fi", True),
    ("country", "DE-BY", True),
    ("country", "XX", False),
    ("country", "Finland", False),
    ("payment terms", "14", True),
    ("payment terms", "+5", False),
    ("payment terms", "366", False),
    ("handover label", "Hosting admin login", True),
    ("handover label", "WordPress admin login password: Hunter2!xyz", False),
    ("channel", "phone", True),
    ("channel", "text-message", False),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("parity") / "offboard.json"
    write_demo(path, TODAY)
    return path


def fresh(demo: Path, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name / "offboard.json"
    path.parent.mkdir()
    shutil.copy(demo, path)
    return path


def through_cli(path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> str | None:
    code = main(["--db", str(path), "--today", TODAY.isoformat(), *args])
    err = capsys.readouterr().err
    assert code in (0, 1), err  # never the catch-all
    return None if code == 0 else err.removeprefix("offboard: ").strip()


def through_services(path: Path, rule: Rule, value: str) -> str | None:
    config = Config()
    services = build_services(
        open_repository(path, config), FixedClock(TODAY), config, interface="cli",
        checklists=load_checklists(user_dir=path.parent / "none"),
    )  # fmt: skip
    try:
        rule.service(services, value)
    except OffboardError as exc:
        return exc.one_line()
    return None


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFFBOARD_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


@pytest.mark.parametrize(("rule_name", "value", "accepted"), CASES, ids=lambda x: str(x)[:24])
def test_cli_services_and_form_agree(
    demo: Path, tmp_path: Path, capsys, rule_name: str, value: str, accepted: bool
) -> None:
    rule = RULES[rule_name]
    cli = through_cli(fresh(demo, tmp_path, "cli"), rule.cli(value), capsys)
    service = through_services(fresh(demo, tmp_path, "services"), rule, value)
    form = form_verdict(rule.form, rule.field, value, rule.client)
    verdicts = {"cli": cli is None, "services": service is None, "form": form is None}
    assert verdicts == dict.fromkeys(verdicts, accepted), (cli, service, form)
    if not accepted:
        assert service is not None and cli is not None and form is not None
        # The same rule says it, in the same words (each front end may add how to fix it).
        assert cli.startswith(service), (cli, service)
        assert form.startswith(sentence(service).rstrip(".")), (form, service)

"""`offboard assess CLIENT` (the computed recommendation) and `offboard report`, on the demo
data, compared with the output kept in tests/cli/golden/.

After a deliberate change to the output, the weights or the demo data, rewrite the files with
`OFFBOARD_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cli/test_cli_insight.py` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from offboard.demo import write_demo

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("OFFBOARD_UPDATE_GOLDEN") == "1"
DEMO_DAY = "2026-11-22"
# A target rate in pounds, so the demo's clients paying in pounds are compared with it and the
# others say why they are not.
CONFIG = '[defaults]\ncurrency = "GBP"\ntarget_rate = 65\n'


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "offboard.json"
    write_demo(path, dt.date.fromisoformat(DEMO_DAY))
    return path


@pytest.fixture
def demo(
    cli: Any,
    demo_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Any:
    """The CLI (conftest's Runner) on the demo board, read only here, with a known config and
    no user weights."""
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    monkeypatch.setenv("OFFBOARD_DB", str(demo_file))
    monkeypatch.setenv("OFFBOARD_TODAY", DEMO_DAY)
    monkeypatch.setenv("OFFBOARD_CONFIG", str(config))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return type(cli)(demo_file, capsys)


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with OFFBOARD_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("client", "name"),
    [
        ("Juniper", "assess-juniper.json"),  # under the target rate: repair
        ("Saltmarsh", "assess-saltmarsh.json"),  # abuse decides it
        ("Kahvila", "assess-kahvila.json"),  # kept after a repair that worked
    ],
)
def test_assess_json(demo: Any, client: str, name: str) -> None:
    golden(name, demo.ok("assess", client, "--json"))


def test_report_json(demo: Any) -> None:
    out = demo.ok("report", "--json")
    data = json.loads(out)
    assert (data["from"], data["to"]) == ("2025-11-23", DEMO_DAY)
    assert {m["currency"] for m in data["money"]} == {"CZK", "EUR", "GBP", "USD"}
    # Refunds are records: each currency's line says how much went back, as a decimal.
    assert data["refunds_recorded"] is True
    assert all(Decimal(m["refunded"]) >= 0 for m in data["money"])
    golden("report.json", out)


def test_report_markdown(demo: Any) -> None:
    golden("report.md", demo.ok("report", "--md"))


def test_report_text_and_a_period(demo: Any) -> None:
    out = demo.ok("report", "--from", "2026-09-01", "--to", "-30")
    assert out.startswith("Exit report, Sep 1, 2026 to Oct 23, 2026\n")
    assert "Greyfield Analytics" in out  # closed on 2026-09-26


def test_assess_text_shows_both_views_when_they_differ(demo: Any) -> None:
    out = demo.ok("assess", "Tupa")
    # The user's assessment says offboard; the figures alone say keep.
    assert out.startswith("Tupa Outdoor: keep (score ")
    assert "your assessment says: offboard" in out
    assert "(it differs from the computed keep; both stay on record)" in out


def test_report_refuses_a_backward_period_and_both_formats(demo: Any) -> None:
    err = demo.refused("report", "--from", "2026-06-30", "--to", "2026-01-01")
    assert "the period starts (2026-06-30) after it ends (2026-01-01)" in err
    err = demo.refused("report", "--json", "--md")
    assert "not allowed with argument" in err


# Today is Sunday 2026-11-22: each form the date options take, and the day it means.
FORMS = {
    "2026-11-20": "2026-11-20",
    "today": "2026-11-22",
    "-3": "2026-11-19",
    "+14": "2026-12-06",
    "friday": "2026-11-27",
}


@pytest.mark.parametrize(("typed", "meant"), list(FORMS.items()))
def test_the_period_takes_every_date_form(demo: Any, typed: str, meant: str) -> None:
    period = json.loads(demo.ok("report", "--from", typed, "--to", "2027-12-31", "--json"))
    assert period["from"] == meant
    # A period past today is reported up to today.
    period = json.loads(demo.ok("report", "--from", "2026-01-01", "--to", typed, "--json"))
    assert period["to"] == min(meant, DEMO_DAY)


def test_a_period_date_that_cannot_be_read_is_refused(demo: Any) -> None:
    err = demo.refused("report", "--from", "22/11/2026")
    assert "'22/11/2026' is not a valid date" in err

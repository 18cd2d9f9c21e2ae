"""The insight use cases on a real database: the recommendation beside the user's own decision,
and the exit report's period."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from offboard.config import Config
from offboard.domain.errors import InvalidInput
from offboard.domain.models import Decision
from offboard.services import Services
from offboard.weights import load_weights


@pytest.fixture
def svc(services: Services, tmp_path: Path) -> Services:
    services.weights = load_weights(tmp_path / "no-user-weights.toml")
    services.config = dataclasses.replace(Config(), currency="GBP", target_rate=Decimal("65"))
    return services


def test_the_recommendation_with_its_reasons_written_out(svc: Services) -> None:
    svc.add_client("Juniper", currency="GBP", hourly_rate="65")
    svc.assess("Juniper", revenue="4200", hours="96")
    advice = svc.recommendation("juni")
    assert advice.recommendation.decision is Decision.KEEP
    assert "effective rate £43.75/h is 33 % under your target of £65.00/h" in advice.reasons
    assert any(r.startswith("31.4 hours unbilled") for r in advice.reasons)
    assert advice.yours is None and not advice.differs


def test_the_users_own_decision_stands_beside_it(svc: Services, today: dt.date) -> None:
    svc.add_client("Juniper", currency="GBP")
    svc.log_flag("Juniper", "abuse", "Shouted at the team in the review call", severity=3)
    svc.assess("Juniper", recommendation="repair")
    advice = svc.recommendation("Juniper")
    assert advice.recommendation.decision is Decision.OFFBOARD
    assert (advice.yours, advice.yours_source) == (Decision.REPAIR, "assessment")
    assert advice.differs

    svc.decide("Juniper", "offboard", "no one shouts at my team")
    advice = svc.recommendation("Juniper")
    assert (advice.yours, advice.yours_source, advice.yours_on) == (
        Decision.OFFBOARD,
        "decision",
        today,
    )
    assert advice.yours_reason == "no one shouts at my team" and not advice.differs


def test_missing_data_is_said(svc: Services) -> None:
    svc.config = Config()  # no target rate
    svc.add_client("Juniper")
    advice = svc.recommendation("Juniper")
    assert [m.kind for m in advice.recommendation.missing] == ["assessment", "target-rate"]
    assert advice.missing[1].startswith("no target rate set")


def test_the_report_period_takes_typed_dates_and_defaults_to_a_year(
    svc: Services, today: dt.date
) -> None:
    assert svc.report_period() == (today - dt.timedelta(days=364), today)
    assert svc.report_period("-30", "today") == (today - dt.timedelta(days=30), today)
    assert svc.report_period("2026-01-01", "2026-06-30") == (
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
    )
    with pytest.raises(InvalidInput, match=r"starts .* after it ends"):
        svc.report_period("2026-06-30", "2026-01-01")
    with pytest.raises(InvalidInput, match="not a valid date"):
        svc.report_period("soon")


def test_the_report_tells_its_progress(svc: Services) -> None:
    for name in ("A", "B", "C"):
        svc.add_client(name)
    seen: list[tuple[int, int]] = []
    report = svc.report(progress=lambda done, of: seen.append((done, of)))
    assert report.counts.in_scope == 3
    assert seen[-1] == (3, 3)

"""A date of something that happened, typed wrong: the services' hint names the forms such a
date takes (domain.reviews.typed_past_day, which the TUI's forms ask too), not a weekday."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from offboard.domain import validate as v
from offboard.domain.clock import FixedClock
from offboard.domain.errors import InvalidInput
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository

TODAY = dt.date(2026, 12, 3)


def test_a_past_date_typed_wrong_is_told_the_forms_of_a_past_date(tmp_path: Path) -> None:
    services = Services(TinyRepository(tmp_path / "db.json"), FixedClock(TODAY), actor="t")
    client = services.add_client("Ada")
    with pytest.raises(InvalidInput) as caught:
        services.log_flag(client.id, "time", "late", on="blah")
    assert caught.value.hint == f"use {v.PAST_DATE_FORMS}"

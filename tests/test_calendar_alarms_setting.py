"""calendar.alarms: one rule (domain.alarms) read in the config file, by `config set` and by
the settings screen alike; what it accepts, what it refuses and how it is written back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from offboard.config import Config, load_config, typed
from offboard.config_write import check, set_value
from offboard.domain.alarms import DEFAULT_ALARMS, Alarm, alarm, alarms, read_alarms
from offboard.domain.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "days", "at"),
    [
        ("3d 09:00", 3, dt.time(9)),
        ("0d 9:30", 0, dt.time(9, 30)),
        ("1 day 17:45", 1, dt.time(17, 45)),
        ("7 days at 08:00", 7, dt.time(8)),
        ("2d", 2, dt.time(9)),
        ("  06:15 ", 0, dt.time(6, 15)),
        ("365D 23:59", 365, dt.time(23, 59)),
    ],
)
def test_accepted_forms(text: str, days: int, at: dt.time) -> None:
    assert alarm(text) == Alarm(days, at)
    assert alarm(str(alarm(text))) == alarm(text)  # written the one way it reads back


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", "is not an alarm"),
        ("soon", "is not an alarm"),
        ("3h", "is not an alarm"),
        ("-3d 09:00", "is not an alarm"),
        ("3d 24:00", "no such time of day"),
        ("3d 09:60", "no such time of day"),
        ("366d", "more than 365 days"),
        (3, "must be text"),
    ],
)
def test_refused_forms_say_why(value: object, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        alarm(value)


def test_offsets_from_the_start_of_the_day() -> None:
    assert Alarm(3, dt.time(9)).offset() == dt.timedelta(days=-3, hours=9)
    assert Alarm(0, dt.time(9)).offset() == dt.timedelta(hours=9)


def test_a_list_is_cleaned_and_repeats_dropped() -> None:
    assert alarms("3d, 0d 09:00; 3d 09:00") == ("3d 09:00", "0d 09:00")
    assert alarms(["1d 8:00"]) == ("1d 08:00",)
    assert alarms([]) == () and alarms("") == ()
    with pytest.raises(InvalidInput, match="list"):
        alarms(3)
    with pytest.raises(InvalidInput, match="more than 10"):
        alarms([f"{d}d" for d in range(11)])
    assert read_alarms(DEFAULT_ALARMS) == (Alarm(3), Alarm(0))


def test_the_default_is_three_days_before_and_the_morning_of() -> None:
    assert Config().calendar_alarms == ("3d 09:00", "0d 09:00")


def test_config_file_and_set_use_the_same_rule(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[calendar]\nalarms = ["1d 17:00", "0d"]\n', encoding="utf-8")
    assert load_config(cfg).calendar_alarms == ("1d 17:00", "0d 09:00")

    loaded = set_value("calendar.alarms", "7d 08:00; 0d 07:30", cfg)
    assert loaded.calendar_alarms == ("7d 08:00", "0d 07:30")
    assert 'alarms = ["7d 08:00", "0d 07:30"]' in cfg.read_text()
    # The settings screen shows the value as it is typed, and reads it back the same.
    assert check("calendar.alarms", typed(loaded.calendar_alarms)) == loaded.calendar_alarms

    before = cfg.read_bytes()
    with pytest.raises(InvalidInput) as refused:
        set_value("calendar.alarms", "3d 25:00", cfg)
    assert "calendar.alarms" in refused.value.one_line()
    assert "no such time of day" in refused.value.one_line()
    assert cfg.read_bytes() == before

    cfg.write_text('[calendar]\nalarms = ["whenever"]\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_config(cfg)
    assert str(cfg) in refused.value.one_line() and "calendar.alarms" in refused.value.one_line()


def test_no_alarms_at_all(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    assert set_value("calendar.alarms", "", cfg).calendar_alarms == ()
    assert load_config(cfg).calendar_alarms == ()

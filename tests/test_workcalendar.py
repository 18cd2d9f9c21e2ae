"""Business days by country: the calendar built from the `holidays` package and the user's own
days off, checked against the package itself for TR, FI, CZ, GB, DE and US; the country rule
(config and client); and a recorded last day that a holiday added later falls on, which the
services, `show` and the letter checks tell about without changing it."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
from hypothesis import given, settings, strategies as st

from offboard.checklists import load_checklists
from offboard.cli import main
from offboard.config import Config, load_config
from offboard.domain.clock import FixedClock
from offboard.domain.errors import InvalidInput
from offboard.domain.notice import (
    NoticePeriod,
    add_business_days,
    end_date,
    is_business_day,
    last_working_day,
)
from offboard.domain.workdays import check_working_day, next_working_day
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.workcalendar import (
    calendar_for,
    country,
    country_for,
    country_of_locale,
)

D = date.fromisoformat
COUNTRIES = ("TR", "FI", "CZ", "GB", "DE", "US")


def package_off(code: str, day: date) -> bool:
    """The oracle: the package asked directly, one day at a time."""
    return day.weekday() >= 5 or day in holidays.country_holidays(code, years=day.year)


def calendar(code: str, own: frozenset[date] = frozenset()):
    return calendar_for(Config(country=code, holidays=own))


starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


# --- against the package ------------------------------------------------------------------------


@pytest.mark.parametrize("code", COUNTRIES)
@given(start=starts, n=st.integers(1, 300))
@settings(max_examples=40, deadline=None)
def test_counted_business_days_never_end_on_a_holiday_or_weekend(
    code: str, start: date, n: int
) -> None:
    end = add_business_days(start, n, calendar(code))
    assert not package_off(code, end)


@pytest.mark.parametrize("code", COUNTRIES)
@given(start=starts, n=st.integers(0, 120))
@settings(max_examples=40, deadline=None)
def test_adding_n_business_days_then_counting_back_gives_the_start(
    code: str, start: date, n: int
) -> None:
    end = add_business_days(start, n, calendar(code))
    day, left = end, n
    while left:
        day -= timedelta(days=1)
        if not package_off(code, day):
            left -= 1
    # Counted back over the same working days: the start, or (for a start that is itself a
    # day off) the working day just before it, since counting begins the day after the start.
    expected = start
    while package_off(code, expected) and n:
        expected -= timedelta(days=1)
    assert day == (expected if n else end)
    if n == 0:
        assert end == start


@pytest.mark.parametrize("code", COUNTRIES)
@given(
    start=starts,
    period=st.sampled_from(
        [NoticePeriod("days", 30), NoticePeriod("months", 1), NoticePeriod("weeks", 2),
         NoticePeriod("business_days", 20), NoticePeriod("months", 3, to_month_end=True),
         NoticePeriod("end_of_month")]
    ),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_the_last_working_day_is_worked_there(code: str, start: date, period) -> None:
    cal = calendar(code)
    last = last_working_day(start, period, cal)
    assert last == start or not package_off(code, last)
    # Nothing between it and the notice's end could have been worked.
    day = last + timedelta(days=1)
    while day <= end_date(start, period, cal):
        assert package_off(code, day) or last == start
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("code", "day", "name"),
    [
        ("TR", "2026-04-23", "National Sovereignty"),
        ("FI", "2026-12-24", "Christmas Eve"),
        ("CZ", "2026-10-28", "Independent Czechoslovak State"),
        ("GB", "2026-12-28", "Boxing Day"),
        ("DE", "2025-10-03", "German Unity"),
        ("US", "2026-11-26", "Thanksgiving"),
    ],
)
def test_why_a_day_is_off_names_the_holiday(code: str, day: str, name: str) -> None:
    cal = calendar(code)
    assert not is_business_day(D(day), cal)
    found = check_working_day(D(day), cal)
    assert found is not None
    assert name in found.why and f"public holiday in {code}" in found.why
    assert not package_off(code, found.next_working)
    assert found.next_working > D(day)


def test_own_days_off_count_beside_the_public_holidays() -> None:
    own = frozenset({D("2026-12-23")})
    cal = calendar("FI", own)
    assert cal.why_off(D("2026-12-23")) == "one of your own days off"
    assert next_working_day(D("2026-12-22"), cal) == D("2026-12-28")
    assert cal.describe() == "public holidays in FI and 1 day off of your own"


def test_no_country_counts_weekends_and_own_days_only() -> None:
    cal = calendar_for(Config(locale="en", holidays=frozenset({D("2026-12-24")})))
    assert cal.country == ""
    assert is_business_day(D("2026-12-25"), cal)  # no public holidays without a country
    assert not is_business_day(D("2026-12-24"), cal)


def test_a_region_adds_its_own_holidays() -> None:
    # Epiphany is a holiday in Bavaria, not in Germany as a whole.
    assert is_business_day(D("2027-01-06"), calendar("DE"))
    assert not is_business_day(D("2027-01-06"), calendar("DE-BY"))


# --- which country ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "code"),
    [("en-GB", "GB"), ("fi", "FI"), ("tr", "TR"), ("cs", "CZ"), ("de-AT", "AT"), ("en", ""),
     ("en_US", "US"), ("fi-FI", "FI")],
)  # fmt: skip
def test_the_country_a_locale_names(locale: str, code: str) -> None:
    assert country_of_locale(locale) == code


def test_the_clients_country_wins_over_the_configs_which_wins_over_the_locale() -> None:
    from offboard.domain.models import Client

    config = Config(locale="fi")
    assert country_for(config) == "FI"
    assert country_for(Config(locale="fi", country="CZ")) == "CZ"
    assert country_for(Config(locale="fi", country="CZ"), Client("A", country="TR")) == "TR"
    assert country_for(config, Client("A")) == "FI"


@pytest.mark.parametrize(
    ("typed", "stored"), [("fi", "FI"), (" GB ", "GB"), ("de-by", "DE-BY"), ("", "")]
)
def test_country_rule_spells_codes_as_the_package_does(typed: str, stored: str) -> None:
    assert country(typed) == stored


@pytest.mark.parametrize(
    ("typed", "said"),
    [("XX", "no public holidays"), ("Finland", "not a country code"), ("DE-ZZ", "no region"),
     ("F", "not a country code")],
)  # fmt: skip
def test_country_rule_refuses_what_the_package_does_not_know(typed: str, said: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        country(typed)
    assert said in caught.value.message


def test_config_country_is_checked_when_loaded(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[defaults]\ncountry = "fi"\n', encoding="utf-8")
    assert load_config(path).country == "FI"
    path.write_text('[defaults]\ncountry = "XX"\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    assert "defaults.country" in caught.value.message


# --- a recorded last day that became a day off --------------------------------------------------


@pytest.fixture
def svc(tmp_path: Path) -> Services:
    repo = TinyRepository(tmp_path / "offboard.json")
    checklists = load_checklists(user_dir=tmp_path / "none")
    return Services(repo, FixedClock(D("2026-11-22")), Config(), checklists)


def test_notice_counts_with_the_clients_country(svc: Services) -> None:
    svc.add_client("Revontuli", notice_period="25 business days")
    plain = svc.record_conversation("Revontuli", D("2026-11-20"), "phone")
    assert plain.conversation is not None
    assert plain.conversation.last_day == D("2026-12-25")  # a Friday; no holidays known
    finnish = svc.edit_client("Revontuli", country="fi")
    assert finnish.country == "FI"
    # Nothing moved: the recorded day stays, and the check says why it is not worked.
    assert finnish.conversation is not None
    assert finnish.conversation.last_day == D("2026-12-25")
    off = svc.last_day_check(finnish)
    assert off is not None
    assert off.day == D("2026-12-25") and "Christmas Day" in off.why
    assert off.next_working == D("2026-12-28")
    assert off.recounted == D("2026-12-29")  # counted anew, Christmas Eve and Day skipped
    again = svc.record_conversation("Revontuli", D("2026-11-20"), "phone")
    assert again.conversation is not None
    assert again.conversation.last_day == D("2026-12-29")
    assert svc.last_day_check(again) is None


def test_show_says_the_last_day_is_no_longer_a_working_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OFFBOARD_DB", str(tmp_path / "offboard.json"))
    monkeypatch.setenv("OFFBOARD_TODAY", "2026-11-22")
    monkeypatch.setenv("OFFBOARD_CONFIG", str(tmp_path / "no-config.toml"))

    def run(*args: str) -> str:
        code = main(list(args))
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    run("add", "Kuvaamo", "--notice", "25 business days")
    run("notice", "Kuvaamo", "--on", "2026-11-20", "--channel", "phone")
    assert "not a working day" not in run("show", "Kuvaamo")
    run("edit", "Kuvaamo", "--country", "FI")
    shown = run("show", "Kuvaamo")
    assert "2026-12-25, is not a working day (Christmas Day, a public holiday in FI)" in shown
    assert "the next working day is 2026-12-28" in shown
    assert "offboard notice Kuvaamo --on 2026-11-20 --channel phone" in shown
    import json

    detail = json.loads(run("show", "Kuvaamo", "--json"))
    assert detail["last_day_not_working"]["next_working_day"] == "2026-12-28"


def test_the_cli_echoes_what_it_understood(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OFFBOARD_DB", str(tmp_path / "offboard.json"))
    monkeypatch.setenv("OFFBOARD_TODAY", "2026-11-22")
    monkeypatch.setenv("OFFBOARD_CONFIG", str(tmp_path / "no-config.toml"))
    assert main(["add", "Fenwick"]) == 0
    capsys.readouterr()
    clause = "Either party may terminate with three (3) months' notice to the end of a month."
    assert main(["edit", "Fenwick", "--notice", clause]) == 0
    out = capsys.readouterr().out
    assert "Notice period read as 3 months, calendar days, to the end of a calendar month." in out


def test_the_letter_checks_warn_about_a_last_day_off(svc: Services) -> None:
    svc.add_client("Revontuli", notice_period="25 business days", email="a@example.com")
    svc.record_conversation("Revontuli", D("2026-11-20"), "phone")
    client = svc.edit_client("Revontuli", country="FI")
    from offboard.letters.compose import compose

    request = svc.prepare_letter(client, "termination")
    assert request.context["notice"]["last_day_warning"]
    composed = compose(request.info, request.context, locale=request.locale)
    # The termination letter names the last day, so the checks warn, with the next working day.
    assert request.context["notice"]["last_day"] in composed.body
    found = [f for f in composed.findings if f.id == "last_day_not_working"]
    assert len(found) == 1 and "2026-12-28" in found[0].detail
    assert found[0].severity == "warning"
    # A letter that does not name the day has nothing to warn about.
    thanks = svc.prepare_letter(client, "thank-you")
    composed = compose(thanks.info, thanks.context, locale=thanks.locale)
    assert not [f for f in composed.findings if f.id == "last_day_not_working"]


def test_month_end_periods_read_in_the_letters_language() -> None:
    from offboard.letters.context import period_text

    text = "3 months to the end of a calendar month"
    assert period_text(text, "en") == "3 months to the end of a calendar month"
    assert period_text(text, "cs").endswith("ke konci kalendářního měsíce")
    assert period_text(text, "fi").endswith("kalenterikuukauden loppuun")
    assert period_text(text, "tr").endswith("takvim ayının sonuna kadar")


def test_the_calendar_is_built_once_per_country_and_days_off() -> None:
    a = calendar_for(Config(country="FI"))
    assert calendar_for(Config(country="FI")) is a
    assert calendar_for(Config(country="FI", holidays=frozenset({dt.date(2026, 1, 2)}))) is not a


@pytest.mark.parametrize("module", ["offboard.services", "offboard.cli", "offboard.config"])
def test_the_holiday_rules_load_only_when_a_calendar_needs_them(module: str) -> None:
    import json
    import subprocess
    import sys

    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "holidays" not in {name.split(".")[0] for name in json.loads(done.stdout)}

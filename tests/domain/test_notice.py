"""Notice periods: parsing what the user types, and working out the last working day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from offboard.domain.errors import InvalidInput
from offboard.domain.notice import (
    ACCEPTED_FORMS,
    NoticePeriod,
    add_business_days,
    days_remaining,
    end_date,
    is_business_day,
    last_working_day,
    parse_period,
    previous_business_day,
)

D = date.fromisoformat
CHRISTMAS = {D("2026-12-24"), D("2026-12-25")}


# --- parsing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 days", NoticePeriod("days", 14)),
        ("1 day", NoticePeriod("days", 1)),
        ("1 days", NoticePeriod("days", 1)),
        ("0 days", NoticePeriod("days", 0)),
        ("30", NoticePeriod("days", 30)),
        ("  7  ", NoticePeriod("days", 7)),
        ("2 weeks", NoticePeriod("weeks", 2)),
        ("1 week", NoticePeriod("weeks", 1)),
        ("1 month", NoticePeriod("months", 1)),
        ("3 months", NoticePeriod("months", 3)),
        ("10 business days", NoticePeriod("business_days", 10)),
        ("1 business day", NoticePeriod("business_days", 1)),
        ("10 working days", NoticePeriod("business_days", 10)),
        ("1 working day", NoticePeriod("business_days", 1)),
        ("until 2027-01-31", NoticePeriod("until", until=D("2027-01-31"))),
        ("end of month", NoticePeriod("end_of_month")),
        ("end of the month", NoticePeriod("end_of_month")),
    ],
)
def test_parses_every_accepted_form(text: str, expected: NoticePeriod) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 DAYS", NoticePeriod("days", 14)),
        ("  14   Days  ", NoticePeriod("days", 14)),
        ("14\tdays", NoticePeriod("days", 14)),
        ("14days", NoticePeriod("days", 14)),
        ("2 Weeks", NoticePeriod("weeks", 2)),
        ("1 MONTH", NoticePeriod("months", 1)),
        ("10  Business\n Days", NoticePeriod("business_days", 10)),
        ("5 Working Days", NoticePeriod("business_days", 5)),
        ("UNTIL   2027-01-31", NoticePeriod("until", until=D("2027-01-31"))),
        ("End Of Month", NoticePeriod("end_of_month")),
        ("  END  OF  THE  MONTH ", NoticePeriod("end_of_month")),
    ],
)
def test_parsing_ignores_case_and_extra_whitespace(text: str, expected: NoticePeriod) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (NoticePeriod("days", 14), "14 days"),
        (NoticePeriod("days", 1), "1 day"),
        (NoticePeriod("days", 0), "0 days"),
        (NoticePeriod("weeks", 1), "1 week"),
        (NoticePeriod("weeks", 2), "2 weeks"),
        (NoticePeriod("months", 1), "1 month"),
        (NoticePeriod("months", 6), "6 months"),
        (NoticePeriod("business_days", 1), "1 business day"),
        (NoticePeriod("business_days", 10), "10 business days"),
        (NoticePeriod("until", until=D("2027-01-31")), "until 2027-01-31"),
        (NoticePeriod("end_of_month"), "end of month"),
    ],
)
def test_describe_gives_canonical_text_that_parses_back(period: NoticePeriod, text: str) -> None:
    assert period.describe() == text
    assert parse_period(text) == period


@pytest.mark.parametrize(
    "text",
    [
        "soon",
        "-3 days",
        "+3 days",
        "3 fortnights",
        "",
        "   ",
        "until tomorrow",
        "until",
        "until 31/01/2027",
        "1.5 months",
        "14 days please",
        "end of week",
        "days",
        "٣ days",  # non-ASCII digits are not a number the user meant to type here
    ],
)
def test_rejects_garbage_and_lists_accepted_forms(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_period(text)
    assert repr(text) in caught.value.message
    assert caught.value.hint is not None
    assert ACCEPTED_FORMS in caught.value.hint
    assert ACCEPTED_FORMS in caught.value.one_line()


def test_rejects_an_impossible_until_date_by_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_period("until 2027-02-30")
    assert "2027-02-30" in caught.value.message
    assert ACCEPTED_FORMS in caught.value.one_line()


@pytest.mark.parametrize(
    ("longest", "too_long"),
    [
        ("3650 days", "3651 days"),
        ("3650", "3651"),
        ("520 weeks", "521 weeks"),
        ("120 months", "121 months"),
        ("2600 business days", "2601 business days"),
        ("2600 working days", "2601 working days"),
    ],
)
def test_rejects_unreasonably_long_periods(longest: str, too_long: str) -> None:
    parse_period(longest)
    with pytest.raises(InvalidInput):
        parse_period(too_long)


def test_accepted_forms_is_one_line_of_parseable_examples() -> None:
    assert "\n" not in ACCEPTED_FORMS
    for example in ACCEPTED_FORMS.split(", "):
        parse_period(example.strip('"'))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "fortnights", "count": 1},
        {"kind": "days", "count": -1},
        {"kind": "until"},
        {"kind": "days", "count": 3, "until": date(2027, 1, 1)},
        {"kind": "end_of_month", "count": 2},
        {"kind": "end_of_month", "to_month_end": True},
        {"kind": "until", "until": date(2027, 1, 1), "to_month_end": True},
    ],
)
def test_notice_period_refuses_inconsistent_fields(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        NoticePeriod(**kwargs)


# --- business days -------------------------------------------------------------------------------


def test_is_business_day() -> None:
    assert is_business_day(D("2026-11-23"))  # Monday
    assert is_business_day(D("2026-11-20"))  # Friday
    assert not is_business_day(D("2026-11-21"))  # Saturday
    assert not is_business_day(D("2026-11-22"))  # Sunday
    assert not is_business_day(D("2026-12-24"), CHRISTMAS)
    assert is_business_day(D("2026-12-24"), [D("2026-12-31")])


def test_add_business_days_skips_weekends() -> None:
    friday = D("2026-12-11")
    assert add_business_days(friday, 1) == D("2026-12-14")
    assert add_business_days(friday, 5) == D("2026-12-18")
    assert add_business_days(friday, 6) == D("2026-12-21")
    assert add_business_days(D("2026-11-22"), 1) == D("2026-11-23")  # from a Sunday
    assert add_business_days(D("2026-11-21"), 5) == D("2026-11-27")  # from a Saturday


def test_add_business_days_skips_holidays() -> None:
    # After Fri 18 Dec: Mon 21, Tue 22, Wed 23 count; Thu 24 and Fri 25 are off; Mon 28, Tue 29.
    assert add_business_days(D("2026-12-18"), 5, CHRISTMAS) == D("2026-12-29")
    assert add_business_days(D("2026-12-18"), 5, sorted(CHRISTMAS)) == D("2026-12-29")
    assert add_business_days(D("2026-12-18"), 5) == D("2026-12-25")


def test_weekend_holidays_do_not_cost_a_day() -> None:
    weekend = {D("2026-12-19"), D("2026-12-20")}
    assert add_business_days(D("2026-12-18"), 1, weekend) == D("2026-12-21")


def test_add_zero_business_days_is_the_start_even_on_a_weekend() -> None:
    assert add_business_days(D("2026-11-22"), 0) == D("2026-11-22")


def test_add_negative_business_days_is_refused() -> None:
    with pytest.raises(ValueError):
        add_business_days(D("2026-11-23"), -1)


def test_add_business_days_matches_a_day_by_day_walk_for_the_longest_period() -> None:
    holidays = {D("2027-01-01") + timedelta(days=30 * i) for i in range(20)}
    day, counted = D("2026-11-23"), 0
    while counted < 2600:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    assert add_business_days(D("2026-11-23"), 2600, holidays) == day


def test_previous_business_day() -> None:
    assert previous_business_day(D("2026-11-23")) == D("2026-11-23")
    assert previous_business_day(D("2026-11-22")) == D("2026-11-20")
    assert previous_business_day(D("2026-11-21")) == D("2026-11-20")
    assert previous_business_day(D("2026-12-25"), CHRISTMAS) == D("2026-12-23")
    assert previous_business_day(D("2026-12-28"), CHRISTMAS) == D("2026-12-28")


# --- end date and last working day ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "text", "end"),
    [
        ("2026-11-23", "14 days", "2026-12-07"),
        ("2026-11-23", "0 days", "2026-11-23"),
        ("2026-11-23", "2 weeks", "2026-12-07"),
        ("2027-01-31", "1 month", "2027-02-28"),
        ("2028-01-31", "1 month", "2028-02-29"),
        ("2026-03-31", "1 month", "2026-04-30"),
        ("2026-10-22", "1 month", "2026-11-22"),
        ("2026-12-15", "3 months", "2027-03-15"),
        ("2026-11-23", "until 2027-01-31", "2027-01-31"),
        ("2026-11-23", "until 2026-11-23", "2026-11-23"),
        ("2027-01-05", "end of month", "2027-01-31"),
        ("2028-02-03", "end of month", "2028-02-29"),
        ("2027-02-03", "end of month", "2027-02-28"),
        ("2026-12-18", "10 business days", "2027-01-01"),
    ],
)
def test_end_date(start: str, text: str, end: str) -> None:
    assert end_date(D(start), parse_period(text)) == D(end)


def test_end_date_for_business_days_uses_holidays() -> None:
    assert end_date(D("2026-12-18"), parse_period("5 business days"), CHRISTMAS) == D("2026-12-29")


def test_until_before_the_conversation_date_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        end_date(D("2026-11-23"), parse_period("until 2026-11-22"))
    assert "2026-11-22" in caught.value.message
    assert "2026-11-23" in caught.value.message
    with pytest.raises(InvalidInput):
        last_working_day(D("2026-11-23"), parse_period("until 2026-11-22"))


@pytest.mark.parametrize(
    ("start", "text", "last"),
    [
        # Ends on a Thursday: nothing to roll back.
        ("2026-03-31", "1 month", "2026-04-30"),
        # Ends on a Sunday (2026-11-22): back to Friday.
        ("2026-10-22", "1 month", "2026-11-20"),
        # Ends on a Sunday (2027-02-28).
        ("2027-01-31", "1 month", "2027-02-26"),
        # Ends on a Saturday (2026-10-31).
        ("2026-10-17", "14 days", "2026-10-30"),
        # Month ending on a Sunday (2027-01-31) and on a Saturday (2027-07-31).
        ("2027-01-05", "end of month", "2027-01-29"),
        ("2027-07-05", "end of month", "2027-07-30"),
        # Already a business day.
        ("2026-12-18", "9 business days", "2026-12-31"),
        ("2026-11-23", "until 2026-11-27", "2026-11-27"),
        ("2026-11-23", "until 2026-11-29", "2026-11-27"),
    ],
)
def test_last_working_day_rolls_back_to_a_business_day(start: str, text: str, last: str) -> None:
    assert last_working_day(D(start), parse_period(text)) == D(last)


def test_last_working_day_rolls_back_over_holidays() -> None:
    # 14 days from Fri 11 Dec lands on Christmas Day; Christmas Eve is off too.
    period = parse_period("14 days")
    assert last_working_day(D("2026-12-11"), period) == D("2026-12-25")
    assert last_working_day(D("2026-12-11"), period, {D("2026-12-25")}) == D("2026-12-24")
    assert last_working_day(D("2026-12-11"), period, CHRISTMAS) == D("2026-12-23")


def test_last_working_day_is_never_before_the_conversation_date() -> None:
    saturday = D("2026-11-21")
    assert last_working_day(saturday, parse_period("0 days")) == saturday
    assert last_working_day(saturday, parse_period("1 day")) == saturday
    assert last_working_day(saturday, parse_period("0 business days")) == saturday
    # Told on the last day of a month that ends on a Sunday.
    assert last_working_day(D("2027-01-31"), parse_period("end of month")) == D("2027-01-31")


def test_days_remaining() -> None:
    assert days_remaining(D("2026-12-07"), D("2026-11-23")) == 14
    assert days_remaining(D("2026-11-23"), D("2026-11-23")) == 0
    assert days_remaining(D("2026-11-20"), D("2026-11-23")) == -3


# --- properties ----------------------------------------------------------------------------------

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
holiday_sets = st.sets(dates, max_size=20)


def _business_days_between(start: date, end: date, holidays: set[date]) -> int:
    """Business days in (start, end], counted one day at a time as an independent check."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count += 1
    return count


@st.composite
def periods(draw: st.DrawFn, start: date | None = None) -> NoticePeriod:
    kind = draw(st.sampled_from(["days", "weeks", "months", "business_days", "until", "eom"]))
    if kind == "days":
        return NoticePeriod("days", draw(st.integers(0, 3650)))
    if kind == "weeks":
        return NoticePeriod("weeks", draw(st.integers(0, 520)))
    if kind == "months":
        return NoticePeriod("months", draw(st.integers(0, 120)))
    if kind == "business_days":
        return NoticePeriod("business_days", draw(st.integers(0, 400)))
    if kind == "until":
        if start is None:
            return NoticePeriod("until", until=draw(dates))
        return NoticePeriod("until", until=start + timedelta(days=draw(st.integers(0, 400))))
    return NoticePeriod("end_of_month")


@st.composite
def starts_and_periods(draw: st.DrawFn) -> tuple[date, NoticePeriod]:
    start = draw(dates)
    return start, draw(periods(start))


@given(starts_and_periods(), holiday_sets)
def test_last_working_day_is_a_business_day_or_the_start(
    start_and_period: tuple[date, NoticePeriod], holidays: set[date]
) -> None:
    start, period = start_and_period
    last = last_working_day(start, period, holidays)
    assert is_business_day(last, holidays) or last == start


@given(starts_and_periods(), holiday_sets)
def test_last_working_day_lies_between_start_and_end(
    start_and_period: tuple[date, NoticePeriod], holidays: set[date]
) -> None:
    start, period = start_and_period
    end = end_date(start, period, holidays)
    last = last_working_day(start, period, holidays)
    assert start <= last <= end
    # Nothing between the last working day and the end date could have been worked.
    assert last == start or _business_days_between(last, end, set(holidays)) == 0


@given(dates, st.integers(0, 400), holiday_sets, st.sets(st.integers(0, 60), max_size=20))
def test_business_days_count_exactly(
    start: date, n: int, holidays: set[date], offsets: set[int]
) -> None:
    # Holidays drawn across a century rarely fall near the start; add some that do.
    holidays = holidays | {start + timedelta(days=k) for k in offsets}
    result = add_business_days(start, n, holidays)
    assert _business_days_between(start, result, holidays) == n
    if n >= 1:
        assert is_business_day(result, holidays)
        period = NoticePeriod("business_days", n)
        assert end_date(start, period, holidays) == result
        assert last_working_day(start, period, holidays) == result


@given(dates, st.integers(0, 400), holiday_sets)
def test_holidays_may_be_a_list_or_a_set(start: date, n: int, holidays: set[date]) -> None:
    as_list = sorted(holidays)
    assert add_business_days(start, n, as_list) == add_business_days(start, n, holidays)


@given(dates, st.integers(0, 120))
def test_months_keep_the_day_or_clamp_to_the_month_end(start: date, n: int) -> None:
    end = end_date(start, NoticePeriod("months", n))
    year, month0 = divmod(start.year * 12 + start.month - 1 + n, 12)
    assert (end.year, end.month) == (year, month0 + 1)
    assert end.day == min(start.day, calendar.monthrange(year, month0 + 1)[1])


@given(dates, st.integers(0, 520), holiday_sets)
def test_weeks_are_seven_days(start: date, n: int, holidays: set[date]) -> None:
    weeks, days = NoticePeriod("weeks", n), NoticePeriod("days", 7 * n)
    assert end_date(start, weeks) == end_date(start, days) == start + timedelta(weeks=n)
    assert last_working_day(start, weeks, holidays) == last_working_day(start, days, holidays)


@given(dates)
def test_end_of_month_is_the_last_day_of_the_start_month(start: date) -> None:
    end = end_date(start, NoticePeriod("end_of_month"))
    assert (end.year, end.month) == (start.year, start.month)
    assert (end + timedelta(days=1)).day == 1


@given(periods())
def test_describe_round_trips(period: NoticePeriod) -> None:
    assert parse_period(period.describe()) == period
    assert parse_period(period.describe().upper()) == period


@given(dates, dates)
def test_days_remaining_counts_calendar_days(last: date, today: date) -> None:
    assert today + timedelta(days=days_remaining(last, today)) == last

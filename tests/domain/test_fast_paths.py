"""Small domain rules written for speed (ids, calendars, notice periods, the stages a move
passes): each still gives what the plain way of writing it gives."""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid

import pytest

from offboard.domain.clauses import notice_period, stored_notice
from offboard.domain.errors import InvalidInput
from offboard.domain.ids import new_id, uuid4_text
from offboard.domain.models import STAGE_ORDER, Stage
from offboard.domain.stages import stages_entered
from offboard.domain.workdays import DaysOff, FixedDaysOff, calendar

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_uuid4_text_is_what_the_uuid_module_writes():
    rng = random.Random(1)
    samples = [0, 2**128 - 1, 1 << 76, 0xC000 << 48] + [rng.getrandbits(128) for _ in range(2000)]
    for bits in samples:
        assert uuid4_text(bits) == str(uuid.UUID(int=bits, version=4))


def test_new_ids_are_random_version_4_uuids():
    ids = [new_id() for _ in range(500)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        assert UUID4.fullmatch(text)
        assert uuid.UUID(text).version == 4 and str(uuid.UUID(text)) == text


class _HalfCalendar:
    def why_off(self, day: dt.date) -> str | None:
        return None


class _NoneMethods:
    off_between = None
    why_off = None

    def __iter__(self):
        return iter(())


@pytest.mark.parametrize(
    "holidays",
    [
        FixedDaysOff(frozenset({dt.date(2026, 5, 1)})),
        [dt.date(2026, 5, 1)],
        {dt.date(2026, 12, 25)},
        (),
        frozenset(),
        _NoneMethods(),
    ],
    ids=["fixed", "list", "set", "tuple", "frozenset", "none-methods"],
)
def test_calendar_passes_a_calendar_through_and_wraps_dates(holidays):
    cal = calendar(holidays)
    if isinstance(holidays, DaysOff):
        assert cal is holidays
    else:
        assert cal == FixedDaysOff(frozenset(holidays))


def test_an_object_with_half_a_calendar_is_not_one():
    assert not isinstance(_HalfCalendar(), DaysOff)
    with pytest.raises(TypeError):
        calendar(_HalfCalendar())  # taken for a collection of dates, which it is not


def test_a_notice_period_read_again_is_the_same_and_refusals_repeat():
    first = notice_period("3 months to the end of a calendar month")
    assert notice_period("3 months to the end of a calendar month") == first
    assert stored_notice("30 days") == "30 days"
    for _ in range(2):
        with pytest.raises(InvalidInput, match="not understood"):
            notice_period("thirty-ish days, roughly")
    with pytest.raises(InvalidInput):
        notice_period(30)
    with pytest.raises(InvalidInput, match="empty"):
        notice_period("   ")


def _entered_by_rule(source: Stage, target: Stage) -> list[Stage]:
    between = [s for s in Stage if source.order < s.order <= target.order]
    return [s for s in between if s is not Stage.REPAIR or target is Stage.REPAIR]


def test_stages_entered_are_the_forward_stages_up_to_the_target():
    for source in STAGE_ORDER:
        for target in STAGE_ORDER:
            assert stages_entered(source, target) == _entered_by_rule(source, target)
    assert stages_entered(Stage.ASSESSMENT, Stage.NOTICE) == [Stage.PREPARATION, Stage.NOTICE]
    assert stages_entered(Stage.ASSESSMENT, Stage.REPAIR) == [Stage.REPAIR]
    assert stages_entered(Stage.CLOSED, Stage.ASSESSMENT) == []

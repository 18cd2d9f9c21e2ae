"""A deliverable keeps the day it was marked done (from the clock), so the handover letter can
say when the work was delivered; reopening it forgets the day, and undo brings it back."""

from __future__ import annotations

import datetime as dt

from offboard.domain.clock import FixedClock
from offboard.services import Services


def test_marking_done_records_the_day_and_reopening_clears_it(
    services: Services, clock: FixedClock
) -> None:
    ana = services.add_client("Ana")
    services.add_deliverable(ana.id, "Logo", due=dt.date(2026, 12, 20))
    clock.set_today(dt.date(2026, 12, 3))
    item = services.set_deliverable_done(ana.id, "Logo").deliverables[0]
    assert item.done and item.done_on == dt.date(2026, 12, 3)
    # Ticking it again later keeps the day it was first done.
    clock.set_today(dt.date(2026, 12, 5))
    assert services.set_deliverable_done(ana.id, "Logo").deliverables[0].done_on == dt.date(
        2026, 12, 3
    )
    reopened = services.set_deliverable_done(ana.id, "Logo", False).deliverables[0]
    assert not reopened.done and reopened.done_on is None
    services.undo()
    assert services.resolve(ana.id).deliverables[0].done_on == dt.date(2026, 12, 3)


def test_an_edit_that_marks_it_done_records_the_day_too(
    services: Services, clock: FixedClock
) -> None:
    ana = services.add_client("Ana")
    services.add_deliverable(ana.id, "Logo")
    clock.set_today(dt.date(2026, 12, 4))
    item = services.edit_record(ana.id, "deliverable", "Logo", done="yes").deliverables[0]
    assert item.done_on == dt.date(2026, 12, 4)
    item = services.edit_record(ana.id, "deliverable", "Logo", title="Logo, final").deliverables[0]
    assert item.done_on == dt.date(2026, 12, 4)  # an edit of something else keeps it
    item = services.edit_record(ana.id, "deliverable", "Logo", done="no").deliverables[0]
    assert item.done_on is None


def test_the_day_is_stored_and_read_back(services: Services) -> None:
    ana = services.add_client("Ana")
    services.add_deliverable(ana.id, "Logo")
    services.set_deliverable_done(ana.id, "Logo")
    stored = services.resolve(ana.id).to_dict()["deliverables"][0]
    assert stored["done_on"] == "2026-11-22"

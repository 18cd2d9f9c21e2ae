"""Snapshot tests of every form: the real app on demo data at a fixed date and size, each form
opened on a client it would be opened for in real use.

Regenerate after an intended UI change with `pytest tests/tui/test_form_snapshots.py
--snapshot-update`, then look at the SVGs in tests/tui/__snapshots__/ before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from formkit import open_form, type_into
from textual.widgets import Input, TextArea
from tuikit import TODAY

from offboard.domain.clock import FixedClock
from offboard.tui.app import OffboardApp
from offboard.tui.forms import (
    AssessmentForm,
    ConversationForm,
    DecisionForm,
    DeliverableForm,
    EditClientForm,
    FlagForm,
    FormScreen,
    HandoverForm,
    InvoiceForm,
    NewClientForm,
    OutcomeForm,
    PaymentForm,
    RepairForm,
)

SIZE = (100, 34)

# Each form on a client at the stage it belongs to, in a spread of languages and currencies.
FORMS: list[tuple[type[FormScreen], str | None]] = [
    (NewClientForm, None),
    (EditClientForm, "Tupa"),  # Finnish, EUR
    (FlagForm, "Juniper"),  # assessment
    (AssessmentForm, "Juniper"),
    (RepairForm, "Cobalt"),  # repair, USD
    (OutcomeForm, "Cobalt"),  # its running attempt
    (DecisionForm, "Brightmoss"),  # preparation, a decision recorded
    (ConversationForm, "Pražírna"),  # preparation, Czech, CZK
    (DeliverableForm, "Saltmarsh"),  # handover
    (HandoverForm, "Ekin"),  # handover, Turkish
    (InvoiceForm, "Studio"),  # settlement, Czech
    (PaymentForm, "Fenwick"),  # settlement, an open invoice
]


def demo_app(path: Path) -> OffboardApp:
    # demo=True keeps the temporary path out of the header, so snapshots are stable.
    app = OffboardApp(path, FixedClock(TODAY), demo=True, watch=False)
    app.animation_level = "none"
    return app


def steady(form: FormScreen) -> None:
    """A blinking cursor would make the picture depend on the moment it is taken."""
    for widget in form.query(Input):
        widget.cursor_blink = False
    for area in form.query(TextArea):
        area.cursor_blink = False


@pytest.mark.parametrize(("form_class", "client"), FORMS, ids=[f.__name__ for f, _ in FORMS])
def test_form(snap_compare, demo_db: Path, form_class: type[FormScreen], client: str | None):
    async def run_before(pilot) -> None:
        steady(await open_form(pilot.app, pilot, form_class, client))
        await pilot.pause()

    assert snap_compare(demo_app(demo_db), run_before=run_before, terminal_size=SIZE)


def test_form_with_a_field_error(snap_compare, demo_db: Path) -> None:
    """A date in the future for something that already happened: the message sits under the
    field, in the domain's words, and nothing else is complained about yet."""

    async def run_before(pilot) -> None:
        form = await open_form(pilot.app, pilot, FlagForm, "Juniper")
        steady(form)
        await type_into(pilot, form, "on", "+3")
        await pilot.pause()

    assert snap_compare(demo_app(demo_db), run_before=run_before, terminal_size=SIZE)

"""The follow-up form: a day to chase something still owed, what, and the invoice it chases.
Editing one corrects its day, its words or the day it was done; which invoice it chases is
set when it is recorded."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ...domain import followups, validate as v
from ...formats import counted
from .engine import FormScreen
from .fields import DATE_HINT, Field, FormView, date_rule, friendly_date, is_blank, rule

if TYPE_CHECKING:
    from ...domain.models import Client
    from ...services import Services


def _when(day: dt.date, form: FormView) -> str:
    days = (day - form.today).days
    left = f"in {counted(days, 'day')}" if days > 0 else "today" if days == 0 else "already past"
    return f"{friendly_date(day)}, {left}."


def _invoice(raw: Any, form: FormView) -> str | None:
    """The number of the invoice to chase, checked as the services check it."""
    if is_blank(raw):
        return None
    return followups.chased_invoice(form.client, v.one_line(raw, "the invoice")).number


def _unpaid(form: FormView) -> str:
    owed = [i.number for i in form.client.invoices if not i.settled]
    if not owed:
        return "optional; no invoice is unpaid"
    return f"optional; unpaid: {', '.join(owed[:4])}" + ("…" if len(owed) > 4 else "")


_ON = Field(
    "on",
    "Follow up on",
    prompt=DATE_HINT,
    parse=date_rule(followups.WHEN),
    required="Give the day to follow up.",
    explain=_when,
)
_ABOUT = Field(
    "about",
    "About",
    prompt="e.g. ask whether the files arrived",
    parse=rule(v.one_line, followups.WHAT),
    required="Say what to chase.",
)


class FollowUpForm(FormScreen):
    FORM_TITLE = "Follow-up"
    INTRO = (
        "A day to chase something still owed. Linked to an invoice, it stops being a "
        "deadline once that invoice is paid."
    )
    SAVE_LABEL = "Record follow-up"
    CHANGE = "record follow-up"
    RECORD, NOUN = "follow-up", "follow-up"
    FIELDS = (
        _ON,
        _ABOUT,
        Field("invoice", "Invoice", prompt=_unpaid, parse=_invoice),
    )

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.add_follow_up(
            self.client_id,
            values["about"],
            values["on"],
            invoice=values["invoice"],
            expected_rev=expected_rev,
        )


class FollowUpEditForm(FollowUpForm):
    """The same form correcting a recorded follow-up: its day, its words, when it was done."""

    FIELDS = (
        _ON,
        _ABOUT,
        Field(
            "done_on",
            "Done on",
            prompt="empty while it is still to do",
            parse=date_rule("the day it was done", optional=True, happened=True),
        ),
    )

"""Follow-ups: a day to chase something still owed, and marking one done. The automatic chase
after a payment reminder is recorded with the letter (letters.py), through the same rule."""

from __future__ import annotations

import datetime as dt

from ..domain import followups, validate as v
from ..domain.errors import InvalidInput
from ..domain.models import Client, FollowUp
from .core import Change, ServiceCore, the_open_one


class FollowUpServices(ServiceCore):
    """Recording follow-ups and marking them done."""

    def add_follow_up(
        self,
        ref: str,
        about: str,
        on: dt.date | str,
        *,
        invoice: str | None = None,
        expected_rev: int | None = None,
    ) -> Client:
        """Record a day to chase something (`about`, one line). `on` takes every form a date
        field takes; "+5 wd" counts working days from today with the client's calendar.
        `invoice` (its number or id) is the invoice it chases: once that is settled, the
        follow-up is no deadline any more. Raises InvalidInput (an empty or multi-line
        subject, a date that is none, an invoice already settled), NotFound (the client, an
        invoice it does not have), StaleEdit."""
        text = v.one_line(about, followups.WHAT, required=True)
        # Checked before the client is read, so a bad date is reported as such; counted again
        # with the client's own calendar when it is given in working days.
        day = self._day(on, followups.WHEN)
        wanted = v.one_line(invoice, "the invoice") if invoice is not None else ""

        def change(c: Client) -> Change:
            when: dt.date = self._for_client(on, day, followups.WHEN, c)
            item = FollowUp(when, text)
            chased = ""
            if wanted:
                inv = followups.chased_invoice(c, wanted)
                item.invoice, chased = inv.id, f" (invoice {inv.number})"
            c.follow_ups.append(item)
            return f"follow-up on {when}{chased}: {text}", None, item.to_dict()

        return self._change(ref, "follow-up", change, expected_rev)

    def mark_follow_up_done(
        self,
        ref: str,
        which: str | None = None,
        *,
        on: dt.date | str | None = None,
        expected_rev: int | None = None,
    ) -> Client:
        """Record that a follow-up was done on `on` (default today). `which` (its id, an id
        prefix, its number or its subject) may be left out when one is open. Raises
        InvalidInput (none open, several open, already done, a day in the future), NotFound,
        StaleEdit."""
        day = self._not_future(on, "the day it was done")

        def change(c: Client) -> Change:
            item = _follow_up_to_close(c, which)
            if not item.open:
                raise InvalidInput(
                    f"the follow-up '{item.about}' was already done on {item.done_on}",
                    "correct the day with edit-follow-up if it is wrong",
                )
            item.done_on = day
            return f"follow-up done on {day}: {item.about}", None, day.isoformat()

        return self._change(ref, "follow-up-done", change, expected_rev)


def _follow_up_to_close(client: Client, which: str | None) -> FollowUp:
    return the_open_one(
        client.follow_ups,
        which,
        followups.open_follow_ups(client),
        label=lambda f: f.about,
        what="follow-up",
        named=lambda f: f"{f.on}: {f.about}",
        none=InvalidInput(f"{client.name} has no open follow-up"),
        several=lambda n, names: InvalidInput(
            f"{client.name} has {n} open follow-ups: {names}", "name the one that is done"
        ),
    )

"""Deadlines that count down: the last working day of a notice period, repair review dates,
invoice due dates, deliverable due dates, refunds still to pay out and follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from . import followups, refunds
from .models import Client, Stage

# Stages in which the notice period's last day still matters to the user.
NOTICE_RUNNING = frozenset({Stage.NOTICE, Stage.HANDOVER})

KIND_LABELS = {
    "last-day": "last day",
    "review": "review",
    "invoice": "invoice",
    "deliverable": "deliverable",
    "refund": "refund",
    "follow-up": "follow-up",
}
# The words a deadline's label starts with, naming its kind, before what it is about; a
# narrow table whose countdown already names the kind shows the label without them.
KIND_PREFIXES = {
    "review": "review repair: ",
    "deliverable": "deliver: ",
    "invoice": "invoice ",
    "refund": "refund to pay out: ",
}
# What a kind is called when the agenda counts it: (one, several).
KIND_NOUNS = {
    "last-day": ("last working day", "last working days"),
    "review": ("repair review", "repair reviews"),
    "invoice": ("invoice", "invoices"),
    "deliverable": ("deliverable", "deliverables"),
    "refund": ("refund to pay out", "refunds to pay out"),
    "follow-up": ("follow-up", "follow-ups"),
}


URGENCIES = ("overdue", "today", "soon", "near", "later")
SOON_DAYS = 3  # within this many days a deadline is "soon"
NEAR_DAYS = 14  # within two weeks it is "near"; past that, "later"


def urgency(due: dt.date, today: dt.date) -> str:
    """How pressing a date is: the one rule the cards, the agenda, the client screen, the CLI
    and the JSON output all colour and sort by."""
    days = (due - today).days
    if days < 0:
        return "overdue"
    if days == 0:
        return "today"
    if days <= SOON_DAYS:
        return "soon"
    if days <= NEAR_DAYS:
        return "near"
    return "later"


def countdown(due: dt.date, today: dt.date) -> str:
    """'in 9d', 'today', '3d overdue'."""
    days = (due - today).days
    if days < 0:
        return f"{-days}d overdue"
    if days == 0:
        return "today"
    return f"in {days}d"


@dataclass(frozen=True)
class Deadline:
    client_id: str
    client_name: str
    kind: str
    due: dt.date
    label: str
    # For an invoice: what is still open on it (front ends write it in the client's locale).
    amount: Decimal | None = None
    currency: str = ""
    locale: str = "en"  # the client's, for writing the amount
    # The record it comes from (an invoice's, deliverable's or repair's id; "conversation" for
    # the notice): with the client and the kind, what a calendar event's id is made of, so the
    # event keeps its identity when the date or the wording changes. Not part of what makes
    # two deadlines the same to show.
    record: str = field(default="", compare=False)

    @property
    def subject(self) -> str:
        """The label without the words naming its kind ("JV-1058 due" for "invoice JV-1058
        due")."""
        prefix = KIND_PREFIXES.get(self.kind, "")
        if prefix and self.label.startswith(prefix) and len(self.label) > len(prefix):
            return self.label[len(prefix) :]
        return self.label

    def days(self, today: dt.date) -> int:
        return (self.due - today).days

    def urgency(self, today: dt.date) -> str:
        return urgency(self.due, today)

    def countdown(self, today: dt.date) -> str:
        """Short text for a card: 'last day in 9d', 'review today', 'invoice 3d overdue'."""
        return f"{KIND_LABELS[self.kind]} {countdown(self.due, today)}"

    def to_dict(self, today: dt.date) -> dict[str, object]:
        return {
            "client_id": self.client_id,
            "client": self.client_name,
            "kind": self.kind,
            "due": self.due.isoformat(),
            "days": self.days(today),
            "urgency": self.urgency(today),
            "label": self.label,
            "countdown": self.countdown(today),
            "amount": None if self.amount is None else str(self.amount),
            "currency": self.currency or None,
        }


def deadlines(client: Client) -> list[Deadline]:
    """Every open deadline of one client, earliest first."""
    found: list[Deadline] = []

    def add(
        kind: str, due: dt.date, label: str, amount: Decimal | None = None, *, record: str = ""
    ) -> None:
        currency = client.currency if amount is not None else ""
        found.append(
            Deadline(
                client.id, client.name, kind, due, label, amount, currency, client.locale, record
            )
        )

    if client.conversation and client.stage in NOTICE_RUNNING:
        add(
            "last-day",
            client.conversation.last_day,
            "last working day of the notice period",
            record="conversation",
        )
    if client.active:
        for attempt in client.repairs:
            if attempt.open:
                label = KIND_PREFIXES["review"] + attempt.strategy
                add("review", attempt.review, label, record=attempt.id)
        for item in client.deliverables:
            if not item.done and item.due:
                add(
                    "deliverable",
                    item.due,
                    KIND_PREFIXES["deliverable"] + item.title,
                    record=item.id,
                )
    for invoice in client.invoices:
        if invoice.outstanding:
            add(
                "invoice",
                invoice.due,
                f"{KIND_PREFIXES['invoice']}{invoice.number} due",
                invoice.outstanding,
                record=invoice.id,
            )
    for refund in client.refunds:
        if refund.open:
            # Due the client's payment terms after it was agreed (refunds.due says why).
            found.append(
                Deadline(
                    client.id,
                    client.name,
                    "refund",
                    refunds.due(refund, client),
                    KIND_PREFIXES["refund"] + refund.reason,
                    refund.amount,
                    refund.currency,
                    client.locale,
                    record=refund.id,
                )
            )
    for chase in client.follow_ups:
        # Computed: done, or chasing an invoice settled since, it is no deadline any more.
        if followups.pending(chase, client):
            add("follow-up", chase.on, chase.about, record=chase.id)
    found.sort(key=lambda d: (d.due, d.kind))
    return found


def next_deadline(client: Client) -> Deadline | None:
    found = deadlines(client)
    return found[0] if found else None


def agenda(clients: Iterable[Client]) -> list[Deadline]:
    """All open deadlines of all clients, earliest first."""
    every = [d for c in clients for d in deadlines(c)]
    every.sort(key=lambda d: (d.due, d.client_name.lower(), d.kind))
    return every

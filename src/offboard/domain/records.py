"""The kinds of record a client holds that can be corrected (a red flag, a repair attempt, a
deliverable, a handover item, an invoice, a payment, a refund, a follow-up, a letter recorded
as sent, a lesson learned), described once: where each lives on a client, the rule each field
is checked with (the same rules as when it was added), and what to call one. The services
edit and delete through this table, and the CLI makes its edit-KIND / delete-KIND commands
from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from . import followups, validate as v
from .errors import InvalidInput, NotFound
from .models import (
    Category,
    Client,
    HandoverKind,
    HandoverStatus,
    Invoice,
    LessonCategory,
    Payment,
    Refund,
    RepairAttempt,
    RepairOutcome,
)
from .reviews import typed_day
from .validate import choice
from .workdays import Holidays


@dataclass(frozen=True)
class Typed:
    """What a field's rule needs to know besides the value: today (for `today`, `+N`...) and
    whether the client's language writes a decimal comma (for amounts)."""

    today: dt.date
    decimal_comma: bool = False
    # The client's calendar, which a date typed in working days ("+5 wd") is counted with.
    holidays: Holidays = ()
    # What a date counted from its record's own start (a repair's review) counts from.
    start: dt.date | None = None


# A field's rule: (the raw value, the context) -> the clean value.
Rule = Callable[[Any, Typed], Any]


def _text(what: str, *, required: bool = False, one_line: bool = True) -> Rule:
    def rule(raw: Any, _: Typed) -> str:
        text = v.one_line(raw, what) if one_line else v.free_text(raw, what)
        if required and not text:
            raise InvalidInput(f"{what} is empty")
        return text

    return rule


def _enum(enum: Any, what: str, *, optional: bool = False) -> Rule:
    def rule(raw: Any, _: Typed) -> Any:
        if optional and raw in (None, ""):
            return None
        return choice(enum, raw, what)

    return rule


def _day(
    what: str, *, optional: bool = False, happened: bool = False, from_start: bool = False
) -> Rule:
    """A date as every date field reads it (reviews.typed_day): working days count from
    today, or with `from_start` from the record's start, as when the record was added."""

    def rule(raw: Any, typed: Typed) -> dt.date | None:
        if optional and (raw is None or (isinstance(raw, str) and not raw.strip())):
            return None
        start = typed.start if from_start else None
        day = typed_day(raw, what, typed.today, typed.holidays, start)
        return v.not_future(day, what, typed.today) if happened else day

    return rule


def _flag(what: str) -> Rule:
    def rule(raw: Any, _: Typed) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("yes", "true", "1", "y"):
            return True
        if text in ("no", "false", "0", "n"):
            return False
        raise InvalidInput(f"{what} {raw!r} is not yes or no")

    return rule


def _money(what: str) -> Rule:
    def rule(raw: Any, typed: Typed) -> Any:
        comma = typed.decimal_comma and isinstance(raw, str)
        return v.positive_amount(raw, what, decimal_comma=comma)

    return rule


def _optional_money(what: str) -> Rule:
    def rule(raw: Any, typed: Typed) -> Any:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        comma = typed.decimal_comma and isinstance(raw, str)
        return v.amount(raw, what, decimal_comma=comma)

    return rule


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: where it lives on a client, its fields' rules, what to call it."""

    name: str  # as the CLI and the history say it
    attr: str  # the Client's list
    label: Callable[[Any], str]
    rules: dict[str, Rule]
    check: Callable[[Any, Client], None] = lambda record, client: None
    editable: bool = True
    # The field the record's other dates count working days from ("" : from today).
    start: str = ""


def _repair_dates(attempt: RepairAttempt, _: Client) -> None:
    v.review_after_start(attempt.started, attempt.review)


def _invoice_rules(invoice: Invoice, client: Client) -> None:
    v.due_after_issue(invoice.issued, invoice.due)
    v.payments_fit(invoice)
    v.unique((i.number for i in client.invoices), "invoice number")


def _refund_dates(refund: Refund, _: Client) -> None:
    if refund.paid_out is not None:
        v.paid_after_agreed(refund.on, refund.paid_out)


KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        RecordKind(
            "flag",
            "flags",
            lambda f: f.description,
            {
                "category": _enum(Category, "flag category"),
                "description": _text("the description", required=True, one_line=False),
                "severity": lambda raw, _: v.severity(raw),
                "on": _day("the flag date", happened=True),
                "evidence": _text("the evidence"),
            },
        ),
        RecordKind(
            "repair",
            "repairs",
            lambda r: r.strategy,
            {
                "strategy": _text("the strategy", required=True),
                "started": _day("the start date"),
                "review": _day("the review date", from_start=True),
                "outcome": _enum(RepairOutcome, "repair outcome", optional=True),
                "notes": _text("the notes", one_line=False),
            },
            _repair_dates,
            start="started",
        ),
        RecordKind(
            "deliverable",
            "deliverables",
            lambda d: d.title,
            {
                "title": _text("the title", required=True),
                "due": _day("the due date", optional=True),
                "done": _flag("done"),
                "value": _optional_money("the deliverable's value"),
            },
        ),
        RecordKind(
            "handover",
            "handover",
            lambda h: h.label,
            {
                "kind": _enum(HandoverKind, "handover kind"),
                "label": lambda raw, _: v.handover_label(raw),
                "status": _enum(HandoverStatus, "handover status"),
            },
        ),
        RecordKind(
            "invoice",
            "invoices",
            lambda i: i.number,
            {
                "number": _text("the invoice number", required=True),
                "amount": _money("the invoice amount"),
                "issued": _day("the invoice date"),
                "due": _day("the due date"),
                "final": _flag("final"),
                "written_off": _flag("written off"),
            },
            _invoice_rules,
        ),
        RecordKind(
            "refund",
            "refunds",
            lambda r: r.reason,
            {
                "amount": _money("the refund"),
                "currency": lambda raw, _: v.currency(raw),
                "on": _day("the refund date", happened=True),
                "reason": _text("the refund's reason", required=True),
                "paid_out": _day("the payout date", optional=True, happened=True),
            },
            _refund_dates,
        ),
        RecordKind(
            "follow-up",
            "follow_ups",
            lambda f: f.about,
            {
                "on": _day(followups.WHEN),
                "about": _text(followups.WHAT, required=True),
                "done_on": _day("the day it was done", optional=True, happened=True),
            },
        ),
        RecordKind(
            "letter",
            "letters",
            lambda x: x.subject or x.template,
            {},
            editable=False,  # a letter that went out is a record of what was said
        ),
        RecordKind(
            "lesson",
            "lessons",
            lambda x: x.text,
            {
                "category": _enum(LessonCategory, "lesson category"),
                "text": _text("the lesson", required=True, one_line=False),
                "on": _day("the lesson date", happened=True),
            },
        ),
    )
}
PAYMENT_RULES: dict[str, Rule] = {
    "amount": _money("the payment"),
    "on": _day("the payment date", happened=True),
}
KIND_NAMES = (*KINDS, "payment")


def kind_named(name: str) -> RecordKind:
    try:
        return KINDS[name]
    except KeyError:
        raise InvalidInput(
            f"there is no record kind {name!r}", f"use one of: {', '.join(KIND_NAMES)}"
        ) from None


def counted_from(spec: RecordKind, record: Any, fields: dict[str, Any], typed: Typed) -> Typed:
    """`typed` with the start a record's dates count working days from: the new start when
    the same edit changes it, else the record's own."""
    if not spec.start:
        return typed
    start = getattr(record, spec.start)
    if spec.start in fields:
        start = spec.rules[spec.start](fields[spec.start], typed)
    return replace(typed, start=start)


def cleaned(rules: dict[str, Rule], fields: dict[str, Any], typed: Typed) -> dict[str, Any]:
    """The checked values of the fields being changed; InvalidInput names any unknown field
    or value that breaks its rule."""
    unknown = set(fields) - set(rules)
    if unknown:
        raise InvalidInput(
            f"cannot edit {', '.join(sorted(unknown))}",
            f"what can change: {', '.join(rules)}" if rules else "it cannot be edited",
        )
    if not fields:
        raise InvalidInput("nothing to change", f"give at least one of: {', '.join(rules)}")
    return {name: rules[name](raw, typed) for name, raw in fields.items()}


def payment_of(client: Client, ref: str) -> tuple[Invoice, Payment]:
    """The payment `ref` (its id or an id prefix of 4+) and its invoice."""
    payments = [(inv, p) for inv in client.invoices for p in inv.payments]
    text = ref.strip()
    hits = [
        (inv, p)
        for inv, p in payments
        if p.id == text or (len(text) >= 4 and p.id.startswith(text))
    ]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise InvalidInput(f"{ref!r} matches more than one payment", "give more of its id")
    raise NotFound(f"no payment matches {ref!r}", "payments are named by their id")

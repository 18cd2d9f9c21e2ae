"""Correcting anything: edit or delete any record of a client (a red flag, a repair attempt, a
deliverable, a handover item, an invoice, a payment, a letter recorded as sent).

Each kind is described once (where its records live, how a value is checked, what to call
one); editing and deleting go through the same change machinery as every other change, so
each is one transaction with a history event holding the old and new values, undoable, and
refused from a stale revision like any other edit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain import validate as v
from ..domain.errors import InvalidInput, NotFound
from ..domain.models import (
    Category,
    Client,
    HandoverKind,
    HandoverStatus,
    Invoice,
    Payment,
    RepairAttempt,
    RepairOutcome,
)
from ..domain.validate import choice
from .core import Change, ServiceCore, find_item, plain

# A field's rule: (the raw value, the client, today) -> the clean value.
Rule = Callable[[Any, Client, dt.date], Any]


def _text(what: str, *, required: bool = False, one_line: bool = True) -> Rule:
    def rule(raw: Any, _: Client, __: dt.date) -> str:
        text = v.one_line(raw, what) if one_line else v.free_text(raw, what)
        if required and not text:
            raise InvalidInput(f"{what} is empty")
        return text

    return rule


def _enum(enum: Any, what: str, *, optional: bool = False) -> Rule:
    def rule(raw: Any, _: Client, __: dt.date) -> Any:
        if optional and raw in (None, ""):
            return None
        return choice(enum, raw, what)

    return rule


def _day(what: str, *, optional: bool = False, happened: bool = False) -> Rule:
    def rule(raw: Any, _: Client, today: dt.date) -> dt.date | None:
        if optional and (raw is None or (isinstance(raw, str) and not raw.strip())):
            return None
        day = v.day(raw, what, today)
        return v.not_future(day, what, today) if happened else day

    return rule


def _flag(what: str) -> Rule:
    def rule(raw: Any, _: Client, __: dt.date) -> bool:
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
    def rule(raw: Any, client: Client, _: dt.date) -> Any:
        return ServiceCore._amount(raw, what, client.locale, positive=True)

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


def _repair_dates(attempt: RepairAttempt, _: Client) -> None:
    v.review_after_start(attempt.started, attempt.review)


def _invoice_rules(invoice: Invoice, client: Client) -> None:
    v.due_after_issue(invoice.issued, invoice.due)
    v.payments_fit(invoice)
    v.unique((i.number for i in client.invoices), "invoice number")


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
                "severity": lambda raw, _, __: v.severity(raw),
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
                "review": _day("the review date"),
                "outcome": _enum(RepairOutcome, "repair outcome", optional=True),
                "notes": _text("the notes", one_line=False),
            },
            _repair_dates,
        ),
        RecordKind(
            "deliverable",
            "deliverables",
            lambda d: d.title,
            {
                "title": _text("the title", required=True),
                "due": _day("the due date", optional=True),
                "done": _flag("done"),
            },
        ),
        RecordKind(
            "handover",
            "handover",
            lambda h: h.label,
            {
                "kind": _enum(HandoverKind, "handover kind"),
                "label": lambda raw, _, __: v.handover_label(raw),
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
            "letter",
            "letters",
            lambda x: x.subject or x.template,
            {},
            editable=False,  # a letter that went out is a record of what was said
        ),
    )
}
PAYMENT_RULES: dict[str, Rule] = {
    "amount": _money("the payment"),
    "on": _day("the payment date", happened=True),
}
KIND_NAMES = (*KINDS, "payment")


def _kind(name: str) -> RecordKind:
    try:
        return KINDS[name]
    except KeyError:
        raise InvalidInput(
            f"there is no record kind {name!r}", f"use one of: {', '.join(KIND_NAMES)}"
        ) from None


def _cleaned(
    rules: dict[str, Rule], fields: dict[str, Any], client: Client, today: dt.date
) -> dict[str, Any]:
    unknown = set(fields) - set(rules)
    if unknown:
        raise InvalidInput(
            f"cannot edit {', '.join(sorted(unknown))}",
            f"what can change: {', '.join(rules)}" if rules else "it cannot be edited",
        )
    if not fields:
        raise InvalidInput("nothing to change", f"give at least one of: {', '.join(rules)}")
    return {name: rules[name](raw, client, today) for name, raw in fields.items()}


def _payment_of(client: Client, ref: str) -> tuple[Invoice, Payment]:
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


class RecordServices(ServiceCore):
    """Editing and deleting the records of a client."""

    def edit_record(
        self, ref: str, kind: str, which: str, expected_rev: int | None = None, **fields: Any
    ) -> Client:
        """Change fields of one record (`which`: its id, an id prefix of 4+, its number in the
        list, or its label). Every value is checked as when the record was added.

        Raises InvalidInput (a value breaks a rule, an unknown field, a letter, which cannot be
        edited), NotFound / InvalidInput naming the record, StaleEdit."""
        if kind == "payment":
            return self._edit_payment(ref, which, expected_rev, fields)
        spec = _kind(kind)
        if not spec.editable:
            raise InvalidInput(
                f"a {spec.name} that was recorded cannot be edited",
                "delete it and record it again",
            )

        def change(c: Client) -> Change:
            records = getattr(c, spec.attr)
            record = find_item(records, which, spec.label, spec.name)
            clean = _cleaned(spec.rules, fields, c, self.clock.today())
            old = {k: plain(getattr(record, k)) for k in clean}
            updated = dataclasses.replace(record, **clean)
            if spec.name == "handover" and "status" in clean:
                updated.on = self.clock.today() if updated.settled else None
            records[records.index(record)] = updated
            spec.check(updated, c)
            new = {k: plain(v) for k, v in clean.items()}
            return f"edited {spec.name} '{spec.label(updated)}': {', '.join(clean)}", old, new

        return self._change(ref, f"edit-{spec.name}", change, expected_rev)

    def delete_record(
        self, ref: str, kind: str, which: str, expected_rev: int | None = None
    ) -> Client:
        """Delete one record; the history keeps all of it, and undo brings it back.

        Raises NotFound / InvalidInput naming the record, InvalidInput for an invoice that
        has payments (delete those first, so no money disappears unseen), StaleEdit."""
        if kind == "payment":
            return self._delete_payment(ref, which, expected_rev)
        spec = _kind(kind)

        def change(c: Client) -> Change:
            records = getattr(c, spec.attr)
            record = find_item(records, which, spec.label, spec.name)
            if isinstance(record, Invoice) and record.payments:
                raise InvalidInput(
                    f"invoice {record.number} has {len(record.payments)} payment(s)",
                    "delete its payments first, or write it off",
                )
            records.remove(record)
            return f"deleted {spec.name} '{spec.label(record)}'", record.to_dict(), None

        return self._change(ref, f"delete-{spec.name}", change, expected_rev)

    def _edit_payment(
        self, ref: str, which: str, expected_rev: int | None, fields: dict[str, Any]
    ) -> Client:
        def change(c: Client) -> Change:
            invoice, payment = _payment_of(c, which)
            clean = _cleaned(PAYMENT_RULES, fields, c, self.clock.today())
            old = {k: plain(getattr(payment, k)) for k in clean}
            updated = dataclasses.replace(payment, **clean)
            invoice.payments[invoice.payments.index(payment)] = updated
            v.payments_fit(invoice)
            new = {k: plain(x) for k, x in clean.items()}
            return f"edited a payment on invoice {invoice.number}", old, new

        return self._change(ref, "edit-payment", change, expected_rev)

    def _delete_payment(self, ref: str, which: str, expected_rev: int | None) -> Client:
        def change(c: Client) -> Change:
            invoice, payment = _payment_of(c, which)
            invoice.payments.remove(payment)
            summary = f"deleted a payment of {payment.amount} on invoice {invoice.number}"
            return summary, payment.to_dict(), None

        return self._change(ref, "delete-payment", change, expected_rev)

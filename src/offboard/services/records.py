"""Correcting anything: edit or delete any record of a client through the one table of
record kinds (domain/records.py). Each edit or delete goes through the same change machinery
as every other change: one transaction, a history event holding the old and new values,
undoable, and refused from a stale revision like any other edit.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .. import formats
from ..domain import validate as v
from ..domain.errors import InvalidInput
from ..domain.models import Client, Invoice
from ..domain.records import (
    PAYMENT_RULES,
    Typed,
    cleaned,
    counted_from,
    kind_named,
    payment_of,
)
from ..domain.reviews import working_days_asked
from .core import Change, ServiceCore, find_item, plain


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
        spec = kind_named(kind)
        if not spec.editable:
            raise InvalidInput(
                f"a {spec.name} that was recorded cannot be edited",
                "delete it and record it again",
            )

        def change(c: Client) -> Change:
            records = getattr(c, spec.attr)
            record = find_item(records, which, spec.label, spec.name)
            typed = counted_from(spec, record, fields, self._typed(c, fields))
            clean = cleaned(spec.rules, fields, typed)
            old = {k: plain(getattr(record, k)) for k in clean}
            updated = dataclasses.replace(record, **clean)
            if spec.name == "handover" and "status" in clean:
                updated.on = self.clock.today() if updated.settled else None
            if spec.name == "deliverable" and clean.get("done", record.done) != record.done:
                updated.done_on = self.clock.today() if updated.done else None
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
        spec = kind_named(kind)

        def change(c: Client) -> Change:
            records = getattr(c, spec.attr)
            record = find_item(records, which, spec.label, spec.name)
            if isinstance(record, Invoice) and record.payments:
                raise InvalidInput(
                    f"invoice {record.number} has "
                    + formats.counted(len(record.payments), "payment"),
                    "delete its payments first, or write it off",
                )
            records.remove(record)
            return f"deleted {spec.name} '{spec.label(record)}'", record.to_dict(), None

        return self._change(ref, f"delete-{spec.name}", change, expected_rev)

    def _edit_payment(
        self, ref: str, which: str, expected_rev: int | None, fields: dict[str, Any]
    ) -> Client:
        def change(c: Client) -> Change:
            invoice, payment = payment_of(c, which)
            clean = cleaned(PAYMENT_RULES, fields, self._typed(c, fields))
            old = {k: plain(getattr(payment, k)) for k in clean}
            updated = dataclasses.replace(payment, **clean)
            invoice.payments[invoice.payments.index(payment)] = updated
            v.payments_fit(invoice)
            new = {k: plain(x) for k, x in clean.items()}
            return f"edited a payment on invoice {invoice.number}", old, new

        return self._change(ref, "edit-payment", change, expected_rev)

    def _delete_payment(self, ref: str, which: str, expected_rev: int | None) -> Client:
        def change(c: Client) -> Change:
            invoice, payment = payment_of(c, which)
            invoice.payments.remove(payment)
            summary = f"deleted a payment of {payment.amount} on invoice {invoice.number}"
            return summary, payment.to_dict(), None

        return self._change(ref, "delete-payment", change, expected_rev)

    def _typed(self, client: Client, fields: dict[str, Any]) -> Typed:
        # A calendar only when a value is typed in working days (see days_off).
        asked = next((x for x in fields.values() if working_days_asked(x) is not None), None)
        days_off = self.days_off(asked, client)
        return Typed(self.clock.today(), formats.decimal_comma(client.locale), days_off)

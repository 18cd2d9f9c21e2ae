"""Edit mode of the forms that add a record (a red flag, a repair attempt, a deliverable, a
handover item, an invoice, a payment): the same form, its fields started from the record's
stored values, saving only what the user changed through `Services.edit_record`. So a record
is corrected under exactly the rules it was added with, in the same words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from ...domain.records import kind_named
from ...formats import decimal_comma

if TYPE_CHECKING:
    from ...domain.models import Client


def records_of(client: Client, kind: str) -> list[Any]:
    """Every record of one kind (domain/records.py) a client holds; payments of every invoice."""
    if kind == "payment":
        return [p for invoice in client.invoices for p in invoice.payments]
    return list(getattr(client, kind_named(kind).attr))


def record_of(client: Client, kind: str, record_id: str) -> Any | None:
    """The record with this id, or None once it is gone (deleted or undone elsewhere)."""
    return next((r for r in records_of(client, kind) if r.id == record_id), None)


def start_value(value: Any, locale: str) -> Any:
    """A stored value as the field's widget holds it when the user types or chooses it: a
    date as YYYY-MM-DD, an amount with the client's decimal mark and no grouping (a group
    mark such as de-CH's ' is not one the amount rule reads back), a choice by its value,
    nothing as blank."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        text = str(value)
        return text.replace(".", ",") if decimal_comma(locale) else text
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

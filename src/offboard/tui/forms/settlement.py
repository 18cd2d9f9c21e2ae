"""What is handed over and what is owed: deliverables, handover items, invoices, payments,
refunds."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from ... import formats
from ...domain import validate as v
from ...domain.models import HandoverKind, HandoverStatus, Invoice
from ...domain.refunds import Suggestion, suggest
from ...formats import counted, decimal_comma, money, number
from ..fixes import fix_text
from .chain import RevChain
from .engine import FormScreen
from .fields import (
    DATE_HINT,
    PAST_DATE_HINT,
    Cross,
    Field,
    FormView,
    amount_rule,
    date_rule,
    friendly_date,
    rule,
    sentence,
    today_text,
)
from .labels import HANDOVER_KIND_LABELS, HANDOVER_STATUS_LABELS, enum_options

if TYPE_CHECKING:
    from ...domain.models import Client
    from ...services import Services


def _after_last_day(due: dt.date | None, form: FormView) -> str:
    conversation = form.client.conversation
    last = conversation.last_day if conversation else None
    if due is not None and last is not None and due > last:
        return f"Note: that is after the last working day ({friendly_date(last)})."
    return ""


def _deliverable_value_prompt(form: FormView) -> str:
    example = number(Decimal(800), form.locale)
    return f"in {form.client.currency}, e.g. {example} (optional; a refund is suggested from it)"


class DeliverableForm(FormScreen):
    FORM_TITLE = "Deliverable"
    INTRO = "Something you promised and will finish before the last working day."
    SAVE_LABEL = "Add"
    CHANGE = "add deliverable"
    RECORD, NOUN = "deliverable", "deliverable"
    FIELDS = (
        Field(
            "title",
            "Title",
            prompt="e.g. final logo files",
            parse=rule(v.one_line, "the title"),
            required="Give the deliverable a title.",
        ),
        Field(
            "due",
            "Due",
            prompt=DATE_HINT + " (optional)",
            parse=date_rule("the due date", optional=True),
            explain=_after_last_day,
        ),
        Field(
            "value",
            "Value",
            prompt=_deliverable_value_prompt,
            parse=amount_rule("the deliverable's value", optional=True),
        ),
    )

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.add_deliverable(
            self.client_id,
            values["title"],
            values["due"],
            expected_rev=expected_rev,
            value=values["value"],
        )


class HandoverForm(FormScreen):
    FORM_TITLE = "Handover item"
    INTRO = (
        "For access and credentials, record only that they were handed over or revoked, "
        "e.g. 'Admin login for the web shop'. Never type a password or key here."
    )
    SAVE_LABEL = "Add"
    CHANGE = "add handover item"
    RECORD, NOUN = "handover", "handover item"
    FIELDS = (
        Field(
            "kind",
            "Kind",
            "choice",
            default=HandoverKind.FILE.value,
            options=enum_options(HandoverKind, HANDOVER_KIND_LABELS),
        ),
        Field(
            "label",
            "Item",
            prompt="what is handed over",
            parse=rule(v.handover_label),
            required="Name the item.",
        ),
        Field(
            "status",
            "Status",
            "choice",
            default=HandoverStatus.PENDING.value,
            options=enum_options(HandoverStatus, HANDOVER_STATUS_LABELS),
        ),
    )

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.add_handover_item(
            self.client_id, values["kind"], values["label"], values["status"], expected_rev
        )


def next_invoice_number(numbers: list[str]) -> str:
    """FD-0460 -> FD-0461: the last number with its trailing digits counted up."""
    if not numbers:
        return ""
    match = re.fullmatch(r"(.*?)(\d+)", numbers[-1])
    if not match:
        return ""
    prefix, digits = match.groups()
    return f"{prefix}{int(digits) + 1:0{len(digits)}d}"


def _new_number(raw: Any, form: FormView) -> str:
    number = v.one_line(raw, "the invoice number", max_len=64)
    client = form.client
    edited = cast("InvoiceForm", form).record
    if edited is not None and number == edited.number:
        return number  # an edit keeps its own number
    # The service refuses a taken number inside its transaction; saying so while typing
    # spares a round trip, with the same rule.
    return v.new_invoice_number(number, client)


def _terms(form: FormView) -> int:
    terms = form.client.contract.payment_terms_days
    return form.config.payment_terms_days if terms is None else terms


def _due_when(due: dt.date | None, form: FormView) -> str:
    issued = form.value("issued")
    if issued is None:
        return ""
    terms = _terms(form)
    shown = due or issued + dt.timedelta(days=terms)
    prefix = "Due" if due else f"Due after the {terms}-day payment terms"
    return f"{prefix}: {friendly_date(shown)}."


class InvoiceForm(FormScreen):
    FORM_TITLE = "Invoice"
    SAVE_LABEL = "Add invoice"
    CHANGE = "add invoice"
    RECORD, NOUN = "invoice", "invoice"
    FIELDS = (
        Field(
            "number",
            "Number",
            default=lambda f: next_invoice_number([i.number for i in f.client.invoices]),
            parse=_new_number,
            required="Give the invoice number.",
        ),
        Field(
            "amount",
            "Amount",
            prompt=lambda f: f"in {f.client.currency}, e.g. {number(Decimal(1250), f.locale)}",
            parse=amount_rule("the invoice amount", positive=True),
            required="Give the amount.",
        ),
        Field(
            "issued",
            "Issued",
            default=today_text,
            prompt=DATE_HINT,
            parse=date_rule("the invoice date"),
            required="Give the invoice date.",
        ),
        Field(
            "due",
            "Due",
            prompt=lambda f: f"empty: {counted(_terms(f), 'day')} after the invoice date",
            parse=date_rule("the due date", optional=True),
            explain=_due_when,
            follows=("issued",),
        ),
        Field("final", "Final", "check", prompt="This is the final invoice"),
    )
    CROSS = (Cross("due", ("issued", "due"), v.due_after_issue),)

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.add_invoice(
            self.client_id,
            values["number"],
            values["amount"],
            issued=values["issued"],
            due=values["due"],
            final=bool(values["final"]),
            expected_rev=expected_rev,
        )

    def edit_values(self, values: dict[str, Any]) -> dict[str, Any]:
        # Left blank, the due date follows the payment terms, as when the invoice was added
        # (and as the line under the field says): an invoice always has one.
        if values.get("due") is None and values.get("issued") is not None:
            values = {**values, "due": values["issued"] + dt.timedelta(days=_terms(self))}
        return values


def _invoice(form: FormView) -> Invoice | None:
    """The payment's invoice; when a payment is edited, as if it were not there yet, so the
    same rules (what fits, what stays open) apply to its new amount."""
    payment_form = cast("PaymentForm", form)
    wanted, edited = payment_form.invoice_id, payment_form.record_id
    invoice = next((i for i in form.client.invoices if i.id == wanted), None)
    if invoice is None or edited is None:
        return invoice
    return replace(invoice, payments=[p for p in invoice.payments if p.id != edited])


def _open(form: FormView) -> Decimal:
    invoice = _invoice(form)
    return invoice.outstanding if invoice else Decimal("0")


def _payment(raw: Any, form: FormView) -> Decimal:
    value = amount_rule("the payment")(raw, form)
    invoice = _invoice(form)
    # The service's rule, while typing.
    return v.payment_fits(value, invoice) if invoice is not None else value


def _open_hint(form: FormView) -> str:
    invoice, c = _invoice(form), form.client
    number = invoice.number if invoice else "?"
    besides = " besides this payment" if cast("PaymentForm", form).editing else ""
    return f"Invoice {number}: {money(_open(form), c.currency, c.locale)} open{besides}."


def _what_stays_open(value: Decimal, form: FormView) -> str:
    invoice, c = _invoice(form), form.client
    if invoice is None:
        return ""
    rest = invoice.outstanding - value
    if rest:
        return f"{money(rest, c.currency, c.locale)} stays open after this payment."
    return f"This settles invoice {invoice.number}."


class PaymentForm(FormScreen):
    FORM_TITLE = "Payment"
    SAVE_LABEL = "Record payment"
    CHANGE = "record payment"
    RECORD, NOUN = "payment", "payment"
    FIELDS = (
        Field(
            "amount",
            "Amount",
            default=_open,
            parse=_payment,
            required="Give the amount received.",
            hint=_open_hint,
            explain=_what_stays_open,
        ),
        Field(
            "on",
            "Received on",
            default=today_text,
            prompt=PAST_DATE_HINT,
            parse=date_rule("payment date", happened=True),
            required="Give the day the money arrived.",
        ),
    )

    def __init__(
        self,
        client_id: str,
        invoice_id: str,
        *,
        chain: RevChain | None = None,
        record_id: str | None = None,
    ):
        super().__init__(client_id, chain=chain, record_id=record_id)
        self.invoice_id = invoice_id

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.record_payment(
            self.client_id,
            self.invoice_id,
            values["amount"],
            on=values["on"],
            expected_rev=expected_rev,
        )


# --- refunds ---------------------------------------------------------------------------------


def _suggestion(form: FormView) -> Suggestion:
    """What the records suggest, in the currency typed (the client's until changed); an
    edited refund is left out of what was already agreed."""
    currency = form.value("currency") or form.client.currency
    return suggest(form.client, currency, cast("RefundForm", form).record_id or "")


def _suggested_amount(form: FormView) -> str:
    found = _suggestion(form)
    if not found.amount:
        return ""
    text = str(found.amount)
    return text.replace(".", ",") if decimal_comma(form.locale) else text


def _suggestion_hint(form: FormView) -> str:
    found = _suggestion(form)
    why = sentence(formats.sentence(found.why, form.locale))
    if found.amount is None:
        how = fix_text(found.fix)
        return f"No suggestion: {why}" + (f" ({how})" if how else "")
    shown = money(found.amount, found.currency, form.locale)
    return f"Suggested: {shown}. {why}"


def _refund_explain(value: Decimal, form: FormView) -> str:
    found = _suggestion(form)
    if found.amount is None or value == found.amount:
        return _suggestion_hint(form)
    shown = money(found.amount, found.currency, form.locale)
    return f"The records suggest {shown}; {formats.sentence(found.why, form.locale)}."


class RefundForm(FormScreen):
    FORM_TITLE = "Refund"
    INTRO = (
        "Money going back to the client for prepaid work that will not be delivered. The "
        "amount starts at what the records suggest; change it if you agreed something else."
    )
    SAVE_LABEL = "Record refund"
    CHANGE = "record refund"
    RECORD, NOUN = "refund", "refund"
    FIELDS = (
        Field(
            "amount",
            "Amount",
            default=_suggested_amount,
            parse=amount_rule("the refund", positive=True),
            required="Give the amount to refund.",
            hint=_suggestion_hint,
            explain=_refund_explain,
            follows=("currency",),
        ),
        Field(
            "currency",
            "Currency",
            default=lambda f: f.client.currency,
            parse=rule(v.currency),
            required="Give the currency.",
        ),
        Field(
            "reason",
            "Reason",
            prompt="e.g. the website was not built",
            parse=rule(v.one_line, "the refund's reason"),
            required="Say why the money goes back.",
        ),
        Field(
            "on",
            "Agreed on",
            default=today_text,
            prompt=PAST_DATE_HINT,
            parse=date_rule("the refund date", happened=True),
            required="Give the day it was agreed.",
        ),
        Field(
            "paid_out",
            "Paid out",
            prompt="empty while it is still to pay; or the day it left your account",
            parse=date_rule("the payout date", optional=True, happened=True),
        ),
    )
    CROSS = (Cross("paid_out", ("on", "paid_out"), v.paid_after_agreed),)

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.add_refund(
            self.client_id,
            values["amount"],
            values["reason"],
            on=values["on"],
            currency=values["currency"],
            paid_out=values["paid_out"],
            expected_rev=expected_rev,
        )

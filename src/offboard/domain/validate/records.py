"""Rules across a record: channels, payments against invoices, unique numbers, and handover
labels that must not hold a secret."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..errors import InvalidInput
from ..models import FORBIDDEN_CHANNELS, Channel, Client, Invoice, RepairAttempt
from .dates import (
    review_after_start,
)
from .text import (
    choice,
    one_line,
)

# --- records -------------------------------------------------------------------------------------


def notice_channel(value: Any) -> Channel:
    """How notice is given: never by text message or social media (DOMAIN.md)."""
    how = choice(Channel, value, "channel")
    if how in FORBIDDEN_CHANNELS:
        raise InvalidInput(
            f"notice must not be given by {how.value}",
            "hold the conversation by phone, video, in person or email, then confirm in writing",
        )
    return how


def letter_channel(value: Any) -> Channel:
    how = choice(Channel, value, "channel")
    if how in FORBIDDEN_CHANNELS:
        raise InvalidInput(
            f"a letter is never sent by {how.value}",
            "it reads as careless and leaves no proper record; use email or post",
        )
    return how


def payments_fit(invoice: Invoice) -> None:
    """What was paid on an invoice never exceeds its amount."""
    paid = invoice.paid
    if paid > invoice.amount:
        raise InvalidInput(
            f"invoice {invoice.number} is overpaid: {paid} paid on {invoice.amount}",
            "a refund is recorded separately, not as a negative payment",
        )


def payment_fits(value: Decimal, invoice: Invoice) -> Decimal:
    """A payment is more than zero and no more than what is open on its invoice."""
    if value == 0 or value > invoice.outstanding:
        raise InvalidInput(
            f"payment {value} does not fit invoice {invoice.number}",
            f"{invoice.outstanding} is open",
        )
    return value


def new_invoice_number(number: str, client: Client) -> str:
    """An invoice number the client does not have yet."""
    if any(i.number == number for i in client.invoices):
        raise InvalidInput(f"{client.name} already has an invoice {number}")
    return number


def repair_dates(attempt: RepairAttempt) -> None:
    review_after_start(attempt.started, attempt.review)


def unique(values: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise InvalidInput(f"{what} {value!r} appears twice")
        seen.add(value)


# --- secrets -------------------------------------------------------------------------------------

# A handover label records that access was handed over, never the secret itself. These catch a
# secret typed by mistake: "password: Hunter2!", "token=abc123", "admin / Hunter2!xyz", a
# private key, a cloud key, or a word that looks generated (long, mixing letters and digits).
_SECRET_WORD = (
    r"pass(?:word|wd|code|phrase)?|pwd|pw|pin(?:\s*code)?|token|secret|api[\s_-]?key"
    r"|access[\s_-]?key|private[\s_-]?key|otp|2fa|recovery[\s_-]?codes?|salasana|şifre|sifre"
    r"|parola|heslo"
)
_SECRET_PATTERNS = (
    # a secret word followed by a separator and a value: "password: x", "pin=1234", "pw is x"
    re.compile(rf"\b(?:{_SECRET_WORD})\b\s*(?:[:=]|\bis\b|-\s)\s*\S", re.I),
    # credentials inside an address: https://user:secret@host
    re.compile(r"://[^\s:/@]+:[^\s@/]+@"),
    re.compile(r"-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)"),
    re.compile(r"\bssh-(rsa|ed25519|dss)\s+AAAA"),
    # well-known token shapes: GitHub, Slack, AWS, Stripe/OpenAI-style, JWT
    re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})\b"),
    re.compile(r"\b(sk|pk|rk)[-_](live|test)?[-_]?[A-Za-z0-9]{16,}\b"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\."),
)


def _looks_generated(word: str) -> bool:
    """A word mixing lower case, upper case, digits and symbols ("Hunter2!xyz"), or a long
    run of letters and digits (a token), reads like a password or a key, not a description."""
    core = word.strip(".,;:()[]{}'\"")
    if len(core) < 8:
        return False
    kinds = sum(
        (
            any(c.islower() for c in core),
            any(c.isupper() for c in core),
            any(c.isdigit() for c in core),
            any(not c.isalnum() for c in core),
        )
    )
    if kinds == 4 or (len(core) >= 16 and kinds == 3):
        return True
    return len(core) >= 24 and any(c.isdigit() for c in core) and any(c.isalpha() for c in core)


def handover_label(value: Any) -> str:
    """A handover item's label: what was handed over, never the secret itself."""
    label = one_line(value, "the handover item's label", required=True)
    refused = InvalidInput(
        "this looks like it contains a secret (a password, key or token)",
        "describe the access instead, e.g. 'Admin login for the web shop'; never store the secret",
    )
    if any(p.search(label) for p in _SECRET_PATTERNS):
        raise refused
    if any(_looks_generated(word) for word in label.split()):
        raise refused
    return label

"""Amounts and whole numbers, as typed in a locale or as stored."""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import InvalidInput
from .limits import (
    MAX_AMOUNT,
    MAX_TERMS_DAYS,
)
from .text import (
    _kind,
)

# --- numbers -------------------------------------------------------------------------------------

# Commas are accepted only as thousands separators: "1,50" must not silently become 150.00.
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", re.ASCII)
_DECIMAL_COMMA = re.compile(
    r"[+-]?\d{1,3}([ .\u00a0\u202f]\d{3})*(,\d*)?|[+-]?\d+(,\d*)?", re.ASCII
)
_CANONICAL_AMOUNT = re.compile(r"\d{1,15}\.\d{2}", re.ASCII)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


@functools.lru_cache(maxsize=8192)
def _stored_amount(text: str) -> Decimal | None:
    """Stored amounts are canonical ("1250.00") and repeat: parse each spelling once."""
    if not _CANONICAL_AMOUNT.fullmatch(text):
        return None
    amount = Decimal(text)
    return amount if amount < MAX_AMOUNT else None


def amount(value: Any, what: str = "amount", *, decimal_comma: bool = False) -> Decimal:
    """A money amount: positive, at most two decimals, below 10^15. `decimal_comma` reads
    "1.250,50" the way languages that write a decimal comma do."""
    if isinstance(value, str):
        cached = _stored_amount(value)
        if cached is not None:
            return cached
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidInput(f"{what} must be a number written as text, not {_kind(value)}")
    text = str(value).strip()
    hint = "write it like 1.250,00" if decimal_comma else "write it like 1250.00"
    if len(text) > 40:
        raise InvalidInput(f"{what} is too long to be an amount", hint)
    if decimal_comma and "," in text:
        if not _DECIMAL_COMMA.fullmatch(text):
            raise InvalidInput(f"{what} {value!r} is not a number", hint)
        text = re.sub(r"[ .\u00a0\u202f]", "", text).replace(",", ".")
    elif decimal_comma and re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
        # "1.250" is 1250 to a German reader and 1.25 to a programmer: never guess.
        raise InvalidInput(
            f"{what} {value!r} is ambiguous", "write it without separators, e.g. 1250 or 1250,00"
        )
    elif "," in text:
        if not _THOUSANDS.fullmatch(text):
            raise InvalidInput(
                f"{what} {value!r} is not a number",
                "write it like 1250.00 (commas only between thousands)",
            )
        text = text.replace(",", "")
    if decimal_comma and re.fullmatch(r"[+-]?\d{1,3}([\u00a0\u202f ]\d{3})+(\.\d+)?", text):
        text = re.sub(r"[\u00a0\u202f ]", "", text)  # "1 250": spaces only ever group
    if not _NUMBER.fullmatch(text):
        raise InvalidInput(f"{what} {value!r} is not a number", hint)
    try:
        result = Decimal(text)
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{what} {value!r} is not a number", hint) from None
    if result < 0:
        raise InvalidInput(f"{what} {value!r} is negative", "amounts are written as positive")
    if result.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput(f"{what} {value!r} has more than two decimals")
    if result >= MAX_AMOUNT:
        raise InvalidInput(f"{what} {value!r} is too large")
    return result.quantize(Decimal("0.01"))


def positive_amount(value: Any, what: str = "amount", *, decimal_comma: bool = False) -> Decimal:
    result = amount(value, what, decimal_comma=decimal_comma)
    if result == 0:
        raise InvalidInput(f"{what} must be more than zero")
    return result


def optional_amount(value: Any, what: str, *, decimal_comma: bool = False) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return amount(value, what, decimal_comma=decimal_comma)


def whole_number(value: Any, what: str, low: int, high: int) -> int:
    """A whole number from `low` to `high`, given as an int or as digits (no sign)."""
    if isinstance(value, bool):
        raise InvalidInput(f"{what} must be a whole number from {low}-{high}, not true/false")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value, re.ASCII):
        number = int(value)
    else:
        shown = repr(value) if isinstance(value, str) else _kind(value)
        raise InvalidInput(f"{what} {shown} is not a whole number from {low}-{high}")
    if not low <= number <= high:
        raise InvalidInput(f"{what} {number} is outside {low}-{high}")
    return number


def payment_terms(value: Any) -> int | None:
    """Days from an invoice's date to its due date; empty means the configured default."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return whole_number(value, "payment terms (days)", 0, MAX_TERMS_DAYS)


def severity(value: Any) -> int:
    return whole_number(value, "severity", 1, 3)

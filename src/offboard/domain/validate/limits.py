"""The limits every input rule keeps: dates, amounts and text lengths."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

# --- limits --------------------------------------------------------------------------------------

# Dates offboard deals in are years around today. Bounding them keeps every piece of date
# arithmetic (notice periods of up to ten years, payment terms of up to a year) far inside
# what Python's dates can hold, so no sum of a date and a period can overflow.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)
# Far beyond any invoice, and well inside Decimal's 28 digits so rounding cannot fail.
MAX_AMOUNT = Decimal("1e15")
MAX_NAME = 200  # a person's or a company's name
MAX_LINE = 500  # a one-line label: a strategy, a deliverable, an invoice number...
MAX_TEXT = 20_000  # free text: notes, descriptions, lessons
MAX_LETTER = 200_000  # a letter's text as recorded
MAX_EMAIL = 254  # RFC 5321: the longest address a mail server must accept
MAX_TERMS_DAYS = 365
MAX_RELATIVE_DAYS = 9_999  # "+N" in a date field

E = TypeVar("E", bound=StrEnum)

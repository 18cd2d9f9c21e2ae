"""Every input rule, once. The services enforce these, the TUI's forms call them for live
feedback, the CLI accepts the forms they accept, and the decoder runs stored and imported
records through them, so no front end or file can hold what another would refuse.

Each rule takes what was typed or stored (text, or the already typed value) and returns the
clean value, or raises InvalidInput with a one-line message and a hint. Messages say what is
wrong with the value; they never name a key or a command, so each front end can add its own
way to fix it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from .errors import InvalidInput
from .models import FORBIDDEN_CHANNELS, Channel, Client, Invoice, RepairAttempt

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


# --- text ----------------------------------------------------------------------------------------

# Controls that no field may hold: they can end a header line, hide text or upset terminals.
# Tab and (in free text) newline are allowed.
_CONTROL_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing"
    return type(value).__name__


def _must_be_text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text, not {_kind(value)}")
    return value


def one_line(value: Any, what: str, *, max_len: int = MAX_LINE, required: bool = False) -> str:
    """A single line of text: stripped, no control characters, at most `max_len` characters."""
    text = (value if isinstance(value, str) else _must_be_text(value, what)).strip()
    if required and not text:
        raise InvalidInput(f"{what} is empty")
    if len(text) > max_len:
        raise InvalidInput(f"{what} is {len(text):,} characters long", f"at most {max_len:,}")
    bad = _CONTROL_LINE.search(text)
    if bad:
        shown = "a line break" if bad.group() in "\r\n\u2028\u2029\x85" else "a control character"
        raise InvalidInput(f"{what} contains {shown}", "keep it to one line of plain text")
    return text


def free_text(value: Any, what: str, *, max_len: int = MAX_TEXT) -> str:
    """Text that may span lines; stripped at both ends, no control characters but tab and
    newline (a carriage return is taken as a newline)."""
    text = value if isinstance(value, str) else _must_be_text(value, what)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    if len(text) > max_len:
        raise InvalidInput(f"{what} is {len(text):,} characters long", f"at most {max_len:,}")
    if _CONTROL_TEXT.search(text):
        raise InvalidInput(f"{what} contains a control character", "remove it and retype the text")
    return text


def letter_text(value: Any, what: str = "the letter's text") -> str:
    """A letter as it went out: kept exactly (line ends and all, so the record equals what
    was sent), but with no control characters and within MAX_LETTER."""
    text = _must_be_text(value, what)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_LETTER:
        raise InvalidInput(f"{what} is {len(text):,} characters long", f"at most {MAX_LETTER:,}")
    if _CONTROL_TEXT.search(text):
        raise InvalidInput(f"{what} contains a control character", "remove it and retype the text")
    return text


def client_name(value: Any) -> str:
    name = one_line(value, "the client's name", max_len=MAX_NAME)
    if not name:
        raise InvalidInput("a client needs a name")
    return name


# --- addresses, codes ----------------------------------------------------------------------------

_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}", re.ASCII)
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)", re.ASCII)


def email(value: Any) -> str:
    """An email address, or "" for none: one @, a plain ASCII part before it, a domain with a
    dot after it (international domains allowed)."""
    text = _must_be_text(value, "the email address").strip()
    if not text:
        return ""
    hint = "write it like ana@example.com"
    if len(text) > MAX_EMAIL:
        raise InvalidInput(f"the email address is {len(text):,} characters long", hint)
    local, at, domain = text.rpartition("@")
    if not at or "@" in local or not local or not domain:
        raise InvalidInput(f"{text!r} is not an email address", hint)
    # "=?...?=" is an encoded word, which some mail software decodes anywhere in a header.
    if not _LOCAL.fullmatch(local) or local.startswith(".") or ".." in local or "=?" in local:
        raise InvalidInput(f"{text!r} is not an email address: check the part before the @", hint)
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidInput(f"{text!r} is not an email address: check the domain", hint) from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise InvalidInput(
            f"{text!r} is not an email address: the domain needs a dot, like example.com", hint
        )
    if labels[-1].isdigit():
        raise InvalidInput(f"{text!r} is not an email address: check the domain", hint)
    return text


def currency(value: Any) -> str:
    code = _must_be_text(value, "the currency").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code, re.ASCII):
        raise InvalidInput(f"currency {value!r} is not a three-letter code", "e.g. EUR, USD, GBP")
    return code


_LOCALE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?", re.ASCII)


def locale(value: Any) -> str:
    """A language tag such as en, tr, fi, cs, en-GB (written with _ or -)."""
    text = _must_be_text(value, "the language").strip()
    if not _LOCALE.fullmatch(text):
        raise InvalidInput(
            f"language {value!r} is not a language code", "e.g. en, tr, fi, cs, en-GB"
        )
    return text


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)


def record_id(value: Any, what: str = "id") -> str:
    """Ids are compared as text, so only the canonical lower-case UUID spelling is accepted."""
    if isinstance(value, str) and _UUID.fullmatch(value):
        return value
    raise InvalidInput(f"{what} {value!r} is not a UUID", "ids look like " + ZERO_UUID)


ZERO_UUID = "00000000-0000-4000-8000-000000000000"


def choice(enum: type[E], value: Any, what: str) -> E:
    """Turn user or stored text into an enum member, with a message listing the valid values."""
    if isinstance(value, enum):
        return value
    # Stored values are already canonical; this lookup keeps loading 10,000 clients cheap.
    if isinstance(value, str):
        member = enum._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]
        text = value.strip().lower().replace("_", "-").replace(" ", "-")
        for member in enum:
            if text == member.value:
                return member
    valid = ", ".join(m.value for m in enum)
    shown = repr(value) if isinstance(value, str) else _kind(value)
    raise InvalidInput(f"unknown {what} {shown}", f"choose one of: {valid}")


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


# --- dates ---------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_RELATIVE = re.compile(r"([+-])\s*(\d{1,4})", re.ASCII)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DATE_FORMS = "YYYY-MM-DD, today, +N (days from today) or a weekday name"


@functools.lru_cache(maxsize=4096)
def _parse_iso(text: str) -> dt.date:
    # A database repeats the same few hundred dates thousands of times.
    return dt.date.fromisoformat(text)


@functools.lru_cache(maxsize=8192)
def _sound_iso(text: str) -> dt.date | None:
    """A stored date that passes every check, or None: one lookup for the usual case."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        day = _parse_iso(text)
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def _in_range(day: dt.date, what: str) -> dt.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise InvalidInput(
            f"{what} {day.isoformat()} is out of range",
            f"use a date from {DATE_MIN.year} to {DATE_MAX.year}",
        )
    return day


def iso_date(value: Any, what: str = "date") -> dt.date:
    """A date as stored and exported: YYYY-MM-DD exactly (Python 3.11's fromisoformat also
    takes "20261122" and week dates, which no offboard file holds)."""
    if type(value) is str:
        sound = _sound_iso(value)
        if sound is not None:
            return sound
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _in_range(value, what)
    if value is None or value == "":
        raise InvalidInput(f"{what} is missing", "use YYYY-MM-DD")
    try:
        if not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
            raise ValueError
        return _in_range(_parse_iso(value), what)
    except ValueError:
        shown = repr(value) if isinstance(value, str) else _kind(value)
        raise InvalidInput(f"{what} {shown} is not a valid date", "use YYYY-MM-DD") from None


def optional_iso_date(value: Any, what: str = "date") -> dt.date | None:
    return None if value in (None, "") else iso_date(value, what)


def day(value: Any, what: str, today: dt.date) -> dt.date:
    """A date as a person types it: YYYY-MM-DD, `today`, `+N` / `-N` days from today, or a
    weekday name (the next one after today; `today` is never a weekday's answer)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _in_range(value, what)
    text = _must_be_text(value, what).strip().lower()
    if text == "today":
        return today
    if text == "yesterday":
        return _in_range(today - dt.timedelta(days=1), what)
    if text == "tomorrow":
        return _in_range(today + dt.timedelta(days=1), what)
    relative = _RELATIVE.fullmatch(text)
    if relative:
        days = int(relative.group(2))
        if days > MAX_RELATIVE_DAYS:
            raise InvalidInput(f"{what} {value!r} is too far from today")
        offset = dt.timedelta(days=days if relative.group(1) == "+" else -days)
        return _in_range(today + offset, what)
    if text in _WEEKDAYS or (len(text) == 3 and text in {w[:3] for w in _WEEKDAYS}):
        wanted = next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(text))
        ahead = (wanted - today.weekday()) % 7 or 7
        return _in_range(today + dt.timedelta(days=ahead), what)
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return _in_range(_parse_iso(text), what)
    except ValueError:
        raise InvalidInput(f"{what} {value!r} is not a valid date", f"use {DATE_FORMS}") from None


def optional_day(value: Any, what: str, today: dt.date) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return day(value, what, today)


def not_future(value: dt.date, what: str, today: dt.date) -> dt.date:
    """Things that happened (incidents, payments, letters, conversations) cannot be dated
    after today."""
    if value > today:
        raise InvalidInput(
            f"{what} {value.isoformat()} is in the future", "record it once it happened"
        )
    return value


def review_after_start(started: dt.date, review: dt.date) -> dt.date:
    """A repair attempt needs time to show whether it works: its review is after its start."""
    if review <= started:
        raise InvalidInput(
            f"the review date {review.isoformat()} is not after the start {started.isoformat()}",
            "give the attempt at least a day before reviewing it",
        )
    return review


def due_after_issue(issued: dt.date, due: dt.date) -> dt.date:
    if due < issued:
        raise InvalidInput(
            f"the due date {due.isoformat()} is before the invoice date {issued.isoformat()}"
        )
    return due


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

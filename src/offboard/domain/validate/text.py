"""Text, names, addresses, codes, ids and choices."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from ..errors import InvalidInput
from ..fixes import Fix
from .limits import (
    MAX_EMAIL,
    MAX_LETTER,
    MAX_LINE,
    MAX_NAME,
    MAX_TEXT,
    E,
)

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


# Offered first when a language is refused: the shipped letter languages and the ones a user
# most likely meant.
COMMON_LOCALES = ("en", "en-GB", "en-US", "cs", "fi", "tr", "de", "fr", "es", "en-AU", "en-CA")
_SHOWN_LOCALES = 8


def known_locale(value: Any, known: Collection[str]) -> str:
    """A language offboard writes dates and money in: a tag the `locale` rule accepts that
    `known` holds (the locales Babel has data for, which the domain cannot ask Babel itself:
    formats.writable_locale passes them in), in its usual spelling ("en_gb" -> "en-GB").

    Checked where a language is chosen (a client, the config), not when stored records are
    read: a locale an older offboard accepted still loads, and is written as plain English.
    The refusal lists the known variants of the language asked for (or common languages)."""
    text = locale(value)
    spelled = _folded_locales(frozenset(known))
    tag = spelled.get(text.replace("_", "-").lower())
    if tag is not None:
        return tag
    language = text.replace("_", "-").split("-")[0].lower()

    def rank(t: str) -> tuple[int, bool, int, str]:
        # the common ones in their order, then the language's home region (de-DE), then short
        common = COMMON_LOCALES.index(t) if t in COMMON_LOCALES else len(COMMON_LOCALES)
        return common, t.split("-")[-1] != language.upper(), len(t), t

    same = sorted((t for t in spelled.values() if t.split("-")[0] == language), key=rank)
    if same:
        pool, what = same, f"known for {language}"
    else:
        pool = [t for t in COMMON_LOCALES if t in spelled.values()]
        what = "known languages include"
    more = (len(same) if same else len(spelled)) - min(len(pool), _SHOWN_LOCALES)
    listed = ", ".join(pool[:_SHOWN_LOCALES]) + (f" and {more} more" if more > 0 else "")
    raise InvalidInput(
        f"language {text!r} is not one offboard knows", f"{what}: {listed}", fix=Fix.LOCALE
    )


@functools.lru_cache(maxsize=4)
def _folded_locales(known: frozenset[str]) -> dict[str, str]:
    return {tag.replace("_", "-").lower(): tag.replace("_", "-") for tag in known}


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

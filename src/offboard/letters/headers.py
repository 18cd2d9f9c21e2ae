"""Checks for mail header values: nothing typed, configured or templated may add a header line.

Python's email package (policy SMTP) decodes RFC 2047 encoded words when a header is set, so
"=?utf-8?q?=0ABcc:_x@evil.example?=" in a subject turns into a real "Bcc:" line although the
text holds no line break. A value is therefore checked as typed, for every encoded word a lenient
mail reader could find in it, and as the policy's own parser reads it. Any encoded word is
refused, harmless or not: what the recipient would see is not what the user typed, and readers
disagree about where such words start and end.

Only the standard library is used here: a test runs these checks on the newest Python on the
machine as well, where the project's dependencies are not installed.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata
from collections.abc import Callable, Iterator
from email.errors import HeaderParseError, MessageDefect
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.policy import SMTP
from typing import TypeVar

from ..domain.errors import InvalidInput
from ..domain.fixes import Fix

# str.splitlines() breaks at all of these; some mail software does too, so none may reach a
# header. U+0085, U+2028 and U+2029 are not ASCII controls but still end a line for many readers.
LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# RFC 5322 2.1.1: a line is at most 998 octets, not counting its CRLF.
MAX_LINE_OCTETS = 998

# Which header a Letter field becomes, what to call it, and where the user fixes it.
FIELDS = {
    "subject": ("the subject", "in the letter's subject line", "Subject"),
    "to": ("the client's email address", "in the client's details", "To"),
    "to_name": ("the client's name", "in the client's details", "To"),
    "sender_name": ("your sender name", "in your settings (sender.name)", "From"),
    "sender_email": ("your sender email address", "in your settings (sender.email)", "From"),
    "message_id": ("the Message-ID", "in the letter record", "Message-ID"),
}
# What puts each field right, as data: the CLI names a command, the TUI a key.
FIXES = {
    "to": Fix.CLIENT_DETAILS,
    "to_name": Fix.CLIENT_DETAILS,
    "sender_name": Fix.SENDER,
    "sender_email": Fix.SENDER,
    "subject": Fix.DRAFT,
}
T = TypeVar("T")
_NAMES = frozenset(("to_name", "sender_name"))
_ADDRESSES = frozenset(("to", "sender_email"))
# Stands in for the address beside a display name, so the name is parsed where it will sit.
_PLACEHOLDER = "someone@example.invalid"
_WRONG = (HeaderParseError, MessageDefect, ValueError, IndexError, LookupError, TypeError)


def describe(name: str) -> tuple[str, str]:
    """What to call the field `name` in a message, and where the user fixes it."""
    label, where, _ = FIELDS.get(name, (f"the {name} header", "where it was entered", name))
    return label, where


def _header_for(name: str) -> str:
    return FIELDS[name][2] if name in FIELDS else name


def _problem(char: str) -> tuple[str, str] | None:
    """What is wrong with `char` in a header, and why (to follow it), or None."""
    if char in LINE_BREAKS:
        return "a line break", "; a mail header must be one line"
    if char == "\0":
        return "a NUL character", ", which mail cannot carry"
    if char != "\t" and unicodedata.category(char) in ("Cc", "Cs"):
        return f"an invisible control character (U+{ord(char):04X})", ""
    return None


def _first_problem(text: str) -> tuple[str, str] | None:
    for char in text:
        problem = _problem(char)
        if problem:
            return problem
    return None


def _shown(text: str, limit: int = 48) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


# --- encoded words, read as leniently as any mail reader might ------------------------------


def _encoded_words(value: str) -> Iterator[tuple[str, str, str, str]]:
    """Every "=?charset?Q|B?text?=" in `value`, (whole, charset, encoding, text).

    Found anywhere, not only between spaces, in either case of Q and B, with any charset: some
    readers decode words glued to other text, inside quotes or in comments, so any of them
    may be decoded by someone.
    """
    start = value.find("=?")
    while start != -1:
        mark = value.find("?", start + 2)
        kind = value[mark + 1 : mark + 3] if mark != -1 else ""
        if kind in ("q?", "Q?", "b?", "B?"):
            end = value.find("?=", mark + 3)
            if end != -1:
                charset, encoding = value[start + 2 : mark], kind[0]
                yield value[start : end + 2], charset, encoding, value[mark + 3 : end]
        start = value.find("=?", start + 1)


class _Unreadable(Exception):
    """An encoded word whose text cannot be known: an unknown charset or broken encoding."""


def _q_bytes(text: str) -> bytes:
    raw = text.encode("utf-8", "surrogateescape").replace(b"_", b" ")
    return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def _b_bytes(text: str) -> bytes:
    # Readers skip what is not base64 and forgive missing padding; so do we.
    letters = re.sub(r"[^A-Za-z0-9+/]", "", text)
    letters += "=" * (-len(letters) % 4)
    try:
        return base64.b64decode(letters)
    except (binascii.Error, ValueError):
        raise _Unreadable("it is not valid base64") from None


def _decoded_word(charset: str, encoding: str, text: str) -> str:
    # RFC 2231 lets a language follow the charset: "utf-8*en".
    name = charset.partition("*")[0].strip().strip('"')
    try:
        codec = codecs.lookup(name)
    except (LookupError, ValueError):
        codec = None
    # base64, rot13 and friends are codecs too, but no mail reader takes them for a charset.
    if codec is None or not getattr(codec, "_is_text_encoding", True):
        raise _Unreadable(f"its character set {name!r} is unknown")
    raw = _q_bytes(text) if encoding in "qQ" else _b_bytes(text)
    try:
        return raw.decode(codec.name)
    except (UnicodeDecodeError, ValueError):
        raise _Unreadable(f"it is not valid {name} text") from None


def _check_encoded_words(value: str, label: str, where: str) -> None:
    found = []
    for whole, charset, encoding, text in _encoded_words(value):
        try:
            decoded = _decoded_word(charset, encoding, text)
        except _Unreadable as exc:
            found.append(
                f"the encoded word {_shown(whole)}, which mail programs may show as anything "
                f"({exc})"
            )
            continue
        problem = _first_problem(decoded)
        if problem:
            # The dangerous finding wins over any harmless one before it.
            what, why = problem
            raise InvalidInput(
                f"{label} contains {what} hidden in the encoded word {_shown(whole)}{why}: "
                f"fix it {where}"
            )
        found.append(
            f"the encoded word {_shown(whole)}, which mail programs show as {_shown(decoded)}"
        )
    if found:
        raise InvalidInput(f"{label} contains {found[0]}: fix it {where}")


# --- the value as the policy's own parser and the legacy decoder read it ---------------------


def _views(name: str, value: str) -> Iterator[str]:
    """The text a reader gets from `value` set as the header of `name`."""
    header = _header_for(name)
    shaped = value
    if name in _NAMES:
        shaped = str(Address(display_name=value.strip(), addr_spec=_PLACEHOLDER))
    parsed = SMTP.header_factory(header, shaped)
    yield str(parsed)
    for address in getattr(parsed, "addresses", ()):
        yield address.display_name
        yield address.addr_spec
    if name not in _ADDRESSES and header != "Subject":
        # The bare value as free text too: some readers show a name without parsing it.
        yield str(SMTP.header_factory("Subject", value))
    yield str(make_header(decode_header(value)))


def _check_views(name: str, value: str, label: str, where: str) -> None:
    try:
        views = list(_views(name, value))
    except _WRONG as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise InvalidInput(
            f"{label} cannot be read as a mail header ({reason}): fix it {where}"
        ) from None
    for text in views:
        problem = _first_problem(text)
        if problem:
            what, why = problem
            raise InvalidInput(
                f"{label} contains {what} once a mail program decodes it{why}: fix it {where}"
            )


def _check_typed(name: str, value: str) -> None:
    label, where = describe(name)
    problem = _first_problem(value)
    if problem:
        what, why = problem
        raise InvalidInput(f"{label} contains {what}{why}: fix it {where}")
    _check_encoded_words(value, label, where)


def _with_fix(name: str, check: Callable[[], T]) -> T:
    """Run a check; its refusal carries the Fix of the field (each front end words it)."""
    try:
        return check()
    except InvalidInput as exc:
        if exc.fix is not None or name not in FIXES:
            raise
        raise InvalidInput(exc.message, exc.hint, fix=FIXES[name]) from None


def check_header(name: str, value: str) -> None:
    """Refuse a header value that could end the header line or carries control characters,
    as typed or once any encoded word in it is decoded; refuse encoded words altogether.

    `name` is a Letter field ("subject", "to", ...) or any header name; the message says which
    value is wrong and where to fix it, and the error's `fix` what puts it right.
    """

    def check() -> None:
        _check_typed(name, value)
        label, where = describe(name)
        _check_views(name, value, label, where)

    _with_fix(name, check)


def check_address(name: str, value: str, display_name: str = "") -> Address:
    """Parse one addr-spec ("someone@example.com") strictly; an IDN domain becomes its A-label.

    Raises InvalidInput naming the field and where to fix it.
    """
    return _with_fix(name, lambda: _check_address(name, value, display_name))


def _check_address(name: str, value: str, display_name: str) -> Address:
    _check_typed(name, value)
    label, where = describe(name)
    value = value.strip(" \t")
    if not value:
        raise InvalidInput(f"{label} is empty: add it {where}")

    def bad(reason: str) -> InvalidInput:
        return InvalidInput(f"{label} {value!r} is not valid ({reason}): fix it {where}")

    if value.count("@") != 1 and not value.startswith('"'):
        raise bad("it needs exactly one @")
    local, _, domain = value.rpartition("@")
    if not local or not domain:
        raise bad("it needs a name before the @ and a domain after it")
    if not local.isascii():
        raise bad("non-ASCII characters before the @ are not deliverable by most servers")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise bad(f"the domain {domain!r} is not a valid domain name") from None
    if "." not in domain.strip("[]"):
        raise bad("the domain after the @ has no dot")
    try:
        # The parser raises on anything left over, so "a@b.c, evil@x" fails as a whole.
        address = Address(display_name=display_name, addr_spec=f"{local}@{domain}")
    except (HeaderParseError, MessageDefect, ValueError, IndexError) as exc:
        raise bad(str(exc).strip() or type(exc).__name__) from None
    # Only now: the parser's own complaints about a malformed address are the clearer ones.
    _check_views(name, address.addr_spec, label, where)
    return address


def check_line_lengths(header_block: bytes) -> tuple[str, int] | None:
    """The first header line over MAX_LINE_OCTETS as (header name, octets), or None."""
    current = ""
    for line in header_block.split(b"\r\n"):
        if line[:1] not in (b" ", b"\t"):
            current = line.partition(b":")[0].decode("ascii", "replace")
        if len(line) > MAX_LINE_OCTETS:
            return current, len(line)
    return None

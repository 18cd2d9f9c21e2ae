"""A finished letter as a mail message, and as .eml, .md or .txt files on disk.

Python's email package folds and encodes headers but does not stop a value carrying a line
break from starting a new header ("\\r\\nBcc: someone@evil.example"), so every header value is
checked here before any header is set, and the addresses are parsed strictly.

The body goes out as quoted-printable UTF-8: 7-bit clean for any server, and lines longer than
SMTP's 998 octets are soft-wrapped and joined again by the reader. Reading the message back
(with the wire's CRLF line ends taken as line ends) gives the body exactly, except that its
line ends are "\\n" and a final "\\n" is added when the body has none.
"""

from __future__ import annotations

import datetime as dt
import errno
import unicodedata
from dataclasses import dataclass
from email.errors import HeaderParseError, MessageDefect
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path

from ..domain.errors import InvalidInput
from .files import write_atomically

FORMATS = (".eml", ".md", ".txt")

# str.splitlines() breaks at all of these; some mail software does too, so none may reach a
# header. U+0085, U+2028 and U+2029 are not ASCII controls but still end a line for many readers.
LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# Which header a Letter field becomes, what to call it, and where the user fixes it.
_FIELDS = {
    "subject": ("the subject", "in the letter's subject line"),
    "to": ("the client's email address", "on the client's overview (e)"),
    "to_name": ("the client's name", "on the client's overview (e)"),
    "sender_name": ("your sender name", "as [sender] name in the config file"),
    "sender_email": ("your sender email address", "as [sender] email in the config file"),
    "message_id": ("the Message-ID", "in the letter record"),
}

# The date and time of day are fixed so that the same letter always gives the same bytes.
SEND_TIME = dt.time(12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Letter:
    sender_name: str
    sender_email: str
    to: str
    to_name: str
    subject: str
    body: str
    date: dt.date
    message_id: str | None = None


# --- checks ----------------------------------------------------------------------------------


def _describe(name: str) -> tuple[str, str]:
    return _FIELDS.get(name, (f"the {name} header", "where it was entered"))


def check_header(name: str, value: str) -> None:
    """Refuse a header value that could end the header line or carries control characters.

    `name` is a Letter field ("subject", "to", ...) or any header name; the message says which
    value is wrong and where to fix it.
    """
    label, where = _describe(name)
    for char in value:
        if char in LINE_BREAKS:
            problem = "a line break; a mail header must be one line"
        elif char == "\0":
            problem = "a NUL character, which mail cannot carry"
        elif char == "\t":
            continue
        elif unicodedata.category(char) in ("Cc", "Cs"):
            problem = f"an invisible control character (U+{ord(char):04X})"
        else:
            continue
        raise InvalidInput(f"{label} contains {problem}: fix it {where}")


def check_address(name: str, value: str, display_name: str = "") -> Address:
    """Parse one addr-spec ("someone@example.com") strictly; an IDN domain becomes its A-label.

    Raises InvalidInput naming the field and where to fix it.
    """
    check_header(name, value)
    label, where = _describe(name)
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
        return Address(display_name=display_name, addr_spec=f"{local}@{domain}")
    except (HeaderParseError, MessageDefect, ValueError, IndexError) as exc:
        raise bad(str(exc).strip() or type(exc).__name__) from None


def _check_body(body: str) -> str:
    try:
        body.encode("utf-8")  # fails only on a lone surrogate, at C speed
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"the letter text contains a broken character (U+{ord(body[exc.start]):04X}): "
            "retype the text around it"
        ) from None
    return body.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class _Checked:
    sender: Address
    recipient: Address
    subject: str
    body: str
    message_id: str | None


def _checked(letter: Letter) -> _Checked:
    """Every header value checked before any of them is used."""
    for name in ("sender_name", "to_name", "subject"):
        check_header(name, getattr(letter, name))
    sender = check_address("sender_email", letter.sender_email, letter.sender_name.strip())
    recipient = check_address("to", letter.to, letter.to_name.strip())
    message_id = (letter.message_id or "").strip() or None
    if message_id is not None:
        check_header("message_id", message_id)
        if not message_id.startswith("<"):
            message_id = f"<{message_id}>"
    return _Checked(sender, recipient, letter.subject.strip(), _check_body(letter.body), message_id)


# --- the message -----------------------------------------------------------------------------


def build_message(letter: Letter) -> EmailMessage:
    """The letter as a text/plain UTF-8 message with CRLF line ends, ready for SMTP or .eml."""
    checked = _checked(letter)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = checked.sender
    msg["To"] = checked.recipient
    msg["Subject"] = checked.subject
    msg["Date"] = format_datetime(dt.datetime.combine(letter.date, SEND_TIME))
    msg["Message-ID"] = checked.message_id or make_msgid(domain=checked.sender.domain)
    msg.set_content(checked.body, subtype="plain", charset="utf-8", cte="quoted-printable")
    return msg


def _shown_address(address: Address) -> str:
    if address.display_name:
        return f"{address.display_name} <{address.addr_spec}>"
    return address.addr_spec


def plain_text(letter: Letter) -> str:
    """To/Subject/Date lines, a blank line, the body; ends with one newline."""
    checked = _checked(letter)
    body = checked.body if checked.body.endswith("\n") else checked.body + "\n"
    return (
        f"To: {_shown_address(checked.recipient)}\n"
        f"Subject: {checked.subject}\n"
        f"Date: {letter.date.isoformat()}\n"
        f"\n{body}"
    )


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})


def markdown(letter: Letter) -> str:
    """A bold To/Subject/Date block, a blank line, the body as written; ends with a newline."""
    checked = _checked(letter)
    recipient = checked.recipient
    # A name or subject with * or _ must not turn into emphasis; the address stays an autolink.
    to = f"<{recipient.addr_spec}>"
    if recipient.display_name:
        to = f"{recipient.display_name.translate(_MARKDOWN_SPECIAL)} {to}"
    body = checked.body if checked.body.endswith("\n") else checked.body + "\n"
    # Two trailing spaces are Markdown's hard line break: the three lines stay three lines.
    return (
        f"**To:** {to}  \n"
        f"**Subject:** {checked.subject.translate(_MARKDOWN_SPECIAL)}  \n"
        f"**Date:** {letter.date.isoformat()}\n"
        f"\n{body}"
    )


# --- export ----------------------------------------------------------------------------------


def _payload(letter: Letter, suffix: str) -> bytes:
    if suffix == ".eml":
        return build_message(letter).as_bytes()
    if suffix == ".md":
        return markdown(letter).encode("utf-8")
    return plain_text(letter).encode("utf-8")


def _write_failed(path: Path, exc: OSError) -> InvalidInput:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOENT:
        hint = f"create the folder {path.parent} first or choose another one"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        reason = f"the disk is full or the file size limit was reached ({reason})"
        hint = "free some disk space, then export again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "choose a folder you can write to"
    else:
        hint = "choose another file name or folder"
    return InvalidInput(f"cannot write {path}: {reason}; nothing was written", hint)


def _exists(path: Path) -> InvalidInput:
    return InvalidInput(
        f"{path} already exists and was left as it is",
        "choose another file name, or confirm overwriting it",
    )


def _write_atomically(path: Path, payload: bytes, overwrite: bool) -> None:
    try:
        write_atomically(path, payload, overwrite=overwrite)
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise _write_failed(path, exc) from None


def export(letter: Letter, path: Path, *, overwrite: bool = False) -> Path:
    """Write the letter to `path` as .eml, .md or .txt (by suffix), atomically and 0600.

    Returns the path written. Raises InvalidInput for an unknown suffix, an existing file
    (unless `overwrite`), a bad header value, or a write that fails (nothing is left behind).
    """
    path = Path(path).expanduser()
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        shown = suffix or "no suffix"
        raise InvalidInput(
            f"cannot export to {path}: {shown} is not a letter format",
            "end the file name with " + ", ".join(FORMATS[:-1]) + f" or {FORMATS[-1]}",
        )
    _write_atomically(path, _payload(letter, suffix), overwrite)
    return path

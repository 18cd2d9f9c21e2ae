"""A finished letter as a mail message, and as .eml, .md or .txt files on disk.

Every header value is checked before any header is set (headers.py: line breaks and control
characters as typed and hidden in RFC 2047 encoded words), and the addresses are parsed
strictly. The message is then built once, turned into bytes, and those bytes are parsed back
and compared with what was meant: exactly the expected headers, one sender, one recipient, the
subject and the body as written. Only bytes that pass are written to an .eml file or sent, and
the send confirmation shows those same bytes (Outgoing), so what the user approves is what
goes out.

The body goes out as quoted-printable UTF-8: 7-bit clean for any server, and lines longer than
SMTP's 998 octets are soft-wrapped and joined again by the reader. Reading the message back
(with the wire's CRLF line ends taken as line ends) gives the body exactly, except that its
line ends are "\\n" and a final "\\n" is added when the body has none.
"""

from __future__ import annotations

import datetime as dt
import errno
from collections import Counter
from dataclasses import dataclass
from email.errors import HeaderParseError, MessageDefect
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, default
from email.utils import format_datetime, make_msgid
from pathlib import Path

from ..domain.errors import InvalidInput
from ..files import write_atomically
from .headers import (
    LINE_BREAKS as LINE_BREAKS,
    MAX_LINE_OCTETS,
    check_address,
    check_header,
    check_line_lengths,
    describe,
)

FORMATS = (".eml", ".md", ".txt")

# The headers a letter has, each exactly once; anything else in the bytes means a value
# changed the message's shape.
EXPECTED_HEADERS = (
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
)

# A letter dated by day only (an older caller) is stamped at noon UTC.
SEND_TIME = dt.time(12, 0, tzinfo=dt.UTC)


def _stamp(when: dt.date) -> dt.datetime:
    """The Date header's moment: the real local time the letter is made (the services pass
    their clock's now(), so tests stay fixed), or noon UTC for a bare date."""
    if isinstance(when, dt.datetime):
        return when if when.tzinfo else when.astimezone()
    return dt.datetime.combine(when, SEND_TIME)


def _day(when: dt.date) -> str:
    return (when.date() if isinstance(when, dt.datetime) else when).isoformat()


@dataclass(frozen=True)
class Letter:
    sender_name: str
    sender_email: str
    to: str
    to_name: str
    subject: str
    body: str
    date: dt.date  # a datetime (local, with its offset) for the Date header's time of day
    message_id: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """One letter's message exactly as it leaves: made once by prepare_outgoing, then written
    to an .eml file, shown for confirmation and sent, byte for byte the same.

    `headers` is the header block as sent (7-bit ASCII, CRLF line ends, no blank line after
    it); `body` is the text a mail program shows, decoded from `data` ("\\n" line ends).
    """

    data: bytes
    sender: str
    recipient: str
    headers: str
    body: str
    message_id: str
    subject: str

    @property
    def header_lines(self) -> list[str]:
        return self.headers.split("\r\n")


# --- checks ----------------------------------------------------------------------------------


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

# What the email package may raise on a value it cannot set; checked values should never get
# here, but a parser quirk must become a refusal, not a crash.
_BUILD_ERRORS = (HeaderParseError, MessageDefect, ValueError, IndexError, TypeError, LookupError)
_EVERYTHING = "the subject, the names and the addresses"
# Which Letter fields make up each header, for naming the one to fix.
_HEADER_FIELDS = {
    "subject": ("subject",),
    "from": ("sender_name", "sender_email"),
    "to": ("to_name", "to"),
    "message-id": ("message_id",),
}


def _build(letter: Letter, checked: _Checked) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    try:
        msg["From"] = checked.sender
        msg["To"] = checked.recipient
        msg["Subject"] = checked.subject
        msg["Date"] = format_datetime(_stamp(letter.date))
        msg["Message-ID"] = checked.message_id or make_msgid(domain=checked.sender.domain)
        msg.set_content(checked.body, subtype="plain", charset="utf-8", cte="quoted-printable")
    except _BUILD_ERRORS as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise InvalidInput(
            f"the letter cannot be made into a mail message ({reason}): check {_EVERYTHING}"
        ) from None
    return msg


def _mismatch(what: str, *fields: str) -> InvalidInput:
    if fields:
        label, where = describe(fields[0])
        fix = f"fix {label} {where}"
    else:
        fix = f"check {_EVERYTHING}"
    return InvalidInput(
        f"the mail would not read back as written ({what}), so it was not made: {fix}"
    )


def _too_long(letter: Letter, header: str, octets: int) -> InvalidInput:
    fields = _HEADER_FIELDS.get(header.lower())
    # The longest value in the header is the one that cannot be folded.
    name = max(fields, key=lambda f: len(getattr(letter, f) or "")) if fields else header
    label, where = describe(name)
    return InvalidInput(
        f"{label} is too long for a mail header (it makes a line of {octets:,} characters, "
        f"more than {MAX_LINE_OCTETS}): shorten it {where}"
    )


def _one_line(name: str) -> str:
    return " ".join(name.split())


def _reads(got: str, meant: str) -> str:
    """Where `got` first differs from `meant`, a few characters either side, for a message."""
    at = next((i for i, (a, b) in enumerate(zip(got, meant, strict=False)) if a != b), None)
    if at is None:
        at = min(len(got), len(meant))
    start = max(0, at - 20)
    lead = "…" if start else ""

    def part(text: str) -> str:
        tail = "…" if len(text) > at + 20 else ""
        return repr(lead + text[start : at + 20] + tail)

    return f"{part(got)} instead of {part(meant)}"


def _raw_value(headers: str, name: str) -> str:
    """The header's value as sent, unfolded (only the CRLF of each fold removed)."""
    unfolded = headers.replace("\r\n ", " ").replace("\r\n\t", "\t")
    for line in unfolded.split("\r\n"):
        key, _, value = line.partition(":")
        if key == name:
            return value
    return ""


def _name_reads_as_meant(got: str, raw: str, meant: str) -> bool:
    if _one_line(got) == _one_line(meant) or not meant.strip():
        return _one_line(got) == _one_line(meant)
    # Python's parser puts a space between adjacent encoded words in a name, where RFC 2047
    # and mail programs join them, so a long non-ASCII name split mid-word reads "Danı şmanlık"
    # there only; the older decoder joins them as a mail program does.
    try:
        joined = str(make_header(decode_header(raw)))
    except (HeaderParseError, LookupError, ValueError):
        return False
    return _one_line(meant) in _one_line(joined)


def _same_address(
    parsed: EmailMessage, headers: str, header: str, meant: Address, fields: tuple[str, str]
) -> None:
    addresses = parsed[header].addresses
    if len(addresses) != 1:
        raise _mismatch(f"its {header} header names {len(addresses)} addresses, not 1", *fields)
    got = addresses[0]
    if got.addr_spec != meant.addr_spec:
        raise _mismatch(f"its {header} address reads {got.addr_spec!r}", fields[1])
    if not _name_reads_as_meant(got.display_name, _raw_value(headers, header), meant.display_name):
        reads = _reads(got.display_name, meant.display_name)
        raise _mismatch(f"its {header} name reads {reads}", fields[0])
    if parsed[header].defects:
        raise _mismatch(f"its {header} header is malformed", *fields)


def _verified(letter: Letter, checked: _Checked, message_id: str, data: bytes) -> Outgoing:
    """Parse the bytes back and compare them with what was meant; any difference refuses."""
    head, blank, _ = data.partition(b"\r\n\r\n")
    if not blank:
        raise _mismatch("it has no end to its headers")
    too_long = check_line_lengths(head)
    if too_long:
        raise _too_long(letter, *too_long)
    try:
        headers = head.decode("ascii")
    except UnicodeDecodeError:
        raise _mismatch("its headers are not plain ASCII") from None
    parsed = BytesParser(policy=default).parsebytes(data)
    names = Counter(parsed.keys())
    if names != Counter(EXPECTED_HEADERS) or parsed.defects:
        odd = sorted((names - Counter(EXPECTED_HEADERS)).keys())
        raise _mismatch(f"it would carry the headers {', '.join(odd) or 'in a broken form'}")
    _same_address(parsed, headers, "From", checked.sender, ("sender_name", "sender_email"))
    _same_address(parsed, headers, "To", checked.recipient, ("to_name", "to"))
    subject = str(parsed["Subject"])
    if subject != checked.subject or parsed["Subject"].defects:
        # Python 3.11's folder can drop the space between two encoded words of a long
        # non-ASCII subject: every mail program would show the words run together.
        raise _mismatch(f"its subject reads {_reads(subject, checked.subject)}", "subject")
    if str(parsed["Message-ID"]).strip() != message_id:
        reads = _reads(str(parsed["Message-ID"]).strip(), message_id)
        raise _mismatch(f"its Message-ID reads {reads}", "message_id")
    if parsed.get_content_type() != "text/plain" or parsed.get_content_charset() != "utf-8":
        raise _mismatch(f"it would be {parsed.get_content_type()} instead of UTF-8 text")
    body = parsed.get_content().replace("\r\n", "\n")
    meant = checked.body if checked.body.endswith("\n") else checked.body + "\n"
    if body != meant:
        raise InvalidInput(
            "the mail would not read back as written (its text differs), so it was not made: "
            "check the letter text for unusual characters"
        )
    return Outgoing(
        data=data,
        sender=checked.sender.addr_spec,
        recipient=checked.recipient.addr_spec,
        headers=headers,
        body=body,
        message_id=message_id,
        subject=subject,
    )


def _prepare(letter: Letter) -> tuple[Outgoing, EmailMessage]:
    checked = _checked(letter)
    msg = _build(letter, checked)
    outgoing = _verified(letter, checked, str(msg["Message-ID"]), msg.as_bytes())
    return outgoing, msg


def prepare_outgoing(letter: Letter) -> Outgoing:
    """The letter's message, checked, built once and read back from its own bytes.

    Raises InvalidInput naming the value to fix when a header value is unsafe, a header line
    would be too long, or the bytes do not read back as exactly this letter.
    """
    return _prepare(letter)[0]


def build_message(letter: Letter) -> EmailMessage:
    """The letter as a text/plain UTF-8 message with CRLF line ends, checked like
    prepare_outgoing; its as_bytes() are prepare_outgoing(letter).data when the Message-ID
    is set."""
    return _prepare(letter)[1]


def _shown_address(address: Address) -> str:
    if address.display_name:
        return f"{address.display_name} <{address.addr_spec}>"
    return address.addr_spec


@dataclass(frozen=True)
class _Document:
    """A letter as a document (.txt, .md): no sender is needed, and the recipient's address
    only if there is one; the same checks on what is shown."""

    to_name: str
    to_address: str
    subject: str
    body: str


def _document(letter: Letter) -> _Document:
    for name in ("to_name", "subject", "sender_name"):
        check_header(name, getattr(letter, name))
    # The sender is not shown, so none is needed; one that is given is checked like any other.
    if letter.sender_email.strip():
        check_address("sender_email", letter.sender_email, letter.sender_name.strip())
    if (letter.message_id or "").strip():
        check_header("message_id", letter.message_id or "")
    address = ""
    if letter.to.strip():
        address = check_address("to", letter.to, letter.to_name.strip()).addr_spec
    return _Document(
        letter.to_name.strip(), address, letter.subject.strip(), _check_body(letter.body)
    )


def plain_text(letter: Letter) -> str:
    """To/Subject/Date lines, a blank line, the body; ends with one newline."""
    doc = _document(letter)
    body = doc.body if doc.body.endswith("\n") else doc.body + "\n"
    if doc.to_name and doc.to_address:
        to = f"{doc.to_name} <{doc.to_address}>"
    else:
        to = doc.to_name or doc.to_address
    return f"To: {to}\nSubject: {doc.subject}\nDate: {_day(letter.date)}\n\n{body}"


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})


def markdown(letter: Letter) -> str:
    """A bold To/Subject/Date block, a blank line, the body as written; ends with a newline."""
    doc = _document(letter)
    # A name or subject with * or _ must not turn into emphasis; the address stays an autolink.
    parts = [doc.to_name.translate(_MARKDOWN_SPECIAL)] if doc.to_name else []
    if doc.to_address:
        parts.append(f"<{doc.to_address}>")
    to = " ".join(parts)
    body = doc.body if doc.body.endswith("\n") else doc.body + "\n"
    # Two trailing spaces are Markdown's hard line break: the three lines stay three lines.
    return (
        f"**To:** {to}  \n"
        f"**Subject:** {doc.subject.translate(_MARKDOWN_SPECIAL)}  \n"
        f"**Date:** {_day(letter.date)}\n"
        f"\n{body}"
    )


# --- export ----------------------------------------------------------------------------------


def _payload(letter: Letter, suffix: str) -> bytes:
    if suffix == ".eml":
        return prepare_outgoing(letter).data
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

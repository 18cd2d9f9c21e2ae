"""Hostile header values: RFC 2047 encoded words that decode to line breaks or controls, in
every field, charset and encoding; over-long header lines; the same verdicts on the newest
Python on the machine; and a real SMTP server that gets exactly the prepared bytes or nothing.

Python's email package decodes encoded words when a header is set, so a subject such as
"=?utf-8?q?=0ABcc:_x@evil.example?=" holds no line break as typed yet makes a real "Bcc:" line.
"""

from __future__ import annotations

import base64
import datetime as dt
import glob
import inspect
import json
import os
import re
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, default
from pathlib import Path

import pytest
import smtpkit
from smtpkit import HOST, StartServer

from offboard.config import SmtpSettings
from offboard.domain.errors import InvalidInput
from offboard.letters.mail import (
    LINE_BREAKS,
    Letter,
    Outgoing,
    build_message,
    export,
    markdown,
    plain_text,
    prepare_outgoing,
)
from offboard.letters.smtp import send

smtp_server = smtpkit.smtp_server  # the fixture, bound by name for pytest

REPO = Path(__file__).resolve().parents[2]

LETTER = Letter(
    sender_name="Sam North",
    sender_email="sam@studio.example",
    to="jane@client.example",
    to_name="Jane Doe",
    subject="Ending our work together",
    body="Dear Jane,\n\nthank you.\n",
    date=dt.date(2026, 11, 22),
    message_id="<letter-1@studio.example>",
)
EXPECTED_HEADERS = Counter(
    [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
    ]
)

# field: (what the message calls it, where it says to fix it, how an encoded word goes in)
FIELDS: dict[str, tuple[str, str, Callable[[str], str]]] = {
    "subject": (
        "the subject",
        "in the letter's subject line",
        lambda w: f"Ending {w} our work",
    ),
    "to_name": (
        "the client's name",
        "in the client's details",
        lambda w: f"Jane {w} Doe",
    ),
    "sender_name": (
        "your sender name",
        "in your settings (sender.name)",
        lambda w: f"Sam {w}",
    ),
    "sender_email": (
        "your sender email address",
        "in your settings (sender.email)",
        lambda w: f"{w}@studio.example",
    ),
    "to": (
        "the client's email address",
        "in the client's details",
        lambda w: f"{w}@client.example",
    ),
    "message_id": (
        "the Message-ID",
        "in the letter record",
        lambda w: f"<{w}@studio.example>",
    ),
}
LABELS = [label for label, _, _ in FIELDS.values()]

UNKNOWN = "x-no-such-charset"
CHARSETS = [
    "utf-8",
    "iso-8859-1",
    "us-ascii",
    "utf-16",
    "utf-7",
    "cp1252",
    "koi8-r",
    "shift_jis",
    UNKNOWN,
    "utf-8*en",  # RFC 2231: a language after the charset
]

# What an encoded word hides; each would end the header line or is an invisible control.
HIDDEN = {
    "CRLF-Bcc": "\r\nBcc: x@evil.example",
    "LF-Bcc": "\nBcc: x@evil.example",
    "CR": "\r",
    "LF": "\n",
    "VT": "\x0b",
    "FF": "\x0c",
    "FS": "\x1c",
    "NEL": "\x85",
    "LS": "\u2028",
    "PS": "\u2029",
    "NUL": "\0",
    "SOH": "\x01",
    "ESC": "\x1b",
    "US": "\x1f",
    "DEL": "\x7f",
    "C1-PAD": "\x80",
    "C1-CSI": "\x9b",
}


def payload(charset: str, text: str) -> tuple[bytes, bool]:
    """`text` in `charset`, and whether it is exactly that text (the charset can carry it).

    A character the charset lacks goes in as its own byte value (or UTF-8): a reader then
    sees some other character, which must be refused as well.
    """
    codec = charset.partition("*")[0]
    if charset == UNKNOWN:
        return text.encode("utf-8"), False
    try:
        return text.encode(codec), True
    except UnicodeEncodeError:
        return b"".join(bytes([ord(c)]) if ord(c) < 256 else c.encode("utf-8") for c in text), False


def q_encode(raw: bytes) -> str:
    # Everything but letters and digits as =XX: the word stays valid inside an address, too.
    return "".join(chr(b) if chr(b).isalnum() and b < 128 else f"={b:02X}" for b in raw)


def encoded_word(charset: str, encoding: str, raw: bytes) -> str:
    if encoding.upper() == "Q":
        return f"=?{charset}?{encoding}?{q_encode(raw)}?="
    return f"=?{charset}?{encoding}?{base64.b64encode(raw).decode('ascii')}?="


def with_value(field: str, word: str) -> Letter:
    return replace(LETTER, **{field: FIELDS[field][2](word)})


def files_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


MAKERS: dict[str, Callable[[Letter, Path], object]] = {
    "prepare_outgoing": lambda letter, _: prepare_outgoing(letter),
    "build_message": lambda letter, _: build_message(letter),
    "plain_text": lambda letter, _: plain_text(letter),
    "markdown": lambda letter, _: markdown(letter),
    "export .eml": lambda letter, folder: export(letter, folder / "letter.eml"),
    "export .txt": lambda letter, folder: export(letter, folder / "letter.txt"),
    "export .md": lambda letter, folder: export(letter, folder / "letter.md"),
}


def refusals(letter: Letter, folder: Path) -> dict[str, str]:
    """The message each way out gives; fails the test when any of them lets the letter out."""
    found = {}
    for name, make in MAKERS.items():
        try:
            make(letter, folder)
        except InvalidInput as exc:
            found[name] = exc.one_line()
        else:
            pytest.fail(f"{name} let out {letter!r}")
    assert files_in(folder) == [], letter
    return found


def assert_refused_naming(letter: Letter, field: str, folder: Path) -> str:
    label, where, _ = FIELDS[field]
    messages = refusals(letter, folder)
    message = messages["prepare_outgoing"]
    assert set(messages.values()) == {message}, messages  # every way out says the same
    assert message.startswith(f"{label} "), message
    assert message.endswith(where), message
    assert "\n" not in message and "\r" not in message
    return message


def assert_round_trip(letter: Letter, out: Outgoing) -> None:
    """An accepted letter: exactly the expected headers, one sender, one recipient."""
    head = out.data.partition(b"\r\n\r\n")[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 998
    assert out.headers == head.decode("ascii")
    parsed = BytesParser(policy=default).parsebytes(out.data)
    assert Counter(parsed.keys()) == EXPECTED_HEADERS
    [sender] = parsed["From"].addresses
    [recipient] = parsed["To"].addresses
    assert (sender.addr_spec, recipient.addr_spec) == (out.sender, out.recipient)
    assert out.recipient == letter.to.strip()
    assert parsed["Subject"] == letter.subject.strip()
    assert parsed.get_content().replace("\r\n", "\n") == out.body


# --- the hazard is real -------------------------------------------------------------------------


def test_the_email_package_alone_would_add_a_bcc_line() -> None:
    # Keeps the matrix honest: without our checks this value does make a Bcc header.
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = "=?utf-8?q?=0ABcc:_someone@example.net?="
    parsed = BytesParser(policy=default).parsebytes(msg.as_bytes())
    assert parsed["Bcc"] == "someone@example.net"


def test_the_example_from_the_report_is_refused(tmp_path: Path) -> None:
    letter = replace(LETTER, subject="=?utf-8?q?=0ABcc:_someone@example.net?=")
    message = assert_refused_naming(letter, "subject", tmp_path)
    assert message.startswith("the subject contains a line break hidden in the encoded word")


# --- the matrix: every field, charset and encoding ----------------------------------------------


def _problem_word(text: str) -> str:
    if any(c in LINE_BREAKS for c in text):
        return "line break"
    if "\0" in text:
        return "NUL"
    return "control character"


@pytest.mark.parametrize("encoding", ["Q", "B"])
@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_hidden_line_breaks_and_controls_are_refused(
    field: str, charset: str, encoding: str, tmp_path: Path
) -> None:
    for kind, hidden in HIDDEN.items():
        raw, exact = payload(charset, f"Hi{hidden}there")
        letter = with_value(field, encoded_word(charset, encoding, raw))
        message = assert_refused_naming(letter, field, tmp_path)
        if charset == UNKNOWN:
            assert "character set 'x-no-such-charset' is unknown" in message, (kind, message)
        elif exact:
            assert _problem_word(hidden) in message, (kind, message)


@pytest.mark.parametrize("encoding", ["Q", "q", "B", "b"])
@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_harmless_encoded_words_never_add_a_header(
    field: str, charset: str, encoding: str, tmp_path: Path
) -> None:
    for text in ("Hello", "Grüße", "Bcc"):
        raw, _ = payload(charset, text)
        letter = with_value(field, encoded_word(charset, encoding, raw))
        try:
            out = prepare_outgoing(letter)
        except InvalidInput as exc:
            assert exc.message.startswith(FIELDS[field][0]), exc.message
            continue
        assert_round_trip(letter, out)
        assert export(letter, tmp_path / "x.eml", overwrite=True).read_bytes() == out.data


# Encoded words as mail readers meet them in the wild: case, gluing, quoting, splitting,
# sloppy encodings and charsets no reader can know.
VARIATIONS = {
    "lower q": "=?utf-8?q?=0ABcc:_x@evil.example?=",
    "upper Q": "=?UTF-8?Q?=0D=0ABcc:_x@evil.example?=",
    "lower b": "=?utf-8?b?DQpCY2M6IHhAZXZpbC5leGFtcGxl?=",
    "upper B": "=?UTF-8?B?DQpCY2M6IHhAZXZpbC5leGFtcGxl?=",
    "adjacent": "=?utf-8?q?Hi?==?utf-8?q?=0A?=",
    "adjacent with space": "=?utf-8?q?Hi?= =?utf-8?q?=0ABcc:_x@evil.example?=",
    "CR and LF in two words": "=?utf-8?q?=0D?= =?utf-8?q?=0A?=",
    "inside quotes": '"Jane =?utf-8?q?=0ABcc:_x@evil.example?="',
    "inside a comment": "(=?utf-8?q?=0A?=)",
    "glued to text": "x=?utf-8?q?=0A?=y",
    "lower-case hex": "=?utf-8?q?=0a?=",
    "question mark in the text": "=?utf-8?q?a?b=0A?=",
    "space in the text": "=?utf-8?q?a =0A?=",
    "base64 without padding": "=?utf-8?b?Cg?=",
    "base64 with junk": "=?utf-8?b?C*g=*=?=",
    "language suffix": "=?utf-8*en?q?=0A?=",
    "empty charset": "=??q?=0A?=",
    "a codec that is no charset": "=?base64?q?Cg==?=",
    "rot13": "=?rot13?q?=0A?=",
    "nonsense charset, base64": "=?x-klingon?B?Cg==?=",
    "word inside a word": "=?utf-8?q?=3D=3Futf-8=3Fq=3F=3D0A=3F=3D?=",
    "invalid utf-8": "=?utf-8?q?=FF=0A?=",
    "overlong utf-8 LF": "=?utf-8?q?=C0=8A?=",
    "U+2029 as utf-8": "=?utf-8?q?=E2=80=A9?=",
    "U+2028 as utf-16": "=?utf-16?b?//4oIA==?=",
    "NUL as base64": "=?utf-8?b?AA==?=",
    "C1 control as utf-8": "=?utf-8?q?=C2=9B?=",
    "VT in latin-1": "=?iso-8859-1?q?=0B?=",
    "NEL in latin-1": "=?latin-1?q?=85?=",
    "LF in utf-7": "=?utf-7?q?+AAo-?=",
}


@pytest.mark.parametrize("variation", sorted(VARIATIONS))
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_variations_are_refused(field: str, variation: str, tmp_path: Path) -> None:
    assert_refused_naming(with_value(field, VARIATIONS[variation]), field, tmp_path)


# --- long lines -------------------------------------------------------------------------------

LONG = {
    "5,000-character address": ("to", "a" * 5000 + "@client.example"),
    "5,000-character sender address": ("sender_email", "s" * 5000 + "@studio.example"),
    "5,000-character name without spaces": ("to_name", "x" * 5000),
    "5,000-character sender name without spaces": ("sender_name", "y" * 5000),
    "5,000-character non-ASCII name": ("to_name", "ş" * 5000),
    "2,000-character subject without spaces": ("subject", "w" * 2000),
    "2,000-character subject of words": ("subject", "word " * 399 + "word"),
    "5,000-character Message-ID": ("message_id", "<" + "m" * 5000 + "@studio.example>"),
}


@pytest.mark.parametrize("case", sorted(LONG))
def test_no_header_line_is_longer_than_998_octets(case: str, tmp_path: Path) -> None:
    field, value = LONG[case]
    letter = replace(LETTER, **{field: value})
    try:
        out = prepare_outgoing(letter)
    except InvalidInput as exc:
        label, where, _ = FIELDS[field]
        assert exc.message.startswith(f"{label} is too long for a mail header"), exc.message
        assert exc.message.endswith(f"shorten it {where}")
        with pytest.raises(InvalidInput):
            export(letter, tmp_path / "letter.eml")
        assert files_in(tmp_path) == []
        return
    assert_round_trip(letter, out)


def test_the_long_address_from_the_report_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"a line of 5,0\d\d characters, more than 998"):
        prepare_outgoing(replace(LETTER, to="a" * 5000 + "@client.example"))


# --- what goes out is what was prepared -------------------------------------------------------


def test_the_outgoing_message_is_its_own_bytes_read_back() -> None:
    out = prepare_outgoing(replace(LETTER, to_name="Çağrı Öztürk", subject="Grüße"))
    again = build_message(replace(LETTER, to_name="Çağrı Öztürk", subject="Grüße"))
    assert out.data == again.as_bytes()
    head, _, _ = out.data.partition(b"\r\n\r\n")
    assert out.headers.encode("ascii") == head
    assert out.header_lines[0] == "From: Sam North <sam@studio.example>"
    assert out.header_lines[1].startswith("To: =?utf-8?")  # exactly as sent, encoded
    assert (out.sender, out.recipient) == ("sam@studio.example", "jane@client.example")
    assert (out.subject, out.body, out.message_id) == (
        "Grüße",
        LETTER.body,
        "<letter-1@studio.example>",
    )


def test_without_a_message_id_one_is_made_once() -> None:
    out = prepare_outgoing(replace(LETTER, message_id=None))
    assert out.message_id.endswith("@studio.example>")
    assert f"Message-ID: {out.message_id}".encode() in out.data


# --- the same verdicts on the newest Python ---------------------------------------------------


def verdict(fields: dict) -> list:
    """Accepted (with the header names and recipients read back) or refused (naming which
    field); runs here and, by its source, in a child process on another Python."""
    import datetime
    from email.parser import BytesParser
    from email.policy import default

    from offboard.domain.errors import InvalidInput
    from offboard.letters.mail import Letter, prepare_outgoing

    letter = Letter(date=datetime.date(2026, 11, 22), **fields["letter"])
    try:
        out = prepare_outgoing(letter)
    except InvalidInput as exc:
        blamed = [label for label in fields["labels"] if exc.message.startswith(label + " ")]
        return ["refused", blamed[0] if blamed else exc.message]
    parsed = BytesParser(policy=default).parsebytes(out.data)
    longest = max(len(line) for line in out.data.split(b"\r\n\r\n")[0].split(b"\r\n"))
    return [
        "accepted",
        sorted(parsed.keys()),
        [a.addr_spec for a in parsed["To"].addresses],
        longest <= 998,
    ]


def all_cases() -> dict[str, dict]:
    cases: dict[str, dict] = {}

    def add(key: str, letter: Letter) -> None:
        values = {k: v for k, v in asdict(letter).items() if k != "date"}
        cases[key] = {"letter": values, "labels": LABELS}

    for field in FIELDS:
        for charset in CHARSETS:
            for encoding in ("Q", "q", "B", "b"):
                for kind, hidden in {**HIDDEN, "Hello": "Hello", "Grüße": "Grüße"}.items():
                    word = encoded_word(charset, encoding, payload(charset, hidden)[0])
                    add(f"{field}/{charset}/{encoding}/{kind}", with_value(field, word))
        for variation, word in VARIATIONS.items():
            add(f"{field}/{variation}", with_value(field, word))
    for case, (field, value) in LONG.items():
        add(f"long/{case}", replace(LETTER, **{field: value}))
    add("plain", LETTER)
    add("non-ASCII names", replace(LETTER, to_name="Çağrı Öztürk", sender_name="Jiří Dvořák"))
    return cases


CHILD = """
import json, sys
before = set(sys.modules)
import offboard.letters.mail
third_party = sorted(
    {{name.partition(".")[0] for name in set(sys.modules) - before}}
    - set(sys.stdlib_module_names) - {{"offboard"}}
)
{source}
cases = json.load(sys.stdin)
print(json.dumps({{
    "version": list(sys.version_info[:2]),
    "third_party": third_party,
    "verdicts": {{key: verdict(fields) for key, fields in cases.items()}},
}}))
"""


def _version(python: str) -> tuple[int, int] | None:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = done.stdout.split()
    if done.returncode != 0 or len(parts) != 2:
        return None
    return int(parts[0]), int(parts[1])


def newest_python() -> tuple[str, tuple[int, int]]:
    """The highest python3.N on PATH, in pyenv's versions, /usr/bin or /usr/local/bin that
    runs; the running interpreter when none is newer."""
    folders = os.environ.get("PATH", "").split(os.pathsep)
    for home in (os.path.expanduser("~"), "/root"):
        folders += sorted(glob.glob(os.path.join(home, ".pyenv", "versions", "*", "bin")))
    folders += ["/usr/bin", "/usr/local/bin"]
    found: set[tuple[int, str]] = set()
    for folder in folders:
        for path in glob.glob(os.path.join(folder, "python3.*")):
            match = re.fullmatch(r"python3\.(\d+)", os.path.basename(path))
            if match and os.access(path, os.X_OK):
                found.add((int(match.group(1)), path))
    running = sys.version_info[:2]
    # pyenv shims and broken links are names too: only an interpreter that runs counts.
    for minor, path in sorted(found, reverse=True):
        if minor <= running[1]:
            break
        if _version(path) == (3, minor):
            return path, (3, minor)
    return sys.executable, (running[0], running[1])


def test_the_newest_python_gives_the_same_verdicts() -> None:
    python, version = newest_python()
    cases = all_cases()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    child = CHILD.format(source=inspect.getsource(verdict))
    done = subprocess.run(
        [python, "-c", child],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert tuple(report["version"]) == version
    # The header checks must need nothing beyond the standard library.
    assert report["third_party"] == []
    here = {key: verdict(fields) for key, fields in cases.items()}
    there = report["verdicts"]
    differ = {k: (here[k], there[k]) for k in cases if here[k] != there[k]}
    assert differ == {}, f"{len(differ)} of {len(cases)} cases differ on {python}"
    # Nothing hostile got through on either Python.
    for key, result in here.items():
        if result[0] == "accepted":
            assert result[1:] == [sorted(EXPECTED_HEADERS), [cases[key]["letter"]["to"]], True]
    assert here["plain"][0] == "accepted"
    assert sum(r[0] == "refused" for r in here.values()) > 1500


# --- a real SMTP server -----------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A bare TCP port that records whether anyone connected."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, 0))
    sock.listen(8)
    sock.settimeout(0.2)
    yield sock
    sock.close()


HOSTILE_LETTERS = {
    "subject": replace(LETTER, subject="=?utf-8?q?=0ABcc:_x@evil.example?="),
    "to_name": replace(LETTER, to_name="=?utf-8?b?DQpCY2M6IHhAZXZpbC5leGFtcGxl?="),
    "sender_name": replace(LETTER, sender_name='"Sam =?utf-7?q?+AA0ACg-Bcc:_x@evil.example?="'),
    "to": replace(LETTER, to="=?utf-8?q?=0A=42cc=3A?=@client.example"),
}


@pytest.mark.parametrize("field", sorted(HOSTILE_LETTERS))
def test_hostile_letters_are_refused_before_any_connection(
    field: str, listener: socket.socket
) -> None:
    settings = SmtpSettings(host=HOST, port=listener.getsockname()[1], security="none")
    with pytest.raises(InvalidInput) as caught:
        send(HOSTILE_LETTERS[field], settings, timeout=2)
    assert caught.value.message.startswith(FIELDS[field][0])
    with pytest.raises(TimeoutError):
        listener.accept()  # nobody knocked


def test_the_server_receives_exactly_the_prepared_bytes(smtp_server: StartServer) -> None:
    server = smtp_server()
    out = prepare_outgoing(replace(LETTER, message_id=None, to_name="Çağrı Öztürk"))
    assert send(out, server.settings()) == out.message_id
    [got] = server.received
    assert got.content == out.data
    assert got.mail_from == out.sender
    assert got.rcpt_tos == [out.recipient]
    assert got.message["Message-ID"] == out.message_id
    assert Counter(got.message.keys()) == EXPECTED_HEADERS

"""Building the message and exporting letters: header checks, exact round trips, safe files."""

from __future__ import annotations

import datetime as dt
import email
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import replace
from email.header import decode_header, make_header
from email.policy import compat32
from pathlib import Path

import pytest
from smtpkit import parse

from offboard.domain.errors import InvalidInput
from offboard.letters.mail import (
    Letter,
    build_message,
    check_header,
    export,
    markdown,
    plain_text,
)

LETTER = Letter(
    sender_name="Ayşe Yılmaz",
    sender_email="ayse@tasarim.example",
    to="cagri@musteri.example",
    to_name="Çağrı Öztürk",
    subject="İş birliğimizin sona ermesi",
    body="Sayın Çağrı Bey,\n\nsözleşmemiz 31 Aralık'ta sona eriyor.\n\nAyşe\n",
    date=dt.date(2026, 11, 22),
    message_id="<letter-1@tasarim.example>",
)


def files_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# --- header injection --------------------------------------------------------------------------

FIELDS = {
    # field: (a valid value the bad character is put into, what the message calls it)
    "subject": ("Ending our work", "the subject"),
    "to": ("jane@client.example", "the client's email address"),
    "to_name": ("Jane Doe", "the client's name"),
    "sender_name": ("Sam", "your sender name"),
    "sender_email": ("sam@studio.example", "your sender email address"),
}
LINE_BREAKS = {
    "CR": "\r",
    "LF": "\n",
    "CRLF": "\r\n",
    "Bcc": "\r\nBcc: x@evil.example",
    "LF-Bcc": "\nBcc: x@evil.example",
    "NEL": "\x85",
    "LS": "\u2028",
    "PS": "\u2029",
    "VT": "\x0b",
    "FF": "\x0c",
}
OTHER_BAD = {"NUL": ("\0", "NUL"), "ESC": ("\x1b", "U+001B"), "DEL": ("\x7f", "U+007F")}


def injected(field: str, bad: str, at_end: bool) -> Letter:
    good = FIELDS[field][0]
    value = good + bad if at_end else good[:3] + bad + good[3:]
    return replace(LETTER, **{field: value})


MAKERS: dict[str, Callable[[Letter, Path], object]] = {
    "build_message": lambda letter, _: build_message(letter),
    "plain_text": lambda letter, _: plain_text(letter),
    "markdown": lambda letter, _: markdown(letter),
    "export .eml": lambda letter, folder: export(letter, folder / "letter.eml"),
    "export .txt": lambda letter, folder: export(letter, folder / "letter.txt"),
}


@pytest.mark.parametrize("at_end", [True, False], ids=["at end", "inside"])
@pytest.mark.parametrize("kind", sorted(LINE_BREAKS))
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_line_breaks_in_any_header_are_refused(
    field: str, kind: str, at_end: bool, tmp_path: Path
) -> None:
    letter = injected(field, LINE_BREAKS[kind], at_end)
    for name, make in MAKERS.items():
        with pytest.raises(InvalidInput) as caught:
            make(letter, tmp_path)
        message = caught.value.message
        assert message.startswith(f"{FIELDS[field][1]} contains a line break"), (name, message)
        assert "a mail header must be one line" in message
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("kind", sorted(OTHER_BAD))
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_nul_and_control_characters_are_refused(field: str, kind: str, tmp_path: Path) -> None:
    char, named = OTHER_BAD[kind]
    letter = injected(field, char, at_end=False)
    for make in MAKERS.values():
        with pytest.raises(InvalidInput) as caught:
            make(letter, tmp_path)
        assert caught.value.message.startswith(FIELDS[field][1])
        assert named in caught.value.message
    assert files_in(tmp_path) == []


def test_check_header_messages_say_what_and_where() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_header("subject", "Hi\r\nBcc: x@evil.example")
    assert caught.value.message == (
        "the subject contains a line break; a mail header must be one line: "
        "fix it in the letter's subject line"
    )
    with pytest.raises(InvalidInput) as caught:
        check_header("Reply-To", "a\0b")
    assert caught.value.message.startswith("the Reply-To header contains a NUL character")


def test_tabs_and_ordinary_unicode_are_fine_in_headers() -> None:
    text = "Col A\tCol B — ğüşıöçİ äö ěščřžýáíéůú"
    for field in ("subject", "to_name", "sender_name"):
        assert check_header(field, text) is None
    raw = build_message(replace(LETTER, subject=text, to_name=text, sender_name=text)).as_bytes()
    msg = parse(raw)
    assert sorted(msg.keys()) == sorted(
        ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
         "Content-Transfer-Encoding"]
    )  # fmt: skip
    assert msg["Subject"] == text  # the tab too
    # The names read as RFC 2047 says: Python's own parser puts a space where an encoded name
    # is split in two.
    sent = email.message_from_bytes(raw, policy=compat32)
    assert str(make_header(decode_header(sent["To"]))) == f"{text} <{LETTER.to}>"
    assert str(make_header(decode_header(sent["From"]))) == f"{text} <{LETTER.sender_email}>"


def test_message_id_is_checked_too() -> None:
    with pytest.raises(InvalidInput, match="the Message-ID contains a line break"):
        build_message(replace(LETTER, message_id="<a@b.example>\r\nBcc: x@evil.example"))


# --- addresses --------------------------------------------------------------------------------


def test_empty_recipient_says_where_to_add_it() -> None:
    for empty in ("", "   "):
        with pytest.raises(InvalidInput) as caught:
            build_message(replace(LETTER, to=empty))
        assert caught.value.message == (
            "the client's email address is empty: add it in the client's details"
        )


def test_empty_sender_says_where_to_add_it() -> None:
    with pytest.raises(InvalidInput) as caught:
        build_message(replace(LETTER, sender_email=""))
    assert caught.value.message == (
        "your sender email address is empty: add it in your settings (sender.email)"
    )


@pytest.mark.parametrize(
    "address",
    [
        "jane",
        "jane@",
        "@client.example",
        "jane@@client.example",
        "jane@client",
        "jane doe@client.example",
        "jane@client..example",
        "<jane@client.example>",
        "Jane <jane@client.example>",
        "jane@client.example, x@evil.example",
        "jane@client.example;x@evil.example",
        "jäne@client.example",
    ],
)
def test_malformed_recipient_is_refused(address: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        build_message(replace(LETTER, to=address))
    message = caught.value.message
    assert message.startswith(f"the client's email address {address!r} is not valid (")
    assert message.endswith("fix it in the client's details")


def test_addresses_are_trimmed_and_idn_domains_encoded() -> None:
    msg = build_message(replace(LETTER, to="  info@bücher.example ", to_name=""))
    assert msg["To"] == "info@xn--bcher-kva.example"
    assert "Çağrı" not in str(msg["To"])


# --- the message ------------------------------------------------------------------------------


def test_headers_of_the_built_message() -> None:
    msg = build_message(LETTER)
    assert msg["Date"] == "Sun, 22 Nov 2026 12:00:00 +0000"
    assert msg["Message-ID"] == "<letter-1@tasarim.example>"
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert msg["Content-Transfer-Encoding"] == "quoted-printable"


def test_the_bytes_are_7bit_crlf_and_short_lines() -> None:
    raw = build_message(replace(LETTER, body="ş" * 3000)).as_bytes()
    raw.decode("ascii")  # quoted-printable and encoded words: nothing needs 8BITMIME
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


def test_same_letter_same_bytes() -> None:
    assert build_message(LETTER).as_bytes() == build_message(LETTER).as_bytes()


def test_message_id_is_made_from_the_sender_domain() -> None:
    first = build_message(replace(LETTER, message_id=None))["Message-ID"]
    second = build_message(replace(LETTER, message_id=None))["Message-ID"]
    assert first.startswith("<")
    assert first.endswith("@tasarim.example>")
    assert first != second


def test_a_bare_message_id_gets_its_brackets() -> None:
    assert build_message(replace(LETTER, message_id="x1@a.example"))["Message-ID"] == (
        "<x1@a.example>"
    )


BODIES = {
    "english": "Dear Jane,\n\nthank you.\n",
    "turkish": "Sayın Çağrı Bey, ğüşıöçİ ĞÜŞIÖÇ\n",
    "finnish": "Hyvä asiakas, äö ÄÖ\n",
    "czech": "Vážený kliente, ěščřžýáíéůú ĚŠČŘŽÝÁÍÉŮÚ\n",
    "long line": "x" * 2000 + "\n" + "ğ" * 1500 + "\n",
    "trailing spaces and tabs": "keep these   \nand this\t\n",
    "dots and From": ".\n..two\nFrom here\n>From there\n",
    "equals signs": "a = b, =3D, =\n=\n",
    "blank lines at the end": "text\n\n\n",
    "separators kept in the body": "a\u2028b\x85c\x0cd\n",
    "only a newline": "\n",
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_body_round_trips_exactly(name: str) -> None:
    body = BODIES[name]
    parsed = parse(build_message(replace(LETTER, body=body)).as_bytes())
    assert parsed.get_content() == body


@pytest.mark.parametrize(
    ("body", "read_back"),
    [
        ("no final newline", "no final newline\n"),
        ("", "\n"),
        ("windows\r\nline\r\nends\r\n", "windows\nline\nends\n"),
        ("old mac\rends", "old mac\nends\n"),
    ],
)
def test_line_ends_are_normalised_and_a_final_newline_added(body: str, read_back: str) -> None:
    parsed = parse(build_message(replace(LETTER, body=body)).as_bytes())
    assert parsed.get_content() == read_back


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ('Çağrı Öztürk, İnşaat "ĞÜŞ"', "Sözleşmenin sona ermesi hakkında bilgilendirme " * 3),
        ("Jääkärin Öljy Oy", "Yhteistyömme päättyminen – kiitos"),
        ("Růžena Šťastná", "Ukončení spolupráce: ěščřžýáíéůú"),
        ("O'Brien, Sam (Studio)", "Re: [project] invoice #12; final: done"),
    ],
)
def test_names_and_subject_decode_back_exactly(name: str, subject: str) -> None:
    letter = replace(LETTER, to_name=name, sender_name=name, subject=subject.strip())
    parsed = parse(build_message(letter).as_bytes())
    assert parsed["Subject"] == subject.strip()
    assert parsed["To"].addresses[0].display_name == name
    assert parsed["To"].addresses[0].addr_spec == LETTER.to
    assert parsed["From"].addresses[0].display_name == name
    assert parsed["From"].addresses[0].addr_spec == LETTER.sender_email


def test_a_body_with_a_broken_character_is_refused() -> None:
    with pytest.raises(InvalidInput, match="broken character"):
        build_message(replace(LETTER, body="half a pair: \ud83d"))


# --- plain text and markdown ------------------------------------------------------------------


def test_plain_text() -> None:
    assert plain_text(LETTER) == (
        "To: Çağrı Öztürk <cagri@musteri.example>\n"
        "Subject: İş birliğimizin sona ermesi\n"
        "Date: 2026-11-22\n"
        "\n" + LETTER.body
    )


def test_plain_text_without_a_name_and_without_a_final_newline() -> None:
    text = plain_text(replace(LETTER, to_name="", body="Hi"))
    assert text.splitlines()[0] == "To: cagri@musteri.example"
    assert text.endswith("\n\nHi\n")


def test_markdown() -> None:
    assert markdown(LETTER) == (
        "**To:** Çağrı Öztürk <cagri@musteri.example>  \n"
        "**Subject:** İş birliğimizin sona ermesi  \n"
        "**Date:** 2026-11-22\n"
        "\n" + LETTER.body
    )


def test_markdown_escapes_the_header_block_but_not_the_body() -> None:
    letter = replace(LETTER, to_name="A_B *Ltd*", subject="Re: [x] *urgent*", body="*kept*\n")
    text = markdown(letter)
    assert "**To:** A\\_B \\*Ltd\\* <cagri@musteri.example>  \n" in text
    assert "**Subject:** Re: \\[x\\] \\*urgent\\*  \n" in text
    assert text.endswith("\n\n*kept*\n")


# --- export -----------------------------------------------------------------------------------


@pytest.fixture
def loose_umask() -> Iterator[None]:
    # A umask that would make files world-readable: the export must be 0600 regardless.
    old = os.umask(0o002)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_export_eml(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "letter.eml"
    assert export(LETTER, path) == path
    raw = path.read_bytes()
    assert raw == build_message(LETTER).as_bytes()
    parsed = parse(raw)
    assert parsed.get_content() == LETTER.body
    assert parsed["Subject"] == LETTER.subject
    assert mode(path) == 0o600
    assert files_in(tmp_path) == ["letter.eml"]


@pytest.mark.parametrize(("suffix", "render"), [(".md", markdown), (".txt", plain_text)])
def test_export_text_formats(
    tmp_path: Path, loose_umask: None, suffix: str, render: Callable[[Letter], str]
) -> None:
    path = tmp_path / f"letter{suffix}"
    assert export(LETTER, path) == path
    assert path.read_text(encoding="utf-8") == render(LETTER)
    assert mode(path) == 0o600
    assert files_in(tmp_path) == [path.name]


def test_suffix_case_does_not_matter(tmp_path: Path) -> None:
    path = export(LETTER, tmp_path / "LETTER.EML")
    assert path.read_bytes() == build_message(LETTER).as_bytes()


def test_export_expands_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    written = export(LETTER, Path("~/letter.txt"))
    assert written == tmp_path / "letter.txt"
    assert written.read_text(encoding="utf-8") == plain_text(LETTER)


@pytest.mark.parametrize("name", ["letter.pdf", "letter", "letter.eml.bak"])
def test_unknown_suffix_lists_the_formats(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        export(LETTER, tmp_path / name)
    text = caught.value.one_line()
    assert str(tmp_path / name) in text
    assert ".eml, .md or .txt" in text
    assert files_in(tmp_path) == []


def test_an_existing_file_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("the user's own notes", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        export(LETTER, path)
    assert caught.value.message == f"{path} already exists and was left as it is"
    assert "overwrit" in caught.value.one_line()
    assert path.read_text(encoding="utf-8") == "the user's own notes"
    assert files_in(tmp_path) == ["letter.txt"]


def test_a_file_appearing_during_the_export_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "letter.txt"
    real_fsync = os.fsync

    def another_writer_wins(fd: int) -> None:
        real_fsync(fd)
        if not path.exists():
            path.write_text("written meanwhile", encoding="utf-8")

    monkeypatch.setattr(os, "fsync", another_writer_wins)
    with pytest.raises(InvalidInput, match="already exists"):
        export(LETTER, path)
    assert path.read_text(encoding="utf-8") == "written meanwhile"
    assert files_in(tmp_path) == ["letter.txt"]


def test_overwrite_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "letter.md"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    export(LETTER, path, overwrite=True)
    assert path.read_text(encoding="utf-8") == markdown(LETTER)
    assert mode(path) == 0o600
    assert files_in(tmp_path) == ["letter.md"]


def test_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "letter.eml"
    with pytest.raises(InvalidInput) as caught:
        export(LETTER, path)
    text = caught.value.one_line()
    assert text.startswith(f"cannot write {path}: No such file or directory")
    assert f"create the folder {path.parent}" in text
    assert not path.parent.exists()


def test_a_folder_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "letter.eml").mkdir()
    with pytest.raises(InvalidInput) as caught:
        export(LETTER, tmp_path / "letter.eml", overwrite=True)
    assert caught.value.message.startswith(f"cannot write {tmp_path / 'letter.eml'}: ")
    assert files_in(tmp_path) == ["letter.eml"]


def test_a_write_error_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(InvalidInput) as caught:
        export(LETTER, tmp_path / "letter.eml")
    assert "Input/output error" in caught.value.message
    assert files_in(tmp_path) == []


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    # Root ignores permission bits; the immutable attribute stops root too.
    if shutil.which("chattr") is None:
        pytest.skip("running as root and chattr is not installed: no way to lock a folder")
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i not permitted here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)


def test_read_only_folder(read_only_folder: Path) -> None:
    path = read_only_folder / "letter.txt"
    with pytest.raises(InvalidInput) as caught:
        export(LETTER, path)
    text = caught.value.one_line()
    assert text.startswith(f"cannot write {path}: ")
    assert "Permission denied" in text or "Operation not permitted" in text
    assert "choose a folder you can write to" in text
    assert files_in(read_only_folder) == []


CHILD = """
import datetime, resource, sys
from pathlib import Path
from offboard.domain.errors import InvalidInput
from offboard.letters.mail import Letter, export

letter = Letter("Sam", "sam@studio.example", "jane@client.example", "Jane", "Bye",
                "x" * 100_000, datetime.date(2026, 11, 22))
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    export(letter, Path(sys.argv[1]))
except InvalidInput as exc:
    print(exc.one_line(), file=sys.stderr)
    sys.exit(3)
print("written")
"""


def run_child(path: Path, limit: int) -> subprocess.CompletedProcess[str]:
    # A file size limit fails the write like a full disk does (EFBIG instead of ENOSPC), and
    # only in the child: Python ignores SIGXFSZ, so the write returns an error.
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(path), str(limit)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_full_disk_leaves_no_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "letter.eml"
    failed = run_child(path, 4096)
    assert failed.returncode == 3, (failed.stdout, failed.stderr)
    assert f"cannot write {path}" in failed.stderr
    assert "the disk is full or the file size limit was reached" in failed.stderr
    assert files_in(tmp_path) == []

    done = run_child(path, 1 << 30)
    assert done.returncode == 0, done.stderr
    assert files_in(tmp_path) == ["letter.eml"]

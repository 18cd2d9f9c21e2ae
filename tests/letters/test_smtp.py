"""Sending through real SMTP servers on 127.0.0.1: what arrives is what the preview showed."""

from __future__ import annotations

import datetime as dt
import shlex
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import smtpkit
from smtpkit import HOST, PASSWORD, USER, Certificate, StartServer, free_port

import offboard.letters.smtp as smtp
from offboard.config import SmtpSettings
from offboard.domain.errors import InvalidInput
from offboard.letters.mail import Letter, build_message
from offboard.letters.smtp import SendFailed, resolve_password, send

# Only the plain-text AUTH server triggers it, on purpose (loopback, to test login without TLS).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

# Fixtures by name for pytest; bound here rather than imported so linters see them used.
smtp_server = smtpkit.smtp_server
certificate = smtpkit.certificate

DAY = dt.date(2026, 11, 22)

LETTERS = {
    "en": Letter(
        sender_name='Sam O\'Brien, Studio "North"',
        sender_email="sam@studio.example",
        to="jane@client.example",
        to_name="Jane Doe",
        subject="Ending our work together on the website",
        body="Dear Jane,\n\nthank you for the last two years.\nOur contract ends on 31 December.\n"
        "\nBest,\nSam\n",
        date=DAY,
    ),
    "tr": Letter(
        sender_name="Ayşe Yılmaz",
        sender_email="ayse@tasarim.example",
        to="info@musteri.example",
        to_name="Çağrı Öztürk İnşaat",
        subject="İş birliğimizin sona ermesi hakkında bilgilendirme: ğüşıöçİ",
        body="Sayın Çağrı Bey,\n\nsözleşmemiz 31 Aralık'ta sona eriyor: ğüşıöçİ.\n"
        "Teşekkür ederim.\n\nAyşe\n",
        date=DAY,
    ),
    "fi": Letter(
        sender_name="Päivi Mäkelä",
        sender_email="paivi@suunnittelu.example",
        to="asiakas@yritys.example",
        to_name="Jääkärin Öljy Oy",
        subject="Yhteistyömme päättyminen – kiitos näistä vuosista",
        body="Hei,\n\nyhteistyömme päättyy 31.12. Kiitos yhteistyöstä, äö ÄÖ.\n\nPäivi\n",
        date=DAY,
    ),
    "cs": Letter(
        sender_name="Jiří Dvořák",
        sender_email="jiri@studio.example",
        to="klient@firma.example",
        to_name="Růžena Šťastná",
        subject="Ukončení spolupráce: ěščřžýáíéůú",
        body="Dobrý den,\n\nnaše spolupráce končí 31. prosince: ěščřžýáíéůú ĚŠČŘŽÝÁÍÉŮÚ.\n\nJiří\n",
        date=DAY,
    ),
}


@pytest.fixture
def no_password_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OFFBOARD_SMTP_PASSWORD", raising=False)


# --- what arrives ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", sorted(LETTERS))
def test_the_message_received_is_the_preview(smtp_server: StartServer, lang: str) -> None:
    server = smtp_server()
    letter = LETTERS[lang]

    message_id = send(letter, server.settings())

    [got] = server.received
    assert got.mail_from == letter.sender_email
    assert got.rcpt_tos == [letter.to]
    msg = got.message
    assert msg.get_content() == letter.body
    assert msg["Subject"] == letter.subject
    assert msg["From"].addresses[0].display_name == letter.sender_name
    assert msg["From"].addresses[0].addr_spec == letter.sender_email
    assert msg["To"].addresses[0].display_name == letter.to_name
    assert msg["To"].addresses[0].addr_spec == letter.to
    assert msg["Message-ID"] == message_id
    assert msg["Date"].datetime == dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    # Byte for byte what build_message makes (and so what an .eml export holds).
    assert got.content == build_message(replace(letter, message_id=message_id)).as_bytes()


def test_long_lines_and_dots_survive(smtp_server: StartServer) -> None:
    server = smtp_server()
    body = "x" * 2000 + "\n" + "ş" * 1200 + "\n.\n..leading dots\nFrom the start\nend"
    letter = replace(LETTERS["tr"], body=body)

    send(letter, server.settings())

    [got] = server.received
    assert max(len(line) for line in got.content.split(b"\r\n")) <= 998
    # The only change: a final newline, as documented in mail.py.
    assert got.message.get_content() == body + "\n"


# --- login -----------------------------------------------------------------------------------


def test_login_with_the_right_password(smtp_server: StartServer) -> None:
    server = smtp_server(auth=True)
    send(LETTERS["en"], server.settings(username=USER), password=PASSWORD)
    assert len(server.received) == 1


def test_wrong_password_is_refused_with_535(smtp_server: StartServer) -> None:
    server = smtp_server(auth=True)
    with pytest.raises(SendFailed) as caught:
        send(LETTERS["en"], server.settings(username=USER), password="wrong")
    text = caught.value.one_line()
    assert "535" in text
    assert "authentication failed" in text
    assert "check the username and password" in text
    assert caught.value.code == 535
    assert server.received == []


def test_wrong_non_ascii_password_is_refused_with_535(smtp_server: StartServer) -> None:
    # smtplib.login cannot send non-ASCII; this goes through offboard's own AUTH PLAIN.
    server = smtp_server(auth=True)
    with pytest.raises(SendFailed) as caught:
        send(LETTERS["en"], server.settings(username=USER), password=PASSWORD + "ü")
    assert "authentication failed (535" in caught.value.message
    assert server.received == []


def test_a_server_that_wants_a_login_says_so(smtp_server: StartServer) -> None:
    server = smtp_server(auth=True)
    with pytest.raises(SendFailed) as caught:
        send(LETTERS["en"], server.settings())
    assert "530" in caught.value.one_line()
    assert "[smtp] username" in caught.value.one_line()
    assert server.received == []


def test_password_comes_from_the_environment(
    smtp_server: StartServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_server(auth=True)
    monkeypatch.setenv("MY_SMTP_PW", PASSWORD)
    send(LETTERS["en"], server.settings(username=USER, password_env="MY_SMTP_PW"))
    assert len(server.received) == 1


def test_password_comes_from_a_command(smtp_server: StartServer) -> None:
    server = smtp_server(auth=True)
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(f'print({PASSWORD!r})')}"
    send(LETTERS["en"], server.settings(username=USER, password_command=command))
    assert len(server.received) == 1


# --- server answers and connection problems --------------------------------------------------


def test_550_to_data_is_reported_with_the_server_text(smtp_server: StartServer) -> None:
    server = smtp_server(refuse_data=True)
    with pytest.raises(SendFailed) as caught:
        send(LETTERS["en"], server.settings())
    assert caught.value.message == "the mail server refused the message: 550 mailbox unavailable"
    assert caught.value.code == 550


def test_a_closed_port_names_host_and_port() -> None:
    port = free_port()  # bound and released: nothing listens there now
    settings = SmtpSettings(host=HOST, port=port, security="none")
    with pytest.raises(SendFailed) as caught:
        send(LETTERS["en"], settings, timeout=5)
    assert caught.value.message == f"cannot reach {HOST}:{port}: connection refused"


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never says a word (a firewall or a hung server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        sock.listen(4)
        yield sock.getsockname()[1]


def test_a_silent_server_does_not_hang_the_app(silent_server: int) -> None:
    settings = SmtpSettings(host=HOST, port=silent_server, security="none")
    started = time.monotonic()
    with pytest.raises(SendFailed) as caught:
        send(LETTERS["en"], settings, timeout=0.5)
    assert time.monotonic() - started < 5
    assert caught.value.message == f"{HOST}:{silent_server} did not answer within 0.5 s"


# --- TLS -------------------------------------------------------------------------------------


def test_starttls_refuses_a_server_without_it(smtp_server: StartServer) -> None:
    server = smtp_server()
    with pytest.raises(SendFailed) as caught:
        send(LETTERS["en"], server.settings(security="starttls"))
    assert "does not offer STARTTLS" in caught.value.message
    assert "nothing was sent" in caught.value.message
    assert server.received == []


def test_starttls_with_login(smtp_server: StartServer, certificate: Certificate) -> None:
    # The server refuses AUTH and MAIL before STARTTLS, so success proves the upgrade happened.
    server = smtp_server(auth=True, tls="starttls")
    letter = LETTERS["cs"]
    send(
        letter,
        server.settings(username=USER),
        password=PASSWORD,
        ssl_context=certificate.client_context(),
    )
    [got] = server.received
    assert got.message.get_content() == letter.body


def test_starttls_checks_the_certificate(smtp_server: StartServer) -> None:
    server = smtp_server(tls="starttls")
    with pytest.raises(SendFailed) as caught:
        send(LETTERS["en"], server.settings())  # the default context does not trust it
    assert "cannot be trusted" in caught.value.message
    assert server.received == []


def test_implicit_tls(smtp_server: StartServer, certificate: Certificate) -> None:
    server = smtp_server(tls="ssl")
    send(LETTERS["fi"], server.settings(), ssl_context=certificate.client_context())
    [got] = server.received
    assert got.message.get_content() == LETTERS["fi"].body


def test_ssl_against_a_plain_server_fails_cleanly(smtp_server: StartServer) -> None:
    server = smtp_server()
    with pytest.raises(SendFailed) as caught:
        send(LETTERS["en"], server.settings(security="ssl"), timeout=5)
    assert f"{HOST}:{server.port}" in caught.value.message
    assert server.received == []


# --- header injection --------------------------------------------------------------------------

INJECTIONS = {
    "subject": "Hello\r\nBcc: x@evil.example",
    "to": "jane@client.example\r\nBcc: x@evil.example",
    "to_name": "Jane\nBcc: x@evil.example",
    "sender_name": "Sam\u2028Bcc: x@evil.example",
    "sender_email": "sam@studio.example\rBcc: x@evil.example",
}


@pytest.mark.parametrize("field", sorted(INJECTIONS))
def test_header_injection_never_reaches_the_server(smtp_server: StartServer, field: str) -> None:
    server = smtp_server()
    letter = replace(LETTERS["en"], **{field: INJECTIONS[field]})
    with pytest.raises(InvalidInput, match="line break"):
        send(letter, server.settings())
    assert server.received == []
    # The same server takes the clean letter: the refusal above came from the check.
    send(LETTERS["en"], server.settings())
    [got] = server.received
    assert got.rcpt_tos == ["jane@client.example"]
    assert b"evil" not in got.content
    assert "Bcc" not in got.message


def test_a_second_recipient_smuggled_into_the_address_is_refused(smtp_server: StartServer) -> None:
    server = smtp_server()
    letter = replace(LETTERS["en"], to="jane@client.example, x@evil.example")
    with pytest.raises(InvalidInput, match="the client's email address"):
        send(letter, server.settings())
    assert server.received == []


# --- settings ----------------------------------------------------------------------------------


def test_no_host_says_which_keys_to_set() -> None:
    with pytest.raises(InvalidInput) as caught:
        send(LETTERS["en"], SmtpSettings(), config_path=Path("/home/me/.config/offboard.toml"))
    text = caught.value.one_line()
    for key in ("[smtp] host", "port", "security", "username", "password_env", "password_command"):
        assert key in text
    assert "/home/me/.config/offboard.toml" in text


@pytest.mark.parametrize(
    ("change", "words"),
    [({"security": "tls"}, "'tls'"), ({"port": 0}, "port 0"), ({"port": 70000}, "port 70000")],
)
def test_bad_settings_are_refused_before_connecting(change: dict, words: str) -> None:
    settings = replace(SmtpSettings(host=HOST), **change)
    with pytest.raises(InvalidInput) as caught:
        send(LETTERS["en"], settings)
    assert words in caught.value.message


# --- resolve_password --------------------------------------------------------------------------


def py(code: str) -> str:
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}"


def test_password_from_env() -> None:
    settings = SmtpSettings(username=USER, password_env="PW")
    assert resolve_password(settings, environ={"PW": "from env"}) == "from env"


def test_password_from_command_keeps_all_but_the_final_newline() -> None:
    settings = SmtpSettings(password_command=py("print('pw  ')"))
    assert resolve_password(settings, environ={}) == "pw  "


def test_the_command_wins_over_the_environment() -> None:
    settings = SmtpSettings(username=USER, password_command=py("print('pw')"), password_env="PW")
    assert resolve_password(settings, environ={"PW": "from env"}) == "pw"


def test_a_failing_command_reports_its_first_stderr_line() -> None:
    code = "import sys; sys.stderr.write('\\nvault is locked\\nsecond line\\n'); sys.exit(3)"
    settings = SmtpSettings(username=USER, password_command=py(code), password_env="PW")
    with pytest.raises(InvalidInput) as caught:
        resolve_password(settings, environ={"PW": "from env"})
    assert caught.value.message == (
        "the SMTP password_command failed: exit status 3: vault is locked"
    )


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("/nonexistent/pass-helper show smtp", "cannot run '/nonexistent/pass-helper'"),
        ("pass show 'unclosed", "not a valid command line"),
        (py("pass"), "printed nothing"),
        (py("import sys; sys.stdout.buffer.write(b'\\xff\\xfe')"), "not UTF-8"),
    ],
)
def test_command_problems_are_invalid_input(command: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_password(SmtpSettings(password_command=command), environ={})
    assert "password_command failed" in caught.value.message
    assert words in caught.value.message


def test_a_hanging_command_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smtp, "PASSWORD_COMMAND_TIMEOUT", 0.5)
    started = time.monotonic()
    with pytest.raises(InvalidInput, match=r"did not finish within 0\.5 s"):
        resolve_password(
            SmtpSettings(password_command=py("import time; time.sleep(30)")), environ={}
        )
    assert time.monotonic() - started < 10


def test_username_without_any_password() -> None:
    settings = SmtpSettings(username=USER)
    with pytest.raises(InvalidInput) as caught:
        resolve_password(settings, environ={})
    assert caught.value.message == (
        "SMTP username set but no password: set $OFFBOARD_SMTP_PASSWORD or password_command"
    )


def test_no_username_and_no_password_means_no_login() -> None:
    assert resolve_password(SmtpSettings(), environ={}) is None
    assert resolve_password(SmtpSettings(), environ={"OFFBOARD_SMTP_PASSWORD": ""}) is None


def test_send_looks_the_password_up_itself(smtp_server: StartServer, no_password_env: None) -> None:
    server = smtp_server(auth=True)
    with pytest.raises(InvalidInput, match="no password"):
        send(LETTERS["en"], server.settings(username=USER))
    assert server.received == []

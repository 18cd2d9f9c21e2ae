"""Real SMTP servers on 127.0.0.1 (aiosmtpd) for the sending tests, and helpers to read mail.

`smtp_server` is a factory fixture: each call starts one server (plain, with AUTH, with
STARTTLS or implicit TLS, or one that answers 550 to DATA) and every server is stopped after
the test. The handler keeps each accepted envelope with the raw bytes of the message.
"""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from offboard.config import SmtpSettings

HOST = "127.0.0.1"
USER = "freelancer"
PASSWORD = "correct horse ✓ battery"  # non-ASCII on purpose: AUTH must carry UTF-8


def parse(raw: bytes) -> EmailMessage:
    """Read a message the way a mail store does: the wire's CRLF line ends become "\\n"."""
    return email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email.policy.default)


def free_port() -> int:
    # aiosmtpd 1.4 connects to its own port to check it is up, so port=0 cannot be used.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        return parse(self.content)


@dataclass
class Recorder:
    refuse_data: bool = False
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse_data:
            return "550 mailbox unavailable"
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    # handled=False: aiosmtpd then answers 535 itself instead of leaving the client waiting.
    return AuthResult(success=ok, handled=False)


@dataclass(frozen=True)
class Server:
    port: int
    recorder: Recorder
    security: str

    @property
    def received(self) -> list[Received]:
        return self.recorder.received

    def settings(self, **changes: object) -> SmtpSettings:
        values: dict[str, object] = {"host": HOST, "port": self.port, "security": self.security}
        values.update(changes)
        return SmtpSettings(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A default (verifying) client context that trusts this one self-signed certificate."""
        return ssl.create_default_context(cafile=str(self.cert))


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for 127.0.0.1, made with the openssl command line.

    The `cryptography` package is not a dependency of this project, so it is not used.
    """
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("neither the cryptography package nor the openssl command is available")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    done = subprocess.run(
        [
            openssl, "req", "-x509", "-nodes", "-days", "2",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-keyout", str(key), "-out", str(cert),
            "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"openssl could not make a test certificate: {done.stderr.strip()}")
    return Certificate(cert, key)


StartServer = Callable[..., Server]


@pytest.fixture
def smtp_server(request: pytest.FixtureRequest) -> Iterator[StartServer]:
    """Call it to start a server: smtp_server(auth=..., tls="starttls"|"ssl"|None, refuse_data=...).

    With auth, MAIL is refused until the client logs in as USER / PASSWORD.
    """
    controllers: list[Controller] = []

    def start(*, auth: bool = False, tls: str | None = None, refuse_data: bool = False) -> Server:
        recorder = Recorder(refuse_data=refuse_data)
        kwargs: dict[str, object] = {"server_hostname": "localhost", "ready_timeout": 10.0}
        if auth:
            kwargs.update(
                authenticator=authenticator,
                auth_required=True,
                # Over plain text only here, on loopback, to test login without TLS.
                auth_require_tls=tls is not None,
            )
        if tls is not None:
            context = request.getfixturevalue("certificate").server_context()
            if tls == "starttls":
                kwargs.update(tls_context=context, require_starttls=True)
            else:
                kwargs["ssl_context"] = context
        last_error: Exception | None = None
        for _ in range(5):  # another process may take the free port before we bind it
            controller = Controller(recorder, hostname=HOST, port=free_port(), **kwargs)
            try:
                controller.start()
            except Exception as exc:
                last_error = exc
                continue
            controllers.append(controller)
            security = {"starttls": "starttls", "ssl": "ssl"}.get(tls or "", "none")
            return Server(controller.port, recorder, security)
        raise RuntimeError(f"could not start a test SMTP server: {last_error}")

    yield start
    for controller in controllers:
        controller.stop()

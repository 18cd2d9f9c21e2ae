"""Sending a letter through the user's SMTP server.

Every failure becomes a SendFailed (the server's reply code and text, or what went wrong with
the connection) or an InvalidInput (settings to fix): smtplib's and ssl's exceptions never
reach the user. STARTTLS never falls back to plain text: a server that does not offer it is an
error, so a password or a letter cannot leave unencrypted because of a misconfigured server.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shlex
import smtplib
import socket
import ssl
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from ..config import SmtpSettings
from ..domain.errors import InvalidInput, OffboardError
from .mail import Letter, Outgoing, prepare_outgoing

SECURITY = ("starttls", "ssl", "none")
PASSWORD_COMMAND_TIMEOUT = 10.0


class SendFailed(OffboardError):
    """The letter was not sent. `code` is the server's reply code when it gave one."""

    def __init__(self, message: str, hint: str | None = None, *, code: int | None = None) -> None:
        super().__init__(message, hint)
        self.code = code


# --- the password ------------------------------------------------------------------------------


def _first_line(data: bytes | str) -> str:
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    for line in data.splitlines():
        if line.strip():
            return line.strip()
    return ""


def resolve_password(
    settings: SmtpSettings,
    environ: Mapping[str, str] = os.environ,
    run: Callable[..., subprocess.CompletedProcess[bytes]] = subprocess.run,
) -> str | None:
    """The SMTP password: password_command's output wins over $password_env.

    None when neither gives one and no username is set (then there is no login). Raises
    InvalidInput when the command fails, or when a username is set but no password is found.
    """
    if settings.password_command.strip():
        return _password_from_command(settings.password_command, run)
    if settings.password_env:
        password = environ.get(settings.password_env)
        if password:
            return password
    if settings.username:
        env = settings.password_env or "OFFBOARD_SMTP_PASSWORD"
        raise InvalidInput(f"SMTP username set but no password: set ${env} or password_command")
    return None


def _password_from_command(
    command: str, run: Callable[..., subprocess.CompletedProcess[bytes]]
) -> str:
    def failed(reason: str) -> InvalidInput:
        return InvalidInput(
            f"the SMTP password_command failed: {reason}",
            "fix [smtp] password_command in the config file, or run it yourself to see why",
        )

    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise failed(f"it is not a valid command line ({exc})") from None
    try:
        # No shell: the command line is the user's, but nothing in it is interpreted twice.
        done = run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=PASSWORD_COMMAND_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise failed(f"it did not finish within {PASSWORD_COMMAND_TIMEOUT:g} s") from None
    except OSError as exc:
        raise failed(f"cannot run {argv[0]!r}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        said = _first_line(done.stderr or b"")
        raise failed(f"exit status {done.returncode}" + (f": {said}" if said else ""))
    raw: bytes | str = done.stdout
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise failed("its output is not UTF-8 text") from None
    out = raw
    # Only the final newline goes: a password may end in spaces.
    out = out.removesuffix("\n").removesuffix("\r")
    if not out:
        raise failed("it printed nothing")
    return str(out)


# --- sending -------------------------------------------------------------------------------------


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(f"{code} {text}".split())


def _settings_error(message: str, config_path: Path | None) -> InvalidInput:
    where = f"in {config_path}" if config_path else "in the config file"
    return InvalidInput(
        message,
        f"set [smtp] host, port, security, username and password_env or password_command {where}",
    )


def _check_settings(settings: SmtpSettings, config_path: Path | None) -> None:
    if not settings.host.strip():
        raise _settings_error("no SMTP server is set up, so the letter cannot be sent", config_path)
    if settings.security not in SECURITY:
        raise _settings_error(
            f"[smtp] security is {settings.security!r}; use starttls, ssl or none", config_path
        )
    if not 0 < settings.port < 65536:
        raise _settings_error(f"[smtp] port {settings.port} is not a port number", config_path)


def _connect(
    settings: SmtpSettings, context: ssl.SSLContext, timeout: float, where: str
) -> smtplib.SMTP:
    try:
        if settings.security == "ssl":
            return smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
        return smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    except smtplib.SMTPResponseException as exc:
        raise SendFailed(
            f"{where} refused the connection: {_reply(exc.smtp_code, exc.smtp_error)}",
            "try again later, or check [smtp] host and port",
            code=exc.smtp_code,
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise _connection_failed(exc, where, timeout) from None


def _connection_failed(exc: BaseException, where: str, timeout: float) -> SendFailed:
    check = "check [smtp] host, port and security, and the network"
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or exc.reason or str(exc)
        return SendFailed(
            f"the certificate of {where} cannot be trusted ({reason}); nothing was sent",
            "check [smtp] host: it must be the name the server's certificate is issued for",
        )
    if isinstance(exc, ssl.SSLError):
        return SendFailed(
            f"the encrypted connection to {where} failed ({exc.reason or exc}); nothing was sent",
            'port 465 usually wants security = "ssl", port 587 security = "starttls"',
        )
    if isinstance(exc, socket.gaierror):
        return SendFailed(f"cannot reach {where}: unknown host ({exc.strerror})", check)
    # smtplib turns a read timeout into SMTPServerDisconnected; the timeout is its context.
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return SendFailed(f"{where} did not answer within {timeout:g} s", check)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return SendFailed(f"{where} closed the connection unexpectedly ({exc})", check)
    if isinstance(exc, OSError) and exc.strerror:
        return SendFailed(f"cannot reach {where}: {exc.strerror.lower()}", check)
    return SendFailed(f"cannot talk to {where}: {exc}", check)


def _secure(client: smtplib.SMTP, context: ssl.SSLContext, where: str) -> None:
    client.ehlo()
    if not client.has_extn("starttls"):
        raise SendFailed(
            f"{where} does not offer STARTTLS, so the letter would travel unencrypted; "
            "nothing was sent",
            'use security = "ssl" (usually port 465), or "none" only for a local relay',
        )
    client.starttls(context=context)
    client.ehlo()


def _login_utf8(client: smtplib.SMTP, username: str, password: str, where: str) -> None:
    """AUTH PLAIN with UTF-8 credentials (RFC 4616), which smtplib.login cannot send: it
    encodes them as ASCII and fails on "ü" or "ş"."""
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("AUTH")
    if "PLAIN" not in client.esmtp_features["auth"].upper().split():
        raise SendFailed(
            f"{where} offers no login method that takes a non-ASCII username or password "
            "(AUTH PLAIN); nothing was sent",
            "use an ASCII password for the mail account, or ask the provider for AUTH PLAIN",
        )
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, text = client.docmd("AUTH", f"PLAIN {token}")
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, text)


def _login(client: smtplib.SMTP, username: str, password: str, where: str) -> None:
    try:
        if username.isascii() and password.isascii():
            client.login(username, password)
        else:
            _login_utf8(client, username, password, where)
    except smtplib.SMTPAuthenticationError as exc:
        raise SendFailed(
            f"authentication failed ({_reply(exc.smtp_code, exc.smtp_error)}): "
            "check the username and password",
            "[smtp] username, and the password from password_env or password_command",
            code=exc.smtp_code,
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise SendFailed(
            f"{where} does not accept a login (no AUTH); nothing was sent",
            "remove [smtp] username if the server needs no login, or check host and security",
        ) from None


def _deliver(client: smtplib.SMTP, sender: str, recipient: str, data: bytes) -> None:
    try:
        client.sendmail(sender, [recipient], data)
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = exc.recipients.get(recipient, next(iter(exc.recipients.values())))
        raise SendFailed(
            f"the mail server refused the recipient {recipient}: {_reply(code, text)}",
            "check the client's email address in the client's details",
            code=code,
        ) from None
    except smtplib.SMTPSenderRefused as exc:
        if exc.smtp_code == 530:
            raise SendFailed(
                f"the mail server wants a login first ({_reply(exc.smtp_code, exc.smtp_error)})",
                "set [smtp] username, and password_env or password_command",
                code=exc.smtp_code,
            ) from None
        raise SendFailed(
            f"the mail server refused the sender {sender}: {_reply(exc.smtp_code, exc.smtp_error)}",
            "check [sender] email in the config file: the server may only send for your address",
            code=exc.smtp_code,
        ) from None
    except smtplib.SMTPDataError as exc:
        raise SendFailed(
            f"the mail server refused the message: {_reply(exc.smtp_code, exc.smtp_error)}",
            code=exc.smtp_code,
        ) from None


def send(
    mail: Outgoing | Letter,
    settings: SmtpSettings,
    *,
    password: str | None = None,
    timeout: float = 20.0,
    config_path: Path | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> str:
    """Send exactly `mail.data` (a Letter is prepared with prepare_outgoing first); returns
    the Message-ID.

    Pass the Outgoing that the user confirmed, so the bytes sent are the bytes shown.
    Without `password`, one is looked up with resolve_password() when a username is set.
    Raises InvalidInput for settings or letter fields to fix, SendFailed when sending fails.
    """
    _check_settings(settings, config_path)
    settings = replace(settings, host=settings.host.strip())
    # A bad header stops here, before any connection.
    outgoing = mail if isinstance(mail, Outgoing) else prepare_outgoing(mail)
    if settings.username and password is None:
        password = resolve_password(settings)
    where = f"{settings.host}:{settings.port}"
    context = ssl_context or ssl.create_default_context()

    client = _connect(settings, context, timeout, where)
    try:
        if settings.security == "starttls":
            _secure(client, context, where)
        if settings.username:
            _login(client, settings.username, password or "", where)
        _deliver(client, outgoing.sender, outgoing.recipient, outgoing.data)
    except SendFailed:
        raise
    except smtplib.SMTPResponseException as exc:
        raise SendFailed(
            f"{where} answered {_reply(exc.smtp_code, exc.smtp_error)}; nothing was sent",
            code=exc.smtp_code,
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise _connection_failed(exc, where, timeout) from None
    finally:
        _close(client)
    return outgoing.message_id


def _close(client: smtplib.SMTP) -> None:
    # The letter is delivered (or the error is already known): a QUIT that fails changes nothing.
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        with contextlib.suppress(OSError):
            client.close()

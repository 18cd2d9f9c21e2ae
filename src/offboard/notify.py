"""Desktop notifications: one call to org.freedesktop.Notifications on the session bus
(jeepney, pure Python), so `offboard due --notify` reaches the user with the app closed.

Everything that can go wrong outside our process (no bus, no notification service, a bus
that hangs or answers nonsense) becomes a NotifyError with one line saying why and what to
do. Connecting, authenticating and each call to the service wait at most `timeout` seconds
(the bus daemon's own reply to the connection's Hello is awaited as jeepney does, unbounded:
a bus that authenticates us and then never answers is not one a desktop runs).

The text shown is ours plus what the user typed into records (client names, invoice numbers,
titles), so every line is made safe here, whatever its source: control characters and line
breaks become spaces, each line and the whole body have a bounded length, and when the server
reads markup in the body, &, < and > are escaped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from html import escape
from typing import Any

from jeepney import DBusAddress, DBusErrorResponse, Message, MessageType, new_method_call
from jeepney.bus import get_connectable_addresses
from jeepney.io.blocking import DBusConnection, open_dbus_connection

from .domain.errors import OffboardError

BUS_ENV = "DBUS_SESSION_BUS_ADDRESS"
APP_NAME = "offboard"
TIMEOUT = 5.0  # seconds for each of connecting, authenticating and each call

SERVICE = DBusAddress(
    "/org/freedesktop/Notifications",
    bus_name="org.freedesktop.Notifications",
    interface="org.freedesktop.Notifications",
)

# Bounds on what we show: a notification is a glance, and a bus message has a size limit.
MAX_SUMMARY = 120
MAX_LINE = 200
MAX_LINES = 5
ELLIPSIS = "…"

# Anything that is not printable text on one line: C0 and C1 controls (NUL, escape, line
# breaks), Unicode line and paragraph separators, and the bidirectional overrides and
# isolates that could make a name display as something else.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# The notification service is not there; anything else it says is a refusal.
_NO_SERVICE = frozenset(
    {
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
    }
)


class Urgency(IntEnum):
    """The specification's urgency levels."""

    LOW = 0
    NORMAL = 1
    CRITICAL = 2


class NotifyError(OffboardError):
    """No notification could be shown; the message says why, the hint what to do."""


@dataclass(frozen=True)
class Notification:
    """What to show: a summary line and the body's lines, both plain text."""

    summary: str
    lines: tuple[str, ...] = ()
    urgency: Urgency = Urgency.NORMAL


def one_line(text: str, limit: int) -> str:
    """`text` on one line with nothing unsafe in it, cut to at most `limit` characters."""
    flat = " ".join(_UNSAFE.sub(" ", text).split())
    if len(flat) > limit:
        flat = flat[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS
    return flat


def body_text(lines: Sequence[str], markup: bool) -> str:
    """The body as the server will read it: each line made safe and bounded, at most
    MAX_LINES of them, escaped when the server reads markup (which it then shows as text)."""
    safe = [one_line(line, MAX_LINE) for line in lines[:MAX_LINES]]
    text = "\n".join(line for line in safe if line)
    return escape(text, quote=False) if markup else text


def send(note: Notification, *, address: str | None = None, timeout: float = TIMEOUT) -> int:
    """Show `note` through the notification service on the session bus at `address` (by
    default the one DBUS_SESSION_BUS_ADDRESS names) and return the id the service gave it.

    Raises NotifyError when there is no session bus, the bus cannot be reached or does not
    answer within `timeout` seconds, no notification service is running, or the service
    refuses or answers with something that is not a notification id.
    """
    where = os.environ.get(BUS_ENV, "") if address is None else address
    if not where.strip():
        raise NotifyError(
            f"no desktop notification: there is no session bus ({BUS_ENV} is not set)",
            f"run it in your desktop session, or set {BUS_ENV}="
            f"unix:path=/run/user/{os.getuid()}/bus",
        )
    _check_address(where)
    try:
        connection = open_dbus_connection(where, auth_timeout=timeout)
    except Exception as exc:
        raise _unreachable(where, exc, timeout) from exc
    with connection:
        try:
            markup = "body-markup" in _capabilities(connection, timeout)
            reply = _call(
                connection,
                new_method_call(
                    SERVICE,
                    "Notify",
                    "susssasa{sv}i",
                    (
                        APP_NAME,
                        0,  # replaces no earlier notification
                        "",  # no icon
                        one_line(note.summary, MAX_SUMMARY),
                        body_text(note.lines, markup),
                        [],  # no actions: nobody listens for them after we exit
                        {"urgency": ("y", int(note.urgency))},
                        -1,  # the server's own display time
                    ),
                ),
                timeout,
            )
        except NotifyError:
            raise
        except TimeoutError as exc:
            raise NotifyError(
                f"no desktop notification: the notification service did not answer within "
                f"{timeout:g} s",
                "check that your desktop's notification service is working",
            ) from exc
        except Exception as exc:
            # The bus is outside data: a dropped connection or a malformed message can
            # surface as any of several exceptions from the socket or jeepney's parser.
            raise NotifyError(
                "no desktop notification: the session bus failed: "
                + one_line(f"{type(exc).__name__}: {exc}", MAX_LINE),
                "check your desktop session's bus",
            ) from exc
    ids = reply.body
    if len(ids) != 1 or not isinstance(ids[0], int):
        raise NotifyError(
            "no desktop notification: the notification service answered with something "
            "that is not a notification id",
            "check your desktop's notification service",
        )
    return ids[0]


def _call(connection: DBusConnection, message: Message, timeout: float) -> Message:
    reply: Message = connection.send_and_get_reply(message, timeout=timeout)
    if reply.header.message_type == MessageType.error:
        raise _refused(DBusErrorResponse(reply))
    return reply


def _capabilities(connection: DBusConnection, timeout: float) -> list[str]:
    """What the service can do; only 'body-markup' matters here (without it, markup would
    show as typed, so the body goes as plain text)."""
    reply = _call(connection, new_method_call(SERVICE, "GetCapabilities"), timeout)
    found: Any = reply.body[0] if reply.body else []
    return [c for c in found if isinstance(c, str)] if isinstance(found, list) else []


def _refused(error: DBusErrorResponse) -> NotifyError:
    if error.name in _NO_SERVICE:
        return NotifyError(
            "no desktop notification: no notification service is running on the session bus",
            "start your desktop's notification service (or one such as dunst or mako)",
        )
    detail = error.data[0] if error.data and isinstance(error.data[0], str) else ""
    return NotifyError(
        f"no desktop notification: the notification service refused it: {error.name}"
        + (f": {one_line(detail, MAX_LINE)}" if detail else ""),
        "check your desktop's notification service",
    )


def _check_address(where: str) -> None:
    """Refuse an address jeepney cannot connect to, before its parser's own wording (an
    unpacking error, a set of transports) could reach the user."""
    try:
        next(get_connectable_addresses(where))
    except (ValueError, RuntimeError, StopIteration) as exc:
        raise NotifyError(
            f"no desktop notification: {BUS_ENV} holds an address offboard cannot use: "
            f"{one_line(where, MAX_LINE)}",
            "it reads unix:path=... and unix:abstract=... addresses, such as "
            f"unix:path=/run/user/{os.getuid()}/bus",
        ) from exc


def _unreachable(where: str, exc: Exception, timeout: float) -> NotifyError:
    shown = one_line(where, MAX_LINE)
    if isinstance(exc, TimeoutError):
        why = f"it did not answer within {timeout:g} s"
    elif isinstance(exc, OSError):
        why = exc.strerror or str(exc) or type(exc).__name__
    else:
        # AuthenticationError (a ValueError): the bus would not let us in.
        why = str(exc) or type(exc).__name__
    return NotifyError(
        f"no desktop notification: cannot reach the session bus at {shown}: "
        f"{one_line(why, MAX_LINE)}",
        f"check {BUS_ENV}; for cron set it to unix:path=/run/user/{os.getuid()}/bus",
    )

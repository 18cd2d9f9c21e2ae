"""A private D-Bus session bus (a real dbus-daemon, in a temporary folder) and a small
notification service on it written with jeepney, for the `due --notify` tests.

`private_bus` starts a dbus-daemon listening on a unix socket of its own, with no service
folders (so nothing on the machine can be activated on it), and stops it after the test.
`NotificationService` owns org.freedesktop.Notifications on that bus in a thread: it answers
Notify with an id and records what was sent, answers GetCapabilities and
GetServerInformation, and (`silent=True`) can also own the name and never answer.

Without dbus-daemon the tests skip, naming the package to install; with CI=true they fail
instead, because CI installs it (`.ci/run`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.Notifications"
MISSING = "dbus-daemon is not installed: install Debian's dbus package (apt-get install dbus)"

CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def dbus_daemon() -> str:
    found = shutil.which("dbus-daemon")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(MISSING)
    pytest.skip(MISSING)


@pytest.fixture
def private_bus() -> Iterator[str]:
    """The address of a fresh session bus that only this test uses."""
    daemon = dbus_daemon()
    folder = Path(tempfile.mkdtemp(prefix="offboard-due-bus-"))
    config = folder / "bus.conf"
    config.write_text(CONFIG.format(socket=folder / "bus"))
    proc = subprocess.Popen(
        [daemon, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        assert address.startswith("unix:"), proc.stderr.read() if proc.stderr else address
        yield address
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Received:
    app_name: str
    replaces_id: int
    icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]
    expire_timeout: int


@dataclass
class NotificationService:
    """A notification server on `address`; start() before use, stop() after."""

    address: str
    capabilities: tuple[str, ...] = ("body", "body-markup")
    silent: bool = False  # own the name, answer nothing
    answer: str = "id"  # to Notify: "id", "error" (a refusal) or "text" (not an id)
    received: list[Received] = field(default_factory=list)

    def start(self) -> NotificationService:
        self._conn = open_dbus_connection(self.address)
        reply = self._conn.send_and_get_reply(message_bus.RequestName(NAME, 4), timeout=5)
        assert reply.body == (1,), reply.body  # the primary owner
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._conn.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                msg = self._conn.receive(timeout=0.05)
            except TimeoutError:
                continue
            except OSError:
                return
            if msg.header.message_type != MessageType.method_call or self.silent:
                continue
            self._conn.send(self._answer(msg))

    def _answer(self, msg: Any) -> Any:
        member = msg.header.fields.get(HeaderFields.member)
        if member == "Notify":
            self.received.append(Received(*msg.body))
            if self.answer == "error":
                return new_error(msg, "org.example.Full", "s", ("too many\nnotifications",))
            if self.answer == "text":
                return new_method_return(msg, "s", ("not an id",))
            return new_method_return(msg, "u", (len(self.received),))
        if member == "GetCapabilities":
            return new_method_return(msg, "as", (list(self.capabilities),))
        if member == "GetServerInformation":
            return new_method_return(msg, "ssss", ("notifykit", "offboard tests", "1", "1.2"))
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")


@pytest.fixture
def notification_service(private_bus: str) -> Iterator[NotificationService]:
    service = NotificationService(private_bus).start()
    try:
        yield service
    finally:
        service.stop()


def run_offboard(*args: str, env: dict[str, str], timeout: float = 60) -> Any:
    """offboard as a real process (the way cron or systemd starts it)."""
    return subprocess.run(
        [sys.executable, "-m", "offboard", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )

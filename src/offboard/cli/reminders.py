"""`offboard due --systemd`: a user service that runs `due --notify` and a daily timer for it,
ready to save, with where to save them and the two commands that switch them on."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

UNIT = "offboard-due"
AT = "09:00"  # once a day, when a working day has begun

# Arguments systemd takes as written: anything else is quoted (whitespace, quotes,
# backslashes, controls) or escaped (% starts a specifier, $ a variable).
_PLAIN = re.compile(r"[A-Za-z0-9_@+=:,./-]+")


def systemd_arg(value: str) -> str:
    """One ExecStart= argument the way systemd splits and expands the line back into
    `value`: double-quoted with C escapes, % and $ doubled."""
    if _PLAIN.fullmatch(value):
        return value
    out = []
    for ch in value:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "%":
            out.append("%%")
        elif ch == "$":
            out.append("$$")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def own_command() -> list[str]:
    """How this offboard was started, as an absolute command: the console script when it is
    one, else this interpreter with `-m offboard`."""
    started = sys.argv[0] if sys.argv else ""
    if Path(started).name == "offboard" and os.access(started, os.X_OK):
        return [os.path.abspath(started)]
    return [os.path.abspath(sys.executable), "-m", "offboard"]


def unit_folder() -> str:
    """Where systemd looks for a user's own units, written as the user would type it."""
    config_home = os.environ.get("XDG_CONFIG_HOME")
    return f"{config_home}/systemd/user" if config_home else "~/.config/systemd/user"


def units(command: Sequence[str]) -> str:
    """The service that runs `command` and the timer that starts it daily, with where to save
    each and the commands that load and start the timer."""
    folder = unit_folder()
    service = f"""\
[Unit]
Description=Notify about offboard deadlines that are due or overdue

[Service]
Type=oneshot
ExecStart={" ".join(systemd_arg(a) for a in command)}
# 3: something is due, 4: something is overdue. Both are news, not failures.
SuccessExitStatus=3 4
"""
    timer = f"""\
[Unit]
Description=Check offboard deadlines every morning

[Timer]
OnCalendar=*-*-* {AT}:00
# A machine that was off or asleep at {AT} runs the check as soon as it is back.
Persistent=true

[Install]
WantedBy=timers.target
"""
    return "\n".join(
        [
            f"# Save as {folder}/{UNIT}.service",
            service,
            f"# Save as {folder}/{UNIT}.timer",
            timer,
            "# Then switch the timer on:",
            "#   systemctl --user daemon-reload",
            f"#   systemctl --user enable --now {UNIT}.timer",
        ]
    )

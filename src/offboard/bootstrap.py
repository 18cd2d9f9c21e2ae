"""The one place that builds what offboard runs on: the config, the clock, the repository and
the services. The CLI, the TUI, the demo and the benches all start here, so a new backend or a
new setting is wired in once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .config import TODAY_ENV, Config, load_config
from .domain import validate
from .domain.checklists import Checklist
from .domain.clock import Clock, FixedClock, SystemClock
from .domain.errors import InvalidInput, OffboardError
from .domain.models import Stage
from .files import describe_os_error

if TYPE_CHECKING:
    from .services import Services
    from .storage.repository import Repository
    from .storage.tinyfile import TinyRepository

LOCK_TIMEOUT_ENV = "OFFBOARD_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 5.0


def make_clock(today: str | None = None) -> Clock:
    """A clock fixed on `today` (else OFFBOARD_TODAY), or the system's clock.

    Raises InvalidInput when the date is not a valid YYYY-MM-DD date in range.
    """
    raw = today or os.environ.get(TODAY_ENV)
    if raw:
        return FixedClock(validate.iso_date(raw, "--today / OFFBOARD_TODAY"))
    return SystemClock()


def lock_timeout() -> float:
    """Seconds to wait for the database lock: OFFBOARD_LOCK_TIMEOUT, else 5.

    Raises InvalidInput when the variable is set to something that is not 0-3600 seconds.
    """
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not 0 <= seconds <= 3600:  # also refuses nan and inf
        raise InvalidInput(
            f"{LOCK_TIMEOUT_ENV}={raw!r} is not a number of seconds",
            "set it to a number from 0 to 3600, e.g. 5, or unset it",
        )
    return seconds


def make_parent(db_path: Path) -> None:
    """A new database may name a folder that does not exist yet: make it, private to the user.

    Raises OffboardError (one line, with what to do) when it cannot be made.
    """
    if db_path.parent.exists():
        return
    try:
        db_path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    except OSError as exc:
        reason, hint = describe_os_error(exc, db_path.parent)
        raise OffboardError(f"cannot create the folder {db_path.parent}: {reason}", hint) from None


def open_repository(db_path: Path, config: Config) -> TinyRepository:
    """The repository for the database at `db_path` (its folder made if missing).

    Raises DatabaseError for a path that cannot be a database (a link to nothing), and
    InvalidInput for a bad OFFBOARD_LOCK_TIMEOUT.
    """
    # Storage and the services load on first use: `offboard --help` needs neither.
    from .storage.tinyfile import TinyRepository

    make_parent(db_path)
    return TinyRepository(db_path, backups=config.backups, lock_timeout=lock_timeout())


def build_services(
    repo: Repository,
    clock: Clock,
    config: Config,
    *,
    interface: str,
    checklists: dict[Stage, Checklist] | None = None,
) -> Services:
    """The services over an open repository; `interface` ("cli", "tui") goes into the actor
    recorded in the history. Checklists default to the shipped ones with the user's
    overrides."""
    from .services import Services, default_actor

    if checklists is None:
        from .checklists import load_checklists

        checklists = load_checklists()
    return Services(repo, clock, config, checklists, actor=default_actor(interface))


def open_services(
    db_path: Path, clock: Clock, *, interface: str, config: Config | None = None
) -> Services:
    """Config, repository and services for one database, as a command needs them."""
    config = config or load_config()
    return build_services(open_repository(db_path, config), clock, config, interface=interface)

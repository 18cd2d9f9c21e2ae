"""The one place that builds what offboard runs on: the config, the clock, the repository and
the services. The CLI, the TUI, the demo and the benches all start here, so a new backend or a
new setting is wired in once.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from .config import APP, TODAY_ENV, Config, DatabaseUrl, DbLocation, load_config
from .domain import validate
from .domain.checklists import Checklist
from .domain.clock import Clock, FixedClock, SystemClock
from .domain.errors import InvalidInput, OffboardError
from .domain.models import Client, Stage
from .files import describe_os_error

if TYPE_CHECKING:
    from .services import Services
    from .storage.postgres.repository import PgRepository as PgRepository
    from .storage.repository import Repository

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


def make_parent(db_path: DbLocation) -> None:
    """A new database may name a folder that does not exist yet: make it, private to the user
    (nothing to make for a server's address).

    Raises OffboardError (one line, with what to do) when it cannot be made.
    """
    if isinstance(db_path, DatabaseUrl) or db_path.parent.exists():
        return
    try:
        db_path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    except OSError as exc:
        reason, hint = describe_os_error(exc, db_path.parent)
        raise OffboardError(f"cannot create the folder {db_path.parent}: {reason}", hint) from None


def user_name(config: Config) -> str:
    """Who makes the changes: the config's storage.user, else the login name."""
    if config.user:
        return config.user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def local_folder_of(url: DatabaseUrl) -> Path:
    """Where what stays on this machine for a board on a server (letter drafts) is kept: a
    name per server and database in the user's data folder."""
    from .storage.postgres.connect import parse_address

    address = parse_address(url.url)
    raw = f"{address.user}@{address.server}-{address.dbname}"
    options = address.params.get("options", "")
    if options:
        raw += "-" + options
    name = re.sub(r"[^A-Za-z0-9@._-]+", "_", raw).strip("._")[:120] or "board"
    return Path(platformdirs.user_data_dir(APP)) / "servers" / name / "board"


def open_repository(
    db_path: DbLocation,
    config: Config,
    *,
    long_lived: bool = False,
    preview: Mapping[str, Client] | None = None,
) -> Repository:
    """The repository for the database at `db_path`: a file (its folder made if missing) or
    a board on a PostgreSQL server (its local folder made). `long_lived`: for a process that
    stays open (the board), which keeps no copy of the file's bytes for its first save.
    `preview`: what preview_board gave, whose bytes the first read uses if the file is
    still that version.

    Raises DatabaseError for a path that cannot be a database (a link to nothing) or an
    address that cannot be used (DriverMissing when psycopg is not installed, BadAddress),
    and InvalidInput for a bad OFFBOARD_LOCK_TIMEOUT.
    """
    # Storage and the services load on first use: `offboard --help` needs neither.
    if isinstance(db_path, DatabaseUrl):
        from .storage.postgres import open_pg, require_driver

        require_driver(db_path.url)
        local = local_folder_of(db_path)
        make_parent(local)
        return open_pg(db_path.url, local, actor=user_name(config), lock_timeout=lock_timeout())
    from .storage.tinyfile import TinyRepository

    make_parent(db_path)
    repo = TinyRepository(
        db_path, backups=config.backups, lock_timeout=lock_timeout(), long_lived=long_lived
    )
    if preview is not None:  # a command has none: it never imports the preview (msgspec)
        from .storage.preview import Preview

        if isinstance(preview, Preview):
            repo.storage.known(preview.known())
    return repo


def preview_board(db_path: DbLocation) -> Mapping[str, Client] | None:
    """What a board can draw its first frame from before the repository is opened: every
    client's row, read from a database file in a fraction of a full parse (storage/preview.py),
    or None (a server's board, a new, unmarked or unreadable file: open the repository)."""
    if isinstance(db_path, DatabaseUrl):
        return None
    from .storage.preview import read_preview

    return read_preview(db_path)


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
    actor = default_actor(interface, user_name(config))
    return Services(repo, clock, config, checklists, actor=actor)


def open_services(
    db_path: DbLocation, clock: Clock, *, interface: str, config: Config | None = None
) -> Services:
    """Config, repository and services for one database, as a command needs them."""
    config = config or load_config()
    return build_services(open_repository(db_path, config), clock, config, interface=interface)


# --- administering a board on a server (`offboard db ...`) ----------------------------------------


def _server_board(db_path: DbLocation, config: Config, what: str) -> PgRepository:
    if not isinstance(db_path, DatabaseUrl):
        raise OffboardError(
            f"`offboard db {what}` is for a board on a PostgreSQL server, and {db_path} is a file",
            "give --db postgresql://USER@HOST/DATABASE (a file is created on first use)",
        )
    repo = open_repository(db_path, config)
    from .storage.postgres.repository import PgRepository

    assert isinstance(repo, PgRepository)
    return repo


def database_status(db_path: DbLocation, config: Config) -> dict[str, Any]:
    """What `offboard db status` shows (PgRepository.status), changing nothing. Raises
    OffboardError for a file, and the server's errors (DatabaseError)."""
    repo = _server_board(db_path, config, "status")
    try:
        return repo.status()
    finally:
        repo.close()


def database_init(db_path: DbLocation, config: Config) -> dict[str, Any]:
    """Create the database if the server lacks it, then the board's tables; returns whether
    the database was created, the steps applied and the status. Raises as database_status,
    and NotAllowed when the role may not create them."""
    repo = _server_board(db_path, config, "init")
    try:
        created = repo.create_database()
        applied = repo.migrate()
        return {"created_database": created, "applied": applied, "status": repo.status()}
    finally:
        repo.close()


def database_migrate(db_path: DbLocation, config: Config) -> dict[str, Any]:
    """Upgrade the board's tables to this offboard's version; returns the steps applied and
    the status. Raises as database_init, and SchemaTooNew."""
    repo = _server_board(db_path, config, "migrate")
    try:
        applied = repo.migrate()
        return {"applied": applied, "status": repo.status()}
    finally:
        repo.close()

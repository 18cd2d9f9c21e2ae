"""`offboard db`: a team's board on a PostgreSQL server, for whoever administers it.

init creates the database (if the role may) and the board's tables, status says what the
server holds and whether this offboard needs to upgrade it, migrate upgrades it. Every other
command works on a server's board as on a file, through --db, OFFBOARD_DB or storage.database.
"""

from __future__ import annotations

from typing import Any

from ..config import load_config
from .output import emit_json
from .registry import Context, arg, command


def _status_lines(status: dict[str, Any]) -> list[str]:
    found, known = status["schema_version"], status["app_schema_version"]
    if status["too_new"]:
        schema = f"{found}, newer than this offboard knows ({known}): upgrade offboard"
    elif found == 0:
        schema = "none yet: `offboard db init` creates it (so does any command, on first use)"
    elif status["migrate_needed"]:
        schema = f"{found}, this offboard needs {known}: run `offboard db migrate`"
    else:
        schema = f"{found}, up to date"
    clients = "-" if status["clients"] is None else str(status["clients"])
    rows = [
        ("address", status["address"]),
        ("server", f"{status['server']} (PostgreSQL {status['server_version']})"),
        ("database", status["database"]),
        ("schema", status["schema"] or "(none on the search_path)"),
        ("role", status["role"]),
        ("board version", schema),
        ("clients", clients),
        ("drafts kept in", status["local_folder"]),
    ]
    width = max(len(key) for key, _ in rows)
    return [f"{key + ':':<{width + 1}} {value}" for key, value in rows]


def _applied_lines(applied: list[tuple[int, str]]) -> list[str]:
    return [f"Applied step {version}: {description}." for version, description in applied]


@command(
    "db",
    "a board on a PostgreSQL server: init, status, migrate",
    arg(
        "action",
        choices=("init", "status", "migrate"),
        help="init: create the database (if the server lacks it) and the board's tables; "
        "status: what the server holds; migrate: upgrade the tables to this offboard",
    ),
)
def db(ctx: Context) -> None:
    from ..bootstrap import database_init, database_migrate, database_status

    config = load_config()
    where = ctx.db_path
    if ctx.args.action == "status":
        status = database_status(where, config)
        if ctx.args.json:
            emit_json(status)
        else:
            print("\n".join(_status_lines(status)))
        return
    if ctx.args.action == "init":
        result = database_init(where, config)
    else:
        result = database_migrate(where, config)
    if ctx.args.json:
        emit_json(result)
        return
    lines = []
    if result.get("created_database"):
        lines.append(f"Created the database {result['status']['database']}.")
    lines += _applied_lines(result["applied"])
    if not lines:
        lines.append("The board is up to date; nothing to do.")
    print("\n".join([*lines, *_status_lines(result["status"])]))

"""The database as a whole: undo the newest change, export, import, demo data, and restoring
from a backup. Storage is reached through the services' re-exports, loaded on first use."""

from __future__ import annotations

import sys
from pathlib import Path

from ..domain.errors import OffboardError
from ..files import describe_os_error, write_atomically
from ..formats import counted
from .output import client_summary, emit_json, table
from .registry import Context, arg, command


@command("undo", "undo the last change")
def undo(ctx: Context) -> None:
    summary = ctx.services.undo()
    if ctx.args.json:
        emit_json({"undone": summary})
    else:
        print(f"Undone: {summary}")


@command("redo", "redo what undo took back (until a new change)")
def redo(ctx: Context) -> None:
    summary = ctx.services.redo()
    if ctx.args.json:
        emit_json({"redone": summary})
    else:
        print(f"Redone: {summary}")


@command(
    "export",
    "write every client as JSON",
    arg("file", nargs="?", help="file to write (default: standard output)"),
    arg("--overwrite", action="store_true"),
    json=False,
)
def export(ctx: Context) -> None:
    from ..services import export_bytes

    exported = ctx.services.export_data()
    data = export_bytes(exported)
    if ctx.args.file in (None, "-"):
        sys.stdout.buffer.write(data)
        return
    target = Path(ctx.args.file).expanduser()
    # Exports hold client records and money owed: 0600, written atomically under a temp name
    # nobody can predict, and never through a link planted where the file will go.
    try:
        write_atomically(target, data, overwrite=ctx.args.overwrite)
    except FileExistsError:
        raise OffboardError(f"{target} already exists", "use --overwrite to replace it") from None
    except OSError as exc:
        reason, hint = describe_os_error(exc, target)
        raise OffboardError(f"cannot write {target}: {reason}; nothing was written", hint) from None
    count = len(exported["clients"])
    print(f"Exported {counted(count, 'client')} to {target}.", file=sys.stderr)


@command(
    "import",
    "add clients from an export (all or nothing)",
    arg("file"),
    arg("--replace", action="store_true", help="overwrite clients with the same id"),
)
def import_(ctx: Context) -> None:
    from ..services import read_export

    data = read_export(Path(ctx.args.file).expanduser())
    clients = ctx.services.import_data(data, replace=ctx.args.replace)
    if ctx.args.json:
        emit_json([client_summary(c, ctx.today) for c in clients])
    else:
        imported = counted(len(clients), "client")
        print(f"Imported {imported}. `offboard undo` reverts the whole import.")


@command("demo", "write demo data into the database given by --db", json=False)
def demo(ctx: Context) -> None:
    from ..bootstrap import make_parent
    from ..demo import write_demo

    db_file = ctx.db_file("writing demo data")
    make_parent(db_file)
    count = write_demo(db_file, ctx.today)
    print(f"Wrote {count} demo clients to {db_file}.")


@command(
    "restore",
    "restore the database from a backup",
    arg("--list", action="store_true", help="list backups instead"),
    arg("--from", dest="backup", metavar="FILE", help="a specific backup file"),
)
def restore(ctx: Context) -> None:
    from ..services import describe_backups, restore as restore_from

    db_file = ctx.db_file("restoring a backup")
    if ctx.args.list:
        backups = describe_backups(db_file)
        if ctx.args.json:
            emit_json(backups)
        elif not backups:
            print(f"No backups of {db_file}.")
        else:
            rows = [
                [
                    str(b["number"]),
                    b["modified"],
                    "unreadable" if b["clients"] is None else str(b["clients"]),
                    str(b["path"]),
                ]
                for b in backups
            ]
            print(table(rows, ["#", "SAVED", "CLIENTS", "FILE"]))
        return
    chosen = Path(ctx.args.backup) if ctx.args.backup else None
    used = restore_from(db_file, chosen)
    print(f"Restored {db_file} from {used}. The replaced file was kept among the backups.")

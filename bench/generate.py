"""Write a database of N generated clients: `python bench/generate.py N PATH [--seed S]`.

The clients come from `offboard.demo.generate_records` (the records of `generate_clients`,
made through the services; about 1.7 KB of JSON each, spread over every stage) and are written
in one transaction, without decoding them again. An existing file that already holds clients
is refused and left untouched. The time grows linearly with N, nearly all of it making the
clients through the services (about 0.35 ms each on an idle core). `--jobs 2` builds them in
two processes, which pays only when two cores are idle (on a busy machine it is slower); the
file is the same byte for byte with any number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

try:
    import offboard  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from offboard.demo import generate_records, write_records
from offboard.domain.errors import OffboardError
from offboard.services import paused_gc
from offboard.storage.repository import Record

DEFAULT_TODAY = dt.date(2026, 3, 4)


def main(argv: list[str] | None = None, made: list[Record] | None = None) -> int:
    """Generate and write; the records are appended to `made` when given (see the end)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of clients")
    parser.add_argument("path", type=Path, help="database file to create")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=DEFAULT_TODAY,
        help=f"the day the dates are relative to (default {DEFAULT_TODAY})",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="processes that build the clients (default 1; 2 helps only with 2 idle cores)",
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be 0 or more")
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    # Every object made from here on lives until the process ends and none is part of a
    # cycle, so the cyclic collector would only walk them (about 100 per client) again and
    # again: a second or more at 50,000 clients, for nothing.
    with paused_gc():
        records = generate_records(args.n, args.today, args.seed, jobs=args.jobs)
        if made is not None:
            made += records
        try:
            count = write_records(args.path, records)
        except OffboardError as exc:
            print(f"generate: {exc.one_line()}", file=sys.stderr)
            return 1
    size = args.path.stat().st_size
    print(f"wrote {count} clients ({size / 1e6:.1f} MB) to {args.path}")
    return 0


if __name__ == "__main__":
    kept: list[Record] = []
    status = main(made=kept)
    # The file is written and synced, and `kept` still holds every record: ending the
    # process here spares freeing them object by object (about a second at 50,000 clients),
    # which the system does at once.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)

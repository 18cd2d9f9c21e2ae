"""Write a database of N generated clients: `python bench/generate.py N PATH [--seed S]`.

The clients come from `offboard.demo.generate_records` (the records of `generate_clients`,
made through the services; about 1.7 KB of JSON each, spread over every stage) and are written
in one transaction, without decoding them again. An existing file that already holds clients
is refused and left untouched. 50,000 clients take about 25 s, nearly all of it making them
through the services; it grows linearly with N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

try:
    import offboard  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from offboard.demo import generate_records, write_records
from offboard.domain.errors import OffboardError

DEFAULT_TODAY = dt.date(2026, 3, 4)


def main(argv: list[str] | None = None) -> int:
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
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be 0 or more")
    try:
        count = write_records(args.path, generate_records(args.n, args.today, args.seed))
    except OffboardError as exc:
        print(f"generate: {exc.one_line()}", file=sys.stderr)
        return 1
    size = args.path.stat().st_size
    print(f"wrote {count} clients ({size / 1e6:.1f} MB) to {args.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

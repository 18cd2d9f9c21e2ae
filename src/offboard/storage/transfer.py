"""Export files: the board as one JSON document, written privately and read defensively.

An export may come from anywhere (another machine, a colleague, a hand edit), so reading one
is bounded before anything is believed: only a regular file under MAX_EXPORT_BYTES is read
(a FIFO or /dev/zero cannot hang or exhaust the command), the parser refuses nesting deeper
than 1,024 levels and numbers that do not fit a double, and every record then goes through
the same rules as a client typed in by hand (see services.import_data).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from ..domain.errors import InvalidInput
from ..files import FileRefused, read_bounded

# An export of 50,000 clients with their history is about 150 MB.
MAX_EXPORT_BYTES = 1 << 30


def read_export(path: Path) -> Any:
    """The parsed JSON of an export file; InvalidInput (one line) when it cannot be read."""
    try:
        raw = read_bounded(path, MAX_EXPORT_BYTES)
    except FileNotFoundError:
        raise InvalidInput(f"{path} does not exist") from None
    except FileRefused as exc:
        raise InvalidInput(exc.message, exc.hint) from None
    try:
        # orjson parses iteratively up to a fixed depth and turns over-long numbers into an
        # error, so a hostile file cannot exhaust the stack or the integer parser.
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path} is not an offboard export: it is not valid JSON ({exc})",
            "make one with `offboard export`",
        ) from None


def export_bytes(data: dict[str, Any]) -> bytes:
    """The export document as indented UTF-8 JSON text ending with a newline."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"

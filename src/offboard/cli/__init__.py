"""The command line: argument parsing and output only; every operation is a service call.

`offboard` alone opens the TUI. Errors print one line on stderr and exit 1, never a traceback.

    registry.py   the @command decorator: each command's name, help and arguments sit on
                  top of its handler
    clients.py, case.py, settlement.py, insight.py, letters.py, timers.py, data.py
                  the commands, by area (insight_output.py: the report's JSON, text and
                  Markdown)
    output.py     the JSON contract and the text tables
    fixes.py      how the CLI words a Fix: the command that puts it right
    main.py       parse, dispatch, the error handling, the console script

Importing this package loads no Textual, storage or services: they load on first use.
"""

from __future__ import annotations

from .fixes import FIX_COMMANDS, fix_hint
from .main import build_parser, main, run
from .output import client_detail, client_summary
from .registry import COMMANDS, UsageError

# `main` here is the function (offboard.cli.main(argv)), which the import above binds over
# the submodule of the same name; the submodule stays importable as offboard.cli.main.
__all__ = [
    "COMMANDS",
    "FIX_COMMANDS",
    "UsageError",
    "build_parser",
    "client_detail",
    "client_summary",
    "fix_hint",
    "main",
    "run",
]

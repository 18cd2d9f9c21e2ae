"""What each layer drags in when imported, checked in a fresh interpreter: the services and the
CLI never load Textual (scripts and cron jobs must not pay for the UI), and the domain loads
no UI, storage or template library."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def loaded_by(module: str) -> set[str]:
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in json.loads(done.stdout)}


@pytest.mark.parametrize("module", ["offboard.services", "offboard.cli", "offboard.bootstrap"])
def test_no_textual(module: str) -> None:
    found = loaded_by(module) & {"textual", "rich"}
    assert not found, f"importing {module} loads {found}"


def test_the_domain_loads_no_ui_storage_or_template_library() -> None:
    found = loaded_by("offboard.domain.codec") & {
        "textual", "rich", "tinydb", "orjson", "jinja2", "babel", "platformdirs",
    }  # fmt: skip
    assert not found, found


def loaded_modules(*modules: str) -> set[str]:
    code = f"import json, sys, {', '.join(modules)}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout))


def test_the_board_s_first_paint_needs_no_services_letters_or_templates() -> None:
    # The services, the letters, Jinja2 and the adapters to the outside (calendar files,
    # the session bus, PostgreSQL) are made after the board's first frame; a
    # module-level import of any of them in the board's modules costs every start.
    board = ("offboard.tui.app", "offboard.tui.board.screen", "offboard.tui.board.view")
    found = {
        m
        for m in loaded_modules(*board)
        if m.split(".")[:2] in (["offboard", "services"], ["offboard", "letters"])
        or m.split(".")[0] in {"jinja2", "holidays", "icalendar", "jeepney", "psycopg"}
        # The reader of notice clauses and its word tables: only a setting or a form uses it.
        or m in {"offboard.domain.clauses", "offboard.domain.clause_words"}
    }
    assert not found, sorted(found)


def test_a_command_opening_a_file_loads_no_preview(tmp_path) -> None:
    # The preview (msgspec) is for the board's first frame; a command opens the file whole.
    db = tmp_path / "offboard.json"
    code = (
        "import json, sys; from pathlib import Path; from offboard.config import Config; "
        "from offboard.bootstrap import open_repository; "
        f"open_repository(Path({str(db)!r}), Config()).snapshot(); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found = {m for m in json.loads(done.stdout) if m.split(".")[0] == "msgspec"}
    found |= {"offboard.storage.preview"} & set(json.loads(done.stdout))
    assert not found, sorted(found)

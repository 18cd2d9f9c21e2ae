"""Loads the stage checklists: the shipped ones, each overridden by a user file of the same name
in `<user config dir>/templates/checklists/`."""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

from .config import config_dir
from .domain.checklists import Checklist, checklist_from_data
from .domain.errors import InvalidInput
from .domain.models import Stage
from .files import FileRefused, read_text_bounded

MAX_CHECKLIST_BYTES = 256 * 1024


def user_checklist_dir() -> Path:
    return config_dir() / "templates" / "checklists"


def load_checklists(user_dir: Path | None = None) -> dict[Stage, Checklist]:
    user_dir = user_checklist_dir() if user_dir is None else user_dir
    shipped = resources.files("offboard.templates").joinpath("checklists")
    found: dict[Stage, Checklist] = {}
    for stage in Stage:
        name = f"{stage.value}.toml"
        user_file = user_dir / name
        if os.path.lexists(user_file):
            try:
                text, source = read_text_bounded(user_file, MAX_CHECKLIST_BYTES), str(user_file)
            except FileNotFoundError:
                raise InvalidInput(f"checklist {user_file} is a link to nothing") from None
            except FileRefused as exc:
                raise InvalidInput(f"checklist {exc.message}", exc.hint) from None
        else:
            entry = shipped.joinpath(name)
            if not entry.is_file():
                continue
            text, source = entry.read_text(encoding="utf-8"), f"(shipped) {name}"
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInput(f"checklist {source} is not valid TOML ({exc})") from None
        found[stage] = checklist_from_data(stage.value, data, source)
    return found

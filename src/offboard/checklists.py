"""Loads the stage checklists: the shipped ones, each overridden by a user file of the same name
in `<user config dir>/templates/checklists/`."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from .config import config_dir
from .domain.checklists import Checklist, checklist_from_data
from .domain.errors import InvalidInput
from .domain.models import Stage
from .files import read_user_text

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
        user_text = read_user_text(user_file, MAX_CHECKLIST_BYTES, "checklist")
        if user_text is not None:
            text, source = user_text, str(user_file)
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

"""Letter drafts, one per client, kept beside the database so they survive a crash or a quit.

A draft is the writer's own unsent text: it is not client data the services manage (no
history, no undo), so it lives in `<database>.drafts/<client id>.json`, written atomically and
private to the user, instead of costing a full database write on every pause in typing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..domain.errors import InvalidInput
from .files import write_atomically

MODES = ("draft", "source")


@dataclass(slots=True)
class Draft:
    client_id: str
    template: str
    locale: str
    subject: str  # the subject template text as edited
    body: str  # the body template text as edited
    source: str | None = None  # the whole template file, when its source was edited
    mode: str = "draft"
    saved: str = ""  # ISO timestamp of the last save


class DraftStore:
    def __init__(self, db_path: Path) -> None:
        self.folder = db_path.with_name(db_path.name + ".drafts")

    def path(self, client_id: str) -> Path:
        if not client_id or "/" in client_id or client_id.startswith("."):
            raise InvalidInput(f"not a client id: {client_id!r}")
        return self.folder / f"{client_id}.json"

    def load(self, client_id: str) -> Draft | None:
        """The saved draft, or None. A damaged file is set aside (renamed), never deleted."""
        path = self.path(client_id)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            draft = Draft(**{k: raw[k] for k in Draft.__slots__ if k in raw})
            if draft.mode not in MODES or not isinstance(draft.body, str):
                raise ValueError("bad draft")
            return draft
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError) as exc:
            aside = path.with_suffix(".json.damaged")
            try:
                os.replace(path, aside)
            except OSError:
                aside = path
            raise InvalidInput(
                f"the saved draft {path} could not be read ({exc})",
                f"it was kept as {aside}; the letter starts again from the template",
            ) from None

    def save(self, draft: Draft, now: dt.datetime) -> Path:
        """Write the draft atomically (temp file, fsync, rename); mode 0600."""
        draft.saved = now.isoformat(timespec="seconds")
        path = self.path(draft.client_id)
        data = json.dumps(asdict(draft), ensure_ascii=False, indent=1).encode("utf-8")
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomically(path, data)
        except OSError as exc:
            raise InvalidInput(
                f"the draft could not be saved to {self.folder} ({exc.strerror or exc})",
                "free some disk space or check the folder's permissions; the text is still open",
            ) from None
        return path

    def discard(self, client_id: str) -> None:
        self.path(client_id).unlink(missing_ok=True)

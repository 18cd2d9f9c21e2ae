"""Letter drafts, one per client, kept beside the database so they survive a crash or a quit.

A draft is the writer's own unsent text: it is not client data the services manage (no
history, no undo), so it lives in `<database>.drafts/<client id>.json`, written atomically and
private to the user, instead of costing a full database write on every pause in typing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..domain.errors import InvalidInput
from ..files import (
    FileRefused,
    check_own_dir,
    describe_os_error,
    own_dir,
    read_own,
    write_atomically,
)

MODES = ("draft", "source")
# Far beyond any letter (a template is capped at 64 KiB): a bigger file is not our draft.
MAX_DRAFT_BYTES = 1 << 20


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
            # Only a file of this user's own, never through a link, in a folder that is ours.
            if not check_own_dir(self.folder):
                return None
            raw = json.loads(read_own(path, MAX_DRAFT_BYTES).decode("utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not a draft")
            fields = {k: raw[k] for k in Draft.__slots__ if k in raw}
            fields["client_id"] = client_id
            draft = Draft(**fields)
            texts = (draft.template, draft.locale, draft.subject, draft.body, draft.saved)
            if (
                draft.mode not in MODES
                or not all(isinstance(t, str) for t in texts)
                or not isinstance(draft.source, str | None)
            ):
                raise ValueError("a field of the wrong kind")
            return draft
        except FileNotFoundError:
            return None
        except FileRefused as exc:
            raise InvalidInput(f"the saved draft is not used: {exc.message}", exc.hint) from None
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
            own_dir(self.folder)
            write_atomically(path, data)
        except FileRefused as exc:
            raise InvalidInput(f"the draft could not be saved: {exc.message}", exc.hint) from None
        except OSError as exc:
            reason, hint = describe_os_error(exc, path)
            raise InvalidInput(
                f"the draft could not be saved to {self.folder} ({reason})",
                f"{hint}; the text is still open",
            ) from None
        return path

    def discard(self, client_id: str) -> None:
        with contextlib.suppress(FileRefused):
            if check_own_dir(self.folder):
                self.path(client_id).unlink(missing_ok=True)

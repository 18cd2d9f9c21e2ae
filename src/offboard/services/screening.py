"""Screening new clients: the checklist learned from closed clients' lessons, the user's own
changes to it, a prospect's answers weighed into go / caution / decline, and a screened
prospect added as a client with its answers kept as its intake notes.

The checklist is computed afresh from the clients each time (it can never go stale); the
user's changes live in `<config dir>/screening.toml` (offboard/screening_file.py), the
thresholds beside the recommendation's weights ([screening] in recommendation.toml).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import formats
from ..domain import screening as sc, screening_edits as edit
from ..domain.errors import InvalidInput
from ..domain.fixes import Fix
from ..domain.models import Answer, Client, IntakeAnswer, ItemKind
from ..domain.validate import choice
from ..files import describe_os_error, write_atomically
from .core import ServiceCore


@dataclass(frozen=True)
class Screening:
    """A prospect's answers on the checklist, and what they suggest."""

    checklist: sc.Checklist
    answers: Mapping[str, Answer]  # item id -> answer; every item of the checklist
    verdict: sc.Verdict
    reasons: tuple[str, ...]  # the verdict's reasons, written out

    @property
    def items(self) -> tuple[sc.Item, ...]:
        return self.checklist.items

    @property
    def note(self) -> str:
        """The suggestion in a few words, for the client's history."""
        v = self.verdict
        return f"{v.suggestion.value}, {v.answered} of {v.total} answered"


EMPTY_HINT = (
    "the checklist learns from the lessons of closed clients: record a lesson on a client and "
    "close it, or add an item of your own"
)


class ScreeningServices(ServiceCore):
    """The screening checklist, its edits, and screening a prospect."""

    _thresholds: sc.Thresholds | None = None
    # Where the user's changes to the checklist are kept; None: the config folder's file.
    screening_file: Path | None = None

    if TYPE_CHECKING:
        # ClientServices' (the facade joins both): declared for the type checker only.
        def add_client(self, name: str, **details: Any) -> Client: ...

    @property
    def thresholds(self) -> sc.Thresholds:
        """The shipped thresholds with the user's overrides, read on first use."""
        if self._thresholds is None:
            from ..weights import load_thresholds

            self._thresholds = load_thresholds()
        return self._thresholds

    @thresholds.setter
    def thresholds(self, value: sc.Thresholds) -> None:
        self._thresholds = value

    # --- the checklist -------------------------------------------------------------------------

    def screening_edits(self) -> sc.Edits:
        """The user's changes. Raises InvalidInput when their file does not load."""
        from ..screening_file import read_edits

        return read_edits(self.screening_file)

    def screening_checklist(self, clients: Iterable[Client] | None = None) -> sc.Checklist:
        """The checklist from the closed clients' lessons (of `clients` when given, the TUI's
        snapshot; else the stored ones) with the user's changes. Raises InvalidInput when the
        file of changes does not load."""
        pool = self.repo.clients() if clients is None else clients
        return sc.gather(pool, self.screening_edits())

    def screening_markdown(self, checklist: sc.Checklist | None = None) -> str:
        return sc.markdown(checklist or self.screening_checklist())

    def export_screening(
        self, path: Path, *, checklist: sc.Checklist | None = None, overwrite: bool = False
    ) -> Path:
        """Write the checklist as Markdown to `path` (atomically, readable by you only).
        Raises InvalidInput when the file exists (unless `overwrite`) or cannot be written;
        nothing is left behind then."""
        path = Path(path).expanduser()
        text = self.screening_markdown(checklist)
        try:
            write_atomically(path, text.encode("utf-8"), overwrite=overwrite)
        except FileExistsError:
            raise InvalidInput(
                f"{path} already exists and was left as it is",
                "choose another file name, or confirm overwriting it",
            ) from None
        except OSError as exc:
            reason, hint = describe_os_error(exc, path)
            raise InvalidInput(f"cannot write {path}: {reason}", hint) from None
        return path

    # --- the user's changes ----------------------------------------------------------------------

    def add_screening_item(self, kind: str | ItemKind, text: str) -> sc.Item:
        """Add an item of your own. Raises InvalidInput for an unknown kind, an empty text, one
        the checklist already has, or a file of changes that does not load or cannot be
        written."""
        which = choice(ItemKind, kind, "item kind")
        edits = self.screening_edits()
        changed, item = edit.add_own(edits, self.screening_checklist(), which, text)
        self._write_edits(changed)
        return item

    def edit_screening_item(self, ref: str, text: str) -> sc.Item:
        """Put an item (shown or hidden) in your own words; a learned item given its lessons'
        words back is a learned item again. Raises InvalidInput for an unknown id or an empty
        text, or when the file of changes does not load or cannot be written."""
        edits = self.screening_edits()
        checklist = self.screening_checklist()
        item = sc.find(checklist.every(), ref)
        changed = edit.reword(edits, item, text)
        self._write_edits(changed)
        return next(i for i in sc.gather(self.repo.clients(), changed).every() if i.id == item.id)

    def hide_screening_item(self, ref: str, *, hidden: bool = True) -> sc.Item:
        """Hide an item from the checklist, or (hidden=False) show a hidden one again. Raises
        InvalidInput for an unknown id, one already so, or a file that cannot be written."""
        edits = self.screening_edits()
        checklist = self.screening_checklist()
        pool = checklist.items if hidden else checklist.hidden
        if not pool:
            raise InvalidInput(
                "no item is shown on the checklist" if hidden else "no item is hidden"
            )
        other = checklist.hidden if hidden else checklist.items
        try:
            item = sc.find(pool, ref)
        except InvalidInput:
            if any(i.id == ref.strip().lower() for i in other):
                raise InvalidInput(
                    f"item {ref.strip()} is already {'hidden' if hidden else 'shown'}"
                ) from None
            raise
        self._write_edits(edit.hide(edits, item, hidden))
        return item

    def _write_edits(self, edits: sc.Edits) -> None:
        from ..screening_file import write_edits

        write_edits(edits, self.screening_file)

    # --- screening a prospect ---------------------------------------------------------------------

    def screen(
        self,
        answers: Mapping[str, str] | None = None,
        in_order: Sequence[str] | None = None,
        *,
        checklist: sc.Checklist | None = None,
    ) -> Screening:
        """Weigh a prospect's answers: by item (id, number or start of an id -> y/n/u) or
        `in_order`, one per item; items left out are unanswered. Raises InvalidInput when the
        checklist is empty, for an unknown item, a wrong number of answers or an answer that
        is not y, n or u."""
        found = checklist or self.screening_checklist()
        if not found.items:
            raise InvalidInput(self._empty_message(found), EMPTY_HINT, fix=Fix.LESSONS)
        given: dict[str, Answer] = {}
        if in_order is not None:
            given.update(sc.answers_in_order(found.items, in_order))
        if answers:
            given.update(sc.answers_by_ref(found.items, answers))
        return self.weigh(found, given)

    @staticmethod
    def _empty_message(found: sc.Checklist) -> str:
        if found.hidden:
            return f"every item of the screening checklist is hidden ({len(found.hidden)})"
        return "the screening checklist is empty: no closed client has a lesson learned"

    def weigh(self, checklist: sc.Checklist, answers: Mapping[str, Answer]) -> Screening:
        """The suggestion for answers already checked (the TUI's, as they are typed): no
        reading."""
        every = {i.id: answers.get(i.id, Answer.UNKNOWN) for i in checklist.items}
        verdict = sc.evaluate(checklist.items, every, self.thresholds)
        locale = self.config.locale
        reasons = tuple(formats.sentence(r.sentence, locale) for r in verdict.reasons)
        return Screening(checklist, every, verdict, reasons)

    def intake_notes(self, screening: Screening) -> list[IntakeAnswer]:
        """The answers as a client keeps them: each item's words as asked, dated today."""
        today = self.clock.today()
        return [
            IntakeAnswer(i.id, i.text, i.kind, screening.answers[i.id], today)
            for i in screening.items
        ]

    def add_screened_client(self, name: str, screening: Screening, **details: Any) -> Client:
        """Add the prospect as a client (`details` as `add_client` takes them), with the
        screening's answers as its intake notes, in one change. Raises what add_client
        raises."""
        return self.add_client(
            name, intake=self.intake_notes(screening), intake_note=screening.note, **details
        )

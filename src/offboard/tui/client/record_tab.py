"""What every tab that lists records shares (red flags, repair attempts, deliverables, handover
items, invoices and their payments): `e` edits the highlighted record in the form that added
it, filled in with its values; `x` (or delete) deletes it once the user has confirmed in a
dialog that names it. Both are ordinary changes: in the history, undoable, and refused when
the client was changed elsewhere meanwhile.

The keys are declared once in the action table, in the scope RECORDS_SCOPE; each such tab
binds them beside its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ...domain.models import Client
from ..actions import key_text
from ..dialogs import ConfirmScreen
from ..forms import FormScreen
from ..forms.editing import record_of
from .table_tab import TableTab

if TYPE_CHECKING:
    from ...services import Services

RECORDS_SCOPE = "client.records"
QUOTE_LIMIT = 60  # characters of a description a dialog quotes before "…"


def quoted(text: str) -> str:
    """A record's words as a sentence quotes them: one line, not too long."""
    line = " ".join(text.split())
    if len(line) > QUOTE_LIMIT:
        line = line[: QUOTE_LIMIT - 1].rstrip() + "…"
    return f'"{line}"'


class RecordTab(TableTab):
    """A list tab whose rows are records (domain/records.py). A subclass sets FORMS (the form
    that adds and edits each kind of record it lists, the row kind KIND first), ADD (the id
    of the key that adds one) and says what to call a record in `name`."""

    KIND: ClassVar[str] = ""
    FORMS: ClassVar[dict[str, type[FormScreen]]] = {}
    ADD: ClassVar[str] = ""

    # --- what a subclass says ---------------------------------------------------------------

    def row_record(self, client: Client, key: str) -> tuple[str, Any] | None:
        """The kind of record a row shows, and the record; None when it is gone."""
        record = record_of(client, self.KIND, key)
        return None if record is None else (self.KIND, record)

    def edit_form(self, kind: str, record: Any) -> FormScreen:
        """The form that added the record, in edit mode."""
        form = self.FORMS[kind]
        return form(self.state.client_id, chain=self.state.chain, record_id=record.id)

    def record_name(self, kind: str, record: Any, client: Client) -> str:
        """The record as the dialog and the messages name it: 'the red flag "Paid 40 days
        late" of Nov 3, 2026', with dates and amounts as the tab shows them."""
        raise NotImplementedError

    # --- the keys -----------------------------------------------------------------------------

    def _highlighted_record(self, doing: str) -> tuple[Client, str, Any] | None:
        client, key = self.client, self.highlighted()
        found = None if client is None or key is None else self.row_record(client, key)
        if client is None or found is None:
            nouns = f"{self.FORMS[self.KIND].NOUN}s"
            add = key_text(self, self.ADD)
            self.say(f"There is nothing to {doing}: no {nouns} are recorded. {add} adds one.")
            return None
        return client, found[0], found[1]

    def action_edit_record(self) -> None:
        found = self._highlighted_record("edit")
        if found is not None:
            _, kind, record = found
            self.app.push_screen(self.edit_form(kind, record))

    def action_delete_record(self) -> None:
        found = self._highlighted_record("delete")
        if found is None:
            return
        client, kind, record = found
        noun, name = self.FORMS[kind].NOUN, self.record_name(kind, record, client)
        cid, record_id = client.id, record.id
        undo = key_text(self, "undo")

        def call(s: Services, rev: int | None) -> Client:
            return s.delete_record(cid, kind, record_id, expected_rev=rev)

        def deleted(_: Client) -> None:
            self.say(f"Deleted {name}. {undo} brings it back.")

        def answered(yes: bool | str | None) -> None:
            # A refusal (an invoice that still has payments) comes back as the service's
            # message, shown by the app like every failed change.
            if yes is True:
                self.change(f"delete {noun}", call, on_done=deleted)

        lines = [f"The client's history keeps it, and {undo} brings it back."]
        dialog = ConfirmScreen(f"Delete this {noun}", lines, f"Delete {name}?", "Delete")
        self.app.push_screen(dialog, answered)

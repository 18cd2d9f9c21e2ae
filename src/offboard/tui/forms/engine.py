"""The one form engine. A form declares its fields (FIELDS), the rules across them (CROSS) and
the service call that saves it (`call`); this class does everything else.

Each field sits in a row with a message line under it that says what is wrong, or what the
value means (the last working day of a notice period, an effective hourly rate). A value is
checked as it is typed; a missing value and a rule across fields are complained about once
saving was tried, so a half-filled form is not a wall of red. Nothing typed is thrown away
when a value is refused. A valid form goes to the writer thread through `core(self).submit`
and closes once the change is saved; a change to an existing client carries the revision the
user was looking at (see chain.py), so an edit based on a stale view is refused, and the user
decides whether to save on top of the newer version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from ...domain.errors import OffboardError, StaleEdit
from ..core import core
from ..messages import DataChanged
from ..saving import RETRYABLE
from ..widgets.footer import Footer
from .chain import RevChain
from .editing import record_of, start_value
from .fields import Cross, Field, FieldRow, is_blank, read_widget, resolve, sentence

if TYPE_CHECKING:
    from ...config import Config
    from ...domain.models import Client
    from ...services import Services

CSS_FILE = str(Path(__file__).with_name("forms.tcss"))


class FormScreen(ModalScreen[str | None]):
    """Base of every form. A form sets FORM_TITLE, INTRO, SAVE_LABEL, FIELDS, CROSS and CHANGE
    (the label of the change in history and messages, formatted with `client` and the
    values), and says in `call` which service saves it. It dismisses with the client's id
    once saved, None when left.
    """

    CSS_PATH = CSS_FILE
    FORM_TITLE = "Form"
    INTRO = ""
    SAVE_LABEL = "Save"
    FIELDS: ClassVar[tuple[Field, ...]] = ()
    CROSS: ClassVar[tuple[Cross, ...]] = ()
    CHANGE = "save"
    # An edit sends only the fields the user changed, so a field left alone never overwrites
    # a change made elsewhere meanwhile.
    ONLY_CHANGED = False
    # A form that adds a record names its kind (domain/records.py: "flag", "payment") and
    # what the user calls one ("red flag"). Given a `record_id`, the same form edits that
    # record: fields start from its values, and only the changed ones go to edit_record.
    RECORD: ClassVar[str] = ""
    NOUN: ClassVar[str] = ""
    # Roomier rows when the terminal is tall enough.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        client_id: str | None = None,
        *,
        chain: RevChain | None = None,
        record_id: str | None = None,
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self.record_id = record_id
        self._chain = chain
        self._fields: dict[str, Field] = {f.name: f for f in self.FIELDS}
        self._rows: dict[str, FieldRow] = {}
        self._initial: dict[str, Any] = {}
        self._tried = False
        self._saving = False
        self._stale = False
        self._discard_armed = False
        self._client_name = ""

    # --- the declared part -----------------------------------------------------------------

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        """Save `values` (field name -> parsed value). Runs on the writer thread: it reads
        only plain attributes of the form, never its widgets."""
        raise NotImplementedError

    # --- edit mode ---------------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        return self.record_id is not None

    @property
    def record(self) -> Any | None:
        """The record being edited, as last read; None when adding, or once it is gone."""
        client = self.existing
        if self.record_id is None or client is None:
            return None
        return record_of(client, self.RECORD, self.record_id)

    @property
    def save_label(self) -> str:
        return "Save changes" if self.editing else self.SAVE_LABEL

    def edit_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every field's value as an edit sends it (on the UI thread, before the unchanged
        ones are left out): a form whose blank field means something when adding says what
        it means for the record here."""
        return values

    def edit(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        """Save an edit of the record (the writer thread, like `call`)."""
        assert self.client_id is not None and self.record_id is not None
        return services.edit_record(
            self.client_id, self.RECORD, self.record_id, expected_rev, **values
        )

    # --- what fields' rules, defaults and explanations see (fields.FormView) ----------------

    @property
    def today(self) -> dt.date:
        return core(self).today

    @property
    def config(self) -> Config:
        return core(self).config

    @property
    def client(self) -> Client:
        assert self.client_id is not None, "this form is not about an existing client"
        return core(self).client(self.client_id)

    @property
    def existing(self) -> Client | None:
        """The client being changed; None for a form that creates one."""
        if self.client_id is None or self.client_id not in core(self).clients:
            return None
        return core(self).client(self.client_id)

    @property
    def locale(self) -> str:
        """The language the client writes in, which decides how typed amounts are read."""
        client = self.existing
        return client.locale if client is not None else self.config.locale

    def value(self, name: str) -> Any:
        """Another field's value as its rule reads it, or None while it is blank or wrong
        (or not built yet)."""
        if name not in self._rows:
            return None
        ok, value, _ = self._parse(name)
        return value if ok else None

    def raw(self, name: str) -> Any:
        return read_widget(self._rows[name].widget)

    def row(self, name: str) -> FieldRow:
        return self._rows[name]

    # --- layout ----------------------------------------------------------------------------

    @property
    def _missing(self) -> bool:
        if self.client_id is not None and self.client_id not in core(self).clients:
            return True
        return self.editing and self.record is None

    @property
    def _missing_text(self) -> str:
        if self.client_id is not None and self.client_id not in core(self).clients:
            return "That client no longer exists; nothing to change."
        return f"That {self.NOUN} no longer exists (deleted or undone); nothing to change."

    def _start(self, f: Field) -> Field:
        """The field as it starts: when editing, from the record's stored value."""
        record = self.record
        if record is None or not hasattr(record, f.name):
            return f
        return replace(f, default=start_value(getattr(record, f.name), self.locale))

    def compose(self) -> ComposeResult:
        if self._missing:
            # Deleted between the key press and now: on_mount closes the form.
            yield Static(self._missing_text)
            return
        if self.client_id is not None:
            self._client_name = self.client.name
        # One by one, so a field's default or prompt may read the fields above it.
        self._rows = {}
        for f in self.FIELDS:
            self._rows[f.name] = FieldRow(f, self._start(f).build(self), resolve(f.hint, self))
        with Vertical(id="form-box"):
            title = f"Edit {self.NOUN}" if self.editing else self.FORM_TITLE
            if self._client_name:
                title = f"{title} · {self._client_name}"
            yield Static(title, id="form-title", markup=False)
            if self.INTRO:
                yield Static(self.INTRO, id="form-intro", markup=False)
            with VerticalScroll(id="form-body"):
                yield from self._rows.values()
            yield Static("", id="form-status", classes="-empty", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button(self.save_label, id="form-save", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)
                yield Static("ctrl+s saves · escape cancels", id="form-keys")
        yield Footer()

    def on_mount(self) -> None:
        if self._missing:
            self.notify(self._missing_text, severity="warning")
            self.dismiss(None)
            return
        if self._chain is None and self.client_id is not None:
            self._chain = RevChain(self.client.rev)
        self._initial = {name: self.raw(name) for name in self._fields}
        for name in self._fields:
            self._check(name, live=True)
        if self._rows:
            next(iter(self._rows.values())).widget.focus()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Give the fields what the screen has left, so the buttons always stay in view and
        the fields scroll instead."""
        if not self.is_attached or self._missing:
            return
        box = self.query_one("#form-box")
        body = self.query_one("#form-body")
        chrome = box.styles.border.spacing.height + box.styles.padding.height
        for child in box.children:
            if child is not body and child.display:
                chrome += child.outer_size.height + child.styles.margin.height
        footer = self.query_one(Footer).outer_size.height
        body.styles.max_height = max(3, self.size.height - footer - chrome)

    # --- checking ---------------------------------------------------------------------------

    def _parse(self, name: str) -> tuple[bool, Any, str]:
        """Run the field's rule: (ok, value, message). Shows nothing."""
        field = self._fields[name]
        raw = self.raw(name)
        if is_blank(raw) and field.required:
            return False, None, field.required
        try:
            return True, field.read(raw, self), ""
        except OffboardError as exc:
            return False, None, sentence(exc.one_line())

    def _cross_problem(self, name: str, value: Any) -> str:
        """The first rule across fields that `name` breaks, given its own value."""
        for cross in self.CROSS:
            if cross.field != name:
                continue
            values = [value if need == name else self.value(need) for need in cross.needs]
            if any(x is None for x in values):
                continue
            try:
                cross.rule(*values)
            except OffboardError as exc:
                return sentence(exc.one_line())
        return ""

    def _check(self, name: str, *, live: bool) -> tuple[bool, Any]:
        """Check one field and show the result under it. Returns (ok, parsed value)."""
        field, row = self._fields[name], self._rows[name]
        quiet = live and not self._tried
        ok, value, problem = self._parse(name)
        if not ok and quiet and field.required and is_blank(self.raw(name)):
            row.show("")
            return False, None
        if ok and not quiet:
            problem = self._cross_problem(name, value)
            ok = not problem
        if not ok:
            row.show(problem, "error")
            return False, None
        info = ""
        if field.explain is not None:
            try:
                info = field.explain(value, self)
            except OffboardError as exc:
                info = sentence(exc.one_line())
        row.show(info, "info" if info else "")
        return True, value

    def recheck(self, *names: str) -> None:
        for name in names:
            self._check(name, live=True)

    def _dependants(self, name: str) -> list[str]:
        """Fields whose message reads `name`: they follow it, or a rule across fields
        compares them with it."""
        out = [f.name for f in self.FIELDS if name in f.follows]
        out += [c.field for c in self.CROSS if name in c.needs and c.field != name]
        return list(dict.fromkeys(out))

    def _field_of(self, widget: Widget) -> str | None:
        wid = widget.id or ""
        return wid[len("field-") :] if wid.startswith("field-") else None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    def _on_field_changed(self, event: Input.Changed) -> None:
        name = self._field_of(event.control)
        if name is None or name not in self._rows or not self.is_mounted:
            return
        self._discard_armed = False
        self._check(name, live=True)
        self.recheck(*self._dependants(name))

    @on(Input.Submitted)
    def _on_field_submitted(self, event: Input.Submitted) -> None:
        """Enter moves on to the next field; on the last field it saves."""
        event.stop()
        if self._field_of(event.control) == self.FIELDS[-1].name:
            self.action_save()
        else:
            self.focus_next()

    def check_all(self) -> dict[str, Any] | None:
        """Check every field as saving does, marking what is wrong: the values to save, or
        None when anything needs a look (the first such field gets the focus)."""
        self._tried = True
        values: dict[str, Any] = {}
        bad: list[str] = []
        for name in self._fields:
            ok, value = self._check(name, live=False)
            if ok:
                values[name] = value
            else:
                bad.append(name)
        if not bad:
            return values
        self._rows[bad[0]].widget.focus()
        count = "one field needs" if len(bad) == 1 else f"{len(bad)} fields need"
        self.status(f"Nothing is saved yet: {count} a look (marked in red).", "error")
        return None

    # --- saving and leaving -----------------------------------------------------------------

    def status(self, text: str, kind: str = "") -> None:
        line = self.query_one("#form-status", Static)
        line.update(text)
        line.set_class(kind == "error", "-error")
        line.set_class(not text, "-empty")
        self.call_after_refresh(self._fit)

    def action_save(self) -> None:
        if self._saving:
            return
        values = self.check_all()
        if values is None:
            return
        if self.editing:
            values = self.edit_values(values)
        if self.ONLY_CHANGED or self.editing:
            values = {n: x for n, x in values.items() if self.raw(n) != self._initial.get(n)}
            if not values:
                self.status("Nothing was changed (escape closes the form).", "error")
                return
        if self.editing:
            label = f"edit {self.NOUN}"
        else:
            label = self.CHANGE.format(client=self._client_name, **values)
        self._send(label, values)

    def _send(self, label: str, values: dict[str, Any]) -> None:
        self._saving = True
        self.set_class(True, "-saving")
        self.query_one("#form-save", Button).label = "Saving…"
        self.status("")

        def run(services: Services, rev: int | None) -> Client:
            if self.editing:
                return self.edit(services, values, rev)
            return self.call(services, values, rev)

        app = core(self)
        if self.client_id is None:
            app.submit(label, lambda s: run(s, None), on_done=self._saved, on_error=self._failed)
            return
        assert self._chain is not None
        if self._stale:
            # The user saw the message about the newer version and saves again on top of it.
            self._chain.resync(self.client.rev)
            self._stale = False
        self._chain.submit(app, label, run, on_done=self._saved, on_error=self._failed)

    def _saved(self, client: Client) -> None:
        self._saving = False
        if self.is_active:
            self.dismiss(client.id)

    def _failed(self, error: OffboardError) -> None:
        self._saving = False
        if not self.is_active:
            return
        self.set_class(False, "-saving")
        self.query_one("#form-save", Button).label = self.save_label
        if isinstance(error, RETRYABLE):
            # The app keeps the change queued and retries it with ctrl+s; saving it again from
            # here would record it twice.
            self.dismiss(None)
            return
        if isinstance(error, StaleEdit):
            self._stale = True
            self.status(
                "Not saved: this client was changed elsewhere after you opened the form. "
                "What you typed is still here; ctrl+s saves it on top of the newer version, "
                "escape leaves without saving.",
                "error",
            )
            return
        self.status(f"Not saved: {sentence(error.one_line())}", "error")

    def _dirty(self) -> bool:
        return any(self.raw(name) != self._initial.get(name) for name in self._fields)

    def action_cancel(self) -> None:
        if self._saving:
            self.status("Saving… one moment.")
            return
        if self._dirty() and not self._discard_armed:
            self._discard_armed = True
            self.status("Press escape again to discard what you typed, or ctrl+s to save it.")
            return
        self.dismiss(None)

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self._discard_armed = True
        self.action_cancel()

    def on_data_changed(self, _: DataChanged) -> None:
        if self.client_id is None or self.client_id in core(self).clients:
            return
        if self.is_active:
            name = self._client_name or "This client"
            self.notify(f"{name} was deleted elsewhere; nothing was saved.", severity="warning")
            self.dismiss(None)

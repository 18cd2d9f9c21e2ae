"""Modal forms for everything the client screen (and the board) lets the user record.

Every form is a `FormScreen`: a box of labelled fields, each with a message line right under it
that says what is wrong (or, for some fields, what the value means: the last working day of a
notice period, an effective hourly rate). Fields are checked as they are typed and all together
on ctrl+s. Nothing typed is thrown away when a value is refused; the form stays open with the
message next to the field. A valid form hands its change to the writer thread through
`app.submit` and closes once the change is saved.

Changes to an existing client carry the revision the user was looking at, so an edit based on
a stale view is refused instead of overwriting someone else's change. `RevChain` keeps that
revision right while earlier changes of the same screen are still being saved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static, TextArea

from ...domain import notice
from ...domain.clock import parse_iso_date
from ...domain.errors import InvalidInput, OffboardError, StaleEdit
from ...domain.models import (
    Archetype,
    Category,
    Channel,
    Client,
    Decision,
    HandoverKind,
    HandoverStatus,
    Invoice,
    RepairOutcome,
)
from ...domain.validate import amount as parse_amount
from ..messages import DataChanged
from ..saving import RETRYABLE

if TYPE_CHECKING:
    from ...services import Services
    from ..app import OffboardApp

CSS_FILE = str(Path(__file__).with_name("forms.tcss"))

# A change to run on the writer thread: (services, expected revision) -> the changed client.
Call = Callable[["Services", "int | None"], Client]


# --- keeping the expected revision right ----------------------------------------------------


class RevChain:
    """The revision the next change of one client should expect.

    A screen that sends several changes quickly (space, space, space) cannot wait for each
    snapshot before sending the next: the writer thread runs them in order, and each one
    expects the revision the one before it produced. Outside changes are picked up with
    `resync` only when none of this screen's changes are under way.
    """

    def __init__(self, rev: int) -> None:
        self.rev = rev
        self.inflight = 0

    def resync(self, rev: int) -> None:
        if self.inflight == 0:
            self.rev = rev

    def submit(
        self,
        app: OffboardApp,
        label: str,
        call: Call,
        *,
        on_done: Callable[[Client], None] | None = None,
        on_error: Callable[[OffboardError], None] | None = None,
    ) -> None:
        self.inflight += 1

        def run(services: Services) -> Client:
            client = call(services, self.rev)
            self.rev = client.rev
            return client

        def done(client: Client) -> None:
            self.inflight = max(0, self.inflight - 1)
            if on_done is not None:
                on_done(client)

        def failed(error: OffboardError) -> None:
            self.inflight = max(0, self.inflight - 1)
            if on_error is not None:
                on_error(error)

        app.submit(label, run, on_done=done, on_error=failed)


# --- reading what was typed ------------------------------------------------------------------


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_day(text: str, what: str, today: dt.date) -> dt.date:
    """A date as typed: YYYY-MM-DD, `today`, or `+N` for N days from today."""
    cleaned = text.strip().lower()
    if cleaned == "today":
        return today
    if re.fullmatch(r"[+-]\d{1,4}", cleaned):
        return today + dt.timedelta(days=int(cleaned))
    return parse_iso_date(cleaned, what)


def friendly_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b} {day.year}"


def money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def check_email(text: str) -> str:
    value = text.strip()
    if value and not re.fullmatch(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+", value):
        raise InvalidInput("that does not look like an email address", "like ana@example.com")
    return value


def check_currency(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise InvalidInput("use a three-letter currency code", "EUR, USD, GBP ...")
    return code


def check_terms(text: str) -> int | None:
    if is_blank(text):
        return None
    if not text.strip().isdigit():
        raise InvalidInput("write the payment terms as a whole number of days", "e.g. 14")
    days = int(text)
    if days > 365:
        raise InvalidInput("payment terms longer than a year are not accepted")
    return days


def optional_amount(text: str, what: str) -> Decimal | None:
    return None if is_blank(text) else parse_amount(text, what)


# Secrets typed by mistake into a handover label: "password: hunter2", "token=abc123".
_SECRET = re.compile(r"\b(pass(word)?|passwd|pwd|pin|token|secret|api[ _-]?key)\s*[:=]\s*\S", re.I)


@dataclass
class Field:
    """One labelled input of a form. `parse` turns the widget's raw value into the value to
    save, raising OffboardError with a message for the user when it cannot."""

    name: str
    label: str
    widget: Widget
    parse: Callable[[Any], Any] = lambda raw: raw.strip() if isinstance(raw, str) else raw
    hint: str = ""
    required: str = ""  # the message when left empty; empty means optional


def required(message: str) -> Callable[[Any], Any]:
    def parse(raw: Any) -> Any:
        if is_blank(raw):
            raise InvalidInput(message)
        return raw.strip() if isinstance(raw, str) else raw

    return parse


class FieldRow(Vertical):
    """A label, its widget, and the line under it for errors and explanations."""

    def __init__(self, field: Field) -> None:
        super().__init__(classes="field", id=f"row-{field.name}")
        self.field = field

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            yield Label(self.field.label, classes="field-label")
            yield self.field.widget
        yield Static(self.field.hint, classes="field-msg", markup=False)

    def show(self, text: str, kind: str = "") -> None:
        """kind: "error", "info" or "" (a plain hint)."""
        text = text or self.field.hint
        self.set_class(kind == "error", "-error")
        self.set_class(kind == "info", "-info")
        self.set_class(not text, "-empty")
        self.query_one(".field-msg", Static).update(text)


# --- the form mechanics -------------------------------------------------------------------


class FormScreen(ModalScreen[str | None]):
    """Base of every form: layout, live checks, ctrl+s / escape, saving through the writer.

    A subclass sets FORM_TITLE (and INTRO), builds its fields in `fields()`, may add checks
    across fields in `cross_check()` and explanations in `explain()`, and says in `save()`
    which service call to run.
    """

    CSS_PATH = CSS_FILE
    FORM_TITLE = "Form"
    INTRO = ""
    SAVE_LABEL = "Save"
    # Roomier rows when the terminal is tall enough.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (40, "-tall")]
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, client_id: str | None = None, *, chain: RevChain | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self._chain = chain
        self._fields: dict[str, Field] = {}
        self._initial: dict[str, Any] = {}
        self._tried = False
        self._saving = False
        self._stale = False
        self._discard_armed = False
        self._client_name = ""

    # --- for subclasses ----------------------------------------------------------------------

    @property
    def oapp(self) -> OffboardApp:
        return self.app  # type: ignore[return-value]

    @property
    def today(self) -> dt.date:
        return self.oapp.today

    @property
    def client(self) -> Client:
        assert self.client_id is not None
        return self.oapp.client(self.client_id)

    def fields(self) -> Iterable[Field]:
        raise NotImplementedError

    def cross_check(self, values: dict[str, Any]) -> dict[str, str]:
        """Problems that involve more than one field: field name -> message."""
        return {}

    def explain(self, name: str, value: Any) -> str:
        """An explanation shown under a valid field (e.g. the date a period ends on)."""
        return ""

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        """The label of the change and the call that makes it."""
        raise NotImplementedError

    def result(self, client: Client) -> str | None:
        return client.id

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self._missing:
            # Deleted between the key press and now: on_mount closes the form.
            yield Static("This client no longer exists.")
            return
        if self.client_id is not None:
            self._client_name = self.client.name
        self._fields = {f.name: f for f in self.fields()}
        with Vertical(id="form-box"):
            title = self.FORM_TITLE
            if self._client_name:
                title = f"{title} · {self._client_name}"
            yield Static(title, id="form-title", markup=False)
            if self.INTRO:
                yield Static(self.INTRO, id="form-intro", markup=False)
            with VerticalScroll(id="form-body"):
                for field in self._fields.values():
                    yield FieldRow(field)
            yield Static("", id="form-status", classes="-empty", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button(self.SAVE_LABEL, id="form-save", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)
                yield Static("ctrl+s saves · escape cancels", id="form-keys")
        yield Footer()

    @property
    def _missing(self) -> bool:
        return self.client_id is not None and self.client_id not in self.oapp.clients

    def on_mount(self) -> None:
        if self._missing:
            self.notify("That client no longer exists; nothing to change.", severity="warning")
            self.dismiss(None)
            return
        if self._chain is None and self.client_id is not None:
            self._chain = RevChain(self.client.rev)
        self._initial = {name: self.raw(name) for name in self._fields}
        for name in self._fields:
            self._check(name, live=True)
        first = next(iter(self._fields.values()), None)
        if first is not None:
            first.widget.focus()
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

    # --- reading and checking ----------------------------------------------------------------

    def raw(self, name: str) -> Any:
        widget = self._fields[name].widget
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, Checkbox):
            return widget.value
        raise TypeError(f"no reader for {type(widget).__name__}")

    def row(self, name: str) -> FieldRow:
        return self.query_one(f"#row-{name}", FieldRow)

    def _check(self, name: str, *, live: bool) -> tuple[bool, Any]:
        """Check one field and show the result under it. Returns (ok, parsed value)."""
        field = self._fields[name]
        raw = self.raw(name)
        if is_blank(raw) and field.required:
            if live and not self._tried:
                self.row(name).show("")
                return False, None
            self.row(name).show(field.required, "error")
            return False, None
        try:
            value = field.parse(raw)
        except OffboardError as exc:
            self.row(name).show(_sentence(exc.one_line()), "error")
            return False, None
        try:
            info = self.explain(name, value)
        except OffboardError as exc:
            info = _sentence(exc.one_line())
        self.row(name).show(info, "info" if info else "")
        return True, value

    def _field_of(self, widget: Widget) -> str | None:
        wid = widget.id or ""
        return wid[len("field-") :] if wid.startswith("field-") else None

    def _changed(self, widget: Widget) -> None:
        name = self._field_of(widget)
        if name is None or name not in self._fields or not self.is_mounted:
            return
        self._discard_armed = False
        self._check(name, live=True)
        self.field_changed(name)

    def field_changed(self, name: str) -> None:
        """Hook: a field's value changed (re-check the fields that depend on it)."""

    def recheck(self, *names: str) -> None:
        for name in names:
            self._check(name, live=True)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    def _on_any_change(self, event: Input.Changed) -> None:
        self._changed(event.control)

    @on(Input.Submitted)
    def _on_enter(self, event: Input.Submitted) -> None:
        """Enter moves on to the next field; on the last field it saves."""
        event.stop()
        names = list(self._fields)
        name = self._field_of(event.control)
        if name == names[-1]:
            self.action_save()
        else:
            self.focus_next()

    # --- saving and leaving ------------------------------------------------------------------

    def status(self, text: str, kind: str = "") -> None:
        line = self.query_one("#form-status", Static)
        line.update(text)
        line.set_class(kind == "error", "-error")
        line.set_class(not text, "-empty")
        self.call_after_refresh(self._fit)

    def action_save(self) -> None:
        if self._saving:
            return
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
            for name, message in self.cross_check(values).items():
                self.row(name).show(message, "error")
                bad.append(name)
        if bad:
            self._fields[bad[0]].widget.focus()
            count = "one field needs" if len(bad) == 1 else f"{len(bad)} fields need"
            self.status(f"Nothing is saved yet: {count} a look (marked in red).", "error")
            return
        try:
            label, call = self.save(values)
        except OffboardError as exc:
            self.status(_sentence(exc.one_line()), "error")
            return
        self._send(label, call)

    def _send(self, label: str, call: Call) -> None:
        self._saving = True
        self.set_class(True, "-saving")
        self.query_one("#form-save", Button).label = "Saving…"
        self.status("")
        if self.client_id is None:
            self.oapp.submit(
                label, lambda s: call(s, None), on_done=self._saved, on_error=self._failed
            )
            return
        assert self._chain is not None
        if self._stale:
            # The user saw the message about the newer version and saves again on top of it.
            self._chain.resync(self.client.rev)
            self._stale = False
        self._chain.submit(self.oapp, label, call, on_done=self._saved, on_error=self._failed)

    def _saved(self, client: Client) -> None:
        self._saving = False
        if self.is_active:
            self.dismiss(self.result(client))

    def _failed(self, error: OffboardError) -> None:
        self._saving = False
        if not self.is_active:
            return
        self.set_class(False, "-saving")
        self.query_one("#form-save", Button).label = self.SAVE_LABEL
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
        self.status(f"Not saved: {_sentence(error.one_line())}", "error")

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
        if self.client_id is None or self.client_id in self.oapp.clients:
            return
        if self.is_active:
            name = self._client_name or "This client"
            self.notify(f"{name} was deleted elsewhere; nothing was saved.", severity="warning")
            self.dismiss(None)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ")")) else text + "."


# --- widgets used by several forms --------------------------------------------------------


def text_input(name: str, value: str = "", placeholder: str = "", **kwargs: Any) -> Input:
    return Input(value=value, placeholder=placeholder, id=f"field-{name}", compact=True, **kwargs)


def text_area(name: str, value: str = "") -> TextArea:
    area = TextArea(value, id=f"field-{name}", compact=True, soft_wrap=True)
    area.show_line_numbers = False
    return area


def select(
    name: str,
    options: Iterable[tuple[str, Any]],
    value: Any = None,
    *,
    blank: str | None = None,
) -> Select[Any]:
    return Select(
        list(options),
        value=Select.NULL if value is None else value,
        allow_blank=blank is not None,
        prompt=blank or "Choose",
        id=f"field-{name}",
        compact=True,
    )


DATE_HINT = "YYYY-MM-DD, today, or +N days"


def enum_options(enum: type, labels: dict[Any, str] | None = None) -> list[tuple[str, Any]]:
    labels = labels or {}
    return [(labels.get(m, m.value.replace("-", " ").capitalize()), m.value) for m in enum]


ARCHETYPE_LABELS = {
    Archetype.MICROMANAGER: "Micromanager",
    Archetype.SCOPE_CREEPER: "Scope creeper",
    Archetype.NON_PAYER: "Chronic non-payer",
    Archetype.ABUSIVE: "Abusive",
    Archetype.OUTGROWN: "Outgrown / changed direction",
    Archetype.TIME_SINK: "Unprofitable / time sink",
}

DECISION_LABELS = {
    Decision.KEEP: "Keep the client",
    Decision.REPAIR: "Try to repair it first",
    Decision.OFFBOARD: "Offboard",
}
# Notice is never given by text message or social media, so those are not offered.
CHANNEL_LABELS = {
    Channel.PHONE: "Phone call",
    Channel.VIDEO: "Video call",
    Channel.IN_PERSON: "In person",
    Channel.EMAIL: "Email",
    Channel.LETTER: "Letter",
}

LOCALES = [
    ("English (en)", "en"),
    ("Türkçe (tr)", "tr"),
    ("Suomi (fi)", "fi"),
    ("Čeština (cs)", "cs"),
]

CATEGORY_LABELS = {
    Category.PAYMENT: "Payment: late, disputed or haggled invoices",
    Category.COMMUNICATION: "Communication: rude, silent or always-on",
    Category.SCOPE: "Scope: extra work without extra pay",
    Category.VALUES: "Values: pressure to lower your standards",
    Category.RESPECT: "Respect: micromanaging, second-guessing",
    Category.TIME: "Time: costs more hours than it is worth",
    Category.MONEY: "Money: the account loses money",
    Category.ABUSE: "Abuse: insults, threats, humiliation",
    Category.STAGNATION: "Stagnation: trust is not getting better",
}

SEVERITIES = [("1 · minor", 1), ("2 · serious", 2), ("3 · severe", 3)]

OUTCOME_LABELS = {
    RepairOutcome.IMPROVED: "Improved",
    RepairOutcome.NO_CHANGE: "No change",
    RepairOutcome.WORSE: "Worse",
}

HANDOVER_KIND_LABELS = {
    HandoverKind.FILE: "Files",
    HandoverKind.CREDENTIAL: "Access / credential (label only)",
    HandoverKind.DOCUMENT: "Document / notes",
    HandoverKind.CONTACT: "Contact",
}

HANDOVER_STATUS_LABELS = {
    HandoverStatus.PENDING: "Pending",
    HandoverStatus.HANDED_OVER: "Handed over",
    HandoverStatus.REVOKED: "Access revoked",
    HandoverStatus.WAIVED: "Not needed",
}

REPAIR_IDEAS = [
    "Weekly check-in call",
    "Fortnightly check-in call",
    "Phone instead of email",
    "Agreed response window",
    "New agreement at renewal",
    "Deposit up front",
    "Payment plan",
    "Stop work until paid",
    "Change-order process",
]


# --- clients ------------------------------------------------------------------------------


class _ClientForm(FormScreen):
    """The details and contract fields shared by the new-client and edit forms."""

    def base(self) -> Client | None:
        return None

    def fields(self) -> Iterable[Field]:
        cfg = self.oapp.services.config
        c = self.base()
        k = c.contract if c else None

        def date_or_none(raw: str) -> dt.date | None:
            return None if is_blank(raw) else parse_day(raw, "contract end", self.today)

        def period(raw: str) -> str:
            return notice.parse_period(raw).describe() if not is_blank(raw) else ""

        yield Field(
            "name",
            "Name",
            text_input("name", c.name if c else "", "who the client is"),
            required="A client needs a name.",
        )
        yield Field("email", "Email", text_input("email", c.email if c else ""), check_email)
        yield Field("company", "Company", text_input("company", c.company if c else ""))
        yield Field(
            "notice_period",
            "Notice period",
            text_input(
                "notice_period", k.notice_period if k else cfg.default_notice, "e.g. 30 days"
            ),
            period,
            hint='e.g. "30 days", "2 weeks", "1 month", "10 business days", "end of month"',
        )
        yield Field(
            "currency",
            "Currency",
            text_input("currency", c.currency if c else cfg.currency, "EUR", max_length=3),
            check_currency,
        )
        yield Field(
            "archetype",
            "Archetype",
            select(
                "archetype",
                enum_options(Archetype, ARCHETYPE_LABELS),
                c.archetype.value if c and c.archetype else None,
                blank="Not set",
            ),
        )
        locale = c.locale if c else cfg.locale
        locales = LOCALES if any(v == locale for _, v in LOCALES) else [*LOCALES, (locale, locale)]
        yield Field("locale", "Letter language", select("locale", locales, locale))
        yield Field(
            "termination_clause",
            "Termination clause",
            text_area("termination_clause", k.termination_clause if k else ""),
            hint="What the contract says about ending it (a summary or the clause number).",
        )
        end = k.contract_end.isoformat() if k and k.contract_end else ""
        yield Field(
            "contract_end",
            "Contract end",
            text_input("contract_end", end, DATE_HINT),
            date_or_none,
        )
        terms = "" if not k or k.payment_terms_days is None else str(k.payment_terms_days)
        yield Field(
            "payment_terms_days",
            "Payment terms",
            text_input("payment_terms_days", terms, f"days (default {cfg.payment_terms_days})"),
            check_terms,
        )
        rate = "" if not k or k.hourly_rate is None else str(k.hourly_rate)
        yield Field(
            "hourly_rate",
            "Hourly rate",
            text_input("hourly_rate", rate, "e.g. 85.00"),
            lambda raw: optional_amount(raw, "hourly rate"),
        )

    def explain(self, name: str, value: Any) -> str:
        if name == "notice_period" and value:
            period = notice.parse_period(value)
            holidays = self.oapp.services.config.holidays
            try:
                last = notice.last_working_day(self.today, period, holidays)
            except OffboardError:
                return "That date has already passed; notice given today could not meet it."
            return f"Last working day if notice were given today: {friendly_date(last)}"
        if name == "notice_period":
            return "No notice period: the default one is used when notice is given."
        if name == "contract_end" and value is not None:
            days = (value - self.today).days
            if days < 0:
                return f"Ended {-days} day(s) ago."
            return f"In {days} day(s)." if days else "That is today."
        return ""

    def contract_values(self, values: dict[str, Any]) -> dict[str, Any]:
        keys = ("termination_clause", "contract_end", "payment_terms_days", "hourly_rate")
        return {k: values[k] for k in keys}


class NewClientForm(_ClientForm):
    FORM_TITLE = "New client"
    INTRO = "Only the name is needed now; everything else can be filled in later with e."
    SAVE_LABEL = "Add client"

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        contract = {k: v for k, v in self.contract_values(values).items() if v not in (None, "")}
        details = {
            "email": values["email"],
            "company": values["company"],
            "notice_period": values["notice_period"],
            "archetype": values["archetype"],
            "locale": values["locale"],
            "currency": values["currency"],
        }
        name = values["name"]

        def call(s: Services, _rev: int | None) -> Client:
            # notice_period is a detail here; the other contract fields go in the same change.
            terms = {k: v for k, v in contract.items() if k != "notice_period"}
            return s.add_client(name, **details, **terms)

        return f"add {name}", call


class EditClientForm(_ClientForm):
    FORM_TITLE = "Edit details and contract"

    def base(self) -> Client | None:
        return self.client if self.client_id in self.oapp.clients else None

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        # Only what the user changed is sent: a field left alone never overwrites anything.
        changed = {
            name: value
            for name, value in values.items()
            if self.raw(name) != self._initial.get(name)
        }
        if not changed:
            raise InvalidInput("nothing was changed", "escape closes the form")
        cid = self.client.id

        def call(s: Services, rev: int | None) -> Client:
            return s.edit_client(cid, expected_rev=rev, **changed)

        return f"edit {self.client.name}", call


# --- red flags, assessment, repair ----------------------------------------------------------


class FlagForm(FormScreen):
    FORM_TITLE = "Log a red flag"
    INTRO = "Stick to the facts: what happened, when, and where the proof is."
    SAVE_LABEL = "Log flag"

    def fields(self) -> Iterable[Field]:
        yield Field(
            "category",
            "Category",
            select("category", enum_options(Category, CATEGORY_LABELS), blank="Choose a category"),
            required="Choose the category that fits best.",
        )
        yield Field(
            "severity",
            "Severity",
            select("severity", SEVERITIES, 2),
        )
        yield Field(
            "on",
            "Date",
            text_input("on", self.today.isoformat(), DATE_HINT),
            self._past_day,
            required="Give the date it happened.",
        )
        yield Field(
            "description",
            "What happened",
            text_input("description", "", "one or two factual sentences"),
            required="Describe what happened in a sentence.",
        )
        yield Field(
            "evidence",
            "Evidence",
            text_input("evidence", "", "email subject, file path, invoice number"),
        )

    def _past_day(self, raw: str) -> dt.date:
        day = parse_day(raw, "date", self.today)
        if day > self.today:
            raise InvalidInput("that date is in the future", "log it once it has happened")
        return day

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        cid = self.client.id

        def call(s: Services, rev: int | None) -> Client:
            return s.log_flag(
                cid,
                values["category"],
                values["description"],
                severity=values["severity"],
                on=values["on"],
                evidence=values["evidence"],
                expected_rev=rev,
            )

        return "log red flag", call


class AssessmentForm(FormScreen):
    FORM_TITLE = "Assessment"
    INTRO = "An honest cost-benefit review. Decide calmly, not right after a bad meeting."

    def fields(self) -> Iterable[Field]:
        a = self.client.assessment
        yield Field(
            "revenue",
            "Revenue",
            text_input("revenue", "" if a.revenue is None else str(a.revenue), "e.g. 12000"),
            lambda raw: optional_amount(raw, "revenue"),
            hint=f"What this client brought in ({self.client.currency}).",
        )
        yield Field(
            "hours",
            "Hours spent",
            text_input("hours", "" if a.hours is None else str(a.hours), "e.g. 160"),
            lambda raw: optional_amount(raw, "hours"),
        )
        yield Field(
            "financial",
            "Financial",
            text_area("financial", a.financial),
            hint="Extra revisions and support, opportunity cost, pressure on your rates.",
        )
        yield Field(
            "operational",
            "Operational",
            text_area("operational", a.operational),
            hint="Unbilled time, stress, effect on your team and other clients.",
        )
        yield Field(
            "long_term",
            "Long term",
            text_area("long_term", a.long_term),
            hint="Referrals, reputation, what you learn, fit with your goals.",
        )
        yield Field(
            "recommendation",
            "Recommendation",
            select(
                "recommendation",
                [("Keep", "keep"), ("Try to repair", "repair"), ("Offboard", "offboard")],
                a.recommendation.value if a.recommendation else None,
                blank="Not decided",
            ),
        )

    def field_changed(self, name: str) -> None:
        if name in ("revenue", "hours"):
            self.recheck("hours")

    def explain(self, name: str, value: Any) -> str:
        if name != "hours":
            return ""
        try:
            revenue = optional_amount(self.raw("revenue"), "revenue")
        except OffboardError:
            return ""
        if revenue is None or not value:
            return ""
        rate = (revenue / value).quantize(Decimal("0.01"))
        text = f"Effective rate: {money(rate, self.client.currency)} an hour"
        target = self.oapp.services.config.target_rate
        if target:
            verdict = "below" if rate < target else "at or above"
            text += f", {verdict} your target of {target:,.2f}"
        return text + "."

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        cid = self.client.id
        values = {**values, "recommendation": values["recommendation"] or None}

        def call(s: Services, rev: int | None) -> Client:
            return s.assess(cid, expected_rev=rev, **values)

        return "update assessment", call


class RepairForm(FormScreen):
    FORM_TITLE = "Repair attempt"
    INTRO = "One concrete change, and a date to look back at whether it helped."
    SAVE_LABEL = "Add attempt"

    def fields(self) -> Iterable[Field]:
        yield Field(
            "strategy",
            "Strategy",
            text_input(
                "strategy",
                "",
                "e.g. weekly check-in call",
                suggester=SuggestFromList(REPAIR_IDEAS, case_sensitive=False),
            ),
            required="Say what you will try, e.g. a weekly check-in call.",
        )
        yield Field(
            "started",
            "Start",
            text_input("started", self.today.isoformat(), DATE_HINT),
            lambda raw: parse_day(raw, "start date", self.today),
            required="Give the day the attempt starts.",
        )
        yield Field(
            "review",
            "Review on",
            text_input("review", "", DATE_HINT + " (e.g. +14)"),
            lambda raw: parse_day(raw, "review date", self.today),
            required="Pick a review date: the day you check whether it helped.",
        )
        yield Field(
            "outcome",
            "Outcome",
            select(
                "outcome",
                enum_options(RepairOutcome, OUTCOME_LABELS),
                blank="Still running",
            ),
        )
        yield Field("notes", "Notes", text_input("notes", "", "optional"))

    def field_changed(self, name: str) -> None:
        if name == "started":
            self.recheck("review")

    def explain(self, name: str, value: Any) -> str:
        if name == "review" and value is not None:
            days = (value - self.today).days
            when = f"in {days} day(s)" if days > 0 else "today" if days == 0 else "already past"
            return f"{friendly_date(value)}, {when}."
        return ""

    def cross_check(self, values: dict[str, Any]) -> dict[str, str]:
        if values["review"] <= values["started"]:
            return {"review": "The review date must come after the start date."}
        return {}

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        cid = self.client.id

        def call(s: Services, rev: int | None) -> Client:
            return s.add_repair(
                cid,
                values["strategy"],
                values["review"],
                started=values["started"],
                outcome=values["outcome"],
                notes=values["notes"],
                expected_rev=rev,
            )

        return "add repair attempt", call


class DecisionForm(FormScreen):
    FORM_TITLE = "Decision"
    INTRO = "Keep, repair or offboard, with the one reason you would say out loud."
    SAVE_LABEL = "Record decision"

    def fields(self) -> Iterable[Field]:
        current = self.client.decision
        yield Field(
            "decision",
            "Decision",
            select(
                "decision",
                enum_options(Decision, DECISION_LABELS),
                current.decision.value if current else None,
            ),
            required="Choose keep, repair or offboard.",
        )
        yield Field(
            "reason",
            "Reason",
            text_input("reason", current.reason if current else "", "one clear reason"),
            required="Give one clear reason; letters quote it as it is written here.",
        )

    def explain(self, name: str, value: Any) -> str:
        if name == "decision" and value == Decision.KEEP.value:
            return "Keeping the client closes their card as retained."
        return ""

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        cid = self.client.id

        def call(s: Services, rev: int | None) -> Client:
            return s.decide(cid, values["decision"], values["reason"], expected_rev=rev)

        return "record decision", call


class ConversationForm(FormScreen):
    FORM_TITLE = "Notice conversation"
    INTRO = "When and how you told the client; it starts the notice period."
    SAVE_LABEL = "Record conversation"

    def fields(self) -> Iterable[Field]:
        c = self.client
        period = c.contract.notice_period or self.oapp.services.config.default_notice
        yield Field(
            "on",
            "Held on",
            text_input("on", self.today.isoformat(), DATE_HINT),
            self._day,
            required="Give the day of the conversation.",
        )
        channels = [(label, ch.value) for ch, label in CHANNEL_LABELS.items()]
        yield Field(
            "channel",
            "How",
            select("channel", channels, Channel.PHONE.value),
            required="Choose how the conversation was held.",
        )
        yield Field(
            "period",
            "Notice period",
            text_input("period", period, "e.g. 30 days, 1 month, 10 business days"),
            lambda raw: notice.parse_period(raw).describe(),
            required="Give the notice period, e.g. 30 days.",
        )

    def _day(self, raw: Any) -> dt.date:
        day = parse_day(raw, "conversation date", self.today)
        if day > self.today:
            raise InvalidInput("record the conversation once it has happened, not before")
        return day

    def explain(self, name: str, value: Any) -> str:
        if name == "period" and value:
            on = self._value_or_today("on")
            holidays = self.oapp.services.config.holidays
            try:
                last = notice.last_working_day(on, notice.parse_period(value), holidays)
            except OffboardError as exc:
                return exc.one_line()
            return f"Last working day: {friendly_date(last)}"
        return ""

    def _value_or_today(self, name: str) -> dt.date:
        try:
            return self._day(self.query_one(f"#field-{name}", Input).value)
        except OffboardError:
            return self.today

    def field_changed(self, name: str) -> None:
        if name == "on":
            self.recheck("period")

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        cid = self.client.id

        def call(s: Services, rev: int | None) -> Client:
            return s.record_conversation(
                cid, values["on"], values["channel"], values["period"], expected_rev=rev
            )

        return "record conversation", call


class OutcomeForm(FormScreen):
    FORM_TITLE = "Repair outcome"

    def __init__(self, client_id: str, attempt_id: str, *, chain: RevChain | None = None):
        super().__init__(client_id, chain=chain)
        self.attempt_id = attempt_id

    def fields(self) -> Iterable[Field]:
        attempt = next((r for r in self.client.repairs if r.id == self.attempt_id), None)
        strategy = attempt.strategy if attempt else "?"
        yield Field(
            "outcome",
            "Outcome",
            select("outcome", enum_options(RepairOutcome, OUTCOME_LABELS), blank="Choose"),
            required="Choose how it went.",
            hint=f"For: {strategy}",
        )
        yield Field("notes", "Notes", text_input("notes", "", "what you noticed (optional)"))

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        cid, attempt = self.client.id, self.attempt_id

        def call(s: Services, rev: int | None) -> Client:
            return s.record_repair_outcome(
                cid, attempt, values["outcome"], notes=values["notes"], expected_rev=rev
            )

        return "record repair outcome", call


# --- handover and money ---------------------------------------------------------------------


class DeliverableForm(FormScreen):
    FORM_TITLE = "Deliverable"
    INTRO = "Something you promised and will finish before the last working day."
    SAVE_LABEL = "Add"

    def fields(self) -> Iterable[Field]:
        yield Field(
            "title",
            "Title",
            text_input("title", "", "e.g. final logo files"),
            required="Give the deliverable a title.",
        )
        yield Field(
            "due",
            "Due",
            text_input("due", "", DATE_HINT + " (optional)"),
            lambda raw: None if is_blank(raw) else parse_day(raw, "due date", self.today),
        )

    def explain(self, name: str, value: Any) -> str:
        last = self.client.conversation.last_day if self.client.conversation else None
        if name == "due" and value is not None and last is not None and value > last:
            return f"Note: that is after the last working day ({friendly_date(last)})."
        return ""

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        cid = self.client.id

        def call(s: Services, rev: int | None) -> Client:
            return s.add_deliverable(cid, values["title"], values["due"], expected_rev=rev)

        return "add deliverable", call


class HandoverForm(FormScreen):
    FORM_TITLE = "Handover item"
    INTRO = (
        "For access and credentials, record only that they were handed over or revoked, "
        "e.g. 'Admin login for the web shop'. Never type a password or key here."
    )
    SAVE_LABEL = "Add"

    def fields(self) -> Iterable[Field]:
        yield Field(
            "kind",
            "Kind",
            select("kind", enum_options(HandoverKind, HANDOVER_KIND_LABELS), "file"),
        )
        yield Field(
            "label",
            "Item",
            text_input("label", "", "what is handed over"),
            self._label,
            required="Name the item.",
        )
        yield Field(
            "status",
            "Status",
            select("status", enum_options(HandoverStatus, HANDOVER_STATUS_LABELS), "pending"),
        )

    @staticmethod
    def _label(raw: str) -> str:
        if _SECRET.search(raw):
            raise InvalidInput(
                "this looks like it contains the secret itself",
                "describe the access instead, e.g. 'Admin login for the web shop'",
            )
        return raw.strip()

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        cid = self.client.id

        def call(s: Services, rev: int | None) -> Client:
            return s.add_handover_item(
                cid, values["kind"], values["label"], values["status"], expected_rev=rev
            )

        return "add handover item", call


def next_invoice_number(numbers: list[str]) -> str:
    """FD-0460 -> FD-0461: the last number with its trailing digits counted up."""
    if not numbers:
        return ""
    match = re.fullmatch(r"(.*?)(\d+)", numbers[-1])
    if not match:
        return ""
    prefix, digits = match.groups()
    return f"{prefix}{int(digits) + 1:0{len(digits)}d}"


class InvoiceForm(FormScreen):
    FORM_TITLE = "Invoice"
    SAVE_LABEL = "Add invoice"

    def _terms(self) -> int:
        terms = self.client.contract.payment_terms_days
        return self.oapp.services.config.payment_terms_days if terms is None else terms

    def fields(self) -> Iterable[Field]:
        c = self.client
        yield Field(
            "number",
            "Number",
            text_input("number", next_invoice_number([i.number for i in c.invoices])),
            self._number,
            required="Give the invoice number.",
        )
        yield Field(
            "amount",
            "Amount",
            text_input("amount", "", f"in {c.currency}, e.g. 1250.00"),
            self._amount,
            required="Give the amount.",
        )
        yield Field(
            "issued",
            "Issued",
            text_input("issued", self.today.isoformat(), DATE_HINT),
            lambda raw: parse_day(raw, "invoice date", self.today),
            required="Give the invoice date.",
        )
        yield Field(
            "due",
            "Due",
            text_input("due", "", f"empty: {self._terms()} days after the invoice date"),
            lambda raw: None if is_blank(raw) else parse_day(raw, "due date", self.today),
        )
        yield Field(
            "final",
            "Final",
            Checkbox("This is the final invoice", id="field-final", compact=True),
        )

    def _number(self, raw: str) -> str:
        number = raw.strip()
        if any(i.number == number for i in self.client.invoices):
            raise InvalidInput(f"invoice {number} already exists for this client")
        return number

    @staticmethod
    def _amount(raw: str) -> Decimal:
        value = parse_amount(raw, "amount")
        if value == 0:
            raise InvalidInput("an invoice amount must be more than zero")
        return value

    def field_changed(self, name: str) -> None:
        if name == "issued":
            self.recheck("due")

    def explain(self, name: str, value: Any) -> str:
        if name != "due":
            return ""
        try:
            issued = parse_day(self.raw("issued"), "invoice date", self.today)
        except OffboardError:
            return ""
        due = value or issued + dt.timedelta(days=self._terms())
        prefix = "Due" if value else f"Due after the {self._terms()}-day payment terms"
        return f"{prefix}: {friendly_date(due)}."

    def cross_check(self, values: dict[str, Any]) -> dict[str, str]:
        if values["due"] is not None and values["due"] < values["issued"]:
            return {"due": "The due date cannot be before the invoice date."}
        return {}

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        cid = self.client.id

        def call(s: Services, rev: int | None) -> Client:
            return s.add_invoice(
                cid,
                values["number"],
                values["amount"],
                issued=values["issued"],
                due=values["due"],
                final=bool(values["final"]),
                expected_rev=rev,
            )

        return "add invoice", call


class PaymentForm(FormScreen):
    FORM_TITLE = "Payment"
    SAVE_LABEL = "Record payment"

    def __init__(self, client_id: str, invoice_id: str, *, chain: RevChain | None = None):
        super().__init__(client_id, chain=chain)
        self.invoice_id = invoice_id

    def _invoice(self) -> Invoice | None:
        return next((i for i in self.client.invoices if i.id == self.invoice_id), None)

    def fields(self) -> Iterable[Field]:
        inv = self._invoice()
        open_amount = inv.outstanding if inv else Decimal("0")
        number = inv.number if inv else "?"
        yield Field(
            "amount",
            "Amount",
            text_input("amount", str(open_amount)),
            self._amount,
            required="Give the amount received.",
            hint=f"Invoice {number}: {money(open_amount, self.client.currency)} open.",
        )
        yield Field(
            "on",
            "Received on",
            text_input("on", self.today.isoformat(), DATE_HINT),
            self._day,
            required="Give the day the money arrived.",
        )

    def _amount(self, raw: str) -> Decimal:
        value = parse_amount(raw, "amount")
        inv = self._invoice()
        if value == 0:
            raise InvalidInput("a payment must be more than zero")
        if inv is not None and value > inv.outstanding:
            raise InvalidInput(
                f"that is more than the {money(inv.outstanding, self.client.currency)} open"
            )
        return value

    def _day(self, raw: str) -> dt.date:
        day = parse_day(raw, "payment date", self.today)
        if day > self.today:
            raise InvalidInput("that date is in the future", "record a payment once it arrived")
        return day

    def explain(self, name: str, value: Any) -> str:
        inv = self._invoice()
        if name == "amount" and inv is not None and value is not None:
            rest = inv.outstanding - value
            if rest:
                return f"{money(rest, self.client.currency)} stays open after this payment."
            return f"This settles invoice {inv.number}."
        return ""

    def save(self, values: dict[str, Any]) -> tuple[str, Call]:
        cid, invoice = self.client.id, self.invoice_id

        def call(s: Services, rev: int | None) -> Client:
            return s.record_payment(
                cid, invoice, values["amount"], on=values["on"], expected_rev=rev
            )

        return "record payment", call


__all__ = [
    "AssessmentForm",
    "DeliverableForm",
    "EditClientForm",
    "FlagForm",
    "FormScreen",
    "HandoverForm",
    "InvoiceForm",
    "NewClientForm",
    "OutcomeForm",
    "PaymentForm",
    "RepairForm",
    "RevChain",
]

"""A form's fields as data: what each is called, which widget it is, what it starts with, and
which rule of `offboard.domain.validate` reads it. The engine builds the widgets from these
declarations; `FieldRow` is one label, its widget and the message line under it.

Rules are the domain's own functions, adapted here only to what a form knows (today, the
client): the services run the same functions, so a form refuses exactly what a service, and
therefore the CLI, would refuse, with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Protocol

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from ... import formats, workcalendar
from ...domain import validate as v
from ...domain.reviews import typed_day, typed_past_day, working_days_asked

if TYPE_CHECKING:
    from ...config import Config
    from ...domain.models import Client

# What a date field takes, as its placeholder (worded with the rule, in domain.validate).
DATE_HINT = v.DATE_FORMS_SHORT
PAST_DATE_HINT = v.PAST_DATE_FORMS_SHORT  # things that already happened


class TickBox(Checkbox):
    """A checkbox whose mark says whether it is ticked. Textual's draws the same X ticked or
    not and tells them apart by colour alone, which a monochrome terminal, a screenshot or a
    colour-blind user cannot see: this one shows a tick, or nothing."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "✓" if self.value else " "
        return super()._button


class FormView(Protocol):
    """What a field's rule, default, hint or explanation may ask of the form it is in."""

    @property
    def today(self) -> dt.date: ...

    @property
    def config(self) -> Config: ...

    @property
    def client(self) -> Client: ...

    @property
    def existing(self) -> Client | None: ...

    @property
    def locale(self) -> str: ...

    def value(self, name: str) -> Any: ...


# Reads what was typed (the widget's raw value) and returns what is saved, or raises
# InvalidInput with the message shown under the field.
Rule = Callable[[Any, FormView], Any]
# A sentence under a valid field saying what its value means ("" for nothing).
Explain = Callable[[Any, FormView], str]
Kind = Literal["text", "area", "choice", "check"]


@dataclass(frozen=True)
class Field:
    """One labelled input of a form, declared once on the form's class.

    `default`, `hint` and `prompt` may be callables of the form, for what depends on the
    client or today. `prompt` is the placeholder of a text, the empty choice's wording, or a
    checkbox's caption. `follows` names fields whose change re-checks this one (for an
    explanation that reads them).
    """

    name: str
    label: str
    kind: Kind = "text"
    default: Any = ""
    parse: Rule | None = None
    required: str = ""  # the message when left empty; empty means optional
    hint: str | Callable[[FormView], str] = ""
    prompt: str | Callable[[FormView], str] = ""
    options: Sequence[tuple[str, Any]] = ()
    blank: bool = False  # a choice may stay unchosen
    suggest: Sequence[str] = ()
    explain: Explain | None = None
    follows: tuple[str, ...] = ()

    def read(self, raw: Any, form: FormView) -> Any:
        if self.parse is not None:
            return self.parse(raw, form)
        return raw.strip() if isinstance(raw, str) else raw

    def build(self, form: FormView) -> Widget:
        wid = f"field-{self.name}"
        default = resolve(self.default, form)
        prompt = resolve(self.prompt, form)
        if self.kind == "text":
            suggester = (
                SuggestFromList(self.suggest, case_sensitive=False) if self.suggest else None
            )
            text = "" if default is None else str(default)
            return Input(text, prompt, id=wid, compact=True, suggester=suggester)
        if self.kind == "area":
            area = TextArea(default or "", id=wid, compact=True, soft_wrap=True)
            area.show_line_numbers = False
            return area
        if self.kind == "choice":
            return Select(
                list(self.options),
                value=Select.NULL if default in (None, "") else default,
                allow_blank=self.blank,
                prompt=prompt or "Choose",
                id=wid,
                compact=True,
            )
        return TickBox(prompt, bool(default), id=wid, compact=True)


@dataclass(frozen=True)
class Cross:
    """A rule across fields: `rule(*values of needs)` raises InvalidInput when the values do
    not go together, and the message shows under `field`. It is checked once every field it
    needs holds a valid value; a blank optional one means there is nothing to compare."""

    field: str
    needs: tuple[str, ...]
    rule: Callable[..., Any]


def resolve(value: Any, form: FormView) -> Any:
    return value(form) if callable(value) else value


def read_widget(widget: Widget) -> Any:
    """What the user has typed or chosen, before any rule reads it."""
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, Checkbox):
        return widget.value
    raise TypeError(f"no reader for {type(widget).__name__}")


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


# --- rules: the domain's, given what the form knows ------------------------------------------


def rule(check: Callable[..., Any], *args: Any, **kwargs: Any) -> Rule:
    """A domain rule that needs only what was typed: `rule(v.email)`,
    `rule(v.positive_amount, "the invoice amount")`."""

    def parse(raw: Any, _form: FormView) -> Any:
        return check(raw, *args, **kwargs)

    return parse


def date_rule(what: str, *, optional: bool = False, happened: bool = False) -> Rule:
    """The services' date rule (reviews.typed_day) against the form's today: YYYY-MM-DD,
    today, +N/-N, a weekday, or +N wd counted with the client's calendar; `happened` adds
    `v.not_future` for things that already took place, `optional` lets it stay blank."""

    def parse(raw: Any, form: FormView) -> dt.date | None:
        if optional and is_blank(raw):
            return None
        # The calendar only for working days: the holidays package loads when first needed.
        asked = working_days_asked(raw) is not None
        days_off = workcalendar.calendar_for(form.config, form.existing) if asked else ()
        read = typed_past_day if happened else typed_day
        return read(raw, what, form.today, days_off)

    return parse


def amount_rule(what: str, *, positive: bool = False, optional: bool = False) -> Rule:
    """`v.amount` (or `v.positive_amount`) read the way the client's language writes numbers:
    "1 250,50" for a Finnish client, as the services read it."""

    def parse(raw: Any, form: FormView) -> Decimal | None:
        if optional and is_blank(raw):
            return None
        comma = formats.decimal_comma(form.locale)
        check = v.positive_amount if positive else v.amount
        return check(raw, what, decimal_comma=comma)

    return parse


def today_text(form: FormView) -> str:
    return form.today.isoformat()


# --- showing ----------------------------------------------------------------------------------


def friendly_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b} {day.year}"


def sentence(text: str) -> str:
    """A rule's one-line message as a sentence under a field: capital first, full stop last."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ")")) else text + "."


class FieldRow(Vertical):
    """A label, its widget, and the line under it for errors and explanations."""

    def __init__(self, field: Field, widget: Widget, hint: str) -> None:
        super().__init__(classes="field", id=f"row-{field.name}")
        self.field = field
        self.widget = widget
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            yield Label(self.field.label, classes="field-label")
            yield self.widget
        yield Static(self.hint, classes="field-msg", markup=False)

    def show(self, text: str, kind: str = "") -> None:
        """kind: "error", "info" or "" (the plain hint)."""
        text = text or self.hint
        self.set_class(kind == "error", "-error")
        self.set_class(kind == "info", "-info")
        self.set_class(not text, "-empty")
        self.query_one(".field-msg", Static).update(text)

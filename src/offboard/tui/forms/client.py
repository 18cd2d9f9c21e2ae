"""The client's details and contract: the new-client form and the edit form."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ... import workcalendar
from ...domain import notice, validate as v
from ...domain.clauses import stored_notice
from ...domain.errors import OffboardError
from ...domain.models import Archetype
from ...formats import counted, day, known_locales, number, writable_locale
from .engine import FormScreen
from .fields import (
    DATE_HINT,
    Field,
    FormView,
    amount_rule,
    date_rule,
    friendly_date,
    rule,
)
from .labels import ARCHETYPE_LABELS, LOCALES, enum_options

if TYPE_CHECKING:
    from ...domain.models import Client
    from ...services import Services

CONTRACT_FIELDS = ("termination_clause", "contract_end", "payment_terms_days", "hourly_rate")


def _period(raw: Any, _form: FormView) -> str:
    # Blank means no period of the client's own: the configured default applies at notice.
    # Otherwise a short form or the clause itself, read by the one rule the services use.
    return stored_notice(raw)


def _form_calendar(form: FormView) -> workcalendar.CountryCalendar:
    # The country being typed in counts before the one saved (blank: the config's).
    return workcalendar.calendar_for(form.config, form.value("country") or "")


def _explain_period(value: str, form: FormView) -> str:
    if not value:
        return "No notice period: the default one is used when notice is given."
    period = notice.parse_period(value)
    read = f"Read as {period.explain()}."
    try:
        last = notice.last_working_day(form.today, period, _form_calendar(form))
    except OffboardError:
        return f"{read} That date has already passed; notice given today could not meet it."
    return f"{read} Last working day if notice were given today: {friendly_date(last)}"


def _explain_country(value: str, form: FormView) -> str:
    days_off = _form_calendar(form).describe()
    if value:
        return f"Business days skip {days_off}."
    return f"None of its own: business days skip {days_off}, as the settings say."


def _explain_end(value: Any, form: FormView) -> str:
    if value is None:
        return ""
    days = (value - form.today).days
    if days < 0:
        return f"Ended {counted(-days, 'day')} ago."
    return f"In {counted(days, 'day')}." if days else "That is today."


def _explain_locale(value: str, form: FormView) -> str:
    shipped = {code: label for label, code in LOCALES}
    language = value.replace("_", "-").split("-")[0].lower()
    label = shipped.get(value) or shipped.get(language)
    if label and value != language:
        # A regional variant: the letter's words are the language's, its dates the region's.
        example = day(form.today, value)
        return f"Letters are written in {label}, dates as {value} writes them: {example}."
    if label:
        return f"Letters are written in {label}."
    return (
        f"No letters are shipped in {value} (only in {', '.join(shipped)}); "
        "add your own templates for it."
    )


def _current(attr: str, fallback: Any = "") -> Any:
    """A default read from the client being edited, `fallback` (or a callable of the form)
    for a new one."""

    def default(form: FormView) -> Any:
        client = form.existing
        if client is None:
            return fallback(form) if callable(fallback) else fallback
        target: Any = client
        for part in attr.split("."):
            target = getattr(target, part)
        if target is None:
            return ""
        return getattr(target, "value", target)

    return default


def _terms_prompt(form: FormView) -> str:
    return f"days (default {form.config.payment_terms_days})"


class _ClientForm(FormScreen):
    """The details and contract fields shared by the new-client and edit forms."""

    FIELDS = (
        Field(
            "name",
            "Name",
            default=_current("name"),
            prompt="who the client is",
            parse=rule(v.client_name),
            required="A client needs a name.",
        ),
        Field("email", "Email", default=_current("email"), parse=rule(v.email)),
        Field(
            "company",
            "Company",
            default=_current("company"),
            parse=rule(v.one_line, "the company", max_len=v.MAX_NAME),
        ),
        Field(
            "notice_period",
            "Notice period",
            default=_current("contract.notice_period", lambda f: f.config.default_notice),
            prompt="e.g. 30 days",
            parse=_period,
            hint='e.g. "30 days", "1 month", "10 business days", "end of the following month", '
            "or the clause as the contract words it",
            explain=_explain_period,
            follows=("country",),
        ),
        Field(
            "currency",
            "Currency",
            default=_current("currency", lambda f: f.config.currency),
            prompt="EUR",
            parse=rule(v.currency),
        ),
        Field(
            "archetype",
            "Archetype",
            "choice",
            default=_current("archetype", None),
            options=enum_options(Archetype, ARCHETYPE_LABELS),
            blank=True,
            prompt="Not set",
        ),
        Field(
            "locale",
            "Letter language",
            default=_current("locale", lambda f: f.config.locale),
            prompt="en, tr, fi, cs ...",
            # The shipped languages first, then every code Babel knows, so typing shows them.
            suggest=[code for _, code in LOCALES] + sorted(known_locales()),
            parse=rule(writable_locale),
            explain=_explain_locale,
        ),
        Field(
            "country",
            "Country",
            default=_current("country"),
            prompt=lambda f: f"e.g. FI (blank: {workcalendar.country_for(f.config) or 'none'})",
            parse=rule(workcalendar.country),
            hint="Whose public holidays count when this client's business days are counted.",
            explain=_explain_country,
        ),
        Field(
            "termination_clause",
            "Termination clause",
            "area",
            default=_current("contract.termination_clause"),
            parse=rule(v.free_text, "the termination clause"),
            hint="What the contract says about ending it (a summary or the clause number).",
        ),
        Field(
            "contract_end",
            "Contract end",
            default=_current("contract.contract_end"),
            prompt=DATE_HINT,
            parse=date_rule("the contract end", optional=True),
            explain=_explain_end,
        ),
        Field(
            "payment_terms_days",
            "Payment terms",
            default=_current("contract.payment_terms_days"),
            prompt=_terms_prompt,
            parse=rule(v.payment_terms),
        ),
        Field(
            "hourly_rate",
            "Hourly rate",
            default=_current("contract.hourly_rate"),
            prompt=lambda f: f"e.g. {number(Decimal(85), f.locale)}",
            parse=amount_rule("the hourly rate", optional=True),
            follows=("locale",),
        ),
    )

    @property
    def locale(self) -> str:
        # The rate is read in the language being chosen here, as the services read it.
        return self.value("locale") or super().locale


class NewClientForm(_ClientForm):
    FORM_TITLE = "New client"
    INTRO = "Only the name is needed now; everything else can be filled in later with e."
    SAVE_LABEL = "Add client"
    CHANGE = "add {name}"

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        return services.add_client(values["name"], **self.details(values))

    @staticmethod
    def details(values: dict[str, Any]) -> dict[str, Any]:
        """What the form gives `add_client` besides the name. The contract goes in the same
        change as the details; what was left empty is unset."""
        contract = {k: values[k] for k in CONTRACT_FIELDS if values[k] not in (None, "")}
        fields = ("email", "company", "notice_period", "archetype", "locale", "currency", "country")
        return {**{k: values[k] for k in fields}, **contract}


class EditClientForm(_ClientForm):
    FORM_TITLE = "Edit details and contract"
    CHANGE = "edit {client}"
    ONLY_CHANGED = True

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.edit_client(self.client_id, expected_rev=expected_rev, **values)

"""The case: red flags, the assessment, repair attempts and their outcomes, the decision and
the notice conversation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from ... import workcalendar
from ...domain import notice, validate as v
from ...domain.clauses import stored_notice
from ...domain.errors import OffboardError
from ...domain.models import Category, Channel, Decision, RepairOutcome
from ...domain.reviews import review_date
from ...formats import counted, money
from .chain import RevChain
from .engine import FormScreen
from .fields import (
    DATE_HINT,
    PAST_DATE_HINT,
    Cross,
    Field,
    FormView,
    amount_rule,
    date_rule,
    friendly_date,
    rule,
    today_text,
)
from .labels import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    DECISION_LABELS,
    OUTCOME_LABELS,
    REPAIR_IDEAS,
    SEVERITIES,
    enum_options,
)

if TYPE_CHECKING:
    from ...domain.models import Client
    from ...services import Services


class FlagForm(FormScreen):
    FORM_TITLE = "Log a red flag"
    INTRO = "Stick to the facts: what happened, when, and where the proof is."
    SAVE_LABEL = "Log flag"
    CHANGE = "log red flag"
    RECORD, NOUN = "flag", "red flag"
    FIELDS = (
        Field(
            "category",
            "Category",
            "choice",
            options=enum_options(Category, CATEGORY_LABELS),
            blank=True,
            prompt="Choose a category",
            required="Choose the category that fits best.",
        ),
        Field(
            "severity", "Severity", "choice", default=2, options=SEVERITIES, parse=rule(v.severity)
        ),
        Field(
            "on",
            "Date",
            default=today_text,
            prompt=PAST_DATE_HINT,
            parse=date_rule("the flag date", happened=True),
            required="Give the date it happened.",
        ),
        Field(
            "description",
            "What happened",
            prompt="one or two factual sentences",
            parse=rule(v.free_text, "the description"),
            required="Describe what happened in a sentence.",
        ),
        Field(
            "evidence",
            "Evidence",
            prompt="email subject, file path, invoice number",
            parse=rule(v.one_line, "the evidence"),
        ),
    )

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.log_flag(
            self.client_id,
            values["category"],
            values["description"],
            severity=values["severity"],
            on=values["on"],
            evidence=values["evidence"],
            expected_rev=expected_rev,
        )


def _effective_rate(hours: Decimal | None, form: FormView) -> str:
    revenue = form.value("revenue")
    if revenue is None or not hours:
        return ""
    client, target = form.client, form.config.target_rate
    rate = (revenue / hours).quantize(Decimal("0.01"))
    text = f"Effective rate: {money(rate, client.currency, client.locale)} an hour"
    if target:
        verdict = "below" if rate < target else "at or above"
        text += f", {verdict} your target of {money(target, client.currency, client.locale)}"
    return text + "."


def _assessed(attr: str) -> Any:
    def default(form: FormView) -> Any:
        value = getattr(form.client.assessment, attr)
        return "" if value is None else getattr(value, "value", value)

    return default


class AssessmentForm(FormScreen):
    FORM_TITLE = "Assessment"
    INTRO = "An honest cost-benefit review. Decide calmly, not right after a bad meeting."
    CHANGE = "update assessment"
    FIELDS = (
        Field(
            "revenue",
            "Revenue",
            default=_assessed("revenue"),
            prompt="e.g. 12000",
            parse=amount_rule("revenue", optional=True),
            hint=lambda f: f"What this client brought in ({f.client.currency}).",
        ),
        Field(
            "hours",
            "Hours spent",
            default=_assessed("hours"),
            prompt="e.g. 160",
            parse=amount_rule("hours", optional=True),
            explain=_effective_rate,
            follows=("revenue",),
        ),
        Field(
            "financial",
            "Financial",
            "area",
            default=_assessed("financial"),
            parse=rule(v.free_text, "the financial notes"),
            hint="Extra revisions and support, opportunity cost, pressure on your rates.",
        ),
        Field(
            "operational",
            "Operational",
            "area",
            default=_assessed("operational"),
            parse=rule(v.free_text, "the operational notes"),
            hint="Unbilled time, stress, effect on your team and other clients.",
        ),
        Field(
            "long_term",
            "Long term",
            "area",
            default=_assessed("long_term"),
            parse=rule(v.free_text, "the long-term notes"),
            hint="Referrals, reputation, what you learn, fit with your goals.",
        ),
        Field(
            "recommendation",
            "Recommendation",
            "choice",
            default=_assessed("recommendation"),
            options=[("Keep", "keep"), ("Try to repair", "repair"), ("Offboard", "offboard")],
            blank=True,
            prompt="Not decided",
        ),
    )

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.assess(self.client_id, expected_rev=expected_rev, **values)


def _review_rule(raw: Any, form: FormView) -> dt.date:
    """The services' rule for a review date, "+N wd" counted with the client's calendar (that
    it follows the start is checked with the start, as the form's CROSS rule)."""
    start = form.value("started")
    start = start if isinstance(start, dt.date) else form.today
    return review_date(raw, start, form.today, workcalendar.calendar_for(form.config, form.client))


def _review_when(review: Any, form: FormView) -> str:
    days = (review - form.today).days
    when = f"in {counted(days, 'day')}" if days > 0 else "today" if days == 0 else "already past"
    return f"{friendly_date(review)}, {when}."


class RepairForm(FormScreen):
    FORM_TITLE = "Repair attempt"
    INTRO = "One concrete change, and a date to look back at whether it helped."
    SAVE_LABEL = "Add attempt"
    CHANGE = "add repair attempt"
    RECORD, NOUN = "repair", "repair attempt"
    FIELDS = (
        Field(
            "strategy",
            "Strategy",
            prompt="e.g. weekly check-in call",
            suggest=REPAIR_IDEAS,
            parse=rule(v.one_line, "the strategy"),
            required="Say what you will try, e.g. a weekly check-in call.",
        ),
        Field(
            "started",
            "Start",
            default=today_text,
            prompt=DATE_HINT,
            parse=date_rule("the start date"),
            required="Give the day the attempt starts.",
        ),
        Field(
            "review",
            "Review on",
            prompt="YYYY-MM-DD, +N days, +N wd (working days) or a weekday",
            parse=_review_rule,
            required="Pick a review date: the day you check whether it helped.",
            explain=_review_when,
        ),
        Field(
            "outcome",
            "Outcome",
            "choice",
            options=enum_options(RepairOutcome, OUTCOME_LABELS),
            blank=True,
            prompt="Still running",
        ),
        Field("notes", "Notes", prompt="optional", parse=rule(v.free_text, "the notes")),
    )
    CROSS = (Cross("review", ("started", "review"), v.review_after_start),)

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.add_repair(
            self.client_id,
            values["strategy"],
            values["review"],
            started=values["started"],
            outcome=values["outcome"],
            notes=values["notes"],
            expected_rev=expected_rev,
        )


def _attempt_hint(form: FormView) -> str:
    attempt_id = cast("OutcomeForm", form).attempt_id
    attempt = next((r for r in form.client.repairs if r.id == attempt_id), None)
    return f"For: {attempt.strategy if attempt else '?'}"


class OutcomeForm(FormScreen):
    FORM_TITLE = "Repair outcome"
    CHANGE = "record repair outcome"
    FIELDS = (
        Field(
            "outcome",
            "Outcome",
            "choice",
            options=enum_options(RepairOutcome, OUTCOME_LABELS),
            blank=True,
            prompt="Choose",
            required="Choose how it went.",
            hint=_attempt_hint,
        ),
        Field(
            "notes",
            "Notes",
            prompt="what you noticed (optional)",
            parse=rule(v.free_text, "the notes"),
        ),
    )

    def __init__(self, client_id: str, attempt_id: str, *, chain: RevChain | None = None):
        super().__init__(client_id, chain=chain)
        self.attempt_id = attempt_id

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.record_repair_outcome(
            self.client_id,
            self.attempt_id,
            values["outcome"],
            notes=values["notes"],
            expected_rev=expected_rev,
        )


def _decided(attr: str) -> Any:
    def default(form: FormView) -> Any:
        record = form.client.decision
        value = getattr(record, attr) if record else None
        return "" if value is None else getattr(value, "value", value)

    return default


def _keeping(value: Any, _form: FormView) -> str:
    if value == Decision.KEEP.value:
        return "Keeping the client closes their card as retained."
    return ""


class DecisionForm(FormScreen):
    FORM_TITLE = "Decision"
    INTRO = "Keep, repair or offboard, with the one reason you would say out loud."
    SAVE_LABEL = "Record decision"
    CHANGE = "record decision"
    FIELDS = (
        Field(
            "decision",
            "Decision",
            "choice",
            default=_decided("decision"),
            options=enum_options(Decision, DECISION_LABELS),
            # No default: the first choice, keep, closes the card as retained, and a decision
            # is not one unless it was made.
            blank=True,
            prompt="Choose",
            required="Choose keep, repair or offboard.",
            explain=_keeping,
        ),
        Field(
            "reason",
            "Reason",
            default=_decided("reason"),
            prompt="one clear reason",
            parse=rule(v.one_line, "the reason"),
            required="Give one clear reason; letters quote it as it is written here.",
        ),
    )

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.decide(
            self.client_id, values["decision"], values["reason"], expected_rev=expected_rev
        )


def _contract_period(form: FormView) -> str:
    return form.client.contract.notice_period or form.config.default_notice


def _conversation_period(raw: Any, _form: FormView) -> str:
    # The rule record_conversation uses: a short form or the contract's clause.
    return stored_notice(raw)


def _last_day(period: str, form: FormView) -> str:
    on = form.value("on") or form.today
    parsed = notice.parse_period(period)
    read = f"Read as {parsed.explain()}."
    try:
        days_off = workcalendar.calendar_for(form.config, form.client)
        last = notice.last_working_day(on, parsed, days_off)
    except OffboardError as exc:
        return f"{read} {exc.one_line()}"
    return f"{read} Last working day: {friendly_date(last)}"


def _channel_words(channel: Channel, _form: FormView) -> str:
    return f"{CHANNEL_LABELS[channel]}."


class ConversationForm(FormScreen):
    FORM_TITLE = "Notice conversation"
    INTRO = "When and how you told the client; it starts the notice period."
    SAVE_LABEL = "Record conversation"
    CHANGE = "record conversation"
    FIELDS = (
        Field(
            "on",
            "Held on",
            default=today_text,
            prompt=PAST_DATE_HINT,
            parse=date_rule("the conversation date", happened=True),
            required="Give the day of the conversation.",
        ),
        Field(
            "channel",
            "How",
            default=Channel.PHONE.value,
            prompt=", ".join(c.value for c in CHANNEL_LABELS),
            suggest=[c.value for c in CHANNEL_LABELS],
            parse=rule(v.notice_channel),
            required="Say how the conversation was held: "
            + ", ".join(c.value for c in CHANNEL_LABELS)
            + ".",
            explain=_channel_words,
        ),
        Field(
            "period",
            "Notice period",
            default=_contract_period,
            prompt="e.g. 30 days, 1 month, 10 business days",
            parse=_conversation_period,
            required="Give the notice period, e.g. 30 days.",
            explain=_last_day,
            follows=("on",),
        ),
    )

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.record_conversation(
            self.client_id, values["on"], values["channel"], values["period"], expected_rev
        )

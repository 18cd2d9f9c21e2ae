"""What a letter template can read about a client, already written for the letter's language.

Templates see plain records of text (see templates/letters/README.md), never the model objects:
a template cannot call a method on a Client, and a change to the models does not silently change
what a user's template receives. A value the records do not hold yet is a `Missing`, which
renders as a visible `[[...]]` placeholder and is reported by the checks with where to fill it in.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from .. import formats
from ..config import Config
from ..domain import refunds
from ..domain.errors import InvalidInput
from ..domain.fixes import Fix
from ..domain.models import Category, Client, Decision, HandoverKind, HandoverStatus
from ..domain.notice import NoticePeriod, check_last_day, parse_period
from ..workcalendar import calendar_for

# Labels of the Missing values rendered during the current render; set by render.py.
rendered_missing: contextvars.ContextVar[dict[str, Fix] | None] = contextvars.ContextVar(
    "rendered_missing", default=None
)


class Missing:
    """A value the client's records do not have yet.

    Falsy, empty when iterated, and any field of it is missing too, so `{% if %}` guards and
    loops work; printed, it shows `[[label]]` and records itself for the checks.
    """

    __slots__ = ("label", "where")

    def __init__(self, label: str, where: Fix) -> None:
        self.label = label
        self.where = where

    def __str__(self) -> str:
        seen = rendered_missing.get()
        if seen is not None:
            seen.setdefault(self.label, self.where)
        return f"[[{self.label}]]"

    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __getattr__(self, name: str) -> Missing:
        if name.startswith("_"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key: object) -> Missing:
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Missing) and other.label == self.label

    def __hash__(self) -> int:
        return hash(self.label)

    def __repr__(self) -> str:
        return f"Missing({self.label!r})"


class Record(dict[str, Any]):
    """A group of template fields; knows its own name so an unknown field can be named."""

    __slots__ = ("path",)

    def __init__(self, path: str, /, **fields: Any) -> None:
        super().__init__(**fields)
        self.path = path


# Where to fill in each kind of missing value: a Fix, which the CLI words as a command and the
# TUI as a key (the checks pass it on with the finding).
WHERE_DECISION = Fix.DECISION
WHERE_CONVERSATION = Fix.CONVERSATION
WHERE_CONTRACT = Fix.CONTRACT
WHERE_DETAILS = Fix.CLIENT_DETAILS
WHERE_SENDER = Fix.SENDER
WHERE_INVOICES = Fix.INVOICES
WHERE_REPAIR = Fix.REPAIR
WHERE_DRAFT = Fix.DRAFT
WHERE_REFUND = Fix.REFUND


def money(amount: Decimal, currency: str, locale: str) -> str:
    return formats.money(amount, currency, locale)


def day(value: dt.date, locale: str) -> str:
    return formats.day(value, locale)


_BUSINESS_DAYS = {
    "en": ("business day", "business days", "business days"),
    "tr": ("iş günü", "iş günü", "iş günü"),
    "fi": ("arkipäivä", "arkipäivää", "arkipäivää"),
    "cs": ("pracovní den", "pracovní dny", "pracovních dnů"),
}
_END_OF_MONTH = {
    "en": "until the end of the month",
    "tr": "ay sonuna kadar",
    "fi": "kuukauden loppuun",
    "cs": "do konce měsíce",
}
_TO_MONTH_END = {
    "en": "to the end of a calendar month",
    "tr": "takvim ayının sonuna kadar",
    "fi": "kalenterikuukauden loppuun",
    "cs": "ke konci kalendářního měsíce",
}
_UNTIL = {"en": "until {}", "tr": "{} tarihine kadar", "fi": "{} asti", "cs": "do {}"}
_UNIT = {"days": "day", "weeks": "week", "months": "month"}


def _language(locale: str) -> str:
    return locale.replace("_", "-").split("-")[0].lower()


def writing_locale(letter: str, client: str) -> str:
    """The locale a letter's dates and money are written in. A letter is in a language (its
    template's, "en"); a client for whom that is their language may also have a region
    ("en-GB"), and then the letter writes dates and money as that region does (2 December
    2026, not December 2, 2026). A letter asked for in a regional locale keeps it."""
    if letter.replace("_", "-") != _language(letter):
        return letter
    return client if _language(client) == _language(letter) else letter


def _counted_text(period: NoticePeriod, lang: str, locale: str) -> str | None:
    if period.kind in _UNIT:
        return formats.duration(period.count, _UNIT[period.kind], locale)
    if period.kind == "business_days" and lang in _BUSINESS_DAYS:
        one, few, many = _BUSINESS_DAYS[lang]
        n = period.count
        word = one if n == 1 else few if lang == "cs" and 2 <= n <= 4 else many
        return f"{n} {word}"
    return None


def period_text(text: str, locale: str) -> str:
    """A notice period as the letter's language says it ("30 days" -> "30 dnů")."""
    try:
        period = parse_period(text)
    except InvalidInput:
        return text  # written by hand in some other way: keep the user's words
    lang = _language(locale)
    counted = _counted_text(period, lang, locale)
    if counted is not None:
        if not period.to_month_end:
            return counted
        # "3 months to the end of a calendar month": in a language without the words, the
        # stored English stays rather than a shorter period that says less.
        return f"{counted} {_TO_MONTH_END[lang]}" if lang in _TO_MONTH_END else text
    if period.kind == "end_of_month" and lang in _END_OF_MONTH:
        return _END_OF_MONTH[lang]
    if period.kind == "until" and period.until and lang in _UNTIL:
        return _UNTIL[lang].format(day(period.until, locale))
    return text


def _refund(client: Client, loc: str) -> Record:
    """The refund a letter is about (refunds.for_letter). Before one is recorded every field
    is the same Missing, so the checks say once that the refund is to be recorded first."""
    chosen = refunds.for_letter(client)
    if chosen is None:
        none = Missing("the refund (record it first)", WHERE_REFUND)
        return Record(
            "refund", amount=none, currency=none, agreed=none, reason=none, pay_by=none,
            paid_out="",
        )  # fmt: skip
    return Record(
        "refund",
        amount=money(chosen.amount, chosen.currency, loc),
        currency=chosen.currency,
        agreed=day(chosen.on, loc),
        reason=chosen.reason,
        pay_by=day(refunds.due(chosen, client), loc),
        paid_out=day(chosen.paid_out, loc) if chosen.paid_out else "",
    )


def build_context(
    client: Client, config: Config, today: dt.date, locale: str | None = None
) -> dict[str, Any]:
    """Every field a template may use, for this client on this day, in `locale` (dates and
    money in the client's regional variant of it, see writing_locale)."""
    loc = writing_locale(locale or client.locale or config.locale, client.locale or config.locale)
    cur = client.currency or config.currency

    def d(value: dt.date | None, label: str, where: Fix) -> str | Missing:
        return day(value, loc) if value else Missing(label, where)

    def opt_day(value: dt.date | None) -> str:
        return day(value, loc) if value else ""

    def m(value: Decimal) -> str:
        return money(value, cur, loc)

    sender = Record(
        "sender",
        name=config.sender_name or Missing("your name", WHERE_SENDER),
        email=config.sender_email or Missing("your email", WHERE_SENDER),
        signature=config.signature,
    )
    cli = Record(
        "client",
        name=client.name,
        company=client.company or client.name,
        email=client.email or Missing("client's email", WHERE_DETAILS),
        archetype=client.archetype.value if client.archetype else "",
        stage=client.stage.value,
        locale=loc,
        currency=cur,
    )
    decision = client.decision
    reason: str | Missing = (
        decision.reason
        if decision and decision.decision is Decision.OFFBOARD and decision.reason
        else Missing("the reason", WHERE_DECISION)
    )
    cv = client.conversation
    period = (cv.period if cv else "") or client.contract.notice_period
    # A recorded last day the calendar now says is a day off (a holiday added since): the
    # letter checks say so when the letter names that day; the record stays as it is.
    off = None
    if cv is not None:
        off = check_last_day(cv.on, cv.period, cv.last_day, calendar_for(config, client))
    notice = Record(
        "notice",
        period=period_text(period, loc) if period else Missing("notice period", WHERE_CONTRACT),
        last_day=d(cv.last_day if cv else None, "last working day", WHERE_CONVERSATION),
        last_day_warning=off.message() if off else "",
        conversation_day=d(cv.on if cv else None, "day of the conversation", WHERE_CONVERSATION),
        channel=cv.channel.value if cv else Missing("how you told them", WHERE_CONVERSATION),
    )
    contract = Record(
        "contract",
        end=d(client.contract.contract_end, "contract end date", WHERE_CONTRACT),
        clause=client.contract.termination_clause or Missing("termination clause", WHERE_CONTRACT),
    )

    def deliverable(x: Any) -> Record:
        # done_on is empty for work marked done before offboard recorded when (or not done).
        return Record("deliverable", title=x.title, due=opt_day(x.due), done_on=opt_day(x.done_on))

    deliverables = Record(
        "deliverables",
        remaining=[deliverable(x) for x in client.deliverables if not x.done],
        done=[deliverable(x) for x in client.deliverables if x.done],
    )
    handed = HandoverStatus.HANDED_OVER
    handover = Record(
        "handover",
        delivered=[
            Record("item", label=h.label, kind=h.kind.value, on=opt_day(h.on))
            for h in client.handover
            if h.status is handed
        ],
        pending=[
            Record("item", label=h.label, kind=h.kind.value)
            for h in client.handover
            if h.status is HandoverStatus.PENDING
        ],
        credentials=[
            Record("credential", label=h.label, status=h.status.value, on=opt_day(h.on))
            for h in client.handover
            if h.kind is HandoverKind.CREDENTIAL
        ],
    )
    open_invoices = [i for i in client.invoices if i.outstanding > 0]
    owed = sum((i.outstanding for i in open_invoices), Decimal("0.00"))

    def invoice(i: Any) -> Record:
        return Record(
            "invoice",
            number=i.number,
            issued=day(i.issued, loc),
            due=day(i.due, loc),
            amount=m(i.amount),
            outstanding=m(i.outstanding),
            overdue_days=max((today - i.due).days, 0),
        )

    finals = [i for i in client.invoices if i.final]
    terms = client.contract.payment_terms_days or config.payment_terms_days
    no_open = "an open invoice"
    invoices = Record(
        "invoices",
        open=[invoice(i) for i in open_invoices],
        outstanding=m(owed) if open_invoices else Missing("amount owed", WHERE_INVOICES),
        due=day(max(i.due for i in open_invoices), loc)
        if open_invoices
        else Missing(no_open, WHERE_INVOICES),
        pay_by=day(today + dt.timedelta(days=terms), loc),
        final=invoice(finals[-1]) if finals else Missing("final invoice", WHERE_INVOICES),
    )
    repairs = sorted(client.repairs, key=lambda r: r.started)
    latest = repairs[-1] if repairs else None
    no_repair = Missing("repair attempt", WHERE_REPAIR)
    repair = Record(
        "repair",
        strategy=latest.strategy if latest else no_repair,
        started=day(latest.started, loc) if latest else no_repair,
        review=day(latest.review, loc) if latest else no_repair,
        notes=latest.notes if latest else "",
    )
    flags = Record("flags")
    for f in sorted(client.flags, key=lambda f: f.on):
        flags.setdefault(f.category.value, []).append(
            Record("flag", on=day(f.on, loc), description=f.description)
        )
    for category in Category:
        flags.setdefault(category.value, [])
    return {
        "today": day(today, loc),
        "sender": sender,
        "client": cli,
        "reason": reason,
        "notice": notice,
        "contract": contract,
        "deliverables": deliverables,
        "handover": handover,
        "invoices": invoices,
        "refund": _refund(client, loc),
        "repair": repair,
        "referrals": list(config.referrals),
        "flags": flags,
    }

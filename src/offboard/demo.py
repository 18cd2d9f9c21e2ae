"""Demo data: fourteen fictional clients spread over every stage, and cheap generated ones.

Every business, address and letter here is invented; email addresses use reserved example
domains only. Every date is an offset from `today`, so a demo built for a fixed day is the same
byte for byte (ids come from a seeded generator), which keeps screenshots reproducible.

Each client is built by a small script that changes the record the way the services would and
writes the matching history event, and every stage move is checked against the stage's hard
gate while building, so a demo client is always one the app itself could have produced.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .config import Config, SmtpSettings
from .domain import notice
from .domain.errors import OffboardError
from .domain.models import (
    Archetype,
    Assessment,
    Category,
    Channel,
    Client,
    Contract,
    Conversation,
    Decision,
    DecisionRecord,
    Deliverable,
    HandoverItem,
    HandoverKind,
    HandoverStatus,
    HistoryEvent,
    Invoice,
    LetterRecord,
    Outcome,
    Payment,
    RedFlag,
    RepairAttempt,
    RepairOutcome,
    Stage,
)
from .domain.stages import check_move
from .domain.validate import amount as parse_amount
from .storage.tinyfile import TinyRepository

DEMO_ACTOR = "demo"
_COMPACT_ACTIONS = frozenset({"create", "move"})
DEMO_SEED = 4_2026

# The ids of the shipped checklist items (templates/checklists/*.toml); tests/test_demo.py
# checks that they still match the shipped files.
CHECKLIST_ITEMS: dict[Stage, tuple[str, ...]] = {
    Stage.ASSESSMENT: ("log-incidents", "effective-rate", "hidden-costs", "long-term", "cool-off"),
    Stage.REPAIR: ("own-part", "cadence", "new-agreement", "review-date"),
    Stage.PREPARATION: (
        "termination-clause",
        "obligations",
        "documentation",
        "collect-first",
        "legal-advice",
        "timing",
        "channel",
        "talking-points",
        "referrals",
    ),
    Stage.NOTICE: ("conversation", "written-notice", "last-day-shared", "hold-the-line"),
    Stage.HANDOVER: (
        "finish-deliverables",
        "files",
        "credentials",
        "transition-notes",
        "brief-successor",
    ),
    Stage.SETTLEMENT: ("final-invoice", "follow-up", "refund", "escalation"),
    Stage.CLOSED: ("thank", "stop-contact", "stock-answer", "lessons"),
}

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_text(day: dt.date, locale: str) -> str:
    """A date as a letter in that language would write it."""
    if locale == "fi":
        return f"{day.day}.{day.month}.{day.year}"
    if locale == "cs":
        return f"{day.day}. {day.month}. {day.year}"
    if locale == "tr":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def money_text(amount: Decimal, currency: str, locale: str) -> str:
    text = f"{amount:,.2f}"
    if locale in ("fi", "cs"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    elif locale == "tr":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} {currency}"


def _id_source(rng: random.Random) -> Callable[[], str]:
    def new() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    return new


class _Script:
    """Builds one client step by step, the way the services would, with its history."""

    def __init__(
        self,
        today: dt.date,
        new_id: Callable[[], str],
        *,
        name: str,
        created: int,
        email: str = "",
        company: str = "",
        locale: str = "en",
        currency: str = "EUR",
        archetype: Archetype | None = None,
        contract: Contract | None = None,
        detail: bool = True,
    ) -> None:
        self.today = today
        self.new_id = new_id
        self.detail = detail
        self._per_day: dict[dt.date, int] = {}
        self.c = Client(
            name=name,
            id=new_id(),
            email=email,
            company=company,
            locale=locale,
            currency=currency,
            archetype=archetype,
            created=self.day(created),
            contract=contract or Contract(),
        )
        self._event(created, "create", f"added {name}", None, Stage.ASSESSMENT.value)

    # --- helpers -------------------------------------------------------------------------------

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def text(self, offset: int) -> str:
        return date_text(self.day(offset), self.c.locale)

    def money(self, amount: Decimal) -> str:
        return money_text(amount, self.c.currency, self.c.locale)

    def _event(
        self, offset: int, action: str, summary: str, old: Any = None, new: Any = None
    ) -> None:
        day = self.day(offset)
        n = self._per_day.get(day, 0)
        self._per_day[day] = n + 1
        at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(minutes=4 * n)
        if not self.detail:
            # Generated clients keep a short history (see done()).
            if action not in _COMPACT_ACTIONS:
                return
            old = None if isinstance(old, dict | list) else old
            new = None if isinstance(new, dict | list) else new
        self.c.history.append(HistoryEvent(at, DEMO_ACTOR, action, summary, old, new))

    def done(self) -> Client:
        history = sorted(self.c.history, key=lambda e: e.at)
        if not self.detail:  # creation and the move into the current stage
            moves = [e for e in history if e.action == "move"]
            history = [e for e in history if e.action != "move"] + moves[-1:]
        self.c.history = history
        return self.c

    # --- the steps -----------------------------------------------------------------------------

    def flag(
        self, offset: int, category: Category, severity: int, text: str, evidence: str = ""
    ) -> RedFlag:
        f = RedFlag(category, text, self.day(offset), severity, evidence, id=self.new_id())
        self.c.flags.append(f)
        self._event(offset, "flag", f"red flag ({category.value}): {text}", None, f.to_dict())
        return f

    def assess(
        self,
        offset: int,
        revenue: str | None,
        hours: str | None,
        *,
        financial: str = "",
        operational: str = "",
        long_term: str = "",
        recommendation: Decision | None = None,
    ) -> None:
        old = self.c.assessment.to_dict()
        self.c.assessment = Assessment(
            revenue=None if revenue is None else parse_amount(revenue),
            hours=None if hours is None else parse_amount(hours),
            financial=financial,
            operational=operational,
            long_term=long_term,
            recommendation=recommendation,
            on=self.day(offset),
        )
        self._event(offset, "assess", "assessment updated", old, self.c.assessment.to_dict())

    def repair(self, offset: int, strategy: str, review: int, notes: str = "") -> RepairAttempt:
        attempt = RepairAttempt(
            strategy, self.day(offset), self.day(review), notes=notes, id=self.new_id()
        )
        self.c.repairs.append(attempt)
        summary = f"repair attempt: {strategy}, review {attempt.review}"
        self._event(offset, "repair", summary, None, attempt.to_dict())
        return attempt

    def repair_outcome(
        self, offset: int, attempt: RepairAttempt, outcome: RepairOutcome, notes: str = ""
    ) -> None:
        attempt.outcome = outcome
        if notes:
            attempt.notes = notes
        summary = f"repair '{attempt.strategy}' ended: {outcome.value}"
        self._event(offset, "repair-outcome", summary, None, outcome.value)

    def decide(self, offset: int, decision: Decision, reason: str) -> None:
        self.c.decision = DecisionRecord(decision, reason, self.day(offset))
        summary = f"decided to {decision.value}: {reason}"
        if decision is Decision.KEEP:
            summary += f" (retained, was in {self.c.stage.value})"
            self.c.stage, self.c.outcome = Stage.CLOSED, Outcome.RETAINED
        self._event(offset, "decide", summary, None, self.c.decision.to_dict())

    def move(self, offset: int, target: Stage) -> None:
        check = check_move(self.c, target)
        if check.missing:  # a bug in a script below, never a user error
            raise RuntimeError(
                f"demo client {self.c.name} fails the {target} gate: {check.missing}"
            )
        old = self.c.stage
        self.c.stage = target
        if target is Stage.CLOSED:
            self.c.outcome = Outcome.OFFBOARDED
        self._event(
            offset, "move", f"moved from {old.value} to {target.value}", old.value, target.value
        )

    def converse(self, offset: int, channel: Channel, period: str) -> Conversation:
        on = self.day(offset)
        parsed = notice.parse_period(period)
        last = notice.last_working_day(on, parsed)
        self.c.conversation = Conversation(on, channel, parsed.describe(), last)
        summary = f"conversation on {on} by {channel.value}; last working day {last}"
        self._event(offset, "conversation", summary, None, self.c.conversation.to_dict())
        return self.c.conversation

    def tick(
        self, offset: int, stage: Stage, items: Iterable[str], waived: Iterable[str] = ()
    ) -> None:
        ticks = self.c.checklist.setdefault(stage.value, {})
        changed = {}
        for item in items:
            changed[item] = "done"
        for item in waived:
            changed[item] = "waived"
        unknown = set(changed) - set(CHECKLIST_ITEMS[stage])
        if unknown:
            raise RuntimeError(f"demo ticks unknown {stage} checklist items {unknown}")
        ticks.update(changed)
        if len(changed) == 1:
            (item, state), *_ = changed.items()
            summary = f"{stage.value} checklist: {item} -> {state}"
        else:
            summary = f"{stage.value} checklist: {len(changed)} items ticked"
        self._event(offset, "checklist", summary, None, changed)

    def tick_all(self, offset: int, stage: Stage, waived: Sequence[str] = ()) -> None:
        items = [i for i in CHECKLIST_ITEMS[stage] if i not in waived]
        self.tick(offset, stage, items, waived)

    def deliverable(
        self, offset: int, title: str, due: int | None, done: int | None = None
    ) -> Deliverable:
        item = Deliverable(title, None if due is None else self.day(due), id=self.new_id())
        self.c.deliverables.append(item)
        summary = f"deliverable: {title}" + (f", due {item.due}" if item.due else "")
        self._event(offset, "deliverable", summary, None, item.to_dict())
        if done is not None:
            item.done = True
            self._event(done, "deliverable-done", f"deliverable '{title}' done", False, True)
        return item

    def handover(
        self,
        offset: int,
        kind: HandoverKind,
        label: str,
        status: HandoverStatus | None = None,
        settled: int | None = None,
    ) -> HandoverItem:
        """A handover item; with `settled` (a day) and no status it was handed over then."""
        item = HandoverItem(kind, label, id=self.new_id())
        self.c.handover.append(item)
        self._event(offset, "handover", f"handover item ({kind.value}): {label}", None, None)
        if status is None:
            status = HandoverStatus.PENDING if settled is None else HandoverStatus.HANDED_OVER
        if status is not HandoverStatus.PENDING:
            when = offset if settled is None else settled
            item.status, item.on = status, self.day(when)
            summary = f"handover '{label}': {status.value}"
            self._event(when, "handover-status", summary, "pending", status.value)
        return item

    def invoice(
        self, offset: int, number: str, amount: str, due: int, *, final: bool = False
    ) -> Invoice:
        inv = Invoice(
            number,
            parse_amount(amount),
            self.day(offset),
            self.day(due),
            final=final,
            id=self.new_id(),
        )
        self.c.invoices.append(inv)
        summary = f"invoice {number}: {inv.amount} {self.c.currency}, due {inv.due}"
        self._event(offset, "invoice", summary, None, inv.to_dict())
        return inv

    def pay(self, offset: int, inv: Invoice, amount: str | None = None) -> None:
        value = inv.outstanding if amount is None else parse_amount(amount)
        before = inv.outstanding
        inv.payments.append(Payment(value, self.day(offset)))
        summary = f"payment of {value} {self.c.currency} on invoice {inv.number}"
        self._event(offset, "payment", summary, str(before), str(inv.outstanding))

    def write_off(self, offset: int, inv: Invoice) -> None:
        owed = inv.outstanding
        inv.written_off = True
        summary = f"wrote off {owed} {self.c.currency} on invoice {inv.number}"
        self._event(offset, "write-off", summary, str(owed), "0.00")

    def letter(
        self,
        offset: int,
        template: str,
        subject: str,
        body: str,
        channel: Channel = Channel.EMAIL,
    ) -> LetterRecord:
        record = LetterRecord(
            template, subject, body, channel, self.day(offset), self.c.locale, id=self.new_id()
        )
        self.c.letters.append(record)
        new = {"id": record.id, "template": template, "channel": channel.value}
        self._event(offset, "letter", f"letter '{subject}' sent by {channel.value}", None, new)
        return record

    def lessons(self, offset: int, text: str) -> None:
        self.c.lessons = text
        self._event(offset, "lessons", "lessons learned recorded", "", text)


# --- the demo clients ----------------------------------------------------------------------------

Factory = Callable[[dt.date, Callable[[], str]], Client]
_DEMO: list[Factory] = []


def _demo(fn: Factory) -> Factory:
    _DEMO.append(fn)
    return fn


@_demo
def _juniper_vale(today: dt.date, ids: Callable[[], str]) -> Client:
    """Assessment; a time sink; flags still being collected, numbers half done."""
    s = _Script(
        today,
        ids,
        name="Juniper & Vale Interiors",
        company="Juniper & Vale Interiors Ltd",
        email="studio@junipervale.example.com",
        locale="en",
        currency="GBP",
        archetype=Archetype.TIME_SINK,
        created=-210,
        contract=Contract(
            notice_period="30 days",
            termination_clause="Either party may end the agreement with 30 days' written notice.",
            payment_terms_days=30,
            hourly_rate=Decimal("65.00"),
        ),
    )
    first = s.invoice(-75, "JV-1041", "1950.00", -45)
    s.pay(-41, first)
    s.flag(
        -62,
        Category.TIME,
        2,
        "Third planning call in a row started without the agreed samples; it ran 40 minutes over.",
        "Calendar: showroom planning call",
    )
    s.flag(
        -35,
        Category.COMMUNICATION,
        1,
        "Approval of the showroom mood boards took 19 days; the schedule slipped by two weeks.",
        "Email 'Re: Mood boards v2'",
    )
    s.invoice(-14, "JV-1058", "2250.00", 16)
    s.flag(
        -9,
        Category.MONEY,
        2,
        "Hours logged over the last quarter exceed the estimate by 38 %, with no extra budget.",
        "timesheets/juniper-vale-last-90-days.csv",
    )
    s.tick(-8, Stage.ASSESSMENT, ["log-incidents"])
    s.assess(
        -6,
        "4200.00",
        "96.00",
        financial="About 44 GBP an hour against a target of 65; overruns are not billed.",
        operational="Overrunning calls and late approvals push two other projects back.",
    )
    s.tick(-6, Stage.ASSESSMENT, ["effective-rate"])
    return s.done()


@_demo
def _tupa_outdoor(today: dt.date, ids: Callable[[], str]) -> Client:
    """Assessment; outgrown; the review says offboard, the cool-off is still running."""
    s = _Script(
        today,
        ids,
        name="Tupa Outdoor",
        company="Tupa Outdoor Oy",
        email="toimisto@tupaoutdoor.example.org",
        locale="fi",
        currency="EUR",
        archetype=Archetype.OUTGROWN,
        created=-400,
        contract=Contract(
            notice_period="1 month", payment_terms_days=14, hourly_rate=Decimal("80.00")
        ),
    )
    inv = s.invoice(-40, "TO-2207", "3400.00", -26)
    s.pay(-27, inv)
    s.flag(
        -50,
        Category.SCOPE,
        2,
        "Asked for a full web-shop integration; my work is brand and print design.",
        "Meeting notes, web-shop kickoff",
    )
    s.flag(
        -20,
        Category.STAGNATION,
        1,
        "Three months without a brief for the print work the contract is about.",
    )
    s.flag(
        -4,
        Category.SCOPE,
        1,
        "Catalogue job now includes mapping product data from their ERP system.",
        "Email 'Tuotedata'",
    )
    s.tick(-3, Stage.ASSESSMENT, ["log-incidents", "effective-rate", "hidden-costs", "long-term"])
    s.assess(
        -2,
        "11500.00",
        "150.00",
        financial="Rate is still fine (about 77 EUR an hour), but the print work is drying up.",
        operational="New requests would mean subcontracting e-commerce work I do not offer.",
        long_term="A friendly client; a warm handover to a web agency keeps the referral.",
        recommendation=Decision.OFFBOARD,
    )
    return s.done()


@_demo
def _cobalt_kettle(today: dt.date, ids: Callable[[], str]) -> Client:
    """Repair; a micromanager; a weekly call is being tried, review in two days."""
    s = _Script(
        today,
        ids,
        name="Cobalt Kettle Coffee Roasters",
        company="Cobalt Kettle Coffee Roasters LLC",
        email="ops@cobaltkettle.example.com",
        locale="en",
        currency="USD",
        archetype=Archetype.MICROMANAGER,
        created=-300,
        contract=Contract(
            notice_period="30 days", payment_terms_days=30, hourly_rate=Decimal("90.00")
        ),
    )
    paid = s.invoice(-60, "CK-311", "4800.00", -30)
    s.flag(
        -70,
        Category.RESPECT,
        2,
        "Packaging proposal returned with line-by-line rewrites; third round on the same label.",
        "Email 'Label v3 comments'",
    )
    s.flag(
        -48,
        Category.COMMUNICATION,
        2,
        "Six follow-up messages between 9 pm and midnight about a non-urgent colour choice.",
        "Chat export, label channel",
    )
    s.flag(-33, Category.RESPECT, 1, "Asked for hourly status updates during the product shoot.")
    s.pay(-31, paid)
    s.tick_all(-30, Stage.ASSESSMENT)
    s.assess(
        -30,
        "14800.00",
        "210.00",
        financial="Pays on time; the rate falls below target because of extra review rounds.",
        operational="Late-evening messages break focus for the next morning.",
        long_term="Long relationship with good referrals in the local food scene.",
        recommendation=Decision.REPAIR,
    )
    s.decide(-29, Decision.REPAIR, "Review rounds clash with my way of working; try a cadence.")
    s.repair(
        -28,
        "Weekly check-in call on Mondays; feedback collected in one shared document",
        2,
    )
    s.move(-28, Stage.REPAIR)
    s.letter(
        -28,
        "repair-proposal",
        "A steadier rhythm for our work together",
        "Hello Cobalt Kettle team,\n\n"
        "To keep the packaging work moving, I suggest a 30-minute call every Monday morning. "
        "Between calls, please collect feedback in the shared document rather than in chat; "
        "I will work through it before each call. I will reply to messages on weekdays between "
        "9:00 and 17:00.\n\n"
        f"Let us look at how this works on {s.text(2)}.\n\nThank you,",
    )
    s.tick(-28, Stage.REPAIR, ["own-part", "cadence", "review-date"])
    s.invoice(-10, "CK-327", "3600.00", 20)
    return s.done()


@_demo
def _kirmizi_kapi(today: dt.date, ids: Callable[[], str]) -> Client:
    """Repair; a non-payer; the payment-plan review is overdue and an invoice is past due."""
    s = _Script(
        today,
        ids,
        name="Kırmızı Kapı Mimarlık",
        company="Kırmızı Kapı Mimarlık Ltd. Şti.",
        email="muhasebe@kirmizikapi.example.org",
        locale="tr",
        currency="EUR",
        archetype=Archetype.NON_PAYER,
        created=-260,
        contract=Contract(
            notice_period="30 days", payment_terms_days=15, hourly_rate=Decimal("70.00")
        ),
    )
    a = s.invoice(-140, "KK-118", "2800.00", -125)
    b = s.invoice(-100, "KK-131", "3200.00", -85)
    s.pay(-80, a)
    s.flag(
        -80,
        Category.PAYMENT,
        2,
        "KK-118 paid 45 days after its due date, after three reminders.",
        "Invoice KK-118",
    )
    reminders = s.repair(-78, "Reminder on the due date and again one week later", -50)
    s.move(-78, Stage.REPAIR)
    s.pay(-45, b, "1600.00")
    s.flag(
        -44,
        Category.PAYMENT,
        2,
        "Disputed the hours on KK-131 without naming a specific item; paid in two parts.",
        "Invoice KK-131; email 'Fatura hakkında'",
    )
    s.repair_outcome(
        -50,
        reminders,
        RepairOutcome.NO_CHANGE,
        "Reminders were acknowledged; payments stayed late.",
    )
    c = s.invoice(-42, "KK-140", "2600.00", -27)
    s.tick_all(-32, Stage.ASSESSMENT)
    s.assess(
        -32,
        "8600.00",
        "130.00",
        financial="About 66 EUR an hour; the real cost is the cash flow gap of 4-6 weeks.",
        operational="Chasing payments takes two to three hours a month.",
        long_term="Interesting projects and a good portfolio piece if payment can be fixed.",
        recommendation=Decision.REPAIR,
    )
    s.decide(-31, Decision.REPAIR, "Late payment is the one real problem; try a deposit model.")
    s.repair(-30, "50 % deposit before each phase, and a payment plan for KK-140", -3)
    s.letter(
        -30,
        "repair-proposal",
        "Ödeme düzeni için öneri",
        "Merhaba,\n\n"
        "çalışmalarımızı düzenli sürdürebilmek için bir öneride bulunmak istiyorum: bundan "
        "sonra her aşamanın başında %50 avans, kalan tutar teslimde ödenir. KK-140 numaralı "
        f"faturanın açık tutarı için iki eşit taksit öneriyorum: {s.text(-16)} ve {s.text(-3)}."
        "\n\nUygunsa bu e-postayı yanıtlamanız yeterli. Teşekkür ederim.\n\nSaygılarımla,",
    )
    s.tick(-30, Stage.REPAIR, ["own-part", "new-agreement", "review-date"], waived=["cadence"])
    s.pay(-20, b)
    s.pay(-14, c, "1300.00")
    s.flag(
        -2,
        Category.PAYMENT,
        3,
        "Second instalment of KK-140 not paid on the agreed date; asked for a 20 % discount.",
        "Invoice KK-140",
    )
    return s.done()


@_demo
def _brightmoss(today: dt.date, ids: Callable[[], str]) -> Client:
    """Preparation; a scope creeper; the change-order attempt failed, planning the exit."""
    s = _Script(
        today,
        ids,
        name="Brightmoss Landscaping",
        company="Brightmoss Landscaping Ltd",
        email="office@brightmoss.example.com",
        locale="en",
        currency="GBP",
        archetype=Archetype.SCOPE_CREEPER,
        created=-330,
        contract=Contract(
            notice_period="30 days",
            termination_clause=(
                "30 days' written notice by either party; work in progress is invoiced pro rata."
            ),
            payment_terms_days=30,
            hourly_rate=Decimal("60.00"),
        ),
    )
    s.flag(
        -120,
        Category.SCOPE,
        2,
        "Booking form grew from 4 to 11 fields plus a quote calculator, inside the fixed price.",
        "Email 'Small additions'",
    )
    s.flag(
        -90,
        Category.SCOPE,
        2,
        "Asked for a full redesign of the gallery two days before launch.",
        "Launch checklist, gallery section",
    )
    attempt = s.repair(-85, "Change-order form for anything outside the signed scope", -55)
    s.move(-85, Stage.REPAIR)
    s.tick(-85, Stage.REPAIR, ["own-part", "new-agreement", "review-date"], waived=["cadence"])
    s.flag(
        -58,
        Category.VALUES,
        1,
        "Called the change-order form unnecessary paperwork and asked to drop it.",
    )
    s.repair_outcome(
        -55, attempt, RepairOutcome.WORSE, "Requests moved to phone calls to avoid the form."
    )
    old = s.invoice(-60, "BM-2071", "2400.00", -30)
    s.pay(-29, old)
    s.flag(
        -25,
        Category.SCOPE,
        3,
        "Fourth unpaid extra this month: seasonal landing pages expected at no charge.",
        "Change log, entries 14-17",
    )
    s.invoice(-25, "BM-2090", "1450.00", 5)
    s.tick_all(-20, Stage.ASSESSMENT)
    s.assess(
        -20,
        "7900.00",
        "205.00",
        financial="About 39 GBP an hour against a target of 60; extras are never paid.",
        operational="Unplanned requests break the schedule for two other clients.",
        long_term="Some local referrals, but the work no longer shows what I do best.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -16,
        Decision.OFFBOARD,
        "The work requested keeps growing beyond the agreed scope; change orders have not held.",
    )
    s.move(-16, Stage.PREPARATION)
    s.deliverable(-16, "Contact form spam filter", -5, done=-6)
    s.deliverable(-16, "Seasonal planting guide page", 12)
    s.tick(-12, Stage.PREPARATION, ["termination-clause", "obligations", "documentation"])
    s.tick(-4, Stage.PREPARATION, ["timing"])
    return s.done()


@_demo
def _modry_kos(today: dt.date, ids: Callable[[], str]) -> Client:
    """Preparation; a non-payer; collecting what is owed before announcing anything."""
    s = _Script(
        today,
        ids,
        name="Pražírna Modrý Kos",
        company="Pražírna Modrý Kos s.r.o.",
        email="fakturace@modrykos.example.org",
        locale="cs",
        currency="CZK",
        archetype=Archetype.NON_PAYER,
        created=-280,
        contract=Contract(
            notice_period="1 month", payment_terms_days=14, hourly_rate=Decimal("1600.00")
        ),
    )
    first = s.invoice(-120, "MK-2301", "38000.00", -106)
    s.pay(-70, first)
    s.flag(
        -70,
        Category.PAYMENT,
        2,
        "MK-2301 paid five weeks late, after two reminders.",
        "Invoice MK-2301",
    )
    second = s.invoice(-62, "MK-2309", "42500.00", -48)
    s.flag(
        -40,
        Category.PAYMENT,
        2,
        "Asked for a 30 % discount on MK-2309 after the work had been approved.",
        "Email 'Sleva'",
    )
    third = s.invoice(-27, "MK-2314", "24000.00", -13)
    s.flag(
        -12,
        Category.PAYMENT,
        3,
        "Two invoices overdue; no reply to reminders for ten days.",
        "Invoices MK-2309, MK-2314",
    )
    s.tick_all(-10, Stage.ASSESSMENT)
    s.assess(
        -10,
        "104500.00",
        "68.00",
        financial="The rate on paper is fine, but 66,500 CZK is open and two months late.",
        operational="Chasing payments now takes more time than the roasting-label work itself.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(-8, Decision.OFFBOARD, "Invoices are paid late again and again despite agreed terms.")
    s.move(-8, Stage.PREPARATION)
    s.tick(-7, Stage.PREPARATION, ["termination-clause", "obligations", "documentation"])
    s.letter(
        -5,
        "payment-reminder",
        f"Upomínka: faktury {second.number} a {third.number}",
        "Dobrý den,\n\n"
        f"připomínám dvě neuhrazené faktury: {second.number} na {s.money(second.amount)} "
        f"se splatností {s.text(-48)} a {third.number} na {s.money(third.amount)} "
        f"se splatností {s.text(-13)}.\n\n"
        f"Prosím o úhradu do {s.text(2)}. Pokud platba mezitím odešla, považujte tuto zprávu "
        "za bezpředmětnou.\n\nDěkuji a přeji hezký den,",
    )
    return s.done()


@_demo
def _lakeside(today: dt.date, ids: Callable[[], str]) -> Client:
    """Notice, running; a time sink; notice given by phone nine days ago."""
    s = _Script(
        today,
        ids,
        name="Lakeside Pilates Collective",
        email="hello@lakesidepilates.example.com",
        locale="en",
        currency="USD",
        archetype=Archetype.TIME_SINK,
        created=-380,
        contract=Contract(
            notice_period="30 days",
            termination_clause="Monthly retainer; either side may end it with 30 days' notice.",
            payment_terms_days=14,
            hourly_rate=Decimal("75.00"),
        ),
    )
    s.flag(
        -110,
        Category.TIME,
        2,
        "Spring campaign schedule changed four times; the class list is still not decided.",
    )
    s.flag(
        -84,
        Category.TIME,
        2,
        "Two review meetings cancelled at short notice; the site launch moved twice.",
        "Calendar, review meetings",
    )
    s.flag(
        -60,
        Category.MONEY,
        2,
        "The retainer covers 10 hours a month; the last three months took 19, 22 and 17.",
        "timesheets/lakeside-retainer.csv",
    )
    s.flag(-41, Category.COMMUNICATION, 1, "Text for the timetable page missing after 5 requests.")
    for n, offset in enumerate((-95, -65, -35)):
        inv = s.invoice(offset, f"LP-{75 + n * 3}", "750.00", offset + 14)
        s.pay(offset + 12, inv)
    s.tick_all(-38, Stage.ASSESSMENT)
    s.assess(
        -38,
        "9000.00",
        "186.00",
        financial="About 48 USD an hour against a retainer priced at 75.",
        operational="Rescheduled meetings fragment the week for other clients.",
        long_term="A pleasant team, but the work will not grow into what I want to do.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(-33, Decision.OFFBOARD, "The engagement no longer fits how my business runs.")
    s.move(-33, Stage.PREPARATION)
    s.deliverable(-30, "Booking widget fix", -20, done=-21)
    s.tick_all(-15, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    last = s.converse(-9, Channel.PHONE, "30 days").last_day
    s.letter(
        -9,
        "confirmation",
        "Confirming our conversation today",
        "Hello Lakeside team,\n\n"
        "Thank you for the call this morning. As discussed, I am ending our retainer: the "
        "engagement no longer fits how my business runs. My last working day for you is "
        f"{date_text(last, 'en')}.\n\n"
        f"Before then I will deliver the spring class timetable page ({s.text(7)}) and the "
        f"newsletter template ({s.text(15)}), and hand over the site files and logins. "
        "If it helps, I can suggest two studios that could take over the site.\n\n"
        "Thank you for the year of good work together.",
    )
    s.move(-9, Stage.NOTICE)
    s.tick(-9, Stage.NOTICE, ["conversation", "written-notice", "last-day-shared"])
    s.deliverable(-9, "Spring class timetable page", 7)
    s.deliverable(-9, "Newsletter template", 15)
    s.handover(-8, HandoverKind.FILE, "Website source files and image library")
    s.handover(-8, HandoverKind.CREDENTIAL, "Hosting control panel login (to the studio's account)")
    s.invoice(-5, "LP-84", "750.00", 9)
    return s.done()


@_demo
def _revontuli(today: dt.date, ids: Callable[[], str]) -> Client:
    """Notice, running; a micromanager; notice by video call three days ago."""
    s = _Script(
        today,
        ids,
        name="Kuvaamo Revontuli",
        company="Kuvaamo Revontuli Oy",
        email="studio@revontulikuvaamo.example.org",
        locale="fi",
        currency="EUR",
        archetype=Archetype.MICROMANAGER,
        created=-240,
        contract=Contract(
            notice_period="10 business days", payment_terms_days=14, hourly_rate=Decimal("85.00")
        ),
    )
    s.flag(
        -95,
        Category.RESPECT,
        2,
        "Approved retouching choices reversed afterwards; fourth round on the same set.",
        "Shared folder spring-catalogue/round-4",
    )
    s.flag(-66, Category.RESPECT, 2, "Asked to watch my screen during every editing session.")
    attempt = s.repair(-60, "Two fixed feedback rounds per set, collected in one document", -30)
    s.move(-60, Stage.REPAIR)
    s.tick(-60, Stage.REPAIR, ["own-part", "cadence", "review-date"], waived=["new-agreement"])
    s.flag(
        -40,
        Category.COMMUNICATION,
        1,
        "Instructions split over email, chat and voice messages, often contradicting each other.",
    )
    s.repair_outcome(
        -30, attempt, RepairOutcome.NO_CHANGE, "Feedback kept arriving outside the agreed rounds."
    )
    paid = s.invoice(-45, "RK-55", "2100.00", -31)
    s.pay(-33, paid)
    s.tick_all(-28, Stage.ASSESSMENT)
    s.assess(
        -28,
        "6200.00",
        "110.00",
        financial="About 56 EUR an hour against a target of 85.",
        operational="Extra rounds push the other studio work into evenings.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -24, Decision.OFFBOARD, "Our working styles differ too much for me to do my best work."
    )
    s.move(-24, Stage.PREPARATION)
    s.deliverable(-24, "Retouched portraits, 12 images", -10, done=-11)
    s.tick_all(-10, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    last = s.converse(-3, Channel.VIDEO, "10 business days").last_day
    s.letter(
        -3,
        "confirmation",
        "Vahvistus tämänpäiväisestä keskustelustamme",
        "Hei,\n\n"
        "kiitos tämänpäiväisestä keskustelusta. Kuten kerroin, yhteistyömme päättyy: "
        "työskentelytapamme eroavat liikaa, jotta voisin tehdä parhaan työni teille. "
        f"Viimeinen työpäiväni on {date_text(last, 'fi')}.\n\n"
        f"Sitä ennen toimitan kesäkuvaston tuotekuvat ({s.text(6)}) ja kaikki lähdetiedostot "
        "järjestettyinä. Voin suositella kahta kuvaajaa, jotka työskentelevät mielellään "
        "tiiviisti asiakkaan kanssa.\n\nKiitos yhteistyöstä.\n\nYstävällisin terveisin",
    )
    s.move(-3, Stage.NOTICE)
    s.tick(-3, Stage.NOTICE, ["conversation", "written-notice"])
    s.deliverable(-3, "Product photos, summer catalogue", 6)
    s.invoice(-3, "RK-61", "1700.00", 11)
    return s.done()


@_demo
def _saltmarsh(today: dt.date, ids: Callable[[], str]) -> Client:
    """Handover; abusive; the last working day has passed and one item is still pending."""
    s = _Script(
        today,
        ids,
        name="Saltmarsh Studio",
        company="Saltmarsh Studio Ltd",
        email="admin@saltmarsh-studio.test",
        locale="en",
        currency="GBP",
        archetype=Archetype.ABUSIVE,
        created=-190,
        contract=Contract(
            notice_period="14 days", payment_terms_days=14, hourly_rate=Decimal("70.00")
        ),
    )
    early = s.invoice(-70, "SM-301", "1800.00", -56)
    s.pay(-57, early)
    s.flag(
        -52,
        Category.COMMUNICATION,
        2,
        "Messages demanding a reply within the hour, weekends included.",
        "Chat export, weekend of the homepage launch",
    )
    s.flag(
        -38,
        Category.ABUSE,
        3,
        "Insulting remarks about my assistant's work in a group email.",
        "Email 'Re: Homepage copy' (saved as PDF)",
    )
    second = s.invoice(-35, "SM-309", "1400.00", -21)
    s.flag(
        -31,
        Category.ABUSE,
        3,
        "Threatened a public negative review unless the next phase was delivered free.",
        "Email 'Last chance' (saved as PDF)",
    )
    s.tick_all(-30, Stage.ASSESSMENT, waived=["cool-off"])
    s.assess(
        -30,
        "5600.00",
        "88.00",
        operational="My assistant no longer works on this account; stress spills into other work.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(-29, Decision.OFFBOARD, "The tone of recent messages means the work cannot continue.")
    s.move(-29, Stage.PREPARATION)
    s.deliverable(-29, "Homepage copy, final version", -24, done=-24)
    s.pay(-27, second)
    s.tick_all(-23, Stage.PREPARATION, waived=["referrals"])
    last = s.converse(-22, Channel.EMAIL, "14 days").last_day
    s.letter(
        -22,
        "termination-abusive",
        "Notice of termination",
        "Hello,\n\n"
        "I am ending our agreement with the 14 days' notice it sets out. My last working day "
        f"on the account is {date_text(last, 'en')}.\n\n"
        "Before then you will receive the final homepage files, the status notes and the "
        "transfer of the domain to your registrar account. From now on I will answer in "
        "writing only, by email.\n\nThank you,",
    )
    s.move(-22, Stage.NOTICE)
    s.tick_all(-22, Stage.NOTICE)
    s.handover(-20, HandoverKind.FILE, "Final homepage files and image library", settled=-13)
    s.handover(-20, HandoverKind.DOCUMENT, "Status notes: open tasks and next steps", settled=-13)
    s.handover(
        -20,
        HandoverKind.CREDENTIAL,
        "CMS editor accounts of my team removed",
        HandoverStatus.REVOKED,
        settled=-12,
    )
    s.handover(-20, HandoverKind.CREDENTIAL, "Domain transfer to the client's registrar account")
    s.move(-12, Stage.HANDOVER)
    s.tick(
        -12,
        Stage.HANDOVER,
        ["finish-deliverables", "files", "transition-notes"],
        waived=["brief-successor"],
    )
    return s.done()


@_demo
def _ekin(today: dt.date, ids: Callable[[], str]) -> Client:
    """Handover, running; outgrown; warm exit with referrals, handing over to an in-house team."""
    s = _Script(
        today,
        ids,
        name="Ekin Yazılım",
        company="Ekin Yazılım A.Ş.",
        email="iletisim@ekinyazilim.example.com",
        locale="tr",
        currency="USD",
        archetype=Archetype.OUTGROWN,
        created=-520,
        contract=Contract(
            notice_period="1 month",
            termination_clause="One month's written notice; source files belong to the client.",
            payment_terms_days=30,
            hourly_rate=Decimal("95.00"),
        ),
    )
    s.flag(-90, Category.STAGNATION, 1, "Briefs shrink as the new in-house team takes over design.")
    s.flag(-60, Category.SCOPE, 1, "Asked for backend API work, which is outside my field.")
    s.flag(
        -45,
        Category.TIME,
        1,
        "Approvals now pass through three departments and take weeks.",
        "Approval thread for the icon set",
    )
    for n, offset in enumerate((-100, -70, -40)):
        inv = s.invoice(offset, f"EK-{900 + n * 4}", "4800.00", offset + 30)
        s.pay(offset + 27, inv)
    s.tick_all(-40, Stage.ASSESSMENT)
    s.assess(
        -40,
        "22000.00",
        "240.00",
        financial="About 92 USD an hour, close to target; volume is falling.",
        long_term="A strong reference; a product agency will serve their new direction better.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -36,
        Decision.OFFBOARD,
        "The company has grown in a direction a larger team will serve better.",
    )
    s.move(-36, Stage.PREPARATION)
    s.deliverable(-30, "Design system documentation", -4, done=-5)
    s.tick_all(-20, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    last = s.converse(-14, Channel.IN_PERSON, "1 month").last_day
    s.letter(
        -14,
        "confirmation",
        "Bugünkü görüşmemizin teyidi",
        "Merhaba,\n\n"
        "bugünkü görüşmemiz için teşekkür ederim. Konuştuğumuz gibi işbirliğimizi "
        "sonlandırıyoruz: şirketiniz, daha büyük bir ekibin daha iyi hizmet verebileceği bir "
        f"yöne büyüdü. Son çalışma günüm {date_text(last, 'tr')}.\n\n"
        f"O tarihe kadar son ikon setini ({s.text(6)}) teslim edeceğim ve tüm tasarım "
        "dosyalarını notlarıyla birlikte ekibinize aktaracağım. Ürün tasarımında uzman iki "
        "ajansın iletişim bilgilerini de ekte bulabilirsiniz.\n\n"
        "Birlikte geçirdiğimiz yıllar için içtenlikle teşekkür ederim.\n\nSaygılarımla,",
    )
    s.move(-14, Stage.NOTICE)
    s.tick_all(-14, Stage.NOTICE)
    s.deliverable(-14, "Final icon set", 6)
    s.invoice(-12, "EK-912", "5400.00", 18)
    s.move(-6, Stage.HANDOVER)
    s.handover(-6, HandoverKind.FILE, "Design source files and exported assets", settled=-5)
    s.handover(-6, HandoverKind.CREDENTIAL, "Hosting admin login", HandoverStatus.HANDED_OVER, -5)
    s.handover(-6, HandoverKind.CONTACT, "Printer and font vendor contacts", settled=-4)
    s.handover(
        -6,
        HandoverKind.FILE,
        "Brand photo archive (the client holds the originals)",
        HandoverStatus.WAIVED,
        -4,
    )
    s.handover(-6, HandoverKind.DOCUMENT, "Transition notes for the in-house design team")
    s.handover(-6, HandoverKind.CREDENTIAL, "Analytics account ownership")
    s.tick(-4, Stage.HANDOVER, ["files"])
    return s.done()


@_demo
def _fenwick(today: dt.date, ids: Callable[[], str]) -> Client:
    """Settlement; a non-payer; the final invoice is overdue and part-paid."""
    s = _Script(
        today,
        ids,
        name="Fenwick & Daughters Bakery",
        email="accounts@fenwickbakery.example.com",
        locale="en",
        currency="EUR",
        archetype=Archetype.NON_PAYER,
        created=-450,
        contract=Contract(
            notice_period="30 days", payment_terms_days=14, hourly_rate=Decimal("60.00")
        ),
    )
    a = s.invoice(-190, "FD-0411", "1200.00", -176)
    s.pay(-140, a)
    s.flag(-140, Category.PAYMENT, 2, "FD-0411 paid 36 days late.", "Invoice FD-0411")
    attempt = s.repair(-138, "Work on the next phase starts once the open invoice is paid", -110)
    s.move(-138, Stage.REPAIR)
    s.tick_all(-138, Stage.REPAIR)
    b = s.invoice(-130, "FD-0428", "1650.00", -116)
    s.pay(-85, b)
    s.flag(
        -84,
        Category.PAYMENT,
        2,
        "FD-0428 paid 31 days late; asked to start the next phase before paying.",
        "Invoice FD-0428",
    )
    s.repair_outcome(-110, attempt, RepairOutcome.NO_CHANGE, "Work paused twice; payments late.")
    s.flag(
        -75,
        Category.PAYMENT,
        3,
        "Refused to sign the new payment terms (deposit, 14 days).",
        "Email 'Terms'",
    )
    s.tick_all(-72, Stage.ASSESSMENT)
    s.assess(
        -72,
        "6400.00",
        "102.00",
        financial="About 63 EUR an hour on paper; every invoice arrives a month late.",
        operational="Cash flow planning around this client is a monthly chore.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -70,
        Decision.OFFBOARD,
        "Payment of open invoices comes before further work, and it has been late too often.",
    )
    s.move(-70, Stage.PREPARATION)
    s.tick_all(-55, Stage.PREPARATION, waived=["legal-advice"])
    s.deliverable(-55, "Autumn menu print files", -40, done=-41)
    last = s.converse(-52, Channel.PHONE, "30 days").last_day
    s.letter(
        -52,
        "termination-payment",
        "Ending our agreement",
        "Hello Fenwick & Daughters team,\n\n"
        "Following our call today, I confirm that I am ending our agreement with 30 days' "
        f"notice; my last working day is {date_text(last, 'en')}. Payment of open invoices "
        "has to come before any further work, and it has been late too often.\n\n"
        "I will finish the autumn menu print files and send a final, itemised invoice after "
        "the handover.\n\nThank you for the work we did together.",
    )
    s.move(-52, Stage.NOTICE)
    s.tick_all(-52, Stage.NOTICE)
    s.move(-35, Stage.HANDOVER)
    s.handover(-35, HandoverKind.FILE, "Print-ready files for menus and labels", settled=-30)
    s.handover(-35, HandoverKind.CREDENTIAL, "Website admin login", settled=-26)
    s.handover(-35, HandoverKind.CONTACT, "Print shop contact and order history", settled=-26)
    s.tick_all(-24, Stage.HANDOVER, waived=["brief-successor"])
    s.move(-22, Stage.SETTLEMENT)
    final = s.invoice(-22, "FD-0460", "2150.00", -8, final=True)
    s.letter(-22, "final-invoice", "Final invoice FD-0460", _final_cover_en(s, final))
    s.pay(-12, final, "650.00")
    s.letter(
        -2,
        "payment-reminder",
        "Reminder: invoice FD-0460",
        "Hello,\n\n"
        f"Invoice FD-0460 was due on {s.text(-8)}. Thank you for the partial payment of "
        f"{s.money(Decimal('650.00'))}; {s.money(final.outstanding)} is still open.\n\n"
        f"Please settle the balance by {s.text(7)}. If it has already been sent, please "
        "ignore this message.\n\nThank you,",
    )
    s.tick(-2, Stage.SETTLEMENT, ["final-invoice", "follow-up"], waived=["refund"])
    return s.done()


def _final_cover_en(s: _Script, inv: Invoice) -> str:
    return (
        "Hello,\n\n"
        f"Attached is the final invoice {inv.number} for {s.money(inv.amount)}, itemised with "
        f"all work done up to the handover. It is due on {date_text(inv.due, 'en')}.\n\n"
        "Thank you for the time we worked together."
    )


@_demo
def _hrncirka(today: dt.date, ids: Callable[[], str]) -> Client:
    """Settlement; a scope creeper; final invoice sent, due in six days."""
    s = _Script(
        today,
        ids,
        name="Studio Hrnčířka",
        company="Studio Hrnčířka s.r.o.",
        email="obchod@hrncirka.example.org",
        locale="cs",
        currency="EUR",
        archetype=Archetype.SCOPE_CREEPER,
        created=-300,
        contract=Contract(
            notice_period="1 month", payment_terms_days=14, hourly_rate=Decimal("55.00")
        ),
    )
    s.flag(
        -120,
        Category.SCOPE,
        2,
        "Product photo job grew to include styling, props and a price-list redesign.",
        "Order confirmation vs. final shot list",
    )
    s.flag(
        -95,
        Category.SCOPE,
        2,
        "Last-minute reshoot of 40 items the evening before the shop went live.",
    )
    s.flag(-80, Category.VALUES, 1, "Asked to copy a competitor's shop design one to one.")
    for n, offset in enumerate((-110, -75)):
        inv = s.invoice(offset, f"HR-{70 + n * 3}", "1650.00", offset + 14)
        s.pay(offset + 13, inv)
    s.tick_all(-64, Stage.ASSESSMENT)
    s.assess(
        -64,
        "4950.00",
        "112.00",
        financial="About 44 EUR an hour against 55 agreed; extras were never billed.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -60,
        Decision.OFFBOARD,
        "The scope keeps widening beyond what was agreed, and quality suffers.",
    )
    s.move(-60, Stage.PREPARATION)
    s.tick_all(-48, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    s.deliverable(-46, "Product photos for the e-shop, 60 items", -25, done=-26)
    last = s.converse(-45, Channel.EMAIL, "1 month").last_day
    s.letter(
        -45,
        "termination",
        "Ukončení spolupráce",
        "Dobrý den,\n\n"
        "děkuji za dosavadní spolupráci. Po zvážení ji ukončuji: rozsah práce se opakovaně "
        "rozšiřuje nad rámec dohody a to se projevuje na kvalitě, kterou vám mohu nabídnout. "
        f"Výpovědní lhůta je jeden měsíc, poslední pracovní den je {date_text(last, 'cs')}.\n\n"
        "Do té doby dokončím rozpracované fotografie pro e-shop a předám všechny podklady. "
        "Mohu doporučit dvě studia, která se věnují průběžné správě e-shopů.\n\nS pozdravem",
    )
    s.move(-45, Stage.NOTICE)
    s.tick_all(-45, Stage.NOTICE)
    s.move(-24, Stage.HANDOVER)
    s.handover(-24, HandoverKind.FILE, "Edited photos and RAW files", settled=-20)
    s.handover(-24, HandoverKind.DOCUMENT, "Shot list and styling notes", settled=-18)
    s.handover(
        -24,
        HandoverKind.CREDENTIAL,
        "E-shop admin account of my studio",
        HandoverStatus.REVOKED,
        -17,
    )
    s.tick_all(-14, Stage.HANDOVER)
    s.move(-10, Stage.SETTLEMENT)
    final = s.invoice(-8, "HR-77", "1980.00", 6, final=True)
    s.letter(
        -8,
        "final-invoice",
        f"Konečná faktura {final.number}",
        "Dobrý den,\n\n"
        f"v příloze posílám konečnou fakturu {final.number} na {s.money(final.amount)} "
        f"s rozpisem všech dokončených prací. Splatnost je {s.text(6)}.\n\n"
        "Děkuji za spolupráci a přeji hodně úspěchů.",
    )
    s.tick(-8, Stage.SETTLEMENT, ["final-invoice"], waived=["refund"])
    return s.done()


@_demo
def _greyfield(today: dt.date, ids: Callable[[], str]) -> Client:
    """Closed, offboarded; a time sink; a disputed small invoice was written off."""
    s = _Script(
        today,
        ids,
        name="Greyfield Analytics",
        company="Greyfield Analytics Inc.",
        email="finance@greyfield-analytics.example.com",
        locale="en",
        currency="USD",
        archetype=Archetype.TIME_SINK,
        created=-620,
        contract=Contract(
            notice_period="30 days", payment_terms_days=30, hourly_rate=Decimal("110.00")
        ),
    )
    s.flag(-260, Category.TIME, 2, "Weekly status meeting with no agenda, usually 90 minutes.")
    s.flag(
        -210,
        Category.MONEY,
        2,
        "Dashboard maintenance took 3 times the estimate for the quarter.",
        "timesheets/greyfield.csv",
    )
    s.flag(-180, Category.STAGNATION, 1, "Six months on, priorities still change every sprint.")
    s.tick_all(-170, Stage.ASSESSMENT)
    s.assess(
        -170,
        "18400.00",
        "260.00",
        financial="About 71 USD an hour against 110 agreed.",
        operational="Meetings take a full day a week, unbilled.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(-165, Decision.OFFBOARD, "The engagement no longer fits the business I am building.")
    s.move(-165, Stage.PREPARATION)
    s.tick_all(-130, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    last = s.converse(-120, Channel.VIDEO, "30 days").last_day
    s.letter(
        -120,
        "confirmation",
        "Confirming our call today",
        "Hello Greyfield team,\n\n"
        "Thank you for the call. As discussed, I am ending our engagement with 30 days' notice; "
        f"my last working day is {date_text(last, 'en')}. The engagement no longer fits the "
        "business I am building.\n\nI will finish the quarterly dashboard and hand over "
        "everything with notes. Thank you for the work together.",
    )
    s.move(-120, Stage.NOTICE)
    s.tick_all(-120, Stage.NOTICE)
    s.deliverable(-120, "Quarterly revenue dashboard", -100, done=-101)
    s.move(-100, Stage.HANDOVER)
    s.handover(-100, HandoverKind.FILE, "Dashboard source and SQL queries", settled=-96)
    s.handover(-100, HandoverKind.DOCUMENT, "Data pipeline runbook", settled=-95)
    s.handover(-100, HandoverKind.CREDENTIAL, "Warehouse service account handed over", settled=-95)
    s.handover(-100, HandoverKind.CONTACT, "BI vendor account manager", settled=-94)
    s.tick_all(-93, Stage.HANDOVER)
    s.move(-90, Stage.SETTLEMENT)
    disputed = s.invoice(-150, "GA-219", "330.00", -120)
    final = s.invoice(-90, "GA-241", "5200.00", -60, final=True)
    s.letter(-90, "final-invoice", "Final invoice GA-241", _final_cover_en(s, final))
    s.pay(-62, final)
    s.write_off(-60, disputed)
    s.tick_all(-60, Stage.SETTLEMENT, waived=["refund", "escalation"])
    s.letter(
        -58,
        "thank-you",
        "Thank you",
        "Hello Greyfield team,\n\n"
        "Thank you for the time we worked together. If a reference would help you with a "
        "future provider, I am glad to give one.\n\nAll the best,",
    )
    s.lessons(
        -57,
        "Missed at intake: no agenda for the first three meetings. Next time: a capped "
        "monthly meeting budget in the contract, and a paid discovery phase first.",
    )
    s.move(-57, Stage.CLOSED)
    s.tick_all(-57, Stage.CLOSED)
    return s.done()


@_demo
def _kuusi(today: dt.date, ids: Callable[[], str]) -> Client:
    """Closed, retained; a micromanager; a fortnightly call fixed it."""
    s = _Script(
        today,
        ids,
        name="Kahvila Kuusi",
        company="Kahvila Kuusi Oy",
        email="kahvila@kuusi.example.org",
        locale="fi",
        currency="EUR",
        archetype=Archetype.MICROMANAGER,
        created=-360,
        contract=Contract(
            notice_period="1 month", payment_terms_days=14, hourly_rate=Decimal("70.00")
        ),
    )
    s.flag(-130, Category.RESPECT, 2, "Every menu layout rejected twice before any discussion.")
    s.flag(-115, Category.COMMUNICATION, 1, "Changes requested by voice message late at night.")
    s.tick_all(-105, Stage.ASSESSMENT, waived=["long-term"])
    s.assess(
        -105,
        "5200.00",
        "80.00",
        financial="65 EUR an hour, close to target.",
        operational="Feedback arrives in bursts and at odd hours.",
        recommendation=Decision.REPAIR,
    )
    s.decide(-104, Decision.REPAIR, "A fixed rhythm for feedback may solve the friction.")
    attempt = s.repair(-100, "Fortnightly check-in call and one shared change log", -70)
    s.move(-100, Stage.REPAIR)
    s.letter(
        -100,
        "repair-proposal",
        "Ehdotus: tarkistuspuhelu kahden viikon välein",
        "Hei,\n\n"
        "ehdotan, että pidämme kahden viikon välein puolen tunnin puhelun, jossa käymme läpi "
        "avoimet asiat, ja kirjaamme muutospyynnöt yhteiseen muutoslokiin. Näin palaute kulkee "
        f"yhtä reittiä ja aikataulu pitää. Arvioidaan järjestelyä yhdessä {s.text(-70)}."
        "\n\nYstävällisin terveisin",
    )
    s.tick_all(-100, Stage.REPAIR)
    s.repair_outcome(
        -70, attempt, RepairOutcome.IMPROVED, "Layouts approved in one round since the calls."
    )
    s.decide(
        -68, Decision.KEEP, "The fortnightly call has settled the review rounds; work flows again."
    )
    s.lessons(-68, "A fixed feedback rhythm agreed early would have avoided the friction.")
    for n, offset in enumerate((-90, -50, -20)):
        inv = s.invoice(offset, f"KU-{30 + n}", "1300.00", offset + 14)
        s.pay(offset + 10, inv)
    return s.done()


def build_demo_clients(today: dt.date) -> list[Client]:
    """The demo board for `today`: the same clients, ids and dates for the same day."""
    ids = _id_source(random.Random(DEMO_SEED))
    return [factory(today, ids) for factory in _DEMO]


# --- writing -------------------------------------------------------------------------------------


def write_clients(path: Path, clients: Iterable[Client]) -> int:
    """Add clients to a database that holds none yet, all in one write; returns the count.

    Refuses (OffboardError) when the file already holds clients, leaving it exactly as it was.
    """
    repo = TinyRepository(path)
    try:
        count = 0
        with repo.transaction() as tx:
            if tx.all_refs():
                raise OffboardError(
                    f"{path} already holds clients; nothing was written",
                    "choose a new file, e.g. one in a temporary folder",
                )
            for client in clients:
                tx.put(client, None)
                count += 1
    finally:
        repo.close()
    return count


def demo_config(base: Config) -> Config:
    """The user's settings for a demo session, with an invented sender where none is set so
    the letters read complete, and no mail server: demo letters go to invented addresses."""
    return dataclasses.replace(
        base,
        sender_name=base.sender_name or "Alex Morgan",
        sender_email=base.sender_email or "alex@morgan-studio.example.com",
        signature=base.signature or "Morgan Studio · web design and development",
        referrals=base.referrals
        or (
            "Pinewood Digital (hello@pinewood.example.com), a larger agency",
            "Sara Lind (sara@lind.example.net), a hands-on project manager",
        ),
        smtp=SmtpSettings(),
    )


def write_demo(path: Path, today: dt.date) -> int:
    """Write the demo clients into a new (or client-less) database at `path`."""
    return write_clients(path, build_demo_clients(today))


# --- generated clients for benchmarks ------------------------------------------------------------

_ADJECTIVES = (
    "Amber", "Birch", "Cedar", "Copper", "Delta", "Ember", "Fern", "Granite", "Harbor", "Indigo",
    "Juniper", "Kestrel", "Linden", "Maple", "Nimbus", "Opal", "Pebble", "Quartz", "Rowan",
    "Saffron", "Tidal", "Umber", "Velvet", "Willow",
)  # fmt: skip
_NOUNS = (
    "Bakery", "Studio", "Works", "Labs", "Roasters", "Gardens", "Dental", "Yoga", "Print",
    "Logistics", "Architects", "Brewing", "Clinic", "Books", "Cycles", "Florist", "Kitchen",
    "Media", "Outfitters", "Tailors",
)  # fmt: skip
_LOCALES = (("en", "GBP"), ("en", "USD"), ("tr", "EUR"), ("fi", "EUR"), ("cs", "CZK"))
_PERIODS = ("14 days", "30 days", "1 month", "2 weeks", "10 business days")
_GEN_FLAGS = (
    (Category.PAYMENT, "Invoice paid weeks after its due date again."),
    (Category.PAYMENT, "Disputed an invoice without naming an item."),
    (Category.COMMUNICATION, "Expected replies late in the evening."),
    (Category.COMMUNICATION, "No feedback for two weeks; the schedule slipped."),
    (Category.SCOPE, "Extra pages requested inside the fixed price."),
    (Category.SCOPE, "Last-minute changes the day before launch."),
    (Category.VALUES, "Asked to skip the usual quality checks."),
    (Category.RESPECT, "Every recommendation rejected without discussion."),
    (Category.TIME, "Meeting held without the agreed material."),
    (Category.MONEY, "Hours this month far above the estimate."),
    (Category.ABUSE, "Insulting remarks in a group email."),
    (Category.STAGNATION, "Months in, the same problems recur."),
)
_GEN_REASONS = {
    Archetype.MICROMANAGER: "Our working styles differ too much.",
    Archetype.SCOPE_CREEPER: "The scope keeps growing beyond what was agreed.",
    Archetype.NON_PAYER: "Invoices are paid late despite the agreed terms.",
    Archetype.ABUSIVE: "The tone of messages means the work cannot continue.",
    Archetype.OUTGROWN: "The business has grown in another direction.",
    Archetype.TIME_SINK: "The engagement no longer fits my business.",
}
_GEN_HANDOVER = (
    (HandoverKind.FILE, "Project files"),
    (HandoverKind.CREDENTIAL, "Hosting admin login"),
    (HandoverKind.DOCUMENT, "Transition notes"),
    (HandoverKind.CONTACT, "Vendor contacts"),
)


def generate_clients(n: int, today: dt.date, seed: int = 0) -> list[Client]:
    """n demo-like clients for benchmarks, about 1.6 KB of JSON each, over every stage.

    Deterministic for a seed: the same seed gives the same clients, ids included.
    """
    rng = random.Random(seed)
    ids = _id_source(rng)
    stages = tuple(Stage)
    return [_generated(i, stages[i % len(stages)], today, rng, ids) for i in range(n)]


def _generated(
    i: int, stage: Stage, today: dt.date, rng: random.Random, ids: Callable[[], str]
) -> Client:
    number = i + 1
    adjective, noun = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
    locale, currency = rng.choice(_LOCALES)
    archetype = rng.choice(tuple(Archetype))
    period = rng.choice(_PERIODS)
    # t walks forward from the start, so every step happens after the previous one; the
    # longest path (to closed) adds at most ~140 days, so nothing lands in the future.
    start = -rng.randint(200, 900)
    slug = f"{adjective}-{noun}-{number}".lower()
    s = _Script(
        today,
        ids,
        name=f"{adjective} {noun} {number}",
        email=f"office@{slug}.example.com",
        locale=locale,
        currency=currency,
        archetype=archetype,
        created=start,
        contract=Contract(notice_period=period, payment_terms_days=rng.choice((14, 30))),
        detail=False,
    )
    t = start + rng.randint(10, 30)
    for _ in range(1 if rng.random() < 0.75 else 2):
        category, text = rng.choice(_GEN_FLAGS)
        s.flag(t, category, rng.randint(1, 3), text)
        t += rng.randint(3, 15)
    repairing = stage is Stage.REPAIR or (stage is Stage.CLOSED and rng.random() < 0.3)
    amount = f"{rng.randint(8, 60) * 50}.00"
    # Clients that reach settlement get one final invoice instead of a running one.
    if repairing or stage not in (Stage.SETTLEMENT, Stage.CLOSED):
        inv = s.invoice(t, f"G{number}-1", amount, t + 14)
        if stage is not Stage.ASSESSMENT or rng.random() < 0.5:
            s.pay(t + 12, inv)
    if stage is Stage.ASSESSMENT:
        return s.done()
    revenue = f"{rng.randint(20, 300) * 100}.00"
    hours = f"{rng.randint(40, 300)}.00"
    s.assess(t, revenue, hours, recommendation=Decision.REPAIR if repairing else Decision.OFFBOARD)
    t += rng.randint(2, 6)
    if repairing:
        review = max(rng.randint(-5, 20), t) if stage is Stage.REPAIR else t + 30
        s.decide(t, Decision.REPAIR, "Try a steadier way of working first.")
        attempt = s.repair(t, "Weekly check-in call", review)
        s.move(t, Stage.REPAIR)
        if stage is Stage.CLOSED:
            s.repair_outcome(t + 30, attempt, RepairOutcome.IMPROVED)
            s.decide(t + 31, Decision.KEEP, "The weekly call fixed it.")
        return s.done()
    reason = _GEN_REASONS[archetype]
    s.decide(t, Decision.OFFBOARD, reason)
    s.move(t, Stage.PREPARATION)
    if stage is Stage.PREPARATION:
        return s.done()
    t += rng.randint(5, 20)
    if stage is Stage.NOTICE:  # recent: some notices still running, some past their last day
        t = max(t, -rng.randint(2, 40))
    conv = s.converse(t, rng.choice((Channel.PHONE, Channel.EMAIL, Channel.VIDEO)), period)
    s.letter(t, "confirmation", "Notice", f"Last working day: {conv.last_day}.")
    s.move(t, Stage.NOTICE)
    if stage is Stage.NOTICE:
        return s.done()
    t += rng.randint(3, 10)
    s.move(t, Stage.HANDOVER)
    kind, label = rng.choice(_GEN_HANDOVER)
    settled = stage is not Stage.HANDOVER or rng.random() < 0.5
    s.handover(t, kind, label, settled=t + 2 if settled else None)
    if stage is Stage.HANDOVER:
        return s.done()
    t += rng.randint(3, 10)
    s.move(t, Stage.SETTLEMENT)
    final = s.invoice(t, f"G{number}-2", amount, t + 14, final=True)
    if stage is Stage.SETTLEMENT:
        return s.done()
    s.pay(t + 10, final)
    s.lessons(t + 11, "Screen for this earlier.")
    s.move(t + 11, Stage.CLOSED)
    return s.done()

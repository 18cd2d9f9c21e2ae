"""The records offboard keeps about a client, and their plain-dict form for storage and export.

Every record converts to JSON-safe dicts (dates as ISO text, amounts as decimal strings) with
`to_dict`; reading them back, with every field checked by the input rules, is codec.py's job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from .ids import new_id
from .kinds import (
    FORBIDDEN_CHANNELS as FORBIDDEN_CHANNELS,
    STAGE_ORDER as STAGE_ORDER,
    Answer as Answer,
    Archetype as Archetype,
    Category as Category,
    Channel as Channel,
    Decision as Decision,
    HandoverKind as HandoverKind,
    HandoverStatus as HandoverStatus,
    ItemKind as ItemKind,
    LessonCategory as LessonCategory,
    Outcome as Outcome,
    RepairOutcome as RepairOutcome,
    Stage as Stage,
)


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


# --- records -------------------------------------------------------------------------------


@dataclass(slots=True)
class RedFlag:
    category: Category
    description: str
    on: dt.date
    severity: int = 2
    evidence: str = ""
    id: str = field(default_factory=new_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category.value,
            "severity": self.severity,
            "on": self.on.isoformat(),
            "description": self.description,
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class RepairAttempt:
    strategy: str
    started: dt.date
    review: dt.date
    outcome: RepairOutcome | None = None
    notes: str = ""
    id: str = field(default_factory=new_id)

    @property
    def open(self) -> bool:
        return self.outcome is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "strategy": self.strategy,
            "started": self.started.isoformat(),
            "review": self.review.isoformat(),
            "outcome": self.outcome.value if self.outcome else None,
            "notes": self.notes,
        }


@dataclass(slots=True)
class Assessment:
    """The cost-benefit review (DOMAIN.md section 2)."""

    revenue: Decimal | None = None
    hours: Decimal | None = None
    financial: str = ""
    operational: str = ""
    long_term: str = ""
    recommendation: Decision | None = None
    on: dt.date | None = None

    def effective_rate(self) -> Decimal | None:
        if self.revenue is None or not self.hours:
            return None
        return (self.revenue / self.hours).quantize(Decimal("0.01"))

    @property
    def filled_in(self) -> bool:
        has_numbers = self.revenue is not None and self.hours is not None
        has_notes = any(s.strip() for s in (self.financial, self.operational, self.long_term))
        return has_numbers or has_notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "revenue": None if self.revenue is None else str(self.revenue),
            "hours": None if self.hours is None else str(self.hours),
            "financial": self.financial,
            "operational": self.operational,
            "long_term": self.long_term,
            "recommendation": self.recommendation.value if self.recommendation else None,
            "on": _iso(self.on),
        }


@dataclass(slots=True)
class DecisionRecord:
    decision: Decision
    reason: str
    on: dt.date

    def to_dict(self) -> dict[str, Any]:
        return {"decision": self.decision.value, "reason": self.reason, "on": self.on.isoformat()}


@dataclass(slots=True)
class Conversation:
    """The termination conversation; it starts the notice period."""

    on: dt.date
    channel: Channel
    period: str
    last_day: dt.date

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "channel": self.channel.value,
            "period": self.period,
            "last_day": self.last_day.isoformat(),
        }


@dataclass(slots=True)
class Deliverable:
    title: str
    due: dt.date | None = None
    done: bool = False
    # The day it was marked done (the handover letter says when work was delivered, not when
    # it was due). None while open, and for work marked done before this was recorded.
    done_on: dt.date | None = None
    # What the work is worth, in the client's currency: the share of it not delivered is
    # what a refund suggestion is computed from. None when nobody said.
    value: Decimal | None = None
    id: str = field(default_factory=new_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "due": _iso(self.due),
            "done": self.done,
            "done_on": _iso(self.done_on),
            "value": None if self.value is None else str(self.value),
        }


@dataclass(slots=True)
class HandoverItem:
    """Something handed to the client. For credentials only the fact is kept, never a secret."""

    kind: HandoverKind
    label: str
    status: HandoverStatus = HandoverStatus.PENDING
    on: dt.date | None = None
    id: str = field(default_factory=new_id)

    @property
    def settled(self) -> bool:
        return self.status is not HandoverStatus.PENDING

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "label": self.label,
            "status": self.status.value,
            "on": _iso(self.on),
        }


@dataclass(slots=True)
class Payment:
    amount: Decimal
    on: dt.date
    id: str = field(default_factory=new_id)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "amount": str(self.amount), "on": self.on.isoformat()}


@dataclass(slots=True)
class Invoice:
    number: str
    amount: Decimal
    issued: dt.date
    due: dt.date
    payments: list[Payment] = field(default_factory=list)
    written_off: bool = False
    final: bool = False
    id: str = field(default_factory=new_id)

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal("0.00"))

    @property
    def outstanding(self) -> Decimal:
        if self.written_off:
            return Decimal("0.00")
        return max(self.amount - self.paid, Decimal("0.00"))

    @property
    def settled(self) -> bool:
        return self.outstanding == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "amount": str(self.amount),
            "issued": self.issued.isoformat(),
            "due": self.due.isoformat(),
            "payments": [p.to_dict() for p in self.payments],
            "written_off": self.written_off,
            "final": self.final,
        }


@dataclass(slots=True)
class Refund:
    """Money agreed to go back to the client (prepaid work that will not be delivered)."""

    amount: Decimal
    currency: str
    on: dt.date  # the day it was agreed
    reason: str
    paid_out: dt.date | None = None  # the day it left your account; None while owed
    id: str = field(default_factory=new_id)

    @property
    def open(self) -> bool:
        return self.paid_out is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "amount": str(self.amount),
            "currency": self.currency,
            "on": self.on.isoformat(),
            "reason": self.reason,
            "paid_out": _iso(self.paid_out),
        }


@dataclass(slots=True)
class FollowUp:
    """A day to chase something still owed (an unpaid invoice, an answer), until it is done."""

    on: dt.date
    about: str
    invoice: str | None = None  # the id of the invoice it chases, if it chases one
    done_on: dt.date | None = None  # None while open
    id: str = field(default_factory=new_id)

    @property
    def open(self) -> bool:
        return self.done_on is None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "on": self.on.isoformat(), "about": self.about,
                "invoice": self.invoice, "done_on": _iso(self.done_on)}  # fmt: skip


@dataclass(slots=True)
class LetterRecord:
    """A letter that went out (or was marked as sent); read-only once stored."""

    template: str
    subject: str
    body: str
    channel: Channel
    sent_on: dt.date
    locale: str = "en"
    id: str = field(default_factory=new_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "template": self.template,
            "subject": self.subject,
            "body": self.body,
            "channel": self.channel.value,
            "sent_on": self.sent_on.isoformat(),
            "locale": self.locale,
        }


@dataclass(slots=True)
class Lesson:
    """One lesson learned from a client, for screening the next ones."""

    category: LessonCategory
    text: str
    # When it was written down. None only for a lesson carried over from the single text
    # older files kept, when nothing in the record says when that was written.
    on: dt.date | None
    id: str = field(default_factory=new_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category.value,
            "on": _iso(self.on),
            "text": self.text,
        }


@dataclass(slots=True)
class IntakeAnswer:
    """One answer given when the client was screened as a prospect: its intake notes keep
    the item as it was asked then, whatever the checklist says later."""

    item_id: str
    item: str
    kind: ItemKind
    answer: Answer
    on: dt.date

    @property
    def against(self) -> bool:
        """Whether the answer counted against the prospect: a warning sign seen, a question
        answered badly, a clause refused."""
        return self.answer is self.kind.against

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "item": self.item,
            "kind": self.kind.value,
            "answer": self.answer.value,
            "on": self.on.isoformat(),
        }


@dataclass(slots=True)
class HistoryEvent:
    at: dt.datetime
    actor: str
    action: str
    summary: str
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "summary": self.summary,
            "old": self.old,
            "new": self.new,
        }


@dataclass(slots=True)
class Contract:
    notice_period: str = ""
    termination_clause: str = ""
    contract_end: dt.date | None = None
    payment_terms_days: int | None = None
    hourly_rate: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "notice_period": self.notice_period,
            "termination_clause": self.termination_clause,
            "contract_end": _iso(self.contract_end),
            "payment_terms_days": self.payment_terms_days,
            "hourly_rate": None if self.hourly_rate is None else str(self.hourly_rate),
        }


@dataclass(frozen=True, slots=True)
class Problem:
    """A stored or imported field that breaks a rule: where (a path such as
    "invoices[0].payments[1].amount"), what is wrong, and the value as it was found."""

    path: str
    message: str
    raw: Any = field(default=None, compare=False)
    # True when the value was replaced (by a safe default, or the record left out), so saving
    # the client would lose `raw`; False when it was kept as found.
    replaced: bool = field(default=False, compare=False)

    def line(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(slots=True)
class Client:
    name: str
    id: str = field(default_factory=new_id)
    email: str = ""
    company: str = ""
    locale: str = "en"
    currency: str = "EUR"
    # Whose public holidays count for this client's business days ("" : the config's).
    country: str = ""
    archetype: Archetype | None = None
    stage: Stage = Stage.ASSESSMENT
    outcome: Outcome | None = None
    created: dt.date | None = None
    contract: Contract = field(default_factory=Contract)
    flags: list[RedFlag] = field(default_factory=list)
    assessment: Assessment = field(default_factory=Assessment)
    decision: DecisionRecord | None = None
    repairs: list[RepairAttempt] = field(default_factory=list)
    conversation: Conversation | None = None
    # stage id -> {checklist item id -> "done" | "waived"}
    checklist: dict[str, dict[str, str]] = field(default_factory=dict)
    deliverables: list[Deliverable] = field(default_factory=list)
    handover: list[HandoverItem] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    letters: list[LetterRecord] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    # The answers of the screening the client went through as a prospect (its intake notes).
    intake: list[IntakeAnswer] = field(default_factory=list)
    history: list[HistoryEvent] = field(default_factory=list)
    rev: int = 0
    # What the decoder found wrong with the stored record (not stored itself): shown to the
    # user, and written into the history when the record is next saved.
    damage: tuple[Problem, ...] = field(default=(), compare=False, repr=False)

    @property
    def active(self) -> bool:
        return self.stage is not Stage.CLOSED

    def outstanding(self) -> Decimal:
        return sum((i.outstanding for i in self.invoices), Decimal("0.00"))

    def flag_counts(self) -> dict[int, int]:
        counts = {1: 0, 2: 0, 3: 0}
        for f in self.flags:
            counts[f.severity] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "company": self.company,
            "locale": self.locale,
            "currency": self.currency,
            "country": self.country,
            "archetype": self.archetype.value if self.archetype else None,
            "stage": self.stage.value,
            "outcome": self.outcome.value if self.outcome else None,
            "created": _iso(self.created),
            "contract": self.contract.to_dict(),
            "flags": [f.to_dict() for f in self.flags],
            "assessment": self.assessment.to_dict(),
            "decision": self.decision.to_dict() if self.decision else None,
            "repairs": [r.to_dict() for r in self.repairs],
            "conversation": self.conversation.to_dict() if self.conversation else None,
            "checklist": {k: dict(v) for k, v in self.checklist.items()},
            "deliverables": [x.to_dict() for x in self.deliverables],
            "handover": [x.to_dict() for x in self.handover],
            "invoices": [x.to_dict() for x in self.invoices],
            "refunds": [x.to_dict() for x in self.refunds],
            "follow_ups": [x.to_dict() for x in self.follow_ups],
            "letters": [x.to_dict() for x in self.letters],
            "lessons": [x.to_dict() for x in self.lessons],
            "intake": [x.to_dict() for x in self.intake],
            "history": [h.to_dict() for h in self.history],
            "rev": self.rev,
        }


CLIENT_FIELDS = frozenset(f.name for f in fields(Client)) - {"damage"}

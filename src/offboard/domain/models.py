"""The records offboard keeps about a client, and their plain-dict form for storage and export.

Every record converts to JSON-safe dicts (dates as ISO text, amounts as decimal strings) and
back. `from_dict` is strict: a record that does not fit raises InvalidInput naming the field,
so a hand-edited export or a damaged file is refused instead of half-loaded.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from .errors import InvalidInput


class Stage(StrEnum):
    ASSESSMENT = "assessment"
    REPAIR = "repair"
    PREPARATION = "preparation"
    NOTICE = "notice"
    HANDOVER = "handover"
    SETTLEMENT = "settlement"
    CLOSED = "closed"

    @property
    def index(self) -> int:
        return STAGE_ORDER.index(self)

    @property
    def label(self) -> str:
        return self.value.capitalize()


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)


class Outcome(StrEnum):
    OFFBOARDED = "offboarded"
    RETAINED = "retained"


class Category(StrEnum):
    PAYMENT = "payment"
    COMMUNICATION = "communication"
    SCOPE = "scope"
    VALUES = "values"
    RESPECT = "respect"
    TIME = "time"
    MONEY = "money"
    ABUSE = "abuse"
    STAGNATION = "stagnation"


class Archetype(StrEnum):
    MICROMANAGER = "micromanager"
    SCOPE_CREEPER = "scope-creeper"
    NON_PAYER = "non-payer"
    ABUSIVE = "abusive"
    OUTGROWN = "outgrown"
    TIME_SINK = "time-sink"


class RepairOutcome(StrEnum):
    IMPROVED = "improved"
    NO_CHANGE = "no-change"
    WORSE = "worse"


class Channel(StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    IN_PERSON = "in-person"
    EMAIL = "email"
    LETTER = "letter"
    TEXT_MESSAGE = "text-message"
    SOCIAL_MEDIA = "social-media"


# DOMAIN.md: never end a relationship by text message or social media.
FORBIDDEN_CHANNELS = frozenset({Channel.TEXT_MESSAGE, Channel.SOCIAL_MEDIA})


class HandoverKind(StrEnum):
    FILE = "file"
    CREDENTIAL = "credential"
    DOCUMENT = "document"
    CONTACT = "contact"


class HandoverStatus(StrEnum):
    PENDING = "pending"
    HANDED_OVER = "handed-over"
    REVOKED = "revoked"
    WAIVED = "waived"


class Decision(StrEnum):
    KEEP = "keep"
    REPAIR = "repair"
    OFFBOARD = "offboard"


def new_id() -> str:
    return str(uuid.uuid4())


E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], value: Any, what: str) -> E:
    """Turn user or stored text into an enum member, with a message listing the valid values."""
    if isinstance(value, enum):
        return value
    # Stored values are already canonical; this lookup keeps loading 10,000 clients cheap.
    member = enum._value2member_map_.get(value)
    if member is not None:
        return member  # type: ignore[return-value]
    text = str(value).strip().lower().replace("_", "-").replace(" ", "-")
    for member in enum:
        if text == member.value:
            return member
    valid = ", ".join(m.value for m in enum)
    raise InvalidInput(f"unknown {what} {value!r}", f"choose one of: {valid}")


# Commas are accepted only as thousands separators: "1,50" must not silently become 150.00.
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", re.ASCII)
# Far beyond any invoice, and well inside Decimal's 28 digits so rounding cannot fail.
MAX_AMOUNT = Decimal("1e15")
_CANONICAL_AMOUNT = re.compile(r"\d{1,15}\.\d{2}", re.ASCII)


@functools.lru_cache(maxsize=8192)
def _stored_amount(text: str) -> Decimal | None:
    """Stored amounts are canonical ("1250.00") and repeat: parse each spelling once."""
    if not _CANONICAL_AMOUNT.fullmatch(text):
        return None
    amount = Decimal(text)
    return amount if amount < MAX_AMOUNT else None


def parse_amount(value: Any, what: str = "amount") -> Decimal:
    if isinstance(value, str):
        cached = _stored_amount(value)
        if cached is not None:
            return cached
    text = str(value).strip()
    if "," in text:
        if not _THOUSANDS.fullmatch(text):
            raise InvalidInput(
                f"{what} {value!r} is not a number",
                "write it like 1250.00 (commas only between thousands)",
            )
        text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{what} {value!r} is not a number", "write it like 1250.00") from None
    if not amount.is_finite():
        raise InvalidInput(f"{what} {value!r} is not a finite number")
    if amount < 0:
        raise InvalidInput(f"{what} {value!r} is negative", "amounts are written as positive")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput(f"{what} {value!r} has more than two decimals")
    if amount >= MAX_AMOUNT:
        raise InvalidInput(f"{what} {value!r} is too large")
    return amount.quantize(Decimal("0.01"))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@functools.lru_cache(maxsize=4096)
def _parse_date(text: str) -> dt.date:
    # A database repeats the same few hundred dates thousands of times.
    return dt.date.fromisoformat(text)


def _date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    # Python 3.11's fromisoformat also takes "20261122" and week dates; stored dates are
    # always written YYYY-MM-DD, so anything else is a damaged or hand-edited record.
    try:
        if not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
            raise ValueError
        return _parse_date(value)
    except ValueError:
        raise InvalidInput(f"{what}: {value!r} is not a YYYY-MM-DD date") from None


def _check_uuid(value: Any, what: str) -> str:
    """Ids are compared as text, so only the canonical lower-case spelling is accepted."""
    try:
        if isinstance(value, str) and str(uuid.UUID(value)) == value:
            return value
    except ValueError:
        pass
    raise InvalidInput(f"{what} {value!r} is not a UUID", "ids look like " + ZERO_UUID)


ZERO_UUID = "00000000-0000-4000-8000-000000000000"


def _opt_date(value: Any, what: str) -> dt.date | None:
    return None if value in (None, "") else _date(value, what)


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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RedFlag:
        severity = d.get("severity", 2)
        if type(severity) is not int or severity not in (1, 2, 3):
            raise InvalidInput(f"flag severity {severity!r} is outside 1-3")
        return cls(
            id=d["id"],
            category=choice(Category, d["category"], "flag category"),
            severity=severity,
            on=_date(d["on"], "flag date"),
            description=d.get("description", ""),
            evidence=d.get("evidence", ""),
        )


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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RepairAttempt:
        outcome = d.get("outcome")
        return cls(
            id=d["id"],
            strategy=d["strategy"],
            started=_date(d["started"], "repair start"),
            review=_date(d["review"], "repair review date"),
            outcome=choice(RepairOutcome, outcome, "repair outcome") if outcome else None,
            notes=d.get("notes", ""),
        )


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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Assessment:
        rec = d.get("recommendation")
        return cls(
            revenue=None if d.get("revenue") is None else parse_amount(d["revenue"], "revenue"),
            hours=None if d.get("hours") is None else parse_amount(d["hours"], "hours"),
            financial=d.get("financial", ""),
            operational=d.get("operational", ""),
            long_term=d.get("long_term", ""),
            recommendation=choice(Decision, rec, "recommendation") if rec else None,
            on=_opt_date(d.get("on"), "assessment date"),
        )


@dataclass(slots=True)
class DecisionRecord:
    decision: Decision
    reason: str
    on: dt.date

    def to_dict(self) -> dict[str, Any]:
        return {"decision": self.decision.value, "reason": self.reason, "on": self.on.isoformat()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DecisionRecord:
        return cls(
            decision=choice(Decision, d["decision"], "decision"),
            reason=d["reason"],
            on=_date(d["on"], "decision date"),
        )


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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Conversation:
        return cls(
            on=_date(d["on"], "conversation date"),
            channel=choice(Channel, d["channel"], "channel"),
            period=d["period"],
            last_day=_date(d["last_day"], "last working day"),
        )


@dataclass(slots=True)
class Deliverable:
    title: str
    due: dt.date | None = None
    done: bool = False
    id: str = field(default_factory=new_id)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "due": _iso(self.due), "done": self.done}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Deliverable:
        return cls(
            id=d["id"],
            title=d["title"],
            due=_opt_date(d.get("due"), "deliverable due date"),
            done=bool(d.get("done", False)),
        )


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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> HandoverItem:
        return cls(
            id=d["id"],
            kind=choice(HandoverKind, d["kind"], "handover kind"),
            label=d["label"],
            status=choice(HandoverStatus, d.get("status", "pending"), "handover status"),
            on=_opt_date(d.get("on"), "handover date"),
        )


@dataclass(slots=True)
class Payment:
    amount: Decimal
    on: dt.date

    def to_dict(self) -> dict[str, Any]:
        return {"amount": str(self.amount), "on": self.on.isoformat()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Payment:
        return cls(amount=parse_amount(d["amount"], "payment"), on=_date(d["on"], "payment date"))


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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Invoice:
        return cls(
            id=d["id"],
            number=d["number"],
            amount=parse_amount(d["amount"], "invoice amount"),
            issued=_date(d["issued"], "invoice date"),
            due=_date(d["due"], "invoice due date"),
            payments=[Payment.from_dict(p) for p in d.get("payments", [])],
            written_off=bool(d.get("written_off", False)),
            final=bool(d.get("final", False)),
        )


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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LetterRecord:
        return cls(
            id=d["id"],
            template=d["template"],
            subject=d.get("subject", ""),
            body=d.get("body", ""),
            channel=choice(Channel, d["channel"], "channel"),
            sent_on=_date(d["sent_on"], "letter date"),
            locale=d.get("locale", "en"),
        )


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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> HistoryEvent:
        try:
            at = dt.datetime.fromisoformat(d["at"])
        except (TypeError, ValueError):
            raise InvalidInput(f"history time {d.get('at')!r} is not a timestamp") from None
        return cls(
            at=at,
            actor=d.get("actor", ""),
            action=d["action"],
            summary=d.get("summary", ""),
            old=d.get("old"),
            new=d.get("new"),
        )


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

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Contract:
        rate = d.get("hourly_rate")
        terms = d.get("payment_terms_days")
        return cls(
            notice_period=d.get("notice_period", ""),
            termination_clause=d.get("termination_clause", ""),
            contract_end=_opt_date(d.get("contract_end"), "contract end"),
            payment_terms_days=None if terms is None else int(terms),
            hourly_rate=None if rate is None else parse_amount(rate, "hourly rate"),
        )


@dataclass(slots=True)
class Client:
    name: str
    id: str = field(default_factory=new_id)
    email: str = ""
    company: str = ""
    locale: str = "en"
    currency: str = "EUR"
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
    letters: list[LetterRecord] = field(default_factory=list)
    lessons: str = ""
    history: list[HistoryEvent] = field(default_factory=list)
    rev: int = 0

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
            "letters": [x.to_dict() for x in self.letters],
            "lessons": self.lessons,
            "history": [h.to_dict() for h in self.history],
            "rev": self.rev,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Client:
        try:
            return cls._from_dict(d)
        except InvalidInput as exc:
            who = d.get("name") or d.get("id") if isinstance(d, dict) else None
            raise InvalidInput(f"client {who!r}: {exc.message}", exc.hint) from None
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            who = d.get("name") or d.get("id") if isinstance(d, dict) else None
            raise InvalidInput(f"client {who!r} is not a valid record ({exc!r})") from None

    @classmethod
    def _from_dict(cls, d: dict[str, Any]) -> Client:
        archetype = d.get("archetype")
        outcome = d.get("outcome")
        name = d["name"]
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput("a client needs a name")
        _check_uuid(d["id"], "client id")  # ids are UUIDs everywhere; refuse anything else early
        return cls(
            id=d["id"],
            name=name,
            email=d.get("email", ""),
            company=d.get("company", ""),
            locale=d.get("locale", "en"),
            currency=d.get("currency", "EUR"),
            archetype=choice(Archetype, archetype, "archetype") if archetype else None,
            stage=choice(Stage, d.get("stage", "assessment"), "stage"),
            outcome=choice(Outcome, outcome, "outcome") if outcome else None,
            created=_opt_date(d.get("created"), "created"),
            contract=Contract.from_dict(d.get("contract") or {}),
            flags=[RedFlag.from_dict(x) for x in d.get("flags", [])],
            assessment=Assessment.from_dict(d.get("assessment") or {}),
            decision=DecisionRecord.from_dict(d["decision"]) if d.get("decision") else None,
            repairs=[RepairAttempt.from_dict(x) for x in d.get("repairs", [])],
            conversation=(
                Conversation.from_dict(d["conversation"]) if d.get("conversation") else None
            ),
            checklist={str(k): dict(v) for k, v in (d.get("checklist") or {}).items()},
            deliverables=[Deliverable.from_dict(x) for x in d.get("deliverables", [])],
            handover=[HandoverItem.from_dict(x) for x in d.get("handover", [])],
            invoices=[Invoice.from_dict(x) for x in d.get("invoices", [])],
            letters=[LetterRecord.from_dict(x) for x in d.get("letters", [])],
            lessons=d.get("lessons", ""),
            history=[HistoryEvent.from_dict(x) for x in d.get("history", [])],
            rev=int(d.get("rev", 0)),
        )


CLIENT_FIELDS = frozenset(f.name for f in fields(Client))

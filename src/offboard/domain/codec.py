"""Reading a client record (a stored or imported dict) back into the domain's records.

Every field goes through the same input rules the services apply (validate.py), so nothing
reaches the app that the CLI or a form would have refused. Two ways to read:

- `client_from_dict` (strict, for imports): every problem in the record is collected, with its
  path, and the record is refused with all of them in one message.
- `client_from_stored` (tolerant, for the database and the undo journal): a record that was
  stored by an older or hand-edited file still opens. Each bad field is replaced by a safe
  value (empty text, no date, the record left out) and listed in `client.damage`, which the
  screens show and the next save writes into the history, so nothing is lost silently.

Only a record that cannot be a client at all (not an object, no valid id or revision) is
refused by both.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from . import notice, reader as rules, validate, workdays
from .checklists import ITEM_STATES
from .errors import InvalidInput
from .followups import read_follow_ups
from .ids import new_id
from .intake import intake_answer
from .models import (
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
    Lesson,
    LessonCategory,
    LetterRecord,
    Outcome,
    Payment,
    Problem,
    RedFlag,
    RepairAttempt,
    RepairOutcome,
    Stage,
)
from .reader import LEFT_OUT, NO_NAME, Drop, Reader
from .refunds import read_refunds

_ID = rules.named(validate.record_id, "id")


def _timestamp(v: Any) -> dt.datetime:
    if isinstance(v, str) and len(v) <= 40:
        try:
            return dt.datetime.fromisoformat(v)
        except ValueError:
            pass
    raise InvalidInput(f"the history time {v!r} is not a timestamp")


_SEVERITY = rules.stored_int(validate.severity, "severity (1-3)")
_TERMS = rules.stored_int(validate.payment_terms, "payment terms (days)")


def _period(v: Any) -> str:
    text = validate.one_line(v, "the notice period")
    return notice.parse_period(text).describe() if text else ""


def _id(r: Reader, d: dict[str, Any]) -> str:
    """A sub-record's id; a bad one is replaced (nothing outside the client points at it)."""
    if d.get("id") is None:
        r.note("id", "is missing")
    return r.field(d, "id", _ID) or new_id()


_DESCRIPTION = rules.text("the description")
_EVIDENCE = rules.line("the evidence")
_STRATEGY = rules.required_line("the strategy")
_NOTES = rules.text("the notes")
_TITLE = rules.required_line("the title")
_NUMBER = rules.required_line("the invoice number", 64)
_SUBJECT = rules.line("the subject")
_BODY = rules.named(validate.letter_text, "the letter's text")
_REASON = rules.required_line("the reason")
_CLAUSE = rules.text("the termination clause")
_ACTOR = rules.line("who")
_ACTION = rules.required_line("the action", 64)
_SUMMARY = rules.text("the summary", validate.MAX_LETTER)


# Rules used below, built once rather than per record.
_CATEGORY = rules.enum(Category, "flag category")
_CHANNEL = rules.enum(Channel, "channel")
_FLAG_DATE = rules.date("the flag date")
_STARTED = rules.date("the start date")
_REVIEW = rules.date("the review date")
_REPAIR_OUTCOME = rules.opt_enum(RepairOutcome, "repair outcome")
_REVENUE = rules.opt_amount("revenue")
_HOURS = rules.opt_amount("hours")
_FINANCIAL = rules.text("the financial notes")
_OPERATIONAL = rules.text("the operational notes")
_LONG_TERM = rules.text("the long-term notes")
_RECOMMENDATION = rules.opt_enum(Decision, "recommendation")
_ASSESSED_ON = rules.opt_date("the assessment date")
_DECISION = rules.enum(Decision, "decision")
_DECIDED_ON = rules.date("the decision date")
_TALKED_ON = rules.date("the conversation date")
_LAST_DAY = rules.date("the last working day")
_DUE = rules.opt_date("the due date")
_DONE = rules.boolean("done")
_DONE_ON = rules.opt_date("the day it was done")
_VALUE = rules.opt_amount("the deliverable's value")
_LABEL = rules.required_line("the label")
_KIND = rules.enum(HandoverKind, "handover kind")
_STATUS = rules.enum(HandoverStatus, "handover status")
_HANDED_ON = rules.opt_date("the handover date")
_PAID_ON = rules.date("the payment date")
_ISSUED = rules.date("the invoice date")
_INVOICE_DUE = rules.date("the due date")
_WRITTEN_OFF = rules.boolean("written_off")
_FINAL = rules.boolean("final")
_TEMPLATE = rules.required_line("the template name", 100)
_SENT_ON = rules.date("the letter date")
_CONTRACT_END = rules.opt_date("the contract end")
_COMPANY = rules.line("the company", validate.MAX_NAME)
_ARCHETYPE = rules.opt_enum(Archetype, "archetype")
_STAGE = rules.enum(Stage, "stage")
_OUTCOME = rules.opt_enum(Outcome, "outcome")
_CREATED = rules.opt_date("the date it was added")
_LESSONS = rules.text("the lessons learned")
_LESSON_CATEGORY = rules.enum(LessonCategory, "lesson category")
_LESSON_TEXT = rules.text("the lesson")
_LESSON_DATE = rules.opt_date("the lesson date")
_PAYMENT = rules.positive_amount("the payment")
_INVOICE_AMOUNT = rules.positive_amount("the invoice amount")
_HOURLY_RATE = rules.opt_amount("the hourly rate")


# --- the records ----------------------------------------------------------------------------


def _flag(r: Reader, d: dict[str, Any]) -> RedFlag:
    return RedFlag(
        id=_id(r, d),
        category=r.field(d, "category", _CATEGORY, required=True),
        severity=r.field(d, "severity", _SEVERITY, 2),
        on=r.field(d, "on", _FLAG_DATE, required=True),
        description=r.field(d, "description", _DESCRIPTION, "", salvage=True),
        evidence=r.field(d, "evidence", _EVIDENCE, "", salvage=True),
    )


def _repair(r: Reader, d: dict[str, Any]) -> RepairAttempt:
    attempt = RepairAttempt(
        id=_id(r, d),
        strategy=r.field(d, "strategy", _STRATEGY, required=True),
        started=r.field(d, "started", _STARTED, required=True),
        review=r.field(d, "review", _REVIEW, required=True),
        outcome=r.field(d, "outcome", _REPAIR_OUTCOME),
        notes=r.field(d, "notes", _NOTES, "", salvage=True),
    )
    r.check("review", lambda: validate.repair_dates(attempt))
    return attempt


def _assessment(r: Reader, d: dict[str, Any]) -> Assessment:
    return Assessment(
        revenue=r.field(d, "revenue", _REVENUE),
        hours=r.field(d, "hours", _HOURS),
        financial=r.field(d, "financial", _FINANCIAL, "", salvage=True),
        operational=r.field(d, "operational", _OPERATIONAL, "", salvage=True),
        long_term=r.field(d, "long_term", _LONG_TERM, "", salvage=True),
        recommendation=r.field(d, "recommendation", _RECOMMENDATION),
        on=r.field(d, "on", _ASSESSED_ON),
    )


def _decision(r: Reader, d: dict[str, Any]) -> DecisionRecord:
    return DecisionRecord(
        decision=r.field(d, "decision", _DECISION, required=True),
        reason=r.field(d, "reason", _REASON, required=True),
        on=r.field(d, "on", _DECIDED_ON, required=True),
    )


def _conversation(r: Reader, d: dict[str, Any]) -> Conversation:
    talk = Conversation(
        on=r.field(d, "on", _TALKED_ON, required=True),
        channel=r.field(d, "channel", _CHANNEL, required=True),
        period=r.field(d, "period", _period, "", salvage=True),
        last_day=r.field(d, "last_day", _LAST_DAY, required=True),
    )
    # A forbidden channel is noted, and kept: it is what happened.
    r.check("channel", lambda: validate.notice_channel(talk.channel))
    return talk


def _deliverable(r: Reader, d: dict[str, Any]) -> Deliverable:
    return Deliverable(
        id=_id(r, d),
        title=r.field(d, "title", _TITLE, required=True),
        due=r.field(d, "due", _DUE),
        done=r.field(d, "done", _DONE, False),
        # Absent in files from before it was recorded: the letter then gives no date.
        done_on=r.field(d, "done_on", _DONE_ON),
        # Absent in files from before values were kept: no refund is suggested until given.
        value=r.field(d, "value", _VALUE),
    )


def _handover(r: Reader, d: dict[str, Any]) -> HandoverItem:
    label = r.field(d, "label", _LABEL, required=True)
    # A label that looks like a secret is kept (it is already stored) but marked, so the
    # user sees it and can replace it with a description.
    r.check("label", lambda: validate.handover_label(label))
    return HandoverItem(
        id=_id(r, d),
        kind=r.field(d, "kind", _KIND, required=True),
        label=label,
        status=r.field(d, "status", _STATUS, HandoverStatus.PENDING),
        on=r.field(d, "on", _HANDED_ON),
    )


def _payment(r: Reader, d: dict[str, Any]) -> Payment:
    amount = r.field(d, "amount", _PAYMENT, required=True)
    on = r.field(d, "on", _PAID_ON, required=True)
    raw_id = d.get("id")
    if raw_id is None:
        # Payments stored before they had ids get one derived from what they are, so it is
        # the same on every read until the next save writes it down.
        stable = uuid.uuid5(_PAYMENT_IDS, f"{r.path}|{amount}|{on.isoformat()}")
        return Payment(amount, on, str(stable))
    return Payment(amount, on, r.field(d, "id", _ID) or new_id())


_PAYMENT_IDS = uuid.UUID("3f6f1c0e-8a52-4d3b-9a8e-2f1b7c5d9e40")


def _invoice(r: Reader, d: dict[str, Any]) -> Invoice:
    inv = Invoice(
        id=_id(r, d),
        number=r.field(d, "number", _NUMBER, required=True),
        amount=r.field(d, "amount", _INVOICE_AMOUNT, required=True),
        issued=r.field(d, "issued", _ISSUED, required=True),
        due=r.field(d, "due", _INVOICE_DUE, required=True),
        payments=r.records(d, "payments", _payment),
        written_off=r.field(d, "written_off", _WRITTEN_OFF, False),
        final=r.field(d, "final", _FINAL, False),
    )
    r.check("due", lambda: validate.due_after_issue(inv.issued, inv.due))
    r.check("payments", lambda: validate.payments_fit(inv))
    return inv


def _letter(r: Reader, d: dict[str, Any]) -> LetterRecord:
    letter = LetterRecord(
        id=_id(r, d),
        template=r.field(d, "template", _TEMPLATE, required=True),
        subject=r.field(d, "subject", _SUBJECT, "", salvage=True),
        body=r.field(d, "body", _BODY, "", salvage=True),
        channel=r.field(d, "channel", _CHANNEL, required=True),
        sent_on=r.field(d, "sent_on", _SENT_ON, required=True),
        locale=r.field(d, "locale", validate.locale, "en"),
    )
    r.check("channel", lambda: validate.letter_channel(letter.channel))
    return letter


def _lesson(r: Reader, d: dict[str, Any]) -> Lesson:
    # An unknown or missing category is the least loss as "other": the text is what matters.
    category = LessonCategory.OTHER
    if d.get("category") is None:
        r.note("category", "is missing", None, replaced=True)
    else:
        category = r.field(d, "category", _LESSON_CATEGORY, LessonCategory.OTHER)
    raw = d.get("text")
    text = r.field(d, "text", _LESSON_TEXT, "", salvage=True)
    if not text:
        # Nothing readable is left to learn from: leave the record out (and say so).
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            r.note("text", "a lesson needs its text", raw)
        raise Drop
    return Lesson(
        id=_id(r, d),
        category=category,
        text=text,
        on=r.field(d, "on", _LESSON_DATE),
    )


def _lessons(r: Reader, d: dict[str, Any]) -> list[Lesson]:
    """The lessons learned: a list of records, or (older files) one text, which becomes one
    lesson of category other, dated later by `_date_legacy_lesson`."""
    raw = d.get("lessons")
    if not isinstance(raw, str):
        return r.records(d, "lessons", _lesson)
    text = r.field(d, "lessons", _LESSONS, "", salvage=True)
    if not text:
        return []
    # The same id on every read, until the next save writes it down.
    stable = uuid.uuid5(_LESSON_IDS, f"{d.get('id')}|{text}")
    return [Lesson(LessonCategory.OTHER, text, None, str(stable))]


_LESSON_IDS = uuid.UUID("5b0d9e63-2f4a-4c1e-8d7b-6a3c2e1f0b94")


def _date_legacy_lesson(client: Client) -> None:
    """Date a lesson carried over from an older file's text: the day it was last recorded,
    else the day the client was closed, else the day the client was added."""
    lesson = client.lessons[0]
    recorded = [e for e in client.history if e.action == "lessons"]
    closed = [e for e in client.history if e.action == "move" and e.new == Stage.CLOSED.value]
    for events in (recorded, closed):
        if events:
            lesson.on = events[-1].at.date()
            return
    lesson.on = client.created


MAX_VALUE_DEPTH = 16
MAX_VALUE_NODES = 20_000


def _plain_value(v: Any) -> Any:
    """A history event's old or new value: any JSON, but bounded in depth and size, walked
    without recursion so that a hostile file cannot exhaust the stack."""
    stack = [(v, 1)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if depth > MAX_VALUE_DEPTH or nodes > MAX_VALUE_NODES:
            raise InvalidInput("the value is nested too deeply or is too large")
        if isinstance(item, dict):
            stack.extend((x, depth + 1) for x in item.values())
        elif isinstance(item, list):
            stack.extend((x, depth + 1) for x in item)
        elif isinstance(item, str):
            if len(item) > validate.MAX_LETTER:
                raise InvalidInput("the value holds a text that is too long")
        elif item is not None and not isinstance(item, bool | int | float):
            raise InvalidInput(f"the value holds {type(item).__name__}, which JSON cannot")
    return v


def _event(r: Reader, d: dict[str, Any]) -> HistoryEvent:
    return HistoryEvent(
        at=r.field(d, "at", _timestamp, required=True),
        actor=r.field(d, "actor", _ACTOR, "", salvage=True),
        action=r.field(d, "action", _ACTION, required=True),
        summary=r.field(d, "summary", _SUMMARY, "", salvage=True),
        old=_shallow(r, d, "old"),
        new=_shallow(r, d, "new"),
    )


def _shallow(r: Reader, d: dict[str, Any], key: str) -> Any:
    value = d.get(key)
    # Almost every event holds a flat value: only walk the ones that nest.
    if isinstance(value, dict | list):
        return r.field(d, key, _plain_value)
    return value


def _contract(r: Reader, d: dict[str, Any]) -> Contract:
    return Contract(
        notice_period=r.field(d, "notice_period", _period, "", salvage=True),
        termination_clause=r.field(d, "termination_clause", _CLAUSE, "", salvage=True),
        contract_end=r.field(d, "contract_end", _CONTRACT_END),
        payment_terms_days=r.field(d, "payment_terms_days", _TERMS),
        hourly_rate=r.field(d, "hourly_rate", _HOURLY_RATE),
    )


def _checklist(r: Reader, d: dict[str, Any]) -> dict[str, dict[str, str]]:
    raw = d.get("checklist")
    if not raw:
        return {}
    if not isinstance(raw, dict):
        r.note("checklist", "must be an object", raw, replaced=True)
        return {}
    out: dict[str, dict[str, str]] = {}
    sub = r.child("checklist")
    for stage, ticks in raw.items():
        if stage not in Stage._value2member_map_ or not isinstance(ticks, dict):
            sub.note(stage, "is not a stage with a checklist", ticks, replaced=True)
            continue
        kept: dict[str, str] = {}
        for item, state in ticks.items():
            if state in ITEM_STATES and isinstance(item, str) and len(item) <= validate.MAX_LINE:
                kept[item] = state
            else:
                sub.child(stage).note(
                    item, f"state {state!r} is not done or waived", state, replaced=True
                )
        out[stage] = kept
    return out


def _fatal(d: Any) -> tuple[str, int]:
    """What a record cannot be read without: an object with a valid id and revision."""
    if not isinstance(d, dict):
        raise InvalidInput("a client record must be an object")
    client_id = validate.record_id(d.get("id"), "client id")
    rev = d.get("rev", 0)
    if isinstance(rev, bool) or not isinstance(rev, int) or not 0 <= rev < 2**53:
        raise InvalidInput(f"client revision {rev!r} is not a whole number")
    return client_id, rev


def _client(d: dict[str, Any], problems: list[Problem]) -> Client:
    client_id, rev = _fatal(d)
    r = Reader(problems)
    if d.get("name") is None:
        r.note("name", "a client needs a name", None, replaced=True)
    name = r.field(d, "name", validate.client_name, None, salvage=True) or NO_NAME
    legacy_lessons = isinstance(d.get("lessons"), str)
    client = Client(
        id=client_id,
        name=name,
        email=r.field(d, "email", validate.email, "", salvage=True),
        company=r.field(d, "company", _COMPANY, "", salvage=True),
        locale=r.field(d, "locale", validate.locale, "en"),
        currency=r.field(d, "currency", validate.currency, "EUR"),
        country=r.field(d, "country", workdays.country_code, ""),
        archetype=r.field(d, "archetype", _ARCHETYPE),
        stage=r.field(d, "stage", _STAGE, Stage.ASSESSMENT),
        outcome=r.field(d, "outcome", _OUTCOME),
        created=r.field(d, "created", _CREATED),
        contract=r.record(d, "contract", _contract) or Contract(),
        flags=r.records(d, "flags", _flag),
        assessment=r.record(d, "assessment", _assessment) or Assessment(),
        decision=r.record(d, "decision", _decision),
        repairs=r.records(d, "repairs", _repair),
        conversation=r.record(d, "conversation", _conversation),
        checklist=_checklist(r, d),
        deliverables=r.records(d, "deliverables", _deliverable),
        handover=r.records(d, "handover", _handover),
        invoices=_unique_invoices(r, r.records(d, "invoices", _invoice)),
        refunds=read_refunds(r, d),
        follow_ups=read_follow_ups(r, d),
        letters=r.records(d, "letters", _letter),
        lessons=_lessons(r, d),
        intake=r.records(d, "intake", intake_answer),
        history=r.records(d, "history", _event),
        rev=rev,
    )
    if legacy_lessons and client.lessons:
        _date_legacy_lesson(client)
    return client


def _unique_invoices(r: Reader, invoices: list[Invoice]) -> list[Invoice]:
    r.check("invoices", lambda: validate.unique((i.number for i in invoices), "invoice number"))
    return invoices


def client_problems(d: Any) -> list[Problem]:
    """Every problem of a client record, each with its path; [] when it is sound."""
    problems: list[Problem] = []
    try:
        _client(d, problems)
    except InvalidInput as exc:
        problems.insert(0, Problem("", exc.message, None))
    return problems


def client_from_dict(d: Any) -> Client:
    """A client from an import (or any record that must be sound): every field is checked,
    and InvalidInput lists every problem with its path."""
    problems: list[Problem] = []
    client = _client(d, problems)
    if problems:
        lines = [p.line() for p in problems if p.message != LEFT_OUT]
        raise InvalidInput(f"client {client.name!r}: " + "; ".join(lines))
    return client


def client_from_stored(d: Any) -> Client:
    """A client as stored: bad fields are replaced by safe values and listed in
    `client.damage`. Raises InvalidInput only for a record that cannot be a client."""
    problems: list[Problem] = []
    client = _client(d, problems)
    if problems:
        client.damage = tuple(problems)
    return client

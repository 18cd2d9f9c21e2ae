"""Use cases: the one place each business operation lives. The CLI and the TUI both call these.

Every change runs in one storage transaction: read the client fresh under the lock, change it,
append a history event, save it and push an undo entry, all in a single atomic write.
"""

from __future__ import annotations

import datetime as dt
import getpass
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from .config import Config
from .domain import notice
from .domain.checklists import ITEM_STATES, Checklist
from .domain.clock import Clock, parse_iso_date
from .domain.errors import (
    Ambiguous,
    GateBlocked,
    InvalidInput,
    NeedsConfirmation,
    NotFound,
    NothingToUndo,
    StaleEdit,
)
from .domain.models import (
    FORBIDDEN_CHANNELS,
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
    choice,
    parse_amount,
)
from .domain.stages import COMMITTED_STAGES, check_move
from .domain.timers import Deadline, agenda
from .storage.repository import ClientRef, Repository, Transaction

if TYPE_CHECKING:
    from .letters.compose import LetterRequest
    from .letters.drafts import DraftStore
    from .letters.library import Library
    from .letters.mail import Letter

EXPORT_FORMAT = "offboard-export"
EXPORT_VERSION = 1

# Returned by a change function: (summary for the history, old value, new value).
Change = tuple[str, Any, Any]


@dataclass
class MoveResult:
    client: Client
    overridden: list[str]


def default_actor(interface: str) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user} ({interface})"


class Services:
    def __init__(
        self,
        repo: Repository,
        clock: Clock,
        config: Config | None = None,
        checklists: dict[Stage, Checklist] | None = None,
        *,
        actor: str | None = None,
        session: str | None = None,
    ) -> None:
        self.repo = repo
        self.clock = clock
        self.config = config or Config()
        self.checklists = checklists if checklists is not None else {}
        self.actor = actor or default_actor("cli")
        self.session = session or str(uuid.uuid4())
        self._library: Library | None = None

    # --- finding clients ---------------------------------------------------------------------

    def resolve(self, ref: str) -> Client:
        return self.repo.get(self._resolve_id(self.repo.refs(), ref))

    def _resolve_in(self, tx: Transaction, ref: str) -> str:
        # The TUI always passes a full id: skip building a list of every client for it.
        if tx.exists(ref):
            return ref
        return self._resolve_id(tx.all_refs(), ref)

    @staticmethod
    def _resolve_id(clients: Iterable[ClientRef], ref: str) -> str:
        """A full UUID, a unique id prefix, or an unambiguous name (exact, then partial)."""
        text = ref.strip()
        if not text:
            raise InvalidInput("no client named", "give a client's name or id")
        pool = list(clients)
        low = text.casefold()
        levels: list[Callable[[ClientRef], bool]] = [
            lambda c: c.id == low,
            # An exact name wins over an id prefix: "cafe" is a name before it is hex.
            lambda c: c.name.casefold() == low,
            lambda c: len(low) >= 4 and c.id.startswith(low),
            lambda c: low in c.name.casefold(),
        ]
        for matches_level in levels:
            hits = [c for c in pool if matches_level(c)]
            if len(hits) == 1:
                return hits[0].id
            if len(hits) > 1:
                names = [f"{c.name} ({c.id[:8]})" for c in hits[:10]]
                raise Ambiguous(
                    f"{ref!r} matches {len(hits)} clients: " + ", ".join(names),
                    names,
                    "use more of the name or an id prefix",
                )
        raise NotFound(f"no client matches {ref!r}", "`offboard list` shows every client")

    # --- the change machinery -------------------------------------------------------------------

    def _event(self, action: str, summary: str, old: Any = None, new: Any = None) -> HistoryEvent:
        return HistoryEvent(self.clock.now(), self.actor, action, summary, old, new)

    def _journal(self, tx: Transaction, summary: str, changes: list[dict[str, Any]]) -> None:
        tx.journal_push(
            {
                "at": self.clock.now().isoformat(),
                "actor": self.actor,
                "session": self.session,
                "summary": summary,
                "changes": changes,
            }
        )

    def _change(
        self,
        ref: str,
        action: str,
        change: Callable[[Client], Change],
        expected_rev: int | None = None,
    ) -> Client:
        with self.repo.transaction() as tx:
            client = tx.get(self._resolve_in(tx, ref))
            if expected_rev is not None and client.rev != expected_rev:
                raise StaleEdit(
                    f"{client.name} was changed elsewhere since you opened it",
                    "reload the client and make the change again",
                )
            before = _without_history(client.to_dict())
            summary, old, new = change(client)
            client.history.append(self._event(action, summary, old, new))
            tx.put(client, client.rev)
            self._journal(
                tx,
                f"{client.name}: {summary}",
                [{"client_id": client.id, "before": before, "after_rev": client.rev}],
            )
        return client

    def _today_or(self, day: dt.date | None) -> dt.date:
        return day or self.clock.today()

    def _not_future(self, day: dt.date | None, what: str) -> dt.date:
        """Things that happened (incidents, payments, letters) cannot be dated tomorrow."""
        day = self._today_or(day)
        if day > self.clock.today():
            raise InvalidInput(f"{what} {day} is in the future", "record it once it happened")
        return day

    # --- clients ------------------------------------------------------------------------------

    def add_client(
        self,
        name: str,
        *,
        email: str = "",
        company: str = "",
        notice_period: str | None = None,
        archetype: str | None = None,
        stage: str | None = None,
        locale: str | None = None,
        currency: str | None = None,
        force: bool = False,
        **contract: Any,
    ) -> Client:
        """Add a client; `contract` takes termination_clause, contract_end,
        payment_terms_days and hourly_rate, checked as `edit_client` checks them."""
        name = name.strip()
        if not name:
            raise InvalidInput("a client needs a name")
        unknown = set(contract) - set(CONTRACT_CHECKS)
        if unknown:
            raise InvalidInput(f"a new client has no {', '.join(sorted(unknown))}")
        terms = {k: CONTRACT_CHECKS[k](v) for k, v in contract.items() if v not in (None, "")}
        period = notice_period if notice_period is not None else self.config.default_notice
        if period:
            period = notice.parse_period(period).describe()
        client = Client(
            name=name,
            email=_check_email(email),
            company=company.strip(),
            locale=(locale or self.config.locale).strip(),
            currency=_check_currency(currency or self.config.currency),
            archetype=choice(Archetype, archetype, "archetype") if archetype else None,
            created=self.clock.today(),
            contract=Contract(notice_period=period, **terms),
        )
        target = choice(Stage, stage, "stage") if stage else Stage.ASSESSMENT
        summary = f"added {name}"
        if target is not Stage.ASSESSMENT:
            check = check_move(client, target, self.checklists)
            self._enforce(client, check.missing, check.warnings, False, None, force, target)
            client.stage = target
            summary += f" in {target.value}"
        client.history.append(self._event("create", summary, None, target.value))
        with self.repo.transaction() as tx:
            tx.put(client, None)
            self._journal(
                tx, summary, [{"client_id": client.id, "before": None, "after_rev": client.rev}]
            )
        return client

    def edit_client(self, ref: str, expected_rev: int | None = None, **fields: Any) -> Client:
        checks: dict[str, Callable[[Any], Any]] = {
            "name": _check_name,
            "email": _check_email,
            "company": str.strip,
            "locale": str.strip,
            "currency": _check_currency,
            "archetype": lambda v: choice(Archetype, v, "archetype") if v else None,
        }
        contract_checks = CONTRACT_CHECKS
        unknown = set(fields) - set(checks) - set(contract_checks)
        if unknown:
            raise InvalidInput(f"cannot edit {', '.join(sorted(unknown))}")
        clean = {k: checks[k](v) for k, v in fields.items() if k in checks}
        clean_contract = {
            k: contract_checks[k](v) for k, v in fields.items() if k in contract_checks
        }

        def change(c: Client) -> Change:
            old: dict[str, Any] = {}
            new: dict[str, Any] = {}
            for key, value in clean.items():
                old[key], new[key] = _plain(getattr(c, key)), _plain(value)
                setattr(c, key, value)
            for key, value in clean_contract.items():
                old[key], new[key] = _plain(getattr(c.contract, key)), _plain(value)
                setattr(c.contract, key, value)
            return "edited " + ", ".join(sorted(new)), old, new

        return self._change(ref, "edit", change, expected_rev)

    def delete_client(self, ref: str) -> Client:
        with self.repo.transaction() as tx:
            client = tx.get(self._resolve_in(tx, ref))
            tx.delete(client.id)
            self._journal(
                tx,
                f"deleted {client.name}",
                [{"client_id": client.id, "before": client.to_dict(), "after_rev": None}],
            )
        return client

    # --- red flags, assessment, repair, decision ------------------------------------------------

    def log_flag(
        self,
        ref: str,
        category: str,
        description: str,
        *,
        severity: int = 2,
        on: dt.date | None = None,
        evidence: str = "",
        expected_rev: int | None = None,
    ) -> Client:
        if not description.strip():
            raise InvalidInput("a red flag needs a short description of what happened")
        if severity not in (1, 2, 3):
            raise InvalidInput(
                f"severity {severity} is outside 1-3", "1 minor, 2 serious, 3 severe"
            )
        day = self._not_future(on, "flag date")
        flag = RedFlag(
            category=choice(Category, category, "flag category"),
            description=description.strip(),
            on=day,
            severity=severity,
            evidence=evidence.strip(),
        )

        def change(c: Client) -> Change:
            c.flags.append(flag)
            return f"red flag ({flag.category.value}): {flag.description}", None, flag.to_dict()

        return self._change(ref, "flag", change, expected_rev)

    def assess(self, ref: str, expected_rev: int | None = None, **values: Any) -> Client:
        allowed = {"revenue", "hours", "financial", "operational", "long_term", "recommendation"}
        unknown = set(values) - allowed
        if unknown:
            raise InvalidInput(f"an assessment has no {', '.join(sorted(unknown))}")

        def change(c: Client) -> Change:
            old = c.assessment.to_dict()
            a = Assessment.from_dict(
                {
                    **old,
                    **{
                        k: v
                        for k, v in values.items()
                        if k not in ("revenue", "hours", "recommendation")
                    },
                }
            )
            if "revenue" in values:
                a.revenue = (
                    None
                    if values["revenue"] in (None, "")
                    else parse_amount(values["revenue"], "revenue")
                )
            if "hours" in values:
                a.hours = (
                    None
                    if values["hours"] in (None, "")
                    else parse_amount(values["hours"], "hours")
                )
            if "recommendation" in values:
                rec = values["recommendation"]
                a.recommendation = choice(Decision, rec, "recommendation") if rec else None
            a.on = self.clock.today()
            c.assessment = a
            return "assessment updated", old, a.to_dict()

        return self._change(ref, "assess", change, expected_rev)

    def add_repair(
        self,
        ref: str,
        strategy: str,
        review: dt.date,
        *,
        started: dt.date | None = None,
        outcome: str | None = None,
        notes: str = "",
        expected_rev: int | None = None,
    ) -> Client:
        if not strategy.strip():
            raise InvalidInput("a repair attempt needs a strategy", "e.g. 'weekly check-in call'")
        start = self._today_or(started)
        if review < start:
            raise InvalidInput(f"review date {review} is before the start {start}")
        attempt = RepairAttempt(
            strategy=strategy.strip(),
            started=start,
            review=review,
            outcome=choice(RepairOutcome, outcome, "repair outcome") if outcome else None,
            notes=notes.strip(),
        )

        def change(c: Client) -> Change:
            c.repairs.append(attempt)
            return f"repair attempt: {attempt.strategy}, review {review}", None, attempt.to_dict()

        return self._change(ref, "repair", change, expected_rev)

    def record_repair_outcome(
        self,
        ref: str,
        attempt: str,
        outcome: str,
        *,
        notes: str = "",
        expected_rev: int | None = None,
    ) -> Client:
        result = choice(RepairOutcome, outcome, "repair outcome")

        def change(c: Client) -> Change:
            target = _find_item(c.repairs, attempt, lambda r: r.strategy, "repair attempt")
            old = target.outcome.value if target.outcome else None
            target.outcome = result
            if notes.strip():
                target.notes = notes.strip()
            return f"repair '{target.strategy}' ended: {result.value}", old, result.value

        return self._change(ref, "repair-outcome", change, expected_rev)

    def decide(
        self,
        ref: str,
        decision: str,
        reason: str,
        expected_rev: int | None = None,
        *,
        force: bool = False,
    ) -> Client:
        what = choice(Decision, decision, "decision")
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput("a decision needs one clear reason")

        def change(c: Client) -> Change:
            old = c.decision.to_dict() if c.decision else None
            c.decision = DecisionRecord(what, reason, self.clock.today())
            summary = f"decided to {what.value}: {reason}"
            if what is Decision.KEEP:
                if c.stage in COMMITTED_STAGES and not force:
                    raise NeedsConfirmation(
                        f"{c.name} has already been given notice; keeping them takes it back",
                        ["confirm that the notice is withdrawn"],
                    )
                # Keeping the client ends the process: the card leaves the board as retained.
                old_stage = c.stage
                c.stage, c.outcome = Stage.CLOSED, Outcome.RETAINED
                summary += f" (retained, was in {old_stage.value})"
            return summary, old, c.decision.to_dict()

        return self._change(ref, "decide", change, expected_rev)

    def record_conversation(
        self,
        ref: str,
        on: dt.date,
        channel: str,
        period: str | None = None,
        expected_rev: int | None = None,
    ) -> Client:
        how = choice(Channel, channel, "channel")
        if how in FORBIDDEN_CHANNELS:
            raise InvalidInput(
                f"notice must not be given by {how.value}",
                "hold the conversation by phone, video, in person or email, then confirm in "
                "writing",
            )
        self._not_future(on, "conversation date")

        def change(c: Client) -> Change:
            text = period or c.contract.notice_period or self.config.default_notice
            parsed = notice.parse_period(text)
            last = notice.last_working_day(on, parsed, self.config.holidays)
            old = c.conversation.to_dict() if c.conversation else None
            c.conversation = Conversation(on, how, parsed.describe(), last)
            summary = f"conversation on {on} by {how.value}; last working day {last}"
            return summary, old, c.conversation.to_dict()

        return self._change(ref, "conversation", change, expected_rev)

    # --- moving through the stages --------------------------------------------------------------

    def move(
        self,
        ref: str,
        stage: str | Stage,
        *,
        reason: str | None = None,
        force: bool = False,
        expected_rev: int | None = None,
    ) -> MoveResult:
        target = choice(Stage, stage, "stage")
        overridden: list[str] = []

        def change(c: Client) -> Change:
            if c.stage is target:
                raise InvalidInput(f"{c.name} is already in {target.value}")
            check = check_move(c, target, self.checklists)
            self._enforce(
                c, check.missing, check.warnings, check.needs_reason, reason, force, target
            )
            overridden.extend(check.warnings if check.warnings else [])
            old = c.stage.value
            c.stage = target
            if target is Stage.CLOSED:
                c.outcome = Outcome.OFFBOARDED
            elif old == Stage.CLOSED.value:
                c.outcome = None
            parts = [f"moved from {old} to {target.value}"]
            if check.backward and reason:
                parts.append(f"because: {' '.join(reason.split())}")
            if check.warnings:
                parts.append("overriding: " + "; ".join(check.warnings))
            return ", ".join(parts), old, target.value

        client = self._change(ref, "move", change, expected_rev)
        return MoveResult(client, overridden)

    @staticmethod
    def _enforce(
        client: Client,
        missing: list[str],
        warnings: list[str],
        needs_reason: bool,
        reason: str | None,
        force: bool,
        target: Stage,
    ) -> None:
        if missing:
            raise GateBlocked(f"{client.name} cannot enter {target.value} yet", missing)
        if needs_reason and not (reason and reason.strip()):
            raise NeedsConfirmation(
                f"moving {client.name} back to {target.value} takes back what was announced",
                ["give the reason for going back"],
                needs_reason=True,
            )
        if warnings and not force:
            raise NeedsConfirmation(f"{client.name} is not ready for {target.value}", warnings)

    # --- checklists ---------------------------------------------------------------------------

    def set_checklist_item(
        self,
        ref: str,
        stage: str,
        item_id: str,
        state: str | None,
        expected_rev: int | None = None,
    ) -> Client:
        which = choice(Stage, stage, "stage")
        checklist = self.checklists.get(which)
        if checklist is None:
            raise InvalidInput(f"there is no checklist for {which.value}")
        item = checklist.item(item_id)
        if state is not None and state not in ITEM_STATES:
            raise InvalidInput(f"checklist state {state!r} unknown", "use done, waived or none")

        def change(c: Client) -> Change:
            ticks = c.checklist.setdefault(which.value, {})
            old = ticks.get(item.id)
            if state is None:
                ticks.pop(item.id, None)
            else:
                ticks[item.id] = state
            return f"{which.value} checklist: {item.text} -> {state or 'open'}", old, state

        return self._change(ref, "checklist", change, expected_rev)

    # --- notice, handover, settlement -----------------------------------------------------------

    def add_deliverable(
        self, ref: str, title: str, due: dt.date | None = None, expected_rev: int | None = None
    ) -> Client:
        if not title.strip():
            raise InvalidInput("a deliverable needs a title")
        item = Deliverable(title.strip(), due)

        def change(c: Client) -> Change:
            c.deliverables.append(item)
            return (
                f"deliverable: {item.title}" + (f", due {due}" if due else ""),
                None,
                item.to_dict(),
            )

        return self._change(ref, "deliverable", change, expected_rev)

    def set_deliverable_done(
        self, ref: str, which: str, done: bool = True, expected_rev: int | None = None
    ) -> Client:
        def change(c: Client) -> Change:
            item = _find_item(c.deliverables, which, lambda d: d.title, "deliverable")
            old, item.done = item.done, done
            return f"deliverable '{item.title}' {'done' if done else 'reopened'}", old, done

        return self._change(ref, "deliverable-done", change, expected_rev)

    def add_handover_item(
        self,
        ref: str,
        kind: str,
        label: str,
        status: str = "pending",
        expected_rev: int | None = None,
    ) -> Client:
        if not label.strip():
            raise InvalidInput("a handover item needs a label", "name it, never paste a secret")
        item = HandoverItem(
            kind=choice(HandoverKind, kind, "handover kind"),
            label=label.strip(),
            status=choice(HandoverStatus, status, "handover status"),
        )
        if item.settled:
            item.on = self.clock.today()

        def change(c: Client) -> Change:
            c.handover.append(item)
            return f"handover item ({item.kind.value}): {item.label}", None, item.to_dict()

        return self._change(ref, "handover", change, expected_rev)

    def set_handover_status(
        self, ref: str, which: str, status: str, expected_rev: int | None = None
    ) -> Client:
        new_status = choice(HandoverStatus, status, "handover status")

        def change(c: Client) -> Change:
            item = _find_item(c.handover, which, lambda h: h.label, "handover item")
            old = item.status.value
            item.status = new_status
            item.on = self.clock.today() if item.settled else None
            return f"handover '{item.label}': {new_status.value}", old, new_status.value

        return self._change(ref, "handover-status", change, expected_rev)

    def add_invoice(
        self,
        ref: str,
        number: str,
        amount: str | Decimal,
        *,
        issued: dt.date | None = None,
        due: dt.date | None = None,
        final: bool = False,
        expected_rev: int | None = None,
    ) -> Client:
        if not number.strip():
            raise InvalidInput("an invoice needs a number")
        value = parse_amount(amount, "invoice amount")
        if value == 0:
            raise InvalidInput("an invoice amount must be more than zero")
        issue_day = self._today_or(issued)

        def change(c: Client) -> Change:
            if any(i.number == number.strip() for i in c.invoices):
                raise InvalidInput(f"{c.name} already has an invoice {number.strip()}")
            terms = c.contract.payment_terms_days
            days = self.config.payment_terms_days if terms is None else terms
            due_day = due or issue_day + dt.timedelta(days=days)
            if due_day < issue_day:
                raise InvalidInput(f"due date {due_day} is before the invoice date {issue_day}")
            inv = Invoice(number.strip(), value, issue_day, due_day, final=final)
            c.invoices.append(inv)
            return f"invoice {inv.number}: {value} {c.currency}, due {due_day}", None, inv.to_dict()

        return self._change(ref, "invoice", change, expected_rev)

    def record_payment(
        self,
        ref: str,
        invoice: str,
        amount: str | Decimal | None = None,
        *,
        on: dt.date | None = None,
        expected_rev: int | None = None,
    ) -> Client:
        day = self._not_future(on, "payment date")

        def change(c: Client) -> Change:
            inv = _find_item(c.invoices, invoice, lambda i: i.number, "invoice")
            if inv.settled:
                raise InvalidInput(f"invoice {inv.number} is already settled")
            value = inv.outstanding if amount is None else parse_amount(amount, "payment")
            if value == 0 or value > inv.outstanding:
                raise InvalidInput(
                    f"payment {value} does not fit invoice {inv.number}",
                    f"{inv.outstanding} {c.currency} is open",
                )
            inv.payments.append(Payment(value, day))
            return (
                f"payment of {value} {c.currency} on invoice {inv.number}",
                str(inv.outstanding + value),
                str(inv.outstanding),
            )

        return self._change(ref, "payment", change, expected_rev)

    def write_off(self, ref: str, invoice: str, expected_rev: int | None = None) -> Client:
        def change(c: Client) -> Change:
            inv = _find_item(c.invoices, invoice, lambda i: i.number, "invoice")
            if inv.settled:
                raise InvalidInput(f"invoice {inv.number} has nothing open to write off")
            owed = inv.outstanding
            inv.written_off = True
            return f"wrote off {owed} {c.currency} on invoice {inv.number}", str(owed), "0.00"

        return self._change(ref, "write-off", change, expected_rev)

    def record_letter(
        self,
        ref: str,
        template: str,
        subject: str,
        body: str,
        channel: str,
        *,
        sent_on: dt.date | None = None,
        locale: str = "en",
        expected_rev: int | None = None,
    ) -> Client:
        how = choice(Channel, channel, "channel")
        if how in FORBIDDEN_CHANNELS:
            raise InvalidInput(
                f"a letter is never sent by {how.value}",
                "it reads as careless and leaves no proper record; use email or post",
            )
        letter = LetterRecord(
            template, subject, body, how, self._not_future(sent_on, "letter date"), locale
        )

        def change(c: Client) -> Change:
            c.letters.append(letter)
            return (
                f"letter '{subject or template}' sent by {how.value}",
                None,
                {"id": letter.id, "template": template, "channel": how.value},
            )

        return self._change(ref, "letter", change, expected_rev)

    # --- letters ------------------------------------------------------------------------------
    # Jinja2 and Babel load on first use: the board's first paint must not pay for them.

    def letter_library(self) -> Library:
        from .letters.library import Library

        if self._library is None:
            self._library = Library()
        return self._library

    def drafts(self) -> DraftStore:
        """Unsent letter drafts, kept beside the database."""
        from .letters.drafts import DraftStore

        return DraftStore(self.repo.path)

    def letter_context(self, client: Client, locale: str) -> dict[str, Any]:
        """The fields a letter template reads, for this client today, in `locale`."""
        from .letters.context import build_context

        return build_context(client, self.config, self.clock.today(), locale)

    def prepare_letter(
        self, ref: str | Client, template: str, locale: str | None = None
    ) -> LetterRequest:
        """The template and the client's fields for one letter, ready for the editor or CLI."""
        from .letters.compose import prepare

        client = ref if isinstance(ref, Client) else self.resolve(ref)
        today = self.clock.today()
        return prepare(self.letter_library(), client, template, self.config, today, locale)

    def mail_for(self, client: Client, subject: str, body: str) -> Letter:
        """The mail that would carry this letter from the configured sender to the client."""
        from .letters.mail import Letter

        cfg = self.config
        return Letter(
            sender_name=cfg.sender_name,
            sender_email=cfg.sender_email,
            to=client.email,
            to_name=client.company or client.name,
            subject=subject,
            body=body,
            date=self.clock.today(),
            message_id=None,
        )

    def send_mail(self, letter: Letter) -> str:
        """Send over the configured SMTP server; touches no storage, so it may run on any
        thread. Record it afterwards with record_letter (channel email)."""
        from .letters.smtp import send

        return send(letter, self.config.smtp, config_path=self.config.source)

    def set_lessons(self, ref: str, text: str, expected_rev: int | None = None) -> Client:
        def change(c: Client) -> Change:
            old, c.lessons = c.lessons, text.strip()
            return "lessons learned recorded", old, c.lessons

        return self._change(ref, "lessons", change, expected_rev)

    # --- undo ---------------------------------------------------------------------------------

    def undo(self, *, this_session_only: bool = False) -> str:
        """Undo the newest change (of this session only, for the TUI); returns its summary."""
        with self.repo.transaction() as tx:
            entry = tx.journal_pop(self.session if this_session_only else None)
            if entry is None:
                raise NothingToUndo("there is nothing to undo")
            for item in reversed(entry["changes"]):
                self._undo_one(tx, item, entry["summary"])
        return entry["summary"]

    def _undo_one(self, tx: Transaction, item: dict[str, Any], summary: str) -> None:
        cid, before, after_rev = item["client_id"], item["before"], item["after_rev"]
        current = tx.get(cid) if tx.exists(cid) else None
        current_rev = None if current is None else current.rev
        if current_rev != after_rev:
            raise StaleEdit(
                f"cannot undo '{summary}': the client was changed again since",
                "undo the later change first, or edit the client by hand",
            )
        if before is None:
            tx.delete(cid)
            return
        if "history_len" in before:
            # The journal keeps no copy of the history: it was the current one, cut back.
            assert current is not None
            history = [h.to_dict() for h in current.history[: before["history_len"]]]
            before = {**before, "history": history}
            del before["history_len"]
        restored = Client.from_dict(before)
        restored.history.append(self._event("undo", f"undid: {summary}"))
        if current_rev is not None:
            restored.rev = current_rev
        tx.put(restored, current_rev)
        tx.journal_rebase(cid, before["rev"], restored.rev)

    # --- reading ------------------------------------------------------------------------------

    def clients(self, stage: str | None = None, include_closed: bool = True) -> list[Client]:
        every = self.repo.clients()
        if stage:
            which = choice(Stage, stage, "stage")
            every = [c for c in every if c.stage is which]
        elif not include_closed:
            every = [c for c in every if c.active]
        return sorted(every, key=lambda c: (c.stage.index, c.name.casefold()))

    def timers(self) -> list[Deadline]:
        return agenda(self.repo.clients())

    # --- export and import --------------------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported": self.clock.today().isoformat(),
            "clients": [c.to_dict() for c in self.clients()],
        }

    def import_data(self, data: Any, *, replace: bool = False) -> list[Client]:
        """Add every client of an export, all or none. Existing ids need `replace`."""
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise InvalidInput("this is not an offboard export", "make one with `offboard export`")
        if data.get("version") != EXPORT_VERSION:
            raise InvalidInput(f"export version {data.get('version')!r} is not supported")
        raw = data.get("clients")
        if not isinstance(raw, list):
            raise InvalidInput("the export has no list of clients")
        incoming = [Client.from_dict(d) for d in raw]
        ids = [c.id for c in incoming]
        if len(set(ids)) != len(ids):
            raise InvalidInput("the export lists the same client id twice")
        with self.repo.transaction() as tx:
            existing = [c for c in incoming if tx.exists(c.id)]
            if existing and not replace:
                names = ", ".join(c.name for c in existing[:5])
                raise InvalidInput(
                    f"{len(existing)} client(s) already exist ({names})",
                    "use --replace to overwrite them with the imported version",
                )
            changes = []
            for client in incoming:
                before = tx.get(client.id) if tx.exists(client.id) else None
                client.history.append(self._event("import", "imported"))
                tx.put(client, before.rev if before else None)
                changes.append(
                    {
                        "client_id": client.id,
                        "before": before.to_dict() if before else None,
                        "after_rev": client.rev,
                    }
                )
            self._journal(tx, f"imported {len(incoming)} client(s)", changes)
        return incoming


# --- helpers ------------------------------------------------------------------------------------


CONTRACT_CHECKS: dict[str, Callable[[Any], Any]] = {
    "notice_period": lambda v: notice.parse_period(v).describe() if v else "",
    "termination_clause": str.strip,
    "contract_end": lambda v: _check_opt_date(v),
    "payment_terms_days": lambda v: _check_terms(v),
    "hourly_rate": lambda v: None if v in (None, "") else parse_amount(v, "hourly rate"),
}


def _without_history(snapshot: dict[str, Any]) -> dict[str, Any]:
    """An undo snapshot without the history, which would make the journal grow quadratically."""
    slim = dict(snapshot)
    slim["history_len"] = len(slim.pop("history"))
    return slim


def _check_name(value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput("a client needs a name")
    return value


def _check_email(value: str) -> str:
    value = value.strip()
    if value and ("@" not in value or any(ch in value for ch in " \r\n\0,;<>")):
        raise InvalidInput(f"{value!r} is not an email address", "write it like ana@example.com")
    return value


def _check_currency(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise InvalidInput(f"currency {value!r} is not a three-letter code", "e.g. EUR, USD, GBP")
    return code


def _check_opt_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise InvalidInput(f"contract end {value!r} is not a date", "use YYYY-MM-DD")
    return parse_iso_date(value, "contract end")


def _check_terms(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"payment terms {value!r} is not a number of days") from None
    if not 0 <= days <= 365:
        raise InvalidInput(f"payment terms of {days} days is outside 0-365")
    return days


def _plain(value: Any) -> Any:
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


T = TypeVar("T")


def _find_item(items: list[T], ref: str, label: Callable[[T], str], what: str) -> T:
    """Find a sub-record by id, id prefix, 1-based position, or unambiguous label."""
    text = ref.strip()
    low = text.casefold()
    if text.isdigit() and 1 <= int(text) <= len(items):
        return items[int(text) - 1]
    for test in (
        lambda i: getattr(i, "id", None) == text,
        lambda i: len(text) >= 4 and str(getattr(i, "id", "")).startswith(text),
        lambda i: label(i).casefold() == low,
        lambda i: low in label(i).casefold(),
    ):
        hits = [i for i in items if test(i)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise InvalidInput(f"{ref!r} matches more than one {what}", "use its number")
    raise NotFound(f"no {what} matches {ref!r}")

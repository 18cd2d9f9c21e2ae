"""Telling a client's story through the services: the one way demo and generated clients are
made, so they can never drift from what the app itself does and writes.

A `Board` is the services over a `MemoryRepository`, on a `FixedClock`. A `Story` is one
client's life on it: every step names the day it happened (as an offset from `today`), moves
the clock there and calls the service that does it, so the history the services write carries
the story's dates and wording. Steps must be told in order: a story never goes back in time,
so its history is in order too.

The services give every new record a random id; `Board.records(seed)` renumbers them from a
seeded generator, so the same board built twice is the same byte for byte.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import formats
from ..checklists import load_checklists
from ..config import Config
from ..domain.checklists import Checklist
from ..domain.clock import FixedClock
from ..domain.ids import uuid4_text
from ..domain.models import (
    Category,
    Channel,
    Client,
    Conversation,
    Decision,
    HandoverKind,
    HandoverStatus,
    Invoice,
    LessonCategory,
    RepairOutcome,
    Stage,
)
from ..services import Services
from ..storage.memory import MemoryRepository
from ..storage.repository import Record

DEMO_ACTOR = "demo"
DEMO_SESSION = "demo"

# The ids of the shipped checklist items (templates/checklists/*.toml); tests/test_demo.py
# checks that they still match the shipped files, which the stories tick through the services.
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

# Nowhere real: the demo reads only the shipped checklists, never the user's own.
_NO_USER_CHECKLISTS = Path("/nonexistent/offboard-demo-checklists")


@functools.lru_cache(maxsize=1)
def shipped_checklists() -> Mapping[Stage, Checklist]:
    return load_checklists(_NO_USER_CHECKLISTS)


class Board:
    """The services over an empty MemoryRepository, on a clock the stories move."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.clock = FixedClock(today)
        self.repo = MemoryRepository()
        self.services = Services(
            self.repo,
            self.clock,
            Config(),
            dict(shipped_checklists()),
            actor=DEMO_ACTOR,
            session=DEMO_SESSION,
        )

    def records(self, seed: int | str) -> list[Record]:
        """Every client's stored record, in the order they were added, with its ids drawn
        afresh from `seed` (see `renumbered`)."""
        rng = random.Random(seed)
        return [renumbered(doc, rng) for doc in self.repo.documents().values()]


def renumbered(doc: Record, rng: random.Random) -> Record:
    """A copy of a stored client record in which every id (of the client, of its records,
    and wherever the history quotes a record with its id) is replaced by one drawn from
    `rng`, in the order the ids first appear in the record; a link to a record that appeared
    earlier follows its id."""
    ids: dict[str, str] = {}
    known = ids.get
    draw = rng.getrandbits

    # Called for every record of every generated board: the two kinds of container each get
    # their own copier, and names are bound once, which halves the time of one generic one.
    def copy_list(value: list[Any]) -> list[Any]:
        return [
            (copy_dict(v) if isinstance(v, dict) else copy_list(v))
            if isinstance(v, _CONTAINERS)
            else v
            for v in value
        ]

    def copy_dict(value: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, v in value.items():
            if isinstance(v, str):
                if key == "id":
                    new = known(v)
                    if new is None:
                        new = ids[v] = uuid4_text(draw(128))
                    out[key] = new
                else:
                    # A link to a record met before (a follow-up's invoice): renumbered with it.
                    out[key] = known(v, v)
            elif isinstance(v, _CONTAINERS):
                out[key] = copy_dict(v) if isinstance(v, dict) else copy_list(v)
            else:
                out[key] = v
        return out

    return copy_dict(doc)


_CONTAINERS = (dict, list)


class Story:
    """One client's life on a board, told step by step through the services.

    Each step takes the day it happened as an offset from the board's today; steps are told
    in order (RuntimeError for a step dated before the one before it). A step the services
    refuse raises their error: a demo bug, to fix in the story, never in the rule.
    """

    def __init__(self, board: Board, created: int, name: str, **fields: Any) -> None:
        self.today = board.today
        self._clock = board.clock
        self._services = board.services
        self._day: dt.date | None = None
        self.at(created)
        self.client: Client = self._services.add_client(name, **fields)
        self.id = self.client.id

    # --- time and words -------------------------------------------------------------------------

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def at(self, offset: int) -> dt.date:
        """Move the clock to the day of the next step."""
        day = self.day(offset)
        if day != self._day:
            if self._day is not None and day < self._day:
                raise RuntimeError(f"a demo story goes back in time from {self._day} to {day}")
            self._clock.set_today(day)
            self._day = day
        return day

    def text(self, when: int | dt.date) -> str:
        """A date as a letter in the client's language writes it."""
        day = when if isinstance(when, dt.date) else self.day(when)
        return formats.day(day, self.client.locale)

    def money(self, amount: Decimal | str) -> str:
        """An amount in the client's currency, as a letter in the client's language writes it."""
        return formats.money(Decimal(amount), self.client.currency, self.client.locale)

    def invoice_now(self, invoice_id: str) -> Invoice:
        """The invoice as it stands after the steps so far."""
        return next(i for i in self.client.invoices if i.id == invoice_id)

    # --- the case -------------------------------------------------------------------------------

    def flag(
        self, offset: int, category: Category, severity: int, text: str, evidence: str = ""
    ) -> None:
        self.at(offset)
        self.client = self._services.log_flag(
            self.id, category, text, severity=severity, evidence=evidence
        )

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
        self.at(offset)
        self.client = self._services.assess(
            self.id,
            revenue=revenue,
            hours=hours,
            financial=financial,
            operational=operational,
            long_term=long_term,
            recommendation=recommendation,
        )

    def edit(self, offset: int, **fields: Any) -> None:
        self.at(offset)
        self.client = self._services.edit_client(self.id, **fields)

    def repair(self, offset: int, strategy: str, review: int, notes: str = "") -> str:
        """A repair attempt started on the day of `offset`; returns its id."""
        self.at(offset)
        self.client = self._services.add_repair(self.id, strategy, self.day(review), notes=notes)
        return self.client.repairs[-1].id

    def repair_outcome(
        self, offset: int, attempt: str, outcome: RepairOutcome, notes: str = ""
    ) -> None:
        self.at(offset)
        self.client = self._services.record_repair_outcome(self.id, attempt, outcome, notes=notes)

    def decide(self, offset: int, decision: Decision, reason: str) -> None:
        self.at(offset)
        self.client = self._services.decide(self.id, decision, reason)

    def converse(self, offset: int, channel: Channel, period: str | None = None) -> Conversation:
        """The conversation that gives notice, held on the day of `offset`."""
        day = self.at(offset)
        self.client = self._services.record_conversation(self.id, day, channel, period)
        assert self.client.conversation is not None
        return self.client.conversation

    def move(
        self, offset: int, stage: Stage, *, force: bool = False, reason: str | None = None
    ) -> None:
        """A move through the stage's gates; `force` overrides a soft gate, `reason` says why
        a card goes back (both recorded by the services)."""
        self.at(offset)
        self.client = self._services.move(self.id, stage, force=force, reason=reason).client

    def tick(
        self, offset: int, stage: Stage, items: Iterable[str], waived: Iterable[str] = ()
    ) -> None:
        """Checklist items done (and others waived) on the day of `offset`."""
        self.at(offset)
        for state, ids in (("done", items), ("waived", waived)):
            for item in ids:
                self.client = self._services.set_checklist_item(self.id, stage, item, state)

    def tick_all(self, offset: int, stage: Stage, waived: Sequence[str] = ()) -> None:
        """Every item of the stage's checklist done, but those waived."""
        every = [item.id for item in self._services.checklists[stage].items]
        self.tick(offset, stage, [i for i in every if i not in waived], waived)

    def enter(self, offset: int, stage: Stage) -> None:
        """Move into `stage` and, the same day, tick every item of its checklist."""
        self.move(offset, stage)
        self.tick_all(offset, stage)

    def lesson(self, offset: int, category: LessonCategory, text: str) -> None:
        """A lesson learned, written down on the day of `offset`."""
        self.at(offset)
        self.client = self._services.add_lesson(self.id, category, text)

    # --- what is handed over and what is owed ---------------------------------------------------

    def deliverable(self, offset: int, title: str, due: int) -> str:
        """A deliverable promised on the day of `offset`; returns its id."""
        self.at(offset)
        self.client = self._services.add_deliverable(self.id, title, self.day(due))
        return self.client.deliverables[-1].id

    def deliver(self, offset: int, deliverable: str) -> None:
        self.at(offset)
        self.client = self._services.set_deliverable_done(self.id, deliverable)

    def handover(self, offset: int, kind: HandoverKind, label: str) -> str:
        """A handover item listed (pending) on the day of `offset`; returns its id."""
        self.at(offset)
        self.client = self._services.add_handover_item(self.id, kind, label)
        return self.client.handover[-1].id

    def hand_over(
        self, offset: int, item: str, status: HandoverStatus = HandoverStatus.HANDED_OVER
    ) -> None:
        self.at(offset)
        self.client = self._services.set_handover_status(self.id, item, status)

    def hand_over_all(self, offset: int, *items: tuple[HandoverKind, str, int]) -> None:
        """Handover items listed on the day of `offset`, each (kind, label, the day it was
        handed over), in that order."""
        listed = [self.handover(offset, kind, label) for kind, label, _ in items]
        for item, (_, _, done) in zip(listed, items, strict=True):
            self.hand_over(done, item)

    def invoice(
        self, offset: int, number: str, amount: str, due: int, *, final: bool = False
    ) -> Invoice:
        """An invoice issued on the day of `offset`, as recorded then."""
        self.at(offset)
        self.client = self._services.add_invoice(
            self.id, number, amount, due=self.day(due), final=final
        )
        return self.client.invoices[-1]

    def pay(self, offset: int, invoice: Invoice, amount: str | None = None) -> None:
        """A payment received on the day of `offset`: what is open, unless `amount`."""
        self.at(offset)
        self.client = self._services.record_payment(self.id, invoice.id, amount)

    def write_off(self, offset: int, invoice: Invoice) -> None:
        self.at(offset)
        self.client = self._services.write_off(self.id, invoice.id)

    def refund(self, offset: int, amount: str, reason: str) -> None:
        """A refund agreed with the client on the day of `offset`."""
        self.at(offset)
        self.client = self._services.add_refund(self.id, amount, reason)

    def refund_paid(self, offset: int) -> None:
        """The one refund still owed paid out on the day of `offset`."""
        self.at(offset)
        self.client = self._services.mark_refund_paid(self.id)

    def follow_up(self, offset: int, about: str, on: int, invoice: Invoice | None = None) -> None:
        """A follow-up recorded on the day of `offset`, for the day of `on`."""
        self.at(offset)
        chased = None if invoice is None else invoice.id
        self.client = self._services.add_follow_up(self.id, about, self.day(on), invoice=chased)

    def letter(
        self,
        offset: int,
        template: str,
        subject: str,
        body: str,
        channel: Channel = Channel.EMAIL,
    ) -> None:
        """A letter sent on the day of `offset`, in the client's language."""
        self.at(offset)
        self.client = self._services.record_letter(
            self.id, template, subject, body, channel, locale=self.client.locale
        )

"""Generated clients for benchmarks: any number of demo-like clients over every stage, made
through the services like the demo (see `Story`), the same for the same seed.

Each client takes about 1.7 KB of JSON, the size the benchmarks are calibrated on: of the
history the services wrote, a generated client keeps the first event (its creation) and the
move into its current stage. Generated clients keep no checklists, so their moves into
handover and settlement override that soft gate, as their history says.

A large board can be built by several processes, each taking a run of whole boards: one seeded
generator draws every client's details in turn, so a process that starts at client k first
replays the draws of the k clients before (with `_Draws`, a story that only draws), and the
ids are renumbered in this process, in order, as if one process had built them all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from multiprocessing import get_context
from typing import Any

from ..domain.codec import client_from_stored
from ..domain.models import (
    Archetype,
    Category,
    Channel,
    Client,
    Conversation,
    Decision,
    HandoverKind,
    Invoice,
    LessonCategory,
    RepairOutcome,
    Stage,
)
from ..services import paused_gc
from ..storage.repository import Record
from .story import Board, Story, renumbered

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
_FLAGS = (
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
_REASONS = {
    Archetype.MICROMANAGER: "Our working styles differ too much.",
    Archetype.SCOPE_CREEPER: "The scope keeps growing beyond what was agreed.",
    Archetype.NON_PAYER: "Invoices are paid late despite the agreed terms.",
    Archetype.ABUSIVE: "The tone of messages means the work cannot continue.",
    Archetype.OUTGROWN: "The business has grown in another direction.",
    Archetype.TIME_SINK: "The engagement no longer fits my business.",
}
# What a closed client of each kind taught (chosen by archetype, so no draw of the generator
# is spent on it and the rest of every generated board stays as it was).
_LESSONS = {
    Archetype.MICROMANAGER: (
        LessonCategory.COMMUNICATION,
        "Agree how often we check in, and how, before the work starts.",
    ),
    Archetype.SCOPE_CREEPER: (
        LessonCategory.CONTRACT_CLAUSE,
        "A change-order clause: new requests are quoted before they are done.",
    ),
    Archetype.NON_PAYER: (
        LessonCategory.PAYMENT_TERMS,
        "Ask for a deposit, and pause the work when an invoice is two weeks late.",
    ),
    Archetype.ABUSIVE: (
        LessonCategory.MISSED_RED_FLAG,
        "Dismissive remarks in the first call were a warning sign.",
    ),
    Archetype.OUTGROWN: (
        LessonCategory.SCREENING_QUESTION,
        "Ask where the business wants to be in two years.",
    ),
    Archetype.TIME_SINK: (
        LessonCategory.SCREENING_QUESTION,
        "Ask how much support is expected beyond the project itself.",
    ),
}
_HANDOVER = (
    (HandoverKind.FILE, "Project files"),
    (HandoverKind.CREDENTIAL, "Hosting admin login"),
    (HandoverKind.DOCUMENT, "Transition notes"),
    (HandoverKind.CONTACT, "Vendor contacts"),
)
# Clients are built a few at a time, each batch on a board of its own: every new change
# scans the board's undo journal (up to 200 entries), and a short journal keeps that cheap.
_PER_BOARD = 20


def generate_clients(n: int, today: dt.date, seed: int = 0) -> list[Client]:
    """n demo-like clients for benchmarks, about 1.7 KB of JSON each, over every stage.

    Deterministic for a seed: the same seed gives the same clients, ids included.
    """
    return [client_from_stored(doc) for doc in generate_records(n, today, seed)]


def generate_records(
    n: int,
    today: dt.date,
    seed: int = 0,
    *,
    full_history: bool = False,
    bulk: bool = True,
    jobs: int = 1,
) -> list[Record]:
    """The stored records of `generate_clients(n, today, seed)`, without decoding them:
    what `write_records` writes. `full_history` keeps every event the services wrote;
    `bulk=False` builds without the services' bulk fast path (slower; the same records but
    for their revisions, which a new file sets to 1 anyway). `jobs` > 1 builds the later
    parts of the board in that many processes in all (new ones, started afresh): the same
    records, sooner on a machine with as many idle cores."""
    parts = _parts(n, max(1, jobs))
    ids = random.Random(f"generated-{seed}")
    records: list[Record] = []
    with contextlib.ExitStack() as stack:
        later = []
        if len(parts) > 1:
            pool = ProcessPoolExecutor(len(parts) - 1, get_context("spawn"))
            stack.callback(pool.shutdown, cancel_futures=True)
            later = [
                pool.submit(_built_elsewhere, today, seed, first, last, full_history, bulk)
                for first, last in parts[1:]
            ]
        with paused_gc():
            first, last = parts[0]
            own = _built(today, random.Random(seed), first, last, full_history, bulk)
            records += (renumbered(doc, ids) for doc in own)
            while later:
                # A part's records are let go as soon as they are renumbered: holding two
                # copies of a large board costs memory, and the time to fault it in.
                records += (renumbered(doc, ids) for doc in later.pop(0).result())
    return records


def _parts(n: int, jobs: int) -> list[tuple[int, int]]:
    """Client index ranges in whole boards, none empty (but for n = 0). The first part, built
    here, is smaller: this process also renumbers every part, so all end at about the same time."""
    boards = -(-n // _PER_BOARD)
    shares = list(itertools.accumulate([_OWN_SHARE] + [1.0] * (jobs - 1)))
    cuts = [0] + [int(boards * s / shares[-1]) * _PER_BOARD for s in shares[:-1]] + [n]
    return [(a, b) for a, b in itertools.pairwise(cuts) if a < b] or [(0, 0)]


# Renumbering a record costs about a tenth of building it, and this process renumbers them
# all: its own share of the building is smaller by about that much for every other part.
_OWN_SHARE = 0.8


def _built(
    today: dt.date, rng: random.Random, first: int, last: int, full_history: bool, bulk: bool
) -> Iterator[Record]:
    """Clients `first` to `last` (excluded) as stored, ids not yet renumbered, made board by
    board as they are asked for; `rng` in the state the clients before them left it in."""
    stages = tuple(Stage)
    for start in range(first, last, _PER_BOARD):
        board = Board(today)
        with board.services.bulk() if bulk else contextlib.nullcontext():
            for i in range(start, min(start + _PER_BOARD, last)):
                _generated(board, i, stages[i % len(stages)], rng, Story)
        made = board.repo.documents().values()
        yield from (made if full_history else map(_compact, made))


def _built_elsewhere(
    today: dt.date, seed: int, first: int, last: int, full_history: bool, bulk: bool
) -> list[Record]:
    """`_built` in another process. The draws of the clients before `first` are made again
    without the services (about 5 % of the cost of building them), to reach the state they
    left the generator in."""
    rng = random.Random(seed)
    with paused_gc():
        board = Board(today)
        stages = tuple(Stage)
        for i in range(first):
            _generated(board, i, stages[i % len(stages)], rng, _Draws)
        return list(_built(today, rng, first, last, full_history, bulk))


def _compact(doc: Record) -> Record:
    """The record with the history cut to its creation and the last move."""
    history = doc["history"]
    moves = [e for e in history if e["action"] == "move"]
    return {**doc, "history": history[:1] + moves[-1:]}


def _generated(board: Board, i: int, stage: Stage, rng: random.Random, story: type[Story]) -> None:
    number = i + 1
    adjective, noun = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
    locale, currency = rng.choice(_LOCALES)
    archetype = rng.choice(tuple(Archetype))
    period = rng.choice(_PERIODS)
    # t walks forward from the start, so every step happens after the previous one; the
    # longest path (to closed) adds at most ~150 days, so nothing lands in the future.
    start = -rng.randint(200, 900)
    slug = f"{adjective}-{noun}-{number}".lower()
    s = story(
        board,
        start,
        f"{adjective} {noun} {number}",
        email=f"office@{slug}.example.com",
        locale=locale,
        currency=currency,
        archetype=archetype,
        notice_period=period,
        payment_terms_days=rng.choice((14, 30)),
    )
    t = start + rng.randint(10, 30)
    for _ in range(1 if rng.random() < 0.75 else 2):
        category, text = rng.choice(_FLAGS)
        s.flag(t, category, rng.randint(1, 3), text)
        t += rng.randint(3, 15)
    repairing = stage is Stage.REPAIR or (stage is Stage.CLOSED and rng.random() < 0.3)
    amount = f"{rng.randint(8, 60) * 50}.00"
    # Clients that reach settlement get one final invoice instead of a running one.
    if repairing or stage not in (Stage.SETTLEMENT, Stage.CLOSED):
        inv = s.invoice(t, f"G{number}-1", amount, t + 14)
        if stage is not Stage.ASSESSMENT or rng.random() < 0.5:
            t += 12
            s.pay(t, inv)
    if stage is Stage.ASSESSMENT:
        return
    revenue = f"{rng.randint(20, 300) * 100}.00"
    hours = f"{rng.randint(40, 300)}.00"
    s.assess(t, revenue, hours, recommendation=Decision.REPAIR if repairing else Decision.OFFBOARD)
    t += rng.randint(2, 6)
    if repairing:
        # A review needs at least a day after the attempt starts.
        review = max(rng.randint(-5, 20), t + 1) if stage is Stage.REPAIR else t + 30
        s.decide(t, Decision.REPAIR, "Try a steadier way of working first.")
        attempt = s.repair(t, "Weekly check-in call", review)
        s.move(t, Stage.REPAIR)
        if stage is Stage.CLOSED:
            s.repair_outcome(t + 30, attempt, RepairOutcome.IMPROVED)
            s.decide(t + 31, Decision.KEEP, "The weekly call fixed it.")
        return
    s.decide(t, Decision.OFFBOARD, _REASONS[archetype])
    s.move(t, Stage.PREPARATION)
    if stage is Stage.PREPARATION:
        return
    t += rng.randint(5, 20)
    if stage is Stage.NOTICE:  # recent: some notices still running, some past their last day
        t = max(t, -rng.randint(2, 40))
    conv = s.converse(t, rng.choice((Channel.PHONE, Channel.EMAIL, Channel.VIDEO)), period)
    s.letter(t, "confirmation", "Notice", f"Last working day: {s.text(conv.last_day)}.")
    s.move(t, Stage.NOTICE)
    if stage is Stage.NOTICE:
        return
    t += rng.randint(3, 10)
    # No checklist is ticked: moving on overrides the soft gates that ask for them.
    s.move(t, Stage.HANDOVER, force=True)
    kind, label = rng.choice(_HANDOVER)
    item = s.handover(t, kind, label)
    if stage is not Stage.HANDOVER or rng.random() < 0.5:
        s.hand_over(t + 2, item)
    if stage is Stage.HANDOVER:
        return
    t += rng.randint(3, 10)
    s.move(t, Stage.SETTLEMENT, force=True)
    final = s.invoice(t, f"G{number}-2", amount, t + 14, final=True)
    if stage is Stage.SETTLEMENT:
        return
    s.pay(t + 10, final)
    s.lesson(t + 11, *_LESSONS[archetype])
    s.move(t + 11, Stage.CLOSED)


class _Draws(Story):
    """A story that only makes its generator's draws: every step does nothing. Replaying
    `_generated` with it leaves the generator exactly as building those clients does."""

    def __init__(self, board: Board, created: int, name: str, **fields: Any) -> None:
        self.today = board.today

    def text(self, when: int | dt.date) -> str:
        return ""

    def flag(self, *args: Any, **kwargs: Any) -> None:
        pass

    def assess(self, *args: Any, **kwargs: Any) -> None:
        pass

    def decide(self, *args: Any, **kwargs: Any) -> None:
        pass

    def move(self, *args: Any, **kwargs: Any) -> None:
        pass

    def repair(self, *args: Any, **kwargs: Any) -> str:
        return ""

    def repair_outcome(self, *args: Any, **kwargs: Any) -> None:
        pass

    def converse(self, offset: int, *args: Any, **kwargs: Any) -> Conversation:
        day = self.day(offset)
        return Conversation(day, Channel.PHONE, "", day)

    def letter(self, *args: Any, **kwargs: Any) -> None:
        pass

    def handover(self, *args: Any, **kwargs: Any) -> str:
        return ""

    def hand_over(self, *args: Any, **kwargs: Any) -> None:
        pass

    def invoice(self, offset: int, number: str, *args: Any, **kwargs: Any) -> Invoice:
        day = self.day(offset)
        return Invoice(number, Decimal(0), day, day, id="")

    def pay(self, *args: Any, **kwargs: Any) -> None:
        pass

    def lesson(self, *args: Any, **kwargs: Any) -> None:
        pass

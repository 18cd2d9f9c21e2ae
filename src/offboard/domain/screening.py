"""Screening a prospective client against what past clients taught.

The lessons learned of closed clients are gathered into a checklist. Each lesson's category
decides what kind of item it becomes:

| lesson category      | item kind    | answered as                                      | against |
|----------------------|--------------|--------------------------------------------------|---------|
| missed-red-flag      | warning sign | do you see this sign in the prospect?            | yes     |
| screening-question   | question     | did they answer it to your satisfaction?         | no      |
| communication        | question     | (expectations to agree up front: do they agree?) | no      |
| other                | question     | (anything else worth checking before starting)   | no      |
| contract-clause      | clause       | will they sign a contract that says this?        | no      |
| payment-terms        | clause       | (deposits and terms are written into a contract) | no      |

Lessons that say the same thing (the same words, whatever their case, spacing and
punctuation) and become the same kind of item merge into one item, which remembers which
clients taught it and how often. An item's id is made from its kind and those words, so it
stays the same as long as the lessons do. The user's own edits (`Edits`, made by
screening_edits.py, kept in a file by offboard/screening_file.py) apply on top: items of
their own, their own wording of a learned item, and items hidden from the checklist.

`evaluate` turns a prospect's answers into a suggestion, go, caution or decline, with the
reasons as sentences with their figures. Every answer that counts against the prospect adds
points (its kind's points, more when several past clients taught it): any points at all mean
caution, and from `decline_from` on, decline. A prospect with nothing answered is never a go
(it is not screened), nor one with too large a share unanswered. The thresholds are data
(`Thresholds`, the [screening] table of templates/recommendation.toml).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from . import validate
from .errors import InvalidInput
from .figures import Number, Sentence
from .models import Answer, Client, ItemKind, Lesson, LessonCategory, Stage
from .wording import counted

KIND_OF: Mapping[LessonCategory, ItemKind] = {
    LessonCategory.MISSED_RED_FLAG: ItemKind.WARNING_SIGN,
    LessonCategory.SCREENING_QUESTION: ItemKind.QUESTION,
    LessonCategory.COMMUNICATION: ItemKind.QUESTION,
    LessonCategory.OTHER: ItemKind.QUESTION,
    LessonCategory.CONTRACT_CLAUSE: ItemKind.CLAUSE,
    LessonCategory.PAYMENT_TERMS: ItemKind.CLAUSE,
}

KIND_ORDER: tuple[ItemKind, ...] = (ItemKind.WARNING_SIGN, ItemKind.QUESTION, ItemKind.CLAUSE)

# The question each kind of item puts to the user, naming the answer that counts against the
# prospect, so that y and n are never ambiguous.
ASK: Mapping[ItemKind, str] = {
    ItemKind.WARNING_SIGN: "Do you see this sign in the prospect? (yes counts against them)",
    ItemKind.QUESTION: "Did they answer or agree to your satisfaction? (no counts against them)",
    ItemKind.CLAUSE: "Will they sign a contract that says this? (no counts against them)",
}

# How a heading and a reason name each kind, and what an answer against it means.
HEADINGS: Mapping[ItemKind, str] = {
    ItemKind.WARNING_SIGN: "Warning signs to look for",
    ItemKind.QUESTION: "Questions to ask",
    ItemKind.CLAUSE: "Contract clauses to add",
}
_AGAINST_WORDS: Mapping[ItemKind, tuple[str, str]] = {
    ItemKind.WARNING_SIGN: ("warning sign", "seen"),
    ItemKind.QUESTION: ("question", "answered badly"),
    ItemKind.CLAUSE: ("clause", "refused"),
}

OWN_PREFIX = "my"
_PREFIX = {ItemKind.WARNING_SIGN: "w", ItemKind.QUESTION: "q", ItemKind.CLAUSE: "c"}
ID_HEX = 6
ITEM_ID = re.compile(r"(?:w|q|c|my)-[0-9a-f]{6,64}")
MAX_OWN_ITEMS = 500

_ANSWER_WORDS = {
    "y": Answer.YES,
    "yes": Answer.YES,
    "n": Answer.NO,
    "no": Answer.NO,
    "u": Answer.UNKNOWN,
    "unknown": Answer.UNKNOWN,
    "": Answer.UNKNOWN,
}


class Suggestion(StrEnum):
    GO = "go"
    CAUTION = "caution"
    DECLINE = "decline"

    @property
    def rank(self) -> int:
        """0 for go, 2 for decline: how far from go."""
        return list(Suggestion).index(self)


@dataclass(frozen=True)
class Thresholds:
    """How answers against a prospect weigh (templates/recommendation.toml, [screening])."""

    points: Mapping[ItemKind, float]  # per answer against, by kind; each above zero
    per_further_client: float  # share of the points added per further client who taught it
    further_clients_max: int  # at most this many further clients count
    decline_from: float
    unanswered_max_share: float  # more unanswered than this share: no go


# --- the items ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Teacher:
    """A past client that taught an item, and how many of its lessons say it."""

    client_id: str
    name: str
    times: int


@dataclass(frozen=True)
class Item:
    id: str
    kind: ItemKind
    text: str
    taught_by: tuple[Teacher, ...] = ()
    own: bool = False  # the user's own item, taught by nobody
    learned: str = ""  # the lessons' own words, when the user reworded a learned item

    @property
    def times(self) -> int:
        """How many lessons say it."""
        return sum(t.times for t in self.taught_by)

    @property
    def against(self) -> Answer:
        return self.kind.against

    @property
    def ask(self) -> str:
        return ASK[self.kind]


@dataclass(frozen=True)
class OwnItem:
    id: str
    kind: ItemKind
    text: str


@dataclass(frozen=True)
class Edits:
    """The user's changes to the learned checklist."""

    own: tuple[OwnItem, ...] = ()
    reworded: Mapping[str, str] = field(default_factory=dict)  # learned item id -> wording
    hidden: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Checklist:
    items: tuple[Item, ...]  # shown, in order: by kind, then the most taught first
    hidden: tuple[Item, ...]
    clients: int  # closed clients whose lessons were gathered
    lessons: int

    def every(self) -> tuple[Item, ...]:
        return self.items + self.hidden


def normalised(text: str) -> str:
    """The words of a text, whatever their case, spacing and punctuation: what two lessons
    must share to be one item."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def item_text(raw: object, what: str = "the item's text") -> str:
    """The text of an item the user writes or rewords: free text, not empty."""
    text = validate.free_text(raw, what)
    if not normalised(text):
        raise InvalidInput(f"{what} is empty", "write the item in a sentence")
    return text


def digest(prefix: str, words: str, taken: Iterable[str]) -> str:
    """An id for `words`: the prefix and the start of their SHA-256, longer only when that
    start is already `taken`."""
    full = hashlib.sha256(words.encode("utf-8")).hexdigest()
    used = set(taken)
    for size in range(ID_HEX, len(full) + 1):
        candidate = f"{prefix}-{full[:size]}"
        if candidate not in used:
            return candidate
    raise AssertionError("sha256 ids ran out")  # pragma: no cover


def gather(clients: Iterable[Client], edits: Edits = Edits()) -> Checklist:
    """The checklist from the lessons of the closed clients among `clients`, with `edits`."""
    groups: dict[tuple[ItemKind, str], list[tuple[Client, Lesson]]] = defaultdict(list)
    closed = 0
    lessons = 0
    for client in clients:
        if client.stage is not Stage.CLOSED or not client.lessons:
            continue
        closed += 1
        for lesson in client.lessons:
            words = normalised(lesson.text)
            if words:
                lessons += 1
                groups[(KIND_OF[lesson.category], words)].append((client, lesson))
    learned = []
    taken: set[str] = {o.id for o in edits.own}
    # In a fixed order, so that two texts whose ids would start alike get the same ids on
    # every read.
    for kind, words in sorted(groups):
        item_id = digest(_PREFIX[kind], words, taken)
        taken.add(item_id)
        learned.append(_learned(item_id, kind, groups[(kind, words)], edits))
    own = [Item(o.id, o.kind, o.text, own=True) for o in edits.own]
    every = sorted(learned + own, key=_order)
    return Checklist(
        tuple(i for i in every if i.id not in edits.hidden),
        tuple(i for i in every if i.id in edits.hidden),
        closed,
        lessons,
    )


def _learned(
    item_id: str, kind: ItemKind, taught: list[tuple[Client, Lesson]], edits: Edits
) -> Item:
    # The most common wording stands for the rest, then the newest (a lesson without a date
    # counts as oldest); the text itself settles a tie, so every read says the same.
    wordings = Counter(lesson.text for _, lesson in taught)
    text = max(
        (lesson for _, lesson in taught),
        key=lambda x: (wordings[x.text], x.on is not None, x.on or dt.date.min, x.text),
    ).text
    times = Counter(c.id for c, _ in taught)
    names = {c.id: c.name for c, _ in taught}
    teachers = sorted(
        (Teacher(cid, names[cid], n) for cid, n in times.items()),
        key=lambda t: (-t.times, t.name.casefold(), t.client_id),
    )
    own_words = edits.reworded.get(item_id)
    if own_words:
        return Item(item_id, kind, own_words, tuple(teachers), learned=text)
    return Item(item_id, kind, text, tuple(teachers))


def _order(item: Item) -> tuple[int, int, int, bool, str, str]:
    return (
        KIND_ORDER.index(item.kind),
        -len(item.taught_by),
        -item.times,
        item.own,
        item.text.casefold(),
        item.id,
    )


def find(items: Sequence[Item], ref: str) -> Item:
    """An item by its id, its number on the checklist (from 1) or a unique start of its id."""
    text = ref.strip().lower()
    if not text:
        raise InvalidInput("no screening item named", "give an item's id, as the checklist shows")
    for item in items:
        if item.id == text:
            return item
    if text.isdigit():
        if 1 <= int(text) <= len(items):
            return items[int(text) - 1]
        raise InvalidInput(
            f"there is no item {text} on the checklist",
            f"it has {counted(len(items), 'item')}",
        )
    hits = [i for i in items if i.id.startswith(text)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise InvalidInput(
            f"{ref.strip()!r} is the start of {len(hits)} item ids", "give more of the id"
        )
    raise InvalidInput(
        f"no screening item has the id {ref.strip()!r}",
        "each item's id is shown beside it on the checklist",
    )


# --- answers ---------------------------------------------------------------------------------


def parse_answer(raw: object) -> Answer:
    """y/yes, n/no or u/unknown (blank: unknown)."""
    if isinstance(raw, Answer):
        return raw
    if isinstance(raw, str):
        found = _ANSWER_WORDS.get(raw.strip().lower())
        if found is not None:
            return found
    shown = repr(raw) if isinstance(raw, str) else type(raw).__name__
    raise InvalidInput(f"{shown} is not an answer", "answer y (yes), n (no) or u (unknown)")


def answers_in_order(items: Sequence[Item], raw: Sequence[str]) -> dict[str, Answer]:
    """One answer per item, in the checklist's order."""
    if len(raw) != len(items):
        raise InvalidInput(
            f"{counted(len(raw), 'answer')} given for {counted(len(items), 'item')}",
            "give one answer (y, n or u) for each item, in the checklist's order",
        )
    return {item.id: parse_answer(a) for item, a in zip(items, raw, strict=True)}


def answers_by_ref(items: Sequence[Item], raw: Mapping[str, str]) -> dict[str, Answer]:
    """Answers given as item id (or number, or start of an id) -> answer."""
    out: dict[str, Answer] = {}
    for ref, answer in raw.items():
        item = find(items, ref)
        if item.id in out:
            raise InvalidInput(f"item {item.id} is answered twice", "answer each item once")
        out[item.id] = parse_answer(answer)
    return out


# --- the suggestion --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One part of the suggestion: `kind` is a stable id for scripts ("against-clause",
    "unanswered", ...), `points` what it added."""

    kind: str
    points: float
    sentence: Sentence


@dataclass(frozen=True)
class Verdict:
    suggestion: Suggestion
    score: float
    reasons: tuple[Reason, ...]
    unscreened: bool  # nothing was answered
    answered: int
    total: int
    against: tuple[str, ...]  # the ids of the items whose answer counts against
    decline_from: float

    @property
    def unanswered(self) -> int:
        return self.total - self.answered


def item_points(item: Item, t: Thresholds) -> float:
    """What an answer against the prospect on `item` adds: its kind's points, and a share more
    for each further past client who taught it."""
    further = min(max(len(item.taught_by) - 1, 0), t.further_clients_max)
    return t.points[item.kind] * (1 + t.per_further_client * further)


def evaluate(items: Sequence[Item], answers: Mapping[str, Answer], t: Thresholds) -> Verdict:
    """The suggestion for a prospect who gave `answers` (item id -> answer; an item not in it
    is unanswered) on the checklist `items`."""
    total = len(items)
    given = {i.id: answers.get(i.id, Answer.UNKNOWN) for i in items}
    answered = sum(1 for a in given.values() if a is not Answer.UNKNOWN)
    against = [i for i in items if given[i.id] is i.against]
    reasons = [r for kind in KIND_ORDER if (r := _against(kind, against, t)) is not None]
    score = round(float(sum(r.points for r in reasons)), 1)
    unanswered = total - answered
    share = unanswered / total if total else 0.0
    if score >= t.decline_from:
        suggestion = Suggestion.DECLINE
    elif score > 0 or answered == 0 or share > t.unanswered_max_share:
        suggestion = Suggestion.CAUTION
    else:
        suggestion = Suggestion.GO
    if answered == 0:
        reasons.append(Reason("unscreened", 0.0, Sentence(
            f"nothing answered yet ({counted(total, 'item')}): the prospect is not screened, "
            "so this is no go"
        )))  # fmt: skip
    elif unanswered:
        tail = ": too many to suggest go" if share > t.unanswered_max_share else ""
        reasons.append(
            Reason("unanswered", 0.0, Sentence(f"{unanswered} of {total} unanswered{tail}"))
        )
    if not against and answered:
        every = f"all {total}" if answered == total else f"{answered} of {total}"
        reasons.append(
            Reason("clear", 0.0, Sentence(f"{every} answered, none against the prospect"))
        )
    if score > 0:
        reasons.append(_tally(score, t))
    return Verdict(
        suggestion,
        score,
        tuple(reasons),
        answered == 0,
        answered,
        total,
        tuple(i.id for i in against),
        t.decline_from,
    )


def _against(kind: ItemKind, against: list[Item], t: Thresholds) -> Reason | None:
    mine = [i for i in against if i.kind is kind]
    if not mine:
        return None
    noun, verb = _AGAINST_WORDS[kind]
    clients = {teacher.client_id for i in mine for teacher in i.taught_by}
    own = sum(1 for i in mine if i.own)
    text = f"{counted(len(mine), noun)} {verb}"
    if clients:
        text += f" that {counted(len(clients), 'past client')} taught"
    if own:
        text += f" ({own} of your own)"
    return Reason(f"against-{kind.value}", round(sum(item_points(i, t) for i in mine), 1),
                  Sentence(text))  # fmt: skip


def _tally(score: float, t: Thresholds) -> Reason:
    figures = {"score": _number(score), "limit": _number(t.decline_from)}
    if score >= t.decline_from:
        text = "{score} points in all, at or over the {limit} that means decline"
    else:
        text = "{score} points in all: caution, under the {limit} that means decline"
    return Reason("total", 0.0, Sentence(text, figures))


def _number(value: float) -> Number:
    """A figure with one decimal, or none when it is whole ("6", "5.5")."""
    shown = Decimal(str(round(value, 1)))
    return Number(shown, 0 if shown == shown.to_integral_value() else 1)


# --- Markdown ----------------------------------------------------------------------------------


def taught_text(item: Item) -> str:
    """Who taught an item and how often: "Acme (2×), Birch", or "your own item"."""
    if item.own:
        return "your own item"
    names = [f"{t.name} ({t.times}×)" if t.times > 1 else t.name for t in item.taught_by]
    return "taught by " + ", ".join(names)


def markdown(checklist: Checklist) -> str:
    """The checklist as Markdown, to print or paste into notes."""
    out = ["# Screening checklist", ""]
    out.append(
        f"Gathered from {counted(checklist.lessons, 'lesson')} of "
        f"{counted(checklist.clients, 'closed client')}. Each item says which answer counts "
        "against the prospect."
    )
    for kind in KIND_ORDER:
        mine = [i for i in checklist.items if i.kind is kind]
        if not mine:
            continue
        out += ["", f"## {HEADINGS[kind]}", "", f"_{ASK[kind]}_", ""]
        for item in mine:
            text = " ".join(item.text.split())
            out.append(f"- [ ] {_md(text)} (`{item.id}`; {_md(taught_text(item))})")
    if checklist.hidden:
        out += ["", f"{counted(len(checklist.hidden), 'item')} hidden."]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    # Text from lessons is shown as written, not read as Markdown.
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)

"""A client as `offboard list` shows it, read straight from its stored record.

A list shows, for every client, a few fields, how many red flags it has, what it owes and its
next deadline. Decoding every record in full (history, letters, assessment, every text through
its rule) is nearly all of `list --json` at 10,000 clients, and most of it is never shown.
`listed` reads only the parts a list needs, from a record in exactly the form offboard writes
it (Client.to_dict, which codec.py reads back), and builds no record objects on the way: each
value still goes through the rule that reads it and must come out of it unchanged, and the
money owed and the next deadline follow Invoice.outstanding and timers.deadlines step by step
(tests/cli/test_listing.py holds both ways to the same output). Anything else (a damaged
field, an older layout, a hand edit, refunds or follow-ups, which need more of the record)
gives None, and the caller decodes that record in full, so both ways show the same.

Two shortcuts keep the rules' cost down at 10,000 clients. Values that repeat (dates,
amounts, languages, currencies) are checked once each. A text that is plainly one clean line
(printable, no space at either end, short enough) or a plainly simple email address is taken
without calling its rule: such a value is one its rule gives back unchanged (property tests
in tests/domain/test_listing_checks.py hold them to that), and any other value goes through
the rule itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from . import validate
from .errors import InvalidInput
from .kinds import STAGE_ORDER
from .models import Archetype, Category, Channel, Client, Outcome, RepairOutcome, Stage
from .timers import KIND_PREFIXES, NOTICE_RUNNING, Deadline, next_deadline
from .validate.limits import MAX_LINE, MAX_NAME


class Listed(NamedTuple):
    """One client as a list shows it: its own fields, how many red flags it has (`flags`),
    what it owes over all its invoices (`outstanding`) and its next open deadline."""

    id: str
    name: str
    email: str
    locale: str
    currency: str
    archetype: Archetype | None
    stage: Stage
    outcome: Outcome | None
    rev: int
    flags: int
    outstanding: Decimal
    next_deadline: Deadline | None

    @classmethod
    def of(cls, client: Client) -> Listed:
        """A fully decoded client as a list shows it."""
        return cls(
            client.id,
            client.name,
            client.email,
            client.locale,
            client.currency,
            client.archetype,
            client.stage,
            client.outcome,
            client.rev,
            len(client.flags),
            client.outstanding(),
            next_deadline(client),
        )

    @property
    def active(self) -> bool:
        return self.stage is not Stage.CLOSED


# The stage's place on the board, then the name: the order every list is shown in.
_ORDER = {stage: i for i, stage in enumerate(STAGE_ORDER)}


def list_order(client: Client | Listed) -> tuple[int, str]:
    return (_ORDER[client.stage], client.name.casefold())


# Every top-level field of a record that `listed` reads: a storage may read these alone.
LISTED_FIELDS = frozenset(
    {"id", "rev", "name", "email", "locale", "currency", "stage", "archetype", "outcome",
     "flags", "conversation", "repairs", "deliverables", "invoices", "refunds", "follow_ups"}
)  # fmt: skip


class _Unusual(Exception):
    """A part of the record is not in the form offboard writes: decode it in full."""


def listed(client_id: str, record: Mapping[str, Any]) -> Listed | None:
    """The client of `record` as a list shows it, or None when the record is not in the exact
    form offboard writes (decode it in full then). `record` is only read. To read many
    records, make one ListReader and call it for each: it checks a repeated value once."""
    return ListReader()(client_id, record)


# --- values, each as its rule reads it ---------------------------------------------------------


def _same(rule: Callable[[Any], Any], raw: Any) -> Any:
    """`rule(raw)`, which must give back `raw` itself: what offboard wrote is what it reads."""
    value = rule(raw)
    if value != raw or type(value) is not type(raw):
        raise _Unusual
    return value


def plain_line(raw: Any, max_len: int) -> bool:
    """Whether `raw` is plainly one clean line: text of 1 to `max_len` printable characters
    (no control character, line break or other space than " ") with no space at either end.
    Every rule for a required line gives such a text back unchanged."""
    return (
        type(raw) is str
        and 0 < len(raw) <= max_len
        and raw.isprintable()
        and raw[0] != " "
        and raw[-1] != " "
    )


# A conservative subset of what validate.email accepts unchanged: dot-separated plain words
# before the @, ASCII labels of letters, digits and inner hyphens after it, and a top-level
# label of letters only. Taken only up to 64 characters, so that no part can be too long.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]+",
    re.ASCII,
)
_PLAIN_EMAIL_LEN = 64


def plain_email(raw: Any) -> bool:
    """Whether `raw` is plainly a simple email address, which validate.email gives back
    unchanged."""
    return (
        type(raw) is str
        and len(raw) <= _PLAIN_EMAIL_LEN
        and _PLAIN_EMAIL.fullmatch(raw) is not None
    )


def _line(raw: Any, rule: Callable[[Any], Any], max_len: int) -> str:
    if plain_line(raw, max_len):
        return raw  # type: ignore[no-any-return]
    return _same(rule, raw)  # type: ignore[no-any-return]


def _email(raw: Any) -> str:
    if plain_email(raw):
        return raw  # type: ignore[no-any-return]
    return _same(validate.email, raw)  # type: ignore[no-any-return]


def _bound(rule: Callable[..., Any], **options: Any) -> Callable[[Any], Any]:
    return lambda raw: rule(raw, "", **options)


_REQUIRED_LINE = _bound(validate.one_line, required=True)
_NUMBER_LEN = 64
_NUMBER = _bound(validate.one_line, max_len=_NUMBER_LEN, required=True)


def _date(raw: Any) -> dt.date:
    day = validate.iso_date(raw)
    if type(raw) is not str or day.isoformat() != raw:
        raise _Unusual
    return day


def _text_id(raw: Mapping[str, Any]) -> str:
    # A record's own id is never shown in a list: it need only be there.
    record_id = raw["id"]
    if type(record_id) is not str:
        raise _Unusual
    return record_id


def _bool(raw: Any) -> bool:
    if type(raw) is not bool:
        raise _Unusual
    return raw


def _records(raw: Any) -> list[dict[str, Any]]:
    # Each item is then read by key, which fails (TypeError) on anything but an object.
    if type(raw) is not list:
        raise _Unusual
    return raw


class _Memo(dict[str, Any]):
    """A text value's reading, worked out once by `read` (which raises for a bad one). Only
    text is kept: 1 and True are one key to a dict and not one value to a rule."""

    __slots__ = ("read",)

    def __init__(self, read: Callable[[Any], Any]) -> None:
        super().__init__()
        self.read = read

    def __missing__(self, raw: Any) -> Any:
        value = self.read(raw)
        if type(raw) is str:
            self[raw] = value
        return value


# --- what the client owes and its next deadline ---------------------------------------------------

_ZERO = Decimal("0.00")
# A revision is a 64-bit integer wherever it is stored (the JSON parser, PostgreSQL's bigint).
_INT64_MIN, _INT64_END = -(2**63), 2**63
_LAST_DAY = "last working day of the notice period"
_REVIEW, _DELIVER, _INVOICE = (KIND_PREFIXES[k] for k in ("review", "deliverable", "invoice"))

# An open deadline found in the record: (due, kind, its place among the client's deadlines,
# label, amount, record id). The first by (due, kind) is the one timers.deadlines sorts first:
# its sort is stable, and the place breaks ties the same way.
_Found = tuple[dt.date, str, int, str, Decimal | None, str]


class ListReader:
    """Reads records as `listed` does, each value a board repeats (dates, amounts, languages,
    currencies) checked once per reader. Calling it returns the Listed or None."""

    __slots__ = ("_amounts", "_currencies", "_dates", "_locales")

    def __init__(self) -> None:
        self._dates = _Memo(_date)
        self._amounts = _Memo(validate.positive_amount)  # as the decoder reads it
        self._locales = _Memo(lambda raw: _same(validate.locale, raw))
        self._currencies = _Memo(lambda raw: _same(validate.currency, raw))

    def __call__(self, client_id: str, record: Mapping[str, Any]) -> Listed | None:
        try:
            return self._read(client_id, record)
        except (_Unusual, InvalidInput, KeyError, TypeError, ValueError, AttributeError):
            return None

    def _read(self, client_id: str, record: Mapping[str, Any]) -> Listed:
        # Every key below is one Client.to_dict writes: a record without one is decoded in
        # full (KeyError), as one in any other unusual form is. A value looked up and not
        # kept (`dates[...]` alone) is read only to check that the decoder takes it as is.
        rev = record["rev"]
        if record["id"] != client_id or type(rev) is not int or not _INT64_MIN <= rev < _INT64_END:
            raise _Unusual
        # Refunds and follow-ups need the contract and more: rare enough to decode in full.
        if record["refunds"] or record["follow_ups"]:
            raise _Unusual
        dates = self._dates
        flags = _records(record["flags"])
        for flag in flags:
            # The decoder keeps a flag with a category and a date, whatever else it holds.
            if type(flag) is not dict or flag.get("category") not in _CATEGORIES:
                raise _Unusual
            dates[flag["on"]]
        stage = _STAGES[record["stage"]]
        name = _line(record["name"], validate.client_name, MAX_NAME)
        email = _email(record["email"])
        locale = self._locales[record["locale"]]
        currency = self._currencies[record["currency"]]
        archetype = record["archetype"]
        archetype = None if archetype is None else _ARCHETYPES[archetype]
        outcome = record["outcome"]
        outcome = None if outcome is None else _OUTCOMES[outcome]
        # In timers.deadlines' order: the last day, repair reviews, deliverables, invoices.
        found: list[_Found] = []
        if stage in NOTICE_RUNNING and record["conversation"]:
            talk = record["conversation"]
            if type(talk) is not dict or type(talk.get("period")) is not str:
                raise _Unusual
            dates[talk["on"]]
            _CHANNELS[talk["channel"]]
            found.append((dates[talk["last_day"]], "last-day", 0, _LAST_DAY, None, "conversation"))
        if stage is not Stage.CLOSED:
            repairs, deliverables = _records(record["repairs"]), _records(record["deliverables"])
            if repairs:
                self._repairs(repairs, found)
            if deliverables:
                self._deliverables(deliverables, found)
        owed = _ZERO
        for raw in _records(record["invoices"]):
            owed += self._invoice(raw, found)
        nxt = None
        if found:
            due, kind, _, label, amount, record_id = min(found)
            nxt = Deadline(
                client_id,
                name,
                kind,
                due,
                label,
                amount,
                currency if amount is not None else "",
                locale,
                record_id,
            )
        return Listed(
            client_id,
            name,
            email,
            locale,
            currency,
            archetype,
            stage,
            outcome,
            rev,
            len(flags),
            owed,
            nxt,
        )

    def _repairs(self, repairs: list[dict[str, Any]], found: list[_Found]) -> None:
        dates = self._dates
        for raw in repairs:
            record_id = _text_id(raw)
            strategy = _line(raw["strategy"], _REQUIRED_LINE, MAX_LINE)
            dates[raw["started"]]
            review = dates[raw["review"]]
            outcome = raw["outcome"]
            if outcome is None:
                found.append((review, "review", len(found), _REVIEW + strategy, None, record_id))
            else:
                _REPAIR_OUTCOMES[outcome]

    def _deliverables(self, deliverables: list[dict[str, Any]], found: list[_Found]) -> None:
        for raw in deliverables:
            record_id = _text_id(raw)
            done = _bool(raw["done"])
            title = _line(raw["title"], _REQUIRED_LINE, MAX_LINE)
            due = raw["due"]
            if due is not None:
                due = self._dates[due]
                if not done:
                    found.append(
                        (due, "deliverable", len(found), _DELIVER + title, None, record_id)
                    )

    def _invoice(self, raw: dict[str, Any], found: list[_Found]) -> Decimal:
        """What is still open on an invoice, as Invoice.outstanding works it out; an invoice
        with something open is a deadline."""
        dates, amounts = self._dates, self._amounts
        written_off = _bool(raw["written_off"])
        _bool(raw["final"])
        number = raw["number"]
        if not plain_line(number, _NUMBER_LEN):
            _same(_NUMBER, number)
        amount: Decimal = amounts[raw["amount"]]
        dates[raw["issued"]]
        due = dates[raw["due"]]
        paid = _ZERO
        for payment in _records(raw["payments"]):
            paid += amounts[payment["amount"]]
            dates[payment["on"]]
            _text_id(payment)
        record_id = _text_id(raw)
        if written_off:
            return _ZERO
        left: Decimal = max(amount - paid, _ZERO)
        if left:
            found.append((due, "invoice", len(found), f"{_INVOICE}{number} due", left, record_id))
        return left


def _values(enum: type[Any]) -> dict[str, Any]:
    return {member.value: member for member in enum}


_STAGES = _values(Stage)
_OUTCOMES = _values(Outcome)
_ARCHETYPES = _values(Archetype)
_CATEGORIES = _values(Category)
_CHANNELS = _values(Channel)
_REPAIR_OUTCOMES = _values(RepairOutcome)

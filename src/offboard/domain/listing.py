"""A client as `offboard list` shows it, read straight from its stored record.

A list shows, for every client, a few fields, how many red flags it has, what it owes and its
next deadline. Decoding every record in full (history, letters, assessment, every text through
its rule) is nearly all of `list --json` at 10,000 clients, and most of it is never shown.
`listed` reads only the parts a list needs, from a record in exactly the form offboard writes
it (Client.to_dict, which codec.py reads back): each value still goes through the rule that
reads it and must come out of it unchanged, and the deadlines and the money owed are computed
by the same functions as for any client (timers.py, Client.outstanding). Anything else (a
damaged field, an older layout, a hand edit, refunds or follow-ups, which need more of the
record) gives None, and the caller decodes that record in full, so both ways show the same.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import validate
from .errors import InvalidInput
from .kinds import STAGE_ORDER
from .models import (
    Archetype,
    Category,
    Channel,
    Client,
    Conversation,
    Deliverable,
    Invoice,
    Outcome,
    Payment,
    RepairAttempt,
    RepairOutcome,
    Stage,
)
from .timers import NOTICE_RUNNING


@dataclass(frozen=True, slots=True)
class Listed:
    """One client as a list shows it. `client` holds its id, name, email, locale, currency,
    archetype, stage, outcome and revision, and the records its deadlines and the money it
    owes come from; when it was read by `listed`, its other fields are left empty, so it is
    for showing in a list and nothing else. `flags`: how many red flags it has."""

    client: Client
    flags: int

    @classmethod
    def of(cls, client: Client) -> Listed:
        """A fully decoded client as a list shows it."""
        return cls(client, len(client.flags))


# The stage's place on the board, then the name: the order every list is shown in.
_ORDER = {stage: i for i, stage in enumerate(STAGE_ORDER)}


def list_order(client: Client) -> tuple[int, str]:
    return (_ORDER[client.stage], client.name.casefold())


class _Unusual(Exception):
    """A part of the record is not in the form offboard writes: decode it in full."""


def listed(client_id: str, record: Mapping[str, Any]) -> Listed | None:
    """The client of `record` as a list shows it, or None when the record is not in the exact
    form offboard writes (decode it in full then). `record` is only read."""
    try:
        return _listed(client_id, record)
    except (_Unusual, InvalidInput, KeyError, TypeError, ValueError, AttributeError):
        return None


# --- the parts ----------------------------------------------------------------------------------


def _same(rule: Callable[[Any], Any], raw: Any) -> Any:
    """`rule(raw)`, which must give back `raw` itself: what offboard wrote is what it reads."""
    value = rule(raw)
    if value != raw or type(value) is not type(raw):
        raise _Unusual
    return value


def _enum(values: Mapping[Any, Any], raw: Any, optional: bool = False) -> Any:
    if optional and raw is None:
        return None
    if type(raw) is not str:
        raise _Unusual
    return values[raw]  # KeyError: not one of its values


@functools.lru_cache(maxsize=8192)
def _date(raw: str) -> dt.date:
    # A board repeats the same few hundred dates thousands of times.
    day = validate.iso_date(raw)
    if type(raw) is not str or day.isoformat() != raw:
        raise _Unusual
    return day


def _opt_date(raw: Any) -> dt.date | None:
    return None if raw is None else _date(raw)


def _amount(raw: Any) -> Decimal:
    return validate.positive_amount(raw)  # as the decoder reads it: the same amount


def _flag(raw: Any) -> None:
    """A red flag the decoder keeps, which a list only counts: one with a category and a
    date (codec._flag leaves out a flag without them, and keeps one whatever its other
    fields hold)."""
    if type(raw) is not dict or raw.get("category") not in _CATEGORIES:
        raise _Unusual
    _date(raw["on"])


def _repair(raw: dict[str, Any]) -> RepairAttempt:
    return RepairAttempt(
        id=_text_id(raw),
        strategy=_same(_REQUIRED_LINE, raw["strategy"]),
        started=_date(raw["started"]),
        review=_date(raw["review"]),
        outcome=_enum(_REPAIR_OUTCOMES, raw["outcome"], optional=True),
    )


def _deliverable(raw: dict[str, Any]) -> Deliverable:
    done = raw["done"]
    if type(done) is not bool:
        raise _Unusual
    return Deliverable(
        id=_text_id(raw),
        title=_same(_REQUIRED_LINE, raw["title"]),
        due=_opt_date(raw["due"]),
        done=done,
    )


def _invoice(raw: dict[str, Any]) -> Invoice:
    written_off, final = raw["written_off"], raw["final"]
    if type(written_off) is not bool or type(final) is not bool:
        raise _Unusual
    return Invoice(
        id=_text_id(raw),
        number=_same(_NUMBER, raw["number"]),
        amount=_amount(raw["amount"]),
        issued=_date(raw["issued"]),
        due=_date(raw["due"]),
        payments=[
            Payment(_amount(p["amount"]), _date(p["on"]), _text_id(p))
            for p in _records(raw["payments"])
        ],
        written_off=written_off,
        final=final,
    )


def _conversation(raw: Any) -> Conversation:
    if type(raw) is not dict or type(raw.get("period")) is not str:
        raise _Unusual
    return Conversation(
        on=_date(raw["on"]),
        channel=_enum(_CHANNELS, raw["channel"]),
        period=raw["period"],
        last_day=_date(raw["last_day"]),
    )


def _records(raw: Any) -> list[dict[str, Any]]:
    if type(raw) is not list or not all(type(item) is dict for item in raw):
        raise _Unusual
    return raw


def _text_id(raw: Mapping[str, Any]) -> str:
    # A record's own id is never shown in a list: it need only be there.
    record_id = raw["id"]
    if type(record_id) is not str:
        raise _Unusual
    return record_id


def _listed(client_id: str, record: Mapping[str, Any]) -> Listed:
    get = record.get
    rev = get("rev")
    if get("id") != client_id or type(rev) is not int:
        raise _Unusual
    # Refunds and follow-ups need the contract and more: rare enough to decode in full.
    if get("refunds") or get("follow_ups"):
        raise _Unusual
    flags = _records(get("flags", []))
    for flag in flags:
        _flag(flag)
    stage = _enum(_STAGES, record["stage"])
    client = Client(
        id=client_id,
        name=_same(validate.client_name, record["name"]),
        email=_same(validate.email, record["email"]),
        locale=_same(validate.locale, record["locale"]),
        currency=_same(validate.currency, record["currency"]),
        archetype=_enum(_ARCHETYPES, record["archetype"], optional=True),
        stage=stage,
        outcome=_enum(_OUTCOMES, record["outcome"], optional=True),
        invoices=[_invoice(i) for i in _records(get("invoices", []))],
        rev=rev,
    )
    if stage in NOTICE_RUNNING and get("conversation"):
        client.conversation = _conversation(record["conversation"])
    if stage is not Stage.CLOSED:
        client.repairs = [_repair(r) for r in _records(get("repairs", []))]
        client.deliverables = [_deliverable(d) for d in _records(get("deliverables", []))]
    return Listed(client, len(flags))


def _values(enum: type[Any]) -> dict[str, Any]:
    return {member.value: member for member in enum}


_STAGES = _values(Stage)
_OUTCOMES = _values(Outcome)
_ARCHETYPES = _values(Archetype)
_CATEGORIES = _values(Category)
_CHANNELS = _values(Channel)
_REPAIR_OUTCOMES = _values(RepairOutcome)


def _bound(rule: Callable[..., Any], **options: Any) -> Callable[[Any], Any]:
    return lambda raw: rule(raw, "", **options)


_REQUIRED_LINE = _bound(validate.one_line, required=True)
_NUMBER = _bound(validate.one_line, max_len=64, required=True)

"""The machinery every use case shares: finding the client the user means, and running
one change as one transaction that also writes its history event and its undo entry."""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from .. import formats, workcalendar
from ..config import Config
from ..domain import validate as v
from ..domain.checklists import Checklist
from ..domain.clock import Clock
from ..domain.errors import (
    Ambiguous,
    InvalidInput,
    NotFound,
    StaleEdit,
)
from ..domain.fixes import Fix
from ..domain.models import (
    Client,
    HistoryEvent,
    Stage,
)
from ..domain.reviews import optional_typed_day, typed_day, typed_past_day, working_days_asked
from ..domain.timers import Deadline, agenda
from ..domain.validate import choice
from ..domain.workdays import Holidays
from ..storage.repository import REDO, UNDO, ClientRef, Repository, Transaction

if TYPE_CHECKING:
    from ..letters.library import Library


# Returned by a change function: (summary for the history, old value, new value).
Change = tuple[str, Any, Any]


@dataclass
class MoveResult:
    """A move that was made, and the soft-gate warnings it overrode (recorded)."""

    client: Client
    overridden: list[str]


@dataclass
class _Bulk:
    """What `ServiceCore.bulk()` keeps while its block runs."""

    live: dict[str, Client] = field(default_factory=dict)  # by id, as changed so far
    base: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)  # rev, undo
    failed: bool = False


def default_actor(interface: str, user: str | None = None) -> str:
    """Who the history names for a change: `user` (the config's storage.user), else the
    login name, with the front end it came from."""
    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
    return f"{user} ({interface})"


class ServiceCore:
    """State and machinery shared by every area of the services."""

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
        self._bulk: _Bulk | None = None

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
        # Each level is one pass in a comprehension: at 10,000 clients a call per client
        # and level cost a command more than the rest of finding its client.
        names = [c.name.casefold() for c in pool]
        levels: list[Callable[[], list[ClientRef]]] = [
            lambda: [c for c in pool if c.id == low],
            # An exact name wins over an id prefix: "cafe" is a name before it is hex.
            lambda: [c for c, name in zip(pool, names, strict=True) if name == low],
            lambda: [c for c in pool if c.id.startswith(low)] if len(low) >= 4 else [],
            lambda: [c for c, name in zip(pool, names, strict=True) if low in name],
        ]
        for level in levels:
            hits = level()
            if len(hits) == 1:
                return hits[0].id
            if len(hits) > 1:
                names = [f"{c.name} ({c.id[:8]})" for c in hits[:10]]
                raise Ambiguous(
                    f"{ref!r} matches {len(hits)} clients: " + ", ".join(names),
                    names,
                    "use more of the name or an id prefix",
                )
        raise NotFound(f"no client matches {ref!r}", fix=Fix.FIND_CLIENT)

    # --- reading ------------------------------------------------------------------------------

    def clients(self, stage: str | None = None, include_closed: bool = True) -> list[Client]:
        every = self.repo.clients()
        if stage:
            which = choice(Stage, stage, "stage")
            every = [c for c in every if c.stage is which]
        elif not include_closed:
            every = [c for c in every if c.active]
        return sorted(every, key=lambda c: (c.stage.order, c.name.casefold()))

    def timers(self) -> list[Deadline]:
        return agenda(self.repo.clients())

    # --- the change machinery -------------------------------------------------------------------

    def _event(self, action: str, summary: str, old: Any = None, new: Any = None) -> HistoryEvent:
        return HistoryEvent(self.clock.now(), self.actor, action, summary, old, new)

    def _journal(
        self,
        tx: Transaction,
        summary: str,
        changes: list[dict[str, Any]],
        *,
        kind: str = UNDO,
        new_change: bool = True,
    ) -> None:
        """Record how to undo a change (or, with kind REDO, how to redo an undone one). A new
        change ends what can be redone: redo goes back only over undos in a row."""
        if new_change:
            tx.journal_drop(REDO)
        tx.journal_push(
            {
                "at": self.clock.now().isoformat(),
                "actor": self.actor,
                "session": self.session,
                "summary": summary,
                "changes": changes,
                "kind": kind,
            }
        )

    def _change(
        self,
        ref: str,
        action: str,
        change: Callable[[Client], Change],
        expected_rev: int | None = None,
    ) -> Client:
        if self._bulk is not None:
            return self._bulk_change(self._bulk, ref, action, change, expected_rev)
        with self.repo.transaction() as tx:
            client = tx.get(self._resolve_in(tx, ref))
            if expected_rev is not None and client.rev != expected_rev:
                raise StaleEdit(
                    f"{client.name} was changed elsewhere since you opened it",
                    "reload the client and make the change again",
                )
            before = without_history(client.to_dict())
            self._note_repairs(client)
            summary, old, new = change(client)
            client.history.append(self._event(action, summary, old, new))
            tx.put(client, client.rev)
            self._journal(
                tx,
                f"{client.name}: {summary}",
                [{"client_id": client.id, "before": before, "after_rev": client.rev}],
            )
        return client

    # --- the fast path for building boards ------------------------------------------------------

    @contextlib.contextmanager
    def bulk(self) -> Iterator[None]:
        """Run many changes as one write: the fast path for building a whole board (the
        demo, generated benchmark boards), where reading and writing the client for every
        change would cost more than the changes themselves.

        Inside the block every change runs the same rules and writes the same history event,
        stamped with the same time, as it does alone; but each client is read once, kept in
        memory while it changes, and written back with the others when the block ends, in
        one transaction that is also one undo entry. Until then the repository (and any
        other reader) still holds the clients as they were, and a client returned inside the
        block is the one being changed: read it, do not keep it. A client added inside the
        block is written at once, as always, and then kept like the others.

        A change that fails inside the block may leave its client half changed, so it ends
        the bulk: the error propagates, later changes in the block raise RuntimeError, and
        none of the block's changes to clients are kept. When the block ends, StaleEdit if
        another writer changed one of its clients meanwhile (nothing is kept then either).
        Not for a Services object shared between threads. Raises RuntimeError when nested.
        """
        if self._bulk is not None:
            raise RuntimeError("bulk changes do not nest")
        bulk = self._bulk = _Bulk()
        try:
            yield
        finally:
            self._bulk = None
        if bulk.failed:
            raise RuntimeError("a change inside bulk() failed; none of its changes were kept")
        if not bulk.live:
            return
        with self.repo.transaction() as tx:
            changes = []
            for cid, client in bulk.live.items():
                rev, before = bulk.base[cid]
                tx.put(client, rev)
                changes.append({"client_id": cid, "before": before, "after_rev": client.rev})
            count = len(changes)
            self._journal(tx, f"changed {formats.counted(count, 'client')}", changes)

    def _bulk_change(
        self,
        bulk: _Bulk,
        ref: str,
        action: str,
        change: Callable[[Client], Change],
        expected_rev: int | None,
    ) -> Client:
        """`_change` inside `bulk()`: the same checks, change and event, on the kept client."""
        if bulk.failed:
            raise RuntimeError("an earlier change inside bulk() failed; nothing more is done")
        client = bulk.live.get(ref)
        if client is None:
            with self.repo.transaction() as tx:
                stored = tx.get(self._resolve_in(tx, ref))
            client = bulk.live.get(stored.id) or self._bulk_keep(bulk, stored)
        if expected_rev is not None and client.rev != expected_rev:
            raise StaleEdit(
                f"{client.name} was changed elsewhere since you opened it",
                "reload the client and make the change again",
            )
        try:
            self._note_repairs(client)
            summary, old, new = change(client)
        except BaseException:
            bulk.failed = True
            raise
        client.history.append(self._event(action, summary, old, new))
        # A change alone reads the clock once more, for its undo entry: so does this one,
        # so that a FixedClock stamps the events exactly as a run of single changes does.
        self.clock.now()
        return client

    @staticmethod
    def _bulk_keep(bulk: _Bulk, client: Client) -> Client:
        """Inside `bulk()`: keep a client as stored (just read, or just added, which saves
        reading it back) to change it in memory from now on."""
        bulk.live[client.id] = client
        bulk.base[client.id] = (client.rev, without_history(client.to_dict()))
        return client

    def _note_repairs(self, client: Client) -> None:
        """Saving a client whose stored record had unreadable fields writes safe values in
        their place: keep what was there in the history, so nothing is lost silently."""
        lost = {p.path: p.raw for p in client.damage if p.replaced}
        if lost:
            client.history.append(
                self._event(
                    "repair",
                    "stored fields that could not be read were reset: " + ", ".join(lost),
                    lost,
                    None,
                )
            )
        client.damage = ()

    @staticmethod
    def _amount(raw: Any, what: str, locale: str, *, positive: bool = False) -> Decimal:
        """An amount as typed for a client: in a language that writes a decimal comma,
        "1 250,50" is read as it is meant."""
        comma = formats.decimal_comma(locale) if isinstance(raw, str) else False
        if positive:
            return v.positive_amount(raw, what, decimal_comma=comma)
        return v.amount(raw, what, decimal_comma=comma)

    def _opt_amount(self, raw: Any, what: str, locale: str) -> Decimal | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        return self._amount(raw, what, locale)

    def _day(self, day: dt.date | str | None, what: str) -> dt.date:
        """A date given as a date or as typed text (YYYY-MM-DD, today, +N, +N wd...); today if
        None. Working days count with the user's calendar: a use case that knows its client
        counts them again with the client's (see add_follow_up)."""
        if day is None:
            return self.clock.today()
        return typed_day(day, what, self.clock.today(), self.days_off(day))

    def _opt_day(self, day: dt.date | str | None, what: str) -> dt.date | None:
        return optional_typed_day(day, what, self.clock.today(), self.days_off(day))

    def _for_client(self, typed: Any, day: dt.date | None, what: str, client: Client) -> Any:
        """`day` (what `_day` read from `typed` before the client was read), counted again
        with the client's own calendar when `typed` asks for working days."""
        if day is None or working_days_asked(typed) is None:
            return day
        return typed_day(typed, what, self.clock.today(), self.days_off(typed, client))

    def days_off(self, typed: Any, client: Client | None = None) -> Holidays:
        """The calendar a date typed in working days (`typed`) is counted with: the client's,
        else the user's. For any other date none is built, so the holidays package and Babel
        load only when a date needs them."""
        if working_days_asked(typed) is None:
            return ()
        return workcalendar.calendar_for(self.config, client)

    def _not_future(self, day: dt.date | str | None, what: str) -> dt.date:
        """Things that happened (incidents, payments, letters) cannot be dated tomorrow; today
        if None. Raises InvalidInput."""
        if day is None:
            return self.clock.today()
        return typed_past_day(day, what, self.clock.today(), self.days_off(day))


def without_history(snapshot: dict[str, Any]) -> dict[str, Any]:
    """An undo snapshot without the history, which would make the journal grow quadratically."""
    slim = dict(snapshot)
    slim["history_len"] = len(slim.pop("history"))
    return slim


def plain(value: Any) -> Any:
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


T = TypeVar("T")


def find_item(items: list[T], ref: str, label: Callable[[T], str], what: str) -> T:
    """Find a sub-record by id, id prefix, 1-based position, or unambiguous label."""
    text = ref.strip()
    low = text.casefold()
    if text.isdigit() and 1 <= int(text) <= len(items):
        return items[int(text) - 1]
    tests: tuple[Callable[[T], bool], ...] = (
        lambda i: getattr(i, "id", None) == text,
        lambda i: len(text) >= 4 and str(getattr(i, "id", "")).startswith(text),
        lambda i: label(i).casefold() == low,
        lambda i: low in label(i).casefold(),
    )
    for test in tests:
        hits = [i for i in items if test(i)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise InvalidInput(f"{ref!r} matches more than one {what}", "use its number")
    raise NotFound(f"no {what} matches {ref!r}")


def the_open_one(
    items: list[T],
    which: str | None,
    waiting: list[T],
    *,
    label: Callable[[T], str],
    what: str,
    named: Callable[[T], str],
    none: InvalidInput,
    several: Callable[[int, str], InvalidInput],
) -> T:
    """The item `which` names (see find_item), or, without one, the only item still
    `waiting`. Raises `none` when nothing waits, `several(how many, their names by `named`)`
    when more than one does, and what find_item raises."""
    if which is not None and which.strip():
        return find_item(items, which, label, what)
    if len(waiting) == 1:
        return waiting[0]
    if not waiting:
        raise none
    names = ", ".join(f"{getattr(i, 'id', '')[:6]} ({named(i)})" for i in waiting)
    raise several(len(waiting), names)

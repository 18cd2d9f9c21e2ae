"""The repository: what the services and the front ends need from storage, whatever holds it.

Every backend (the TinyDB file in tinyfile.py, memory.py for tests and generators, a team's
board on PostgreSQL in postgres/) implements `Repository`, and the contract tests
(tests/storage/test_contract.py) run against each. A backend that holds clients as documents
(a dict per client, as `to_dict` writes it) gets its transactions from `DocTransaction`, so the
rules of a change (revisions, stale edits, the undo journal) are written once; one that
changes them in SQL asks `next_revision` and `refuse_nul` for the rules of a save.

Every method may raise the DatabaseError family (offboard.storage.errors): CorruptDatabase
when stored data cannot be read, DatabaseLocked and WriteFailed when a change cannot be saved.
The errors each method raises besides those are listed on it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import orjson

from ..domain.codec import client_from_stored
from ..domain.errors import InvalidInput, NotFound, OffboardError, StaleEdit
from ..domain.models import Client
from ..domain.reader import NO_NAME
from .errors import CorruptDatabase
from .snapshot import ClientSnapshot, Record

# Undo entries kept; older ones are dropped as new ones come.
JOURNAL_LIMIT = 200
# The two kinds of journal entry: what a change can be undone with, and what an undo can be
# redone with (entries written before redo existed carry no kind and are undo entries).
UNDO = "undo"
REDO = "redo"

Decoder = Callable[[Record], Client]


class ClientRef(NamedTuple):
    """Just enough of a client to resolve what the user typed, without decoding it."""

    id: str
    name: str


# --- the contract ------------------------------------------------------------------------------


class Transaction(Protocol):
    """One change, all or nothing: what the body did is kept only if it finishes.

    Clients handed out are the caller's own (decoded afresh); change them and `put` them.
    """

    def all_refs(self) -> list[ClientRef]:
        """Id and name of every client (no decoding)."""
        ...

    def get(self, client_id: str) -> Client:
        """The client with this id, decoded afresh. Raises NotFound."""
        ...

    def exists(self, client_id: str) -> bool: ...

    def all(self) -> list[Client]:
        """Every client, each decoded afresh."""
        ...

    def put(self, client: Client, expected_rev: int | None) -> Client:
        """Store `client` and return it with its new revision (set on it).

        `expected_rev` is the revision the edit started from, None for a new client.
        Raises OffboardError for a new client whose id exists, NotFound when an edited one
        no longer exists, StaleEdit when it was saved by someone else since `expected_rev`.
        """
        ...

    def delete(self, client_id: str) -> None:
        """Remove the client. Raises NotFound."""
        ...

    def journal_push(self, entry: dict[str, Any]) -> None:
        """Add an undo entry (`session`, `summary`, `changes`, ...) as the newest; the oldest
        go beyond JOURNAL_LIMIT."""
        ...

    def journal_rebase(self, client_id: str, old_rev: int, new_rev: int) -> None:
        """After an undo, the state older entries produced at `old_rev` carries `new_rev`."""
        ...

    def journal_pop(self, session: str | None, kind: str = UNDO) -> dict[str, Any] | None:
        """Take the newest entry of `kind` (UNDO or REDO; of `session`, if given) off; None
        if there is none."""
        ...

    def journal_drop(self, kind: str) -> None:
        """Remove every entry of `kind` (a new change ends what can be redone)."""
        ...


class RecordsView(Protocol):
    """Every client's stored record, at least the fields it was asked for (read-only), and
    the whole client by id, from one version of the data."""

    def docs(self) -> Iterator[tuple[str, Record]]: ...

    def __getitem__(self, client_id: str) -> Client:
        """Raises KeyError."""
        ...


class Repository(Protocol):
    """Where the clients live. Reads outside a transaction see the last finished change.

    Clients returned by `clients()` and `snapshot()` may be shared between callers: treat
    them as read-only, and change a client only through a transaction.
    """

    @property
    def path(self) -> Path:
        """The database's location; companions of the data (letter drafts) sit beside it."""
        ...

    def clients(self) -> list[Client]:
        """Every client (shared, read-only)."""
        ...

    def refs(self) -> list[ClientRef]:
        """Id and name of every client, without decoding them."""
        ...

    def get(self, client_id: str) -> Client:
        """The client with this id, the caller's own copy. Raises NotFound."""
        ...

    def snapshot(self) -> ClientSnapshot:
        """The clients as stored now, decoded only when looked at (see ClientSnapshot).

        Cheap at any size, never changed by later saves, safe to read on another thread.
        """
        ...

    def fields_view(self, fields: Collection[str]) -> RecordsView:
        """Every client's record holding at least `fields` (a backend may leave the others
        out, where reading them costs), and each whole client by id: what a list of every
        client reads. Raises CorruptDatabase as snapshot() does."""
        ...

    def transaction(self) -> contextlib.AbstractContextManager[Transaction]:
        """One change, saved when the body finishes; nothing of it is kept if the body
        raises. Raises RuntimeError when nested (transactions do not nest), DatabaseLocked
        when another writer holds the database too long, WriteFailed when saving fails."""
        ...

    def changed_on_disk(self) -> bool:
        """Whether someone else changed the data since this repository last read or wrote
        it (always False for a backend nobody else can change)."""
        ...

    def close(self) -> None:
        """Let go of files and connections; a later read opens them again."""
        ...


# --- decoding ----------------------------------------------------------------------------------


def decode_client(doc: Record, path: Path) -> Client:
    """A stored record as a Client; fields that break a rule are listed in `client.damage`
    (shown to the user) instead of making the whole database unreadable. A record that
    cannot be a client at all (no valid id or revision) raises CorruptDatabase naming `path`.
    """
    try:
        return client_from_stored(doc)
    except OffboardError as exc:
        raise CorruptDatabase(path, f"holds a damaged client record: {exc.message}") from None


def ref_name(doc: Record) -> str:
    """The name a stored record is found by."""
    name = doc.get("name", "")
    # A damaged name is shown as the decoder shows it, so both find the same client.
    return name if isinstance(name, str) and name.strip() else NO_NAME


def cached_decode(
    cache: dict[str, tuple[int, Client]], key: str, doc: Record, decode: Decoder
) -> Client:
    """The decoded client of `doc`, shared per revision through `cache` (id -> (rev, Client)).

    Sound because a revision number never comes back with different content (see `put`).
    """
    rev = doc.get("rev", 0)
    hit = cache.get(key)
    if hit is None or hit[0] != rev:
        hit = (rev, decode(doc))
        cache[key] = hit
    return hit[1]


# --- the rules of a save, for every backend -----------------------------------------------------


def next_revision(client: Client, expected_rev: int | None, current: Record | None) -> int:
    """The revision `client` is saved with over `current`, its stored record (None when there
    is none); `expected_rev` is the revision the edit started from, None for a new client.

    Raises OffboardError for a new client whose id exists, NotFound when an edited one no
    longer exists, StaleEdit when it was saved by someone else since `expected_rev`.
    """
    if expected_rev is None:
        if current is not None:
            raise OffboardError(f"a client with id {client.id} already exists")
        # Continue from any revision it carries (an import, an undone delete) so a
        # revision number never comes back with different content.
        return max(client.rev, 0) + 1
    if current is None:
        raise NotFound(f"client {client.name!r} no longer exists")
    if current.get("rev") != expected_rev:
        raise StaleEdit(
            f"{client.name} was changed elsewhere since you opened it",
            "reload the client and make the change again",
        )
    return expected_rev + 1


# A NUL escaped by JSON, not preceded by an escaped backslash ("\\u0000" is the text "\u0000").
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def refuse_nul(record: Any, name: str, payload: bytes | None = None) -> None:
    """Refuse a record holding a NUL character anywhere in its text. PostgreSQL's JSONB cannot
    store one, and no text typed into offboard holds one (validation refuses control
    characters), so every backend refuses it alike, naming the field. `payload` is the
    record as JSON if the caller has it already.

    Raises InvalidInput.
    """
    raw = orjson.dumps(record) if payload is None else payload
    if b"\\u0000" not in raw or not _JSON_NUL.search(raw):
        return
    where = _nul_path(record, "") or "a field"
    raise InvalidInput(
        f"{name!r} cannot be saved: {where} holds a NUL character (\\0), which no backend stores",
        "remove the character; text typed into offboard never holds one, so it came from a "
        "file or a script",
    )


def _nul_path(value: Any, path: str) -> str | None:
    """Where in `value` a NUL is, as a field path; None if nowhere."""
    if isinstance(value, str):
        return path if "\0" in value else None
    if isinstance(value, list):
        value = dict(enumerate(value))
    if not isinstance(value, dict):
        return None
    for key, item in value.items():
        here = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else key
        found = here if isinstance(key, str) and "\0" in key else _nul_path(item, here)
        if found is not None:
            return found
    return None


# --- the one transaction over documents --------------------------------------------------------


class DocTransaction:
    """A transaction over two plain dicts: client records by id, and undo entries by their
    sequence number (as text, the way the file keys them).

    The dicts are changed in place; the backend keeps or throws away the result. Records
    and entries are REPLACED by new dict objects, never edited: a snapshot handed to another
    thread shares them, and what it holds must never change under it. `changed` says
    whether anything was written, and `rollback()` puts back what the touched keys held, for
    a backend that keeps its dicts live.

    `seqs` are the journal's sequence numbers in ascending order, if the backend kept them
    from its previous transaction (see `DocTransaction.seqs`); else they are found once, on
    the first use of the journal.
    """

    def __init__(
        self,
        clients: dict[str, Record],
        journal: dict[str, Record],
        decode: Decoder,
        *,
        seqs: list[int] | None = None,
    ) -> None:
        self.clients = clients
        self.journal = journal
        self._decode = decode
        self._seqs = seqs
        self.changed = False
        self._before_clients: dict[str, Record | None] = {}
        self._before_journal: dict[str, Record | None] = {}

    # --- writing, with what was there kept for a rollback --------------------------------------

    def _set_client(self, key: str, doc: Record | None) -> None:
        if key not in self._before_clients:
            self._before_clients[key] = self.clients.get(key)
        if doc is None:
            del self.clients[key]
        else:
            self.clients[key] = doc
        self.changed = True

    def _set_entry(self, key: str, entry: Record | None) -> None:
        if key not in self._before_journal:
            self._before_journal[key] = self.journal.get(key)
        if entry is None:
            del self.journal[key]
        else:
            self.journal[key] = entry
        self.changed = True

    def rollback(self) -> None:
        """Put every touched key back as it was before this transaction."""
        for target, before in (
            (self.clients, self._before_clients),
            (self.journal, self._before_journal),
        ):
            for key, old in before.items():
                if old is None:
                    target.pop(key, None)
                else:
                    target[key] = old
            before.clear()
        self._seqs = None
        self.changed = False

    def touched(self) -> tuple[set[str], set[str]]:
        """The keys of every client record and journal entry this transaction added,
        replaced or removed: a backend that keeps each record's encoding (a file) encodes
        those alone."""
        return set(self._before_clients), set(self._before_journal)

    def clients_before(self) -> dict[str, Record | None]:
        """What each touched client key held when this transaction began (None: added)."""
        return dict(self._before_clients)

    @property
    def seqs(self) -> list[int] | None:
        """The journal's sequence numbers, ascending, if this transaction looked them up or
        was given them (None otherwise); a backend can hand them to its next transaction."""
        return self._seqs

    def _journal_seqs(self) -> list[int]:
        if self._seqs is None:
            self._seqs = sorted(map(int, self.journal))
        return self._seqs

    # --- clients ------------------------------------------------------------------------------

    def _raw(self, client_id: str) -> Record:
        doc = self.clients.get(client_id)
        if doc is None:
            raise NotFound(f"no client with id {client_id}")
        return doc

    def get(self, client_id: str) -> Client:
        # Decoded afresh: callers edit it, and the stored records must stay untouched.
        return self._decode(self._raw(client_id))

    def exists(self, client_id: str) -> bool:
        return client_id in self.clients

    def all_refs(self) -> list[ClientRef]:
        return [ClientRef(key, ref_name(doc)) for key, doc in self.clients.items()]

    def all(self) -> list[Client]:
        return [self._decode(doc) for doc in self.clients.values()]

    def put(self, client: Client, expected_rev: int | None) -> Client:
        """Store a client. `expected_rev` is the revision the edit started from; None for new.

        The stored revision must still be that one, else someone else saved in between and
        this edit would silently overwrite their change. Raises OffboardError (a new client
        whose id exists), NotFound (an edited client that no longer exists), StaleEdit.
        """
        current = self.clients.get(client.id)
        client.rev = next_revision(client, expected_rev, current)
        doc = client.to_dict()
        refuse_nul(doc, client.name)
        self._set_client(client.id, doc)
        return client

    def add_records(self, records: Iterable[Record]) -> int:
        """Store new clients given as records in their stored form (as `Client.to_dict()`
        writes them, e.g. another backend's documents), each at revision 1; returns how many.

        The fast path for writing a whole board built elsewhere (the demo, generated
        benchmark boards): the records are not decoded again, which for 50,000 clients
        saves seconds, so they must come from `to_dict()` of clients the services made.
        Raises OffboardError when a record's id already exists (nothing is kept then, as
        for any error inside a transaction).
        """
        count = 0
        for doc in records:
            key = doc["id"]
            if key in self.clients:
                raise OffboardError(f"a client with id {key} already exists")
            self._set_client(key, {**doc, "rev": 1})
            count += 1
        return count

    def delete(self, client_id: str) -> None:
        """Remove a client. Raises NotFound."""
        self._raw(client_id)
        self._set_client(client_id, None)

    # --- the undo journal -------------------------------------------------------------------

    def journal_push(self, entry: dict[str, Any]) -> None:
        seqs = self._journal_seqs()
        seq = seqs[-1] + 1 if seqs else 1
        self._set_entry(str(seq), {**entry, "seq": seq})
        seqs.append(seq)
        excess = len(seqs) - JOURNAL_LIMIT
        if excess > 0:
            for stale in seqs[:excess]:
                self._set_entry(str(stale), None)
            del seqs[:excess]

    def journal_rebase(self, client_id: str, old_rev: int, new_rev: int) -> None:
        """After an undo, the state an older entry produced now carries a new revision."""
        for key, entry in list(self.journal.items()):
            changes = entry["changes"]
            if not any(c["client_id"] == client_id and c["after_rev"] == old_rev for c in changes):
                continue
            rebased = [
                {**c, "after_rev": new_rev}
                if c["client_id"] == client_id and c["after_rev"] == old_rev
                else c
                for c in changes
            ]
            self._set_entry(key, {**entry, "changes": rebased})

    def journal_pop(self, session: str | None, kind: str = UNDO) -> dict[str, Any] | None:
        """Take the newest journal entry of `kind` (of one session, if given) off."""
        seqs = self._journal_seqs()
        for i in range(len(seqs) - 1, -1, -1):
            key = str(seqs[i])
            entry = self.journal[key]
            if entry.get("kind", UNDO) != kind:
                continue
            if session is None or entry.get("session") == session:
                self._set_entry(key, None)
                del seqs[i]
                return dict(entry)
        return None

    def journal_drop(self, kind: str) -> None:
        seqs = self._journal_seqs()
        kept = []
        for seq in seqs:
            if self.journal[str(seq)].get("kind", UNDO) == kind:
                self._set_entry(str(seq), None)
            else:
                kept.append(seq)
        seqs[:] = kept

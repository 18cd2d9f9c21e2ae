"""The repository contract, run against every backend.

Each test uses only what `offboard.storage.repository.Repository` promises (and the
services built on it), never a backend's internals, so a new backend passes by being
correct, not by looking like the others. Adding a backend is one entry in BACKENDS: a
function that opens an empty repository in a temporary folder (or skips when what it needs,
such as a server, is not there).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from offboard.domain.clock import FixedClock
from offboard.domain.errors import NotFound, NothingToUndo, OffboardError, StaleEdit
from offboard.domain.models import Category, Client, RedFlag, Stage
from offboard.domain.reader import NO_NAME
from offboard.services import Services
from offboard.storage.errors import CorruptDatabase
from offboard.storage.memory import MemoryRepository
from offboard.storage.repository import JOURNAL_LIMIT, ClientRef, Repository
from offboard.storage.tinyfile import TinyRepository

DAY = dt.date(2026, 3, 2)
ID_A = "aaaa1111-0000-4000-8000-000000000001"
ID_B = "bbbb2222-0000-4000-8000-000000000002"
ID_C = "cccc3333-0000-4000-8000-000000000003"


def _postgres(folder: Path) -> Repository:
    # A board of its own on the session's throwaway server (skips without PostgreSQL).
    from pgserver import cluster

    from offboard.storage.postgres import open_pg

    return open_pg(cluster().fresh_url(), folder / "board", actor="test")


BACKENDS: dict[str, Callable[[Path], Repository]] = {
    "memory": lambda folder: MemoryRepository(),
    "tinydb": lambda folder: TinyRepository(folder / "offboard.json"),
    "postgres": _postgres,
}


def open_backend(name: str, folder: Path) -> Repository:
    folder.mkdir(parents=True, exist_ok=True)
    return BACKENDS[name](folder)


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def repo(backend: str, tmp_path: Path) -> Iterator[Repository]:
    repository = open_backend(backend, tmp_path / "main")
    yield repository
    repository.close()


@pytest.fixture
def opener(backend: str, tmp_path: Path) -> Iterator[Callable[[str], Repository]]:
    """Another empty repository of the same backend, by name (for exports and imports)."""
    opened: list[Repository] = []

    def open_other(name: str) -> Repository:
        repository = open_backend(backend, tmp_path / name)
        opened.append(repository)
        return repository

    yield open_other
    for repository in opened:
        repository.close()


def services_on(repo: Repository, session: str = "test-session") -> Services:
    return Services(repo, FixedClock(DAY), actor="test", session=session)


def add(repo: Repository, name: str, client_id: str | None = None, **fields: Any) -> Client:
    client = Client(name=name, created=DAY, **fields)
    if client_id is not None:
        client.id = client_id
    with repo.transaction() as tx:
        return tx.put(client, None)


def entry(summary: str, session: str = "s1", changes: list[dict[str, Any]] | None = None) -> dict:
    return {"summary": summary, "session": session, "changes": changes or []}


def journal_summaries(repo: Repository, session: str | None = None) -> list[str]:
    """Pop every entry (of `session`), newest first. Empties that part of the journal."""
    found = []
    with repo.transaction() as tx:
        while (popped := tx.journal_pop(session)) is not None:
            found.append(popped["summary"])
    return found


class Boom(Exception):
    pass


# --- storing and reading clients ---------------------------------------------------------------


def test_an_empty_repository(repo: Repository) -> None:
    assert repo.clients() == []
    assert repo.refs() == []
    assert len(repo.snapshot()) == 0
    assert not repo.changed_on_disk()
    with repo.transaction() as tx:
        assert tx.all() == [] and tx.all_refs() == []
        assert tx.journal_pop(None) is None


def test_put_a_new_client_and_read_it_back(repo: Repository) -> None:
    stored = add(repo, "Ada Lovelace", ID_A, email="ada@example.com", company="Engines")
    assert stored.rev == 1
    back = repo.get(ID_A)
    assert back == stored
    assert back.to_dict() == stored.to_dict()
    assert back.damage == ()


def test_put_returns_the_client_with_its_new_revision(repo: Repository) -> None:
    client = Client(name="Ada", id=ID_A)
    with repo.transaction() as tx:
        returned = tx.put(client, None)
    assert returned is client and client.rev == 1


def test_exists_get_and_all_in_a_transaction(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    add(repo, "Bob", ID_B)
    with repo.transaction() as tx:
        assert tx.exists(ID_A) and not tx.exists(ID_C)
        assert tx.get(ID_B).name == "Bob"
        assert sorted(c.name for c in tx.all()) == ["Ada", "Bob"]


def test_a_missing_client_is_not_found(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    with pytest.raises(NotFound, match=ID_C):
        repo.get(ID_C)
    with repo.transaction() as tx, pytest.raises(NotFound, match=ID_C):
        tx.get(ID_C)


def test_get_gives_the_caller_its_own_copy(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    mine = repo.get(ID_A)
    mine.email = "changed@example.com"
    mine.flags.append(RedFlag(Category.PAYMENT, "late", DAY))
    assert repo.get(ID_A) is not mine
    assert repo.get(ID_A).email == "" and repo.get(ID_A).flags == []
    with repo.transaction() as tx:
        edited = tx.get(ID_A)
        edited.email = "in-tx@example.com"  # not put: must not stick
    assert repo.get(ID_A).email == ""


def test_refs_name_every_client_without_decoding(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    add(repo, "Bob", ID_B)
    assert sorted(repo.refs()) == [ClientRef(ID_A, "Ada"), ClientRef(ID_B, "Bob")]
    with repo.transaction() as tx:
        assert sorted(tx.all_refs()) == sorted(repo.refs())


def test_a_blank_name_is_found_as_the_decoder_shows_it(repo: Repository) -> None:
    add(repo, "   ", ID_A)
    assert repo.refs() == [ClientRef(ID_A, NO_NAME)]
    assert repo.get(ID_A).name == NO_NAME


def test_clients_and_refs_after_deletes(repo: Repository) -> None:
    for name, cid in (("Ada", ID_A), ("Bob", ID_B), ("Cy", ID_C)):
        add(repo, name, cid)
    assert sorted(c.name for c in repo.clients()) == ["Ada", "Bob", "Cy"]
    with repo.transaction() as tx:
        tx.delete(ID_B)
        assert not tx.exists(ID_B)
    assert sorted(c.name for c in repo.clients()) == ["Ada", "Cy"]
    assert sorted(r.name for r in repo.refs()) == ["Ada", "Cy"]
    assert sorted(repo.snapshot()) == sorted([ID_A, ID_C])
    with pytest.raises(NotFound):
        repo.get(ID_B)


def test_deleting_a_missing_client_is_not_found(repo: Repository) -> None:
    with repo.transaction() as tx, pytest.raises(NotFound):
        tx.delete(ID_A)


# --- revisions -----------------------------------------------------------------------------------


def test_a_new_client_with_an_existing_id_is_refused(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    with (
        pytest.raises(OffboardError, match=f"a client with id {ID_A} already exists"),
        repo.transaction() as tx,
    ):
        tx.put(Client(name="Impostor", id=ID_A), None)
    assert repo.get(ID_A).name == "Ada"


def test_each_save_adds_one_to_the_revision(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    for expected in (2, 3, 4):
        with repo.transaction() as tx:
            client = tx.get(ID_A)
            tx.put(client, client.rev)
        assert client.rev == expected == repo.get(ID_A).rev


def test_an_imported_client_continues_from_its_revision(repo: Repository) -> None:
    client = Client(name="Imported", id=ID_A, rev=7)
    with repo.transaction() as tx:
        tx.put(client, None)
    assert repo.get(ID_A).rev == 8


def test_an_undone_delete_continues_from_the_revision_it_had(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    with repo.transaction() as tx:
        client = tx.get(ID_A)
        tx.put(client, client.rev)
    kept = repo.get(ID_A)
    assert kept.rev == 2
    with repo.transaction() as tx:
        tx.delete(ID_A)
    with repo.transaction() as tx:
        tx.put(kept, None)
    # Never revision 1 or 2 again with other content.
    assert repo.get(ID_A).rev == 3


def test_a_stale_revision_is_refused_with_the_same_message(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    mine = repo.get(ID_A)
    theirs = repo.get(ID_A)
    theirs.email = "theirs@example.com"
    with repo.transaction() as tx:
        tx.put(theirs, theirs.rev)
    mine.email = "mine@example.com"
    with pytest.raises(StaleEdit) as caught, repo.transaction() as tx:
        tx.put(mine, mine.rev)
    assert caught.value.message == "Ada was changed elsewhere since you opened it"
    assert caught.value.hint == "reload the client and make the change again"
    assert repo.get(ID_A).email == "theirs@example.com"
    assert repo.get(ID_A).rev == 2


def test_saving_a_client_that_no_longer_exists_is_not_found(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    held = repo.get(ID_A)
    with repo.transaction() as tx:
        tx.delete(ID_A)
    with pytest.raises(NotFound, match="'Ada' no longer exists"), repo.transaction() as tx:
        tx.put(held, held.rev)
    assert repo.refs() == []


# --- snapshots ------------------------------------------------------------------------------------


def test_a_snapshot_is_a_mapping_of_the_stored_clients(repo: Repository) -> None:
    add(repo, "Ada", ID_A, email="ada@example.com")
    add(repo, "Bob", ID_B, stage=Stage.REPAIR)
    snapshot = repo.snapshot()
    assert len(snapshot) == 2
    assert ID_A in snapshot and ID_C not in snapshot
    assert sorted(snapshot) == [ID_A, ID_B]
    assert snapshot[ID_A].email == "ada@example.com"
    assert snapshot.get(ID_C) is None
    with pytest.raises(KeyError):
        snapshot[ID_C]


def test_a_snapshot_gives_the_stored_records_for_the_board(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    add(repo, "Bob", ID_B, stage=Stage.REPAIR)
    snapshot = repo.snapshot()
    record = snapshot.doc(ID_B)
    assert (record["name"], record["stage"], record["rev"]) == ("Bob", "repair", 1)
    assert dict(snapshot.docs()) == {cid: snapshot.doc(cid) for cid in snapshot}
    with pytest.raises(KeyError):
        snapshot.doc(ID_C)


def test_a_fields_view_holds_the_fields_asked_for_and_whole_clients(repo: Repository) -> None:
    add(repo, "Ada", ID_A, email="ada@example.com")
    add(repo, "Bob", ID_B, stage=Stage.REPAIR)
    snapshot = repo.snapshot()
    view = repo.fields_view(["name", "email", "rev"])
    docs = dict(view.docs())
    assert sorted(docs) == [ID_A, ID_B]
    for cid, record in docs.items():
        whole = snapshot.doc(cid)
        assert {key: record[key] for key in ("name", "email", "rev")} == {
            key: whole[key] for key in ("name", "email", "rev")
        }
        assert view[cid] == snapshot[cid]
    with pytest.raises(KeyError):
        view[ID_C]


def test_a_snapshot_gives_each_client_s_row_without_decoding_it(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    add(repo, "Bob", ID_B, stage=Stage.REPAIR)
    snapshot = repo.snapshot()
    rows = {row.id: row for row in snapshot.rows()}
    assert sorted(rows) == [ID_A, ID_B]
    bob = rows[ID_B]
    assert (bob.name, bob.stage, bob.rev, bob.key) == ("Bob", Stage.REPAIR, 1, ("bob", ID_B))
    assert snapshot.revision(ID_B) == 1 and snapshot.row(ID_B).rev == 1
    assert bob.client == snapshot[ID_B]
    with pytest.raises(KeyError):
        snapshot.row(ID_C)


def test_a_row_is_kept_across_snapshots_until_its_client_changes(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    add(repo, "Bob", ID_B)
    ada, bob = (repo.snapshot().row(cid) for cid in (ID_A, ID_B))
    services_on(repo).edit_client(ID_B, name="Robert")
    later = repo.snapshot()
    assert later.keep(ada)  # unchanged: the same row serves the new snapshot
    assert not later.keep(bob)
    assert later.row(ID_B).name == "Robert" and later.revision(ID_B) == 2


def test_a_snapshot_decodes_a_client_once_per_revision(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    add(repo, "Bob", ID_B)
    first = repo.snapshot()
    ada = first[ID_A]
    assert first[ID_A] is ada
    with repo.transaction() as tx:
        bob = tx.get(ID_B)
        tx.put(bob, bob.rev)
    second = repo.snapshot()
    assert second[ID_A] is ada  # unchanged: the same decoded client
    assert second[ID_B].rev == 2 and first[ID_B].rev == 1


def test_a_snapshot_taken_before_a_save_still_shows_the_old_record(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    before = repo.snapshot()
    record = before.doc(ID_A)
    with repo.transaction() as tx:
        client = tx.get(ID_A)
        client.flags.append(RedFlag(Category.TIME, "moved the call again", DAY))
        client.email = "new@example.com"
        tx.put(client, client.rev)
    # The save replaced the record, it did not edit the one the snapshot holds.
    assert record["rev"] == 1 and record["flags"] == [] and record["email"] == ""
    assert before.doc(ID_A) is record
    assert before[ID_A].flags == [] and before[ID_A].rev == 1
    after = repo.snapshot()
    assert len(after[ID_A].flags) == 1 and after.doc(ID_A)["rev"] == 2


def test_a_snapshot_keeps_clients_deleted_and_misses_clients_added_later(
    repo: Repository,
) -> None:
    add(repo, "Ada", ID_A)
    before = repo.snapshot()
    with repo.transaction() as tx:
        tx.delete(ID_A)
    add(repo, "Bob", ID_B)
    assert list(before) == [ID_A] and before[ID_A].name == "Ada"
    assert list(repo.snapshot()) == [ID_B]


def test_a_snapshot_can_be_read_on_another_thread(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    add(repo, "Bob", ID_B)
    snapshot = repo.snapshot()
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(snapshot[c].name for c in snapshot))
    reader.start()
    with repo.transaction() as tx:  # a save going on meanwhile
        tx.delete(ID_A)
    reader.join(5)
    assert sorted(seen) == ["Ada", "Bob"]


# --- transactions --------------------------------------------------------------------------------


def test_a_transaction_sees_its_own_changes(repo: Repository) -> None:
    with repo.transaction() as tx:
        tx.put(Client(name="Ada", id=ID_A), None)
        assert tx.exists(ID_A)
        assert tx.get(ID_A).rev == 1
        assert [r.name for r in tx.all_refs()] == ["Ada"]
        tx.journal_push(entry("added Ada"))
        assert tx.journal_pop(None) is not None


def test_nothing_of_a_failed_transaction_is_kept(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    add(repo, "Bob", ID_B)
    with repo.transaction() as tx:
        tx.journal_push(entry("kept"))
    before_clients = {c.id: c.to_dict() for c in repo.clients()}
    with pytest.raises(Boom), repo.transaction() as tx:
        tx.put(Client(name="Cy", id=ID_C), None)
        ada = tx.get(ID_A)
        ada.email = "lost@example.com"
        tx.put(ada, ada.rev)
        tx.delete(ID_B)
        tx.journal_push(entry("lost"))
        assert tx.journal_pop("s1") is not None  # the "lost" one
        assert tx.journal_pop("s1") is not None  # and "kept", for now
        raise Boom
    assert {c.id: c.to_dict() for c in repo.clients()} == before_clients
    assert sorted(repo.snapshot()) == sorted([ID_A, ID_B])
    assert journal_summaries(repo) == ["kept"]


def test_a_refused_put_rolls_back_the_whole_transaction(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    with pytest.raises(OffboardError), repo.transaction() as tx:
        tx.put(Client(name="Bob", id=ID_B), None)
        tx.journal_push(entry("added Bob"))
        tx.put(Client(name="Ada again", id=ID_A), None)
    assert [r.name for r in repo.refs()] == ["Ada"]
    assert journal_summaries(repo) == []


def test_a_repository_is_usable_after_a_failed_transaction(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    with pytest.raises(Boom), repo.transaction() as tx:
        tx.delete(ID_A)
        raise Boom
    with repo.transaction() as tx:
        ada = tx.get(ID_A)
        tx.put(ada, ada.rev)
    assert repo.get(ID_A).rev == 2


def test_transactions_do_not_nest(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    with pytest.raises(RuntimeError, match="nest"), repo.transaction() as tx:
        tx.delete(ID_A)
        with repo.transaction():
            pass
    assert repo.get(ID_A).name == "Ada"  # the outer one failed, so it kept nothing
    with repo.transaction() as tx:
        assert tx.exists(ID_A)


def test_a_transaction_that_changes_nothing_changes_nothing(repo: Repository) -> None:
    add(repo, "Ada", ID_A)
    before = repo.snapshot()
    with repo.transaction() as tx:
        tx.get(ID_A)
        tx.all()
    assert repo.snapshot().doc(ID_A) is before.doc(ID_A)
    assert not repo.changed_on_disk()


# --- the undo journal ----------------------------------------------------------------------------


def test_the_journal_pops_newest_first(repo: Repository) -> None:
    with repo.transaction() as tx:
        for summary in ("one", "two", "three"):
            tx.journal_push(entry(summary))
    with repo.transaction() as tx:
        newest = tx.journal_pop(None)
    assert newest is not None
    assert newest["summary"] == "three" and newest["session"] == "s1"
    assert newest["changes"] == []
    assert journal_summaries(repo) == ["two", "one"]


def test_journal_entries_are_numbered_on_from_the_newest(repo: Repository) -> None:
    with repo.transaction() as tx:
        for summary in ("one", "two", "three"):
            tx.journal_push(entry(summary))
        assert tx.journal_pop(None)["seq"] == 3  # type: ignore[index]
        tx.journal_push(entry("four"))
        assert tx.journal_pop(None)["seq"] == 3  # type: ignore[index]


def test_the_journal_pops_by_session(repo: Repository) -> None:
    with repo.transaction() as tx:
        tx.journal_push(entry("mine 1", "mine"))
        tx.journal_push(entry("theirs 1", "theirs"))
        tx.journal_push(entry("mine 2", "mine"))
        tx.journal_push(entry("theirs 2", "theirs"))
    assert journal_summaries(repo, "mine") == ["mine 2", "mine 1"]
    with repo.transaction() as tx:
        assert tx.journal_pop("mine") is None
    assert journal_summaries(repo, None) == ["theirs 2", "theirs 1"]


def test_the_journal_keeps_only_the_newest_entries(repo: Repository) -> None:
    with repo.transaction() as tx:
        for i in range(JOURNAL_LIMIT + 5):
            tx.journal_push(entry(f"change {i}"))
    summaries = journal_summaries(repo)
    assert len(summaries) == JOURNAL_LIMIT
    assert summaries[0] == f"change {JOURNAL_LIMIT + 4}"
    assert summaries[-1] == "change 5"


def test_the_journal_limit_holds_across_transactions(repo: Repository) -> None:
    for i in range(JOURNAL_LIMIT + 2):
        with repo.transaction() as tx:
            tx.journal_push(entry(f"change {i}"))
    summaries = journal_summaries(repo)
    assert len(summaries) == JOURNAL_LIMIT and summaries[-1] == "change 2"


def test_journal_rebase_moves_the_revision_of_one_client(repo: Repository) -> None:
    changes = [
        {"client_id": ID_A, "before": None, "after_rev": 3},
        {"client_id": ID_B, "before": None, "after_rev": 3},
    ]
    with repo.transaction() as tx:
        tx.journal_push(entry("both", changes=changes))
        tx.journal_push(entry("older state", changes=[{"client_id": ID_A, "after_rev": 2}]))
        tx.journal_rebase(ID_A, 3, 5)
    with repo.transaction() as tx:
        newer, older = tx.journal_pop(None), tx.journal_pop(None)
    assert newer is not None and older is not None
    assert newer["changes"] == [{"client_id": ID_A, "after_rev": 2}]
    assert older["changes"] == [
        {"client_id": ID_A, "before": None, "after_rev": 5},
        {"client_id": ID_B, "before": None, "after_rev": 3},
    ]


def test_the_journal_never_edits_an_entry_in_place(repo: Repository) -> None:
    change = {"client_id": ID_A, "before": None, "after_rev": 3}
    pushed = entry("one", changes=[change])
    with repo.transaction() as tx:
        tx.journal_push(pushed)
        tx.journal_rebase(ID_A, 3, 4)
    # What the caller handed in is not the stored entry, and was not changed by the rebase.
    assert change == {"client_id": ID_A, "before": None, "after_rev": 3}
    assert "seq" not in pushed and pushed["changes"] == [change]
    with repo.transaction() as tx:
        popped = tx.journal_pop(None)
    assert popped is not None and popped["changes"][0]["after_rev"] == 4


# --- damaged records ------------------------------------------------------------------------------


def test_a_record_with_a_bad_field_comes_back_with_its_damage_listed(repo: Repository) -> None:
    add(repo, "Ada", ID_A, email="not an email", currency="XXXX")
    add(repo, "Bob", ID_B)
    for client in (repo.get(ID_A), repo.snapshot()[ID_A], *repo.clients()):
        if client.id != ID_A:
            assert client.damage == ()
            continue
        assert {p.path for p in client.damage} == {"email", "currency"}
        assert client.currency == "EUR"  # replaced by a safe value
        assert client.email == "not an email"  # kept as found
    with repo.transaction() as tx:
        assert {p.path for p in tx.get(ID_A).damage} == {"email", "currency"}
    assert ClientRef(ID_A, "Ada") in repo.refs()


def test_a_record_that_cannot_be_a_client_names_the_database(repo: Repository) -> None:
    with repo.transaction() as tx:
        tx.put(Client(name="Broken", id="not-a-uuid"), None)
    assert ClientRef("not-a-uuid", "Broken") in repo.refs()
    with pytest.raises(CorruptDatabase) as caught:
        repo.get("not-a-uuid")
    assert caught.value.path == repo.path
    assert str(repo.path) in caught.value.message


# --- the services on each backend ----------------------------------------------------------------


def test_services_add_and_list(repo: Repository) -> None:
    services = services_on(repo)
    ada = services.add_client("Ada Lima", email="ada@example.com")
    services.add_client("Bo", archetype="abusive")
    assert ada.rev == 1
    assert [c.name for c in services.clients()] == ["Ada Lima", "Bo"]
    stored = repo.get(ada.id)
    assert [h.action for h in stored.history] == ["create"]
    assert services.resolve("ada").id == ada.id


def test_services_change_and_stale_edit(repo: Repository) -> None:
    services = services_on(repo)
    ada = services.add_client("Ada")
    flagged = services.log_flag("ada", "payment", "late", expected_rev=1)
    assert flagged.rev == 2
    assert [f.description for f in repo.get(ada.id).flags] == ["late"]
    with pytest.raises(StaleEdit, match="changed elsewhere"):
        services.log_flag("ada", "scope", "extra pages", expected_rev=1)
    assert repo.get(ada.id).rev == 2


def test_services_undo_a_chain_of_changes(repo: Repository) -> None:
    services = services_on(repo)
    ada = services.add_client("Ana Lima")
    services.log_flag("ana", "payment", "late")
    services.decide("ana", "offboard", "money")
    services.undo()
    assert repo.get(ada.id).decision is None
    assert services.undo() == "Ana Lima: red flag (payment): late"
    back = repo.get(ada.id)
    assert back.flags == [] and back.rev == 5  # revisions only go up
    assert back.history[-1].summary == "undid: Ana Lima: red flag (payment): late"
    assert services.undo() == "added Ana Lima"
    assert repo.clients() == []
    with pytest.raises(NothingToUndo):
        services.undo()


def test_services_undo_delete_brings_the_client_back(repo: Repository) -> None:
    services = services_on(repo)
    ada = services.add_client("Ana")
    services.log_flag("ana", "payment", "late")
    services.delete_client("ana")
    assert repo.refs() == []
    assert services.undo() == "deleted Ana"
    back = repo.get(ada.id)
    assert back.rev == 3 and [f.description for f in back.flags] == ["late"]
    services.undo()
    assert repo.get(ada.id).flags == []


def test_services_undo_this_session_only(repo: Repository) -> None:
    mine, theirs = services_on(repo, "mine"), services_on(repo, "theirs")
    ana = mine.add_client("Ana")
    bo = theirs.add_client("Bo")
    mine.log_flag("ana", "payment", "late")
    theirs.log_flag("bo", "payment", "later")
    assert mine.undo(this_session_only=True) == "Ana: red flag (payment): late"
    assert repo.get(ana.id).flags == [] and len(repo.get(bo.id).flags) == 1


def test_services_import_and_undo_import(
    repo: Repository, opener: Callable[[str], Repository]
) -> None:
    source = services_on(opener("source"))
    source.add_client("Bo")
    cy = source.add_client("Cy")
    source.log_flag("cy", "scope", "extra pages")
    services = services_on(repo)
    services.add_client("Ana")
    imported = services.import_data(source.export_data())
    assert sorted(c.name for c in imported) == ["Bo", "Cy"]
    assert repo.get(cy.id).rev == 3  # continues from the exported revision
    assert len(repo.get(cy.id).flags) == 1
    with pytest.raises(OffboardError, match="already exist"):
        services.import_data(source.export_data())
    assert services.undo() == "imported 2 clients"
    assert [c.name for c in repo.clients()] == ["Ana"]


def test_services_repair_a_damaged_record_on_save(repo: Repository) -> None:
    add(repo, "Ada", ID_A, currency="XXXX")
    services = services_on(repo)
    services.log_flag(ID_A, "payment", "late")
    saved = repo.get(ID_A)
    assert saved.damage == ()
    assert [h.action for h in saved.history][-2:] == ["repair", "flag"]


def run_script(repo: Repository) -> list[dict[str, Any]]:
    """A little of everything, through the services; the result without random ids."""
    services = services_on(repo)
    ana = services.add_client("Ana Lima", email="ana@example.com")
    bo = services.add_client("Bo")
    services.log_flag("ana", "payment", "late", severity=3)
    services.decide("ana", "offboard", "money")
    services.move("ana", "preparation", force=True)
    services.edit_client("bo", company="Bo & Co")
    services.undo()
    services.delete_client("bo")
    services.undo()
    exported = services.export_data()["clients"]
    names = {ana.id: "ana", bo.id: "bo"}
    names.update({f.id: f"flag {i}" for i, f in enumerate(repo.get(ana.id).flags)})
    text = json.dumps(exported)
    for random_id, name in names.items():
        text = text.replace(random_id, name)
    return sorted(json.loads(text), key=lambda r: r["id"])


def test_every_backend_gives_the_same_results(tmp_path: Path) -> None:
    results = {}
    for name in BACKENDS:
        repository = open_backend(name, tmp_path / name)
        try:
            results[name] = run_script(repository)
        finally:
            repository.close()
    first, *others = results.values()
    assert [r["rev"] for r in first] == [4, 4]
    assert all(other == first for other in others), list(results)


# --- undo and redo entries --------------------------------------------------------------------


def test_journal_kinds_are_kept_apart(repo) -> None:
    from offboard.storage.repository import REDO, UNDO

    with repo.transaction() as tx:
        tx.journal_push({"session": "s", "summary": "u1", "changes": [], "kind": UNDO})
        tx.journal_push({"session": "s", "summary": "r1", "changes": [], "kind": REDO})
        tx.journal_push({"session": "s", "summary": "old", "changes": []})  # no kind: undo
    with repo.transaction() as tx:
        assert tx.journal_pop("s", REDO)["summary"] == "r1"
        assert tx.journal_pop("s", REDO) is None
        assert tx.journal_pop("s")["summary"] == "old"
        assert tx.journal_pop("s", UNDO)["summary"] == "u1"


def test_journal_drop_removes_one_kind_only(repo) -> None:
    from offboard.storage.repository import REDO, UNDO

    with repo.transaction() as tx:
        for i in range(3):
            tx.journal_push({"session": "s", "summary": f"r{i}", "changes": [], "kind": REDO})
        tx.journal_push({"session": "s", "summary": "u", "changes": [], "kind": UNDO})
    with repo.transaction() as tx:
        tx.journal_drop(REDO)
    with repo.transaction() as tx:
        assert tx.journal_pop(None, REDO) is None
        assert tx.journal_pop(None, UNDO)["summary"] == "u"

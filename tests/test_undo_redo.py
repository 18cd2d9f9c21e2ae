"""Undo and redo on the real file: redo walks back over a run of undos, and a new change ends
what can be redone. Every step is read back from the file with a fresh repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from offboard.domain.errors import NothingToUndo
from offboard.storage.tinyfile import TinyRepository


def on_disk(db: Path):
    return {c.name: c for c in TinyRepository(db).clients()}


def without_history(client) -> dict:
    data = client.to_dict()
    data.pop("history")
    data.pop("rev")
    return data


def test_redo_after_undo_brings_the_change_back(services, db_path: Path) -> None:
    ana = services.add_client("Ana")
    services.log_flag(ana.id, "payment", "Paid late")
    after_change = without_history(on_disk(db_path)["Ana"])
    services.undo()
    assert on_disk(db_path)["Ana"].flags == []
    assert services.redo() == "Ana: red flag (payment): Paid late"
    again = on_disk(db_path)["Ana"]
    assert without_history(again) == after_change
    # The undo cut the history back and said so; the redo says what it brought back.
    assert [e.action for e in again.history] == ["create", "undo", "redo"]
    assert again.history[-1].summary == "redid: Ana: red flag (payment): Paid late"


def test_a_run_of_undos_is_walked_back_in_order(services, db_path: Path) -> None:
    ana = services.add_client("Ana")
    services.log_flag(ana.id, "payment", "one")
    services.log_flag(ana.id, "scope", "two")
    services.edit_client(ana.id, email="ana@example.com")
    final = without_history(on_disk(db_path)["Ana"])
    for _ in range(3):
        services.undo()
    assert on_disk(db_path)["Ana"].flags == [] and on_disk(db_path)["Ana"].email == ""
    services.redo()
    assert [f.description for f in on_disk(db_path)["Ana"].flags] == ["one"]
    services.redo()
    services.redo()
    assert without_history(on_disk(db_path)["Ana"]) == final
    with pytest.raises(NothingToUndo, match="nothing to redo"):
        services.redo()
    # and the redone changes can be undone again
    services.undo()
    assert on_disk(db_path)["Ana"].email == ""


def test_a_new_change_ends_what_can_be_redone(services, db_path: Path) -> None:
    ana = services.add_client("Ana")
    services.log_flag(ana.id, "payment", "one")
    services.undo()
    services.edit_client(ana.id, company="Lima Design")
    with pytest.raises(NothingToUndo):
        services.redo()
    assert on_disk(db_path)["Ana"].flags == []


def test_redo_of_an_add_and_of_a_delete(services, db_path: Path) -> None:
    ana = services.add_client("Ana")
    services.undo()
    assert "Ana" not in on_disk(db_path)
    services.redo()
    assert on_disk(db_path)["Ana"].id == ana.id
    services.delete_client(ana.id)
    services.undo()
    assert "Ana" in on_disk(db_path)
    services.redo()
    assert "Ana" not in on_disk(db_path)


def test_redo_of_an_import_brings_every_client_back(services, db_path: Path) -> None:
    services.add_client("Ana")
    services.add_client("Bo")
    data = services.export_data()
    for name in ("Ana", "Bo"):
        services.delete_client(name)
    services.import_data(data)
    services.undo()
    assert on_disk(db_path) == {}
    services.redo()
    assert set(on_disk(db_path)) == {"Ana", "Bo"}


def test_redo_stays_in_its_session(services, db_path: Path) -> None:
    from offboard.services import Services

    other = Services(services.repo, services.clock, checklists=services.checklists)
    ana = services.add_client("Ana")
    services.log_flag(ana.id, "payment", "mine")
    services.undo(this_session_only=True)
    with pytest.raises(NothingToUndo):
        other.redo(this_session_only=True)
    services.redo(this_session_only=True)
    assert [f.description for f in on_disk(db_path)["Ana"].flags] == ["mine"]

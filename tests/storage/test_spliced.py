"""The first save after a load copies the bytes read and encodes only what changed
(storage/spliced.py). Whatever the data holds and however the change went, the file written
is exactly `orjson.dumps` of the data; what cannot be vouched for is encoded in full."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings, strategies as st
from storagekit import make_services

from offboard.storage.encoded import EncodedTables
from offboard.storage.locking import lock_path_of
from offboard.storage.spliced import splice

# Text that looks like the file's own structure: a key's place, a record's end, the end of
# the table, the table names, quotes and backslashes.
HOSTILE = [
    '},"c1":{',
    '"c2":{"name":"x"}',
    '}},"journal":{',
    '\\"},\\"c3\\":{',
    "\\",
    '"',
    "},",
    '{"a":1}}',
]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))
VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8,
)
RECORD = st.dictionaries(st.sampled_from(["name", "note", "rev", "items", "c1"]), VALUE)
KEYS = [f"c{i}" for i in range(8)]


def tables(clients: dict[str, Any], journal: dict[str, Any]) -> dict[str, Any]:
    return {"_meta": {"version": 1}, "clients": clients, "journal": journal}


def joined(pieces: list[bytes] | None) -> bytes | None:
    return None if pieces is None else b"".join(pieces)


@settings(max_examples=400, deadline=None)
@given(
    clients=st.dictionaries(st.sampled_from(KEYS), RECORD, min_size=1, max_size=6),
    journal=st.dictionaries(st.sampled_from(["1", "2", "3"]), RECORD, max_size=2),
    steps=st.lists(
        st.tuples(st.sampled_from(["replace", "add", "remove", "nest"]), st.integers(0, 9), RECORD),
        min_size=1,
        max_size=4,
    ),
    new_journal=st.dictionaries(st.sampled_from(["2", "3", "4"]), RECORD, max_size=2),
)
def test_a_spliced_save_is_the_whole_encoding_or_declined(
    clients: dict[str, Any],
    journal: dict[str, Any],
    steps: list[tuple[str, int, dict[str, Any]]],
    new_journal: dict[str, Any],
) -> None:
    data = tables(clients, journal)
    raw = orjson.dumps(data)
    table = data["clients"]
    before: dict[str, Any] = {}
    for kind, at, record in steps:
        keys = list(table)
        if kind == "add":
            key = f"n{at}"
            if key in table:
                continue
        elif not keys:
            continue
        else:
            key = keys[at % len(keys)]
        before.setdefault(key, table.get(key))
        if kind == "remove":
            del table[key]
        elif kind == "nest":
            # A copy of another record, and of its key, planted inside this one.
            other = keys[(at + 1) % len(keys)]
            table[key] = {**table[key], other: copy.deepcopy(table[other]), "x": [{other: 1}]}
        else:
            table[key] = record
    data["journal"] = new_journal
    changed = {"clients": set(before), "journal": set(journal) | set(new_journal)}
    made = joined(splice(raw, data, changed, {"clients": before}))
    assert made is None or made == orjson.dumps(data)


def test_a_change_to_one_record_is_spliced() -> None:
    data = tables({k: {"name": f"Client {k}", "rev": 1} for k in KEYS}, {})
    raw = orjson.dumps(data)
    old = data["clients"]["c3"]
    data["clients"]["c3"] = {"name": "Client c3", "rev": 2}
    data["clients"]["n1"] = {"name": "New", "rev": 1}
    data["journal"]["1"] = {"client_id": "c3", "before": old}
    changed = {"clients": {"c3", "n1"}, "journal": {"1"}}
    pieces = splice(raw, data, changed, {"clients": {"c3": old, "n1": None}})
    assert pieces is not None and len(pieces) > 1
    assert b"".join(pieces) == orjson.dumps(data)


@pytest.mark.parametrize("where", ["in another record", "in the journal"])
def test_a_planted_copy_of_the_changed_record_makes_it_declined(where: str) -> None:
    records = {k: {"name": f"Client {k}"} for k in KEYS}
    old = records["c3"]
    planted = {"c3": copy.deepcopy(old), "z": 1}
    if where == "in another record":
        records["c1"]["notes"] = planted
    data = tables(records, {"1": planted} if where == "in the journal" else {})
    raw = orjson.dumps(data)
    data["clients"]["c3"] = {"name": "Changed"}
    made = joined(splice(raw, data, {"clients": {"c3"}}, {"clients": {"c3": old}}))
    # In another record the copy is ambiguous; in the journal, outside the table, it is not.
    assert made is None if where == "in another record" else made == orjson.dumps(data)


@pytest.mark.parametrize(
    "case",
    ["removed", "not told", "meta changed", "not our layout", "empty table", "moved key"],
)
def test_what_cannot_be_vouched_for_is_declined(case: str) -> None:
    data = tables({k: {"name": k} for k in KEYS}, {})
    raw = orjson.dumps(data)
    clients = data["clients"]
    changed: dict[str, set[str]] = {"clients": {"c2"}}
    before: dict[str, Any] = {"c2": clients["c2"]}
    clients["c2"] = {"name": "changed"}
    if case == "removed":
        del clients["c4"]
        changed["clients"].add("c4")
        before["c4"] = {"name": "c4"}
    elif case == "not told":
        changed["clients"].add("c5")
    elif case == "meta changed":
        data["_meta"]["version"] = 2
        changed["_meta"] = {"version"}
    elif case == "not our layout":
        raw = orjson.dumps(tables({k: {"name": k} for k in KEYS}, {}), option=orjson.OPT_INDENT_2)
    elif case == "empty table":
        raw = orjson.dumps(tables({}, {}))
        data["clients"] = {"c2": {"name": "changed"}}
        before = {"c2": None}
    elif case == "moved key":
        clients["c0"] = clients.pop("c0")  # to the end, and not said to be new
        changed["clients"].add("c0")
        before["c0"] = {"name": "c0"}
    assert splice(raw, data, changed, {"clients": before}) is None


def test_data_json_cannot_hold_is_refused_as_a_whole_encoding_refuses_it() -> None:
    data = tables({k: {"name": k} for k in KEYS}, {})
    encoded = EncodedTables()
    encoded.loaded(orjson.dumps(data))
    old = data["clients"]["c1"]
    data["clients"]["c1"] = {"name": {1, 2}}
    with pytest.raises(TypeError):
        encoded.encode(data, {"clients": {"c1"}}, {"clients": {"c1": old}})


# --- through the file -----------------------------------------------------------------------


def lock_mark(db: Path) -> bytes:
    return lock_path_of(db).read_bytes()


def test_a_command_on_a_file_this_storage_wrote_saves_the_whole_encoding(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    services = make_services(db)
    ids = [services.add_client(f"Client {i}", email=f"c{i}@example.com").id for i in range(6)]
    services.log_flag(ids[2], "scope", 'said "},\\"journal\\":{" in a mail', severity=2)
    assert lock_mark(db).endswith(b" ours\n")
    for step in range(4):
        # A new process each time, as each CLI command is: its one save is its first.
        fresh = make_services(db)
        if step == 2:
            fresh.add_client("Late Client")
        else:
            fresh.edit_client(ids[step * 2 - 1 if step else 5], company=f"Firm {step}")
        assert db.read_bytes() == orjson.dumps(orjson.loads(db.read_bytes()))
    again = make_services(db)
    assert [c.name for c in again.clients()][-1] == "Late Client"
    again.undo()
    assert db.read_bytes() == orjson.dumps(orjson.loads(db.read_bytes()))


@pytest.mark.parametrize("edit", ["indented", "spaced", "keys reordered", "escaped"])
def test_a_file_laid_out_by_someone_else_is_encoded_afresh(tmp_path: Path, edit: str) -> None:
    db = tmp_path / "offboard.json"
    services = make_services(db)
    first = services.add_client("Ångström Consulting").id
    services.add_client("Bea Builders")
    data = orjson.loads(db.read_bytes())
    if edit == "indented":
        text = orjson.dumps(data, option=orjson.OPT_INDENT_2)
    elif edit == "spaced":
        text = orjson.dumps(data).replace(b'":', b'": ')
    elif edit == "keys reordered":
        text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    else:
        import json

        text = json.dumps(data).encode()  # \u00c5 for Å, spaces after separators
    db.write_bytes(text)
    # Read by a command that only looks (it marks the file valid, not as ours), then changed.
    make_services(db).clients()
    assert not lock_mark(db).endswith(b" ours\n")
    make_services(db).edit_client(first, company="Ångström Oy")
    assert db.read_bytes() == orjson.dumps(orjson.loads(db.read_bytes()))
    assert lock_mark(db).endswith(b" ours\n")


def test_the_board_keeps_no_copy_of_the_bytes_it_read(tmp_path: Path) -> None:
    """A command reads, saves once and ends: keeping the bytes read for that save costs
    nothing. The board stays open for hours, and its first save may come much later: it
    must not carry a second copy of the file (18 MB at 10,000 clients) until then."""
    from offboard.bootstrap import open_repository
    from offboard.config import Config

    db = tmp_path / "offboard.json"
    services = make_services(db)
    services.add_client("Ada Agency")
    assert lock_mark(db).endswith(b" ours\n")
    command = open_repository(db, Config())
    board = open_repository(db, Config(), long_lived=True)
    for repo in (command, board):
        repo.clients()
    assert command.storage._encoded._raw == db.read_bytes()  # type: ignore[attr-defined]
    assert board.storage._encoded._raw is None  # type: ignore[attr-defined]


def test_the_tui_opens_its_database_as_long_lived(tmp_path: Path) -> None:
    import datetime as dt

    from offboard.domain.clock import FixedClock
    from offboard.tui.app import OffboardApp

    db = tmp_path / "offboard.json"
    make_services(db).add_client("Ada Agency")
    app = OffboardApp(db, FixedClock(dt.date(2026, 11, 22)), watch=False)
    assert app.repo.storage.keep_read_bytes is False  # type: ignore[attr-defined]

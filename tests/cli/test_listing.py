"""`list` reads each client from its stored record without decoding the rest of it
(domain/listing.py). What it shows must be exactly what the fully decoded client shows, for
sound records and for every kind of damage, which makes it decode the record in full."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from offboard.cli.output import client_summary, listed_summary, print_list
from offboard.demo import build_demo_records, generate_records, write_records
from offboard.domain.codec import client_from_stored
from offboard.domain.listing import LISTED_FIELDS, Listed, ListReader, listed
from offboard.domain.models import Client
from offboard.domain.timers import next_deadline

TODAY = dt.date(2026, 11, 22)
# Days the deadlines count from: before, on and after most of the boards' dates.
DAYS = (dt.date(2025, 1, 1), TODAY, dt.date(2027, 6, 30))

DEMO = build_demo_records(TODAY)
GENERATED = generate_records(210, TODAY, seed=3)


def decoded(record: dict[str, Any]) -> Listed:
    return Listed.of(client_from_stored(record))


def summary_of(client: Client, today: dt.date) -> dict[str, Any]:
    """A client in `list --json`, worked out from the decoded client alone."""
    nxt = next_deadline(client)
    return {
        "id": client.id,
        "name": client.name,
        "stage": client.stage.value,
        "outcome": client.outcome.value if client.outcome else None,
        "archetype": client.archetype.value if client.archetype else None,
        "email": client.email,
        "flags": len(client.flags),
        "outstanding": str(client.outstanding()),
        "currency": client.currency,
        "next_deadline": nxt.to_dict(today) if nxt else None,
        "rev": client.rev,
    }


def assert_shown_alike(record: dict[str, Any]) -> bool:
    """The fast read, if it takes the record, shows what the full decode shows; returns
    whether it took it."""
    fast = listed(record["id"], record)
    if fast is None:
        return False
    client = client_from_stored(record)
    for day in DAYS:
        shown = listed_summary(fast, day)
        assert shown == summary_of(client, day) == client_summary(client, day)
        # The same bytes, too: an amount of 12.5 and 12.50 are equal Decimals.
        assert orjson.dumps(shown) == orjson.dumps(summary_of(client, day))
    return True


@pytest.mark.parametrize("records", [DEMO, GENERATED], ids=["demo", "generated"])
def test_the_fast_read_shows_what_the_decoded_client_shows(
    records: list[dict[str, Any]],
) -> None:
    taken = [assert_shown_alike(r) for r in records]
    # Sound records are read the fast way; only refunds and follow-ups send one to the
    # full decode.
    expected = [not (r.get("refunds") or r.get("follow_ups")) for r in records]
    assert taken == expected


@pytest.mark.parametrize("records", [DEMO, GENERATED], ids=["demo", "generated"])
def test_a_record_cut_to_the_listed_fields_is_listed_as_the_whole_record(
    records: list[dict[str, Any]],
) -> None:
    """The storage may read only LISTED_FIELDS of each record (storage/fields.py): every
    field the reader needs is among them."""
    for record in records:
        cut = {key: record[key] for key in LISTED_FIELDS if key in record}
        assert listed(record["id"], cut) == listed(record["id"], record)
        assert len(cut) < len(record)


def test_list_prints_the_same_table_both_ways(capsys: pytest.CaptureFixture[str]) -> None:
    fast = [listed(r["id"], r) or decoded(r) for r in DEMO + GENERATED]
    print_list(fast, TODAY)
    table = capsys.readouterr().out
    print_list([decoded(r) for r in DEMO + GENERATED], TODAY)
    assert capsys.readouterr().out == table
    assert table.count("\n") == len(DEMO) + len(GENERATED) + 1


# --- damage of every kind: the fast read declines it, or shows the same ---------------------

ODD_VALUES = [
    None, "", " ", " padded ", "x", "Notice", "NOTICE", "notice", "closed", "retained",
    "payment", "email", "repaired", 0, 1, 3, 4, -1, 2**60, 1.5, True, False, [], {}, [{}],
    "2026-02-30", "2026-11-22", "20261122", "2026-W47-7", "1899-12-31", "2026-11-22T10:00:00",
    "0.00", "12.50", "12.5", "-12.50", "1e3", "1,250.00", "abc@example.com", "not an email",
    "EUR", "eur", "EURO", "en", "en_GB", "a\x07b", "two\nlines", "line\u2028sep", "x" * 300,
    "00000000-0000-4000-8000-000000000000", "INV-1",
]  # fmt: skip


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a record a value sits, or a record or list could be replaced."""
    found: list[tuple[Any, ...]] = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths_of(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths_of(item, (*prefix, i))
    return found


def put(record: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = record
    for step in path[:-1]:
        target = target[step]
    if value is _DELETE:
        if isinstance(target, dict):
            target.pop(path[-1], None)
        else:
            del target[path[-1]]
    else:
        target[path[-1]] = value


_DELETE = object()
RECORDS = [r for r in DEMO + GENERATED[:40] if r["id"] != "id" and r["id"] not in ("rev",)]


@settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # fmt: skip
@given(st.data())
def test_a_damaged_record_is_declined_or_shown_as_the_decoder_shows_it(data: Any) -> None:
    record = copy.deepcopy(data.draw(st.sampled_from(RECORDS)))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths_of(record) or [("name",)]))
        if path == ("id",):
            continue  # a record filed under another id is refused before any list
        value = data.draw(st.sampled_from([*ODD_VALUES, _DELETE]))
        put(record, path, copy.deepcopy(value))
    try:
        client_from_stored(record)
    except Exception:
        return
    assert_shown_alike(record)


def damaged(data: Any) -> dict[str, Any]:
    record = copy.deepcopy(data.draw(st.sampled_from(RECORDS)))
    for _ in range(data.draw(st.integers(0, 2))):
        path = data.draw(st.sampled_from(paths_of(record) or [("name",)]))
        if path != ("id",):
            put(record, path, copy.deepcopy(data.draw(st.sampled_from([*ODD_VALUES, _DELETE]))))
    return record


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_one_reader_for_many_records_reads_each_as_a_reader_of_its_own(data: Any) -> None:
    # A reader checks a repeated value once: a value it took (or refused) for one record
    # must not change what it makes of the next, however odd (1 and True, "1" and 1).
    records = [damaged(data) for _ in range(data.draw(st.integers(2, 6)))]
    shared = ListReader()
    for record in records:
        assert shared(record["id"], record) == listed(record["id"], record)


def test_list_json_through_the_cli_is_the_decoded_clients_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from offboard.cli import main

    db = tmp_path / "offboard.json"
    write_records(db, DEMO + GENERATED)
    monkeypatch.setenv("OFFBOARD_TODAY", TODAY.isoformat())
    monkeypatch.setenv("OFFBOARD_CONFIG", str(tmp_path / "no-config.toml"))
    assert main(["--db", str(db), "list", "--json"]) == 0
    shown = orjson.loads(capsys.readouterr().out)
    stored = orjson.loads(db.read_bytes())["clients"].values()
    clients = sorted(
        (client_from_stored(r) for r in stored), key=lambda c: (c.stage.order, c.name.casefold())
    )
    assert shown == orjson.loads(orjson.dumps([client_summary(c, TODAY) for c in clients]))
    for flags in (["--active"], ["--stage", "notice"]):
        assert main(["--db", str(db), "list", "--json", *flags]) == 0
        some = orjson.loads(capsys.readouterr().out)
        assert 0 < len(some) < len(shown)
        assert all(entry in shown for entry in some)


@pytest.mark.parametrize("rev", [2**63, -(2**63) - 1, 2**70])
def test_a_revision_no_64_bit_integer_holds_is_declined(rev: int) -> None:
    """No sound file holds one (the JSON parser refuses the file; PostgreSQL's column is a
    bigint), and one shown as is could not even be printed as JSON: decoded in full, the
    record's file is reported."""
    record = copy.deepcopy(DEMO[0])
    record["rev"] = rev
    assert listed(record["id"], record) is None

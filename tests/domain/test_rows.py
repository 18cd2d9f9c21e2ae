"""A client's row: read from the stored record without decoding it, the same as from the
decoded client, and the filter agreeing on both."""

from __future__ import annotations

import datetime as dt

import pytest

from offboard.domain.codec import client_from_stored
from offboard.domain.models import Archetype, Category, Client, RedFlag, Stage
from offboard.domain.rows import ClientRow, matches

DAY = dt.date(2026, 11, 2)
CID = "6f1c2b4e-1d2a-4c3b-9e8f-0a1b2c3d4e5f"


def client() -> Client:
    c = Client(id=CID, name="Ada Lovelace", company="Analytical Engines Ltd", rev=3)
    c.archetype = Archetype.SCOPE_CREEPER
    c.flags.append(RedFlag(on=DAY, category=Category.MONEY, severity=2, description="late"))
    return c


class Source:
    """A snapshot's decoder that counts the decodes a row asks for."""

    decoded = 0

    def __call__(self, client_id: str, record: dict) -> Client:
        self.decoded += 1
        return client_from_stored(RECORD)


RECORD = client().to_dict()


def test_a_row_reads_the_record_and_decodes_only_when_asked() -> None:
    source = Source()
    row = ClientRow.of_record(CID, RECORD, source)
    assert (row.name, row.stage, row.rev, row.key) == (
        "Ada Lovelace", Stage.ASSESSMENT, 3, ("ada lovelace", CID)
    )  # fmt: skip
    assert source.decoded == 0
    assert row.client.company == "Analytical Engines Ltd" and row.client is row.client
    assert source.decoded == 1


@pytest.mark.parametrize(
    "needle", ["ada", "engines", "scope", "money", "lovelace", "nobody", "late", "6f1c"]
)
def test_the_filter_agrees_on_the_record_and_the_decoded_client(needle: str) -> None:
    row = ClientRow.of_record(CID, RECORD, Source())
    assert row.matches(needle) == matches(client(), needle)
    assert ClientRow.of_client(client()).matches(needle) == matches(client(), needle)


@pytest.mark.parametrize(
    "change",
    [{"stage": "limbo"}, {"name": 7}, {"company": ["x"]}, {"rev": "3"}],
    ids=["unknown stage", "name not text", "company not text", "rev not a number"],
)
def test_a_record_not_shaped_as_offboard_writes_it_is_decoded_at_once(change: dict) -> None:
    source = Source()
    row = ClientRow.of_record(CID, {**RECORD, **change}, source)
    assert source.decoded == 1  # the tolerant decoder repairs and marks it
    assert row.client.name == "Ada Lovelace"


def test_a_closed_row_knows_when_it_closed() -> None:
    c = client()
    c.stage = Stage.CLOSED
    record = c.to_dict()
    record["history"] = [{"at": "2026-11-01T10:00:00+00:00", "summary": "closed"}]
    assert ClientRow.of_record(CID, record, Source()).closed_at == "2026-11-01T10:00:00+00:00"

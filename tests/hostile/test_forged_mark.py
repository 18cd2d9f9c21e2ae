"""A database file whose validity mark was forged for bytes no check passed (both files edited
by hand, or a bug): `list` reads only the fields it shows from such a version, with msgspec
(storage/fields.py). Whatever those bytes hold, a list shows sound values or refuses the file
in one line; it never fails as a bug, and it leaves both files as they were."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from offboard.storage.loading import signature_of, valid_mark
from offboard.storage.locking import lock_path_of

from .conftest import Runner

MARKER = b'"__HOSTILE__"'

VALUES = [
    b'"\xff"',  # not UTF-8
    b'"\xed\xa0\x80"',  # a surrogate encoded as UTF-8
    b'"\\ud800"',  # a lone surrogate, escaped
    b'"a\\u0000b"',  # a NUL
    b"1e999",  # no float holds it
    b"123456789012345678901234567890",  # no 64-bit integer holds it
    b"-0.0",
    b"true",
    b"null",
    b"[1, [2]]",
    b'{"a": {}}',
    b'"' + b"x" * 100_000 + b'"',
]

FIELDS = ["name", "email", "locale", "currency", "stage", "rev", "outcome", "archetype"]
# Inside the records a list reads through: a flag, an invoice and its payment.
DEEP = ["flag.on", "flag.category", "invoice.amount", "invoice.due", "payment.amount"]


def forged(run: Runner, field: str, value: bytes) -> None:
    run.ok("add", "Ada Lovelace", "--email", "ada@example.com")
    run.ok("flag", "Ada", "payment", "late again", "--severity", "3")
    run.ok("invoice", "Ada", "A-1", "100", "--due", "2026-12-01")
    run.ok("pay", "Ada", "A-1", "40")
    data = orjson.loads(run.db.read_bytes())
    (record,) = data["clients"].values()
    where, _, key = field.rpartition(".")
    holder = {
        "": record,
        "flag": record["flags"][0],
        "invoice": record["invoices"][0],
        "payment": record["invoices"][0]["payments"][0],
    }[where]
    holder[key] = "__HOSTILE__"
    run.db.write_bytes(orjson.dumps(data).replace(MARKER, value))
    lock_path_of(run.db).write_bytes(valid_mark(signature_of(os.stat(run.db))))


@pytest.mark.parametrize("value", VALUES, ids=lambda v: repr(v[:24]))
@pytest.mark.parametrize("field", FIELDS + DEEP)
def test_a_list_of_a_forged_version_shows_sound_values_or_refuses(
    run: Runner, db: Path, field: str, value: bytes
) -> None:
    forged(run, field, value)
    before = run.state()
    for args in (("list", "--json"), ("list",)):
        code, out, err = run(*args)
        assert code in (0, 1), (code, err)
        assert run.state() == before
        if code == 1:
            assert err.startswith("offboard: ") and err.count("\n") == 1, err
            assert str(db) in err
        elif args == ("list", "--json"):
            (shown,) = orjson.loads(out)
            assert shown["name"] == "Ada Lovelace" or field == "name"

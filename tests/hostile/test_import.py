"""Hostile imports: every record goes through the services' rules, all or nothing, and every
bad field is named with its record and path in one line; the file is bounded before parsing.

The corpus is generated: a sound export of one fully filled client, then one bad value at a
time in every field (wrong types, broken rules, sizes, encodings), plus broken documents and
files that are not files. Each case must be refused with exit 1 and leave the database as it
was; a few are checked for the exact path in the message."""

from __future__ import annotations

import copy
import os
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest

from offboard.checklists import load_checklists
from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository

from .conftest import TODAY

D = "2026-11-01"


def full_export(tmp: Path) -> dict[str, Any]:
    """A sound export of one client with every kind of record filled in."""
    import datetime as dt

    path = tmp / "source.json"
    s = Services(
        TinyRepository(path),
        FixedClock(dt.date.fromisoformat(TODAY)),
        checklists=load_checklists(user_dir=tmp / "no-user-checklists"),
    )
    cid = s.add_client(
        "Northwind", email="ops@northwind.example", company="Northwind Ltd", archetype="non-payer"
    ).id
    s.edit_client(cid, payment_terms_days="14", hourly_rate="95", termination_clause="30 days")
    s.log_flag(cid, "payment", "Paid late", evidence="INV-1")
    s.assess(cid, revenue="1000", hours="20", financial="below target")
    s.add_repair(cid, "deposit first", "2026-12-01")
    s.decide(cid, "offboard", "late payments")
    s.record_conversation(cid, D, "phone", "30 days")
    s.add_deliverable(cid, "Logo files", "2026-12-05")
    s.add_handover_item(cid, "credential", "Hosting admin login")
    s.add_invoice(cid, "F-1", "500.00", issued=D)
    s.record_payment(cid, "F-1", "100.00", on=D)
    s.record_letter(cid, "manual", "Ending our work", "Dear client, ...", "email")
    s.set_checklist_item(cid, "preparation", "termination-clause", "done")
    s.add_lesson(cid, "payment-terms", "Ask for a deposit")
    data = s.export_data()
    s.repo.close()  # type: ignore[attr-defined]
    return data


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return full_export(tmp_path_factory.mktemp("sound"))


def put(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target = out["clients"][0]
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


_DELETE = object()
OBJ, LIST, NUM, BOOL = {"a": 1}, [1, 2], 12345, True
LONG = "x" * 300_000
CTRL = "a\x00b"
NEWLINE = "a\nBcc: x@evil.example"
ESC = "a\x1b[2Jb"

# (path inside clients[0], bad value, words the message must hold or None)
FIELD_CASES: list[tuple[tuple[Any, ...], Any, str | None]] = []


def field(path: tuple[Any, ...], *values: Any, words: str | None = None) -> None:
    for value in values:
        FIELD_CASES.append((path, value, words))


# texts: wrong types, control characters, line breaks (where one line), too long
for p in [("name",), ("company",)]:
    field(p, OBJ, LIST, NUM, BOOL, CTRL, NEWLINE, ESC, LONG, words=p[0])
field(("name",), "", "   ", None, _DELETE, words="name")
field(("email",), OBJ, NUM, BOOL, "ana@example", "a@@b.example", "no-at-sign", "a b@c.example",
      "x" * 300 + "@example.com", "=?utf-8?q?=0A?=@x.example", "ana@exa mple.com", NEWLINE,
      "é@example.com", "ana@-bad-.example", "ana@example.123", words="email")  # fmt: skip
field(("currency",), "ÄÖÜ", "EURO", "E1", NUM, OBJ, "", words="currency")
field(("locale",), NUM, "../../etc", "xx_YY_ZZ", "", "e", OBJ, words="locale")
field(("archetype",), "vampire", NUM, OBJ, words="archetype")
field(("stage",), "archived", NUM, OBJ, None, words="stage")
field(("outcome",), "ghosted", NUM, words="outcome")
field(("created",), "yesterday", NUM, "0001-01-01", "9999-12-31", "2026-02-30", "20261122",
      "2026-W47-1", OBJ, words="created")  # fmt: skip
field(("lessons",), OBJ, NUM, CTRL, LONG, [5], words="lessons")
field(("lessons", 0, "category"), "wisdom", "", NUM, OBJ, BOOL, None, _DELETE, words="lessons[0]")
field(("lessons", 0, "text"), OBJ, LIST, NUM, BOOL, CTRL, ESC, LONG, "", "   ", None, _DELETE,
      words="lessons[0]")  # fmt: skip
field(("lessons", 0, "on"), "yesterday", NUM, OBJ, "2026-13-01", "0001-01-01", words="lessons[0]")
field(("lessons", 0, "id"), "not-a-uuid", NUM, _DELETE, words="lessons[0]")
field(("contract", "payment_terms_days"), -1, 10**12, "14", 1.5, BOOL, 366, OBJ,
      words="payment_terms_days")  # fmt: skip
field(("contract", "hourly_rate"), "-5", "abc", 5.5, "1e30", "1" * 40, OBJ, "0.001",
      words="hourly_rate")  # fmt: skip
field(("contract", "notice_period"), "forever", NUM, "9" * 5000 + " days", "99999 days",
      "until 9999-13-01", "until 0001-01-01x", words="notice_period")  # fmt: skip
field(("contract", "contract_end"), "tomorrow", NUM, "2026-13-01", words="contract_end")
field(("contract", "termination_clause"), OBJ, CTRL, words="termination_clause")
field(("contract",), "30 days", LIST, NUM, words="contract")
field(("flags", 0, "category"), "rudeness", NUM, None, words="flags[0]")
field(("flags", 0, "severity"), 0, 4, "3", 9, 1.5, BOOL, -1, 2**63 - 1, words="flags[0]")
field(("flags", 0, "on"), "yesterday", NUM, None, _DELETE, "1899-12-31", words="flags[0]")
field(("flags", 0, "description"), OBJ, NUM, CTRL, LONG, words="flags[0]")
field(("flags", 0, "evidence"), OBJ, NEWLINE, words="flags[0]")
field(("flags", 0, "id"), "not-a-uuid", NUM, _DELETE, words="flags[0]")
field(("flags",), OBJ, "x", [5], [None], words="flags")
field(("repairs", 0, "review"), D, "2026-01-01", "soon", words="repairs[0]")
field(("repairs", 0, "strategy"), "", OBJ, NEWLINE, words="repairs[0]")
field(("repairs", 0, "outcome"), "meh", NUM, words="repairs[0]")
field(("conversation", "channel"), "text-message", "social-media", "pigeon", NUM,
      words="conversation")  # fmt: skip
field(("conversation", "on"), "today", NUM, words="conversation")
field(("conversation", "period"), "forever", words="conversation")
field(("conversation",), "yes", NUM, words="conversation")
field(("letters", 0, "channel"), "social-media", "text-message", words="letters[0]")
field(("letters", 0, "body"), OBJ, "x" * 300_000, CTRL, words="letters[0]")
field(("letters", 0, "subject"), NEWLINE, OBJ, words="letters[0]")
field(("letters", 0, "sent_on"), "never", words="letters[0]")
field(("invoices", 0, "amount"), "-1", "1e30", "0", "0.001", 5.5, "NaN", "Infinity", OBJ,
      "1,50", words="invoices[0]")  # fmt: skip
field(("invoices", 0, "payments"), [{"amount": "9999.00", "on": D}], OBJ,
      [{"amount": "-1", "on": D}], [{"amount": "10.00", "on": "x"}],
      words="invoices[0]")  # fmt: skip
field(("invoices", 0, "due"), "2026-01-01", "x", words="invoices[0]")
field(("invoices", 0, "number"), "", OBJ, NEWLINE, "x" * 100, words="invoices[0]")
field(("invoices", 0, "written_off"), "yes", NUM, words="invoices[0]")
field(("invoices", 0, "final"), "no", words="invoices[0]")
field(("handover", 0, "label"), "password: Hunter2!xyz", "token=abc123", "admin Hunter2!xyz",
      "", OBJ, words="handover[0]")  # fmt: skip
field(("handover", 0, "kind"), "secret", words="handover[0]")
field(("handover", 0, "status"), "lost", words="handover[0]")
field(("deliverables", 0, "done"), "yes", NUM, words="deliverables[0]")
field(("deliverables", 0, "title"), "", OBJ, words="deliverables[0]")
field(("deliverables", 0, "due"), "later", words="deliverables[0]")
field(("history", 0, "at"), "noon", NUM, None, words="history[0]")
field(("history", 0, "action"), OBJ, "", words="history[0]")
DEEP: Any = 1
for _ in range(40):
    DEEP = [DEEP]
field(("history", 0, "old"), DEEP, words="history[0]")
field(("checklist",), {"bogus": {}}, {"preparation": {"x": "maybe"}}, "x", words="checklist")
field(("assessment", "revenue"), "-1", OBJ, 5.5, words="assessment")
field(("assessment", "recommendation"), "nah", words="assessment")
field(("decision", "reason"), "", NEWLINE, OBJ, words="decision")
field(("decision", "decision"), "maybe", words="decision")


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "import.json"
    path.write_bytes(orjson.dumps(data) if not isinstance(data, bytes) else data)
    return path


def test_the_sound_export_imports(run, tmp_path: Path, sound) -> None:
    run.ok("add", "Existing")
    run.ok("import", str(write(tmp_path, sound)))
    assert "Northwind" in run.ok("list")


@pytest.mark.parametrize(
    ("path", "value", "words"),
    FIELD_CASES,
    ids=[f"{'.'.join(map(str, p))}={str(v)[:20]!r}" for p, v, _ in FIELD_CASES],
)
def test_a_bad_field_refuses_the_whole_import(run, tmp_path, sound, path, value, words) -> None:
    run.ok("add", "Existing")
    err = run.refused("import", str(write(tmp_path, put(sound, path, value))))
    assert "clients[0]" in err
    if words:
        assert words in err


def test_every_bad_field_is_named_in_one_message(run, tmp_path, sound) -> None:
    data = put(sound, ("email",), "ana@example")
    data = put(data, ("contract", "payment_terms_days"), -1)
    second = copy.deepcopy(data["clients"][0])
    second["id"] = "11111111-1111-4111-8111-111111111111"
    second["name"] = "Second"
    second["conversation"]["channel"] = "text-message"
    data["clients"].append(second)
    err = run.refused("import", str(write(tmp_path, data)))
    for part in (
        "clients[0] (Northwind).email",
        "clients[0] (Northwind).contract.payment_terms_days",
        "clients[1] (Second).email",
        "clients[1] (Second).conversation.channel",
    ):
        assert part in err, err


DOCUMENTS = {
    "not-json": b"{not json",
    "empty": b"",
    "array": b"[]",
    "string": b'"offboard"',
    "wrong-format": orjson.dumps({"format": "other", "version": 1, "clients": []}),
    "wrong-version": orjson.dumps({"format": "offboard-export", "version": 2, "clients": []}),
    "clients-not-list": orjson.dumps({"format": "offboard-export", "version": 1, "clients": {}}),
    "client-not-object": orjson.dumps({"format": "offboard-export", "version": 1, "clients": [5]}),
    "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
    "deep-object": b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    "huge-integer": b'{"format": "offboard-export", "version": 1, "clients": [], "x": '
    + b"9" * 5000
    + b"}",
    "huge-float": b'{"format": "offboard-export", "version": 1e400, "clients": []}',
    "nan": b'{"format": "offboard-export", "version": NaN, "clients": []}',
    "not-utf8": b'{"format": "offboard-export\xff\xfe", "version": 1, "clients": []}',
    "bom": b'\xef\xbb\xbf{"format": "offboard-export", "version": 1, "clients": [5]}',
    "nul": b'{"format": "offboard-export\x00", "version": 1, "clients": []}',
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_broken_documents_are_refused_in_one_line(run, tmp_path, name) -> None:
    run.ok("add", "Existing")
    run.refused("import", str(write(tmp_path, DOCUMENTS[name])))


def test_the_same_id_twice_is_refused(run, tmp_path, sound) -> None:
    data = copy.deepcopy(sound)
    data["clients"].append(copy.deepcopy(data["clients"][0]))
    err = run.refused("import", str(write(tmp_path, data)))
    assert "the same client id twice" in err


def test_files_that_are_not_files(run, tmp_path: Path) -> None:
    run.ok("add", "Existing")
    run.refused("import", "/dev/zero")
    run.refused("import", "/dev/null")
    run.refused("import", str(tmp_path))
    run.refused("import", str(tmp_path / "missing.json"))
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    # A writer that never writes: a reader that opened it blocking would hang forever.
    stop = threading.Event()
    opener = threading.Thread(target=lambda: stop.wait(5), daemon=True)
    opener.start()
    err = run.refused("import", str(fifo))
    stop.set()
    assert "not a regular file" in err
    sparse = tmp_path / "sparse.json"
    with open(sparse, "wb") as f:
        f.truncate(2 << 30)  # 2 GiB of nothing: refused by its size, never read
    assert "larger than" in run.refused("import", str(sparse))
    link = tmp_path / "link.json"
    link.symlink_to("/dev/zero")
    run.refused("import", str(link))

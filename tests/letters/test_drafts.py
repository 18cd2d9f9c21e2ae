"""Letter drafts on disk: round trip, private, atomic, and safe with damaged files."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from offboard.domain.errors import InvalidInput
from offboard.letters.drafts import Draft, DraftStore

NOW = dt.datetime(2026, 11, 22, 14, 30, 5, 123456)


def make_draft(client_id: str = "c-1") -> Draft:
    return Draft(
        client_id=client_id,
        template="termination",
        locale="tr",
        subject="İş birliğimizin sona ermesi {{ client.name }}",
        body="Sayın {{ client.name }},\n\n“quotes” and \u00a0spaces\n",
        source=None,
        mode="draft",
    )


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "offboard.json")


def test_round_trip(store: DraftStore, tmp_path: Path) -> None:
    draft = make_draft()
    path = store.save(draft, NOW)
    assert path == tmp_path / "offboard.json.drafts" / "c-1.json"
    assert draft.saved == "2026-11-22T14:30:05"
    loaded = store.load("c-1")
    assert loaded == draft
    # a source-mode draft keeps the whole file
    other = make_draft("c-2")
    other.mode, other.source = "source", "+++\nsubject = 'x'\n+++\nbody\n"
    store.save(other, NOW)
    assert store.load("c-2") == other
    assert store.load("c-1") == draft
    # readable JSON, UTF-8 as written
    raw = path.read_text(encoding="utf-8")
    assert "İş birliğimizin" in raw and json.loads(raw)["client_id"] == "c-1"


def test_missing_draft_is_none(store: DraftStore) -> None:
    assert store.load("nobody") is None


def test_save_overwrites_and_discard(store: DraftStore) -> None:
    draft = make_draft()
    store.save(draft, NOW)
    draft.body = "second version\n"
    store.save(draft, NOW + dt.timedelta(minutes=1))
    loaded = store.load("c-1")
    assert loaded is not None and loaded.body == "second version\n"
    assert loaded.saved == "2026-11-22T14:31:05"
    store.discard("c-1")
    assert store.load("c-1") is None
    store.discard("c-1")  # discarding twice is fine


def test_file_and_folder_are_private(store: DraftStore) -> None:
    path = store.save(make_draft(), NOW)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700


def test_no_temp_file_left(store: DraftStore) -> None:
    for n in range(5):
        store.save(make_draft(f"c-{n}"), NOW)
    assert sorted(os.listdir(store.folder)) == [f"c-{n}.json" for n in range(5)]


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        b"[]",
        b'{"client_id": "c-1"}',
        b'{"client_id": "c-1", "template": "t", "locale": "en", "subject": "", "body": 3}',
        b'{"client_id": "c-1", "template": "t", "locale": "en", "subject": "", "body": "",'
        b' "mode": "telepathy"}',
        b"\xff\xfe\x00",
    ],
    ids=["syntax", "empty", "list", "fields", "body-type", "mode", "binary"],
)
def test_damaged_file_is_set_aside(store: DraftStore, content: bytes) -> None:
    store.folder.mkdir(parents=True)
    path = store.folder / "c-1.json"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as caught:
        store.load("c-1")
    aside = store.folder / "c-1.json.damaged"
    assert not path.exists()
    assert aside.read_bytes() == content  # kept, never deleted
    assert str(aside) in caught.value.one_line()
    assert store.load("c-1") is None  # the letter starts again from the template
    # saving again works and leaves the damaged copy alone
    store.save(make_draft(), NOW)
    assert store.load("c-1") is not None and aside.read_bytes() == content


@pytest.mark.parametrize("bad", ["", "../escape", "a/b", ".hidden"])
def test_bad_client_ids(store: DraftStore, bad: str) -> None:
    with pytest.raises(InvalidInput):
        store.path(bad)
    with pytest.raises(InvalidInput):
        store.save(make_draft(bad), NOW)


@pytest.fixture
def locked_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to (root too: the immutable attribute)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield folder
        finally:
            folder.chmod(0o700)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root and chattr is not installed: no way to lock a folder")
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i not permitted here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)


def test_unwritable_folder(locked_folder: Path) -> None:
    store = DraftStore(locked_folder / "offboard.json")
    with pytest.raises(InvalidInput) as caught:
        store.save(make_draft(), NOW)
    text = caught.value.one_line()
    assert "the draft could not be saved" in text
    assert "Permission denied" in text or "Operation not permitted" in text
    assert os.listdir(locked_folder) == []


def test_unwritable_drafts_folder_leaves_old_draft(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "offboard.json")
    store.save(make_draft(), NOW)
    before = (store.folder / "c-1.json").read_bytes()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is not installed")
        done = subprocess.run(["chattr", "+i", str(store.folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i not permitted here: {done.stderr.strip()}")
        unlock = ["chattr", "-i", str(store.folder)]
    else:
        store.folder.chmod(0o500)
        unlock = []
    try:
        changed = make_draft()
        changed.body = "new text"
        with pytest.raises(InvalidInput):
            store.save(changed, NOW)
        assert sorted(os.listdir(store.folder)) == ["c-1.json"]
        assert (store.folder / "c-1.json").read_bytes() == before
    finally:
        if unlock:
            subprocess.run(unlock, capture_output=True)
        else:
            store.folder.chmod(0o700)

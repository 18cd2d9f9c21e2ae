"""Files planted by another user in a folder they can write to (a shared or a sticky folder)
are never followed, trusted or written through: the lock file, temp files, the backups and
drafts folders, exports and the database path itself.

The planting is done by a real other user: a child process that drops to `nobody` when the
tests run as root (as CI does). Only a developer machine without root skips these, saying so;
with CI=true they must run.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from offboard.letters.drafts import Draft, DraftStore
from offboard.storage.backups import list_backups

from .conftest import Runner


def _other_user() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    try:
        pw = pwd.getpwnam("nobody")
    except KeyError:
        return None
    return pw.pw_uid, pw.pw_gid


OTHER = _other_user()
if OTHER is None:
    if os.environ.get("CI") == "true":
        pytest.fail("planted-file tests need root and a 'nobody' user in CI", pytrace=False)
    pytestmark = pytest.mark.skip(reason="needs root (to act as the user 'nobody')")


def as_other(action: Callable[[], None]) -> None:
    """Run `action` in a child process as the other user; fail the test if it fails."""
    assert OTHER is not None
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            os.setgroups([])
            os.setgid(OTHER[1])
            os.setuid(OTHER[0])
            action()
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "planting as the other user failed"


@pytest.fixture(params=["sticky", "open"])
def shared(request) -> Iterator[Path]:
    """A folder everyone can write to: sticky like /tmp, or plainly world-writable."""
    folder = Path(tempfile.mkdtemp(prefix="offboard-shared-", dir="/tmp"))
    folder.chmod(0o1777 if request.param == "sticky" else 0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file of the user's that a planted link points at: it must never change."""
    path = tmp_path / "victim.txt"
    path.write_text("keep me\n")
    return path


@pytest.fixture
def at(run: Runner, shared: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = shared / "offboard.json"
    monkeypatch.setenv("OFFBOARD_DB", str(db))
    run.db = db
    return db


def unchanged(victim: Path) -> None:
    assert victim.read_text() == "keep me\n"
    assert victim.stat().st_uid == os.geteuid()


def test_a_planted_lock_link_is_not_followed(run: Runner, at: Path, victim: Path) -> None:
    lock = at.with_name(at.name + ".lock")
    as_other(lambda: lock.symlink_to(victim))
    err = run.refused("add", "Ana")
    assert "lock" in err
    unchanged(victim)
    assert not at.exists()


def test_a_planted_lock_file_of_another_user_is_refused(run: Runner, at: Path) -> None:
    lock = at.with_name(at.name + ".lock")
    as_other(lambda: (lock.write_text(""), lock.chmod(0o666)))
    err = run.refused("add", "Ana")
    assert "another user" in err
    assert lock.stat().st_size == 0  # nothing of ours was written into it


def test_the_validity_mark_is_not_read_through_a_planted_link(run: Runner, at: Path) -> None:
    run.ok("add", "Ana")
    lock = at.with_name(at.name + ".lock")
    lock.unlink()
    forged = at.with_name("forged")
    as_other(lambda: (forged.write_text("valid v1 1 2 3\n"), lock.symlink_to(forged)))
    assert "Ana" in run.ok("list")  # a read works and trusts nothing of theirs
    run.refused("add", "Bo")


def test_a_planted_backups_folder_is_never_used(run: Runner, at: Path) -> None:
    run.ok("add", "Ana")
    backups = at.with_name(at.name + ".backups")
    shutil.rmtree(backups, ignore_errors=True)
    forged_data = b'{"_meta": {"1": {"schema_version": 1}}, "clients": {}, "journal": {}}'

    def plant() -> None:
        backups.mkdir(mode=0o777)
        (backups / "0000000099.json").write_bytes(forged_data)

    as_other(plant)
    before = at.read_bytes()
    assert "another user" in run.refused("restore", "--list")
    assert "another user" in run.refused("restore")
    assert "another user" in run.refused("add", "Bo")  # a save would link our file in there
    assert at.read_bytes() == before
    with pytest.raises(Exception, match="another user"):
        list_backups(at)


def test_a_backups_folder_that_is_a_link_is_refused(run: Runner, at: Path, shared: Path) -> None:
    run.ok("add", "Ana")
    backups = at.with_name(at.name + ".backups")
    shutil.rmtree(backups, ignore_errors=True)
    theirs = shared / "theirs"
    as_other(lambda: (theirs.mkdir(mode=0o777), backups.symlink_to(theirs)))
    run.refused("add", "Bo")
    run.refused("restore")
    assert list(theirs.iterdir()) == []


def test_a_backup_others_can_change_is_not_offered(run: Runner, at: Path) -> None:
    run.ok("add", "Ana")
    run.ok("add", "Bo")
    run.ok("add", "Cy")
    backups = list_backups(at)
    assert backups
    newest = backups[0]
    newest.chmod(0o666)  # someone could have rewritten it
    assert newest not in list_backups(at)


def test_export_never_writes_through_a_planted_temp_name(
    run: Runner, at: Path, shared: Path, victim: Path
) -> None:
    run.ok("add", "Ana", "--email", "ana@example.com")
    target = shared / "export.json"
    link = shared / ".export.json.tmp"
    plain = shared / ".export2.json.tmp"
    as_other(lambda: (link.symlink_to(victim), plain.write_text("x"), plain.chmod(0o666)))
    run.ok("export", str(target))
    run.ok("export", str(shared / "export2.json"))
    unchanged(victim)
    for out in (target, shared / "export2.json"):
        st = out.stat()
        assert st.st_uid == os.geteuid()
        assert stat.S_IMODE(st.st_mode) == 0o600
        assert "Ana" in out.read_text()


def test_export_over_a_planted_link_replaces_the_link(
    run: Runner, at: Path, shared: Path, victim: Path
) -> None:
    run.ok("add", "Ana")
    target = shared / "out.json"
    as_other(lambda: target.symlink_to(victim))
    assert "already exists" in run.refused("export", str(target))
    run.ok("export", str(target), "--overwrite")
    # The link itself was replaced by a file of ours; what it pointed at is untouched.
    assert not target.is_symlink() and "Ana" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    unchanged(victim)


def test_letter_export_over_a_planted_link(
    run: Runner, at: Path, shared: Path, victim: Path
) -> None:
    run.ok("add", "Ana", "--email", "ana@example.com")
    target = shared / "letter.txt"
    as_other(lambda: target.symlink_to(victim))
    run.refused("letter", "ana", "thank-you", "--out", str(target))
    unchanged(victim)


def test_temp_files_of_another_user_are_not_deleted(run: Runner, at: Path) -> None:
    lookalike = at.with_name(f".{at.name}.abcd1234.tmp")
    as_other(lambda: lookalike.write_text("theirs"))
    run.ok("add", "Ana")
    assert lookalike.read_text() == "theirs"


def test_a_planted_drafts_folder_is_refused(at: Path, run: Runner) -> None:
    run.ok("add", "Ana")
    drafts = at.with_name(at.name + ".drafts")
    client_id = "0b6f3c1e-5d2a-4c8e-9f1a-2b3c4d5e6f70"

    def plant() -> None:
        drafts.mkdir(mode=0o777)
        (drafts / f"{client_id}.json").write_text(
            '{"client_id": "x", "template": "t", "locale": "en", "subject": "s", "body": "b"}'
        )

    as_other(plant)
    store = DraftStore(at)
    with pytest.raises(Exception, match="another user"):
        store.load(client_id)
    draft = Draft(client_id, "termination", "en", "subject", "body")
    with pytest.raises(Exception, match="another user"):
        store.save(draft, dt.datetime(2026, 11, 22, 9, 0))
    assert {p.name for p in drafts.iterdir()} == {f"{client_id}.json"}


def test_a_draft_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    db = tmp_path / "offboard.json"
    store = DraftStore(db)
    client_id = "0b6f3c1e-5d2a-4c8e-9f1a-2b3c4d5e6f70"
    store.save(Draft(client_id, "termination", "en", "s", "b"), dt.datetime(2026, 11, 22))
    path = store.path(client_id)
    path.unlink()
    path.symlink_to("/dev/zero")
    with pytest.raises(Exception, match="symbolic link"):
        store.load(client_id)


def test_a_symlinked_database_is_followed(run: Runner, tmp_path: Path) -> None:
    real = tmp_path / "synced" / "offboard.json"
    real.parent.mkdir()
    run.ok("--db", str(real), "add", "Ana")
    link = tmp_path / "offboard.json"
    link.symlink_to(real)
    run.ok("--db", str(link), "add", "Bo")
    assert link.is_symlink() and real.is_file()
    assert "Bo" in real.read_text() and "Ana" in real.read_text()
    # the lock and backups sit beside the real file, whichever name was used
    assert real.with_name("offboard.json.lock").exists()
    assert real.with_name("offboard.json.backups").is_dir()
    assert not link.with_name("offboard.json.backups").exists()


def test_a_dangling_database_link_is_an_error(run: Runner, tmp_path: Path) -> None:
    link = tmp_path / "offboard.json"
    link.symlink_to(tmp_path / "gone" / "offboard.json")
    run.db = link
    err = run.refused("--db", str(link), "add", "Ana")
    assert "does not exist" in err
    assert not (tmp_path / "gone").exists()
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    run.refused("--db", str(loop), "list")

"""The CLI in-process on a real database file, with the tester's own config kept out."""

from __future__ import annotations

from pathlib import Path

import pytest

from offboard.cli import main

TODAY = "2026-11-22"  # a Sunday


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "offboard.json"
    monkeypatch.setenv("OFFBOARD_DB", str(path))
    monkeypatch.setenv("OFFBOARD_TODAY", TODAY)
    monkeypatch.setenv("OFFBOARD_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return path


class Runner:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out

    def refused(self, *args: str) -> str:
        """A command that must be refused: exit 1, exactly one line on stderr, and the
        database exactly as it was (bytes and mtime)."""
        before = self.state()
        code, out, err = self(*args)
        assert code == 1, (code, out, err)
        assert err.startswith("offboard: ") and err.count("\n") == 1, err
        assert "unexpected error" not in err, err
        assert self.state() == before
        return err

    def state(self) -> tuple[bytes, int] | None:
        if not self.db.exists():
            return None
        return self.db.read_bytes(), self.db.stat().st_mtime_ns


@pytest.fixture
def cli(db: Path, capsys: pytest.CaptureFixture[str]) -> Runner:
    return Runner(db, capsys)

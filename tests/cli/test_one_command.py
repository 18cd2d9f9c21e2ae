"""A command line that names its command builds that command's parser alone, and reads
exactly as the full parser reads it; the collector is paused only while the command runs."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from offboard.cli.main import build_parser, main, named_command
from offboard.cli.registry import COMMANDS

LINES = [
    ["list", "--json"],
    ["--db", "x.json", "list", "--active"],
    ["--today", "2026-11-22", "--db", "list", "show", "Ana"],  # a database called "list"
    ["--db=x.json", "move", "Ana", "notice", "--force"],
    ["add", "list", "--email", "a@example.com"],  # a client called "list"
    ["flag", "Ana", "payment", "late again", "--severity", "3"],
]


@pytest.mark.parametrize("argv", LINES, ids=lambda argv: " ".join(argv))
def test_the_named_command_s_parser_reads_the_line_as_the_full_parser(argv: list[str]) -> None:
    name = named_command(argv)
    assert name in COMMANDS
    alone = build_parser(name).parse_args(argv)
    full = build_parser().parse_args(argv)
    assert vars(alone) == vars(full)


@pytest.mark.parametrize(
    "argv",
    [[], ["--help"], ["--version"], ["lst"], ["--tod", "2026-01-01", "list"], ["--demo"]],
    ids=repr,
)
def test_a_line_that_names_no_known_command_gets_the_full_parser(argv: list[str]) -> None:
    assert named_command(argv) is None


def test_an_unknown_command_is_told_with_every_command_it_could_be(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lst"]) == 1
    err = capsys.readouterr().err
    assert "invalid choice: 'lst'" in err
    assert all(repr(name) in err for name in ("add", "list", "show", "move", "config"))


def test_the_collector_is_paused_while_a_command_runs_and_back_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[bool] = []
    original = COMMANDS["list"]
    monkeypatch.setitem(
        COMMANDS,
        "list",
        type(original)(
            original.name,
            original.help,
            lambda ctx: seen.append(gc.isenabled()),
            original.args,
            original.json,
            original.area,
        ),
    )
    assert gc.isenabled()
    assert main(["--db", str(tmp_path / "offboard.json"), "list"]) == 0
    assert seen == [False]
    assert gc.isenabled()


def test_a_process_that_ends_after_the_command_leaves_the_collector_paused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The console script exits right after: no full collection pass on the way out.
    try:
        assert main(["--db", str(tmp_path / "offboard.json"), "list"], exiting=True) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()

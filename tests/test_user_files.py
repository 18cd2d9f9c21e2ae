"""Files the user keeps beside the shipped defaults (checklists, weights, screening edits) are
read by one rule: missing means "use the defaults", anything unreadable is refused by name."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from offboard.checklists import load_checklists
from offboard.domain.errors import InvalidInput
from offboard.screening_file import read_edits
from offboard.weights import load_weights

# (what the message calls it, the file's name, how to load it from a folder)
LOADERS: list[tuple[str, str, Callable[[Path], object]]] = [
    ("checklist", "notice.toml", lambda folder: load_checklists(folder)),
    ("weights file", "weights.toml", lambda folder: load_weights(folder / "weights.toml")),
    ("screening file", "screening.toml", lambda folder: read_edits(folder / "screening.toml")),
]


@pytest.mark.parametrize(("what", "name", "load"), LOADERS, ids=[w for w, _, _ in LOADERS])
def test_a_missing_file_means_the_defaults(what, name, load, tmp_path: Path) -> None:
    load(tmp_path)  # no error, no file created
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize(("what", "name", "load"), LOADERS, ids=[w for w, _, _ in LOADERS])
def test_an_unreadable_file_is_refused_by_name(what, name, load, tmp_path: Path) -> None:
    target = tmp_path / name
    os.symlink(tmp_path / "gone.toml", target)
    with pytest.raises(InvalidInput) as caught:
        load(tmp_path)
    assert caught.value.one_line().startswith(f"{what} {target} is a link to nothing")
    target.unlink()
    target.write_bytes(b"\xff\xfe not text")
    with pytest.raises(InvalidInput) as caught:
        load(tmp_path)
    assert what in caught.value.one_line() and "UTF-8" in caught.value.one_line()
    target.unlink()
    target.mkdir()
    with pytest.raises(InvalidInput) as caught:
        load(tmp_path)
    assert what in caught.value.one_line()

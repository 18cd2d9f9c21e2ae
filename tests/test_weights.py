"""The recommendation's weights: the shipped file, the user's overrides on top, key by key, and
clear errors for a bad override."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from offboard.domain.errors import InvalidInput
from offboard.domain.models import Category, RepairOutcome
from offboard.weights import FILE_NAME, RULES, load_weights


def shipped_text() -> str:
    return resources.files("offboard.templates").joinpath(FILE_NAME).read_text(encoding="utf-8")


def test_the_shipped_file_has_every_key_and_loads(tmp_path: Path) -> None:
    w = load_weights(tmp_path / "none.toml")
    assert w.offboard_from > w.repair_from
    assert set(w.category) == set(Category) and set(w.repair_outcome) == set(RepairOutcome)
    assert w.severity[3] > w.severity[2] > w.severity[1] > 0


def test_every_shipped_weight_says_why() -> None:
    """Each key sits under a comment (keys listed together share the comment above them)."""
    lines = shipped_text().splitlines()
    for n, line in enumerate(lines):
        if "=" not in line or line.lstrip().startswith("#"):
            continue
        above = n - 1
        while above >= 0 and "=" in lines[above] and not lines[above].lstrip().startswith("#"):
            above -= 1
        assert above >= 0 and lines[above].lstrip().startswith("#"), f"line {n + 1}: {line}"


def test_a_user_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    own = tmp_path / FILE_NAME
    own.write_text("[thresholds]\nrepair_from = 30\n\n[flags.severity]\nsevere = 20\n")
    shipped = load_weights(tmp_path / "none.toml")
    w = load_weights(own)
    assert (w.repair_from, w.severity[3]) == (30.0, 20.0)
    assert w.offboard_from == shipped.offboard_from and w.severity[2] == shipped.severity[2]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "[flags]\nhalf_life = 90\n",
            "no key 'flags.half_life' (did you mean flags.half_life_days?)",
        ),
        ("[flags.severity]\nsevere = 'a lot'\n", "flags.severity.severe = 'a lot' is not a number"),
        ("[flags]\npattern_weeks = 2.5\n", "flags.pattern_weeks = 2.5 is not a whole number"),
        ("[flags.category]\npayment = -1\n", "flags.category.payment = -1 is out of range"),
        ("[flags]\npattern_factor = 0.5\n", "flags.pattern_factor = 0.5 is out of range"),
        ("[thresholds]\nrepair_from = 60\n", "offboard_from must be above thresholds.repair_from"),
        ("[thresholds\n", "is not valid TOML"),
    ],
)
def test_a_bad_override_names_the_file_and_the_key(tmp_path: Path, text: str, said: str) -> None:
    own = tmp_path / FILE_NAME
    own.write_text(text)
    with pytest.raises(InvalidInput) as caught:
        load_weights(own)
    message = caught.value.one_line()
    assert str(own) in message and said in message


def test_every_rule_is_in_the_shipped_file() -> None:
    import tomllib

    from offboard.weights import _flat

    assert set(_flat(tomllib.loads(shipped_text()))) == set(RULES)

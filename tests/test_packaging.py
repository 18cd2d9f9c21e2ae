"""The built wheel holds every subpackage and every data file the app reads at run time.

Packages are found, not listed, in pyproject.toml; this test builds the wheel the way a user's
pip would and compares its contents with the source tree, so a new subpackage or a new kind of
data file that would be missing from an installed offboard fails here instead."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DATA_SUFFIXES = {".tcss", ".toml", ".j2", ".md"}


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = out.glob("offboard-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_every_subpackage_is_in_the_wheel(wheel_names: set[str]) -> None:
    packages = sorted(p.parent.relative_to(SRC) for p in (SRC / "offboard").rglob("__init__.py"))
    assert len(packages) >= 8
    for package in packages:
        assert f"{package.as_posix()}/__init__.py" in wheel_names, package


def test_every_module_and_data_file_is_in_the_wheel(wheel_names: set[str]) -> None:
    expected = {
        p.relative_to(SRC).as_posix()
        for p in (SRC / "offboard").rglob("*")
        if p.is_file() and (p.suffix == ".py" or p.suffix in DATA_SUFFIXES)
    }
    missing = sorted(expected - wheel_names)
    assert not missing, missing

"""`make demo` on a fresh clone shows the app, not a wall of packaging warnings: the install
step keeps pip's output in a log, shown only if the install fails (and then it fails make).

The install runs against a stand-in `python3` whose pip prints what a machine's pip config
makes the real one print, so the test needs no network and takes no time."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WARNING = "WARNING: Location 'file:///opt/pypi/simple/textual/' is ignored"

# `python3 -m venv DIR` makes DIR/bin/python, whose `-m pip` prints the warning (and, with
# PIP_FAILS set, an error and a failing status).
FAKE_PYTHON = f"""#!/bin/sh
if [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin"
    cat > "$3/bin/python" <<'EOF'
#!/bin/sh
echo "Looking in links: /opt/wheels"
echo "{WARNING}" >&2
if [ -n "$PIP_FAILS" ]; then echo "ERROR: No matching distribution found" >&2; exit 1; fi
exit 0
EOF
    chmod +x "$3/bin/python"
    exit 0
fi
exit 2
"""


def make_install(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir(exist_ok=True)
    python3 = bin_dir / "python3"
    python3.write_text(FAKE_PYTHON)
    python3.chmod(0o755)
    venv = tmp_path / "venv"
    return subprocess.run(
        ["make", "-C", str(ROOT), f"VENV={venv}", f"{venv}/.installed"],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", **env},
        timeout=60,
        check=False,
    )


pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def test_a_fresh_install_prints_no_packaging_warnings(tmp_path: Path) -> None:
    done = make_install(tmp_path)
    assert done.returncode == 0, done.stderr
    shown = done.stdout + done.stderr
    assert "WARNING" not in shown and "Looking in links" not in shown, shown
    assert (tmp_path / "venv" / ".installed").exists()
    assert WARNING in (tmp_path / "venv" / "install.log").read_text()


def test_a_failed_install_shows_the_log_and_fails(tmp_path: Path) -> None:
    done = make_install(tmp_path, PIP_FAILS="1")
    assert done.returncode != 0
    assert "ERROR: No matching distribution found" in done.stdout + done.stderr
    assert not (tmp_path / "venv" / ".installed").exists()

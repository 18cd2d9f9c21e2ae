"""What the bench scripts share: a row of samples with its median and p95, timing one call, the
text table, a description of the machine, and writing the JSON file.

The scripts import it by name (`from common import ...`): run them as files, e.g.
`python bench/storage_bench.py`, so that this folder is on `sys.path`.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

P95_MIN_SAMPLES = 20  # below this many samples a p95 says little; it is not shown


def median(samples: Sequence[float]) -> float | None:
    return statistics.median(samples) if samples else None


def p95(samples: Sequence[float]) -> float | None:
    """Nearest-rank 95th percentile, or None below P95_MIN_SAMPLES samples."""
    if len(samples) < P95_MIN_SAMPLES:
        return None
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


@dataclass
class Row:
    metric: str
    size: int | None
    samples_ms: list[float] = field(default_factory=list)
    note: str = ""
    ratios: dict[str, float] = field(default_factory=dict)
    bytes: int | None = None

    @property
    def median(self) -> float | None:
        return median(self.samples_ms)

    @property
    def p95(self) -> float | None:
        return p95(self.samples_ms)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["median_ms"] = self.median
        data["p95_ms"] = self.p95
        return data


def timed(action: Callable[[], Any]) -> float:
    """Milliseconds one call takes, after a collection so earlier garbage is not billed."""
    gc.collect()
    start = time.perf_counter_ns()
    action()
    return (time.perf_counter_ns() - start) / 1e6


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def render_table(head: Sequence[str], body: Sequence[Sequence[str]], right: set[int]) -> str:
    """Columns padded to their widest cell, a rule under the head; `right` are right-aligned."""
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    lines = []
    for cells in [head, *body]:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def machine(**extra: Any) -> dict[str, Any]:
    """Python, platform, cores and offboard version, then whatever the script adds."""
    import offboard

    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "offboard": getattr(offboard, "__version__", "?"),
        **extra,
    }


def write_json(path: Path, result: dict[str, Any]) -> None:
    with contextlib.suppress(FileExistsError):
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")

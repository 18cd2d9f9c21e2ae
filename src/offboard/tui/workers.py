"""What every thread worker of ours runs inside.

Textual marks the running worker in the executor thread's own context and never clears it,
so after a worker finishes, its pool thread keeps it, and through it the screen whose method
it ran, until that thread runs another worker: a closed screen would stay in memory. Each
worker body runs in `thread_work()`, which lets go of it when the body ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from textual.worker import Worker, active_worker, get_current_worker


@contextlib.contextmanager
def thread_work() -> Iterator[Worker[Any]]:
    """The current worker, for the body's cancellation checks; forgotten when it ends."""
    worker = get_current_worker()
    try:
        yield worker
    finally:
        active_worker.set(None)  # type: ignore[arg-type]  # only ever read while a worker runs

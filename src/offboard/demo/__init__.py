"""Demo data: two dozen fictional clients over every stage, and cheap generated ones.

Every client is made the way a user would make it: by calling the services (on a
MemoryRepository, with a FixedClock moved along the client's story), so the records and the
history wording are the services' own and can never drift from them. The board is then written
to the database file in one go. Every date is an offset from `today`, and ids are drawn from a
seeded generator, so a demo built for a fixed day is the same byte for byte, which keeps
screenshots reproducible.

The board tells the exit report's stories too: twelve clients closed over the last year and
a half, some kept after a repair that worked and some offboarded, with lessons several of them
share word for word (the screening checklist merges those), and a skewed trouble: three
accounts carry most of the flags, unpaid money and unbilled hours (the Pareto view's few).

Modules: `story` (the Board and Story that tell a client's life through the services),
`deciding`, `leaving` and `settling` (the first fourteen by stage: twelve on their way and two
closed), `costly` (the three closed accounts behind most of the trouble), `parted` (three
more offboarded), `kept` (four retained), `taught` (the lessons and repair strategies several
clients share), `generated` (clients for benchmarks) and `writing` (the one write to the file).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from ..config import Config, SmtpSettings
from ..domain.codec import client_from_stored
from ..domain.models import Client
from ..services import paused_gc
from ..storage.repository import Record
from . import costly, deciding, kept, leaving, parted, settling
from .generated import generate_clients, generate_records
from .story import CHECKLIST_ITEMS, DEMO_ACTOR, Board
from .writing import write_clients, write_records

__all__ = [
    "CHECKLIST_ITEMS",
    "DEMO_ACTOR",
    "DEMO_SEED",
    "build_demo_clients",
    "build_demo_records",
    "demo_config",
    "generate_clients",
    "generate_records",
    "write_clients",
    "write_demo",
    "write_records",
]

DEMO_SEED = 4_2026

# In board order: assessment, repair, preparation, notice, handover, settlement, closed; the
# clients closed longer ago come last, so adding them left the first fourteen's ids as they were.
STORIES = (
    deciding.STORIES
    + leaving.STORIES
    + settling.STORIES
    + costly.STORIES
    + parted.STORIES
    + kept.STORIES
)


def build_demo_records(today: dt.date, *, bulk: bool = True) -> list[Record]:
    """The demo board for `today` as stored records: the same clients, ids and dates for the
    same day. `bulk=False` builds it without the services' bulk fast path (slower; the same
    records but for their revisions, which a new file sets to 1 anyway)."""
    board = Board(today)
    with paused_gc():
        if bulk:
            with board.services.bulk():
                for story in STORIES:
                    story(board)
        else:
            for story in STORIES:
                story(board)
    return board.records(DEMO_SEED)


def build_demo_clients(today: dt.date) -> list[Client]:
    """The demo board for `today`: the same clients, ids and dates for the same day."""
    return [client_from_stored(doc) for doc in build_demo_records(today)]


def write_demo(path: Path, today: dt.date) -> int:
    """Write the demo clients into a new (or client-less) database at `path`."""
    return write_records(path, build_demo_records(today))


def demo_config(base: Config) -> Config:
    """The user's settings for a demo session, with an invented sender where none is set so
    the letters read complete, and no mail server: demo letters go to invented addresses."""
    return dataclasses.replace(
        base,
        sender_name=base.sender_name or "Alex Morgan",
        sender_email=base.sender_email or "alex@morgan-studio.example.com",
        signature=base.signature or "Morgan Studio · web design and development",
        referrals=base.referrals
        or (
            "Pinewood Digital (hello@pinewood.example.com), a larger agency",
            "Sara Lind (sara@lind.example.net), a hands-on project manager",
        ),
        smtp=SmtpSettings(),
    )

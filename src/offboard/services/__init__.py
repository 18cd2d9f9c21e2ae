"""The use cases: the one place each business operation lives. The CLI and the TUI call only
these, through the one `Services` facade, built by `offboard.bootstrap`.

Every change runs in one storage transaction: the client is read fresh under the lock,
changed, given a history event, saved and pushed onto the undo journal, all in one atomic
write. The areas live in their own modules; `Services` joins them, so call sites need not know
which module holds what.

Errors the front ends branch on (all OffboardError, from offboard.domain.errors):
InvalidInput (a value breaks a rule), NotFound and Ambiguous (naming a client or a record),
GateBlocked (a hard gate: `.missing`), NeedsConfirmation (a soft gate or a backward move:
`.warnings`, `.needs_reason`), StaleEdit (someone changed it meanwhile), NothingToUndo, and
the storage's DatabaseError family (corrupt, locked, write failed).
"""

from __future__ import annotations

from ..collector import paused_gc
from ..storage.errors import (
    CorruptDatabase,
    DatabaseError,
    DatabaseLocked,
    ServerGone,
    WriteFailed,
)
from ..storage.repository import Repository
from ..storage.restore import describe_backups, restore
from ..storage.snapshot import ClientSnapshot
from ..storage.transfer import export_bytes, read_export
from .calendar import CalendarExport, CalendarServices
from .case import CaseServices
from .clients import CONTRACT_CHECKS, ClientServices
from .core import Change, MoveResult, ServiceCore, default_actor
from .followups import FollowUpServices
from .history import HistoryServices
from .insight import Advice, InsightServices
from .letters import LetterServices
from .records import RecordServices
from .screening import Screening, ScreeningServices
from .settlement import SettlementServices
from .transfer import EXPORT_FORMAT, EXPORT_VERSION, TransferServices

# The front ends import these from here, never from storage: the services are their one door.
__all__ = [
    "CONTRACT_CHECKS",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "Advice",
    "CalendarExport",
    "Change",
    "ClientSnapshot",
    "CorruptDatabase",
    "DatabaseError",
    "DatabaseLocked",
    "MoveResult",
    "Repository",
    "Screening",
    "ServerGone",
    "ServiceCore",
    "Services",
    "WriteFailed",
    "default_actor",
    "describe_backups",
    "export_bytes",
    "paused_gc",
    "read_export",
    "restore",
]


class Services(
    ClientServices,
    CaseServices,
    SettlementServices,
    FollowUpServices,
    LetterServices,
    HistoryServices,
    RecordServices,
    TransferServices,
    InsightServices,
    CalendarServices,
    ScreeningServices,
):
    """Every use case, behind one object: `Services(repo, clock, config, checklists)`."""

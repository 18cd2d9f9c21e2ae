"""How the TUI says each Fix: the key that puts it right, and where to press it (the CLI
names commands instead; see domain/fixes.py)."""

from __future__ import annotations

from ..domain.errors import OffboardError
from ..domain.fixes import Fix

FIX_KEYS: dict[Fix, str] = {
    Fix.FIND_CLIENT: "press / on the board to filter, or ctrl+p to jump to a client",
    Fix.CLIENT_DETAILS: "press e on the client's Overview tab to edit the details",
    Fix.CONTRACT: "press e on the client's Overview tab to edit the contract",
    Fix.FLAG: "press f to log a red flag",
    Fix.ASSESSMENT: "press a on the client's Assessment tab",
    Fix.REPAIR: "press r to add a repair attempt",
    Fix.DECISION: "press D on the client screen to record the decision",
    Fix.CONVERSATION: "press N on the client screen to record the notice conversation",
    Fix.NOTICE_LETTER: "press w to write the notice letter, then mark it as sent",
    Fix.CHECKLIST: "tick the items on the client's Checklist tab (space, x)",
    Fix.DELIVERABLES: "mark them done on the client's Deliverables tab (space)",
    Fix.HANDOVER: "set each item's status on the client's Handover tab (space)",
    Fix.INVOICES: "press i on the client's Invoices tab to add the invoice",
    Fix.SETTLE: "record the payment (p) or write it off (W) on the Invoices tab",
    Fix.REFUND: "press R on the client's Invoices tab to record the refund",
    Fix.REFUND_PAID: "highlight the refund on the Invoices tab and press P once it is paid out",
    Fix.DELIVERABLE_VALUE: "press e on each deliverable of the Deliverables tab to give its value",
    Fix.LESSONS: "press L on the client screen to record a lesson learned",
    # ctrl+p works from the letter editor too, where , would type into the draft.
    Fix.SENDER: "fill in sender.name and sender.email in Settings (ctrl+p, Settings)",
    Fix.SMTP: "fill in the smtp host, port and security in Settings (ctrl+p, Settings)",
    Fix.DRAFT: "type it into the draft",
    Fix.LOCALE: "start typing a code in the language field to see the known ones",
}


def error_text(error: OffboardError) -> str:
    """An error's one line, followed by the key that fixes it when it says so."""
    how = fix_text(error.fix)
    return f"{error.one_line()} ({how})" if how else error.one_line()


def fix_text(fix: Fix | None) -> str:
    """The TUI's wording of a Fix, or "" when there is none."""
    return FIX_KEYS[fix] if fix is not None else ""
